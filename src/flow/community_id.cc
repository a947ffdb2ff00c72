// Community ID v1 (github.com/corelight/community-id-spec):
//   "1:" + base64(sha1(seed | saddr | daddr | proto | 0 | sport | dport))
// with all values in network byte order and the endpoints ordered so the
// smaller (address, port) comes first. ICMP type/code become port equivalents
// with Zeek's counterpart table (pycommunityid's icmp.py / icmp6.py); a
// message type without counterpart is "one-way": its tuple is never flipped.
#include "flow/flow.h"

// SHA1_Init/Update/Final are deprecated in OpenSSL 3 in favour of EVP, whose
// provider dispatch costs several times the hashing of a 40-byte input; the
// low-level calls run the same implementation directly.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <array>
#include <cstring>

#include "core/hash.h"

namespace seawall {

namespace {
constexpr uint8_t kProtoIcmp = 1, kProtoTcp = 6, kProtoUdp = 17, kProtoIcmp6 = 58,
                  kProtoSctp = 132;

// Counterpart message type, or -1 when the type is one-way.
int icmp4_counterpart(uint8_t type) {
  switch (type) {
    case 8: return 0;     // echo -> echo reply
    case 0: return 8;
    case 13: return 14;   // timestamp
    case 14: return 13;
    case 15: return 16;   // information
    case 16: return 15;
    case 10: return 9;    // router solicitation -> advertisement
    case 9: return 10;
    case 17: return 18;   // address mask
    case 18: return 17;
    default: return -1;
  }
}

int icmp6_counterpart(uint8_t type) {
  switch (type) {
    case 128: return 129;  // echo request/reply
    case 129: return 128;
    case 130: return 131;  // MLD listener query/report
    case 131: return 130;
    case 133: return 134;  // router solicitation/advertisement
    case 134: return 133;
    case 135: return 136;  // neighbor solicitation/advertisement
    case 136: return 135;
    case 139: return 140;  // node information (who-are-you) query/reply
    case 140: return 139;
    case 144: return 145;  // home agent address discovery request/reply
    case 145: return 144;
    default: return -1;
  }
}

bool endpoint_less(const IpAddress& a, uint16_t ap, const IpAddress& b, uint16_t bp) {
  int c = std::memcmp(a.bytes.data(), b.bytes.data(), a.size());
  return c < 0 || (c == 0 && ap < bp);
}

void put_be16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}

// The hash input (seed, addresses, protocol, ports: at most 40 bytes) and its
// "1:<base64>" id (30 bytes).
struct CachedCommunityId {
  uint8_t input_len = 0;  // 0: empty slot (inputs are at least 12 bytes)
  uint8_t id_len = 0;
  uint8_t input[40];
  char id[32];
};
constexpr size_t kCommunityIdCacheSize = 512;

std::array<CachedCommunityId, kCommunityIdCacheSize>& community_id_cache() {
  thread_local std::array<CachedCommunityId, kCommunityIdCacheSize> cache{};
  return cache;
}
}  // namespace

size_t community_id_v1(const IpAddress& src, const IpAddress& dst, uint8_t proto,
                       uint16_t sport, uint16_t dport, uint16_t seed, char* out) {
  bool has_ports = proto == kProtoTcp || proto == kProtoUdp || proto == kProtoSctp;
  bool one_way = false;
  if (proto == kProtoIcmp || proto == kProtoIcmp6) {
    has_ports = true;
    const uint8_t type = static_cast<uint8_t>(sport);
    const int counterpart =
        proto == kProtoIcmp ? icmp4_counterpart(type) : icmp6_counterpart(type);
    sport = type;
    if (counterpart < 0) {
      one_way = true;  // dport stays the code
    } else {
      dport = static_cast<uint16_t>(counterpart);
    }
  }
  if (!has_ports) sport = dport = 0;

  const IpAddress* a = &src;
  const IpAddress* b = &dst;
  if (!one_way && !endpoint_less(src, sport, dst, dport)) {
    // Flip unless already ordered (equal endpoints keep their order).
    if (endpoint_less(dst, dport, src, sport)) {
      a = &dst;
      b = &src;
      const uint16_t t = sport;
      sport = dport;
      dport = t;
    }
  }

  uint8_t buf[2 + 16 + 16 + 2 + 4];
  size_t n = 0;
  put_be16(buf, seed);
  n += 2;
  const size_t alen = src.size();
  std::memcpy(buf + n, a->bytes.data(), alen);
  n += alen;
  std::memcpy(buf + n, b->bytes.data(), alen);
  n += alen;
  buf[n++] = proto;
  buf[n++] = 0;  // padding
  if (has_ports) {
    put_be16(buf + n, sport);
    put_be16(buf + n + 2, dport);
    n += 4;
  }

  // Every EVE record of a flow carries its community_id: a per-thread cache
  // of recent hash inputs (compared in full) skips most SHA-1 runs.
  CachedCommunityId& cached = community_id_cache()[hash_bytes(buf, n) % kCommunityIdCacheSize];
  if (cached.input_len == n && std::memcmp(cached.input, buf, n) == 0) {
    std::memcpy(out, cached.id, cached.id_len);
    return cached.id_len;
  }

  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA_CTX ctx;
  if (SHA1_Init(&ctx) != 1 || SHA1_Update(&ctx, buf, n) != 1 || SHA1_Final(digest, &ctx) != 1) {
    return 0;
  }
  unsigned char b64[32];  // 28 chars + terminator
  const int b64_len = EVP_EncodeBlock(b64, digest, 20);
  out[0] = '1';
  out[1] = ':';
  std::memcpy(out + 2, b64, static_cast<size_t>(b64_len));
  const size_t id_len = 2 + static_cast<size_t>(b64_len);
  cached.input_len = static_cast<uint8_t>(n);
  std::memcpy(cached.input, buf, n);
  cached.id_len = static_cast<uint8_t>(id_len);
  std::memcpy(cached.id, out, id_len);
  return id_len;
}

size_t community_id_v1(const FlowKey& key, uint16_t seed, char* out) {
  return community_id_v1(key.src, key.dst, key.proto, key.sport, key.dport, seed, out);
}

size_t community_id_v1(const Flow& flow, uint16_t seed, char* out) {
  const FlowKey& k = flow.key;
  if ((k.proto == kProtoIcmp || k.proto == kProtoIcmp6) && flow.has_icmp) {
    return community_id_v1(k.src, k.dst, k.proto, flow.icmp_type, flow.icmp_code, seed, out);
  }
  return community_id_v1(k, seed, out);
}

}  // namespace seawall
