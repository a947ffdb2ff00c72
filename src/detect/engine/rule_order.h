// Signature order (Suricata's detect-engine-sigorder.c with the default
// action-order): internal ids follow it, so alerts come out in it and the
// alert queue keeps its head when full.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "detect/rules/rule.h"

namespace seawall::detect {

// Suricata's action-order (util-action.c): the rank of each action class,
// lower first. Default: pass, drop, reject, alert.
struct ActionOrder {
  // Indexed by pass, drop, reject (all reject variants), alert.
  std::array<uint8_t, 4> rank{1, 2, 3, 4};
};

// Parses the action-order list: each of pass, drop, reject, alert exactly
// once. Throws std::invalid_argument naming the problem.
ActionOrder parse_action_order(const std::vector<std::string>& names);

// The rank of a rule action under `order` (default: pass 1, drop 2,
// reject* 3, alert 4).
int action_order(Action a, const ActionOrder& order = {});

// Sorts by: action order; flowbits use (set-only, set+read, read-only,
// unused — so setters run before checkers); flowint use, host bits use
// (hostbits, xbits ip_src/ip_dst), ip_pair bits use (same scale); priority (lower first); sid; gid. Stable for complete ties.
void order_rules(std::vector<std::unique_ptr<Rule>>& rules, const ActionOrder& order = {});

}  // namespace seawall::detect
