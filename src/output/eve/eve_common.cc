#include "output/eve/eve_common.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <iterator>

namespace seawall::eve {
namespace {

// Suricata's known_proto table (util-proto-name.c): IANA protocol keywords for
// 0..143; higher numbers are printed as digits.
constexpr std::string_view kProtoNames[] = {
    "HOPOPT", "ICMP", "IGMP", "GGP", "IP-in-IP", "ST", "TCP", "CBT", "EGP", "IGP",
    "BBN-RCC-MON", "NVP-II", "PUP", "ARGUS", "EMCON", "XNET", "CHAOS", "UDP", "MUX",
    "DCN-MEAS", "HMP", "PRM", "XNS-IDP", "TRUNK-1", "TRUNK-2", "LEAF-1", "LEAF-2", "RDP",
    "IRTP", "ISO-TP4", "NETBLT", "MFE-NSP", "MERIT-INP", "DCCP", "3PC", "IDPR", "XTP", "DDP",
    "IDPR-CMTP", "TP++", "IL", "IPv6", "SDRP", "IPv6-Route", "IPv6-Frag", "IDRP", "RSVP",
    "GRE", "DSR", "BNA", "ESP", "AH", "I-NLSP", "SwIPe", "NARP", "MOBILE", "TLSP", "SKIP",
    "IPv6-ICMP", "IPv6-NoNxt", "IPv6-Opts", "Any", "CFTP", "Any", "SAT-EXPAK", "KRYPTOLAN",
    "RVD", "IPPC", "Any", "SAT-MON", "VISA", "IPCU", "CPNX", "CPHB", "WSN", "PVP",
    "BR-SAT-MON", "SUN-ND", "WB-MON", "WB-EXPAK", "ISO-IP", "VMTP", "SECURE-VMTP", "VINES",
    "TTP", "NSFNET-IGP", "DGP", "TCF", "EIGRP", "OSPF", "Sprite-RPC", "LARP", "MTP", "AX.25",
    "OS", "MICP", "SCC-SP", "ETHERIP", "ENCAP", "Any", "GMTP", "IFMP", "PNNI", "PIM", "ARIS",
    "SCPS", "QNX", "A/N", "IPComp", "SNP", "Compaq-Peer", "IPX-in-IP", "VRRP", "PGM", "Any",
    "L2TP", "DDX", "IATP", "STP", "SRP", "UTI", "SMP", "SM", "PTP", "IS-IS", "FIRE", "CRTP",
    "CRUDP", "SSCOPMCE", "IPLT", "SPS", "PIPE", "SCTP", "FC", "RSVP-E2E-IGNORE", "Mobility",
    "UDPLite", "MPLS-in-IP", "manet", "HIP", "Shim6", "WESP", "ROHC", "Ethernet",
};
static_assert(sizeof(kProtoNames) / sizeof(kProtoNames[0]) == 144);

const Packet& root_of(const Packet& p) {
  const Packet* r = &p;
  // Bounded walk: the decoder caps nesting at kMaxTunnelDepth.
  for (int i = 0; r->outer != nullptr && i <= kMaxTunnelDepth; ++i) r = r->outer;
  return *r;
}

void write_vlan_array(JsonWriter& w, const uint16_t* ids, size_t count) {
  if (count == 0) return;
  w.key("vlan");
  w.begin_array();
  for (size_t i = 0; i < count; ++i) w.uinteger(ids[i]);
  w.end_array();
}

}  // namespace

std::string_view ip_proto_name(uint8_t proto, char (&buf)[4]) {
  if (proto < std::size(kProtoNames)) return kProtoNames[proto];
  auto r = std::to_chars(buf, buf + sizeof buf, static_cast<unsigned>(proto));
  return std::string_view(buf, static_cast<size_t>(r.ptr - buf));
}

void write_timestamp(JsonWriter& w, std::string_view key, Timestamp ts) {
  char buf[kEveTimestampLen + 2];
  buf[0] = '"';
  format_eve_timestamp(ts, buf + 1);
  buf[kEveTimestampLen + 1] = '"';
  w.key(key);
  w.raw(std::string_view(buf, sizeof buf));  // digits and punctuation only
}

namespace {
std::atomic<bool> g_ipv6_compressed{false};
}  // namespace

void set_ipv6_compressed(bool compressed) {
  g_ipv6_compressed.store(compressed, std::memory_order_relaxed);
}

void write_ip(JsonWriter& w, std::string_view key, const IpAddress& addr) {
  char buf[64];
  const size_t n = g_ipv6_compressed.load(std::memory_order_relaxed) ? addr.format(buf)
                                                                      : addr.format_expanded(buf);
  w.key(key);
  w.string(std::string_view(buf, n));
}

void write_mac(JsonWriter& w, std::string_view key, const uint8_t* mac) {
  static constexpr char kHex[] = "0123456789abcdef";
  char buf[17];
  for (int i = 0; i < 6; ++i) {
    buf[i * 3] = kHex[mac[i] >> 4];
    buf[i * 3 + 1] = kHex[mac[i] & 0xf];
    if (i < 5) buf[i * 3 + 2] = ':';
  }
  w.key(key);
  w.string(std::string_view(buf, sizeof buf));
}

void write_packet_header(JsonWriter& w, const EveConfig& config, const Packet& p,
                         std::string_view event_type) {
  write_timestamp(w, "timestamp", p.ts);
  if (p.flow != nullptr) w.member_int("flow_id", flow_id(*p.flow));
  if (p.pcap_cnt != 0) w.member_uint("pcap_cnt", p.pcap_cnt);
  w.member("event_type", event_type);
  write_vlan_array(w, p.vlan.data(), std::min<size_t>(p.vlan_count, p.vlan.size()));

  if (p.ip_version == 4 || p.ip_version == 6) {
    const bool ports = proto_has_ports(p.ip_proto) && p.has_ports;
    write_ip(w, "src_ip", p.src);
    if (ports) w.member_uint("src_port", p.sport);
    write_ip(w, "dest_ip", p.dst);
    if (ports) w.member_uint("dest_port", p.dport);
    char num[4];
    w.member("proto", ip_proto_name(p.ip_proto, num));
    w.member_uint("ip_v", p.ip_version);
    if (p.has_icmp && (p.ip_proto == 1 || p.ip_proto == 58)) {
      w.member_uint("icmp_type", p.icmp_type);
      w.member_uint("icmp_code", p.icmp_code);
    }
  }
  w.member("pkt_src", packet_source_name(p.source));

  // EveAddCommonOptions: ether, then community_id.
  if (config.ethernet && p.has_ethernet) {
    w.key("ether");
    w.begin_object();
    w.member_uint("ether_type", p.ether_type);
    write_mac(w, "src_mac", p.src_mac.data());
    write_mac(w, "dest_mac", p.dst_mac.data());
    w.end_object();
  }
  if (p.flow != nullptr) write_community_id(w, config, *p.flow);
}

void write_packet_tunnel(JsonWriter& w, const Packet& p) {
  if (p.outer == nullptr) return;
  const Packet& root = root_of(p);
  w.key("tunnel");
  w.begin_object();
  if (root.ip_version == 4 || root.ip_version == 6) {
    // Suricata writes the outer ports unconditionally (0 when there are none).
    const bool ports = proto_has_ports(root.ip_proto) && root.has_ports;
    write_ip(w, "src_ip", root.src);
    w.member_uint("src_port", ports ? root.sport : 0);
    write_ip(w, "dest_ip", root.dst);
    w.member_uint("dest_port", ports ? root.dport : 0);
    char num[4];
    w.member("proto", ip_proto_name(root.ip_proto, num));
  }
  w.member_uint("depth", p.tunnel_depth);
  if (root.pcap_cnt != 0) w.member_uint("pcap_cnt", root.pcap_cnt);
  w.member("pkt_src", packet_source_name(root.source));
  w.end_object();
}

void write_flow_header(JsonWriter& w, const Flow& f, Timestamp now, std::string_view event_type) {
  const FlowKey& k = f.key;
  write_timestamp(w, "timestamp", now);
  w.member_int("flow_id", flow_id(f));
  w.member("event_type", event_type);
  size_t vlans = 0;
  while (vlans < k.vlan.size() && k.vlan[vlans] != 0) ++vlans;
  write_vlan_array(w, k.vlan.data(), vlans);

  const bool ports = proto_has_ports(k.proto);
  write_ip(w, "src_ip", k.src);
  if (ports) w.member_uint("src_port", k.sport);
  write_ip(w, "dest_ip", k.dst);
  if (ports) w.member_uint("dest_port", k.dport);
  char num[4];
  w.member("proto", ip_proto_name(k.proto, num));
  w.member_uint("ip_v", f.ip_version);
  if ((k.proto == 1 || k.proto == 58) && f.has_icmp) {
    w.member_uint("icmp_type", f.icmp_type);
    w.member_uint("icmp_code", f.icmp_code);
    if (f.has_response_icmp) {
      w.member_uint("response_icmp_type", f.response_icmp_type);
      w.member_uint("response_icmp_code", f.response_icmp_code);
    }
  }
  // Suricata's flow records do not say where a flow came from; for a carrier
  // a flow seen only inside a GRE/ERSPAN/GTP-U tunnel is exactly the point.
  if (f.source != PacketSource::kWire) w.member("pkt_src", packet_source_name(f.source));
}

void write_app_header(JsonWriter& w, const EveConfig& config, const Flow& f, const Packet* p,
                      std::string_view event_type, bool to_client) {
  write_timestamp(w, "timestamp", p != nullptr ? p->ts : f.last);
  w.member_int("flow_id", flow_id(f));
  if (p != nullptr && p->pcap_cnt != 0) w.member_uint("pcap_cnt", p->pcap_cnt);
  w.member("event_type", event_type);
  write_vlan_array(w, f.key.vlan.data(), f.key.vlan_count());
  const bool ports = proto_has_ports(f.key.proto);
  write_ip(w, "src_ip", to_client ? f.key.dst : f.key.src);
  if (ports) w.member_uint("src_port", to_client ? f.key.dport : f.key.sport);
  write_ip(w, "dest_ip", to_client ? f.key.src : f.key.dst);
  if (ports) w.member_uint("dest_port", to_client ? f.key.sport : f.key.dport);
  char num[4];
  w.member("proto", ip_proto_name(f.key.proto, num));
  w.member_uint("ip_v", f.ip_version);
  w.member("pkt_src", packet_source_name(p != nullptr ? p->source : f.source));
  write_community_id(w, config, f);
}

void write_app_proto(JsonWriter& w, const Flow& f) {
  if (f.app_proto == kAppProtoUnknown) return;
  w.member("app_proto", app_proto_name(f.app_proto));
  auto differs = [&](AppProto other) {
    return other != kAppProtoUnknown && other != f.app_proto;
  };
  if (differs(f.app_proto_ts)) w.member("app_proto_ts", app_proto_name(f.app_proto_ts));
  if (differs(f.app_proto_tc)) w.member("app_proto_tc", app_proto_name(f.app_proto_tc));
  if (differs(f.app_proto_orig)) w.member("app_proto_orig", app_proto_name(f.app_proto_orig));
}

void write_community_id(JsonWriter& w, const EveConfig& config, const Flow& f) {
  if (!config.community_id) return;
  char buf[kCommunityIdMaxLen];
  size_t n = community_id_v1(f, config.community_id_seed, buf);
  if (n == 0) return;
  w.member("community_id", std::string_view(buf, n));
}

}  // namespace seawall::eve
