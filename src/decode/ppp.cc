// Raw PPP (DLT_PPP, PPTP's enhanced GRE payload) and the PPP protocol
// field dispatch shared with PPPoE sessions.
#include "decode/decoder.h"

#include "core/byte_view.h"
#include "decode/decode_util.h"

namespace seawall {
namespace {

const Counter kPpp = register_counter({"decoder.ppp", "PPP frames decoded"});

constexpr uint32_t kIpv4HeaderLen = 20;
constexpr uint32_t kIpv6HeaderLen = 40;

namespace pppproto {
constexpr uint16_t kIpv4 = 0x0021, kIpv6 = 0x0057,
                   kVjUncompressed = 0x002f, kMplsUnicast = 0x0281, kMplsMulticast = 0x0283;
}

// Protocols Suricata knows but does not decode: ppp.unsup_proto, not invalid.
bool is_known_unsupported(uint16_t protocol) {
  switch (protocol) {
    case 0x0023: case 0x0025: case 0x0027: case 0x0029: case 0x002b: case 0x002d:  // OSI..VJC
    case 0x0031: case 0x0033: case 0x0035: case 0x0201: case 0x0231: case 0x0233:
      return true;
    default:
      return false;
  }
}

}  // namespace

namespace decode_detail {

void decode_ppp_protocol(DecodeContext& ctx, Packet& p, uint16_t protocol, const uint8_t* data,
                         uint32_t len) {
  switch (protocol) {
    case pppproto::kIpv4:
      if (len < kIpv4HeaderLen) {
        raise_invalid(ctx, p, DecodeEvent::kPppIp4PktTooSmall);
        return;
      }
      decode_ipv4(ctx, p, data, len);
      return;
    case pppproto::kIpv6:
      if (len < kIpv6HeaderLen) {
        raise_invalid(ctx, p, DecodeEvent::kPppIp6PktTooSmall);
        return;
      }
      decode_ipv6(ctx, p, data, len);
      return;
    case pppproto::kVjUncompressed:
      // Van Jacobson uncompressed: an IPv4 header whose protocol byte holds
      // the connection slot; only a real IPv4 header is worth decoding.
      if (len < kIpv4HeaderLen) {
        raise_invalid(ctx, p, DecodeEvent::kPppVjuPktTooSmall);
        return;
      }
      if ((data[0] >> 4) == 4) decode_ipv4(ctx, p, data, len);
      return;
    case pppproto::kMplsUnicast:
    case pppproto::kMplsMulticast:
      decode_mpls(ctx, p, data, len);
      return;
    default:
      // Link and network control protocols (LCP, PAP, CHAP, IPCP, IPV6CP,
      // CCP, ...: 0x8000 and up) are normal session traffic with nothing to
      // decode; like Suricata since 7.0.12 they raise no event.
      if (protocol >= 0x8000) return;
      if (is_known_unsupported(protocol)) {
        raise_event(ctx, p, DecodeEvent::kPppUnsupProto);
      } else {
        raise_invalid(ctx, p, DecodeEvent::kPppWrongType);
      }
      return;
  }
}

}  // namespace decode_detail

void decode_ppp(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  ctx.counters.add(kPpp);
  // Address/control (FF 03) may be omitted when negotiated away (ACFC).
  if (len >= 2 && data[0] == 0xff && data[1] == 0x03) {
    data += 2;
    len -= 2;
  }
  if (len < 1) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kPppPktTooSmall);
    return;
  }
  // RFC 1661: an odd first octet is a compressed one-byte protocol field.
  uint16_t protocol = 0;
  uint32_t field_len = 0;
  if (data[0] & 0x01) {
    protocol = data[0];
    field_len = 1;
  } else {
    if (len < 2) {
      decode_detail::raise_invalid(ctx, p, DecodeEvent::kPppPktTooSmall);
      return;
    }
    protocol = load_be16(data);
    field_len = 2;
  }
  decode_detail::decode_ppp_protocol(ctx, p, protocol, data + field_len, len - field_len);
}

}  // namespace seawall
