#include "detect/engine/threshold_apply.h"

#include <exception>

#include "detect/rules/rule_parser.h"

namespace seawall::detect {
namespace {

bool selects(const ThresholdConfigEntry& entry, const Rule& r) {
  if (entry.gid == 0 && entry.sid == 0) return true;
  return entry.gid == r.gid && (entry.sid == 0 || entry.sid == r.sid);
}

}  // namespace

size_t apply_threshold_config(const ThresholdConfig& config, const RuleLoadContext& context,
                              DetectEngine::Impl& e, std::vector<std::string>& warnings) {
  for (const ThresholdConfigError& err : config.errors) warnings.push_back(err.message);
  // Suppressions are referenced by pointer from RuleInfo: size the vector first.
  size_t suppress_count = 0;
  for (const ThresholdConfigEntry& entry : config.entries)
    if (entry.kind == ThresholdConfigEntry::Kind::kSuppress) ++suppress_count;
  e.suppressions.clear();
  e.suppressions.reserve(suppress_count);

  size_t applied = 0;
  for (const ThresholdConfigEntry& entry : config.entries) {
    switch (entry.kind) {
      case ThresholdConfigEntry::Kind::kThreshold:
      case ThresholdConfigEntry::Kind::kEventFilter: {
        bool any = false;
        for (size_t id = 0; id < e.rules.size(); ++id) {
          const Rule& r = *e.rules[id];
          if (!selects(entry, r)) continue;
          const bool specific = entry.sid != 0;
          if (!specific && r.has_threshold) continue;  // the rule's own keyword wins
          e.info[id].has_threshold = true;
          e.info[id].threshold = entry.spec;
          any = true;
        }
        if (any) ++applied;
        break;
      }
      case ThresholdConfigEntry::Kind::kSuppress: {
        Suppression s;
        s.gid = entry.gid;
        s.sid = entry.sid;
        s.track = static_cast<Suppression::Track>(entry.suppress_track);
        if (s.track != Suppression::Track::kNone) {
          try {
            s.addresses = parse_address_set(entry.suppress_ip, context);
          } catch (const std::exception& ex) {
            warnings.push_back("threshold.config line " + std::to_string(entry.line) +
                               ": suppress ip '" + entry.suppress_ip + "': " + ex.what());
            break;
          }
        }
        e.suppressions.push_back(std::move(s));
        const Suppression* stored = &e.suppressions.back();
        bool any = false;
        for (size_t id = 0; id < e.rules.size(); ++id) {
          if (!selects(entry, *e.rules[id])) continue;
          if (stored->track == Suppression::Track::kNone) e.info[id].suppressed_always = true;
          else e.info[id].suppressions.push_back(stored);
          any = true;
        }
        if (any) ++applied;
        break;
      }
      case ThresholdConfigEntry::Kind::kRateFilter: {
        if (entry.keeps_rule_action) {
          warnings.push_back("threshold.config line " + std::to_string(entry.line) +
                             ": rate_filter new_action log/sdrop leaves the rule's action "
                             "unchanged (as in Suricata)");
        }
        bool any = false;
        for (size_t id = 0; id < e.rules.size(); ++id) {
          const Rule& r = *e.rules[id];
          if (!selects(entry, r)) continue;
          // As for thresholds, a wildcard entry leaves rules with their own
          // threshold keyword alone; a later entry for the rule replaces an
          // earlier one.
          if (entry.sid == 0 && r.has_threshold) continue;
          RuleInfo& info = e.info[id];
          info.has_rate_filter = true;
          info.rate_filter = entry.spec;
          info.rate_changes_action = !entry.keeps_rule_action;
          info.rate_action = entry.new_action;
          any = true;
        }
        if (any) ++applied;
        break;
      }
    }
  }
  return applied;
}

}  // namespace seawall::detect
