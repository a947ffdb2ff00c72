// threshold.config (Suricata's util-threshold-config.c syntax), parsed into
// plain entries the engine applies to its rules:
//   threshold    gen_id 1, sig_id 2, type limit, track by_src, count 1, seconds 60
//   event_filter gen_id 1, sig_id 2, type both, track by_dst, count 5, seconds 60
//   suppress     gen_id 1, sig_id 2[, track by_src|by_dst|by_either, ip <addr>]
//   rate_filter  gen_id 1, sig_id 2, track by_rule, count 10, seconds 60,
//                new_action drop, timeout 10
// gen_id/sig_id 0 act as wildcards (Suricata: sig_id 0 = every rule of the
// gid; gen_id 0 and sig_id 0 = every rule). '#' comments, blank lines and
// '\' line continuations are allowed. A bad line is reported with its line
// number and skipped; the rest still loads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "detect/rules/rule.h"

namespace seawall::detect {

struct ThresholdConfigEntry {
  enum class Kind : uint8_t { kThreshold, kEventFilter, kSuppress, kRateFilter } kind =
      Kind::kThreshold;
  uint32_t gid = 1;
  uint32_t sid = 0;
  int line = 0;

  // threshold / event_filter / rate_filter (rate_filter: type is unused).
  ThresholdSpec spec;

  // suppress: without a track the rule is suppressed entirely.
  enum class SuppressTrack : uint8_t { kNone, kBySrc, kByDst, kByEither } suppress_track =
      SuppressTrack::kNone;
  // Address expression as written ("1.2.3.4/24", "[10.0.0.0/8,!10.1.0.0/16]",
  // "$HOME_NET"); the engine expands it with parse_address_set().
  std::string suppress_ip;

  // rate_filter
  Action new_action = Action::kAlert;
  // "log" and "sdrop": accepted but, as in Suricata ("not supported yet"),
  // they leave the rule's own action in place.
  bool keeps_rule_action = false;
  uint32_t timeout = 0;
};

struct ThresholdConfigError {
  int line = 0;
  std::string message;  // "file:line: message"
};

struct ThresholdConfig {
  std::vector<ThresholdConfigEntry> entries;
  std::vector<ThresholdConfigError> errors;
};

// Parses the text of a threshold.config; `file` names it in error messages.
ThresholdConfig parse_threshold_config(std::string_view text, std::string_view file);
// Reads and parses a file; throws std::runtime_error if it cannot be read.
ThresholdConfig load_threshold_config(const std::string& path);

}  // namespace seawall::detect
