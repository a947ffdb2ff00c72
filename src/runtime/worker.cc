#include "runtime/worker.h"

namespace seawall {
namespace {

// Suricata's IPS verdict counters (decode.c), counted in IPS mode only.
const Counter kIpsAccepted = register_counter({"ips.accepted", "Packets accepted (IPS mode)"});
const Counter kIpsBlocked = register_counter({"ips.blocked", "Packets dropped (IPS mode)"});
const Counter kIpsRejected =
    register_counter({"ips.rejected", "Packets dropped by a reject rule (IPS mode)"});
const Counter kIpsDropRules = register_counter(
    {"ips.drop_reason.rules", "Packets dropped because a drop/reject rule matched"});
const Counter kIpsDropThreshold = register_counter(
    {"ips.drop_reason.threshold_detection_filter",
     "Packets dropped by a rate_filter new_action drop/reject"});
const Counter kIpsDropFlow = register_counter(
    {"ips.drop_reason.flow_drop", "Packets dropped because their flow was dropped"});

applayer::Direction to_app(stream::StreamDirection d) {
  return d == stream::StreamDirection::kToServer ? applayer::Direction::kToServer
                                                 : applayer::Direction::kToClient;
}

// A protocol's logger seen by the EVE writer as an object to embed.
class AppObject final : public EveAppObject {
 public:
  AppObject(const applayer::ProtocolDescriptor& d, const applayer::ProtocolState& state,
            const applayer::Transaction& tx, const applayer::LogContext& ctx)
      : d_(d), state_(state), tx_(tx), ctx_(ctx) {}
  std::string_view key() const override { return d_.eve_type; }
  void write_members(JsonWriter& w) const override { d_.log(state_, tx_, ctx_, w); }

 private:
  const applayer::ProtocolDescriptor& d_;
  const applayer::ProtocolState& state_;
  const applayer::Transaction& tx_;
  const applayer::LogContext ctx_;
};

// One file of a transaction, as the "fileinfo" object.
class FileObject final : public EveAppObject {
 public:
  FileObject(const applayer::ProtocolDescriptor& d, const applayer::Transaction& tx, size_t index)
      : d_(d), tx_(tx), index_(index) {}
  std::string_view key() const override { return "fileinfo"; }
  void write_members(JsonWriter& w) const override { d_.log_file(tx_, index_, w); }

 private:
  const applayer::ProtocolDescriptor& d_;
  const applayer::Transaction& tx_;
  const size_t index_;
};

}  // namespace

Worker::Worker(const WorkerConfig& config, EveSink& sink)
    : decode_{*config.decode, counters_},
      flows_(config.flow, counters_),
      eve_(*config.eve, sink),
      eve_config_(*config.eve),
      ips_mode_(config.ips_mode) {
  if (config.detect != nullptr) {
    detect_ = std::make_unique<detect::DetectThread>(*config.detect, counters_);
  }
  if (config.fast_log != nullptr) fast_log_ = std::make_unique<FastLogWriter>(*config.fast_log);
  if (config.defrag_enabled)
    defrag_ = std::make_unique<stream::Defragmenter>(config.defrag, counters_);
  if (config.app_layer_enabled) {
    reassembler_ = std::make_unique<stream::TcpReassembler>(config.stream, counters_);
    app_layer_ = std::make_unique<applayer::AppLayer>(config.app_layer, counters_);
  }
}

Worker::~Worker() = default;

void Worker::process_frame(Timestamp ts, uint64_t pcap_cnt, const uint8_t* data, uint32_t caplen,
                           uint32_t wirelen, LayerKind link) {
  // Decode the whole chain first (outer packet, then each tunnel payload or
  // reassembled datagram), so a nesting-limit event is on its packet before
  // anything is logged.
  Packet& outer = packets_[0];
  reset_packet(outer);
  outer.ts = ts;
  outer.pcap_cnt = pcap_cnt;
  outer.data = data;
  outer.caplen = caplen;
  outer.wirelen = wirelen;
  outer.link = link;
  decode_packet(decode_, outer);
  int depth = 0;
  bool defragged = false;
  while (true) {
    Packet& cur = packets_[depth];
    if (cur.is_fragment && !cur.invalid && defrag_ != nullptr) {
      // One reassembly per frame: the datagram lives in the defragmenter
      // until its next add().
      if (defragged || depth + 1 >= static_cast<int>(packets_.size())) break;
      defragged = true;
      ByteView datagram = defrag_->add(cur);
      if (datagram.empty()) break;
      decode_reassembled(decode_, cur, datagram.data(), static_cast<uint32_t>(datagram.size()),
                         packets_[depth + 1]);
      ++depth;
      continue;
    }
    // decode_tunnel_payload refuses (with decoder.too_many_layers on the
    // carrying packet) before depth reaches kMaxTunnelDepth.
    if (!cur.tunnel.present() || !decode_tunnel_payload(decode_, cur, packets_[depth + 1])) break;
    ++depth;
  }
  for (int i = 0; i <= depth; ++i) handle_packet(packets_[i]);
}

void Worker::handle_packet(Packet& p) {
  flows_.handle_packet(p, *this);
  verdict_.clear();
  // A flow a drop/pass rule decided earlier: no inspection (Suricata's
  // FLOW_ACTION_DROP / FLOW_NOPACKET_INSPECTION).
  skip_detect_ = detect_ != nullptr && detect::DetectThread::apply_flow_action(p, verdict_);
  bool reassembled = false;
  if (p.flow != nullptr && app_layer_ != nullptr && !p.invalid) {
    if (p.is_tcp()) {
      // IPS: the stream engine takes no part in a dropped flow
      // (StreamTcpCheckFlowDrops).
      if (!(ips_mode_ && verdict_.flow_drop)) {
        reassembler_->handle_packet(p, *this);
        reassembled = true;
      }
    } else if (p.is_udp() && !verdict_.flow_drop) {
      app_layer_->on_udp(*p.flow, p, *this);
    }
  }
  if (detect_ != nullptr && !skip_detect_) {
    alerts_.clear();
    if (reassembled) {
      const stream::RawStreamChunk raw = reassembler_->raw_chunk(p);
      detect_->inspect(p, alerts_, &raw);
    } else {
      detect_->inspect(p, alerts_);
    }
    verdict_.merge_verdict(alerts_);
    log_alerts(p, nullptr, verdict_);
    if (alerts_.tagged) eve_.log_tagged_packet(p);
  }
  finish_verdict(p);
  if ((p.event_count > 0 || p.stream_event_count > 0) && eve_config_.anomaly) eve_.log_anomalies(p);
}

void Worker::finish_verdict(const Packet& p) {
  if (!ips_mode_) return;
  if (!verdict_.drop) {
    counters_.add(kIpsAccepted);
    return;
  }
  counters_.add(kIpsBlocked);
  if (verdict_.reject != detect::Action::kAlert) counters_.add(kIpsRejected);
  counters_.add(verdict_.drop_alert.rule == nullptr ? kIpsDropFlow
                : verdict_.threshold_drop           ? kIpsDropThreshold
                                                    : kIpsDropRules);
  eve_.log_drop(p, verdict_);
}

void Worker::log_alerts(const Packet& p, const EveAppObject* app,
                        const detect::PacketAlerts& verdict) {
  for (uint8_t i = 0; i < alerts_.count; ++i) {
    eve_.log_alert(p, alerts_.alerts[i], app, &verdict);
    if (fast_log_ != nullptr) fast_log_->log_alert(p, alerts_.alerts[i]);
  }
}

// ---- stream -> app layer ----

void Worker::on_stream_data(Flow& flow, Packet* p, stream::StreamDirection dir, ByteView data) {
  app_layer_->on_stream_data(flow, p, to_app(dir), data, *this);
}

void Worker::on_stream_gap(Flow& flow, Packet* p, stream::StreamDirection dir, uint32_t len) {
  app_layer_->on_stream_gap(flow, p, to_app(dir), len, *this);
}

void Worker::on_stream_end(Flow& flow, Packet* p, stream::StreamDirection dir) {
  app_layer_->on_stream_end(flow, p, to_app(dir), *this);
}

// ---- app layer -> detection and EVE ----

Packet& Worker::packet_for(Flow& flow, Packet* p, bool to_server) {
  if (p != nullptr && p->to_server == to_server) return *p;
  Packet& q = pseudo_;
  reset_packet(q);
  q.ts = p != nullptr ? p->ts : flow.last;
  q.pcap_cnt = p != nullptr ? p->pcap_cnt : 0;
  q.ip_version = flow.ip_version;
  q.ip_proto = flow.key.proto;
  q.has_ports = true;
  q.src = to_server ? flow.key.src : flow.key.dst;
  q.dst = to_server ? flow.key.dst : flow.key.src;
  q.sport = to_server ? flow.key.sport : flow.key.dport;
  q.dport = to_server ? flow.key.dport : flow.key.sport;
  q.vlan[0] = flow.key.vlan[0];
  q.vlan[1] = flow.key.vlan[1];
  q.vlan_count = flow.key.vlan_count();
  q.source = flow.source;
  q.tunnel_depth = flow.key.tunnel_depth;
  q.flow = &flow;
  q.to_server = to_server;
  return q;
}

void Worker::inspect_tx(Flow& flow, Packet* p, AppProto proto,
                        const applayer::ProtocolState& state, const applayer::Transaction& tx,
                        applayer::Direction dir) {
  if (detect_ == nullptr) return;
  // Not for a flow a drop/pass rule decided before this packet (nor, at flow
  // end, before now).
  if (p != nullptr ? skip_detect_ : flow.action != FlowAction::kNone) return;
  const bool to_server = dir == applayer::Direction::kToServer;
  Packet& q = packet_for(flow, p, to_server);
  alerts_.clear();
  detect_->inspect_tx(q, proto, tx, tx.id, static_cast<uint8_t>(applayer::dir_index(dir)), alerts_);
  // The transaction's verdict is the packet's (or, with no packet, its own).
  if (p != nullptr) verdict_.merge_verdict(alerts_);
  if (alerts_.count == 0) return;
  const detect::PacketAlerts& verdict = p != nullptr ? verdict_ : alerts_;
  const applayer::ProtocolDescriptor* d = applayer::protocol_descriptor(proto);
  if (d != nullptr && d->log != nullptr) {
    const AppObject object(*d, state, tx, {applayer::LogKind::kAlert, dir});
    log_alerts(q, &object, verdict);
  } else {
    log_alerts(q, nullptr, verdict);
  }
}

void Worker::log_tx(Flow& flow, Packet* p, AppProto proto, const applayer::ProtocolState& state,
                    const applayer::Transaction& tx, const applayer::LogContext& ctx) {
  const applayer::ProtocolDescriptor* d = applayer::protocol_descriptor(proto);
  if (d == nullptr || d->log == nullptr || !eve_config_.app_layer_enabled(d->eve_type)) return;
  const AppObject object(*d, state, tx, ctx);
  const bool reverse = ctx.dir == applayer::Direction::kToClient &&
                       d->log_in_packet_direction != nullptr && d->log_in_packet_direction(ctx.dir);
  eve_.log_app(flow, p, tx.id, object, reverse);
}

void Worker::log_files(Flow& flow, Packet* p, AppProto proto,
                       const applayer::ProtocolState& state, const applayer::Transaction& tx) {
  const applayer::ProtocolDescriptor* d = applayer::protocol_descriptor(proto);
  // "files" is the eve-log type of fileinfo records (Suricata's eve-log.files).
  if (d == nullptr || d->file_count == nullptr || d->log_file == nullptr ||
      !eve_config_.app_layer_enabled("files"))
    return;
  const size_t n = d->file_count(tx);
  for (size_t i = 0; i < n; ++i) {
    const applayer::Direction dir = d->file_direction != nullptr
                                        ? d->file_direction(tx, i)
                                        : applayer::Direction::kToClient;
    const FileObject file(*d, tx, i);
    if (d->log != nullptr) {
      // The transaction's object as Suricata's EveHttpAddMetadata writes it.
      const AppObject object(*d, state, tx, {applayer::LogKind::kAlert, dir});
      eve_.log_file(flow, p, dir == applayer::Direction::kToClient, &object, file);
    } else {
      eve_.log_file(flow, p, dir == applayer::Direction::kToClient, nullptr, file);
    }
  }
}

void Worker::tx_events(Flow& flow, Packet* p, AppProto proto, const applayer::Transaction& tx) {
  eve_.log_app_events(flow, p, tx.id, app_proto_name(proto), tx.events.data(), tx.event_count);
}

void Worker::on_flow_end(const Flow& ended, FlowEndReason reason, Timestamp now) {
  // The table hands the flow over as const, but it is ours until the slot is
  // reused: the stream and app layer flush into it before it is logged.
  Flow& flow = const_cast<Flow&>(ended);
  if (flow.tcp != nullptr && reassembler_ != nullptr) reassembler_->end_flow(flow, *this);
  if (app_layer_ != nullptr) app_layer_->end_flow(flow, *this);
  // The detect stage owns the flow's detection state and takes it back
  // before the table reuses the slot.
  if (detect_ != nullptr) detect_->on_flow_end(flow);
  eve_.on_flow_end(flow, reason, now);
}

void Worker::tick(Timestamp now) {
  // Driven by the engine's packet clock only (never by this worker's own
  // packets, which may run backwards in merged captures), so expiry is the
  // same whatever the number of workers.
  flows_.expire(now, *this);
  if (defrag_ != nullptr) defrag_->expire(now);
}

void Worker::finish(Timestamp now) {
  flows_.flush_all(now, *this);
  flush_output();
}

void Worker::flush_output() {
  eve_.flush();
  if (fast_log_ != nullptr) fast_log_->flush();
}

}  // namespace seawall
