// EVE "anomaly" records for decoder events (Suricata's output-json-anomaly.c).
#include "output/eve/eve_common.h"
#include "output/eve/eve_writer.h"
#include "output/eve/json_writer.h"

namespace seawall {

void EveWriter::log_anomalies(const Packet& p) {
  if (!config_.enabled || !config_.anomaly || !config_.anomaly_decode) return;
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

}  // namespace seawall
