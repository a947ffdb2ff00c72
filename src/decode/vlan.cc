// 802.1Q / 802.1ad / QinQ (0x8100, 0x88A8, 0x9100) tags.
#include "decode/decoder.h"

#include "core/byte_view.h"
#include "decode/decode_util.h"

namespace seawall {
namespace {

const Counter kVlan = register_counter({"decoder.vlan", "Outer VLAN tags decoded"});
const Counter kVlanQinq = register_counter({"decoder.vlan_qinq", "Second VLAN tags decoded"});
const Counter kVlanQinqinq =
    register_counter({"decoder.vlan_qinqinq", "Third VLAN tags decoded"});

constexpr uint32_t kVlanHeaderLen = 4;  // TCI + next ethertype

}  // namespace

void decode_vlan(DecodeContext& ctx, Packet& p, uint16_t /*ether_type*/, const uint8_t* data,
                 uint32_t len) {
  switch (p.vlan_count) {
    case 0: ctx.counters.add(kVlan); break;
    case 1: ctx.counters.add(kVlanQinq); break;
    case 2: ctx.counters.add(kVlanQinqinq); break;
    default: break;
  }
  if (len < kVlanHeaderLen) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kVlanHeaderTooSmall);
    return;
  }
  if (p.vlan_count >= kMaxVlanLayers) {
    // Like Suricata: an event and decoding stops (no flow without an IP layer),
    // but the packet is not counted as invalid.
    raise_event(ctx, p, DecodeEvent::kVlanTooManyLayers);
    return;
  }
  p.vlan[p.vlan_count++] = load_be16(data) & 0x0fff;
  uint16_t next = load_be16(data + 2);
  if (decode_detail::classify_ethertype(next) == decode_detail::EtherTypeClass::kUnknown) {
    raise_event(ctx, p, DecodeEvent::kVlanUnknownType);
  }
  decode_ethertype(ctx, p, next, data + kVlanHeaderLen, len - kVlanHeaderLen);
}

}  // namespace seawall
