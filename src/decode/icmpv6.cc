// ICMPv6 (RFC 4443 and the IANA registry): type/code validation with
// Suricata's lists, MLD hop-limit check, the embedded IPv6 header of errors.
#include "decode/decoder.h"

#include "core/byte_view.h"
#include "decode/decode_util.h"

namespace seawall {
namespace {

const Counter kIcmpv6 = register_counter({"decoder.icmpv6", "ICMPv6 messages decoded"});
const Counter kIcmpv6BadChecksum = register_counter(
    {"decoder.icmpv6_invalid_checksum", "ICMPv6 messages with a wrong checksum (when validating)"});

constexpr uint32_t kIcmpv6HeaderLen = 8;
constexpr uint32_t kIpv6HeaderLen = 40;

namespace type {
constexpr uint8_t kDestUnreach = 1, kPacketTooBig = 2, kTimeExceeded = 3, kParamProblem = 4,
                  kEchoRequest = 128, kEchoReply = 129, kMldQuery = 130, kMldReport = 131,
                  kMldReduction = 132, kRouterRenumbering = 138, kNiQuery = 139,
                  kNiReply = 140, kMobileExperimental = 150, kMcRouterAdvert = 151,
                  kMcRouterSolicit = 152, kMcRouterTerminate = 153, kRplControl = 155;
}
constexpr uint8_t kMaxUnreachCode = 6;
constexpr uint8_t kMaxTimeExceededCode = 1;
constexpr uint8_t kMaxParamProblemCode = 2;

void check_embedded_ipv6(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  if (len < kIpv6HeaderLen) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kIcmpv6Ipv6TruncPkt);
    return;
  }
  if ((data[0] >> 4) != 6) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kIcmpv6Ipv6UnknownVersion);
  }
}

}  // namespace

void decode_icmpv6(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  ctx.counters.add(kIcmpv6);
  if (len < kIcmpv6HeaderLen) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kIcmpv6PktTooSmall);
    return;
  }
  p.has_icmp = true;
  p.icmp_type = data[0];
  p.icmp_code = data[1];
  p.l4 = data;
  p.l4_len = len;
  p.payload = data + kIcmpv6HeaderLen;
  p.payload_len = len - kIcmpv6HeaderLen;
  const uint8_t t = p.icmp_type;
  const uint8_t code = p.icmp_code;

  auto error_message = [&](bool code_ok) {
    if (!code_ok) {
      raise_event(ctx, p, DecodeEvent::kIcmpv6UnknownCode);
    } else {
      check_embedded_ipv6(ctx, p, data + kIcmpv6HeaderLen, len - kIcmpv6HeaderLen);
    }
  };
  switch (t) {
    case type::kDestUnreach: error_message(code <= kMaxUnreachCode); break;
    case type::kPacketTooBig: error_message(code == 0); break;
    case type::kTimeExceeded: error_message(code <= kMaxTimeExceededCode); break;
    case type::kParamProblem: error_message(code <= kMaxParamProblemCode); break;
    case type::kEchoRequest:
    case type::kEchoReply:
      if (code != 0) {
        raise_event(ctx, p, DecodeEvent::kIcmpv6UnknownCode);
      } else {
        p.icmp_id = load_be16(data + 4);
        p.icmp_seq = load_be16(data + 6);
      }
      break;
    case type::kMldQuery:
    case type::kMldReport:
    case type::kMldReduction:
      if (code != 0) raise_event(ctx, p, DecodeEvent::kIcmpv6UnknownCode);
      // RFC 2710: MLD is link-local only, sent with hop limit 1.
      if (p.ttl != 1) raise_event(ctx, p, DecodeEvent::kIcmpv6MldMessageWithInvalidHl);
      break;
    case type::kRouterRenumbering:
      if (code > 2 && code != 255) raise_event(ctx, p, DecodeEvent::kIcmpv6UnknownCode);
      break;
    case type::kNiQuery:
    case type::kNiReply:
      if (code > 2) raise_event(ctx, p, DecodeEvent::kIcmpv6UnknownCode);
      break;
    case type::kRplControl:
      if ((code > 3 && code < 128) || code > 132) {
        raise_event(ctx, p, DecodeEvent::kIcmpv6UnknownCode);
      }
      break;
    case type::kMobileExperimental:
    case type::kMcRouterAdvert:
    case type::kMcRouterSolicit:
    case type::kMcRouterTerminate:
      break;  // any code
    default:
      if (t >= 133 && t <= 159) {  // ND, inverse ND, MLDv2, mobility, SEND, ...: code 0
        if (code != 0) raise_event(ctx, p, DecodeEvent::kIcmpv6UnknownCode);
      } else if ((t > 4 && t < 100) || (t >= 102 && t < 127) || (t >= 160 && t < 200) ||
                 t >= 202) {
        raise_event(ctx, p, DecodeEvent::kIcmpv6UnassignedType);
      } else if ((t >= 100 && t < 102) || (t >= 200 && t < 202)) {
        raise_event(ctx, p, DecodeEvent::kIcmpv6ExperimentationType);
      } else {
        raise_event(ctx, p, DecodeEvent::kIcmpv6UnknownType);  // 0, 127
      }
      break;
  }

  if (ctx.options.validate_checksums && !p.is_fragment &&
      !l4_checksum_ok(p, decode_detail::ipproto::kIcmpv6, data, len)) {
    p.l4_checksum_bad = true;
    ctx.counters.add(kIcmpv6BadChecksum);
  }
}

}  // namespace seawall
