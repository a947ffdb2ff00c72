// Recognises tunnels carried in UDP by port (destination first, then source)
// and hands the payload to that tunnel's decoder. MPLS-over-UDP (RFC 7510)
// and GRE-in-UDP (RFC 8086) need no more than a check here.
#include "decode/decoder.h"

namespace seawall {
namespace {

const Counter kMplsOverUdpCounter =
    register_counter({.name = "decoder.mpls_over_udp", .help = "MPLS-over-UDP packets"});

// Fixed IANA ports without a DecodeOptions entry.
constexpr uint16_t kVxlanGpePort = 4790;
constexpr uint16_t kAyiyaPort = 5072;

constexpr uint32_t kMplsLabelLen = 4;

bool decode_mpls_over_udp(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  if (data == nullptr || len < kMplsLabelLen) return false;
  ctx.counters.add(kMplsOverUdpCounter);
  set_tunnel(p, data, len, LayerKind::kMpls, PacketSource::kMplsOverUdp);
  return true;
}

// GRE-in-UDP (RFC 8086): only versions 0 and 1 exist; anything else on the
// port is a collision, not a malformed GRE header.
bool decode_gre_over_udp(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  if (data == nullptr || len < 4 || (data[1] & 0x07) > 1) return false;
  decode_gre(ctx, p, data, len);
  return true;
}

bool decode_on_port(DecodeContext& ctx, Packet& p, uint16_t port, const uint8_t* data,
                    uint32_t len) {
  const DecodeOptions& o = ctx.options;
  // A zero option disables that tunnel; `port` itself is never 0 here.
  if (port == o.gtpu_port) return decode_gtpu(ctx, p, data, len);
  if (port == o.vxlan_port) return decode_vxlan(ctx, p, data, len);
  if (port == kVxlanGpePort) return decode_vxlan_gpe(ctx, p, data, len);
  if (port == o.geneve_port) return decode_geneve(ctx, p, data, len);
  if (port == o.teredo_port) return decode_teredo(ctx, p, data, len);
  if (port == o.mpls_over_udp_port) return decode_mpls_over_udp(ctx, p, data, len);
  if (port == o.gre_over_udp_port) return decode_gre_over_udp(ctx, p, data, len);
  if (port == kAyiyaPort) return decode_ayiya(ctx, p, data, len);
  return false;
}

}  // namespace

bool decode_udp_tunnel(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  // Fragments carry a partial datagram: the tunnel is decoded once the
  // defrag stage has rebuilt the whole packet.
  if (p.is_fragment) return false;
  if (p.dport != 0 && decode_on_port(ctx, p, p.dport, data, len)) return true;
  if (p.sport != 0 && p.sport != p.dport && decode_on_port(ctx, p, p.sport, data, len)) {
    return true;
  }
  return false;
}

}  // namespace seawall
