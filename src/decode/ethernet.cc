// Ethernet II, the ethertype dispatcher, and the small L2 shims that only
// sit between two ethertypes (VN-Tag, 802.1ah MAC-in-MAC).
#include "decode/decoder.h"

#include <cstring>

#include "core/byte_view.h"
#include "decode/decode_util.h"

namespace seawall {
namespace {

const Counter kEthernetCounter = register_counter({"decoder.ethernet", "Ethernet frames decoded"});
const Counter kArpCounter = register_counter({"decoder.arp", "ARP frames seen"});
const Counter kVntagCounter = register_counter({"decoder.vntag", "VN-Tag headers decoded"});
const Counter kIeee8021ahCounter =
    register_counter({"decoder.ieee8021ah", "802.1ah MAC-in-MAC headers decoded"});
const Counter kUnknownEthertype =
    register_counter({"decoder.unknown_ethertype", "Frames with an unknown ethertype"});

constexpr uint32_t kEthernetHeaderLen = 14;
constexpr uint32_t kVntagHeaderLen = 6;        // 4-byte tag + next ethertype
constexpr uint32_t kIeee8021ahHeaderLen = 18;  // I-TAG + inner dst/src MAC + ethertype
constexpr uint32_t kItagLen = 4;

namespace ethertype {
constexpr uint16_t kIpv4 = 0x0800, kArp = 0x0806, kRarp = 0x8035, kVlan = 0x8100,
                   kQinq = 0x88A8, kQinq9100 = 0x9100, kIpv6 = 0x86DD, kMplsUnicast = 0x8847,
                   kMplsMulticast = 0x8848, kPppoeDiscovery = 0x8863, kPppoeSession = 0x8864,
                   kVntag = 0x8926, kIeee8021ah = 0x88E7, kBridging = 0x6558, kLldp = 0x88CC,
                   kMacsec = 0x88E5, kEapol = 0x888E, kSlowProtocols = 0x8809, kPtp = 0x88F7,
                   kCfm = 0x8902, kLoopback = 0x9000, kFlowControl = 0x8808, kIpx = 0x8137,
                   kAppletalk = 0x809B, kAarp = 0x80F3, kProfinet = 0x8892, kHomePlug = 0x88E1,
                   kMinEthertype = 0x0600;
}  // namespace ethertype

void decode_vntag(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  ctx.counters.add(kVntagCounter);
  if (len < kVntagHeaderLen) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kVntagHeaderTooSmall);
    return;
  }
  uint16_t next = load_be16(data + 4);
  if (decode_detail::classify_ethertype(next) == decode_detail::EtherTypeClass::kUnknown) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kVntagUnknownType);
  }
  decode_ethertype(ctx, p, next, data + kVntagHeaderLen, len - kVntagHeaderLen);
}

void decode_ieee8021ah(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  ctx.counters.add(kIeee8021ahCounter);
  if (len < kIeee8021ahHeaderLen) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kIeee8021ahHeaderTooSmall);
    return;
  }
  // The customer frame follows the I-TAG: decode it as Ethernet again.
  decode_ethernet(ctx, p, data + kItagLen, len - kItagLen);
}

}  // namespace

namespace decode_detail {

EtherTypeClass classify_ethertype(uint16_t t) {
  using namespace ethertype;
  switch (t) {
    case kIpv4: case kIpv6: case kVlan: case kQinq: case kQinq9100: case kMplsUnicast:
    case kMplsMulticast: case kPppoeDiscovery: case kPppoeSession: case kVntag:
    case kIeee8021ah: case kBridging: case kArp:
      return EtherTypeClass::kDecoded;
    case kRarp: case kLldp: case kMacsec: case kEapol: case kSlowProtocols: case kPtp:
    case kCfm: case kLoopback: case kFlowControl: case kIpx: case kAppletalk: case kAarp:
    case kProfinet: case kHomePlug:
      return EtherTypeClass::kKnownOther;
    default:
      // Below 0x0600 the field is an 802.3 length (LLC/SNAP: STP, CDP, ...).
      return t < kMinEthertype ? EtherTypeClass::kKnownOther : EtherTypeClass::kUnknown;
  }
}

}  // namespace decode_detail

void decode_ethernet(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  ctx.counters.add(kEthernetCounter);
  if (len < kEthernetHeaderLen) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kEthernetPktTooSmall);
    return;
  }
  p.has_ethernet = true;
  std::memcpy(p.dst_mac.data(), data, 6);
  std::memcpy(p.src_mac.data(), data + 6, 6);
  decode_ethertype(ctx, p, load_be16(data + 12), data + kEthernetHeaderLen,
                   len - kEthernetHeaderLen);
}

void decode_ethertype(DecodeContext& ctx, Packet& p, uint16_t ether_type, const uint8_t* data,
                      uint32_t len) {
  // Every L2 nesting path (bridging, MAC-in-MAC, VN-Tag chains) comes back
  // through here, so this is where depth is capped.
  decode_detail::LayerGuard guard;
  if (!guard.ok(ctx, p)) return;
  using namespace ethertype;
  p.ether_type = ether_type;
  switch (ether_type) {
    case kIpv4: decode_ipv4(ctx, p, data, len); return;
    case kIpv6: decode_ipv6(ctx, p, data, len); return;
    case kVlan: case kQinq: case kQinq9100: decode_vlan(ctx, p, ether_type, data, len); return;
    case kMplsUnicast: case kMplsMulticast: decode_mpls(ctx, p, data, len); return;
    case kPppoeSession: decode_pppoe_session(ctx, p, data, len); return;
    case kPppoeDiscovery: decode_pppoe_discovery(ctx, p, data, len); return;
    case kVntag: decode_vntag(ctx, p, data, len); return;
    case kIeee8021ah: decode_ieee8021ah(ctx, p, data, len); return;
    case kBridging: decode_ethernet(ctx, p, data, len); return;
    case kArp: ctx.counters.add(kArpCounter); return;
    default:
      if (decode_detail::classify_ethertype(ether_type) == decode_detail::EtherTypeClass::kUnknown) {
        ctx.counters.add(kUnknownEthertype);
        raise_event(ctx, p, DecodeEvent::kEthernetUnknownEthertype);
      }
      return;
  }
}

}  // namespace seawall
