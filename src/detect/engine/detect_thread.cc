// DetectThread::inspect: group -> prefilter -> verify -> post-rule, per packet.
// No allocation and no exceptions on this path: every buffer it uses is
// sized when the thread is created.
#include "detect/engine/detect_engine.h"

#include <algorithm>

#include "detect/buffers/buffer_registry.h"
#include "detect/engine/detect_engine_impl.h"
#include "detect/engine/inspect.h"
#include "detect/keywords/flow/tag.h"
#include "flow/flow.h"

namespace seawall::detect {
namespace {

const Counter kAlerts = register_counter({"detect.alert", "Alerts raised (after thresholds)"});
const Counter kQueueOverflow = register_counter(
    {"detect.alert_queue_overflow", "Alerts dropped because the packet alert queue was full"});
const Counter kSuppressed = register_counter(
    {"detect.alerts_suppressed", "Alerts not raised because of suppress/threshold settings"});
const Counter kPrefilterCandidates = register_counter(
    {"detect.prefilter_candidates", "Rules selected for verification by the prefilter stage"});
const Counter kRulesMatched =
    register_counter({"detect.rules_matched", "Rules whose conditions all matched"});
const Counter kMpmScanErrors =
    register_counter({"detect.mpm_scan_errors", "Vectorscan scans that returned an error"});
const Counter kFlowStateExhausted = register_counter(
    {"detect.flow_state_exhausted",
     "Flowbit/flowint writes dropped because the flow state pool was exhausted"});

constexpr size_t kFlowStateChunk = 1024;
constexpr size_t kMaxFlowStates = size_t{1} << 20;

bool proto_matches(const Rule& r, const Packet& p) {
  switch (r.header.proto) {
    case RuleProto::kIp: return true;
    case RuleProto::kTcp:
    case RuleProto::kTcpPkt:
    case RuleProto::kTcpStream: return p.ip_proto == 6;
    case RuleProto::kUdp: return p.ip_proto == 17;
    case RuleProto::kIcmp: return p.ip_proto == 1 || p.ip_proto == 58;
    case RuleProto::kSctp: return p.ip_proto == 132;
    case RuleProto::kApp: return p.ip_proto == 6 || p.ip_proto == 17;
  }
  return false;
}

bool port_matches(const PortSet& set, bool has_ports, uint16_t port) {
  if (set.any && set.exclude.empty()) return true;
  return has_ports && set.contains(port);
}

bool header_matches(const Rule& r, const Packet& p) {
  const RuleHeader& h = r.header;
  auto one_way = [&](const IpAddress& src, const IpAddress& dst, uint16_t sport, uint16_t dport) {
    return port_matches(h.sport, p.has_ports, sport) && port_matches(h.dport, p.has_ports, dport) &&
           h.src.contains(src) && h.dst.contains(dst);
  };
  if (one_way(p.src, p.dst, p.sport, p.dport)) return true;
  return h.bidirectional && one_way(p.dst, p.src, p.dport, p.sport);
}

bool suppressed_by(const Suppression& s, const Packet& p) {
  switch (s.track) {
    case Suppression::Track::kNone: return true;
    case Suppression::Track::kBySrc: return s.addresses.contains(p.src);
    case Suppression::Track::kByDst: return s.addresses.contains(p.dst);
    case Suppression::Track::kByEither:
      return s.addresses.contains(p.src) || s.addresses.contains(p.dst);
  }
  return false;
}

}  // namespace

// ---- flow state pool ----

FlowStatePool::FlowStatePool(uint32_t flowbit_count, uint32_t flowint_count, size_t max_states)
    : flowbit_count_(flowbit_count), flowint_count_(flowint_count), max_states_(max_states) {}

PooledFlowState* FlowStatePool::acquire() {
  if (free_.empty()) {
    if (in_use_ >= max_states_) return nullptr;
    // Amortised growth: one chunk per kFlowStateChunk new concurrent flows.
    auto& chunk = chunks_.emplace_back();
    chunk.reserve(kFlowStateChunk);
    for (size_t i = 0; i < kFlowStateChunk; ++i) chunk.emplace_back(flowbit_count_, flowint_count_);
    free_.reserve(chunks_.size() * kFlowStateChunk);
    for (auto it = chunk.rbegin(); it != chunk.rend(); ++it) free_.push_back(&*it);
  }
  PooledFlowState* s = free_.back();
  free_.pop_back();
  ++in_use_;
  return s;
}

PooledFlowState* FlowStatePool::owned(FlowDetectState* state) const {
  if (state == nullptr) return nullptr;
  std::less<const FlowDetectState*> before;
  for (const auto& chunk : chunks_) {
    const FlowDetectState* first = chunk.data();
    const FlowDetectState* last = chunk.data() + (chunk.size() - 1);
    if (!before(state, first) && !before(last, state)) return static_cast<PooledFlowState*>(state);
  }
  return nullptr;
}

bool FlowStatePool::release(FlowDetectState* state) {
  PooledFlowState* s = owned(state);
  if (s == nullptr) return false;
  s->reset();
  free_.push_back(s);  // capacity reserved in acquire(): no allocation
  --in_use_;
  return true;
}

FlowDetectState* ensure_flow_state(const MatchContext& ctx) {
  if (ctx.flow == nullptr) return nullptr;
  if (ctx.flow->detect != nullptr) return ctx.flow->detect;
  DetectThread::Impl& t = ctx.thread.impl();
  PooledFlowState* s = t.flow_states.acquire();
  if (s == nullptr) {
    t.counters.add(kFlowStateExhausted);
    return nullptr;
  }
  ctx.flow->detect = s;
  return s;
}

// ---- DetectThread ----

DetectThread::Impl::Impl(const DetectEngine::Impl& e, ThreadCounters& c)
    : engine(e),
      counters(c),
      scratch(e.scratch_prototype.clone()),
      byte_vars(std::max<uint32_t>(e.max_byte_vars, 1), 0),
      flow_states(e.flowbit_count, e.flowint_count, kMaxFlowStates) {
  candidates.resize(e.rules.size());
}

DetectThread::DetectThread(const DetectEngine& engine, ThreadCounters& counters)
    : impl_(std::make_unique<Impl>(engine.impl(), counters)) {}

DetectThread::~DetectThread() = default;

bool DetectThread::apply_flow_action(const Packet& p, PacketAlerts& alerts) {
  if (p.flow == nullptr) return false;
  switch (p.flow->action) {
    case FlowAction::kNone: return false;
    case FlowAction::kDrop:
      alerts.drop = true;
      alerts.flow_drop = true;
      return true;
    case FlowAction::kPass:
      alerts.pass = true;
      return true;
  }
  return false;
}

void DetectThread::on_flow_end(const Flow& flow) {
  if (flow.detect != nullptr) impl_->flow_states.release(flow.detect);
}

namespace {

// Runs one BufferInspection over the buffer it names; false when the buffer
// does not exist for this packet or the matchers fail.
bool inspect_one(DetectThread::Impl& t, const MatchContext& ctx, const BufferInspection& insp) {
  ByteView data;
  if (insp.buffer_id >= buffer_count()) return false;
  const BufferDescriptor& d = buffer_descriptor(insp.buffer_id);
  if (d.get_multi != nullptr) {
    // A multi-buffer matches when one of its instances does.
    for (uint32_t i = 0; d.get_multi(ctx, i, data); ++i) {
      if (inspect_buffer(ctx, insp, data.data(), static_cast<uint32_t>(data.size()),
                         t.byte_vars.data()))
        return true;
    }
    return false;
  }
  if (d.get != nullptr) {
    if (!d.get(ctx, data)) return false;
  } else if (insp.buffer_id == kPktDataBuffer) {
    data = ctx.pkt_data();
  } else {
    return false;
  }
  // inspect_buffer applies the inspection's transforms itself.
  return inspect_buffer(ctx, insp, data.data(), static_cast<uint32_t>(data.size()),
                        t.byte_vars.data());
}

bool verify(DetectThread::Impl& t, const MatchContext& ctx, const Rule& r, const RuleInfo& info) {
  const Packet& p = ctx.packet;
  if (!proto_matches(r, p)) return false;
  // Rules of an app protocol only see flows identified as it.
  if (info.app_proto != kAppProtoUnknown &&
      (ctx.flow == nullptr || ctx.flow->app_proto != info.app_proto))
    return false;
  // IP-only candidates come from an exact address lookup.
  if (!r.ip_only && !header_matches(r, p)) return false;
  for (const auto& m : r.packet_matchers)
    if (!m->match(ctx)) return false;
  for (const BufferInspection& insp : r.inspections)
    if (!inspect_one(t, ctx, insp)) return false;
  return true;
}

void scan_group(DetectThread::Impl& t, const MatchContext& ctx, const RuleGroup* g) {
  if (g == nullptr) return;
  // Scans one instance of a buffer; transformed databases see the buffer as
  // the rules' inspection does (transforms may turn empty data non-empty).
  auto scan = [&](const RuleGroup::BufferDatabase& bd, ByteView data) {
    if (bd.transformed != nullptr)
      data = transform_buffer(*bd.transformed, data.data(), static_cast<uint32_t>(data.size()));
    if (!data.empty() && !bd.db->scan(data, t.scratch.get(), t.candidates))
      t.counters.add(kMpmScanErrors);
  };
  for (const RuleGroup::BufferDatabase& bd : g->databases) {
    ByteView data;
    if (bd.buffer_id == kPktDataBuffer && ctx.tx == nullptr) {
      // Packet inspection: the payload and/or the raw stream window.
      if (t.scan_payload && ctx.packet.payload != nullptr && ctx.packet.payload_len > 0 &&
          !bd.db->scan(ByteView(ctx.packet.payload, ctx.packet.payload_len), t.scratch.get(),
                       t.candidates))
        t.counters.add(kMpmScanErrors);
      if (!t.stream_window.empty() &&
          !bd.db->scan(t.stream_window, t.scratch.get(), t.candidates))
        t.counters.add(kMpmScanErrors);
      continue;
    }
    if (bd.buffer_id == kPktDataBuffer) {
      data = ctx.pkt_data();
      if (data.empty()) continue;
    } else {
      const BufferDescriptor& d = buffer_descriptor(bd.buffer_id);
      if (d.get_multi != nullptr) {
        for (uint32_t i = 0; d.get_multi(ctx, i, data); ++i) scan(bd, data);
        continue;
      }
      if (d.get == nullptr || !d.get(ctx, data)) continue;
    }
    scan(bd, data);
  }
  for (uint32_t id : g->non_prefilter) t.candidates.insert(id);
}

// Candidate rules for an IP packet: the Vectorscan hits and non-prefilter
// rules of its groups, plus the IP-only lookup.
void prefilter(DetectThread::Impl& t, const MatchContext& ctx, const DetectEngine::Impl& e,
               const Packet& p) {
  const DirectionGroups& groups = e.groups_for(p);
  scan_group(t, ctx, groups.any);
  if (p.has_ports) {
    scan_group(t, ctx, groups.dport_group(p.dport));
    scan_group(t, ctx, groups.sport_group(p.sport));
  }
  if (e.ip_only.entry_count() > 0) {
    // Once per flow direction (Suricata's IP-only flags); every packet
    // without a flow.
    bool run = true;
    if (p.flow != nullptr) {
      PooledFlowState* s = t.flow_states.owned(ensure_flow_state(ctx));
      const int dir = p.to_server ? 0 : 1;
      if (s != nullptr) {
        run = !s->ip_only_done[dir];
        s->ip_only_done[dir] = true;
      }
    }
    if (run) e.ip_only.match(p.src, p.dst, t.candidates);
  }
}

void run_candidates(DetectThread::Impl& t, const MatchContext& ctx, PacketAlerts& alerts,
                    uint64_t tx_id);

}  // namespace

void DetectThread::inspect(Packet& p, PacketAlerts& alerts, const stream::RawStreamChunk* raw) {
  alerts.clear();
  Impl& t = *impl_;
  const DetectEngine::Impl& e = t.engine;
  if (e.rules.empty()) return;
  t.stream_window = ByteView();
  t.stream_new_offset = 0;
  t.scan_payload = true;
  if (raw != nullptr && raw->has_new_data() && e.has_stream_rules) {
    t.stream_window = raw->window;
    t.stream_new_offset = raw->new_offset;
    t.stream_offset = raw->stream_offset;
    // In-order data: the window ends with exactly the payload's bytes, so
    // scanning the window finds every payload pattern too.
    const ByteView fresh = raw->window.subspan(raw->new_offset);
    t.scan_payload = !(p.payload != nullptr && fresh.size() == p.payload_len &&
                       std::equal(fresh.begin(), fresh.end(), p.payload));
  }
  // Without an IP layer only decoder-event rules can apply (and only when the
  // decoder raised something).
  if (p.ip_version == 0 && (p.event_count == 0 || e.decoder_event_rules.empty())) return;
  // Before the rules: a tag started by this packet's own alert does not cover it.
  if (p.ip_version != 0) alerts.tagged = tag_packet(p);
  const MatchContext ctx{p, p.flow, *this};

  // ---- prefilter: candidate rules ----
  t.candidates.clear();
  if (p.ip_version == 0) {
    for (uint32_t id : e.decoder_event_rules) t.candidates.insert(id);
  } else {
    prefilter(t, ctx, e, p);
  }
  run_candidates(t, ctx, alerts, 0);
}

void DetectThread::inspect_tx(Packet& p, AppProto proto, const applayer::Transaction& tx,
                              uint64_t tx_id, uint8_t dir, PacketAlerts& alerts) {
  alerts.clear();
  Impl& t = *impl_;
  const DetectEngine::Impl& e = t.engine;
  if (e.rules.empty() || proto >= kMaxAppProtos || dir > 1) return;
  const RuleGroup* group = e.tx_groups[proto][dir];
  if (group == nullptr) return;
  MatchContext ctx{p, p.flow, *this};
  ctx.tx = &tx;
  ctx.tx_proto = proto;
  ctx.tx_dir = dir;
  t.candidates.clear();
  t.stream_window = ByteView();
  scan_group(t, ctx, group);
  run_candidates(t, ctx, alerts, tx_id);
}

namespace {

// A packet rule's payload content against TCP data (Suricata's
// DetectRunInspectRulePacketMatches): the raw stream window first — a match
// counts only if it reaches the bytes this packet delivered (inspect_buffer's
// min_end), so what earlier packets matched is not reported again — then the
// packet itself when its payload is not part of the stream (retransmissions,
// no session) and the rule allows packets.
// `stream_match` tells which one matched.
class AnchorGuard final : public StreamMatchGuard {
 public:
  AnchorGuard(PooledFlowState* state, uint32_t rule, uint8_t dir, uint64_t base)
      : state_(state), rule_(rule), dir_(dir), base_(base) {}
  bool already_reported(uint32_t pos) const override {
    if (state_ == nullptr) return false;
    for (const auto& a : state_->stream_anchors)
      if (a.rule == rule_ && a.dir == dir_ && a.offset == base_ + pos) return true;
    return false;
  }
  void remember(uint32_t pos) const {
    if (state_ == nullptr) return;
    state_->stream_anchors[state_->next_anchor] = {rule_, dir_, base_ + pos};
    state_->next_anchor = static_cast<uint8_t>((state_->next_anchor + 1) % state_->stream_anchors.size());
  }

 private:
  PooledFlowState* state_;
  uint32_t rule_;
  uint8_t dir_;
  uint64_t base_;
};

bool verify_payload(DetectThread::Impl& t, const MatchContext& ctx, const Rule& r,
                    const RuleInfo& info, bool& stream_match) {
  stream_match = false;
  if (info.payload_mode == PayloadMode::kPacket || !ctx.packet.is_tcp())
    return verify(t, ctx, r, info);
  if (!t.stream_window.empty()) {
    PooledFlowState* state = t.flow_states.owned(ensure_flow_state(ctx));
    const uint8_t dir = ctx.packet.to_server ? 0 : 1;
    // The whole window (matches spanning earlier bytes), then the new bytes
    // alone: a chunk's offset/depth/startswith are relative to where the
    // uninspected data starts, as in Suricata's raw chunks.
    for (const uint32_t from : {0u, t.stream_new_offset}) {
      const AnchorGuard guard(state, r.internal_id, dir, t.stream_offset + from);
      MatchContext in_stream = ctx;
      in_stream.in_stream = true;
      in_stream.stream_data = t.stream_window.data() + from;
      in_stream.stream_len = static_cast<uint32_t>(t.stream_window.size()) - from;
      in_stream.stream_new_offset = t.stream_new_offset - from;
      in_stream.stream_guard = &guard;
      if (verify(t, in_stream, r, info)) {
        guard.remember(last_stream_match_start());
        stream_match = true;
        return true;
      }
      if (t.stream_new_offset == 0) break;  // no lookback: one window
    }
  }
  if (info.payload_mode == PayloadMode::kStreamOnly || ctx.packet.stream_added) return false;
  return verify(t, ctx, r, info);
}

// Suricata's PacketApplySignatureActions + RuleActionToFlow: a drop or
// reject drops the packet (the first such rule is remembered for EVE drop),
// a pass passes it; for flow-scoped matches the flow takes the action too,
// the first drop or pass on a flow winning.
void apply_action(PacketAlerts& alerts, const Rule& r, Action action, bool rate_modified,
                  uint64_t tx_id, Flow* flow, bool flow_scope) {
  if (drops_packet(action)) {
    alerts.drop = true;
    if (is_reject(action) && alerts.reject == Action::kAlert) alerts.reject = action;
    if (alerts.drop_alert.rule == nullptr) {
      alerts.drop_alert = PacketAlert{&r, action, tx_id};
      alerts.drop_alert.rate_modified = rate_modified;
      alerts.threshold_drop = rate_modified;
    }
  } else if (action == Action::kPass) {
    alerts.pass = true;
  } else {
    return;
  }
  if (flow != nullptr && flow_scope && flow->action == FlowAction::kNone)
    flow->action = action == Action::kPass ? FlowAction::kPass : FlowAction::kDrop;
}

// verify + post-rule over the candidate set, in rule order.
void run_candidates(DetectThread::Impl& t, const MatchContext& ctx, PacketAlerts& alerts,
                    uint64_t tx_id) {
  const DetectEngine::Impl& e = t.engine;
  const Packet& p = ctx.packet;
  auto candidates = t.candidates.ids();
  t.counters.add(kPrefilterCandidates, candidates.size());
  std::sort(candidates.begin(), candidates.end());  // rule order = internal id order

  for (uint32_t id : candidates) {
    const Rule& r = *e.rules[id];
    const RuleInfo& info = e.info[id];
    // Transaction rules only run on transactions, packet rules only on packets.
    if (info.tx_rule != (ctx.tx != nullptr)) continue;
    bool stream_match = false;
    if (!verify_payload(t, ctx, r, info, stream_match)) continue;
    t.counters.add(kRulesMatched);
    for (const auto& post : r.post_matchers) post->apply(ctx);

    // Post-rule, as Suricata's PacketAlertFinalize: rules come in action
    // order; once a pass rule has acted nothing after it counts.
    if (alerts.pass) continue;

    // suppress: no alert, but the rule's action still applies (Suricata's
    // THRESHOLD_SUPPRESSED); threshold not reached: the match does not count.
    bool suppressed = info.suppressed_always;
    for (const Suppression* s : info.suppressions)
      if (!suppressed && suppressed_by(*s, p)) suppressed = true;
    const uint64_t flow_key =
        p.flow ? p.flow->hash ^ static_cast<uint64_t>(p.flow->start.micros()) : 0;
    if (!suppressed && info.has_threshold &&
        !t.thresholds.event(id, info.threshold, p.src, p.dst, flow_key, p.ts, p.sport, p.dport)) {
      t.counters.add(kSuppressed);
      alerts.suppressed++;
      continue;
    }
    Action action = r.header.action;
    bool rate_modified = false;
    if (info.has_rate_filter && info.rate_changes_action &&
        t.thresholds.rate_exceeded(id, info.rate_filter, p.src, p.dst, flow_key, p.ts)) {
      action = info.rate_action;
      rate_modified = true;
    }
    apply_action(alerts, r, action, rate_modified, tx_id, p.flow, info.flow_action || stream_match);
    if (action == Action::kPass) continue;  // a pass raises no alert
    if (suppressed || r.noalert) {
      t.counters.add(kSuppressed);
      alerts.suppressed++;
      continue;
    }
    if (alerts.count >= e.packet_alert_max) {
      alerts.overflow++;
      t.counters.add(kQueueOverflow);
      continue;
    }
    PacketAlert& a = alerts.alerts[alerts.count++];
    a = PacketAlert{&r, action, tx_id, ctx.tx != nullptr};
    a.tx = ctx.tx;
    a.app_proto = ctx.tx_proto;
    a.tx_dir = ctx.tx_dir;
    a.rate_modified = rate_modified;
    if (stream_match) {
      a.stream_match = true;
      a.stream_data = t.stream_window.data();
      a.stream_len = static_cast<uint32_t>(t.stream_window.size());
    }
    t.counters.add(kAlerts);
    if (p.flow != nullptr) p.flow->alerted = true;
  }
}

}  // namespace

}  // namespace seawall::detect
