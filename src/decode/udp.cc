// UDP (RFC 768): length checks as Suricata's decode-udp.c, then the tunnel
// recognisers (decode_udp_tunnel) get the payload.
#include "decode/decoder.h"

#include "core/byte_view.h"
#include "decode/decode_util.h"

namespace seawall {
namespace {

const Counter kUdp = register_counter({"decoder.udp", "UDP datagrams decoded"});
const Counter kUdpBadChecksum = register_counter(
    {"decoder.udp_invalid_checksum", "UDP datagrams with a wrong checksum (when validating)"});

constexpr uint32_t kUdpHeaderLen = 8;

}  // namespace

void decode_udp(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  ctx.counters.add(kUdp);
  if (len < kUdpHeaderLen) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kUdpHlenTooSmall);
    return;
  }
  uint32_t udp_len = load_be16(data + 4);
  if (p.is_fragment) {
    // A first fragment holds only part of the datagram the length covers.
    if (udp_len < kUdpHeaderLen) {
      decode_detail::raise_invalid(ctx, p, DecodeEvent::kUdpLenInvalid);
      return;
    }
  } else {
    if (len < udp_len) {
      decode_detail::raise_invalid(ctx, p, DecodeEvent::kUdpPktTooSmall);
      return;
    }
    if (len != udp_len || udp_len < kUdpHeaderLen) {
      decode_detail::raise_invalid(ctx, p, DecodeEvent::kUdpLenInvalid);
      return;
    }
  }
  p.sport = load_be16(data);
  p.dport = load_be16(data + 2);
  p.has_ports = true;
  p.l4 = data;
  p.l4_len = len;
  p.payload = data + kUdpHeaderLen;
  p.payload_len = len - kUdpHeaderLen;

  if (p.is_fragment) return;  // no checksum or tunnel on a partial datagram

  uint16_t checksum = load_be16(data + 6);
  // Over IPv4 a zero checksum means "not computed" (RFC 768).
  if (ctx.options.validate_checksums && !(checksum == 0 && p.ip_version == 4) &&
      !l4_checksum_ok(p, decode_detail::ipproto::kUdp, data, len)) {
    p.l4_checksum_bad = true;
    ctx.counters.add(kUdpBadChecksum);
  }
  decode_udp_tunnel(ctx, p, p.payload, p.payload_len);
}

}  // namespace seawall
