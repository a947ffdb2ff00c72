// GRE: version 0 (RFC 2784/2890, with RFC 1701 routing) and version 1
// (enhanced GRE carrying PPTP's PPP, RFC 2637). Header checks and their event
// names follow Suricata's decode-gre.c so decoder-event rules carry over.
#include "decode/decoder.h"

#include "core/byte_view.h"
#include "decode/decode_util.h"

namespace seawall {
namespace {

const Counter kGreCounter = register_counter(
    {.name = "decoder.gre", .help = "GRE packets seen (before header validation)"});

constexpr uint32_t kGreHeaderLen = 4;
constexpr uint32_t kGreFieldLen = 4;     // checksum+offset, key, sequence, ack: 4 bytes each
constexpr uint32_t kGreSreHeaderLen = 4;  // address family, offset, length

// First flags byte.
constexpr uint8_t kFlagChecksum = 0x80;
constexpr uint8_t kFlagRouting = 0x40;
constexpr uint8_t kFlagKey = 0x20;
constexpr uint8_t kFlagSequence = 0x10;
constexpr uint8_t kFlagStrictRoute = 0x08;
constexpr uint8_t kRecursionMask = 0x07;
// Second byte: flags (reserved in v0) and version.
constexpr uint8_t kV1FlagAck = 0x80;
constexpr uint8_t kReservedFlagsMask = 0x78;
constexpr uint8_t kVersionMask = 0x07;

constexpr uint16_t kProtoIpv4 = 0x0800;
constexpr uint16_t kProtoIpv6 = 0x86DD;
constexpr uint16_t kProtoPpp = 0x880B;
constexpr uint16_t kProtoTransparentEthernet = 0x6558;
constexpr uint16_t kProtoMplsUnicast = 0x8847;
constexpr uint16_t kProtoMplsMulticast = 0x8848;
constexpr uint16_t kProtoErspan2 = 0x88BE;  // type I without GRE sequence number
constexpr uint16_t kProtoErspan3 = 0x22EB;
constexpr uint16_t kProtoCiscoMetadata = 0x8909;

// Malformed GRE: like Suricata, the packet is not tracked further.
using decode_detail::raise_invalid;

// Returns the v0 header length, or 0 after raising an event.
uint32_t version0_header_len(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  const uint8_t flags = data[0];
  if (flags & kRecursionMask) {
    raise_invalid(ctx, p, DecodeEvent::kGreVersion0Recur);
    return 0;
  }
  if (data[1] & kReservedFlagsMask) {
    raise_invalid(ctx, p, DecodeEvent::kGreVersion0Flags);
    return 0;
  }
  uint32_t header_len = kGreHeaderLen;
  if (flags & kFlagKey) header_len += kGreFieldLen;
  if (flags & kFlagSequence) header_len += kGreFieldLen;
  if (flags & (kFlagChecksum | kFlagRouting)) header_len += kGreFieldLen;
  if (header_len > len) {
    raise_invalid(ctx, p, DecodeEvent::kGreVersion0HdrTooBig);
    return 0;
  }
  if (flags & kFlagRouting) {
    // Source route entries until the NULL SRE (family 0, length 0). Each step
    // advances at least 4 bytes, so the walk ends within `len`.
    while (true) {
      if (header_len + kGreSreHeaderLen > len) {
        raise_invalid(ctx, p, DecodeEvent::kGreVersion0MalformedSreHdr);
        return 0;
      }
      const uint16_t family = load_be16(data + header_len);
      const uint8_t sre_len = data[header_len + 3];
      header_len += kGreSreHeaderLen;
      if (family == 0 && sre_len == 0) break;
      header_len += sre_len;
      if (header_len > len) {
        raise_invalid(ctx, p, DecodeEvent::kGreVersion0MalformedSreHdr);
        return 0;
      }
    }
  }
  return header_len;
}

// Returns the v1 (enhanced GRE) header length, or 0 after raising an event.
uint32_t version1_header_len(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  const uint8_t flags = data[0];
  DecodeEvent e = DecodeEvent::kCount;
  if (flags & kFlagChecksum) e = DecodeEvent::kGreVersion1Chksum;
  else if (flags & kFlagRouting) e = DecodeEvent::kGreVersion1Route;
  else if (flags & kFlagStrictRoute) e = DecodeEvent::kGreVersion1Ssr;
  else if (flags & kRecursionMask) e = DecodeEvent::kGreVersion1Recur;
  else if (data[1] & kReservedFlagsMask) e = DecodeEvent::kGreVersion1Flags;
  else if (load_be16(data + 2) != kProtoPpp) e = DecodeEvent::kGreVersion1WrongProtocol;
  else if (!(flags & kFlagKey)) e = DecodeEvent::kGreVersion1NoKey;
  if (e != DecodeEvent::kCount) {
    raise_invalid(ctx, p, e);
    return 0;
  }
  uint32_t header_len = kGreHeaderLen + kGreFieldLen;  // key: payload length + call id
  if (flags & kFlagSequence) header_len += kGreFieldLen;
  if (data[1] & kV1FlagAck) header_len += kGreFieldLen;
  if (header_len > len) {
    raise_invalid(ctx, p, DecodeEvent::kGreVersion1HdrTooBig);
    return 0;
  }
  return header_len;
}

// Cisco MetaData (SGT tagging) between GRE and the packet. Inside GRE the
// 8-byte header starts with the ethertype of what follows, then version 1,
// length, option type and the SGT (as in tcpdump's various_gre.pcap).
void decode_cisco_metadata(Packet& p, const uint8_t* data, uint32_t len) {
  constexpr uint32_t kCmdHeaderLen = 8;
  constexpr uint8_t kCmdVersion = 1;
  if (len < kCmdHeaderLen || data[2] != kCmdVersion) return;
  const uint16_t ether_type = load_be16(data);
  if (ether_type == kProtoIpv4) {
    set_tunnel(p, data + kCmdHeaderLen, len - kCmdHeaderLen, LayerKind::kIpv4, PacketSource::kGre);
  } else if (ether_type == kProtoIpv6) {
    set_tunnel(p, data + kCmdHeaderLen, len - kCmdHeaderLen, LayerKind::kIpv6, PacketSource::kGre);
  }
}

}  // namespace

void decode_gre(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  ctx.counters.add(kGreCounter);
  if (data == nullptr || len < kGreHeaderLen) {
    raise_invalid(ctx, p, DecodeEvent::kGrePktTooSmall);
    return;
  }
  const uint8_t version = data[1] & kVersionMask;
  uint32_t header_len = 0;
  if (version == 0) {
    header_len = version0_header_len(ctx, p, data, len);
  } else if (version == 1) {
    header_len = version1_header_len(ctx, p, data, len);
  } else {
    raise_invalid(ctx, p, DecodeEvent::kGreWrongVersion);
    return;
  }
  if (header_len == 0) return;

  const uint16_t proto = load_be16(data + 2);
  const uint8_t* inner = data + header_len;
  const uint32_t inner_len = len - header_len;
  switch (proto) {
    case kProtoIpv4:
      set_tunnel(p, inner, inner_len, LayerKind::kIpv4, PacketSource::kGre);
      break;
    case kProtoIpv6:
      set_tunnel(p, inner, inner_len, LayerKind::kIpv6, PacketSource::kGre);
      break;
    case kProtoPpp:
      // PPTP acknowledgement-only packets carry no PPP frame (payload length 0).
      if (version == 1 && load_be16(data + 4) == 0) return;
      set_tunnel(p, inner, inner_len, LayerKind::kPpp, PacketSource::kGre);
      break;
    case kProtoTransparentEthernet:
      set_tunnel(p, inner, inner_len, LayerKind::kEthernet, PacketSource::kGre);
      break;
    case kProtoMplsUnicast:
    case kProtoMplsMulticast:
      set_tunnel(p, inner, inner_len, LayerKind::kMpls, PacketSource::kGre);
      break;
    case kProtoErspan2:
    case kProtoErspan3:
      decode_erspan(ctx, p, proto, (data[0] & kFlagSequence) != 0, inner, inner_len);
      break;
    case kProtoCiscoMetadata:
      decode_cisco_metadata(p, inner, inner_len);
      break;
    default:
      // Keepalives (0x0000), VLAN, CDP, ...: counted, nothing to decode further.
      break;
  }
}

}  // namespace seawall
