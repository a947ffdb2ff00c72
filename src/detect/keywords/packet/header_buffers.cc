// Header sticky buffers: tcp.hdr udp.hdr ipv4.hdr ipv6.hdr icmpv4.hdr icmpv6.hdr
// expose the raw header bytes of the packet to content/pcre/byte_* (Suricata's
// detect-tcphdr.c, detect-ipv4hdr.c, detect-ipv6hdr.c, detect-icmpv4hdr.c,
// detect-icmpv6hdr.c). ipv6.hdr includes extension headers.
#include "detect/keywords/packet/header_buffers.h"

#include "core/byte_view.h"
#include "detect/buffers/buffer_registry.h"
#include "detect/keywords/packet/header_access.h"

namespace seawall::detect {
namespace {

bool get_tcp_hdr(const MatchContext& ctx, ByteView& out) {
  uint32_t len = hdr::tcp_header_len(ctx.packet);
  if (len == 0) return false;
  out = ByteView(ctx.packet.l4, len);
  return true;
}

bool get_ipv4_hdr(const MatchContext& ctx, ByteView& out) {
  uint32_t len = hdr::ipv4_header_len(ctx.packet);
  if (len == 0) return false;
  out = ByteView(ctx.packet.l3, len);
  return true;
}

bool get_ipv6_hdr(const MatchContext& ctx, ByteView& out) {
  uint32_t len = hdr::ipv6_header_len(ctx.packet);
  if (len == 0) return false;
  out = ByteView(ctx.packet.l3, len);
  return true;
}

bool get_udp_hdr(const MatchContext& ctx, ByteView& out) {
  const Packet& p = ctx.packet;
  if (p.ip_proto != 17 || !p.has_ports || p.l4 == nullptr || p.l4_len < 8) return false;
  out = ByteView(p.l4, 8);
  return true;
}

// Suricata's ICMPv4 header length (decode-icmpv4.c icmpv4vars.hlen): 8
// bytes, plus the three timestamps of timestamp request/reply (types 13, 14)
// and the address entries of a router advertisement (type 9) when the
// message holds them.
uint32_t icmpv4_header_len(const uint8_t* icmp, uint32_t len) {
  constexpr uint32_t kBase = 8;
  if (len < kBase) return 0;
  switch (icmp[0]) {
    case 13:
    case 14:
      return len >= kBase + 12 ? kBase + 12 : kBase;
    case 9: {
      const uint32_t entries = static_cast<uint32_t>(icmp[4]) * icmp[5] * 4u;
      return len >= kBase + entries ? kBase + entries : kBase;
    }
    default:
      return kBase;
  }
}

bool get_icmpv4_hdr(const MatchContext& ctx, ByteView& out) {
  const Packet& p = ctx.packet;
  if (p.ip_version != 4 || p.ip_proto != 1 || !p.has_icmp || p.l4 == nullptr) return false;
  const uint32_t len = icmpv4_header_len(p.l4, p.l4_len);
  if (len == 0) return false;
  out = ByteView(p.l4, len);
  return true;
}

// Suricata's icmpv6.hdr is the fixed 8-byte ICMPv6 header.
bool get_icmpv6_hdr(const MatchContext& ctx, ByteView& out) {
  const Packet& p = ctx.packet;
  if (p.ip_version != 6 || p.ip_proto != 58 || !p.has_icmp || p.l4 == nullptr || p.l4_len < 8)
    return false;
  out = ByteView(p.l4, 8);
  return true;
}

const uint16_t kTcpHdr = register_buffer({.name = "tcp.hdr", .help = "sticky buffer: the TCP header",
                                          .get = get_tcp_hdr});
const uint16_t kUdpHdr = register_buffer({.name = "udp.hdr", .help = "sticky buffer: the UDP header",
                                          .get = get_udp_hdr});
const uint16_t kIpv4Hdr = register_buffer(
    {.name = "ipv4.hdr", .help = "sticky buffer: the IPv4 header", .get = get_ipv4_hdr});
const uint16_t kIpv6Hdr = register_buffer(
    {.name = "ipv6.hdr", .help = "sticky buffer: the IPv6 header and extension headers",
     .get = get_ipv6_hdr});
const uint16_t kIcmpv4Hdr = register_buffer(
    {.name = "icmpv4.hdr",
     .help = "sticky buffer: the ICMPv4 header (with timestamps / router advertisement entries)",
     .get = get_icmpv4_hdr});
const uint16_t kIcmpv6Hdr = register_buffer(
    {.name = "icmpv6.hdr", .help = "sticky buffer: the 8-byte ICMPv6 header",
     .get = get_icmpv6_hdr});

}  // namespace

bool header_buffer_tcp(const MatchContext& ctx, ByteView& out) { return get_tcp_hdr(ctx, out); }
bool header_buffer_ipv4(const MatchContext& ctx, ByteView& out) { return get_ipv4_hdr(ctx, out); }
bool header_buffer_ipv6(const MatchContext& ctx, ByteView& out) { return get_ipv6_hdr(ctx, out); }

}  // namespace seawall::detect
