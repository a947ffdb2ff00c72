// Signature order (Suricata's detect-engine-sigorder.c with the default
// action-order): internal ids follow it, so alerts come out in it and the
// alert queue keeps its head when full.
#pragma once

#include <memory>
#include <vector>

#include "detect/rules/rule.h"

namespace seawall::detect {

// pass 1, drop 2, reject* 3, alert 4 (lower runs first).
int action_order(Action a);

// Sorts by: action order; flowbits use (set-only, set+read, read-only,
// unused — so setters run before checkers); flowint use (same scale);
// priority (lower first); sid; gid. Stable for complete ties.
void order_rules(std::vector<std::unique_ptr<Rule>>& rules);

}  // namespace seawall::detect
