// Helpers for the tunnel decoder tests: a decoder context with its counters,
// and small builders for the outer headers that carry crafted tunnel bytes.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "core/counters.h"
#include "decode/decoder.h"
#include "decode/packet.h"

namespace seawall::tunnel_test {

using Bytes = std::vector<uint8_t>;
// Several inputs checked by one loop.
using ByteCases = std::initializer_list<const Bytes*>;

// Decoder context (default options) plus counter lookup by name.
struct Harness {
  DecodeOptions options;
  ThreadCounters counters;
  DecodeContext ctx{options, counters};

  uint64_t counter(std::string_view name) const {
    const auto& all = all_counters();
    for (size_t i = 0; i < all.size(); ++i) {
      if (all[i].name == name) return counters.get_index(i);
    }
    return UINT64_MAX;  // unknown counter: fails any equality check
  }
};

inline Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

inline void put16(Bytes& b, size_t at, uint16_t v) {
  b[at] = static_cast<uint8_t>(v >> 8);
  b[at + 1] = static_cast<uint8_t>(v);
}

// IPv4 header (no options) with a correct header checksum.
inline Bytes ipv4_header(uint8_t proto, size_t payload_len, uint8_t last_src = 1,
                         uint8_t last_dst = 2) {
  Bytes h = {0x45, 0x00, 0x00, 0x00, 0x12, 0x34, 0x00, 0x00, 0x40, proto, 0x00, 0x00,
             10,   0,    0,    last_src, 10, 0,   0,    last_dst};
  put16(h, 2, static_cast<uint16_t>(20 + payload_len));
  uint32_t sum = 0;
  for (size_t i = 0; i < h.size(); i += 2) sum += (uint32_t{h[i]} << 8) | h[i + 1];
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  put16(h, 10, static_cast<uint16_t>(~sum));
  return h;
}

// IPv6 header: 2001:db8::<last_src> -> 2001:db8::<last_dst>.
inline Bytes ipv6_header(uint8_t next_header, size_t payload_len, uint8_t last_src = 1,
                         uint8_t last_dst = 2) {
  Bytes h(40, 0);
  h[0] = 0x60;
  put16(h, 4, static_cast<uint16_t>(payload_len));
  h[6] = next_header;
  h[7] = 64;
  h[8] = 0x20, h[9] = 0x01, h[10] = 0x0d, h[11] = 0xb8, h[23] = last_src;
  h[24] = 0x20, h[25] = 0x01, h[26] = 0x0d, h[27] = 0xb8, h[39] = last_dst;
  return h;
}

// UDP header with checksum 0 (not computed: checksum validation is off).
inline Bytes udp_header(uint16_t sport, uint16_t dport, size_t payload_len) {
  Bytes h(8, 0);
  put16(h, 0, sport);
  put16(h, 2, dport);
  put16(h, 4, static_cast<uint16_t>(8 + payload_len));
  return h;
}

inline Bytes ethernet_header(uint16_t ether_type) {
  Bytes h = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x00, 0x66, 0x77, 0x88, 0x99, 0xaa, 0, 0};
  put16(h, 12, ether_type);
  return h;
}

// A small complete IPv4/UDP datagram (10.0.0.<src> -> 10.0.0.<dst>, 1111 -> 2222).
inline Bytes ipv4_udp_packet(uint8_t last_src = 7, uint8_t last_dst = 8) {
  const Bytes payload = {'h', 'i'};
  return concat({ipv4_header(17, 8 + payload.size(), last_src, last_dst),
                 udp_header(1111, 2222, payload.size()), payload});
}

// A small complete IPv6/UDP datagram (2001:db8::<src> -> 2001:db8::<dst>).
inline Bytes ipv6_udp_packet(uint8_t last_src = 7, uint8_t last_dst = 8) {
  const Bytes payload = {'h', 'i'};
  return concat({ipv6_header(17, 8 + payload.size(), last_src, last_dst),
                 udp_header(1111, 2222, payload.size()), payload});
}

// A packet whose UDP ports are known, as decode_udp leaves it before it
// calls decode_udp_tunnel.
inline Packet udp_packet(uint16_t sport, uint16_t dport, uint8_t ip_version = 4) {
  Packet p;
  p.ip_version = ip_version;
  p.ip_proto = 17;
  p.has_ports = true;
  p.sport = sport;
  p.dport = dport;
  return p;
}

// Decodes `frame` (starting at `link`) and every tunnel payload it carries,
// as the pipeline does. Returns the number of packets decoded.
inline size_t decode_chain(Harness& h, const Bytes& frame, std::vector<Packet>& chain,
                           LayerKind link = LayerKind::kEthernet) {
  chain.assign(kMaxTunnelDepth + 1, Packet{});
  Packet& outer = chain[0];
  outer.data = frame.data();
  outer.caplen = outer.wirelen = static_cast<uint32_t>(frame.size());
  outer.link = link;
  decode_packet(h.ctx, outer);
  size_t n = 1;
  while (n < chain.size() && chain[n - 1].tunnel.present()) {
    if (!decode_tunnel_payload(h.ctx, chain[n - 1], chain[n])) break;
    ++n;
  }
  return n;
}

}  // namespace seawall::tunnel_test
