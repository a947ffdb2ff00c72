// EVE "alert" records (Suricata's output-json-alert.c): the packet header, the
// alert object, direction and the flow's counters so far.
#include "detect/engine/alert.h"
#include "output/eve/eve_common.h"
#include "output/eve/eve_writer.h"
#include "output/eve/json_writer.h"

#include <openssl/evp.h>

#include <string_view>

namespace seawall {
namespace {

std::string_view alert_action_text(detect::Action a) {
  // Suricata reports what happened to the packet, not the rule keyword.
  switch (a) {
    case detect::Action::kDrop:
    case detect::Action::kReject:
    case detect::Action::kRejectSrc:
    case detect::Action::kRejectDst:
    case detect::Action::kRejectBoth:
      return "blocked";
    default:
      return "allowed";
  }
}

// Rule metadata "key value" entries grouped as {"key":["value", ...]}, keys in
// first-seen order, as Suricata's DetectMetadataHead JSON.
void write_metadata(JsonWriter& w, const std::vector<std::string>& entries) {
  if (entries.empty()) return;
  w.key("metadata");
  w.begin_object();
  std::vector<bool> done(entries.size(), false);
  for (size_t i = 0; i < entries.size(); ++i) {
    if (done[i]) continue;
    std::string_view e = entries[i];
    size_t sp = e.find(' ');
    std::string_view key = sp == std::string_view::npos ? e : e.substr(0, sp);
    w.key(key);
    w.begin_array();
    for (size_t j = i; j < entries.size(); ++j) {
      std::string_view f = entries[j];
      size_t fsp = f.find(' ');
      std::string_view fkey = fsp == std::string_view::npos ? f : f.substr(0, fsp);
      if (fkey != key) continue;
      done[j] = true;
      w.string(fsp == std::string_view::npos ? std::string_view{} : f.substr(fsp + 1));
    }
    w.end_array();
  }
  w.end_object();
}

void write_base64(JsonWriter& w, std::string_view key, const uint8_t* data, uint32_t len) {
  // EVP_EncodeBlock writes 4 bytes per 3 plus a terminator; chunked so no
  // allocation is needed whatever the packet size.
  w.key(key);
  w.raw({});  // consumes the key's value slot so the next member gets its comma
  std::string& out = w.buffer();
  out.push_back('"');
  unsigned char chunk[4 * 256 + 1];
  for (uint32_t off = 0; off < len; off += 768) {
    uint32_t n = len - off < 768 ? len - off : 768;
    int m = EVP_EncodeBlock(chunk, data + off, static_cast<int>(n));
    out.append(reinterpret_cast<const char*>(chunk), static_cast<size_t>(m));
  }
  out.push_back('"');
}

void write_printable(JsonWriter& w, std::string_view key, const uint8_t* data, uint32_t len) {
  // Suricata's PrintStringsToBuffer: printable ASCII kept, the rest as '.'.
  w.key(key);
  w.raw({});  // consumes the key's value slot so the next member gets its comma
  std::string& out = w.buffer();
  out.push_back('"');
  for (uint32_t i = 0; i < len; ++i) {
    uint8_t c = data[i];
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
    } else if (c == '\n') {
      out.append("\\n");
    } else if (c == '\r') {
      out.append("\\r");
    } else if (c == '\t') {
      out.append("\\t");
    } else {
      out.push_back('.');
    }
  }
  out.push_back('"');
}

}  // namespace

void EveWriter::log_app(const Flow& flow, const Packet* p, uint64_t tx_id, const EveAppObject& app) {
  if (!config_.enabled) return;
  begin_record();
  JsonWriter w(buffer_);
  w.begin_object();
  eve::write_app_header(w, config_, flow, p, app.key());
  w.member_uint("tx_id", tx_id);
  w.key(app.key());
  w.begin_object();
  app.write_members(w);
  w.end_object();
  end_record(w);
}

void EveWriter::log_file(const Flow& flow, const Packet* p, bool to_client,
                         const EveAppObject* app, const EveAppObject& file) {
  if (!config_.enabled) return;
  begin_record();
  JsonWriter w(buffer_);
  w.begin_object();
  eve::write_app_header(w, config_, flow, p, file.key(), to_client);
  if (app != nullptr) {
    w.key(app->key());
    w.begin_object();
    app->write_members(w);
    w.end_object();
  }
  if (flow.app_proto != kAppProtoUnknown) w.member("app_proto", app_proto_name(flow.app_proto));
  w.key(file.key());
  w.begin_object();
  file.write_members(w);
  w.end_object();
  end_record(w);
}

void EveWriter::log_alert(const Packet& p, const detect::PacketAlert& a, const EveAppObject* app) {
  if (!config_.enabled || !config_.alert || a.rule == nullptr) return;
  const detect::Rule& r = *a.rule;
  begin_record();
  JsonWriter w(buffer_);
  w.begin_object();
  eve::write_packet_header(w, config_, p, "alert");
  if (a.has_tx) w.member_uint("tx_id", a.tx_id);

  w.key("alert");
  w.begin_object();
  w.member("action", alert_action_text(a.action));
  w.member_uint("gid", r.gid);
  w.member_uint("signature_id", r.sid);
  w.member_uint("rev", r.rev);
  w.member("signature", r.msg);
  w.member("category", r.category);
  w.member_int("severity", r.priority);
  if (r.target != detect::Rule::Target::kNone && p.ip_version != 0) {
    // target:dest_ip means the destination is the victim.
    const bool target_is_dst = r.target == detect::Rule::Target::kDst;
    const bool ports = eve::proto_has_ports(p.ip_proto) && p.has_ports;
    w.key("source");
    w.begin_object();
    eve::write_ip(w, "ip", target_is_dst ? p.src : p.dst);
    if (ports) w.member_uint("port", target_is_dst ? p.sport : p.dport);
    w.end_object();
    w.key("target");
    w.begin_object();
    eve::write_ip(w, "ip", target_is_dst ? p.dst : p.src);
    if (ports) w.member_uint("port", target_is_dst ? p.dport : p.sport);
    w.end_object();
  }
  if (config_.alert_references && !r.references.empty()) {
    // Suricata's AlertJsonReference: the system's URL prefix + the value.
    w.key("references");
    w.begin_array();
    for (const detect::Reference& ref : r.references) w.string_concat(ref.prefix, ref.value);
    w.end_array();
  }
  if (config_.alert_metadata) write_metadata(w, r.metadata);
  if (config_.alert_rule) w.member("rule", r.text);
  w.end_object();

  if (app != nullptr) {
    w.key(app->key());
    w.begin_object();
    app->write_members(w);
    w.end_object();
  }
  if (p.flow != nullptr) {
    const Flow& f = *p.flow;
    eve::write_app_proto(w, f);
    w.member("direction", p.to_server ? "to_server" : "to_client");
    w.key("flow");
    w.begin_object();
    w.member_uint("pkts_toserver", f.pkts_toserver);
    w.member_uint("pkts_toclient", f.pkts_toclient);
    w.member_uint("bytes_toserver", f.bytes_toserver);
    w.member_uint("bytes_toclient", f.bytes_toclient);
    eve::write_timestamp(w, "start", f.start);
    eve::write_ip(w, "src_ip", f.key.src);
    eve::write_ip(w, "dest_ip", f.key.dst);
    if (eve::proto_has_ports(f.key.proto)) {
      w.member_uint("src_port", f.key.sport);
      w.member_uint("dest_port", f.key.dport);
    }
    w.end_object();
  }
  // A stream match logs the reassembled window it matched in (Suricata logs
  // the stream segment data and "stream": 1).
  const uint8_t* payload = a.stream_match ? a.stream_data : p.payload;
  const uint32_t payload_len = a.stream_match ? a.stream_len : p.payload_len;
  if (config_.alert_payload && payload_len > 0) write_base64(w, "payload", payload, payload_len);
  if (config_.alert_payload_printable && payload_len > 0)
    write_printable(w, "payload_printable", payload, payload_len);
  if (config_.alert_payload || config_.alert_payload_printable)
    w.member_uint("stream", a.stream_match ? 1 : 0);
  if (config_.alert_packet && p.caplen > 0) write_base64(w, "packet", p.data, p.caplen);
  eve::write_packet_tunnel(w, p);
  end_record(w);
}

}  // namespace seawall
