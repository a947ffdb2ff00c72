// EVE "anomaly" records for decoder events (Suricata's output-json-anomaly.c).
#include "output/eve/eve_common.h"
#include "output/eve/eve_writer.h"
#include "output/eve/json_writer.h"
#include "stream/stream_event.h"

namespace seawall {

void EveWriter::log_anomalies(const Packet& p) {
  if (!config_.enabled || !config_.anomaly) return;
  if (config_.anomaly_stream) {
    for (uint8_t i = 0; i < p.stream_event_count; ++i) {
      begin_record();
      JsonWriter w(buffer_);
      w.begin_object();
      eve::write_packet_header(w, config_, p, "anomaly");
      w.key("anomaly");
      w.begin_object();
      w.member("type", "stream");
      w.key("event");
      w.string_concat("stream.",
                      stream::stream_event_name(static_cast<stream::StreamEvent>(p.stream_events[i])));
      w.end_object();
      eve::write_packet_tunnel(w, p);
      end_record(w);
    }
  }
  if (!config_.anomaly_decode) return;
  const uint8_t count = p.event_count < kMaxPacketEvents ? p.event_count : kMaxPacketEvents;
  for (uint8_t i = 0; i < count; ++i) {
    begin_record();
    JsonWriter w(buffer_);
    w.begin_object();
    eve::write_packet_header(w, config_, p, "anomaly");
    w.key("anomaly");
    w.begin_object();
    w.member("type", "decode");
    w.key("event");
    w.string_concat("decoder.", decode_event_name(p.events[i]));
    w.end_object();
    eve::write_packet_tunnel(w, p);
    end_record(w);
  }
}

void EveWriter::log_app_events(const Flow& flow, const Packet* p, uint64_t tx_id,
                               std::string_view app_proto,
                               const std::string_view* events, size_t count) {
  if (!config_.enabled || !config_.anomaly || !config_.anomaly_applayer) return;
  for (size_t i = 0; i < count; ++i) {
    begin_record();
    JsonWriter w(buffer_);
    w.begin_object();
    eve::write_app_header(w, config_, flow, p, "anomaly", p != nullptr && !p->to_server);
    w.member_uint("tx_id", tx_id);
    w.key("anomaly");
    w.begin_object();
    w.member("app_proto", app_proto);
    w.member("type", "applayer");
    w.member("event", events[i]);
    w.member("layer", "proto_parser");
    w.end_object();
    end_record(w);
  }
}

}  // namespace seawall
