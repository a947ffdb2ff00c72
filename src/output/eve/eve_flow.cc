// EVE "flow" record (Suricata's output-json-flow.c), written when a flow ends.
#include "output/eve/eve_common.h"
#include "output/eve/eve_writer.h"
#include "output/eve/json_writer.h"

namespace seawall {
namespace {

void write_hex_flags(JsonWriter& w, std::string_view key, uint8_t flags) {
  static constexpr char kHex[] = "0123456789abcdef";
  const char text[2] = {kHex[flags >> 4], kHex[flags & 0xf]};
  w.key(key);
  w.string(std::string_view(text, 2));
}

// Only the flags that are set, in Suricata's EveTcpFlags order.
void write_tcp_flag_bools(JsonWriter& w, uint8_t flags) {
  if (flags & tcp_flag::kSyn) w.member_bool("syn", true);
  if (flags & tcp_flag::kFin) w.member_bool("fin", true);
  if (flags & tcp_flag::kRst) w.member_bool("rst", true);
  if (flags & tcp_flag::kPsh) w.member_bool("psh", true);
  if (flags & tcp_flag::kAck) w.member_bool("ack", true);
  if (flags & tcp_flag::kUrg) w.member_bool("urg", true);
  if (flags & tcp_flag::kEce) w.member_bool("ecn", true);
  if (flags & tcp_flag::kCwr) w.member_bool("cwr", true);
}

}  // namespace

void EveWriter::on_flow_end(const Flow& f, FlowEndReason reason, Timestamp now) {
  if (!config_.enabled || !config_.flow) return;
  begin_record();
  JsonWriter w(buffer_);
  w.begin_object();
  eve::write_flow_header(w, f, now, "flow");
  eve::write_app_proto(w, f);

  w.key("flow");
  w.begin_object();
  w.member_uint("pkts_toserver", f.pkts_toserver);
  w.member_uint("pkts_toclient", f.pkts_toclient);
  w.member_uint("bytes_toserver", f.bytes_toserver);
  w.member_uint("bytes_toclient", f.bytes_toclient);
  eve::write_timestamp(w, "start", f.start);
  eve::write_timestamp(w, "end", f.last);
  w.member_int("age", f.last.sec - f.start.sec);
  if (f.emergency) w.member_bool("emergency", true);
  w.member("state", flow_state_name(f.state));
  w.member("reason", flow_end_reason_name(reason));
  w.member_bool("alerted", f.alerted);
  if (f.action == FlowAction::kDrop) w.member("action", "drop");
  else if (f.action == FlowAction::kPass) w.member("action", "pass");
  w.end_object();

  // EveAddCommonOptions: no "ether" (flows keep no MAC set yet), community_id.
  eve::write_community_id(w, config_, f);

  if (f.key.proto == 6) {
    const uint8_t all = f.tcp_flags_ts | f.tcp_flags_tc;
    w.key("tcp");
    w.begin_object();
    write_hex_flags(w, "tcp_flags", all);
    write_hex_flags(w, "tcp_flags_ts", f.tcp_flags_ts);
    write_hex_flags(w, "tcp_flags_tc", f.tcp_flags_tc);
    write_tcp_flag_bools(w, all);
    w.member("state", tcp_state_name(f.tcp_state));
    if (f.tcp_session_seen) {
      // Suricata's streaming buffer regions per direction: its buffer starts
      // a second region only for data 256 KiB past the first; Seawall keeps
      // one ordered segment list per direction, i.e. one region.
      w.member_uint("ts_max_regions", 1);
      w.member_uint("tc_max_regions", 1);
    }
    w.end_object();
  }
  end_record(w);
}

}  // namespace seawall
