// BSD loopback: DLT_NULL (4-byte address family in the capturing host's
// byte order) and DLT_LOOP (network order).
#include "decode/decoder.h"

#include "core/byte_view.h"
#include "decode/decode_util.h"

namespace seawall {
namespace {

const Counter kNull = register_counter({"decoder.null", "BSD loopback frames decoded"});

constexpr uint32_t kNullHeaderLen = 4;

}  // namespace

void decode_null(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len,
                 bool network_order) {
  ctx.counters.add(kNull);
  if (len < kNullHeaderLen) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kLtnullPktTooSmall);
    return;
  }
  uint32_t family = network_order ? load_be32(data) : load_le32(data);
  // A capture written on a big-endian host: families are small numbers, so
  // high bits set means the other byte order (as libpcap/tshark do).
  if (!network_order && (family & 0xffff0000u)) family = load_be32(data);
  switch (family) {
    case 2:  // AF_INET everywhere
      decode_ipv4(ctx, p, data + kNullHeaderLen, len - kNullHeaderLen);
      return;
    case 10:  // AF_INET6: Linux
    case 23:  // Winsock
    case 24:  // NetBSD/OpenBSD/BSD/OS
    case 26:  // Solaris
    case 28:  // FreeBSD/DragonFly
    case 30:  // Darwin
      decode_ipv6(ctx, p, data + kNullHeaderLen, len - kNullHeaderLen);
      return;
    default:
      decode_detail::raise_invalid(ctx, p, DecodeEvent::kLtnullUnsupportedType);
      return;
  }
}

}  // namespace seawall
