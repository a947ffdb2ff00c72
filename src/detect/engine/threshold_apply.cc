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
      case ThresholdConfigEntry::Kind::kRateFilter:
        warnings.push_back("threshold.config line " + std::to_string(entry.line) +
                           ": rate_filter is not supported yet (entry ignored)");
        break;
    }
  }
  return applied;
}

}  // namespace seawall::detect
