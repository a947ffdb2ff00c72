// Helpers shared by the layer decoders of this folder (not part of the
// decoder contract in decoder.h).
#pragma once

#include <cstdint>

#include "decode/decoder.h"

namespace seawall::decode_detail {

// A header so malformed that the packet cannot be tracked as a flow
// (Suricata's ENGINE_SET_INVALID_EVENT).
inline void raise_invalid(DecodeContext& ctx, Packet& p, DecodeEvent e) {
  p.invalid = true;
  raise_event(ctx, p, e);
}

// Layer-2 encapsulations can nest without bound (MAC-in-MAC, MPLS
// pseudowires, transparent bridging); the guard caps the recursion depth
// like Suricata's PacketIncreaseCheckLayers so a crafted packet cannot
// exhaust the stack.
inline constexpr int kMaxDecodeLayers = 16;
extern thread_local int g_decode_layers;

class LayerGuard {
 public:
  LayerGuard() { ++g_decode_layers; }
  ~LayerGuard() { --g_decode_layers; }
  LayerGuard(const LayerGuard&) = delete;
  LayerGuard& operator=(const LayerGuard&) = delete;
  // False (after raising decoder.too_many_layers) when nesting is too deep.
  bool ok(DecodeContext& ctx, Packet& p) const;
};

// How decode_ethertype treats an ethertype.
enum class EtherTypeClass : uint8_t {
  kDecoded,     // a layer we decode
  kKnownOther,  // well-known non-IP (LLDP, 802.3 length, MACsec, ...): no event
  kUnknown,     // ethernet.unknown_ethertype
};
EtherTypeClass classify_ethertype(uint16_t ether_type);

// PPP protocol field dispatch shared by PPP, PPPoE session and PPTP.
void decode_ppp_protocol(DecodeContext& ctx, Packet& p, uint16_t protocol, const uint8_t* data,
                         uint32_t len);

// IP protocol numbers used across the layer files.
namespace ipproto {
inline constexpr uint8_t kHopOpts = 0, kIcmp = 1, kIpip = 4, kTcp = 6, kUdp = 17, kIpv6 = 41,
                         kRouting = 43, kFragment = 44, kGre = 47, kEsp = 50, kAh = 51,
                         kIcmpv6 = 58, kNone = 59, kDstOpts = 60, kSctp = 132;
}

}  // namespace seawall::decode_detail
