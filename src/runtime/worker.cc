#include "runtime/worker.h"

namespace seawall {

Worker::Worker(const WorkerConfig& config, EveSink& sink)
    : decode_{*config.decode, counters_},
      flows_(config.flow, counters_),
      eve_(*config.eve, sink),
      eve_config_(*config.eve) {
  if (config.detect != nullptr) {
    detect_ = std::make_unique<detect::DetectThread>(*config.detect, counters_);
  }
  if (config.fast_log != nullptr) fast_log_ = std::make_unique<FastLogWriter>(*config.fast_log);
}

Worker::~Worker() = default;

void Worker::process_frame(Timestamp ts, uint64_t pcap_cnt, const uint8_t* data, uint32_t caplen,
                           uint32_t wirelen, LayerKind link) {
  // Decode the whole chain first (outer packet, then each tunnel payload), so
  // a nesting-limit event is on its packet before anything is logged.
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
  // decode_tunnel_payload refuses (with decoder.too_many_layers on the
  // carrying packet) before depth reaches kMaxTunnelDepth.
  while (packets_[depth].tunnel.present() &&
         decode_tunnel_payload(decode_, packets_[depth], packets_[depth + 1])) {
    ++depth;
  }
  for (int i = 0; i <= depth; ++i) handle_packet(packets_[i]);
}

void Worker::handle_packet(Packet& p) {
  flows_.handle_packet(p, *this);
  if (detect_ != nullptr) {
    alerts_.clear();
    detect_->inspect(p, alerts_);
    for (uint8_t i = 0; i < alerts_.count; ++i) {
      eve_.log_alert(p, alerts_.alerts[i]);
      if (fast_log_ != nullptr) fast_log_->log_alert(p, alerts_.alerts[i]);
    }
  }
  if (p.event_count > 0 && eve_config_.anomaly) eve_.log_anomalies(p);
}

void Worker::on_flow_end(const Flow& flow, FlowEndReason reason, Timestamp now) {
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
