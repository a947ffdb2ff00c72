// MPLS label stack (RFC 3032); the payload type is guessed like Suricata's
// decode-mpls.c: explicit-null labels, then the first nibble (4/6), or an
// Ethernet pseudowire behind a zero control word.
#include "decode/decoder.h"

#include "core/byte_view.h"
#include "decode/decode_util.h"

namespace seawall {
namespace {

const Counter kMpls = register_counter({"decoder.mpls", "MPLS label stacks decoded"});

constexpr uint32_t kMplsHeaderLen = 4;
constexpr uint32_t kPseudowireControlWordLen = 4;
constexpr uint32_t kLabelIpv4ExplicitNull = 0;
constexpr uint32_t kLabelRouterAlert = 1;
constexpr uint32_t kLabelIpv6ExplicitNull = 2;
constexpr uint32_t kLabelImplicitNull = 3;
constexpr uint32_t kMaxReservedLabel = 15;

}  // namespace

void decode_mpls(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  decode_detail::LayerGuard guard;
  if (!guard.ok(ctx, p)) return;
  ctx.counters.add(kMpls);
  uint32_t shim = 0;
  do {
    if (len < kMplsHeaderLen) {
      decode_detail::raise_invalid(ctx, p, DecodeEvent::kMplsHeaderTooSmall);
      return;
    }
    shim = load_be32(data);
    data += kMplsHeaderLen;
    len -= kMplsHeaderLen;
    if (p.mpls_count < UINT8_MAX) ++p.mpls_count;
  } while (((shim >> 8) & 1) == 0);

  uint32_t label = shim >> 12;
  if (label == kLabelIpv4ExplicitNull) {
    decode_ipv4(ctx, p, data, len);
    return;
  }
  if (label == kLabelIpv6ExplicitNull) {
    decode_ipv6(ctx, p, data, len);
    return;
  }
  if (label == kLabelRouterAlert) {  // not valid at the bottom of the stack
    raise_event(ctx, p, DecodeEvent::kMplsBadLabelRouterAlert);
    return;
  }
  if (label == kLabelImplicitNull) {  // never appears on the wire
    raise_event(ctx, p, DecodeEvent::kMplsBadLabelImplicitNull);
    return;
  }
  if (label < kMaxReservedLabel) {
    raise_event(ctx, p, DecodeEvent::kMplsBadLabelReserved);
    return;
  }
  // One byte tells IPv4 from IPv6, but a pseudowire needs its control word.
  if (len < kPseudowireControlWordLen) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kMplsPktTooSmall);
    return;
  }
  switch (data[0] >> 4) {
    case 4: decode_ipv4(ctx, p, data, len); return;
    case 6: decode_ipv6(ctx, p, data, len); return;
    case 0:
      decode_ethernet(ctx, p, data + kPseudowireControlWordLen, len - kPseudowireControlWordLen);
      return;
    default:
      decode_detail::raise_invalid(ctx, p, DecodeEvent::kMplsUnknownPayloadType);
      return;
  }
}

}  // namespace seawall
