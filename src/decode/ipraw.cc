// Raw IP link types (DLT_RAW, DLT_IPV4/IPV6): the version nibble decides.
#include "decode/decoder.h"

#include "decode/decode_util.h"

namespace seawall {
namespace {

const Counter kRaw = register_counter({"decoder.raw", "Raw IP frames decoded"});

}  // namespace

void decode_ipraw(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  ctx.counters.add(kRaw);
  if (len < 1) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kIpv4PktTooSmall);
    return;
  }
  switch (data[0] >> 4) {
    case 4: decode_ipv4(ctx, p, data, len); return;
    case 6: decode_ipv6(ctx, p, data, len); return;
    default: decode_detail::raise_invalid(ctx, p, DecodeEvent::kIprawInvalidIpVersion); return;
  }
}

}  // namespace seawall
