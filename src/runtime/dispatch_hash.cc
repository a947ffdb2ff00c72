#include "runtime/dispatch_hash.h"

#include <algorithm>
#include <cstring>

#include "core/byte_view.h"
#include "core/hash.h"

namespace seawall {
namespace {

uint64_t hash_endpoints(const uint8_t* a, const uint8_t* b, size_t addr_len, uint16_t pa,
                        uint16_t pb) {
  // Order the endpoints so (a,pa)-(b,pb) and (b,pb)-(a,pa) hash alike.
  int c = std::memcmp(a, b, addr_len);
  if (c > 0 || (c == 0 && pa > pb)) {
    std::swap(a, b);
    std::swap(pa, pb);
  }
  // The protocol is left out on purpose: IPv6 extension headers would make
  // packets of one flow disagree on it.
  uint8_t buf[16 + 16 + 4];
  std::memcpy(buf, a, addr_len);
  std::memcpy(buf + addr_len, b, addr_len);
  store_be16(buf + 2 * addr_len, pa);
  store_be16(buf + 2 * addr_len + 2, pb);
  return hash_bytes(buf, 2 * addr_len + 4);
}

bool has_ports(uint8_t proto) { return proto == 6 || proto == 17 || proto == 132; }

bool is_tunnel_port(uint16_t port, const DecodeOptions& o) {
  return port != 0 && (port == o.vxlan_port || port == o.geneve_port || port == o.gtpu_port ||
                       port == o.teredo_port || port == o.mpls_over_udp_port ||
                       port == o.gre_over_udp_port || port == 4790 /* VXLAN-GPE */);
}

void drop_tunnel_ports(uint8_t proto, uint16_t& sp, uint16_t& dp, const DecodeOptions& o) {
  if (proto == 17 && (is_tunnel_port(sp, o) || is_tunnel_port(dp, o))) sp = dp = 0;
}

uint64_t hash_ip(const uint8_t* p, uint32_t len, const DecodeOptions& o, bool use_ports) {
  if (len < 1) return 0;
  uint8_t version = p[0] >> 4;
  if (version == 4 && len >= 20) {
    uint32_t hlen = (p[0] & 0x0f) * 4u;
    uint8_t proto = p[9];
    bool fragment = (load_be16(p + 6) & 0x3fff) != 0;
    uint16_t sp = 0, dp = 0;
    if (use_ports && !fragment && has_ports(proto) && hlen >= 20 && len >= hlen + 4) {
      sp = load_be16(p + hlen);
      dp = load_be16(p + hlen + 2);
      drop_tunnel_ports(proto, sp, dp, o);
    }
    return hash_endpoints(p + 12, p + 16, 4, sp, dp);
  }
  if (version == 6 && len >= 40) {
    // Walk hop-by-hop, routing and destination options to reach the ports;
    // a fragment header (or anything else) leaves addresses only.
    uint8_t next = p[6];
    uint32_t off = 40;
    for (int i = 0; i < 8 && (next == 0 || next == 43 || next == 60); ++i) {
      if (len < off + 8) break;
      uint8_t following = p[off];
      off += (uint32_t{p[off + 1]} + 1) * 8;
      next = following;
    }
    uint16_t sp = 0, dp = 0;
    if (use_ports && has_ports(next) && len >= off + 4) {
      sp = load_be16(p + off);
      dp = load_be16(p + off + 2);
      drop_tunnel_ports(next, sp, dp, o);
    }
    return hash_endpoints(p + 8, p + 24, 16, sp, dp);
  }
  return 0;
}

uint64_t hash_ethertype(uint16_t type, const uint8_t* p, uint32_t len, const DecodeOptions& o,
                        bool use_ports) {
  // Skip up to three VLAN tags; anything else hashes as 0 (one worker).
  for (int i = 0; i < 3 && (type == 0x8100 || type == 0x88a8 || type == 0x9100); ++i) {
    if (len < 4) return 0;
    type = load_be16(p + 2);
    p += 4;
    len -= 4;
  }
  if (type == 0x0800 || type == 0x86dd) return hash_ip(p, len, o, use_ports);
  if (type == 0x8864 && len >= 8) {  // PPPoE session carrying IP
    uint16_t ppp = load_be16(p + 6);
    if (ppp == 0x0021 || ppp == 0x0057) return hash_ip(p + 8, len - 8, o, use_ports);
  }
  return 0;
}

}  // namespace

uint64_t dispatch_hash(const uint8_t* data, uint32_t len, LayerKind link,
                       const DecodeOptions& o, bool use_ports) {
  switch (link) {
    case LayerKind::kEthernet:
      if (len < 14) return 0;
      return hash_ethertype(load_be16(data + 12), data + 14, len - 14, o, use_ports);
    case LayerKind::kSll:
      if (len < 16) return 0;
      return hash_ethertype(load_be16(data + 14), data + 16, len - 16, o, use_ports);
    case LayerKind::kSll2:
      if (len < 20) return 0;
      return hash_ethertype(load_be16(data), data + 20, len - 20, o, use_ports);
    case LayerKind::kIpv4:
    case LayerKind::kIpv6:
    case LayerKind::kIpRaw:
      return hash_ip(data, len, o, use_ports);
    case LayerKind::kNull:
    case LayerKind::kLoop:
      if (len < 4) return 0;
      return hash_ip(data + 4, len - 4, o, use_ports);
    case LayerKind::kChdlc:  // address, control, ethertype
      if (len < 4) return 0;
      return hash_ethertype(load_be16(data + 2), data + 4, len - 4, o, use_ports);
    default:
      return 0;
  }
}

}  // namespace seawall
