#include "detect/engine/rule_order.h"

#include <algorithm>
#include <stdexcept>

#include "detect/keywords/flow/flowbits.h"
#include "detect/keywords/flow/xbits.h"

namespace seawall::detect {
namespace {

// Suricata's DETECT_*_TYPE values: NOT_USED 1, READ 2, SET_READ 3, SET 4.
int use_type(bool reads, bool writes) {
  if (reads && writes) return 3;
  if (writes) return 4;
  if (reads) return 2;
  return 1;
}

int flowbits_type(const Rule& r) {
  FlowbitUsage u = flowbit_usage(r);
  return use_type(!u.checks.empty(), !u.sets.empty());
}

int flowint_type(const Rule& r) {
  bool reads = false, writes = false;
  for (const auto& m : r.packet_matchers)
    if (dynamic_cast<const FlowintCheck*>(m.get())) reads = true;
  for (const auto& m : r.post_matchers)
    if (dynamic_cast<const FlowintAction*>(m.get())) writes = true;
  return use_type(reads, writes);
}

int xbits_type(const Rule& r, bool pair) {
  bool reads = false, writes = false;
  xbits_usage(r, pair, reads, writes);
  return use_type(reads, writes);
}

struct OrderKey {
  int action, flowbits, flowint, hostbits, ippairbits, priority;
  uint32_t sid, gid;
};

}  // namespace

ActionOrder parse_action_order(const std::vector<std::string>& names) {
  static constexpr const char* kNames[4] = {"pass", "drop", "reject", "alert"};
  ActionOrder order;
  std::array<bool, 4> seen{};
  if (names.size() != 4)
    throw std::invalid_argument("action-order must list pass, drop, reject and alert once each");
  for (size_t pos = 0; pos < names.size(); ++pos) {
    size_t i = 0;
    while (i < 4 && names[pos] != kNames[i]) ++i;
    if (i == 4) throw std::invalid_argument("action-order: unknown action '" + names[pos] + "'");
    if (seen[i]) throw std::invalid_argument("action-order: '" + names[pos] + "' listed twice");
    seen[i] = true;
    order.rank[i] = static_cast<uint8_t>(pos + 1);
  }
  return order;
}

int action_order(Action a, const ActionOrder& order) {
  switch (a) {
    case Action::kPass: return order.rank[0];
    case Action::kDrop: return order.rank[1];
    case Action::kReject:
    case Action::kRejectSrc:
    case Action::kRejectDst:
    case Action::kRejectBoth: return order.rank[2];
    case Action::kAlert: return order.rank[3];
  }
  return order.rank[3];
}

void order_rules(std::vector<std::unique_ptr<Rule>>& rules, const ActionOrder& order) {
  std::vector<std::pair<OrderKey, std::unique_ptr<Rule>>> keyed;
  keyed.reserve(rules.size());
  for (auto& r : rules) {
    OrderKey k{action_order(r->header.action, order), flowbits_type(*r), flowint_type(*r),
               xbits_type(*r, false), xbits_type(*r, true), r->priority,
               r->sid, r->gid};
    keyed.emplace_back(k, std::move(r));
  }
  std::stable_sort(keyed.begin(), keyed.end(), [](const auto& x, const auto& y) {
    const OrderKey& a = x.first;
    const OrderKey& b = y.first;
    if (a.action != b.action) return a.action < b.action;
    if (a.flowbits != b.flowbits) return a.flowbits > b.flowbits;
    if (a.flowint != b.flowint) return a.flowint > b.flowint;
    if (a.hostbits != b.hostbits) return a.hostbits > b.hostbits;
    if (a.ippairbits != b.ippairbits) return a.ippairbits > b.ippairbits;
    if (a.priority != b.priority) return a.priority < b.priority;
    if (a.sid != b.sid) return a.sid < b.sid;
    return a.gid < b.gid;
  });
  for (size_t i = 0; i < keyed.size(); ++i) rules[i] = std::move(keyed[i].second);
}

}  // namespace seawall::detect
