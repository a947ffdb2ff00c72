#include "flow/flow_table.h"

#include <algorithm>

#include "flow/tcp_state.h"

namespace seawall {

namespace {

// ---- counters (names from Suricata's stats schema) ----
const Counter kFlowTotal = register_counter({"flow.total", "Flows created"});
const Counter kFlowTcp = register_counter({"flow.tcp", "TCP flows created"});
const Counter kFlowUdp = register_counter({"flow.udp", "UDP flows created"});
const Counter kFlowIcmp4 = register_counter({"flow.icmpv4", "ICMPv4 flows created"});
const Counter kFlowIcmp6 = register_counter({"flow.icmpv6", "ICMPv6 flows created"});
const Counter kFlowTcpReuse =
    register_counter({"flow.tcp_reuse", "TCP flows ended by a new SYN on a closed session"});
const Counter kFlowActive =
    register_counter({"flow.active", "Flows currently tracked", CounterKind::kGauge});
const Counter kFlowMemuse = register_counter(
    {"flow.memuse", "Bytes held by the flow pool and hash buckets", CounterKind::kGauge});
const Counter kFlowMemcap =
    register_counter({"flow.memcap", "New flows that found the pool (flow.memcap) exhausted"});
const Counter kEmergEntered =
    register_counter({"flow.emerg_mode_entered", "Times the flow table entered emergency mode"});
const Counter kEmergOver =
    register_counter({"flow.emerg_mode_over", "Times the flow table left emergency mode"});
const Counter kMgrTimeout =
    register_counter({"flow.mgr.flows_timeout", "Flows ended because they were idle too long"});
const Counter kMgrEvicted = register_counter(
    {"flow.mgr.flows_evicted", "Least recently seen flows evicted to make room (memcap)"});
const Counter kEndState[3] = {
    register_counter({"flow.end.state.new", "Flows ended in state new"}),
    register_counter({"flow.end.state.established", "Flows ended in state established"}),
    register_counter({"flow.end.state.closed", "Flows ended in state closed"}),
};
const Counter kEndTcpState[kTcpStateCount] = {
    register_counter({"flow.end.tcp_state.none", "TCP flows ended in state none"}),
    register_counter({"flow.end.tcp_state.syn_sent", "TCP flows ended in state syn_sent"}),
    register_counter({"flow.end.tcp_state.syn_recv", "TCP flows ended in state syn_recv"}),
    register_counter({"flow.end.tcp_state.established", "TCP flows ended in state established"}),
    register_counter({"flow.end.tcp_state.fin_wait1", "TCP flows ended in state fin_wait1"}),
    register_counter({"flow.end.tcp_state.fin_wait2", "TCP flows ended in state fin_wait2"}),
    register_counter({"flow.end.tcp_state.time_wait", "TCP flows ended in state time_wait"}),
    register_counter({"flow.end.tcp_state.last_ack", "TCP flows ended in state last_ack"}),
    register_counter({"flow.end.tcp_state.close_wait", "TCP flows ended in state close_wait"}),
    register_counter({"flow.end.tcp_state.closing", "TCP flows ended in state closing"}),
    register_counter({"flow.end.tcp_state.closed", "TCP flows ended in state closed"}),
};

constexpr uint8_t kProtoIcmp = 1, kProtoTcp = 6, kProtoUdp = 17, kProtoIcmp6 = 58,
                  kProtoSctp = 132, kProtoGre = 47;

// Timeout classes: protocol class x flow state. All flows of one class share
// one timeout, so each class list stays ordered by last-seen time.
constexpr int kStates = 3;
constexpr int kProtoClasses = 5;
constexpr int kClasses = kProtoClasses * kStates;

int proto_class(uint8_t proto) {
  switch (proto) {
    case kProtoTcp: return 0;
    case kProtoUdp: return 1;
    case kProtoIcmp:
    case kProtoIcmp6: return 2;
    case kProtoSctp: return 3;
    default: return 4;
  }
}

int class_of(const Flow& f) {
  return proto_class(f.key.proto) * kStates + static_cast<int>(f.state);
}

// ICMPv4 error messages do not mark a direction as seen (Suricata's
// FlowUpdateSeenFlag), so an unreachable answer does not establish a flow.
bool is_icmp4_error(const Packet& p) {
  if (p.ip_proto != kProtoIcmp || !p.has_icmp) return false;
  switch (p.icmp_type) {
    case 3: case 4: case 5: case 11: case 12: return true;
    default: return false;
  }
}

// Which way `k` matches `f`: 0 no, 1 as stored, 2 reversed.
int key_match(const FlowKey& stored, const FlowKey& k) {
  if (stored.proto != k.proto || stored.tunnel_depth != k.tunnel_depth ||
      stored.tunnel_hash != k.tunnel_hash || stored.vlan != k.vlan) {
    return 0;
  }
  if (stored.src == k.src && stored.dst == k.dst && stored.sport == k.sport &&
      stored.dport == k.dport) {
    return 1;
  }
  if (stored.src == k.dst && stored.dst == k.src && stored.sport == k.dport &&
      stored.dport == k.sport) {
    return 2;
  }
  return 0;
}

uint32_t round_up_pow2(uint32_t v) {
  uint32_t r = 1;
  while (r < v && r < (1u << 30)) r <<= 1;
  return r;
}

struct LruList {
  Flow* head = nullptr;  // least recently seen
  Flow* tail = nullptr;
};

}  // namespace

struct FlowTable::Impl {
  Impl(const FlowConfig& c, ThreadCounters& tc) : config(c), counters(tc) {}

  FlowConfig config;
  ThreadCounters& counters;
  std::vector<Flow*> buckets;
  uint64_t bucket_mask = 0;
  std::vector<std::unique_ptr<Flow[]>> chunks;
  size_t chunk_size = 0;
  Flow* free_list = nullptr;  // linked through hash_next
  size_t capacity = 0, allocated = 0, active = 0;
  LruList lists[kClasses];
  int64_t timeout_us[kClasses] = {};
  int64_t emergency_timeout_us[kClasses] = {};
  bool emergency = false;
  Timestamp clock{};  // latest time given to expire(): the engine's packet clock
  bool clock_set = false;
  Timestamp touch_time(const Packet& p) const { return clock_set ? clock : p.ts; }

  void init() {
    const uint64_t pool = config.memcap / sizeof(Flow);
    capacity = static_cast<size_t>(std::max<uint64_t>(pool, 1));
    const uint32_t nb = round_up_pow2(std::max<uint32_t>(config.hash_size, 1));
    buckets.assign(nb, nullptr);
    bucket_mask = nb - 1;

    const FlowTimeouts* per_proto[kProtoClasses] = {&config.tcp, &config.udp, &config.icmp,
                                                    &config.sctp, &config.default_timeouts};
    for (int pc = 0; pc < kProtoClasses; ++pc) {
      const FlowTimeouts& t = *per_proto[pc];
      const uint32_t normal[kStates] = {t.new_timeout, t.established, t.closed};
      const uint32_t emerg[kStates] = {t.emergency_new, t.emergency_established,
                                       t.emergency_closed};
      for (int s = 0; s < kStates; ++s) {
        timeout_us[pc * kStates + s] = static_cast<int64_t>(normal[s]) * 1000000;
        emergency_timeout_us[pc * kStates + s] = static_cast<int64_t>(emerg[s]) * 1000000;
      }
    }

    const size_t initial = std::min<size_t>(config.prealloc, capacity);
    chunk_size = std::max<size_t>(config.prealloc, 1024);
    chunks.reserve((capacity - initial) / chunk_size + 2);
    if (initial > 0) grow(initial);
    update_gauges();
  }

  // Adds n flows to the free list: start-up and rare pool growth only.
  void grow(size_t n) {
    n = std::min(n, capacity - allocated);
    if (n == 0) return;
    chunks.emplace_back(new Flow[n]);
    Flow* block = chunks.back().get();
    for (size_t i = n; i-- > 0;) {
      block[i].hash_next = free_list;
      free_list = &block[i];
    }
    allocated += n;
  }

  Flow* take_free() {
    if (free_list == nullptr && allocated < capacity) {
      grow(chunk_size);
      update_gauges();
    }
    Flow* f = free_list;
    if (f != nullptr) free_list = f->hash_next;
    return f;
  }

  void update_gauges() {
    counters.set(kFlowActive, active);
    counters.set(kFlowMemuse, allocated * sizeof(Flow) + buckets.size() * sizeof(Flow*));
  }

  // ---- intrusive lists ----
  void lru_unlink(Flow* f) {
    LruList& l = lists[f->timeout_class];
    (f->lru_prev ? f->lru_prev->lru_next : l.head) = f->lru_next;
    (f->lru_next ? f->lru_next->lru_prev : l.tail) = f->lru_prev;
    f->lru_prev = f->lru_next = nullptr;
  }

  void lru_push_tail(Flow* f, int cls) {
    LruList& l = lists[cls];
    f->timeout_class = static_cast<uint8_t>(cls);
    f->lru_next = nullptr;
    f->lru_prev = l.tail;
    (l.tail ? l.tail->lru_next : l.head) = f;
    l.tail = f;
  }

  void hash_unlink(Flow* f) {
    Flow** link = &buckets[f->hash & bucket_mask];
    while (*link != nullptr && *link != f) link = &(*link)->hash_next;
    if (*link == f) *link = f->hash_next;
    f->hash_next = nullptr;
  }

  Flow* lookup(const FlowKey& k, uint64_t hash, bool& reversed) {
    for (Flow* f = buckets[hash & bucket_mask]; f != nullptr; f = f->hash_next) {
      if (f->hash != hash) continue;
      const int m = key_match(f->key, k);
      if (m != 0) {
        reversed = m == 2;
        return f;
      }
    }
    return nullptr;
  }

  // ---- flow life cycle ----
  void end_flow(Flow* f, FlowEndReason reason, Timestamp now, FlowEndSink& sink) {
    counters.add(kEndState[static_cast<int>(f->state)]);
    if (f->key.proto == kProtoTcp) counters.add(kEndTcpState[static_cast<int>(f->tcp_state)]);
    sink.on_flow_end(*f, reason, now);
    hash_unlink(f);
    lru_unlink(f);
    *f = Flow{};
    f->hash_next = free_list;
    free_list = f;
    --active;
  }

  void evict_least_recent(Timestamp now, FlowEndSink& sink) {
    Flow* oldest = nullptr;
    for (const LruList& l : lists) {
      if (l.head != nullptr && (oldest == nullptr || l.head->touched < oldest->touched)) oldest = l.head;
    }
    if (oldest == nullptr) return;
    counters.add(kMgrEvicted);
    end_flow(oldest, FlowEndReason::kForced, now, sink);
  }

  Flow* new_flow(const FlowKey& key, uint64_t hash, const Packet& p, FlowEndSink& sink) {
    Flow* f = take_free();
    if (f == nullptr) {
      counters.add(kFlowMemcap);
      if (!emergency) {
        emergency = true;
        counters.add(kEmergEntered);
      }
      evict_least_recent(p.ts, sink);
      f = take_free();
      if (f == nullptr) return nullptr;  // unreachable: capacity >= 1
    }
    f->key = key;
    f->hash = hash;
    f->start = f->last = p.ts;
    f->touched = touch_time(p);
    f->ip_version = p.ip_version;
    f->source = p.source;
    f->emergency = emergency;
    f->in_use = true;
    if (p.has_icmp && (key.proto == kProtoIcmp || key.proto == kProtoIcmp6)) {
      f->has_icmp = true;
      f->icmp_type = p.icmp_type;
      f->icmp_code = p.icmp_code;
    }
    Flow*& bucket = buckets[hash & bucket_mask];
    f->hash_next = bucket;
    bucket = f;
    lru_push_tail(f, class_of(*f));
    ++active;

    counters.add(kFlowTotal);
    switch (key.proto) {
      case kProtoTcp: counters.add(kFlowTcp); break;
      case kProtoUdp: counters.add(kFlowUdp); break;
      case kProtoIcmp: counters.add(kFlowIcmp4); break;
      case kProtoIcmp6: counters.add(kFlowIcmp6); break;
      default: break;
    }
    return f;
  }

  void update(Flow* f, const Packet& p, bool to_server) {
    // Suricata's byte count is the captured length (GET_PKT_LEN); for a tunnel
    // payload that is the inner packet's own length.
    const uint64_t len = p.caplen;
    if (to_server) {
      ++f->pkts_toserver;
      f->bytes_toserver += len;
      f->tcp_flags_ts |= p.tcp_flags;
    } else {
      ++f->pkts_toclient;
      f->bytes_toclient += len;
      f->tcp_flags_tc |= p.tcp_flags;
    }
    // `last` (EVE flow.end) never steps back even if capture time does.
    if (f->last < p.ts) f->last = p.ts;
    f->touched = touch_time(p);
    if (!is_icmp4_error(p)) (to_server ? f->seen_toserver : f->seen_toclient) = true;
    if (!to_server && f->has_icmp && !f->has_response_icmp && p.has_icmp) {
      f->has_response_icmp = true;
      f->response_icmp_type = p.icmp_type;
      f->response_icmp_code = p.icmp_code;
    }

    const bool both_seen = f->seen_toserver && f->seen_toclient;
    if (f->key.proto == kProtoTcp) {
      if (p.is_tcp()) {
        f->tcp_state = tcp_next_state(f->tcp_state, p.tcp_flags, to_server, both_seen,
                                      config.tcp_midstream_established);
      }
      const FlowState s = flow_state_for_tcp(f->tcp_state);
      if (s > f->state) f->state = s;  // never back, e.g. closed stays closed
    } else if (both_seen && f->state == FlowState::kNew) {
      f->state = FlowState::kEstablished;
    }

    lru_unlink(f);
    lru_push_tail(f, class_of(*f));
  }

  Flow* handle_packet(Packet& p, FlowEndSink& sink) {
    if (p.ip_version == 0 || p.invalid || p.is_fragment || p.src.family == 0) return nullptr;
    // GRE packets are carriers only, as in Suricata (its GRE decoder sets no
    // flow up): their payload becomes inner packets with flows of their own,
    // which say where they came from (pkt_src, tunnel).
    if (p.ip_proto == kProtoGre) return nullptr;
    const FlowKey key = flow_key_from_packet(p, config.use_vlan_for_tracking);
    const uint64_t hash = symmetric_flow_hash(key);
    bool reversed = false;
    Flow* f = lookup(key, hash, reversed);

    const bool tcp = p.is_tcp();
    const uint8_t syn_ack = tcp_flag::kSyn | tcp_flag::kAck;
    if (f != nullptr && tcp && (p.tcp_flags & syn_ack) == tcp_flag::kSyn &&
        f->state == FlowState::kClosed) {
      // Port reuse: a fresh SYN on a finished session starts a new flow.
      counters.add(kFlowTcpReuse);
      end_flow(f, FlowEndReason::kForced, p.ts, sink);
      f = nullptr;
    }
    if (f == nullptr) {
      // A SYN-ACK seen first comes from the server: its receiver is the client.
      const bool swap = tcp && (p.tcp_flags & syn_ack) == syn_ack;
      f = new_flow(swap ? reverse_key(key) : key, hash, p, sink);
      if (f == nullptr) return nullptr;
      reversed = swap;
    }
    p.flow = f;
    p.to_server = !reversed;
    update(f, p, p.to_server);
    return f;
  }

  void expire(Timestamp now, FlowEndSink& sink) {
    if (!clock_set || clock < now) clock = now;
    clock_set = true;
    const int64_t now_us = now.micros();
    const int64_t* timeouts = emergency ? emergency_timeout_us : timeout_us;
    for (int cls = 0; cls < kClasses; ++cls) {
      // Oldest first; the first flow still within its timeout ends the walk.
      while (Flow* f = lists[cls].head) {
        if (f->touched.micros() + timeouts[cls] >= now_us) break;
        counters.add(kMgrTimeout);
        end_flow(f, FlowEndReason::kTimeout, now, sink);
      }
    }
    if (emergency && (capacity - active) * 100 > capacity * config.emergency_recovery) {
      emergency = false;
      counters.add(kEmergOver);
    }
    update_gauges();
  }

  void flush_all(Timestamp now, FlowEndSink& sink) {
    for (LruList& l : lists) {
      while (l.head != nullptr) end_flow(l.head, FlowEndReason::kShutdown, now, sink);
    }
    update_gauges();
  }
};

FlowTable::FlowTable(const FlowConfig& config, ThreadCounters& counters)
    : impl_(std::make_unique<Impl>(config, counters)) {
  impl_->init();
  capacity_ = impl_->capacity;
}

FlowTable::~FlowTable() = default;

Flow* FlowTable::handle_packet(Packet& p, FlowEndSink& sink) {
  Flow* f = impl_->handle_packet(p, sink);
  active_ = impl_->active;
  impl_->counters.set(kFlowActive, active_);
  return f;
}

void FlowTable::expire(Timestamp now, FlowEndSink& sink) {
  impl_->expire(now, sink);
  active_ = impl_->active;
}

void FlowTable::flush_all(Timestamp now, FlowEndSink& sink) {
  impl_->flush_all(now, sink);
  active_ = impl_->active;
}

size_t FlowTable::allocated() const { return impl_->allocated; }
bool FlowTable::emergency() const { return impl_->emergency; }

}  // namespace seawall
