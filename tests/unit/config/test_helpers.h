// Shared helpers for the config unit tests.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "config/config.h"

namespace seawall::config_test {

inline std::string data_path(const std::string& name) {
  return std::string(SEAWALL_SOURCE_DIR) + "/tests/unit/config/data/" + name;
}

// Runs `body`, which must throw ConfigError, and returns its message ("" if it did not throw).
template <typename Body>
std::string error_of(Body&& body) {
  try {
    body();
  } catch (const ConfigError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a ConfigError";
  return {};
}

}  // namespace seawall::config_test
