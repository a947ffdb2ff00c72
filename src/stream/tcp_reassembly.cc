#include "stream/tcp_reassembly.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "stream/stream_event.h"
#include "stream/tcp_segment_store.h"

namespace seawall::stream {
namespace {

const Counter kSessions = register_counter({"tcp.sessions", "TCP sessions created"});
const Counter kSessionMemcap = register_counter(
    {"tcp.ssn_memcap_drop", "TCP sessions not created because stream.memcap was reached"});
const Counter kReassemblyGap =
    register_counter({"tcp.reassembly_gap", "Gaps delivered to the app layer"});
const Counter kReassemblyMemcap = register_counter(
    {"tcp.segment_memcap_drop", "Segments not stored: stream.reassembly.memcap reached"});
const Counter kDepthReached = register_counter(
    {"tcp.stream_depth_reached", "Stream directions cut at stream.reassembly.depth"});
const Counter kOverlap = register_counter({"tcp.overlap", "Segments overlapping stored data"});
const Counter kOverlapDiffData = register_counter(
    {"tcp.overlap_diff_data", "Overlapping segments whose bytes differ from stored data"});
const Counter kRetransmission =
    register_counter({"stream.pkt_retransmission", "Retransmitted TCP segments"});
const Counter kRawLookbackMemcap = register_counter(
    {"tcp.raw_lookback_memcap_drop",
     "Raw stream lookbacks not kept: stream.reassembly.memcap reached (the next packet's "
     "raw inspection sees only its own bytes)"});

// Suricata's memcap pressure (stats.memcap.pressure / pressure_max): the
// fullest of the memcaps, in percent. Here: stream.memcap (sessions) and
// stream.reassembly.memcap (segments) of the worker; merged by maximum.
const Counter kMemcapPressure = register_counter(
    {"memcap.pressure", "Percent used of the fullest stream memcap (stream, reassembly)",
     CounterKind::kMax});
const Counter kMemcapPressureMax = register_counter(
    {"memcap.pressure_max", "Highest memcap.pressure seen", CounterKind::kMax});

// One counter per stream event, "stream.<name>" (Suricata's stats with
// stats.stream-events). pkt_retransmission has its own counter above. The
// names must outlive the registry (it keeps string_views).
// Suricata's stats use shorter names than its rule events for two of them.
std::string_view counter_name(std::string_view event) {
  if (event == "3whs_synack_resend_with_different_ack") return "3whs_synack_resend_with_diff_ack";
  if (event == "est_synack_resend_with_different_ack") return "est_synack_resend_with_diff_ack";
  return event;
}

struct EventCounters {
  std::array<std::string, kStreamEventCount> names;
  std::array<Counter, kStreamEventCount> counters;
  std::array<bool, kStreamEventCount> registered{};
  EventCounters() {
    for (size_t i = 0; i < kStreamEventCount; ++i) {
      if (static_cast<StreamEvent>(i) == StreamEvent::kPktRetransmission) continue;
      names[i] = "stream.";
      names[i] += counter_name(stream_event_name(static_cast<StreamEvent>(i)));
      counters[i] = register_counter({names[i], "TCP stream event"});
      registered[i] = true;
    }
  }
};
const EventCounters& event_counters() {
  static const EventCounters counters;
  return counters;
}
// Registers at static-init time so the counters exist before any thread.
const EventCounters& kEventCountersInit = event_counters();

constexpr uint8_t kMaxWscale = 14;  // RFC 7323 limit; assumed for midstream pickups

enum class SessionState : uint8_t { kSynSent, kSynRecv, kEstablished, kClosed };

// Walks the TCP options of p (bounds-checked, stops at EOL or a malformed
// length), calling visit(kind, option, length) until it returns true.
template <typename Visit>
void for_each_tcp_option(const Packet& p, Visit&& visit) {
  if (p.l4 == nullptr || p.l4_len < 20) return;
  const uint32_t hlen = (p.l4[12] >> 4) * 4u;
  if (hlen < 20 || hlen > p.l4_len) return;
  for (uint32_t i = 20; i < hlen;) {
    const uint8_t kind = p.l4[i];
    if (kind == 0) break;
    if (kind == 1) {
      ++i;
      continue;
    }
    if (i + 1 >= hlen) break;
    const uint8_t olen = p.l4[i + 1];
    if (olen < 2 || i + olen > hlen) break;
    if (visit(kind, p.l4 + i, olen)) return;
    i += olen;
  }
}

// Window scale option of a SYN or SYN/ACK; -1 when absent (or no header to read).
int parse_wscale(const Packet& p) {
  int wscale = -1;
  for_each_tcp_option(p, [&](uint8_t kind, const uint8_t* opt, uint8_t olen) {
    if (kind != 3 || olen != 3) return false;
    wscale = std::min<int>(opt[2], kMaxWscale);
    return true;
  });
  return wscale;
}

// Timestamp option (RFC 7323) of p: false when absent.
bool parse_timestamp(const Packet& p, uint32_t& tsval, uint32_t& tsecr) {
  bool found = false;
  for_each_tcp_option(p, [&](uint8_t kind, const uint8_t* opt, uint8_t olen) {
    if (kind != 8 || olen != 10) return false;
    tsval = load_be32(opt + 2);
    tsecr = load_be32(opt + 6);
    found = true;
    return true;
  });
  return found;
}

// TCP Fast Open option (RFC 7413: kind 34, or the experimental kind 254
// with magic 0xF989) in a SYN or SYN/ACK, as Suricata's TCP_HAS_TFO.
bool has_tfo_option(const Packet& p) {
  bool found = false;
  for_each_tcp_option(p, [&](uint8_t kind, const uint8_t* opt, uint8_t olen) {
    found = kind == 34 || (kind == 254 && olen >= 4 && opt[2] == 0xF9 && opt[3] == 0x89);
    return found;
  });
  return found;
}

// Suricata's overlap rules (DoHandleDataOverlap in stream-tcp-list.c): whether
// the new segment [s_seq, s_end) wins over the stored one [l_seq, l_end) in
// the bytes they share, when those bytes differ.
bool new_data_wins(OverlapPolicy pol, uint32_t s_seq, uint32_t s_end, uint32_t l_seq,
                   uint32_t l_end) {
  using P = OverlapPolicy;
  if (pol == P::kLast) return true;
  if (s_seq == l_seq) {
    if (seq_lt(s_end, l_end)) return false;  // ends inside the stored segment
    if (seq_gt(s_end, l_end) && pol == P::kLinux) return true;
    return pol == P::kOldLinux || pol == P::kSolaris || pol == P::kHpux11;
  }
  if (seq_lt(s_seq, l_seq)) {
    if (seq_geq(s_end, l_end) && (pol == P::kSolaris || pol == P::kHpux11)) return true;
    switch (pol) {
      case P::kBsd: case P::kHpux10: case P::kIrix: case P::kWindows: case P::kOldLinux:
      case P::kLinux: case P::kMacos:
        return true;
      default:
        return false;
    }
  }
  // Starts after the stored segment.
  return seq_gt(s_end, l_end) && (pol == P::kSolaris || pol == P::kHpux11);
}

struct PolicyName {
  std::string_view name;
  OverlapPolicy policy;
};
constexpr std::array<PolicyName, 13> kPolicyNames = {{
    {"first", OverlapPolicy::kFirst}, {"last", OverlapPolicy::kLast},
    {"bsd", OverlapPolicy::kBsd}, {"linux", OverlapPolicy::kLinux},
    {"old-linux", OverlapPolicy::kOldLinux}, {"windows", OverlapPolicy::kWindows},
    {"vista", OverlapPolicy::kVista}, {"solaris", OverlapPolicy::kSolaris},
    {"hpux10", OverlapPolicy::kHpux10}, {"hpux11", OverlapPolicy::kHpux11},
    {"irix", OverlapPolicy::kIrix}, {"macos", OverlapPolicy::kMacos},
    // Suricata treats windows2k3 like windows for stream overlaps.
    {"windows2k3", OverlapPolicy::kWindows},
}};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  return true;
}

}  // namespace

bool parse_overlap_policy(std::string_view name, OverlapPolicy& out) {
  for (const auto& entry : kPolicyNames) {
    if (iequals(name, entry.name)) {
      out = entry.policy;
      return true;
    }
  }
  return false;
}

std::string_view overlap_policy_name(OverlapPolicy p) {
  for (const auto& entry : kPolicyNames)
    if (entry.policy == p) return entry.name;
  return "unknown";
}

// One direction of a session; index 0 = to server, 1 = to client.
struct TcpStreamState {
  uint32_t isn = 0;
  uint32_t next_seq = 0;   // first byte not yet delivered (in-order frontier)
  uint32_t last_ack = 0;   // highest valid ACK of this direction's data
  uint32_t window = 0;     // how far past last_ack this side may send (peer's window, scaled)
  uint32_t fin_seq = 0;    // sequence number of the FIN
  uint8_t adv_shift = 0;   // window scale this side announced in its SYN
  bool wscale_offered = false;
  bool has_ts = false;     // this side's SYN carried the timestamp option
  uint32_t last_ts = 0;    // its TSval (what the peer must echo in the handshake)
  bool fin_seen = false;
  bool ended = false;      // on_stream_end delivered
  bool depth_reached = false;
  uint64_t offset = 0;     // stream bytes delivered, data and gaps (reassembly depth)
  // Sorted by (seq, len): delivered segments kept for retransmission checks,
  // then the segments waiting for a hole to fill (from first_waiting on).
  TcpSegment* head = nullptr;
  TcpSegment* tail = nullptr;
  TcpSegment* first_waiting = nullptr;
  uint32_t waiting = 0;
  uint32_t retained = 0;
  // Raw stream lookback: the last raw_len bytes delivered (slot from the
  // reassembler's pool; nullptr until the direction delivers data).
  uint8_t* raw = nullptr;
  uint32_t raw_len = 0;
};

struct TcpSession {
  std::array<TcpStreamState, 2> stream;
  SessionState state = SessionState::kSynSent;
  uint8_t initiator = 0;  // index of the side that sent the SYN (or was picked up as client)
  bool midstream = false;
  bool midstream_synack = false;
  bool async = false;
  bool wscale_ok = false;  // both SYN and SYN/ACK carried window scale
  // Split handshake (Suricata's 4WHS): the server answered the SYN with a
  // SYN of its own; the client then sends the SYN/ACK and the server the ACK.
  bool four_whs = false;
  // TCP Fast Open: the SYN carried the option (its data, if any, is part of
  // the client's stream).
  bool tfo = false;
  // TSvals of SYNs resent with a different timestamp (Suricata's SYN queue):
  // the SYN/ACK may answer any of them.
  std::array<uint32_t, 4> queued_syn_ts{};
  uint8_t queued_syn_ts_count = 0;
};

struct TcpReassembler::Impl {
  Impl(const StreamConfig& c, ThreadCounters& tc)
      : config(c),
        counters(tc),
        max_sessions(c.memcap / sizeof(TcpSession)),
        store(c.reassembly_memcap),
        raw_slots{ByteSlotPool(std::max<uint32_t>(c.raw_lookback[0], 1)),
                  ByteSlotPool(std::max<uint32_t>(c.raw_lookback[1], 1))} {
    if (c.raw_inspection) raw_buf.reserve(64 * 1024);
  }

  // What one handle_packet / end_flow call delivers to.
  struct Ctx {
    Flow& flow;
    // The packet being handled: it also carries what it completes of the
    // other direction (an ACK that turns a hole into a gap, a RST); nullptr at flow end.
    Packet* p;
    StreamSink& sink;
  };

  StreamConfig config;
  ThreadCounters& counters;
  uint64_t max_sessions;
  ChunkPool<TcpSession> sessions{256};
  SegmentStore store;

  // ---- raw stream inspection ----
  // The chunk being collected for raw_packet: lookback + the bytes it
  // delivered to direction raw_dir. The buffer grows only when a packet
  // delivers more than ever before (reserved up front), never shrinks.
  std::array<ByteSlotPool, 2> raw_slots;
  std::vector<uint8_t> raw_buf;
  const Packet* raw_packet = nullptr;
  int raw_dir = 0;
  uint32_t raw_new_offset = 0;
  uint64_t raw_base = 0;  // stream offset of raw_buf[0]

  // n bytes of `dir` at stream offset `at`, delivered on the packet being handled.
  void raw_append(Ctx& c, TcpStreamState& s, int dir, const uint8_t* data, uint32_t n,
                  uint64_t at) {
    if (!config.raw_inspection || c.p == nullptr || n == 0) return;
    // Only the packet's own direction: data of the other direction released
    // by this packet's ACK (after a hole) is not raw-inspected.
    if (dir != (c.p->to_server ? 0 : 1)) return;
    if (raw_packet != c.p) {
      raw_packet = c.p;
      raw_dir = dir;
      const uint32_t lookback = s.raw != nullptr ? s.raw_len : 0;
      raw_buf.assign(s.raw, s.raw + lookback);
      raw_new_offset = lookback;
      raw_base = at - lookback;
    }
    raw_buf.insert(raw_buf.end(), data, data + n);
  }

  // A gap: what follows is not contiguous with what was delivered before, so
  // it starts a new chunk (bytes this packet delivered before the gap are
  // not raw-inspected).
  void raw_gap(Ctx& c, TcpStreamState& s, int dir) {
    s.raw_len = 0;
    if (raw_packet == c.p && raw_dir == dir) raw_packet = nullptr;
  }

  // After the packet: its chunk's last bytes become the direction's lookback.
  void raw_keep_lookback(TcpSession& ss) {
    if (raw_packet == nullptr) return;
    TcpStreamState& s = ss.stream[raw_dir];
    const uint32_t keep_max = config.raw_lookback[raw_dir];
    if (keep_max == 0) return;
    if (s.raw == nullptr) {
      if (!store.charge(keep_max)) {
        counters.add(kRawLookbackMemcap);
        s.raw_len = 0;
        return;
      }
      s.raw = raw_slots[raw_dir].get();
      if (s.raw == nullptr) {
        store.refund(keep_max);
        counters.add(kRawLookbackMemcap);
        return;
      }
    }
    const uint32_t keep = std::min<uint32_t>(keep_max, static_cast<uint32_t>(raw_buf.size()));
    std::copy(raw_buf.end() - keep, raw_buf.end(), s.raw);
    s.raw_len = keep;
  }

  void release_raw(TcpStreamState& s, int dir) {
    if (s.raw == nullptr) return;
    raw_slots[dir].put(s.raw);
    store.refund(config.raw_lookback[dir]);
    s.raw = nullptr;
    s.raw_len = 0;
  }

  // Memcap pressure after a packet: only recomputed when the use changed.
  uint64_t pressure_sessions = UINT64_MAX, pressure_memuse = UINT64_MAX;
  void update_pressure() {
    const uint64_t in_use = sessions.in_use(), memuse = store.memuse();
    if (in_use == pressure_sessions && memuse == pressure_memuse) return;
    pressure_sessions = in_use;
    pressure_memuse = memuse;
    const uint64_t ssn_pct = max_sessions > 0 ? in_use * 100 / max_sessions : 100;
    const uint64_t ra_pct =
        config.reassembly_memcap > 0 ? memuse * 100 / config.reassembly_memcap : 100;
    const uint64_t pct = std::min<uint64_t>(std::max(ssn_pct, ra_pct), 100);
    counters.set(kMemcapPressure, pct);
    counters.max(kMemcapPressureMax, pct);
  }

  // ---- sessions ----
  TcpSession* new_session(Packet& p) {
    if (sessions.in_use() >= max_sessions) {
      counters.add(kSessionMemcap);
      return nullptr;
    }
    TcpSession* s = sessions.get();
    if (s == nullptr) {
      counters.add(kSessionMemcap);
      return nullptr;
    }
    *s = TcpSession{};
    counters.add(kSessions);
    p.flow->tcp = s;
    p.flow->tcp_session_seen = true;
    return s;
  }

  void release_segments(TcpStreamState& s) {
    TcpSegment* seg = s.head;
    while (seg != nullptr) {
      TcpSegment* next = seg->next;
      store.release(seg);
      seg = next;
    }
    s.head = s.tail = s.first_waiting = nullptr;
    s.waiting = s.retained = 0;
  }

  // ---- delivery ----
  void raise(Ctx& c, StreamEvent e) {
    if (c.p != nullptr) add_stream_event(*c.p, e);
  }

  // Bytes of `dir` that may still be delivered before the reassembly depth.
  uint64_t depth_room(const TcpStreamState& s) const {
    if (config.reassembly_depth == 0) return UINT64_MAX;
    return s.offset >= config.reassembly_depth ? 0 : config.reassembly_depth - s.offset;
  }

  // Marks the direction as cut at the depth; its segments are freed.
  void reach_depth(Ctx& c, TcpStreamState& s) {
    if (s.depth_reached) return;
    s.depth_reached = true;
    raise(c, StreamEvent::kReassemblyDepthReached);
    counters.add(kDepthReached);
    release_segments(s);
  }

  // Hands n bytes at the frontier to the sink (clipped at the depth) and
  // advances next_seq by n. False when the depth cut the direction.
  bool emit_data(Ctx& c, TcpStreamState& s, int dir, const uint8_t* data, uint32_t n) {
    s.next_seq += n;
    if (s.depth_reached) return false;
    const uint64_t room = depth_room(s);
    const uint32_t give = room < n ? static_cast<uint32_t>(room) : n;
    if (give > 0) {
      raw_append(c, s, dir, data, give, s.offset);
      s.offset += give;
      c.sink.on_stream_data(c.flow, c.p, static_cast<StreamDirection>(dir),
                            ByteView(data, give));
    }
    if (give < n) {
      reach_depth(c, s);
      return false;
    }
    return true;
  }

  bool emit_segment(Ctx& c, TcpStreamState& s, int dir, const TcpSegment& seg, uint32_t off,
                    uint32_t n) {
    if (s.depth_reached) {
      s.next_seq += n;
      return false;
    }
    const uint64_t room = depth_room(s);
    const uint32_t give = room < n ? static_cast<uint32_t>(room) : n;
    // Read from seg before anything can free it (reach_depth releases segments).
    uint64_t at = s.offset;
    SegmentStore::for_each_chunk(seg, off, give, [&](const uint8_t* data, uint32_t len) {
      raw_append(c, s, dir, data, len, at);
      at += len;
      c.sink.on_stream_data(c.flow, c.p, static_cast<StreamDirection>(dir),
                            ByteView(data, len));
    });
    s.offset += give;
    s.next_seq += n;
    if (give < n) {
      reach_depth(c, s);
      return false;
    }
    return true;
  }

  void emit_gap(Ctx& c, TcpStreamState& s, int dir, uint32_t n) {
    if (n == 0) return;
    s.next_seq += n;
    if (s.depth_reached) return;
    raise(c, StreamEvent::kReassemblySeqGap);
    counters.add(kReassemblyGap);
    raw_gap(c, s, dir);
    const uint64_t room = depth_room(s);
    const uint32_t give = room < n ? static_cast<uint32_t>(room) : n;
    if (give > 0) {
      s.offset += give;
      c.sink.on_stream_gap(c.flow, c.p, static_cast<StreamDirection>(dir), give);
    }
    if (give < n) reach_depth(c, s);
  }

  void end_direction(Ctx& c, TcpStreamState& s, int dir) {
    if (s.ended) return;
    s.ended = true;
    release_segments(s);
    c.sink.on_stream_end(c.flow, c.p, static_cast<StreamDirection>(dir));
  }

  void maybe_end(Ctx& c, TcpStreamState& s, int dir) {
    if (s.fin_seen && !s.ended && seq_geq(s.next_seq, s.fin_seq)) end_direction(c, s, dir);
  }

  // Limit of deliverable sequence space: the FIN when seen.
  bool beyond_fin(const TcpStreamState& s, uint32_t seq) const {
    return s.fin_seen && seq_geq(seq, s.fin_seq);
  }

  // Delivers waiting segments that are contiguous with the frontier.
  void deliver_contiguous(Ctx& c, TcpStreamState& s, int dir) {
    while (!s.depth_reached && s.first_waiting != nullptr &&
           seq_leq(s.first_waiting->seq, s.next_seq)) {
      TcpSegment* w = s.first_waiting;
      if (beyond_fin(s, s.next_seq)) break;
      s.first_waiting = w->next;
      w->delivered = true;
      --s.waiting;
      ++s.retained;
      uint32_t end = w->end();
      if (s.fin_seen) end = seq_min(end, s.fin_seq);
      if (seq_gt(end, s.next_seq)) {
        if (!emit_segment(c, s, dir, *w, s.next_seq - w->seq, end - s.next_seq)) break;
      }
    }
    maybe_end(c, s, dir);
  }

  // Declares the hole before the first waiting segment a gap and goes on.
  void skip_hole(Ctx& c, TcpStreamState& s, int dir) {
    TcpSegment* w = s.first_waiting;
    if (w == nullptr) return;
    if (seq_gt(w->seq, s.next_seq)) {
      uint32_t to = w->seq;
      if (s.fin_seen) to = seq_min(to, s.fin_seq);
      if (seq_gt(to, s.next_seq)) emit_gap(c, s, dir, to - s.next_seq);
    }
    deliver_contiguous(c, s, dir);
  }

  // Brings the frontier to `target`: waiting data below it is delivered,
  // holes become gaps.
  void force_advance(Ctx& c, TcpStreamState& s, int dir, uint32_t target) {
    if (s.fin_seen) target = seq_min(target, s.fin_seq);
    while (!s.depth_reached && !s.ended && seq_lt(s.next_seq, target)) {
      TcpSegment* w = s.first_waiting;
      if (w != nullptr && seq_leq(w->seq, s.next_seq)) {
        const uint32_t before = s.next_seq;
        deliver_contiguous(c, s, dir);
        if (s.next_seq == before) break;
        continue;
      }
      const uint32_t hole_end = (w != nullptr && seq_lt(w->seq, target)) ? w->seq : target;
      emit_gap(c, s, dir, hole_end - s.next_seq);
    }
    if (s.depth_reached && seq_lt(s.next_seq, target)) s.next_seq = target;
    maybe_end(c, s, dir);
  }

  // Whatever is still waiting goes out (gaps between), then the end.
  void finish_direction(Ctx& c, TcpStreamState& s, int dir) {
    if (s.ended) return;
    while (!s.depth_reached && s.first_waiting != nullptr && !beyond_fin(s, s.next_seq)) {
      const uint32_t before = s.next_seq;
      const uint32_t waiting = s.waiting;
      skip_hole(c, s, dir);
      if (s.next_seq == before && s.waiting == waiting) break;
    }
    if (s.fin_seen && !s.depth_reached && seq_lt(s.next_seq, s.fin_seq))
      emit_gap(c, s, dir, s.fin_seq - s.next_seq);
    end_direction(c, s, dir);
  }

  // Delivered segments are kept until acknowledged, within the segment limit.
  void prune_retained(TcpStreamState& s, bool all) {
    while (s.head != nullptr && s.head->delivered &&
           (all || seq_leq(s.head->end(), s.last_ack) ||
            s.retained > config.max_waiting_segments)) {
      TcpSegment* seg = s.head;
      s.head = seg->next;
      if (s.head != nullptr) s.head->prev = nullptr;
      else s.tail = nullptr;
      --s.retained;
      store.release(seg);
    }
  }

  TcpSegment* store_segment(TcpSession& ss, uint32_t seq, const uint8_t* data, uint32_t len) {
    TcpSegment* seg = store.create(seq, data, len);
    if (seg == nullptr) {
      // Memory pressure: delivered data of this session goes first.
      prune_retained(ss.stream[0], true);
      prune_retained(ss.stream[1], true);
      seg = store.create(seq, data, len);
    }
    if (seg == nullptr) counters.add(kReassemblyMemcap);
    return seg;
  }

  void link_after(TcpStreamState& s, TcpSegment* pos, TcpSegment* seg) {
    seg->prev = pos;
    seg->next = pos != nullptr ? pos->next : s.head;
    if (seg->next != nullptr) seg->next->prev = seg;
    else s.tail = seg;
    if (pos != nullptr) pos->next = seg;
    else s.head = seg;
  }

  // Bytes already delivered are compared with what was kept of them.
  void check_delivered(Ctx& c, TcpStreamState& s, uint32_t seq, const uint8_t* data,
                       uint32_t len) {
    const uint32_t end = seq + len;
    const uint32_t base = (s.head != nullptr && s.head->delivered) ? s.head->seq : s.next_seq;
    if (seq_leq(end, base)) {
      raise(c, StreamEvent::kReassemblySegmentBeforeBaseSeq);
      return;
    }
    bool overlapped = false, different = false;
    for (TcpSegment* t = s.head; t != nullptr && t->delivered; t = t->next) {
      if (seq_geq(t->seq, end)) break;
      if (seq_leq(t->end(), seq)) continue;
      const uint32_t from = seq_max(seq, t->seq), to = seq_min(end, t->end());
      overlapped = true;
      if (!SegmentStore::equal(*t, from - t->seq, data + (from - seq), to - from))
        different = true;
    }
    if (overlapped) counters.add(kOverlap);
    if (different) {
      raise(c, StreamEvent::kReassemblyOverlapDifferentData);
      counters.add(kOverlapDiffData);
    }
  }

  // Applies the overlap policy between a new segment and one stored waiting
  // segment t; returns true when their shared bytes differ.
  bool resolve_overlap(TcpSegment& n, uint32_t n_seq_orig, const uint8_t* data,
                       const TcpSegment& t) {
    const uint32_t from = seq_max(n.seq, t.seq), to = seq_min(n.end(), t.end());
    if (seq_leq(to, from)) return false;
    if (SegmentStore::equal(t, from - t.seq, data + (from - n.seq), to - from)) return false;
    if (!new_data_wins(config.policy, n_seq_orig, n.end(), t.seq, t.end()))
      SegmentStore::copy(t, from - t.seq, n, from - n.seq, to - from);
    return true;
  }

  // Calls fn(t) for every waiting segment overlapping `anchor` the way
  // Suricata walks its tree: backwards until a segment ends at or before the
  // anchor's start, forwards while segments start before its end.
  template <typename Fn>
  void for_each_overlap(TcpSegment& anchor, Fn&& fn) {
    for (TcpSegment* t = anchor.prev; t != nullptr && !t->delivered; t = t->prev) {
      if (seq_leq(t->end(), anchor.seq)) break;
      fn(*t);
    }
    for (TcpSegment* t = anchor.next; t != nullptr; t = t->next) {
      if (seq_geq(t->seq, anchor.end())) break;
      fn(*t);
    }
  }

  // Stores an out-of-order (or overlapping) segment among the waiting ones.
  // False when it could not be stored (memcap).
  bool insert_waiting(Ctx& c, TcpSession& ss, TcpStreamState& s, uint32_t seq_orig,
                      uint32_t seq, const uint8_t* data, uint32_t len) {
    TcpSegment* n = store_segment(ss, seq, data, len);
    if (n == nullptr) return false;
    // Position: after the last segment ordered before (seq, len).
    TcpSegment* pos = s.tail;
    while (pos != nullptr && !pos->delivered &&
           (seq_gt(pos->seq, seq) || (pos->seq == seq && pos->len > len)))
      pos = pos->prev;
    TcpSegment* dup =
        (pos != nullptr && !pos->delivered && pos->seq == seq && pos->len == len) ? pos : nullptr;

    bool overlapped = false, different = false;
    if (dup != nullptr) {
      // An exact duplicate is not stored twice; it is resolved against the copy.
      overlapped = true;
      different |= resolve_overlap(*n, seq_orig, data, *dup);
      // The duplicate's neighbours are checked with the new bytes.
      n->prev = dup->prev;
      n->next = dup->next;
      for_each_overlap(*n, [&](TcpSegment& t) {
        different |= resolve_overlap(*n, seq_orig, data, t);
      });
      SegmentStore::copy(*n, 0, *dup, 0, len);
      for_each_overlap(*n, [&](TcpSegment& t) {
        const uint32_t from = seq_max(n->seq, t.seq), to = seq_min(n->end(), t.end());
        SegmentStore::copy(*n, from - n->seq, t, from - t.seq, to - from);
      });
      store.release(n);
    } else {
      link_after(s, pos, n);
      ++s.waiting;
      if (pos == nullptr || pos->delivered) s.first_waiting = n;
      for_each_overlap(*n, [&](TcpSegment& t) {
        overlapped = true;
        different |= resolve_overlap(*n, seq_orig, data, t);
      });
      // One copy of the stream: stored neighbours now hold the winning bytes too.
      if (overlapped) {
        for_each_overlap(*n, [&](TcpSegment& t) {
          const uint32_t from = seq_max(n->seq, t.seq), to = seq_min(n->end(), t.end());
          SegmentStore::copy(*n, from - n->seq, t, from - t.seq, to - from);
        });
      }
    }
    if (overlapped) counters.add(kOverlap);
    if (different) {
      raise(c, StreamEvent::kReassemblyOverlapDifferentData);
      counters.add(kOverlapDiffData);
    }
    return true;
  }

  // Payload of a packet accepted for direction `dir`.
  void handle_data(Ctx& c, TcpSession& ss, int dir, uint32_t seq, const uint8_t* data,
                   uint32_t len) {
    TcpStreamState& s = ss.stream[dir];
    if (len == 0 || data == nullptr || s.ended) return;
    const uint32_t seq_orig = seq;
    uint32_t end = seq + len;
    if (s.fin_seen) {
      if (seq_geq(seq, s.fin_seq)) return;  // data after the FIN is not part of the stream
      end = seq_min(end, s.fin_seq);
    }
    if (s.depth_reached) {
      if (seq_leq(seq, s.next_seq) && seq_gt(end, s.next_seq)) s.next_seq = end;
      return;
    }
    if (seq_lt(seq, s.next_seq)) {
      const uint32_t upto = seq_min(end, s.next_seq);
      check_delivered(c, s, seq, data, upto - seq);
    }
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (s.ended || s.depth_reached || seq_geq(s.next_seq, end)) return;
      if (seq_lt(seq, s.next_seq)) {
        data += s.next_seq - seq;
        seq = s.next_seq;
      }
      len = end - seq;
      // In order and clear of waiting data: straight to the sink from the packet.
      if (seq == s.next_seq &&
          (s.first_waiting == nullptr || seq_geq(s.first_waiting->seq, end))) {
        TcpSegment* copy = store_segment(ss, seq, data, len);
        if (copy != nullptr) {
          copy->delivered = true;
          link_after(s, s.first_waiting != nullptr ? s.first_waiting->prev : s.tail, copy);
          ++s.retained;
        }
        if (c.p != nullptr) c.p->stream_added = true;
        if (emit_data(c, s, dir, data, len)) deliver_contiguous(c, s, dir);
        maybe_end(c, s, dir);
        return;
      }
      if (s.waiting < config.max_waiting_segments || s.first_waiting == nullptr) break;
      // Too many segments waiting: the oldest holes become gaps.
      while (s.waiting >= config.max_waiting_segments && s.first_waiting != nullptr &&
             !s.depth_reached && !s.ended) {
        const uint32_t before = s.waiting;
        skip_hole(c, s, dir);
        if (s.waiting == before) break;
      }
    }
    if (s.ended || s.depth_reached || seq_geq(s.next_seq, end)) return;
    if (s.waiting >= config.max_waiting_segments ||
        !insert_waiting(c, ss, s, seq_orig, seq, data, len)) {
      // Not stored: the direction continues with a gap up to this segment.
      force_advance(c, s, dir, seq);
      if (s.depth_reached || s.ended || seq_geq(s.next_seq, end)) return;
      const uint32_t skip = s.next_seq - seq;
      if (c.p != nullptr) c.p->stream_added = true;
      if (emit_data(c, s, dir, data + skip, end - s.next_seq)) deliver_contiguous(c, s, dir);
      maybe_end(c, s, dir);
      return;
    }
    if (c.p != nullptr) c.p->stream_added = true;
    deliver_contiguous(c, s, dir);
  }

  // Waiting segments at or after the FIN can never be delivered.
  void drop_after_fin(TcpStreamState& s) {
    TcpSegment* t = s.tail;
    while (t != nullptr && !t->delivered && seq_geq(t->seq, s.fin_seq)) {
      TcpSegment* prev = t->prev;
      if (prev != nullptr) prev->next = nullptr;
      else s.head = nullptr;
      s.tail = prev;
      --s.waiting;
      store.release(t);
      t = prev;
    }
    if (s.waiting == 0) s.first_waiting = nullptr;
  }

  // A hole whose bytes the receiver has acknowledged will not be
  // retransmitted: it becomes a gap (capture loss).
  void flush_acked(Ctx& c, TcpStreamState& s, int dir) {
    if (s.ended) return;
    if (s.depth_reached) {
      if (seq_gt(s.last_ack, s.next_seq)) s.next_seq = s.last_ack;
      return;
    }
    while (s.first_waiting != nullptr && seq_gt(s.first_waiting->seq, s.next_seq) &&
           seq_leq(s.first_waiting->seq, s.last_ack) && !s.depth_reached && !s.ended) {
      const uint32_t before = s.next_seq;
      skip_hole(c, s, dir);
      if (s.next_seq == before) break;
    }
    prune_retained(s, false);
  }

  // ---- TCP state ----
  // Suricata's StreamTcpValidateAck: the ACK of a packet against the stream it acknowledges.
  bool ack_valid(const TcpSession& ss, const TcpStreamState& r, uint32_t ack) const {
    const uint32_t next_win = r.last_ack + r.window;
    if (seq_gt(ack, r.last_ack) && seq_leq(ack, next_win)) return true;
    if (ack == r.last_ack) return true;
    if (seq_lt(ack, r.last_ack)) return !(r.window != 0 && seq_lt(ack, r.last_ack - r.window));
    return ss.async;
  }

  void close_session(Ctx& c, TcpSession& ss) {
    ss.state = SessionState::kClosed;
    finish_direction(c, ss.stream[0], 0);
    finish_direction(c, ss.stream[1], 1);
  }

  uint32_t scaled_window(const TcpSession& ss, const TcpStreamState& sender, const Packet& p) {
    return static_cast<uint32_t>(p.tcp_window) << (ss.wscale_ok ? sender.adv_shift : 0);
  }

  // Picks up a session without its handshake (stream.midstream) from packet p.
  void pickup_midstream(TcpSession& ss, const Packet& p, int dir) {
    ss.state = SessionState::kEstablished;
    ss.midstream = true;
    ss.async = config.async_oneside;
    ss.initiator = static_cast<uint8_t>(dir);
    ss.wscale_ok = true;
    TcpStreamState& s = ss.stream[dir];
    TcpStreamState& r = ss.stream[1 - dir];
    s.adv_shift = r.adv_shift = kMaxWscale;  // unknown: assume the largest (as Suricata)
    s.isn = p.tcp_seq - 1;
    s.next_seq = s.last_ack = p.tcp_seq;
    s.window = static_cast<uint32_t>(p.tcp_window) << kMaxWscale;
    r.isn = p.tcp_ack - 1;
    r.next_seq = r.last_ack = p.tcp_ack;
    r.window = static_cast<uint32_t>(p.tcp_window) << kMaxWscale;
  }

  enum class Next : uint8_t { kStop, kEstablished };

  Next state_none(Ctx& c, Packet& p, int dir) {
    const uint8_t f = p.tcp_flags;
    if (f & tcp_flag::kRst) {
      raise(c, StreamEvent::kRstButNoSession);
      return Next::kStop;
    }
    if ((f & tcp_flag::kFin) && (!config.midstream || p.payload_len == 0)) {
      raise(c, StreamEvent::kFinButNoSession);
      return Next::kStop;
    }
    if ((f & (tcp_flag::kSyn | tcp_flag::kAck)) == (tcp_flag::kSyn | tcp_flag::kAck)) {
      if (!config.midstream && !config.async_oneside) return Next::kStop;
      TcpSession* ss = new_session(p);
      if (ss == nullptr) return Next::kStop;
      // The SYN/ACK's receiver is the client.
      const int client = 1 - dir;
      ss->state = SessionState::kSynRecv;
      ss->midstream = ss->midstream_synack = true;
      ss->async = config.async_oneside;
      ss->initiator = static_cast<uint8_t>(client);
      TcpStreamState& srv = ss->stream[dir];
      TcpStreamState& cli = ss->stream[client];
      srv.isn = p.tcp_seq;
      srv.next_seq = srv.last_ack = p.tcp_seq + 1;
      cli.isn = p.tcp_ack - 1;
      cli.next_seq = cli.last_ack = p.tcp_ack;
      cli.window = p.tcp_window;
      const int ws = parse_wscale(p);
      if (ws >= 0) {
        ss->wscale_ok = true;
        srv.adv_shift = static_cast<uint8_t>(ws);
        cli.adv_shift = kMaxWscale;
      }
      return Next::kStop;
    }
    if (f & tcp_flag::kSyn) {
      TcpSession* ss = new_session(p);
      if (ss == nullptr) return Next::kStop;
      ss->state = SessionState::kSynSent;
      ss->initiator = static_cast<uint8_t>(dir);
      ss->async = config.async_oneside;
      TcpStreamState& cli = ss->stream[dir];
      TcpStreamState& srv = ss->stream[1 - dir];
      cli.isn = p.tcp_seq;
      cli.next_seq = cli.last_ack = p.tcp_seq + 1;
      srv.window = p.tcp_window;  // SYN windows are never scaled
      const int ws = parse_wscale(p);
      if (ws >= 0) {
        cli.wscale_offered = true;
        cli.adv_shift = static_cast<uint8_t>(ws);
      }
      uint32_t tsecr = 0;
      cli.has_ts = parse_timestamp(p, cli.last_ts, tsecr);
      if (has_tfo_option(p)) {
        // TCP Fast Open: the SYN's data starts the client's stream (a SYN
        // without the option has its data ignored, as by the receiver).
        ss->tfo = true;
        const uint32_t len = p.payload != nullptr ? p.payload_len : 0;
        if (len > 0) handle_data(c, *ss, dir, p.tcp_seq + 1, p.payload, len);
      }
      return Next::kStop;
    }
    if ((f & tcp_flag::kAck) && config.midstream) {
      TcpSession* ss = new_session(p);
      if (ss == nullptr) return Next::kStop;
      pickup_midstream(*ss, p, dir);
      return Next::kEstablished;
    }
    return Next::kStop;
  }

  // Suricata's StateSynSentValidateTimestamp: an answer to the SYN must echo
  // the SYN's TSval (or nothing when the SYN had no timestamp).
  static bool synsent_timestamp_ok(const TcpStreamState& cli, const Packet& p) {
    uint32_t tsval = 0, tsecr = 0;
    if (!parse_timestamp(p, tsval, tsecr)) return true;
    if (cli.has_ts) return cli.last_ts == 0 || tsecr == 0 || tsecr == cli.last_ts;
    return tsecr == 0;
  }

  // The SYN/ACK echoes the TSval of an earlier SYN (resent with another one).
  static bool answers_queued_syn(const TcpSession& ss, const Packet& p) {
    uint32_t tsval = 0, tsecr = 0;
    if (!parse_timestamp(p, tsval, tsecr)) return false;
    for (uint8_t k = 0; k < ss.queued_syn_ts_count; ++k)
      if (ss.queued_syn_ts[k] == tsecr) return true;
    return false;
  }

  Next state_syn_sent(Ctx& c, TcpSession& ss, Packet& p, int dir) {
    const uint8_t f = p.tcp_flags;
    const int i = ss.initiator, r = 1 - i;
    TcpStreamState& cli = ss.stream[i];
    TcpStreamState& srv = ss.stream[r];
    const bool synack = (f & (tcp_flag::kSyn | tcp_flag::kAck)) == (tcp_flag::kSyn | tcp_flag::kAck);
    // Answers from the server (not the 4WHS SYN/ACK of the client) whose
    // timestamp echo is wrong are not believed (checked after the ACK of a SYN/ACK).
    const bool ts_ok = dir == i || synsent_timestamp_ok(cli, p);
    if (!ts_ok && !synack) {
      raise(c, StreamEvent::kPktInvalidTimestamp);
      return Next::kStop;
    }
    if ((f & (tcp_flag::kSyn | tcp_flag::kAck)) == (tcp_flag::kSyn | tcp_flag::kAck)) {
      if (ss.four_whs && dir == i) {
        // The client's SYN/ACK acknowledges the server's SYN and repeats its own.
        if (p.tcp_ack != srv.isn + 1) {
          raise(c, StreamEvent::k4whsSynackWithWrongAck);
          return Next::kStop;
        }
        if (p.tcp_seq != cli.isn) {
          raise(c, StreamEvent::k4whsSynackWithWrongSyn);
          return Next::kStop;
        }
        ss.state = SessionState::kSynRecv;
        srv.last_ack = p.tcp_ack;
        srv.window = p.tcp_window;
        cli.adv_shift = srv.adv_shift = 0;
        return Next::kStop;
      }
      if (dir == i) {
        raise(c, StreamEvent::k3whsSynackInWrongDirection);
        return Next::kStop;
      }
      if (ss.tfo || has_tfo_option(p)) {
        // Fast Open: the SYN/ACK acknowledges the SYN's data, or only the
        // SYN when the server ignored that data (the client sends it again;
        // what was delivered stays, a resend is checked against it).
        if (p.tcp_ack == cli.isn + 1 && cli.next_seq != cli.isn + 1) {
          raise(c, StreamEvent::k3whsSynackTfoDataIgnored);
        } else if (p.tcp_ack != cli.next_seq) {
          raise(c, StreamEvent::k3whsSynackWithWrongAck);
          return Next::kStop;
        }
        ss.tfo = true;
      } else if (p.tcp_ack != cli.isn + 1) {
        raise(c, StreamEvent::k3whsSynackWithWrongAck);
        return Next::kStop;
      }
      if (!ts_ok && !answers_queued_syn(ss, p)) {
        raise(c, StreamEvent::kPktInvalidTimestamp);
        return Next::kStop;
      }
      ss.state = SessionState::kSynRecv;
      srv.isn = p.tcp_seq;
      srv.next_seq = srv.last_ack = p.tcp_seq + 1;
      cli.last_ack = p.tcp_ack;
      cli.window = p.tcp_window;  // unscaled in a SYN/ACK
      const int ws = parse_wscale(p);
      if (cli.wscale_offered && ws >= 0) {
        ss.wscale_ok = true;
        srv.adv_shift = static_cast<uint8_t>(ws);
      } else {
        cli.adv_shift = srv.adv_shift = 0;
      }
      return Next::kStop;
    }
    if (f & tcp_flag::kRst) {
      if ((f & tcp_flag::kAck) && dir == r && p.tcp_ack != cli.isn + 1) {
        raise(c, StreamEvent::kRstInvalidAck);
        return Next::kStop;
      }
      // A RST from the client only aborts its own SYN as a stack would send
      // it (Suricata: seq = ISN, ack = ISN + 1, window 0); others are ignored.
      if (dir == i &&
          !(p.tcp_seq == cli.isn && p.tcp_ack == cli.isn + 1 && p.tcp_window == 0)) {
        return Next::kStop;
      }
      close_session(c, ss);
      return Next::kStop;
    }
    if (f & tcp_flag::kSyn) {
      if (dir == i) {
        // SYN resent (maybe with a new ISN): the latest one is most likely right.
        cli.isn = p.tcp_seq;
        cli.next_seq = cli.last_ack = p.tcp_seq + 1;
        srv.window = p.tcp_window;
        const bool had_ts = cli.has_ts;
        const uint32_t old_ts = cli.last_ts;
        uint32_t tsecr = 0;
        cli.has_ts = parse_timestamp(p, cli.last_ts, tsecr);
        if (!cli.has_ts) cli.last_ts = 0;
        if (had_ts && (!cli.has_ts || cli.last_ts != old_ts) &&
            ss.queued_syn_ts_count < ss.queued_syn_ts.size()) {
          ss.queued_syn_ts[ss.queued_syn_ts_count++] = old_ts;
        }
      } else {
        // The server sends a SYN of its own: split handshake.
        ss.four_whs = true;
        srv.isn = p.tcp_seq;
        srv.next_seq = srv.last_ack = p.tcp_seq + 1;
        cli.window = p.tcp_window;
      }
      return Next::kStop;
    }
    if ((f & tcp_flag::kAck) && dir == i && config.async_oneside) {
      // Only the client side is visible: no SYN/ACK will ever be seen.
      if (p.tcp_seq != cli.next_seq) {
        raise(c, StreamEvent::k3whsAsyncWrongSeq);
        return Next::kStop;
      }
      ss.async = true;
      ss.state = SessionState::kEstablished;
      cli.last_ack = p.tcp_seq;
      cli.window = p.tcp_window;
      srv.isn = p.tcp_ack - 1;
      srv.next_seq = srv.last_ack = p.tcp_ack;
      if (cli.wscale_offered) {
        ss.wscale_ok = true;
        srv.adv_shift = kMaxWscale;
      }
      return Next::kEstablished;
    }
    return Next::kStop;
  }

  Next state_syn_recv(Ctx& c, TcpSession& ss, Packet& p, int dir) {
    const uint8_t f = p.tcp_flags;
    const int i = ss.initiator, r = 1 - i;
    TcpStreamState& cli = ss.stream[i];
    TcpStreamState& srv = ss.stream[r];
    if (f & (tcp_flag::kRst | tcp_flag::kFin)) return Next::kEstablished;  // as in ESTABLISHED
    if ((f & (tcp_flag::kSyn | tcp_flag::kAck)) == (tcp_flag::kSyn | tcp_flag::kAck)) {
      if (dir == i) {
        raise(c, StreamEvent::k3whsSynackToserverOnSynRecv);
      } else if (p.tcp_ack != cli.last_ack) {
        raise(c, StreamEvent::k3whsSynackResendWithDifferentAck);
      } else if (p.tcp_seq != srv.isn) {
        raise(c, StreamEvent::k3whsSynackResendWithDiffSeq);
      }
      return Next::kStop;
    }
    if (f & tcp_flag::kSyn) {
      if (dir == r) raise(c, StreamEvent::k3whsSynToclientOnSynRecv);
      else if (p.tcp_seq != cli.isn) raise(c, StreamEvent::k3whsSynResendDiffSeqOnSynRecv);
      return Next::kStop;
    }
    if (!(f & tcp_flag::kAck)) return Next::kStop;
    if (ss.four_whs && dir == r) {
      // Split handshake: the server's ACK of the client's SYN/ACK completes it.
      if (p.tcp_seq != srv.next_seq) {
        raise(c, StreamEvent::k4whsWrongSeq);
        return Next::kStop;
      }
      if (p.tcp_ack != cli.next_seq) {
        raise(c, StreamEvent::k4whsInvalidAck);
        return Next::kStop;
      }
      ss.state = SessionState::kEstablished;
      cli.last_ack = p.tcp_ack;
      return Next::kEstablished;
    }
    if (dir == r && !ss.midstream_synack) {
      // The server talks before the handshake's ACK was seen. Suricata (IDS
      // mode) assumes that ACK was lost; the event still flags it, except
      // with Fast Open, where the server answers the SYN's data at once.
      if (!ss.tfo) raise(c, StreamEvent::k3whsAckInWrongDir);
      ss.state = SessionState::kEstablished;
      return Next::kEstablished;
    }
    if (dir == r) {
      // Midstream SYN/ACK pickup: the side we called server is sending.
      ss.state = SessionState::kEstablished;
      return Next::kEstablished;
    }
    // (After ignored Fast Open data, the client sends it again from ISN + 1.)
    if (p.tcp_seq != cli.next_seq && !(ss.tfo && p.tcp_seq == cli.isn + 1)) {
      raise(c, StreamEvent::k3whsWrongSeqWrongAck);
      return Next::kStop;
    }
    if (p.tcp_ack != srv.next_seq) {
      raise(c, StreamEvent::k3whsRightSeqWrongAckEvasion);
      return Next::kStop;
    }
    ss.state = SessionState::kEstablished;
    srv.last_ack = p.tcp_ack;
    return Next::kEstablished;
  }

  void state_established(Ctx& c, TcpSession& ss, Packet& p, int dir) {
    const uint8_t f = p.tcp_flags;
    const int i = ss.initiator;
    TcpStreamState& s = ss.stream[dir];
    TcpStreamState& r = ss.stream[1 - dir];

    if ((f & (tcp_flag::kSyn | tcp_flag::kAck)) == (tcp_flag::kSyn | tcp_flag::kAck)) {
      if (dir == i) raise(c, StreamEvent::kEstSynackToserver);
      else if (p.tcp_seq != s.isn) raise(c, StreamEvent::kEstSynackResendWithDiffSeq);
      else if (p.tcp_ack != r.isn + 1) raise(c, StreamEvent::kEstSynackResendWithDifferentAck);
      else raise(c, StreamEvent::kEstSynackResend);
      return;
    }
    if (f & tcp_flag::kSyn) {
      if (dir != i) raise(c, StreamEvent::kEstSynToclient);
      else if (p.tcp_seq != s.isn) raise(c, StreamEvent::kEstSynResendDiffSeq);
      else raise(c, StreamEvent::kEstSynResend);
      return;
    }
    if (f & tcp_flag::kRst) {
      if ((f & tcp_flag::kAck) && !ack_valid(ss, r, p.tcp_ack)) {
        raise(c, StreamEvent::kRstInvalidAck);
        return;
      }
      // A RST must fall inside what the sender may send to be believed.
      const uint32_t w = std::max<uint32_t>(s.window, 65535);
      if (!ss.async && (seq_lt(p.tcp_seq, s.last_ack - w) ||
                        seq_gt(p.tcp_seq, seq_max(s.next_seq, s.last_ack) + w))) {
        return;
      }
      close_session(c, ss);
      return;
    }
    if ((f & tcp_flag::kAck) && !ack_valid(ss, r, p.tcp_ack)) {
      raise(c, StreamEvent::kPktInvalidAck);
      return;
    }
    const uint32_t len = p.payload != nullptr ? p.payload_len : 0;
    const uint32_t next_win = s.last_ack + s.window;
    if ((f & tcp_flag::kFin) && !s.fin_seen && !s.ended) {
      if (seq_lt(p.tcp_seq, s.next_seq) || (!ss.async && seq_gt(p.tcp_seq, next_win))) {
        raise(c, StreamEvent::kFinOutOfWindow);
        return;
      }
    }
    if (len > 0 && !ss.async && seq_gt(p.tcp_seq + len, next_win)) {
      const bool zero_window_probe = s.window == 0 && len == 1 && p.tcp_seq == s.next_seq;
      if (!zero_window_probe) {
        raise(c, StreamEvent::kEstPacketOutOfWindow);
        return;
      }
    }
    // Accepted: ACK and window of the other direction.
    if ((f & tcp_flag::kAck) && seq_gt(p.tcp_ack, r.last_ack)) r.last_ack = p.tcp_ack;
    r.window = scaled_window(ss, s, p);

    if (len > 0 && !s.ended &&
        (seq_leq(p.tcp_seq + len, s.next_seq) ||
         (seq_lt(p.tcp_seq, s.last_ack) && seq_gt(p.tcp_seq + len, s.last_ack)))) {
      raise(c, StreamEvent::kPktRetransmission);
      counters.add(kRetransmission);
    }
    handle_data(c, ss, dir, p.tcp_seq, p.payload, len);
    if ((f & tcp_flag::kFin) && !s.fin_seen && !s.ended) {
      s.fin_seen = true;
      s.fin_seq = p.tcp_seq + len;
      drop_after_fin(s);
      maybe_end(c, s, dir);
    }
    flush_acked(c, r, 1 - dir);
    flush_acked(c, s, dir);
    maybe_end(c, r, 1 - dir);
    if (s.ended && r.ended) ss.state = SessionState::kClosed;
  }
};

TcpReassembler::TcpReassembler(const StreamConfig& config, ThreadCounters& counters)
    : impl_(std::make_unique<Impl>(config, counters)) {}

TcpReassembler::~TcpReassembler() = default;

void TcpReassembler::handle_packet(Packet& p, StreamSink& sink) {
  Impl& m = *impl_;
  m.raw_packet = nullptr;
  if (p.flow == nullptr || !p.is_tcp()) return;
  track(p, sink);
  const EventCounters& ec = event_counters();
  for (uint8_t k = 0; k < p.stream_event_count; ++k) {
    const uint8_t e = p.stream_events[k];
    if (e < kStreamEventCount && ec.registered[e]) m.counters.add(ec.counters[e]);
  }
  m.update_pressure();
  if (m.raw_packet == &p && p.flow->tcp != nullptr) m.raw_keep_lookback(*p.flow->tcp);
}

RawStreamChunk TcpReassembler::raw_chunk(const Packet& p) const {
  const Impl& m = *impl_;
  if (m.raw_packet != &p) return {};
  return {ByteView(m.raw_buf.data(), m.raw_buf.size()), m.raw_new_offset, m.raw_base};
}

void TcpReassembler::track(Packet& p, StreamSink& sink) {
  Impl& m = *impl_;
  Impl::Ctx c{*p.flow, &p, sink};
  const int dir = p.to_server ? 0 : 1;
  TcpSession* ss = p.flow->tcp;
  if (ss == nullptr) {
    if (m.state_none(c, p, dir) == Impl::Next::kStop) return;
    ss = p.flow->tcp;
    if (ss == nullptr) return;
    m.state_established(c, *ss, p, dir);
    return;
  }
  Impl::Next next = Impl::Next::kEstablished;
  switch (ss->state) {
    case SessionState::kSynSent: next = m.state_syn_sent(c, *ss, p, dir); break;
    case SessionState::kSynRecv: next = m.state_syn_recv(c, *ss, p, dir); break;
    case SessionState::kEstablished: break;
    case SessionState::kClosed: return;  // TCP port reuse is not tracked
  }
  if (next == Impl::Next::kEstablished && ss->state != SessionState::kClosed)
    m.state_established(c, *ss, p, dir);
}

void TcpReassembler::end_flow(Flow& flow, StreamSink& sink) {
  TcpSession* ss = flow.tcp;
  if (ss == nullptr) return;
  Impl& m = *impl_;
  m.raw_packet = nullptr;
  Impl::Ctx c{flow, nullptr, sink};
  m.finish_direction(c, ss->stream[0], 0);
  m.finish_direction(c, ss->stream[1], 1);
  m.release_segments(ss->stream[0]);
  m.release_segments(ss->stream[1]);
  m.release_raw(ss->stream[0], 0);
  m.release_raw(ss->stream[1], 1);
  m.sessions.put(ss);
  flow.tcp = nullptr;
}

bool stream_size(const Flow& flow, StreamDirection dir, uint32_t& out) {
  if (flow.tcp == nullptr) return false;
  const TcpStreamState& s = flow.tcp->stream[static_cast<int>(dir)];
  out = s.next_seq - s.isn;
  return true;
}

uint64_t TcpReassembler::reassembly_memuse() const { return impl_->store.memuse(); }

uint64_t TcpReassembler::sessions_in_use() const { return impl_->sessions.in_use(); }

}  // namespace seawall::stream
