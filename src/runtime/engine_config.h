// Maps the YAML configuration (Suricata's keys) onto the engine's typed
// options. Every key read here counts as "used"; whatever a suricata.yaml holds
// beyond these is reported once as unused.
#pragma once

#include <map>
#include <string>

#include "config/config.h"
#include "detect/engine/detect_engine.h"
#include "runtime/engine.h"

namespace seawall {

struct LoadedSettings {
  EngineConfig engine;
  std::string log_dir;
  std::string eve_filename = "eve.json";
  std::string checksum_mode = "auto";
  std::map<std::string, std::string> address_groups;  // vars.address-groups
  std::map<std::string, std::string> port_groups;     // vars.port-groups
  detect::DetectConfig detect;                        // rule files, classification, ...
  std::string fast_log_filename = "fast.log";
};

// Throws ConfigError naming the key (file:line) for a bad value. Relative
// rule/classification/reference/threshold paths resolve against `config_dir`
// (the directory of the -c file, or the built-in etc/ directory).
LoadedSettings load_engine_settings(const Config& config, const std::string& config_dir);

}  // namespace seawall
