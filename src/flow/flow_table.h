// Pre-allocated flow table: every Flow comes from a pool sized from flow.memcap
// at start-up (no allocation per packet). Idle flows expire per protocol and
// state; when the pool is exhausted the least recently seen flow is evicted
// ("forced"), counted in flow.* stats — never silently.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/counters.h"
#include "flow/flow.h"

namespace seawall {

// Timeouts in seconds, per protocol class and state (Suricata's flow-timeouts).
struct FlowTimeouts {
  uint32_t new_timeout = 30, established = 300, closed = 0, bypassed = 100;
};

struct FlowConfig {
  uint64_t memcap = 128ull << 20;  // bytes (flow.memcap); pool = memcap / sizeof(Flow)
  uint32_t hash_size = 65536;      // buckets (flow.hash-size)
  uint32_t prealloc = 10000;       // flows allocated up-front (flow.prealloc); rest of pool on demand
  uint32_t emergency_recovery = 30;  // percent (flow.emergency-recovery)
  bool use_vlan_for_tracking = true;
  FlowTimeouts default_timeouts{30, 300, 0, 100};
  FlowTimeouts tcp{60, 600, 60, 100};
  FlowTimeouts udp{30, 300, 0, 100};
  FlowTimeouts icmp{30, 300, 0, 100};
  FlowTimeouts sctp{30, 300, 60, 100};
};

// Receives flows as they end (timeout, eviction, shutdown) — the flow logger.
class FlowEndSink {
 public:
  virtual ~FlowEndSink() = default;
  virtual void on_flow_end(const Flow& flow, FlowEndReason reason, Timestamp now) = 0;
};

class FlowTable {
 public:
  FlowTable(const FlowConfig& config, ThreadCounters& counters);
  ~FlowTable();
  FlowTable(const FlowTable&) = delete;
  FlowTable& operator=(const FlowTable&) = delete;

  // Finds or creates p's flow, updates counters and state, sets p.flow and
  // p.to_server. Packets without an IP layer, or marked invalid, get no flow.
  // Evicted flows are reported to `sink` before their slot is reused.
  Flow* handle_packet(Packet& p, FlowEndSink& sink);

  // Ends every flow idle past its timeout at `now` (packet time).
  void expire(Timestamp now, FlowEndSink& sink);

  // Ends all flows (end of input / shutdown).
  void flush_all(Timestamp now, FlowEndSink& sink);

  size_t active() const { return active_; }
  size_t capacity() const { return capacity_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  size_t active_ = 0;
  size_t capacity_ = 0;
};

}  // namespace seawall
