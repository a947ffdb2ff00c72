// IP-in-IP (protocol 4 and 41, RFC 2003 / RFC 4213 / RFC 2473): checks the
// inner version and hands the payload to the pipeline as a tunnel.
#include "decode/decoder.h"

#include "decode/decode_util.h"

namespace seawall {
namespace {

const Counter kIpv4InIpv4 = register_counter({"decoder.ipv4_in_ipv4", "IPv4-in-IPv4 tunnels"});
const Counter kIpv6InIpv4 = register_counter({"decoder.ipv6_in_ipv4", "IPv6-in-IPv4 tunnels"});
const Counter kIpv4InIpv6 = register_counter({"decoder.ipv4_in_ipv6", "IPv4-in-IPv6 tunnels"});
const Counter kIpv6InIpv6 = register_counter({"decoder.ipv6_in_ipv6", "IPv6-in-IPv6 tunnels"});

constexpr uint32_t kIpv4HeaderLen = 20;
constexpr uint32_t kIpv6HeaderLen = 40;

}  // namespace

void decode_ip_in_ip(DecodeContext& ctx, Packet& p, LayerKind inner, const uint8_t* data,
                     uint32_t len) {
  const bool inner_v4 = inner == LayerKind::kIpv4;
  const uint32_t need = inner_v4 ? kIpv4HeaderLen : kIpv6HeaderLen;
  const uint8_t version = inner_v4 ? 4 : 6;
  if (p.ip_version == 6) {
    ctx.counters.add(inner_v4 ? kIpv4InIpv6 : kIpv6InIpv6);
    if (len < need) {
      raise_event(ctx, p, inner_v4 ? DecodeEvent::kIpv6Ipv4InIpv6TooSmall
                                   : DecodeEvent::kIpv6Ipv6InIpv6TooSmall);
      return;
    }
    if ((data[0] >> 4) != version) {
      raise_event(ctx, p, inner_v4 ? DecodeEvent::kIpv6Ipv4InIpv6WrongVersion
                                   : DecodeEvent::kIpv6Ipv6InIpv6WrongVersion);
      return;
    }
    set_tunnel(p, data, len, inner, PacketSource::kIpv6Tunnel);
    return;
  }
  // Over IPv4 Suricata has no events for these: a bad inner header is
  // simply not taken as a tunnel.
  ctx.counters.add(inner_v4 ? kIpv4InIpv4 : kIpv6InIpv4);
  if (len < need || (data[0] >> 4) != version) return;
  set_tunnel(p, data, len, inner, PacketSource::kIpv4Tunnel);
}

}  // namespace seawall
