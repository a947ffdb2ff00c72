// Per-thread threshold / detection_filter / rate_filter state (Suricata's
// detect-engine-threshold.c semantics: limit, threshold, both, backoff,
// detection_filter, rate_filter; tracking by_src, by_dst, by_rule, by_both,
// by_flow).
//
// Divergence from Suricata: Suricata keeps these counters in global host /
// ippair tables shared by all workers. Here each worker owns its table (no
// lock on the packet path), so with several workers a source whose flows land
// on different workers is counted per worker. Flows hash to one worker, so
// by_flow and single-flow patterns behave exactly; with one worker every
// tracking mode is exact.
#pragma once

#include <cstdint>
#include <vector>

#include "core/ip_address.h"
#include "core/timestamp.h"
#include "detect/rules/rule.h"

namespace seawall::detect {

class ThresholdTracker {
 public:
  // capacity: entries kept (open addressing, pre-allocated). When full, the
  // entry with the oldest window in the probe run is recycled.
  explicit ThresholdTracker(size_t capacity = 65536);

  // One event for rule `rule_id` under `spec`. Returns true when an alert
  // should be raised. No allocation.
  // sport/dport: the packet's ports, for detection_filter unique_on.
  bool event(uint32_t rule_id, const ThresholdSpec& spec, const IpAddress& src,
             const IpAddress& dst, uint64_t flow_key, Timestamp now, uint16_t sport = 0,
             uint16_t dport = 0);

  // One match of a rule under a rate_filter (spec.type kRate). Returns true
  // when the filter's new action applies to this match (Suricata's
  // IsThresholdReached): the first match never does; a match that makes more
  // than `count` in `seconds` switches the new action on, and it stays on for
  // every match until `timeout` seconds have passed. No allocation.
  bool rate_exceeded(uint32_t rule_id, const ThresholdSpec& spec, const IpAddress& src,
                     const IpAddress& dst, uint64_t flow_key, Timestamp now);

  size_t used() const { return used_; }

 private:
  struct Entry {
    bool used = false;
    uint32_t rule_id = 0;
    uint8_t track = 0;  // ThresholdSpec::Track, | kRateKey for rate_filter entries
    IpAddress a, b;
    uint64_t flow = 0;
    int64_t window_start = 0;  // microseconds
    uint32_t count = 0;
    bool timeout_active = false;  // rate_filter: new action in force
    int64_t timeout_start = 0;    // rate_filter: whole seconds
    uint64_t next_alert = 0;      // backoff: the match number that alerts next
    uint32_t generation = 0;      // unique_on: names this entry's current window
  };
  // unique_on: one (entry, window generation, port) seen in a window. A slot
  // whose generation is not its entry's current one is free.
  struct SeenPort {
    uint32_t entry = 0;
    uint32_t generation = 0;
    uint16_t port = 0;
  };
  static constexpr uint8_t kRateKey = 0x80;

  // The entry for (rule, key, tracked addresses/flow); a fresh one (count 0,
  // window starting at t) when there was none. Never fails: when the probe
  // run is full the stalest entry is recycled.
  Entry& lookup(uint32_t rule_id, uint8_t key, ThresholdSpec::Track track, const IpAddress& src,
                const IpAddress& dst, uint64_t flow_key, int64_t t, bool& created);

  // backoff: true when the entry's match count is the next alerting one
  // (and moves that on by the multiplier).
  static bool backoff_step(Entry& e, const ThresholdSpec& spec);

  // unique_on: starts a new window (generation) for the entry.
  void new_window(Entry& e) { e.generation = ++last_generation_; }
  // unique_on: records the port for the entry's current window; true when it
  // was not seen there yet.
  bool first_sighting(const Entry& e, uint16_t port);

  std::vector<Entry> table_;
  std::vector<SeenPort> seen_;  // sized on the first unique_on event of the thread
  uint32_t last_generation_ = 0;
  size_t used_ = 0;
};

}  // namespace seawall::detect
