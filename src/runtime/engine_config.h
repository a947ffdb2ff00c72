// Maps the YAML configuration (Suricata's keys) onto the engine's typed
// options. Every key read here counts as "used"; whatever a suricata.yaml holds
// beyond these is reported once as unused.
#pragma once

#include <map>
#include <string>

#include "config/config.h"
#include "runtime/engine.h"

namespace seawall {

struct LoadedSettings {
  EngineConfig engine;
  std::string log_dir;
  std::string eve_filename = "eve.json";
  std::string checksum_mode = "auto";
  std::map<std::string, std::string> address_groups;  // vars.address-groups
  std::map<std::string, std::string> port_groups;     // vars.port-groups
};

// Throws ConfigError naming the key (file:line) for a bad value.
LoadedSettings load_engine_settings(const Config& config);

}  // namespace seawall
