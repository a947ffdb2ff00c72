// flowbits and flowint: compiled forms the engine can inspect. The engine
// orders rules so that setters run before checkers of the same name
// (Suricata's flowbits sig ordering) and uses flowbit_usage() for that.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "detect/keywords/keyword.h"
#include "detect/keywords/matcher.h"
#include "detect/rules/rule.h"

namespace seawall::detect {

enum class FlowbitCmd : uint8_t { kSet, kUnset, kToggle, kIsset, kIsnotset };
// How a multi-name value combines: "a|b" (any) or "a&b" (all).
enum class FlowbitJoin : uint8_t { kSingle, kOr, kAnd };

// isset / isnotset: a packet condition.
class FlowbitsCheck final : public PacketMatcher {
 public:
  FlowbitsCheck(FlowbitCmd cmd, FlowbitJoin join, std::vector<uint32_t> ids)
      : cmd_(cmd), join_(join), ids_(std::move(ids)) {}
  bool match(const MatchContext& ctx) const override;
  FlowbitCmd cmd() const { return cmd_; }
  FlowbitJoin join() const { return join_; }
  const std::vector<uint32_t>& ids() const { return ids_; }

 private:
  FlowbitCmd cmd_;
  FlowbitJoin join_;
  std::vector<uint32_t> ids_;
};

// set / unset / toggle: applied after the whole rule matched.
class FlowbitsAction final : public PostMatcher {
 public:
  FlowbitsAction(FlowbitCmd cmd, std::vector<uint32_t> ids) : cmd_(cmd), ids_(std::move(ids)) {}
  void apply(const MatchContext& ctx) const override;
  FlowbitCmd cmd() const { return cmd_; }
  const std::vector<uint32_t>& ids() const { return ids_; }

 private:
  FlowbitCmd cmd_;
  std::vector<uint32_t> ids_;
};

// Which flowbit ids a rule writes and reads (for rule ordering and for the
// -T report of flowbits that are checked but never set).
struct FlowbitUsage {
  std::vector<uint32_t> sets;    // set, unset, toggle
  std::vector<uint32_t> checks;  // isset, isnotset
};
FlowbitUsage flowbit_usage(const Rule& rule);

// Interns a name in context.flowbit_ids / flowint_ids (dense ids from 0).
uint32_t intern_flowbit(RuleLoadContext& context, std::string_view name);
uint32_t intern_flowint(RuleLoadContext& context, std::string_view name);

// ---- flowint ----
enum class FlowintOp : uint8_t {
  kSet, kAdd, kSub,                       // post-match
  kEq, kNe, kLt, kLe, kGt, kGe, kIsset, kNotset,  // conditions
};

struct FlowintTarget {
  bool is_var = false;
  uint32_t value = 0;   // literal
  uint32_t var_id = 0;  // another flowint (reads 0 when unset)
};

class FlowintCheck final : public PacketMatcher {
 public:
  FlowintCheck(uint32_t id, FlowintOp op, FlowintTarget target)
      : id_(id), op_(op), target_(target) {}
  bool match(const MatchContext& ctx) const override;
  uint32_t id() const { return id_; }

 private:
  uint32_t id_;
  FlowintOp op_;
  FlowintTarget target_;
};

class FlowintAction final : public PostMatcher {
 public:
  FlowintAction(uint32_t id, FlowintOp op, FlowintTarget target)
      : id_(id), op_(op), target_(target) {}
  void apply(const MatchContext& ctx) const override;
  uint32_t id() const { return id_; }

 private:
  uint32_t id_;
  FlowintOp op_;
  FlowintTarget target_;
};

}  // namespace seawall::detect
