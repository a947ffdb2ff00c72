// GTPv1-U (3GPP TS 29.281): user-plane tunnels of mobile networks. A G-PDU
// (message type 255) carries one T-PDU, an IPv4 or IPv6 packet; the other
// messages (echo, error indication, end marker) are valid GTP without inner
// packet. GTP' (PT=0) and GTPv2-C are not tunnels and are left to UDP.
#include "decode/decoder.h"

#include "core/byte_view.h"

namespace seawall {
namespace {

const Counter kGtpuCounter =
    register_counter({.name = "decoder.gtpu", .help = "GTPv1-U packets (all message types)"});

constexpr uint32_t kMandatoryHeaderLen = 8;
constexpr uint32_t kOptionalFieldsLen = 4;  // sequence number, N-PDU number, next ext. type
constexpr uint8_t kVersion1 = 1;
constexpr uint8_t kFlagProtocolType = 0x10;  // 1 = GTP, 0 = GTP'
constexpr uint8_t kFlagExtension = 0x04;
constexpr uint8_t kOptionalFieldFlags = 0x07;  // E, S, PN
constexpr uint8_t kMessageGpdu = 255;

void header_too_small(DecodeContext& ctx, Packet& p) {
  raise_event(ctx, p, DecodeEvent::kGtpuHeaderTooSmall);
}

}  // namespace

bool decode_gtpu(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  if (data == nullptr || len == 0) return false;
  const uint8_t flags = data[0];
  if ((flags >> 5) != kVersion1 || !(flags & kFlagProtocolType)) return false;
  ctx.counters.add(kGtpuCounter);
  if (len < kMandatoryHeaderLen) {
    header_too_small(ctx, p);
    return true;
  }

  // Length counts the bytes after the mandatory header. A capture cut short
  // keeps what is present; padding after the message is not part of it.
  uint32_t end = kMandatoryHeaderLen + load_be16(data + 2);
  if (end > len) end = len;

  uint32_t off = kMandatoryHeaderLen;
  if (flags & kOptionalFieldFlags) {
    off += kOptionalFieldsLen;
    if (off > end) {
      header_too_small(ctx, p);
      return true;
    }
    if (flags & kFlagExtension) {
      // Extension headers: length in 4-octet units (0 is malformed), the last
      // octet names the next extension; 0 ends the chain. Each step advances
      // at least 4 bytes, so the walk ends within `end`.
      uint8_t next_type = data[off - 1];
      while (next_type != 0) {
        if (off >= end) {
          header_too_small(ctx, p);
          return true;
        }
        const uint32_t ext_len = data[off] * 4u;
        if (ext_len == 0 || off + ext_len > end) {
          header_too_small(ctx, p);
          return true;
        }
        next_type = data[off + ext_len - 1];
        off += ext_len;
      }
    }
  }

  if (data[1] != kMessageGpdu) return true;  // signalling on the user plane

  const uint8_t* inner = data + off;
  const uint32_t inner_len = end - off;
  const uint8_t ip_version = inner_len > 0 ? inner[0] >> 4 : 0;
  if (ip_version == 4) {
    set_tunnel(p, inner, inner_len, LayerKind::kIpv4, PacketSource::kGtpu);
  } else if (ip_version == 6) {
    set_tunnel(p, inner, inner_len, LayerKind::kIpv6, PacketSource::kGtpu);
  } else {
    raise_event(ctx, p, DecodeEvent::kGtpuUnknownPayloadType);
  }
  return true;
}

}  // namespace seawall
