#include "runtime/dispatch_hash.h"

#include <algorithm>
#include <cstring>

#include "core/byte_view.h"
#include "core/hash.h"

namespace seawall {
namespace {

uint64_t hash_endpoints(const uint8_t* a, const uint8_t* b, size_t addr_len, uint16_t pa,
                        uint16_t pb, uint8_t proto) {
  // Order the endpoints so (a,pa)-(b,pb) and (b,pb)-(a,pa) hash alike.
  int c = std::memcmp(a, b, addr_len);
  if (c > 0 || (c == 0 && pa > pb)) {
    std::swap(a, b);
    std::swap(pa, pb);
  }
  uint8_t buf[16 + 16 + 5];
  std::memcpy(buf, a, addr_len);
  std::memcpy(buf + addr_len, b, addr_len);
  store_be16(buf + 2 * addr_len, pa);
  store_be16(buf + 2 * addr_len + 2, pb);
  buf[2 * addr_len + 4] = proto;
  return hash_bytes(buf, 2 * addr_len + 5);
}

bool has_ports(uint8_t proto) { return proto == 6 || proto == 17 || proto == 132; }

uint64_t hash_ip(const uint8_t* p, uint32_t len) {
  if (len < 1) return 0;
  uint8_t version = p[0] >> 4;
  if (version == 4 && len >= 20) {
    uint32_t hlen = (p[0] & 0x0f) * 4u;
    uint8_t proto = p[9];
    bool fragment = (load_be16(p + 6) & 0x3fff) != 0;
    uint16_t sp = 0, dp = 0;
    if (!fragment && has_ports(proto) && hlen >= 20 && len >= hlen + 4) {
      sp = load_be16(p + hlen);
      dp = load_be16(p + hlen + 2);
    }
    return hash_endpoints(p + 12, p + 16, 4, sp, dp, proto);
  }
  if (version == 6 && len >= 40) {
    uint8_t next = p[6];
    uint16_t sp = 0, dp = 0;
    if (has_ports(next) && len >= 44) {
      sp = load_be16(p + 40);
      dp = load_be16(p + 42);
    }
    return hash_endpoints(p + 8, p + 24, 16, sp, dp, next);
  }
  return 0;
}

uint64_t hash_ethertype(uint16_t type, const uint8_t* p, uint32_t len) {
  // Skip up to three VLAN tags; anything else hashes as 0 (one worker).
  for (int i = 0; i < 3 && (type == 0x8100 || type == 0x88a8 || type == 0x9100); ++i) {
    if (len < 4) return 0;
    type = load_be16(p + 2);
    p += 4;
    len -= 4;
  }
  if (type == 0x0800 || type == 0x86dd) return hash_ip(p, len);
  if (type == 0x8864 && len >= 8) {  // PPPoE session carrying IP
    uint16_t ppp = load_be16(p + 6);
    if (ppp == 0x0021 || ppp == 0x0057) return hash_ip(p + 8, len - 8);
  }
  return 0;
}

}  // namespace

uint64_t dispatch_hash(const uint8_t* data, uint32_t len, LayerKind link) {
  switch (link) {
    case LayerKind::kEthernet:
      if (len < 14) return 0;
      return hash_ethertype(load_be16(data + 12), data + 14, len - 14);
    case LayerKind::kSll:
      if (len < 16) return 0;
      return hash_ethertype(load_be16(data + 14), data + 16, len - 16);
    case LayerKind::kSll2:
      if (len < 20) return 0;
      return hash_ethertype(load_be16(data), data + 20, len - 20);
    case LayerKind::kIpv4:
    case LayerKind::kIpv6:
    case LayerKind::kIpRaw:
      return hash_ip(data, len);
    case LayerKind::kNull:
    case LayerKind::kLoop:
      if (len < 4) return 0;
      return hash_ip(data + 4, len - 4);
    default:
      return 0;
  }
}

}  // namespace seawall
