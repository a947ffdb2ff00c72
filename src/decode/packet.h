// One decoded packet: the capture record plus what each layer found.
// Packets live in per-worker fixed storage (no heap); tunnel payloads become
// inner Packets that point back at their outer packet.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

#include "core/ip_address.h"
#include "core/timestamp.h"
#include "decode/decode_event.h"

namespace seawall {

struct Flow;

// Where a packet came from, rendered as EVE "pkt_src" with Suricata's strings
// where Suricata has one ("wire/pcap", "gre tunnel", "vxlan encapsulation", ...).
enum class PacketSource : uint8_t {
  kWire,         // "wire/pcap"
  kGre,          // "gre tunnel"
  kErspan,       // "erspan tunnel"   (mirrored traffic carried in GRE)
  kVxlan,        // "vxlan encapsulation"
  kGeneve,       // "geneve encapsulation"
  kGtpu,         // "gtp-u tunnel"
  kTeredo,       // "teredo tunnel"
  kIpv4Tunnel,   // "ipv4 tunnel"     (4in4, 6in4)
  kIpv6Tunnel,   // "ipv6 tunnel"     (4in6, 6in6)
  kMplsOverUdp,  // "mpls-over-udp tunnel"
  kDefrag,       // "defrag"
};
std::string_view packet_source_name(PacketSource s);

// What lies at the start of a layer: the dispatch key for decode_layer().
enum class LayerKind : uint8_t {
  kEthernet,
  kIpv4,
  kIpv6,
  kIpRaw,      // version nibble decides
  kSll,
  kSll2,
  kNull,       // BSD loopback (host-order family)
  kLoop,       // OpenBSD loopback (network-order family)
  kPpp,
  kChdlc,      // Cisco HDLC (DLT_C_HDLC)
  kMpls,
  kUnknown,
};

// A tunnel payload found while decoding; the pipeline decodes it as a new
// inner Packet after the outer one has been handled.
struct TunnelPayload {
  const uint8_t* data = nullptr;
  uint32_t len = 0;
  LayerKind kind = LayerKind::kUnknown;
  PacketSource source = PacketSource::kWire;
  // Encapsulation header bytes just before `data` that belong to the inner
  // packet's length (Suricata's ERSPAN II tunnel packet starts at the ERSPAN
  // header), and a VLAN id the encapsulation carries (ERSPAN), 0 if none.
  uint16_t encap_len = 0;
  uint16_t vlan = 0;
  bool present() const { return data != nullptr; }
};

namespace tcp_flag {
inline constexpr uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10,
                         kUrg = 0x20, kEce = 0x40, kCwr = 0x80;
}

inline constexpr int kMaxVlanLayers = 3;
inline constexpr int kMaxPacketEvents = 16;
// Max decode nesting (outer packet + tunnels). Beyond it: decoder.too_many_layers.
inline constexpr int kMaxTunnelDepth = 8;

struct Packet {
  // ---- capture record ----
  Timestamp ts;
  uint64_t pcap_cnt = 0;     // 1-based index in the capture (EVE pcap_cnt)
  const uint8_t* data = nullptr;
  uint32_t caplen = 0;       // bytes present
  uint32_t wirelen = 0;      // original length on the wire
  LayerKind link = LayerKind::kEthernet;

  // ---- layer 2 ----
  bool has_ethernet = false;
  std::array<uint8_t, 6> src_mac{}, dst_mac{};
  uint16_t ether_type = 0;   // innermost ethertype seen
  std::array<uint16_t, kMaxVlanLayers> vlan{};
  uint8_t vlan_count = 0;
  uint8_t mpls_count = 0;

  // ---- layer 3 ----
  uint8_t ip_version = 0;    // 0 = no IP layer
  IpAddress src, dst;
  uint8_t ip_proto = 0;      // L4 protocol after extension headers
  uint8_t ttl = 0;           // TTL / hop limit
  uint16_t ip_len = 0;       // total length claimed by the IP header
  const uint8_t* l3 = nullptr;
  uint32_t l3_len = 0;       // bytes from the IP header to the end of the IP payload
  bool is_fragment = false;  // IPv4 MF/offset or IPv6 fragment header
  bool first_fragment = false;  // offset 0: carries the L4 header
  uint32_t ipv6_flow_label = 0;

  // ---- layer 4 ----
  const uint8_t* l4 = nullptr;
  uint32_t l4_len = 0;
  bool has_ports = false;    // TCP/UDP/SCTP header decoded
  uint16_t sport = 0, dport = 0;
  uint8_t tcp_flags = 0;
  uint32_t tcp_seq = 0, tcp_ack = 0;
  uint16_t tcp_window = 0;
  bool has_icmp = false;
  uint8_t icmp_type = 0, icmp_code = 0;
  uint16_t icmp_id = 0, icmp_seq = 0;
  const uint8_t* payload = nullptr;
  uint32_t payload_len = 0;

  // ---- checksums (only computed when validation is on) ----
  bool ip_checksum_bad = false;
  bool l4_checksum_bad = false;

  // ---- tunnelling ----
  PacketSource source = PacketSource::kWire;
  uint8_t tunnel_depth = 0;           // 0 = outermost
  const Packet* outer = nullptr;      // the packet carrying this one
  TunnelPayload tunnel;               // set when this packet carries a tunnel

  // ---- anomalies ----
  std::array<DecodeEvent, kMaxPacketEvents> events{};
  uint8_t event_count = 0;
  bool invalid = false;               // a header was malformed: no flow tracking
  // TCP stream anomalies (stream::StreamEvent codes, raised by the stream stage).
  std::array<uint8_t, 8> stream_events{};
  uint8_t stream_event_count = 0;
  // Set by the stream stage: the payload went into the reassembled stream
  // (delivered now or stored until a hole fills). Such a payload is inspected
  // by stream-capable rules as part of the stream, not again as a packet.
  bool stream_added = false;

  // ---- set by the flow stage ----
  Flow* flow = nullptr;
  bool to_server = true;

  void add_event(DecodeEvent e) {
    if (event_count < kMaxPacketEvents) events[event_count++] = e;
  }
  bool has_event(DecodeEvent e) const {
    for (uint8_t i = 0; i < event_count; ++i)
      if (events[i] == e) return true;
    return false;
  }
  void add_stream_event(uint8_t code) {
    for (uint8_t i = 0; i < stream_event_count; ++i)
      if (stream_events[i] == code) return;
    if (stream_event_count < stream_events.size()) stream_events[stream_event_count++] = code;
  }
  bool has_stream_event(uint8_t code) const {
    for (uint8_t i = 0; i < stream_event_count; ++i)
      if (stream_events[i] == code) return true;
    return false;
  }
  bool is_tcp() const { return ip_proto == 6 && has_ports; }
  bool is_udp() const { return ip_proto == 17 && has_ports; }
};

// Resets every decode field, keeping nothing from a previous use of the slot.
// One block copy of a pre-built empty packet: `p = Packet{}` builds the
// temporary field by field on every packet.
static_assert(std::is_trivially_copyable_v<Packet>);
inline constexpr Packet kEmptyPacket{};
inline void reset_packet(Packet& p) { std::memcpy(&p, &kEmptyPacket, sizeof p); }

}  // namespace seawall
