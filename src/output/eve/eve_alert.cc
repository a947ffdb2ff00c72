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

void write_metadata(JsonWriter& w, const std::vector<std::string>& entries);

// Suricata's AlertJsonHeader: what happened to the packet — rejects always
// block; drops only in IPS mode; a rate_filter-changed action reports the
// packet's verdict.
std::string_view alert_action_text(const detect::PacketAlert& a, const detect::PacketAlerts* v,
                                   bool ips) {
  if (a.rate_modified) return v != nullptr && v->drop ? "blocked" : "allowed";
  if (detect::is_reject(a.action)) return "blocked";
  if (a.action == detect::Action::kDrop && ips) return "blocked";
  return "allowed";
}

// Suricata's EveAddVerdict: the packet's final action.
void write_verdict(JsonWriter& w, const Packet& p, const detect::PacketAlerts* v, bool ips) {
  w.key("verdict");
  w.begin_object();
  if (v != nullptr && v->reject != detect::Action::kAlert) {
    w.member("action", ips ? "drop" : "alert");
    switch (v->reject) {
      case detect::Action::kRejectDst: w.member("reject-target", "to_server"); break;
      case detect::Action::kRejectBoth: w.member("reject-target", "both"); break;
      default: w.member("reject-target", "to_client"); break;
    }
    w.key("reject");
    w.begin_array();
    if (p.ip_proto == 6) w.string("tcp-reset");
    else if (p.ip_proto == 17 || p.ip_proto == 1 || p.ip_proto == 58) w.string("icmp-prohib");
    w.end_array();
  } else if (v != nullptr && v->drop && ips) {
    w.member("action", "drop");
  } else if (v != nullptr && v->pass) {
    w.member("action", "pass");
  } else {
    w.member("action", "alert");
  }
  w.end_object();
}

// The "alert" object (also embedded in drop records).
void write_alert_object(JsonWriter& w, const EveConfig& config, const Packet& p,
                        const detect::PacketAlert& a, const detect::PacketAlerts* v) {
  const detect::Rule& r = *a.rule;
  w.key("alert");
  w.begin_object();
  w.member("action", alert_action_text(a, v, config.ips_mode));
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
  if (config.alert_references && !r.references.empty()) {
    // Suricata's AlertJsonReference: the system's URL prefix + the value.
    w.key("references");
    w.begin_array();
    for (const detect::Reference& ref : r.references) w.string_concat(ref.prefix, ref.value);
    w.end_array();
  }
  if (config.alert_metadata) write_metadata(w, r.metadata);
  if (config.alert_rule) w.member("rule", r.text);
  w.end_object();
}

uint16_t be16_at(const uint8_t* base, uint32_t len, uint32_t off) {
  return base != nullptr && off + 2 <= len ? static_cast<uint16_t>(base[off] << 8 | base[off + 1])
                                           : 0;
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

// "packet_info" after "packet": the link type the logged bytes start with, as
// Suricata 8 (tunnel payloads are raw IP there, reassembled datagrams IPv4/6).
void write_packet_info(JsonWriter& w, const Packet& p) {
  int linktype = -1;
  std::string_view name;
  if (p.source == PacketSource::kDefrag) {
    linktype = p.ip_version == 6 ? 229 : 228;
  } else if (p.outer != nullptr) {
    linktype = 12;
  } else {
    switch (p.link) {
      case LayerKind::kEthernet: linktype = 1; break;
      case LayerKind::kNull: linktype = 0; break;
      case LayerKind::kPpp: linktype = 9; break;
      case LayerKind::kIpRaw: linktype = 12; break;
      case LayerKind::kChdlc: linktype = 104; break;
      case LayerKind::kLoop: linktype = 108; break;
      case LayerKind::kSll: linktype = 113; break;
      case LayerKind::kIpv4: linktype = 228; break;
      case LayerKind::kIpv6: linktype = 229; break;
      case LayerKind::kSll2: linktype = 276; break;
      default: return;
    }
  }
  switch (linktype) {
    case 0: name = "NULL"; break;
    case 1: name = "EN10MB"; break;
    case 9: name = "PPP"; break;
    case 12: name = "RAW"; break;
    case 104: name = "C_HDLC"; break;
    case 108: name = "LOOP"; break;
    case 113: name = "LINUX_SLL"; break;
    case 228: name = "IPv4"; break;
    case 229: name = "IPv6"; break;
    case 276: name = "LINUX_SLL2"; break;
    default: break;
  }
  w.key("packet_info");
  w.begin_object();
  w.member_int("linktype", linktype);
  w.member("linktype_name", name);
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

void EveWriter::log_app(const Flow& flow, const Packet* p, uint64_t tx_id, const EveAppObject& app,
                        bool to_client) {
  if (!config_.enabled) return;
  begin_record();
  JsonWriter w(buffer_);
  w.begin_object();
  eve::write_app_header(w, config_, flow, p, app.key(), to_client);
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

void EveWriter::log_alert(const Packet& p, const detect::PacketAlert& a, const EveAppObject* app,
                          const detect::PacketAlerts* verdict) {
  if (!config_.enabled || !config_.alert || a.rule == nullptr) return;
  begin_record();
  JsonWriter w(buffer_);
  w.begin_object();
  eve::write_packet_header(w, config_, p, "alert");
  if (a.has_tx) w.member_uint("tx_id", a.tx_id);
  write_alert_object(w, config_, p, a, verdict);
  if (config_.alert_verdict) write_verdict(w, p, verdict, config_.ips_mode);

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
  if (config_.alert_packet && p.caplen > 0) {
    write_base64(w, "packet", p.data, p.caplen);
    write_packet_info(w, p);
  }
  eve::write_packet_tunnel(w, p);
  end_record(w);
}

void EveWriter::log_tagged_packet(const Packet& p) {
  if (!config_.enabled || !config_.alert || !config_.alert_tagged_packets) return;
  begin_record();
  JsonWriter w(buffer_);
  w.begin_object();
  eve::write_packet_header(w, config_, p, "packet");
  write_base64(w, "packet", p.data, p.caplen);
  write_packet_info(w, p);
  end_record(w);
}

void EveWriter::log_drop(const Packet& p, const detect::PacketAlerts& v) {
  if (!config_.enabled || !config_.drop || !config_.ips_mode || !v.drop) return;
  const int dir = p.to_server ? 0 : 1;
  if (!config_.drop_flows_all && p.flow != nullptr) {
    // flows: start — a dropped flow is logged once per direction; a packet a
    // rule dropped is logged anyway.
    const bool first = p.flow->action == FlowAction::kDrop && !p.flow->drop_logged[dir];
    if (!first && v.drop_alert.rule == nullptr) return;
  }
  if (p.flow != nullptr && p.flow->action == FlowAction::kDrop) p.flow->drop_logged[dir] = true;
  begin_record();
  JsonWriter w(buffer_);
  w.begin_object();
  eve::write_packet_header(w, config_, p, "drop");
  w.key("drop");
  w.begin_object();
  const uint8_t* l3 = p.l3;
  const uint32_t l3_len = p.l3_len;
  if (p.ip_version == 4) {
    w.member_uint("len", p.ip_len);
    w.member_uint("tos", l3 != nullptr && l3_len > 1 ? l3[1] : 0);
    w.member_uint("ttl", p.ttl);
    w.member_uint("ipid", be16_at(l3, l3_len, 4));
  } else if (p.ip_version == 6) {
    w.member_uint("len", be16_at(l3, l3_len, 4));
    w.member_uint("tc", (be16_at(l3, l3_len, 0) >> 4) & 0xff);
    w.member_uint("hoplimit", p.ttl);
    w.member_uint("flowlbl", p.ipv6_flow_label);
  }
  if (p.is_tcp()) {
    w.member_uint("tcpseq", p.tcp_seq);
    w.member_uint("tcpack", p.tcp_ack);
    w.member_uint("tcpwin", p.tcp_window);
    w.member_bool("syn", (p.tcp_flags & 0x02) != 0);
    w.member_bool("ack", (p.tcp_flags & 0x10) != 0);
    w.member_bool("psh", (p.tcp_flags & 0x08) != 0);
    w.member_bool("rst", (p.tcp_flags & 0x04) != 0);
    w.member_bool("urg", (p.tcp_flags & 0x20) != 0);
    w.member_bool("fin", (p.tcp_flags & 0x01) != 0);
    w.member_uint("tcpres", p.l4 != nullptr && p.l4_len > 12 ? (p.l4[12] & 0x0f) : 0);
    w.member_uint("tcpurgp", be16_at(p.l4, p.l4_len, 18));
  } else if (p.is_udp()) {
    w.member_uint("udplen", be16_at(p.l4, p.l4_len, 4));
  } else if (p.has_icmp && (p.ip_proto == 1 || p.ip_proto == 58)) {
    w.member_uint("icmp_id", p.icmp_id);
    w.member_uint("icmp_seq", p.icmp_seq);
  }
  // Suricata's PacketDropReasonToString.
  w.member("reason", v.drop_alert.rule == nullptr ? "flow drop"
                     : v.threshold_drop           ? "threshold detection_filter"
                                                  : "rules");
  if (config_.drop_verdict) write_verdict(w, p, &v, config_.ips_mode);
  w.end_object();
  if (config_.drop_alerts && v.drop_alert.rule != nullptr)
    write_alert_object(w, config_, p, v.drop_alert, &v);
  eve::write_packet_tunnel(w, p);
  end_record(w);
}

}  // namespace seawall
