// The `requires` rule keyword (Suricata 7.0.3+): a rule states the engine
// version and features it needs, and an engine that does not meet them skips
// the rule silently instead of failing on keywords it does not know.
//   requires: feature geoip, version >= 7.0.3 < 8 | >= 8.0.1;
#pragma once

#include <string>
#include <string_view>

namespace seawall::detect {

// The Suricata rule-language level Seawall implements.
inline constexpr int kRuleLanguageVersion[3] = {8, 0, 2};

struct RequiresVerdict {
  bool met = true;
  std::string unmet;  // the first requirement not met, as written
};

// Evaluates a `requires` value; throws RuleError on bad syntax.
RequiresVerdict evaluate_requires(std::string_view value);

}  // namespace seawall::detect
