// Pre-allocated flow table: every Flow comes from a pool bounded by flow.memcap
// (prealloc flows at start-up, then grown in rare chunks up to the cap; no
// allocation per packet). Idle flows expire per protocol and state; when the
// pool is exhausted the least recently seen flow is evicted ("forced") and the
// table enters emergency mode (shorter timeouts) — counted in flow.* stats,
// never silent.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/counters.h"
#include "flow/flow.h"

namespace seawall {

// Timeouts in seconds, per protocol class and state (Suricata's flow-timeouts),
// with the emergency-* values used while the table is in emergency mode.
struct FlowTimeouts {
  uint32_t new_timeout = 30, established = 300, closed = 0, bypassed = 100;
  uint32_t emergency_new = 10, emergency_established = 100, emergency_closed = 0,
           emergency_bypassed = 50;
};

// Defaults are those of Suricata's shipped suricata.yaml.
struct FlowConfig {
  uint64_t memcap = 128ull << 20;  // bytes (flow.memcap); pool = memcap / sizeof(Flow)
  uint32_t hash_size = 65536;      // buckets (flow.hash-size), rounded up to a power of two
  uint32_t prealloc = 10000;       // flows allocated up-front (flow.prealloc); rest of pool on demand
  uint32_t emergency_recovery = 30;  // percent of the pool free to leave emergency mode
  bool use_vlan_for_tracking = true;
  // A TCP flow first seen mid-stream (no SYN) counts as established once both
  // directions were seen. false: it stays "new", as Suricata with
  // stream.midstream: false.
  bool tcp_midstream_established = true;
  FlowTimeouts default_timeouts{30, 300, 0, 100, 10, 100, 0, 50};
  FlowTimeouts tcp{60, 600, 60, 100, 5, 100, 10, 50};
  FlowTimeouts udp{30, 300, 0, 100, 10, 100, 0, 50};
  FlowTimeouts icmp{30, 300, 0, 100, 10, 100, 0, 50};
  FlowTimeouts sctp{30, 300, 60, 100, 10, 100, 0, 50};
};

// Receives flows as they end (timeout, eviction, shutdown) — the flow logger.
class FlowEndSink {
 public:
  virtual ~FlowEndSink() = default;
  virtual void on_flow_end(const Flow& flow, FlowEndReason reason, Timestamp now) = 0;
};

class FlowTable {
 public:
  // Allocates the bucket array and the first min(prealloc, capacity) flows.
  FlowTable(const FlowConfig& config, ThreadCounters& counters);
  ~FlowTable();
  FlowTable(const FlowTable&) = delete;
  FlowTable& operator=(const FlowTable&) = delete;

  // Finds or creates p's flow, updates counters and state, sets p.flow and
  // p.to_server. Packets without an IP layer, marked invalid, or IP fragments
  // (the reassembled packet carries the flow) get no flow: returns nullptr.
  // Evicted or reused flows are reported to `sink` before their slot is reused.
  Flow* handle_packet(Packet& p, FlowEndSink& sink);

  // Ends every flow idle past its timeout at `now` (packet time); leaves
  // emergency mode when enough of the pool is free again.
  void expire(Timestamp now, FlowEndSink& sink);

  // Ends all flows (end of input / shutdown).
  void flush_all(Timestamp now, FlowEndSink& sink);

  size_t active() const { return active_; }
  size_t capacity() const { return capacity_; }
  // Flows allocated so far (<= capacity).
  size_t allocated() const;
  bool emergency() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  size_t active_ = 0;
  size_t capacity_ = 0;
};

}  // namespace seawall
