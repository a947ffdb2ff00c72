// Per-flow detection state: flowbits and flowints of one flow, reached
// through Flow::detect. The engine's DetectThread creates (pools) one per
// flow when a rule first writes to it and releases it at flow end; this file
// defines the storage and the operations the keywords and the engine use.
#pragma once

#include <cstdint>
#include <vector>

#include "detect/keywords/matcher.h"

namespace seawall::detect {

struct FlowDetectState {
  // Sized once from the ruleset's interned name counts
  // (RuleLoadContext::flowbit_ids.size(), flowint_ids.size()); ids at or
  // beyond the size (a state made for an older ruleset) read as unset.
  FlowDetectState(uint32_t flowbit_count, uint32_t flowint_count);

  // Back to "nothing set", keeping the storage (for pooling).
  void clear();

  uint32_t flowbit_count() const { return flowbit_count_; }
  uint32_t flowint_count() const { return static_cast<uint32_t>(int_values.size()); }

  std::vector<uint64_t> bits;        // flowbit i = bit (i % 64) of bits[i / 64]
  std::vector<uint32_t> int_values;  // flowint values (Suricata's flowint is u32)
  std::vector<uint64_t> int_set;     // which flowints have been set (bitset)

  // A `tag:session` on this flow (keywords/flow/tag.cc): follow-up packets
  // are tagged until `seen` (packets, bytes, or microseconds since the tag)
  // goes past `limit`.
  struct SessionTag {
    bool active = false;
    uint8_t metric = 0;  // TagSpec::Metric
    uint64_t limit = 0;
    uint64_t seen = 0;
    int64_t start_us = 0;
  } session_tag;

 private:
  uint32_t flowbit_count_ = 0;
};

// ---- flowbits ----
bool flowbit_isset(const FlowDetectState* state, uint32_t id);
void flowbit_set(FlowDetectState& state, uint32_t id);
void flowbit_unset(FlowDetectState& state, uint32_t id);
void flowbit_toggle(FlowDetectState& state, uint32_t id);

// ---- flowints ----
// False when unset (or no state); `value` untouched then.
bool flowint_get(const FlowDetectState* state, uint32_t id, uint32_t& value);
void flowint_set(FlowDetectState& state, uint32_t id, uint32_t value);

// Implemented by the engine (DetectThread): returns ctx.flow->detect,
// creating it from the thread's pool first when it is null. Returns nullptr
// when the packet has no flow or the pool is exhausted (the write is then
// dropped, as Suricata drops a flowbit set on a packet without a flow).
//
// detect/keywords/flow/flow_detect_state.cc carries a weak fallback that
// only returns an existing ctx.flow->detect, so keyword unit tests link
// before the engine exists; the engine's definition replaces it.
FlowDetectState* ensure_flow_state(const MatchContext& ctx);

}  // namespace seawall::detect
