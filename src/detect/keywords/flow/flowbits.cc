// flowbits (set unset toggle isset isnotset noalert; "a|b" any-of and
// "a&b" all-of groups) and flowint (= + - == != < <= > >= isset notset),
// after Suricata's detect-flowbits.c and detect-flowint.c.
#include "detect/keywords/flow/flowbits.h"

#include <cctype>
#include <memory>
#include <string>

#include "detect/keywords/flow/flow_detect_state.h"
#include "detect/keywords/packet/uint_parse.h"
#include "flow/flow.h"

namespace seawall::detect {

namespace {

uint32_t intern(std::map<std::string, uint32_t>& ids, std::string_view name) {
  auto it = ids.find(std::string(name));
  if (it != ids.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(ids.size());
  ids.emplace(std::string(name), id);
  return id;
}

}  // namespace

uint32_t intern_flowbit(RuleLoadContext& context, std::string_view name) {
  return intern(context.flowbit_ids, name);
}
uint32_t intern_flowint(RuleLoadContext& context, std::string_view name) {
  return intern(context.flowint_ids, name);
}

// ---------------------------------------------------------------- flowbits

bool FlowbitsCheck::match(const MatchContext& ctx) const {
  if (ctx.flow == nullptr) return false;  // Suricata: no flow, no flowbit match
  const FlowDetectState* state = ctx.flow->detect;
  bool want_set = cmd_ == FlowbitCmd::kIsset;
  if (join_ == FlowbitJoin::kAnd) {
    for (uint32_t id : ids_) {
      if (flowbit_isset(state, id) != want_set) return false;
    }
    return true;
  }
  for (uint32_t id : ids_) {  // single name or any-of
    if (flowbit_isset(state, id) == want_set) return true;
  }
  return false;
}

void FlowbitsAction::apply(const MatchContext& ctx) const {
  if (ctx.flow == nullptr) return;
  FlowDetectState* state = ctx.flow->detect;
  if (state == nullptr) {
    if (cmd_ == FlowbitCmd::kUnset) return;  // nothing to clear
    state = ensure_flow_state(ctx);
    if (state == nullptr) return;
  }
  for (uint32_t id : ids_) {
    switch (cmd_) {
      case FlowbitCmd::kSet: flowbit_set(*state, id); break;
      case FlowbitCmd::kUnset: flowbit_unset(*state, id); break;
      case FlowbitCmd::kToggle: flowbit_toggle(*state, id); break;
      default: break;
    }
  }
}

FlowbitUsage flowbit_usage(const Rule& rule) {
  FlowbitUsage usage;
  for (const auto& m : rule.packet_matchers) {
    if (const auto* c = dynamic_cast<const FlowbitsCheck*>(m.get())) {
      usage.checks.insert(usage.checks.end(), c->ids().begin(), c->ids().end());
    }
  }
  for (const auto& m : rule.post_matchers) {
    if (const auto* a = dynamic_cast<const FlowbitsAction*>(m.get())) {
      usage.sets.insert(usage.sets.end(), a->ids().begin(), a->ids().end());
    }
  }
  return usage;
}

namespace {

void check_name(std::string_view keyword, std::string_view name) {
  if (name.empty()) keyword_error(keyword, "empty name");
  for (char c : name) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      keyword_error(keyword, "spaces are not allowed in names ('" + std::string(name) + "')");
    }
  }
}

void setup_flowbits(RuleBuilder& b, std::string_view value) {
  std::string_view s = trim(value);
  std::string_view cmd_text = s;
  std::string_view names;
  bool has_names = false;
  if (size_t comma = s.find(','); comma != std::string_view::npos) {
    cmd_text = trim(s.substr(0, comma));
    names = trim(s.substr(comma + 1));
    has_names = true;
  }
  if (cmd_text == "noalert") {
    if (has_names) keyword_error("flowbits", "noalert takes no name");
    b.rule().noalert = true;
    return;
  }
  FlowbitCmd cmd;
  if (cmd_text == "set") cmd = FlowbitCmd::kSet;
  else if (cmd_text == "unset") cmd = FlowbitCmd::kUnset;
  else if (cmd_text == "toggle") cmd = FlowbitCmd::kToggle;
  else if (cmd_text == "isset") cmd = FlowbitCmd::kIsset;
  else if (cmd_text == "isnotset") cmd = FlowbitCmd::kIsnotset;
  else keyword_error("flowbits", "unknown command '" + std::string(cmd_text) +
                                     "' (expected set, unset, toggle, isset, isnotset, noalert)");
  if (!has_names || names.empty()) {
    keyword_error("flowbits", std::string(cmd_text) + " needs a flowbit name");
  }

  bool has_or = names.find('|') != std::string_view::npos;
  bool has_and = names.find('&') != std::string_view::npos;
  if (has_or && has_and) keyword_error("flowbits", "cannot mix '|' and '&' in one value");
  FlowbitJoin join = has_or ? FlowbitJoin::kOr : has_and ? FlowbitJoin::kAnd : FlowbitJoin::kSingle;
  bool is_check = cmd == FlowbitCmd::kIsset || cmd == FlowbitCmd::kIsnotset;
  if (join == FlowbitJoin::kOr && !is_check) {
    keyword_error("flowbits", "the '|' (any of) form is only valid with isset and isnotset");
  }

  std::vector<uint32_t> ids;
  for (std::string_view name : split_trim(names, has_or ? '|' : '&')) {
    if (name.empty() && join != FlowbitJoin::kSingle) continue;  // "a||b" as Suricata's strtok
    check_name("flowbits", name);
    ids.push_back(intern_flowbit(b.context(), name));
  }
  if (ids.empty()) keyword_error("flowbits", "no valid flowbit names");

  if (is_check) {
    // isset and isnotset of the same bit can never both hold.
    FlowbitCmd opposite = cmd == FlowbitCmd::kIsset ? FlowbitCmd::kIsnotset : FlowbitCmd::kIsset;
    for (const auto& m : b.rule().packet_matchers) {
      const auto* other = dynamic_cast<const FlowbitsCheck*>(m.get());
      if (other == nullptr || other->cmd() != opposite || other->ids().size() != 1 ||
          ids.size() != 1 || other->ids()[0] != ids[0]) {
        continue;
      }
      keyword_error("flowbits", "isset and isnotset of the same flowbit in one rule never match");
    }
    b.add_packet(std::make_unique<FlowbitsCheck>(cmd, join, std::move(ids)));
  } else {
    b.add_post(std::make_unique<FlowbitsAction>(cmd, std::move(ids)));
  }
}

// ---------------------------------------------------------------- flowint

bool valid_flowint_name(std::string_view name, bool allow_dots) {
  if (name.size() < 2 || !std::isalpha(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name.substr(1)) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
              (allow_dots && (c == '.' || c == '/'));
    if (!ok) return false;
  }
  return true;
}

uint32_t target_value(const FlowDetectState* state, const FlowintTarget& t) {
  if (!t.is_var) return t.value;
  uint32_t v = 0;
  return flowint_get(state, t.var_id, v) ? v : 0;  // an unset target reads as 0
}

void setup_flowint(RuleBuilder& b, std::string_view value) {
  auto parts = split_trim(value, ',');
  if (parts.size() < 2 || parts.size() > 3) {
    keyword_error("flowint", "expected <name>, <operator>[, <value>]");
  }
  std::string_view name = parts[0];
  if (!valid_flowint_name(name, true)) {
    keyword_error("flowint", "invalid variable name '" + std::string(name) + "'");
  }
  struct OpName {
    std::string_view text;
    FlowintOp op;
  };
  static constexpr OpName kOps[] = {
      {"=", FlowintOp::kSet},   {"+", FlowintOp::kAdd},     {"-", FlowintOp::kSub},
      {"==", FlowintOp::kEq},   {"!=", FlowintOp::kNe},     {"<", FlowintOp::kLt},
      {"<=", FlowintOp::kLe},   {">", FlowintOp::kGt},      {">=", FlowintOp::kGe},
      {"isset", FlowintOp::kIsset}, {"notset", FlowintOp::kNotset},
      {"isnotset", FlowintOp::kNotset},
  };
  FlowintOp op{};
  bool known = false;
  for (const auto& o : kOps) {
    if (parts[1] == o.text) {
      op = o.op;
      known = true;
    }
  }
  if (!known) keyword_error("flowint", "unknown operator '" + std::string(parts[1]) + "'");
  bool needs_value = op != FlowintOp::kIsset && op != FlowintOp::kNotset;
  FlowintTarget target;
  if (needs_value) {
    if (parts.size() != 3 || parts[2].empty()) {
      keyword_error("flowint", "operator '" + std::string(parts[1]) + "' needs a value");
    }
    std::string_view v = parts[2];
    if (std::isdigit(static_cast<unsigned char>(v[0]))) {
      uint64_t n = 0;
      if (v.size() > 10 || !parse_u64(v, 0xffffffffu, n)) {
        keyword_error("flowint", "value '" + std::string(v) + "' is not in 0..4294967295");
      }
      target.value = static_cast<uint32_t>(n);
    } else {
      if (!valid_flowint_name(v, false)) {
        keyword_error("flowint", "invalid value '" + std::string(v) + "'");
      }
      target.is_var = true;
      target.var_id = intern_flowint(b.context(), v);
    }
  } else if (parts.size() == 3 && !parts[2].empty()) {
    keyword_error("flowint", "operator '" + std::string(parts[1]) + "' takes no value");
  }
  uint32_t id = intern_flowint(b.context(), name);
  if (op == FlowintOp::kSet || op == FlowintOp::kAdd || op == FlowintOp::kSub) {
    b.add_post(std::make_unique<FlowintAction>(id, op, target));
  } else {
    b.add_packet(std::make_unique<FlowintCheck>(id, op, target));
  }
}

const bool kRegistered = [] {
  register_keyword({.name = "flowbits",
                    .help = "set/unset/toggle/check named bits on the flow (isset, isnotset, noalert)",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired,
                    .setup = setup_flowbits});
  register_keyword({.name = "flowint",
                    .help = "per-flow integer: set/add/subtract or compare (name, op[, value])",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired,
                    .setup = setup_flowint});
  return true;
}();

}  // namespace

bool FlowintCheck::match(const MatchContext& ctx) const {
  if (ctx.flow == nullptr) return false;
  const FlowDetectState* state = ctx.flow->detect;
  uint32_t v = 0;
  bool present = flowint_get(state, id_, v);
  if (op_ == FlowintOp::kIsset) return present;
  if (op_ == FlowintOp::kNotset) return !present;
  if (!present) return false;  // comparing an unset variable never matches
  uint32_t t = target_value(state, target_);
  switch (op_) {
    case FlowintOp::kEq: return v == t;
    case FlowintOp::kNe: return v != t;
    case FlowintOp::kLt: return v < t;
    case FlowintOp::kLe: return v <= t;
    case FlowintOp::kGt: return v > t;
    case FlowintOp::kGe: return v >= t;
    default: return false;
  }
}

void FlowintAction::apply(const MatchContext& ctx) const {
  if (ctx.flow == nullptr) return;
  FlowDetectState* state = ensure_flow_state(ctx);
  if (state == nullptr) return;
  uint32_t t = target_value(state, target_);
  uint32_t current = 0;
  bool present = flowint_get(state, id_, current);
  switch (op_) {
    case FlowintOp::kSet: flowint_set(*state, id_, t); break;
    // Adding to an unset variable starts it from 0 (Suricata); u32 wraps.
    case FlowintOp::kAdd: flowint_set(*state, id_, present ? current + t : t); break;
    // Subtracting from an unset variable does nothing (Suricata).
    case FlowintOp::kSub:
      if (present) flowint_set(*state, id_, current - t);
      break;
    default: break;
  }
}

}  // namespace seawall::detect
