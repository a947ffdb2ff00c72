#include <gtest/gtest.h>

#include "decode/decoder.h"
#include "tunnel_test_util.h"

namespace seawall {
namespace {

using tunnel_test::Bytes;
using tunnel_test::ByteCases;
using tunnel_test::concat;
using tunnel_test::Harness;

// Suricata's DecodeVXLANtest01 packet: UDP 4789 -> 4789, VXLAN VNI 0x25,
// inner Ethernet + IPv4 + UDP from port 53.
const Bytes kSuricataVxlan = {
    0x12, 0xb5, 0x12, 0xb5, 0x00, 0x3a, 0x87, 0x51,  // UDP header
    0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x25, 0x00,  // VXLAN header
    0x10, 0x00, 0x00, 0x0c, 0x01, 0x00,              // inner destination MAC
    0x00, 0x51, 0x52, 0xb3, 0x54, 0xe5,              // inner source MAC
    0x08, 0x00,                                      // IPv4
    0x45, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x44, 0x45, 0x0a, 0x60, 0x00,
    0x0a, 0xb9, 0x1b, 0x73, 0x06, 0x00, 0x35, 0x30, 0x39, 0x00, 0x08, 0x98, 0xe4};

bool udp_tunnel(Harness& h, Packet& p, const Bytes& payload) {
  return decode_udp_tunnel(h.ctx, p, payload.data(), static_cast<uint32_t>(payload.size()));
}

TEST(VxlanTunnel, SuricataVectorGivesInnerEthernet) {
  Harness h;
  const Bytes payload(kSuricataVxlan.begin() + 8, kSuricataVxlan.end());
  Packet p = tunnel_test::udp_packet(4789, 4789);
  ASSERT_TRUE(udp_tunnel(h, p, payload));
  ASSERT_TRUE(p.tunnel.present());
  EXPECT_EQ(p.tunnel.data, payload.data() + 8);
  EXPECT_EQ(p.tunnel.len, payload.size() - 8);
  EXPECT_EQ(p.tunnel.kind, LayerKind::kEthernet);
  EXPECT_EQ(p.tunnel.source, PacketSource::kVxlan);
  EXPECT_EQ(p.event_count, 0);
  EXPECT_EQ(h.counter("decoder.vxlan"), 1u);
}

TEST(VxlanTunnel, SuricataVectorEndToEnd) {
  Harness h;
  const Bytes frame = concat({tunnel_test::ethernet_header(0x0800),
                              tunnel_test::ipv4_header(17, kSuricataVxlan.size()),
                              kSuricataVxlan});
  std::vector<Packet> chain;
  ASSERT_EQ(tunnel_test::decode_chain(h, frame, chain), 2u);
  EXPECT_EQ(chain[1].source, PacketSource::kVxlan);
  EXPECT_TRUE(chain[1].is_udp());
  EXPECT_EQ(chain[1].sport, 53);  // what Suricata's test asserts
  EXPECT_EQ(chain[1].src.to_string(), "10.96.0.10");
}

TEST(VxlanTunnel, PortConfigurationAndSourcePort) {
  const Bytes payload(kSuricataVxlan.begin() + 8, kSuricataVxlan.end());
  {
    Harness h;  // Suricata's DecodeVXLANtest02: VXLAN moved to another port
    h.options.vxlan_port = 1;
    Packet p = tunnel_test::udp_packet(4789, 4789);
    EXPECT_FALSE(udp_tunnel(h, p, payload));
    EXPECT_FALSE(p.tunnel.present());
  }
  {
    Harness h;  // 0 disables
    h.options.vxlan_port = 0;
    Packet p = tunnel_test::udp_packet(4789, 4789);
    EXPECT_FALSE(udp_tunnel(h, p, payload));
  }
  {
    Harness h;  // only the source port matches
    Packet p = tunnel_test::udp_packet(4789, 40000);
    EXPECT_TRUE(udp_tunnel(h, p, payload));
    EXPECT_TRUE(p.tunnel.present());
  }
}

TEST(VxlanTunnel, NotVxlanStaysUdp) {
  const Bytes payload(kSuricataVxlan.begin() + 8, kSuricataVxlan.end());
  Harness h;
  Bytes no_i_flag = payload;
  no_i_flag[0] = 0x00;
  Bytes reserved_set = payload;
  reserved_set[7] = 0x01;
  const Bytes too_short(payload.begin(), payload.begin() + 21);
  for (const Bytes* b : ByteCases{&no_i_flag, &reserved_set, &too_short}) {
    Packet p = tunnel_test::udp_packet(4789, 4789);
    EXPECT_FALSE(udp_tunnel(h, p, *b));
    EXPECT_FALSE(p.tunnel.present());
    EXPECT_EQ(p.event_count, 0);
  }
  EXPECT_EQ(h.counter("decoder.vxlan"), 0u);
}

TEST(VxlanTunnel, UnknownInnerEthertype) {
  Harness h;
  Bytes payload(kSuricataVxlan.begin() + 8, kSuricataVxlan.end());
  payload[20] = 0x12;  // inner ethertype 0x1200
  Packet p = tunnel_test::udp_packet(4789, 4789);
  EXPECT_TRUE(udp_tunnel(h, p, payload));
  EXPECT_FALSE(p.tunnel.present());
  ASSERT_EQ(p.event_count, 1);
  EXPECT_EQ(decode_event_name(p.events[0]), "vxlan.unknown_payload_type");
  EXPECT_TRUE(p.invalid);
}

TEST(VxlanTunnel, FragmentsAreLeftToDefrag) {
  Harness h;
  const Bytes payload(kSuricataVxlan.begin() + 8, kSuricataVxlan.end());
  Packet p = tunnel_test::udp_packet(4789, 4789);
  p.is_fragment = true;
  p.first_fragment = true;
  EXPECT_FALSE(udp_tunnel(h, p, payload));
  EXPECT_FALSE(p.tunnel.present());
}

Bytes gpe_header(uint8_t flags, uint8_t next) {
  return {flags, 0x00, 0x00, next, 0x00, 0x01, 0x00, 0x00};
}

TEST(VxlanGpeTunnel, NextProtocols) {
  struct Case {
    uint8_t next;
    LayerKind kind;
    Bytes inner;
  };
  const Case cases[] = {
      {1, LayerKind::kIpv4, tunnel_test::ipv4_udp_packet()},
      {2, LayerKind::kIpv6, tunnel_test::ipv6_udp_packet()},
      {3, LayerKind::kEthernet,
       concat({tunnel_test::ethernet_header(0x0800), tunnel_test::ipv4_udp_packet()})},
      {5, LayerKind::kMpls, {0x00, 0x01, 0x01, 0x40, 0x45, 0x00}},
  };
  for (const Case& c : cases) {
    Harness h;
    const Bytes payload = concat({gpe_header(0x0c, c.next), c.inner});
    Packet p = tunnel_test::udp_packet(33000, 4790);
    ASSERT_TRUE(udp_tunnel(h, p, payload)) << int{c.next};
    ASSERT_TRUE(p.tunnel.present());
    EXPECT_EQ(p.tunnel.data, payload.data() + 8);
    EXPECT_EQ(p.tunnel.len, c.inner.size());
    EXPECT_EQ(p.tunnel.kind, c.kind);
    EXPECT_EQ(p.tunnel.source, PacketSource::kVxlan);
    EXPECT_EQ(h.counter("decoder.vxlan"), 1u);
  }
}

TEST(VxlanGpeTunnel, WithoutNextProtocolBitIsEthernet) {
  Harness h;
  const Bytes payload = concat({gpe_header(0x08, 1), tunnel_test::ethernet_header(0x0800),
                                tunnel_test::ipv4_udp_packet()});
  Packet p = tunnel_test::udp_packet(4790, 4790);
  ASSERT_TRUE(udp_tunnel(h, p, payload));
  EXPECT_EQ(p.tunnel.kind, LayerKind::kEthernet);
}

TEST(VxlanGpeTunnel, UnknownNextProtocolAndBadVersion) {
  {
    Harness h;
    const Bytes payload = concat({gpe_header(0x0c, 0x7f), tunnel_test::ipv4_udp_packet()});
    Packet p = tunnel_test::udp_packet(4790, 4790);
    EXPECT_TRUE(udp_tunnel(h, p, payload));
    EXPECT_FALSE(p.tunnel.present());
    ASSERT_EQ(p.event_count, 1);
    EXPECT_EQ(decode_event_name(p.events[0]), "vxlan.unknown_payload_type");
  }
  {
    Harness h;  // version 1 is not defined: not VXLAN-GPE
    const Bytes payload = concat({gpe_header(0x1c, 1), tunnel_test::ipv4_udp_packet()});
    Packet p = tunnel_test::udp_packet(4790, 4790);
    EXPECT_FALSE(udp_tunnel(h, p, payload));
    EXPECT_EQ(p.event_count, 0);
  }
}

}  // namespace
}  // namespace seawall
