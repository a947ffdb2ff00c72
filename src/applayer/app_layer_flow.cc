#include "applayer/app_layer_flow.h"

#include <algorithm>

namespace seawall::applayer {
namespace {

const Counter kFlowsDetected =
    register_counter({"app_layer.flows_detected", "Flows whose application protocol was identified"});
const Counter kFlowsFailed = register_counter(
    {"app_layer.flows_failed", "Flows whose application protocol could not be identified"});
const Counter kParseErrors = register_counter(
    {"app_layer.parse_errors", "Flows whose parser stopped on data it could not parse"});
const Counter kGapsStopped = register_counter(
    {"app_layer.gap_stopped", "Flows whose parser stopped at a stream gap"});
const Counter kTxLogged = register_counter({"app_layer.tx_logged", "App-layer records written"});
const Counter kTxInspected = register_counter(
    {"app_layer.tx_inspected", "Transaction directions handed to detection"});

}  // namespace

void FlowAppState::reset() {
  parser.reset();
  for (auto& b : probe_buffer) b.clear();  // keeps capacity for the next flow
  probe_failed[0] = probe_failed[1] = false;
  parse_stopped = false;
  ended[0] = ended[1] = false;
}

AppLayer::AppLayer(const AppLayerConfig& config, ThreadCounters& counters)
    : config_(config), counters_(counters), enabled_(kMaxAppProtos, false) {
  for (size_t id = 0; id < kMaxAppProtos; ++id) {
    const ProtocolDescriptor* d = protocol_descriptor(static_cast<AppProto>(id));
    if (d == nullptr) continue;
    enabled_[id] = std::find(config.disabled.begin(), config.disabled.end(), d->name) ==
                   config.disabled.end();
    if (!enabled_[id] || d->probe == nullptr) continue;
    if (d->tcp) probers_[0].push_back({static_cast<AppProto>(id), d});
    if (d->udp) probers_[1].push_back({static_cast<AppProto>(id), d});
  }
}

AppLayer::~AppLayer() = default;

bool AppLayer::enabled(AppProto proto) const { return proto < enabled_.size() && enabled_[proto]; }

FlowAppState& AppLayer::state_for(Flow& flow) {
  if (flow.app != nullptr) return *flow.app;
  // One state per concurrent flow, reused after the flow ends.
  if (free_states_.empty()) {
    all_states_.push_back(std::make_unique<FlowAppState>());
    free_states_.push_back(all_states_.back().get());
  }
  FlowAppState* s = free_states_.back();
  free_states_.pop_back();
  flow.app = s;
  return *s;
}

bool AppLayer::detect(Flow& flow, Direction dir, bool udp, ByteView data, uint16_t server_port) {
  // Probe order: protocols registered for the server port first, then the
  // rest; the first kYes wins. kNeedMore from any keeps the flow undecided.
  bool need_more = false;
  for (int pass = 0; pass < 2; ++pass) {
    for (const Prober& prober : probers_[udp ? 1 : 0]) {
      const ProtocolDescriptor* d = prober.descriptor;
      const bool on_port =
          std::find(d->ports.begin(), d->ports.end(), server_port) != d->ports.end();
      if ((pass == 0) != on_port) continue;
      switch (d->probe(dir, data)) {
        case ProbeResult::kYes:
          start_parser(flow, prober.id);
          if (dir == Direction::kToServer) flow.app_proto_ts = flow.app_proto;
          else flow.app_proto_tc = flow.app_proto;
          return true;
        case ProbeResult::kNeedMore: need_more = true; break;
        case ProbeResult::kNo: break;
      }
    }
  }
  FlowAppState& s = state_for(flow);
  if (!need_more || udp || data.size() >= config_.probe_limit) s.probe_failed[dir_index(dir)] = true;
  return false;
}

void AppLayer::fail_detection(Flow& flow) {
  flow.app_proto = kAppProtoFailed;
  counters_.add(kFlowsFailed);
}

void AppLayer::start_parser(Flow& flow, AppProto proto) {
  FlowAppState& s = state_for(flow);
  flow.app_proto = proto;
  s.parser = protocol_descriptor(proto)->create();
  counters_.add(kFlowsDetected);
}

void AppLayer::parse(Flow& flow, Packet* p, Direction dir, ByteView data, bool udp,
                     AppLayerSink& sink) {
  FlowAppState& s = state_for(flow);
  if (s.parse_stopped || s.parser == nullptr || data.empty()) return;
  const ParseContext ctx{p != nullptr ? p->ts : flow.last, udp, &flow};
  if (dir == Direction::kToServer && flow.app_proto_ts == kAppProtoUnknown)
    flow.app_proto_ts = flow.app_proto;
  if (dir == Direction::kToClient && flow.app_proto_tc == kAppProtoUnknown)
    flow.app_proto_tc = flow.app_proto;
  if (s.parser->parse(dir, data, ctx) == ParseResult::kError) {
    s.parse_stopped = true;
    counters_.add(kParseErrors);
  }
  if (s.parser->no_more_inspection()) s.parse_stopped = true;
  progress(flow, p, sink, false);
}

void AppLayer::on_stream_data(Flow& flow, Packet* p, Direction dir, ByteView data,
                              AppLayerSink& sink) {
  if (flow.app_proto == kAppProtoFailed) return;
  FlowAppState& s = state_for(flow);
  if (flow.app_proto != kAppProtoUnknown) {
    parse(flow, p, dir, data, false, sink);
    return;
  }
  const int d = dir_index(dir);
  if (s.probe_failed[d]) return;
  // Buffer until a probe decides (a banner or request line may come in pieces).
  std::string& buf = s.probe_buffer[d];
  const size_t room = config_.probe_limit > buf.size() ? config_.probe_limit - buf.size() : 0;
  buf.append(reinterpret_cast<const char*>(data.data()), std::min<size_t>(room, data.size()));
  const ByteView probe(reinterpret_cast<const uint8_t*>(buf.data()), buf.size());
  if (detect(flow, dir, false, probe, flow.key.dport)) {
    // Everything buffered so far, both directions, to-server first; bytes
    // past the probe limit were not kept, so the parser sees a gap there.
    for (Direction dd : {Direction::kToServer, Direction::kToClient}) {
      std::string& pending = s.probe_buffer[dir_index(dd)];
      if (pending.empty()) continue;
      parse(flow, p, dd, ByteView(reinterpret_cast<const uint8_t*>(pending.data()), pending.size()),
            false, sink);
      pending.clear();
    }
    if (data.size() > room && s.parser != nullptr && !s.parse_stopped) {
      parse(flow, p, dir, data.subspan(room), false, sink);
    }
    return;
  }
  // Failed once every direction either failed its probes or ended unprobed.
  if ((s.probe_failed[0] && (s.probe_failed[1] || s.ended[1])) ||
      (s.probe_failed[1] && s.ended[0]))
    fail_detection(flow);
}

void AppLayer::on_stream_gap(Flow& flow, Packet* p, Direction dir, uint32_t len,
                             AppLayerSink& sink) {
  if (flow.app == nullptr) return;
  FlowAppState& s = *flow.app;
  if (flow.app_proto == kAppProtoUnknown) {
    // Protocol detection needs the start of the stream.
    s.probe_failed[dir_index(dir)] = true;
    return;
  }
  if (s.parser == nullptr || s.parse_stopped) return;
  if (!s.parser->gap(dir, len)) {
    s.parse_stopped = true;
    counters_.add(kGapsStopped);
  }
  progress(flow, p, sink, false);
}

void AppLayer::on_stream_end(Flow& flow, Packet* p, Direction dir, AppLayerSink& sink) {
  FlowAppState& s = state_for(flow);
  s.ended[dir_index(dir)] = true;
  if (s.parser != nullptr) {
    s.parser->end_of_stream(dir);
    progress(flow, p, sink, false);
  }
}

void AppLayer::on_udp(Flow& flow, Packet& p, AppLayerSink& sink) {
  if (flow.app_proto == kAppProtoFailed || p.payload_len == 0) return;
  const Direction dir = p.to_server ? Direction::kToServer : Direction::kToClient;
  const ByteView data(p.payload, p.payload_len);
  if (flow.app_proto == kAppProtoUnknown) {
    // One detection attempt per direction, as Suricata's UDP detection: a
    // one-way flow whose first datagram matched nothing is not probed again
    // on every later datagram.
    if (flow.app != nullptr && flow.app->probe_failed[dir_index(dir)]) return;
    if (!detect(flow, dir, true, data, flow.key.dport)) {
      FlowAppState& s = state_for(flow);
      if (s.probe_failed[0] && s.probe_failed[1]) fail_detection(flow);
      return;
    }
  }
  parse(flow, &p, dir, data, true, sink);
}

void AppLayer::progress(Flow& flow, Packet* p, AppLayerSink& sink, bool force) {
  FlowAppState& s = *flow.app;
  if (s.parser == nullptr) return;
  const ProtocolDescriptor* d = protocol_descriptor(flow.app_proto);
  const bool can_log = d != nullptr && d->log != nullptr;
  ProtocolState& state = *s.parser;
  for (size_t i = 0; i < state.tx_count(); ++i) {
    Transaction* tx = state.tx_at(i);
    if (tx == nullptr) continue;
    bool handed = false;
    for (Direction dir : {Direction::kToServer, Direction::kToClient}) {
      const int di = dir_index(dir);
      if (tx->inspected[di]) continue;
      if (!tx->complete[di] && !force) continue;
      handed = true;
      // A direction that never completed is not inspected at flow end: its
      // buffers do not exist (Suricata's progress gating).
      if (tx->complete[di]) {
        sink.inspect_tx(flow, p, flow.app_proto, state, *tx, dir);
        counters_.add(kTxInspected);
        if (can_log && d->log_per_direction &&
            (d->has_record == nullptr || d->has_record(*tx, dir))) {
          sink.log_tx(flow, p, flow.app_proto, state, *tx, {LogKind::kRecord, dir});
          counters_.add(kTxLogged);
        }
      }
      tx->inspected[di] = true;
    }
    if (!tx->logged && (force || (tx->complete[0] && tx->complete[1]))) {
      const bool has_record = d == nullptr || d->has_record == nullptr ||
                              d->has_record(*tx, Direction::kToServer) ||
                              d->has_record(*tx, Direction::kToClient);
      if (can_log && !d->log_per_direction && has_record &&
          (tx->complete[0] || tx->complete[1])) {
        sink.log_tx(flow, p, flow.app_proto, state, *tx,
                    {LogKind::kRecord, tx->complete[1] ? Direction::kToClient
                                                       : Direction::kToServer});
        counters_.add(kTxLogged);
      }
      if (d != nullptr && d->file_count != nullptr && d->file_count(*tx) > 0)
        sink.log_files(flow, p, flow.app_proto, state, *tx);
      tx->logged = true;
      handed = true;
    }
    if (handed && tx->event_count > 0 && tx->done()) sink.tx_events(flow, p, flow.app_proto, *tx);
  }
  state.remove_done();
}

void AppLayer::end_flow(Flow& flow, AppLayerSink& sink) {
  if (flow.app == nullptr) return;
  FlowAppState& s = *flow.app;
  if (s.parser != nullptr) {
    for (Direction dir : {Direction::kToServer, Direction::kToClient}) {
      if (!s.ended[dir_index(dir)]) s.parser->end_of_stream(dir);
    }
    progress(flow, nullptr, sink, true);
  }
  if (flow.app_proto == kAppProtoUnknown &&
      (!s.probe_buffer[0].empty() || !s.probe_buffer[1].empty())) {
    // Data was seen but never identified.
    fail_detection(flow);
  }
  s.reset();
  free_states_.push_back(&s);
  flow.app = nullptr;
}

}  // namespace seawall::applayer
