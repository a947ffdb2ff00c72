// The fields every EVE record starts with, in Suricata's order, shared by the
// per-event writers (flow, anomaly, stats here; alert and app-layer loggers
// later). Packet records follow CreateEveHeader(); flow records follow
// CreateEveHeaderFromFlow().
#pragma once

#include <cstdint>
#include <string_view>

#include "core/ip_address.h"
#include "core/timestamp.h"
#include "decode/packet.h"
#include "flow/flow.h"
#include "output/eve/eve_writer.h"
#include "output/eve/json_writer.h"

namespace seawall::eve {

// Suricata's "proto" text: the IANA keyword ("TCP", "IPv6-ICMP", "GRE", ...)
// for the protocols Suricata names, else the decimal number ("253").
// `buf` backs the numeric form; the result is valid while buf lives.
std::string_view ip_proto_name(uint8_t proto, char (&buf)[4]);

// Whether Suricata logs src_port/dest_port for this IP protocol.
constexpr bool proto_has_ports(uint8_t proto) { return proto == 6 || proto == 17 || proto == 132; }

void write_timestamp(JsonWriter& w, std::string_view key, Timestamp ts);
// Addresses as Suricata writes them: IPv6 expanded unless set_ipv6_compressed
// (EveConfig::ipv6_compress, one setting per process, applied by EveWriter).
void write_ip(JsonWriter& w, std::string_view key, const IpAddress& addr);
void set_ipv6_compressed(bool compressed);
void write_mac(JsonWriter& w, std::string_view key, const uint8_t* mac);

// timestamp, flow_id, pcap_cnt, event_type, vlan, src_ip, src_port, dest_ip,
// dest_port, proto, ip_v, icmp_type, icmp_code, pkt_src, ether, community_id.
// Address fields are left out for packets without an IP layer, as Suricata does.
void write_packet_header(JsonWriter& w, const EveConfig& config, const Packet& p,
                         std::string_view event_type);

// "tunnel": the outermost packet's tuple for a packet decoded from a tunnel
// (Suricata's AlertJsonTunnel). Nothing for a packet seen on the wire.
void write_packet_tunnel(JsonWriter& w, const Packet& p);

// timestamp (= `now`, the time the record is written, as Suricata's TimeGet()),
// flow_id, event_type, vlan, src_ip, src_port, dest_ip, dest_port, proto, ip_v,
// icmp_type, icmp_code, response_icmp_type, response_icmp_code. src is the
// flow's initiator.
void write_flow_header(JsonWriter& w, const Flow& f, Timestamp now, std::string_view event_type);

// Header of an app-layer record (Suricata's CreateEveHeader with LOG_DIR_FLOW):
// timestamp of p (flow's last packet time at flow end), flow_id, pcap_cnt,
// event_type, vlan, the flow's tuple with src = client, proto, ip_v,
// pkt_src, community_id. `to_client`: the tuple from the server's side
// (LOG_DIR_PACKET for a to-client record, LOG_DIR_FLOW_TOCLIENT for a file
// the server sends).
void write_app_header(JsonWriter& w, const EveConfig& config, const Flow& f, const Packet* p,
                      std::string_view event_type, bool to_client = false);

// "app_proto" (+ app_proto_ts/tc/orig when they differ) of a flow, if known.
void write_app_proto(JsonWriter& w, const Flow& f);

// "community_id" of a flow when enabled.
void write_community_id(JsonWriter& w, const EveConfig& config, const Flow& f);

}  // namespace seawall::eve
