// Decoder entry points. One file per layer (ethernet.cc, ipv4.cc, gre.cc, ...);
// each layer validates its header, records what it found on the Packet, adds
// anomaly events for malformed input and hands the rest to the next layer.
// Decoders never throw and never allocate.
#pragma once

#include <cstdint>

#include "core/counters.h"
#include "decode/packet.h"

namespace seawall {

struct DecodeOptions {
  bool validate_checksums = false;  // -k all | none
  // UDP ports that carry tunnels (0 disables the tunnel).
  uint16_t vxlan_port = 4789;
  uint16_t geneve_port = 6081;
  uint16_t gtpu_port = 2152;
  uint16_t teredo_port = 3544;
  uint16_t mpls_over_udp_port = 6635;
  uint16_t gre_over_udp_port = 4754;
  bool use_vlan_for_tracking = true;
  uint32_t max_packet_size = 262144;  // larger caplen: decoder.pkt_too_large
};

// Per-worker decoder state: options (immutable) and counters (thread-owned).
struct DecodeContext {
  const DecodeOptions& options;
  ThreadCounters& counters;
};

// Decodes p.data[0..p.caplen) starting at p.link. Fills the Packet; any
// malformed header adds an event (and sets p.invalid when tracking must stop).
// A tunnel payload is left in p.tunnel for the caller to decode as an inner
// packet (see decode_tunnel_payload).
void decode_packet(DecodeContext& ctx, Packet& p);

// Prepares `inner` as the packet carried in outer.tunnel and decodes it.
// Returns false (and adds decoder.too_many_layers to outer, which is why
// outer is not const) when the nesting limit is reached.
bool decode_tunnel_payload(DecodeContext& ctx, Packet& outer, Packet& inner);
// Decodes a datagram rebuilt by defragmentation (starting with its IP header)
// as a packet of the same tunnel level as `fragment` (same outer packets, VLAN
// ids), with pkt_src "defrag", so it lands in the flow its unfragmented
// siblings use.
void decode_reassembled(DecodeContext& ctx, const Packet& fragment, const uint8_t* data,
                        uint32_t len, Packet& out);

// ---- layer functions (used by the dispatchers and by unit tests) ----
void decode_layer(DecodeContext& ctx, Packet& p, LayerKind kind, const uint8_t* data, uint32_t len);
void decode_ethernet(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len);
// Dispatches a payload by ethertype (VLAN, MPLS, PPPoE, IPv4, IPv6, ...).
void decode_ethertype(DecodeContext& ctx, Packet& p, uint16_t ether_type, const uint8_t* data, uint32_t len);
void decode_vlan(DecodeContext& ctx, Packet& p, uint16_t ether_type, const uint8_t* data, uint32_t len);
void decode_mpls(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len);
void decode_pppoe_session(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len);
void decode_pppoe_discovery(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len);
void decode_ppp(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len);
void decode_chdlc(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len);
void decode_sll(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len);
void decode_sll2(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len);
void decode_null(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len, bool network_order);
void decode_ipraw(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len);
void decode_ipv4(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len);
void decode_ipv6(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len);
// Dispatches an IP payload by protocol number (TCP, UDP, ICMP, SCTP, GRE, IP-in-IP).
void decode_ip_payload(DecodeContext& ctx, Packet& p, uint8_t proto, const uint8_t* data, uint32_t len);
void decode_tcp(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len);
void decode_udp(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len);
void decode_icmpv4(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len);
void decode_icmpv6(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len);
void decode_sctp(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len);

// ---- tunnels (gre.cc, erspan.cc, vxlan.cc, geneve.cc, gtpu.cc, teredo.cc, ip_in_ip.cc) ----
void decode_gre(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len);
// ERSPAN type I (no header), II and III; `gre_proto` is the GRE protocol type.
void decode_erspan(DecodeContext& ctx, Packet& p, uint16_t gre_proto, bool gre_has_seq,
                   const uint8_t* data, uint32_t len);
// Called by decode_udp once ports are known: recognises VXLAN, Geneve, GTP-U,
// Teredo, MPLS-over-UDP and GRE-over-UDP payloads and sets p.tunnel.
// Returns true when the payload was taken as a tunnel.
bool decode_udp_tunnel(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len);
// IP protocol 4 / 41 inside IPv4 or IPv6.
void decode_ip_in_ip(DecodeContext& ctx, Packet& p, LayerKind inner, const uint8_t* data, uint32_t len);
// UDP tunnel payload decoders (vxlan.cc, geneve.cc, gtpu.cc, teredo.cc, ayiya.cc),
// chosen by decode_udp_tunnel from the ports. Each returns false when the
// payload does not validate as that tunnel (it then stays a plain UDP flow).
bool decode_vxlan(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len);
bool decode_vxlan_gpe(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len);
bool decode_geneve(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len);
bool decode_gtpu(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len);
bool decode_teredo(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len);
// AYIYA ("Anything In Anything", UDP 5072): forwarded IPv4/IPv6 packets.
bool decode_ayiya(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len);
// NSH (RFC 8300) as carried by VXLAN-GPE; the inner packet gets `source`.
void decode_nsh(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len,
                PacketSource source);

// Marks `data` as a tunnel payload of the given kind on p.
inline void set_tunnel(Packet& p, const uint8_t* data, uint32_t len, LayerKind kind, PacketSource source) {
  p.tunnel = TunnelPayload{data, len, kind, source, 0, 0};
}

// Records an anomaly on the packet and counts it (decoder.event.<name>).
void raise_event(DecodeContext& ctx, Packet& p, DecodeEvent e);

// RFC 1071 one's-complement checksum helpers (checksum.cc).
uint32_t checksum_partial(const uint8_t* data, uint32_t len, uint32_t sum = 0);
uint16_t checksum_fold(uint32_t sum);
// Verifies a TCP/UDP/ICMPv6 checksum over the pseudo-header of p (IPv4 or IPv6).
bool l4_checksum_ok(const Packet& p, uint8_t proto, const uint8_t* l4, uint32_t l4_len);

}  // namespace seawall
