// VXLAN (RFC 7348) and VXLAN-GPE (draft-ietf-nvo3-vxlan-gpe) on UDP.
#include "decode/decoder.h"

#include "core/byte_view.h"
#include "decode/decode_util.h"

namespace seawall {
namespace {

const Counter kVxlanCounter =
    register_counter({.name = "decoder.vxlan", .help = "VXLAN and VXLAN-GPE packets"});

constexpr uint32_t kVxlanHeaderLen = 8;
constexpr uint32_t kEthernetHeaderLen = 14;
constexpr uint8_t kFlagVni = 0x08;         // I: VNI valid (both VXLAN and GPE)
constexpr uint8_t kGpeFlagNextProto = 0x04;  // P: next protocol field present
constexpr uint8_t kGpeVersionMask = 0x30;

// VXLAN-GPE next protocol values.
constexpr uint8_t kGpeIpv4 = 1;
constexpr uint8_t kGpeIpv6 = 2;
constexpr uint8_t kGpeEthernet = 3;
constexpr uint8_t kGpeNsh = 4;
constexpr uint8_t kGpeMpls = 5;

// Inner ethertypes accepted as a VXLAN frame (Suricata's list, plus ARP,
// which the Ethernet decoder handles).
bool known_inner_ethertype(uint16_t ether_type) {
  switch (ether_type) {
    case 0x0800:  // IPv4
    case 0x86DD:  // IPv6
    case 0x8100:  // 802.1Q
    case 0x88A8:  // 802.1ad
    case 0x9100:  // QinQ
    case 0x0806:  // ARP
      return true;
    default:
      return false;
  }
}

}  // namespace

bool decode_vxlan(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  if (data == nullptr || len < kVxlanHeaderLen + kEthernetHeaderLen) return false;
  // The I flag and a zero last reserved byte tell VXLAN from port collisions.
  if (!(data[0] & kFlagVni) || data[7] != 0) return false;
  ctx.counters.add(kVxlanCounter);

  const uint16_t ether_type = load_be16(data + kVxlanHeaderLen + 12);
  if (!known_inner_ethertype(ether_type)) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kVxlanUnknownPayloadType);
    return true;
  }
  set_tunnel(p, data + kVxlanHeaderLen, len - kVxlanHeaderLen, LayerKind::kEthernet,
             PacketSource::kVxlan);
  return true;
}

bool decode_vxlan_gpe(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  if (data == nullptr || len < kVxlanHeaderLen) return false;
  const uint8_t flags = data[0];
  if (!(flags & kFlagVni) || (flags & kGpeVersionMask) != 0) return false;
  ctx.counters.add(kVxlanCounter);

  // Without the P bit the payload is Ethernet, as in plain VXLAN.
  const uint8_t next = (flags & kGpeFlagNextProto) ? data[3] : kGpeEthernet;
  const uint8_t* inner = data + kVxlanHeaderLen;
  const uint32_t inner_len = len - kVxlanHeaderLen;
  switch (next) {
    case kGpeIpv4:
      set_tunnel(p, inner, inner_len, LayerKind::kIpv4, PacketSource::kVxlan);
      break;
    case kGpeIpv6:
      set_tunnel(p, inner, inner_len, LayerKind::kIpv6, PacketSource::kVxlan);
      break;
    case kGpeEthernet:
      set_tunnel(p, inner, inner_len, LayerKind::kEthernet, PacketSource::kVxlan);
      break;
    case kGpeNsh:
      decode_nsh(ctx, p, inner, inner_len, PacketSource::kVxlan);
      break;
    case kGpeMpls:
      set_tunnel(p, inner, inner_len, LayerKind::kMpls, PacketSource::kVxlan);
      break;
    default:
      decode_detail::raise_invalid(ctx, p, DecodeEvent::kVxlanUnknownPayloadType);
      break;
  }
  return true;
}

}  // namespace seawall
