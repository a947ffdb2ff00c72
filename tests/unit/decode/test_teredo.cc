#include <gtest/gtest.h>

#include "decode/decoder.h"
#include "tunnel_test_util.h"

namespace seawall {
namespace {

using tunnel_test::Bytes;
using tunnel_test::ByteCases;
using tunnel_test::concat;
using tunnel_test::Harness;

// An IPv6 bubble: no next header (59), no payload, as Teredo clients send.
Bytes bubble() { return tunnel_test::ipv6_header(59, 0); }

// Origin indication: 0x0000, obfuscated port, obfuscated IPv4 address.
const Bytes kOrigin = {0x00, 0x00, 0xf2, 0x27, 0xbe, 0xc8, 0x61, 0xaf};

bool teredo(Harness& h, Packet& p, const Bytes& payload) {
  return decode_udp_tunnel(h.ctx, p, payload.data(), static_cast<uint32_t>(payload.size()));
}

void expect_teredo_tunnel(const Packet& p, const Bytes& payload, size_t offset) {
  ASSERT_TRUE(p.tunnel.present());
  EXPECT_EQ(p.tunnel.data, payload.data() + offset);
  EXPECT_EQ(p.tunnel.len, payload.size() - offset);
  EXPECT_EQ(p.tunnel.kind, LayerKind::kIpv6);
  EXPECT_EQ(p.tunnel.source, PacketSource::kTeredo);
}

TEST(TeredoTunnel, PlainIpv6) {
  Harness h;
  const Bytes payload = tunnel_test::ipv6_udp_packet();
  Packet p = tunnel_test::udp_packet(3544, 50000);
  ASSERT_TRUE(teredo(h, p, payload));
  expect_teredo_tunnel(p, payload, 0);
  EXPECT_EQ(h.counter("decoder.teredo"), 1u);
}

TEST(TeredoTunnel, OriginIndication) {
  Harness h;
  const Bytes payload = concat({kOrigin, bubble()});
  Packet p = tunnel_test::udp_packet(50000, 3544);
  ASSERT_TRUE(teredo(h, p, payload));
  expect_teredo_tunnel(p, payload, 8);
}

TEST(TeredoTunnel, AuthenticationThenOriginIndication) {
  {
    Harness h;  // empty client id and authentication value
    const Bytes auth = {0x00, 0x01, 0x00, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 0x00};
    const Bytes payload = concat({auth, kOrigin, bubble()});
    Packet p = tunnel_test::udp_packet(3544, 3544);
    ASSERT_TRUE(teredo(h, p, payload));
    expect_teredo_tunnel(p, payload, 13 + 8);
  }
  {
    Harness h;  // 4-byte client id, 8-byte authentication value, no origin
    const Bytes auth = {0x00, 0x01, 0x04, 0x08, 'c', 'l', 'i', 'd', 1, 2, 3, 4, 5, 6,
                        7,    8,    1,    2,    3,   4,   5,   6,   7, 8, 0x00};
    const Bytes payload = concat({auth, tunnel_test::ipv6_udp_packet()});
    Packet p = tunnel_test::udp_packet(3544, 3544);
    ASSERT_TRUE(teredo(h, p, payload));
    expect_teredo_tunnel(p, payload, 25);
  }
}

TEST(TeredoTunnel, Rfc6081TrailersAfterTheIpv6Packet) {
  // As in Zeek's gtp8_teredo.pcap: a bubble followed by a nonce trailer
  // (type 1, 4 bytes) and an alternate address trailer (type 3, 8 bytes).
  Harness h;
  const Bytes ip6 = bubble();
  const Bytes payload = concat({ip6, {0x01, 0x04, 0x77, 0xa0, 0x5e, 0x76},
                                {0x03, 0x08, 0x00, 0x00, 0xac, 0x18, 0xcc, 0xc8, 0xdc, 0xd0}});
  Packet p = tunnel_test::udp_packet(56528, 3544);
  ASSERT_TRUE(teredo(h, p, payload));
  ASSERT_TRUE(p.tunnel.present());
  EXPECT_EQ(p.tunnel.data, payload.data());
  EXPECT_EQ(p.tunnel.len, ip6.size());  // the trailers are not part of the IPv6 packet
}

TEST(TeredoTunnel, TruncatedHeaders) {
  const Bytes auth_cut = {0x00, 0x01, 0x04};
  const Bytes auth_overrun = concat({{0x00, 0x01, 0x40, 0x40}, bubble()});
  const Bytes origin_cut = {0x00, 0x00, 0xf2, 0x27, 0xbe};
  const Bytes origin_without_ipv6 = concat({kOrigin, Bytes(20, 0x60)});
  for (const Bytes* b : ByteCases{&auth_cut, &auth_overrun, &origin_cut, &origin_without_ipv6}) {
    Harness h;
    Packet p = tunnel_test::udp_packet(50000, 3544);
    EXPECT_TRUE(teredo(h, p, *b));
    EXPECT_FALSE(p.tunnel.present());
    ASSERT_EQ(p.event_count, 1);
    EXPECT_EQ(decode_event_name(p.events[0]), "teredo.header_too_small");
    EXPECT_EQ(h.counter("decoder.teredo"), 0u);
  }
}

TEST(TeredoTunnel, ImplausibleIpv6StaysUdp) {
  Bytes not_v6 = tunnel_test::ipv6_udp_packet();
  not_v6[0] = 0x45;
  Bytes length_mismatch = tunnel_test::ipv6_udp_packet();
  length_mismatch.pop_back();  // one byte less than the IPv6 payload length
  Bytes hop_limit_zero = tunnel_test::ipv6_udp_packet();
  hop_limit_zero[7] = 0;
  Bytes empty_hop_by_hop = tunnel_test::ipv6_header(0, 0);
  const Bytes short_datagram = {0x60, 0x00, 0x00, 0x00, 0x00, 0x00};
  Harness h;
  for (const Bytes* b : ByteCases{&not_v6, &length_mismatch, &hop_limit_zero, &empty_hop_by_hop,
                                  &short_datagram}) {
    Packet p = tunnel_test::udp_packet(3544, 50000);
    EXPECT_FALSE(teredo(h, p, *b));
    EXPECT_FALSE(p.tunnel.present());
    EXPECT_EQ(p.event_count, 0);
  }
  EXPECT_EQ(h.counter("decoder.teredo"), 0u);
}

TEST(TeredoTunnel, PortDisabled) {
  Harness h;
  h.options.teredo_port = 0;
  const Bytes payload = tunnel_test::ipv6_udp_packet();
  Packet p = tunnel_test::udp_packet(3544, 3544);
  EXPECT_FALSE(teredo(h, p, payload));
}

TEST(TeredoTunnel, EndToEnd) {
  Harness h;
  const Bytes payload = concat({kOrigin, tunnel_test::ipv6_udp_packet(7, 8)});
  const Bytes frame = concat({tunnel_test::ethernet_header(0x0800),
                              tunnel_test::ipv4_header(17, 8 + payload.size()),
                              tunnel_test::udp_header(3544, 51000, payload.size()), payload});
  std::vector<Packet> chain;
  ASSERT_EQ(tunnel_test::decode_chain(h, frame, chain), 2u);
  EXPECT_EQ(chain[1].source, PacketSource::kTeredo);
  EXPECT_EQ(chain[1].ip_version, 6);
  EXPECT_EQ(chain[1].src.to_string(), "2001:db8::7");
  EXPECT_TRUE(chain[1].is_udp());
}

}  // namespace
}  // namespace seawall
