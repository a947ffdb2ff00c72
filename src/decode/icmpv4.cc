// ICMPv4 (RFC 792): type/code validation with Suricata's lists, and the
// embedded IPv4 header of error messages.
#include "decode/decoder.h"

#include "core/byte_view.h"
#include "decode/decode_util.h"

namespace seawall {
namespace {

const Counter kIcmpv4 = register_counter({"decoder.icmpv4", "ICMPv4 messages decoded"});
const Counter kIcmpv4BadChecksum = register_counter(
    {"decoder.icmpv4_invalid_checksum", "ICMPv4 messages with a wrong checksum (when validating)"});

constexpr uint32_t kIcmpv4HeaderLen = 8;
constexpr uint32_t kIpv4HeaderLen = 20;

namespace type {
constexpr uint8_t kEchoReply = 0, kDestUnreach = 3, kSourceQuench = 4, kRedirect = 5,
                  kEcho = 8, kTimeExceeded = 11, kParameterProblem = 12, kTimestamp = 13,
                  kTimestampReply = 14, kInfoRequest = 15, kInfoReply = 16, kAddressMask = 17,
                  kAddressMaskReply = 18;
}
constexpr uint8_t kMaxUnreachCode = 15;
constexpr uint8_t kMaxRedirectCode = 3;
constexpr uint8_t kMaxTimeExceededCode = 1;

// The quoted header of an error message: enough of it must be there and it
// must be IPv4 (Suricata's DecodePartialIPV4).
void check_embedded_ipv4(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  if (len < kIpv4HeaderLen) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kIcmpv4Ipv4TruncPkt);
    return;
  }
  if ((data[0] >> 4) != 4) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kIcmpv4Ipv4UnknownVer);
  }
}

}  // namespace

void decode_icmpv4(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  ctx.counters.add(kIcmpv4);
  if (len < kIcmpv4HeaderLen) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kIcmpv4PktTooSmall);
    return;
  }
  p.has_icmp = true;
  p.icmp_type = data[0];
  p.icmp_code = data[1];
  p.l4 = data;
  p.l4_len = len;
  p.payload = data + kIcmpv4HeaderLen;
  p.payload_len = len - kIcmpv4HeaderLen;
  const uint8_t code = p.icmp_code;
  const uint8_t* quoted = data + kIcmpv4HeaderLen;
  const uint32_t quoted_len = len - kIcmpv4HeaderLen;

  // Error messages: a bad code is reported, a good one has its quote checked.
  auto error_message = [&](bool code_ok) {
    if (!code_ok) {
      raise_event(ctx, p, DecodeEvent::kIcmpv4UnknownCode);
    } else if (quoted_len > 0) {
      check_embedded_ipv4(ctx, p, quoted, quoted_len);
    }
  };
  switch (p.icmp_type) {
    case type::kEchoReply: case type::kEcho: case type::kTimestamp: case type::kTimestampReply:
    case type::kInfoRequest: case type::kInfoReply: case type::kAddressMask:
    case type::kAddressMaskReply:
      p.icmp_id = load_be16(data + 4);
      p.icmp_seq = load_be16(data + 6);
      if (code != 0) raise_event(ctx, p, DecodeEvent::kIcmpv4UnknownCode);
      break;
    case type::kDestUnreach: error_message(code <= kMaxUnreachCode); break;
    case type::kSourceQuench: error_message(code == 0); break;
    case type::kRedirect: error_message(code <= kMaxRedirectCode); break;
    case type::kTimeExceeded: error_message(code <= kMaxTimeExceededCode); break;
    case type::kParameterProblem: error_message(code == 0); break;
    default: raise_event(ctx, p, DecodeEvent::kIcmpv4UnknownType); break;
  }

  if (ctx.options.validate_checksums && !p.is_fragment &&
      !l4_checksum_ok(p, decode_detail::ipproto::kIcmp, data, len)) {
    p.l4_checksum_bad = true;
    ctx.counters.add(kIcmpv4BadChecksum);
  }
}

}  // namespace seawall
