#include "detect/keywords/flow/flow_detect_state.h"

#include "flow/flow.h"

namespace seawall::detect {

namespace {
uint32_t words_for(uint32_t n) { return (n + 63) / 64; }
}  // namespace

FlowDetectState::FlowDetectState(uint32_t flowbit_count, uint32_t flowint_count)
    : bits(words_for(flowbit_count), 0),
      int_values(flowint_count, 0),
      int_set(words_for(flowint_count), 0),
      flowbit_count_(flowbit_count) {}

void FlowDetectState::clear() {
  for (auto& w : bits) w = 0;
  for (auto& v : int_values) v = 0;
  for (auto& w : int_set) w = 0;
  session_tag = SessionTag{};
}

bool flowbit_isset(const FlowDetectState* state, uint32_t id) {
  if (state == nullptr || id >= state->flowbit_count()) return false;
  return (state->bits[id / 64] >> (id % 64)) & 1u;
}

void flowbit_set(FlowDetectState& state, uint32_t id) {
  if (id < state.flowbit_count()) state.bits[id / 64] |= uint64_t{1} << (id % 64);
}

void flowbit_unset(FlowDetectState& state, uint32_t id) {
  if (id < state.flowbit_count()) state.bits[id / 64] &= ~(uint64_t{1} << (id % 64));
}

void flowbit_toggle(FlowDetectState& state, uint32_t id) {
  if (id < state.flowbit_count()) state.bits[id / 64] ^= uint64_t{1} << (id % 64);
}

bool flowint_get(const FlowDetectState* state, uint32_t id, uint32_t& value) {
  if (state == nullptr || id >= state->flowint_count()) return false;
  if (((state->int_set[id / 64] >> (id % 64)) & 1u) == 0) return false;
  value = state->int_values[id];
  return true;
}

void flowint_set(FlowDetectState& state, uint32_t id, uint32_t value) {
  if (id >= state.flowint_count()) return;
  state.int_values[id] = value;
  state.int_set[id / 64] |= uint64_t{1} << (id % 64);
}

// Weak fallback (see the header): the engine's strong definition wins at link time.
[[gnu::weak]] FlowDetectState* ensure_flow_state(const MatchContext& ctx) {
  return ctx.flow != nullptr ? ctx.flow->detect : nullptr;
}

}  // namespace seawall::detect
