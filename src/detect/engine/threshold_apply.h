// Applies threshold.config entries (parsed by engine/threshold_config.h) to
// the engine's rules: event_filter/threshold set the rule's effective
// threshold (a gid:sid entry replaces the rule's own threshold keyword; a
// sid 0 wildcard only fills rules without one), suppress marks rules as
// suppressed always or for the listed addresses, rate_filter gives rules the
// action to take while a match rate is exceeded (Suricata's TYPE_RATE).
#pragma once

#include <string>
#include <vector>

#include "detect/engine/detect_engine_impl.h"
#include "detect/engine/threshold_config.h"

namespace seawall::detect {

// Returns the number of entries applied; problems go to `warnings`.
size_t apply_threshold_config(const ThresholdConfig& config, const RuleLoadContext& context,
                              DetectEngine::Impl& engine, std::vector<std::string>& warnings);

}  // namespace seawall::detect
