// IPv4 (RFC 791): header checks and the options walk follow Suricata's
// decode-ipv4.c so the same ipv4.* events fire on the same packets.
#include "decode/decoder.h"

#include "core/byte_view.h"
#include "decode/decode_util.h"

namespace seawall {
namespace {

const Counter kIpv4 = register_counter({"decoder.ipv4", "IPv4 packets decoded"});
const Counter kIpv4BadChecksum = register_counter(
    {"decoder.ipv4_invalid_checksum", "IPv4 headers with a wrong checksum (when validating)"});

constexpr uint32_t kIpv4HeaderLen = 20;
constexpr uint32_t kMaxIpPacket = 65535;

namespace opt {
constexpr uint8_t kEol = 0, kNop = 1, kRr = 7, kQs = 25, kTs = 68, kSec = 130, kLsrr = 131,
                  kCipso = 134, kSid = 136, kSsrr = 137, kRtrAlt = 148;
constexpr uint8_t kQsMin = 8, kSecLen = 11, kSidLen = 4, kRtrAltLen = 4, kRouteMin = 3,
                  kTsMin = 5, kCipsoMin = 10;
}  // namespace opt

// Each validator returns false after raising its event; the walk then stops.
bool validate_route(DecodeContext& ctx, Packet& p, const uint8_t* o, uint8_t olen) {
  if (olen < opt::kRouteMin) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kIpv4OptInvalidLen);
    return false;
  }
  // The pointer is 1-based, at least 4, a multiple of 4, within the option.
  uint8_t ptr = o[2];
  if (ptr < 4 || (ptr % 4) != 0 || ptr > olen + 1) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kIpv4OptMalformed);
    return false;
  }
  return true;
}

bool validate_timestamp(DecodeContext& ctx, Packet& p, const uint8_t* o, uint8_t olen) {
  if (olen < opt::kTsMin) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kIpv4OptInvalidLen);
    return false;
  }
  uint8_t ptr = o[2];
  if (ptr < 5) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kIpv4OptMalformed);
    return false;
  }
  uint8_t flag = o[3] & 0x0f;
  uint8_t record = (flag == 1 || flag == 3) ? 8 : 4;  // address + timestamp or timestamp
  if (((ptr - 5) % record) != 0 || ptr > olen + 1) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kIpv4OptMalformed);
    return false;
  }
  return true;
}

bool validate_cipso(DecodeContext& ctx, Packet& p, const uint8_t* o, uint8_t olen) {
  if (olen < opt::kCipsoMin) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kIpv4OptInvalidLen);
    return false;
  }
  const uint8_t* tag = o + 6;  // type, len, 4-byte DOI
  uint32_t left = olen - 6u;
  while (left > 0) {
    if (left < 2) {
      decode_detail::raise_invalid(ctx, p, DecodeEvent::kIpv4OptMalformed);
      return false;
    }
    uint8_t ttype = tag[0];
    uint8_t tlen = tag[1];
    bool known = ttype == 1 || ttype == 2 || ttype == 5 || ttype == 6 || ttype == 7;
    // Tags are at least 4 bytes; all but type 7 carry a zero alignment octet.
    if (!known || tlen < 4 || tlen > left || (ttype != 7 && tag[2] != 0)) {
      decode_detail::raise_invalid(ctx, p, DecodeEvent::kIpv4OptMalformed);
      return false;
    }
    tag += tlen;
    left -= tlen;
  }
  return true;
}

bool validate_fixed(DecodeContext& ctx, Packet& p, uint8_t type, uint8_t olen) {
  bool ok = true;
  switch (type) {
    case opt::kQs: ok = olen >= opt::kQsMin; break;
    case opt::kSec: ok = olen == opt::kSecLen; break;
    case opt::kSid: ok = olen == opt::kSidLen; break;
    case opt::kRtrAlt: ok = olen == opt::kRtrAltLen; break;
    default: break;
  }
  if (!ok) decode_detail::raise_invalid(ctx, p, DecodeEvent::kIpv4OptInvalidLen);
  return ok;
}

// False when an option is so malformed that decoding stops.
bool decode_options(DecodeContext& ctx, Packet& p, const uint8_t* o, uint32_t len) {
  if (len % 8) raise_event(ctx, p, DecodeEvent::kIpv4OptPadRequired);
  uint32_t seen = 0;  // bit per known option, for duplicates
  auto bit = [](uint8_t type) -> uint32_t {
    switch (type) {
      case opt::kRr: return 1u << 0;
      case opt::kQs: return 1u << 1;
      case opt::kTs: return 1u << 2;
      case opt::kSec: return 1u << 3;
      case opt::kLsrr: return 1u << 4;
      case opt::kCipso: return 1u << 5;
      case opt::kSid: return 1u << 6;
      case opt::kSsrr: return 1u << 7;
      case opt::kRtrAlt: return 1u << 8;
      default: return 0;
    }
  };
  while (len > 0) {
    uint8_t type = o[0];
    if (type == opt::kEol) break;
    if (type == opt::kNop) {
      ++o;
      --len;
      continue;
    }
    if (len < 2) {
      raise_event(ctx, p, DecodeEvent::kIpv4OptEolRequired);
      break;
    }
    uint8_t olen = o[1];
    if (olen > len || olen < 2) {
      decode_detail::raise_invalid(ctx, p, DecodeEvent::kIpv4OptInvalidLen);
      return false;
    }
    uint32_t b = bit(type);
    if (b == 0) {
      raise_event(ctx, p, DecodeEvent::kIpv4OptInvalid);  // unknown option: warn, go on
    } else if (seen & b) {
      raise_event(ctx, p, DecodeEvent::kIpv4OptDuplicate);
    } else {
      bool ok = true;
      switch (type) {
        case opt::kRr: case opt::kLsrr: case opt::kSsrr: ok = validate_route(ctx, p, o, olen); break;
        case opt::kTs: ok = validate_timestamp(ctx, p, o, olen); break;
        case opt::kCipso: ok = validate_cipso(ctx, p, o, olen); break;
        default: ok = validate_fixed(ctx, p, type, olen); break;
      }
      if (!ok) return false;
      seen |= b;
    }
    o += olen;
    len -= olen;
  }
  return true;
}

}  // namespace

void decode_ipv4(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  ctx.counters.add(kIpv4);
  if (len < kIpv4HeaderLen) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kIpv4PktTooSmall);
    return;
  }
  if ((data[0] >> 4) != 4) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kIpv4WrongIpVersion);
    return;
  }
  uint32_t hlen = uint32_t{data[0] & 0x0fu} * 4;
  if (hlen < kIpv4HeaderLen) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kIpv4HlenTooSmall);
    return;
  }
  uint32_t iplen = load_be16(data + 2);
  if (iplen < hlen) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kIpv4IplenSmallerThanHlen);
    return;
  }
  if (len < iplen) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kIpv4TruncPkt);
    return;
  }
  // Bytes past the total length (Ethernet padding) are not part of the packet.
  p.ip_version = 4;
  p.src = IpAddress::v4(data + 12);
  p.dst = IpAddress::v4(data + 16);
  p.ip_proto = data[9];
  p.ttl = data[8];
  p.ip_len = static_cast<uint16_t>(iplen);
  p.l3 = data;
  p.l3_len = iplen;

  // Like Suricata, malformed options end decoding (the packet is invalid).
  if (hlen > kIpv4HeaderLen &&
      !decode_options(ctx, p, data + kIpv4HeaderLen, hlen - kIpv4HeaderLen)) {
    return;
  }

  if (ctx.options.validate_checksums && checksum_fold(checksum_partial(data, hlen)) != 0) {
    p.ip_checksum_bad = true;
    ctx.counters.add(kIpv4BadChecksum);
  }

  uint16_t frag = load_be16(data + 6);
  uint32_t offset = uint32_t{frag & 0x1fffu} * 8;
  bool more_fragments = (frag & 0x2000) != 0;
  const uint8_t* payload = data + hlen;
  uint32_t payload_len = iplen - hlen;
  if (offset > 0 || more_fragments) {
    p.is_fragment = true;
    p.first_fragment = offset == 0;
    if (offset + payload_len > kMaxIpPacket) {
      raise_event(ctx, p, DecodeEvent::kIpv4FragPktTooLarge);
    }
    // Later fragments carry no L4 header; the first one is decoded as far
    // as its bytes go (reassembly belongs to the stream stage).
    if (!p.first_fragment) return;
  }
  decode_ip_payload(ctx, p, p.ip_proto, payload, payload_len);
}

}  // namespace seawall
