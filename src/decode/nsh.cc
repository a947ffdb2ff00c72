// NSH, Network Service Header (RFC 8300), as carried by VXLAN-GPE. Checks
// and event names follow Suricata's decode-nsh.c.
#include "decode/decoder.h"

#include "core/byte_view.h"
#include "decode/decode_util.h"

namespace seawall {
namespace {

const Counter kNshCounter =
    register_counter({.name = "decoder.nsh", .help = "NSH (network service header) packets"});

constexpr uint32_t kNshBaseLen = 8;       // base header + service path header
constexpr uint32_t kNshMdType1Len = 24;   // MD type 1: fixed 16 bytes of context
constexpr uint8_t kMdTypeReservedLow = 0x0;
constexpr uint8_t kMdTypeReservedHigh = 0xF;
constexpr uint8_t kMdType1 = 1;
constexpr uint8_t kMdType2 = 2;

constexpr uint8_t kNextIpv4 = 1;
constexpr uint8_t kNextIpv6 = 2;
constexpr uint8_t kNextEthernet = 3;
constexpr uint8_t kNextMpls = 5;

}  // namespace

void decode_nsh(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len,
                PacketSource source) {
  ctx.counters.add(kNshCounter);
  if (data == nullptr || len < kNshBaseLen) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kNshHeaderTooSmall);
    return;
  }
  const uint16_t ver_flags_len = load_be16(data);
  if ((ver_flags_len >> 14) != 0) {
    raise_event(ctx, p, DecodeEvent::kNshUnsupportedVersion);
    return;
  }
  // Length counts 4-byte words of the whole NSH header; a payload must follow.
  const uint32_t header_len = (ver_flags_len & 0x3F) * 4u;
  if (header_len < kNshBaseLen || header_len >= len) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kNshBadHeaderLength);
    return;
  }
  const uint8_t md_type = data[2] & 0x0F;
  if (md_type == kMdTypeReservedLow || md_type == kMdTypeReservedHigh) {
    raise_event(ctx, p, DecodeEvent::kNshReservedType);
    return;
  }
  if (md_type == kMdType1 && header_len != kNshMdType1Len) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kNshBadHeaderLength);
    return;
  }
  if (md_type != kMdType1 && md_type != kMdType2) {
    raise_event(ctx, p, DecodeEvent::kNshUnsupportedType);
    return;
  }

  const uint8_t* inner = data + header_len;
  const uint32_t inner_len = len - header_len;
  switch (data[3]) {
    case kNextIpv4:
      set_tunnel(p, inner, inner_len, LayerKind::kIpv4, source);
      break;
    case kNextIpv6:
      set_tunnel(p, inner, inner_len, LayerKind::kIpv6, source);
      break;
    case kNextEthernet:
      set_tunnel(p, inner, inner_len, LayerKind::kEthernet, source);
      break;
    case kNextMpls:
      set_tunnel(p, inner, inner_len, LayerKind::kMpls, source);
      break;
    default:  // NSH in NSH, experimental values
      raise_event(ctx, p, DecodeEvent::kNshUnknownPayload);
      break;
  }
}

}  // namespace seawall
