#include <gtest/gtest.h>

#include "decode/decoder.h"
#include "tunnel_test_util.h"

namespace seawall {
namespace {

using tunnel_test::Bytes;
using tunnel_test::ByteCases;
using tunnel_test::concat;
using tunnel_test::Harness;

// Suricata's DecodeGeneveTest02 packet, without its UDP header
// (12816 -> 6081): Geneve with 16 bytes of options carrying IPv4/UDP from 53.
const Bytes kGeneveIpv4 = {
    0x04, 0x00, 0x08, 0x00, 0x00, 0x00, 0x25, 0x00,              // fixed header
    0x01, 0x08, 0x00, 0x01, 0x11, 0x11, 0x11, 0x11,              // option
    0x01, 0x08, 0x00, 0x01, 0x11, 0x11, 0x11, 0x11,              // option
    0x45, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11,  // IPv4
    0x44, 0x45, 0x0a, 0x60, 0x00, 0x0a, 0xb9, 0x1b, 0x73, 0x06, 0x00, 0x35, 0x30, 0x39, 0x00,
    0x08, 0x98, 0xe4};

// Suricata's DecodeGeneveTest03 payload start: Ethernet with a VLAN tag.
const Bytes kGeneveEthernet = {
    0x04, 0x00, 0x65, 0x58, 0x00, 0x00, 0x25, 0x00, 0x01, 0x08, 0x00, 0x01, 0x11, 0x11, 0x11,
    0x11, 0x01, 0x08, 0x00, 0x01, 0x11, 0x11, 0x11, 0x11,
    0x33, 0x33, 0x00, 0x01, 0x00, 0x02, 0x08, 0x00, 0x27, 0xfe, 0x8f, 0x95,  // MACs
    0x81, 0x00, 0x00, 0xad, 0x08, 0x00,                                      // VLAN, IPv4
    0x45, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x44, 0x45, 0x0a, 0x60, 0x00,
    0x0a, 0xb9, 0x1b, 0x73, 0x06, 0x00, 0x35, 0x30, 0x39, 0x00, 0x08, 0x98, 0xe4};

bool udp_tunnel(Harness& h, Packet& p, const Bytes& payload) {
  return decode_udp_tunnel(h.ctx, p, payload.data(), static_cast<uint32_t>(payload.size()));
}

TEST(GeneveTunnel, Ipv4WithOptions) {
  Harness h;
  Packet p = tunnel_test::udp_packet(12816, 6081);
  ASSERT_TRUE(udp_tunnel(h, p, kGeneveIpv4));
  ASSERT_TRUE(p.tunnel.present());
  EXPECT_EQ(p.tunnel.data, kGeneveIpv4.data() + 24);
  EXPECT_EQ(p.tunnel.len, kGeneveIpv4.size() - 24);
  EXPECT_EQ(p.tunnel.kind, LayerKind::kIpv4);
  EXPECT_EQ(p.tunnel.source, PacketSource::kGeneve);
  EXPECT_EQ(h.counter("decoder.geneve"), 1u);
}

TEST(GeneveTunnel, EthernetEndToEnd) {
  Harness h;
  const Bytes frame = concat({tunnel_test::ethernet_header(0x0800),
                              tunnel_test::ipv4_header(17, 8 + kGeneveEthernet.size()),
                              tunnel_test::udp_header(12816, 6081, kGeneveEthernet.size()),
                              kGeneveEthernet});
  std::vector<Packet> chain;
  ASSERT_EQ(tunnel_test::decode_chain(h, frame, chain), 2u);
  EXPECT_EQ(chain[0].tunnel.kind, LayerKind::kEthernet);
  EXPECT_EQ(chain[1].source, PacketSource::kGeneve);
  EXPECT_EQ(chain[1].vlan_count, 1);
  EXPECT_TRUE(chain[1].is_udp());
  EXPECT_EQ(chain[1].sport, 53);  // what Suricata's test asserts
}

TEST(GeneveTunnel, UnknownProtocolType) {
  Harness h;
  Bytes payload = kGeneveIpv4;
  payload[2] = 0x12, payload[3] = 0x34;
  Packet p = tunnel_test::udp_packet(12816, 6081);
  EXPECT_TRUE(udp_tunnel(h, p, payload));
  EXPECT_FALSE(p.tunnel.present());
  ASSERT_EQ(p.event_count, 1);
  EXPECT_EQ(decode_event_name(p.events[0]), "geneve.unknown_payload_type");
  EXPECT_TRUE(p.invalid);
  EXPECT_EQ(h.counter("decoder.event.geneve.unknown_payload_type"), 1u);
}

TEST(GeneveTunnel, BareArpIsValidWithoutInnerPacket) {
  Harness h;
  Bytes payload = kGeneveIpv4;
  payload[2] = 0x08, payload[3] = 0x06;
  Packet p = tunnel_test::udp_packet(12816, 6081);
  EXPECT_TRUE(udp_tunnel(h, p, payload));
  EXPECT_FALSE(p.tunnel.present());
  EXPECT_EQ(p.event_count, 0);
}

TEST(GeneveTunnel, InvalidHeadersStayUdp) {
  Bytes version1 = kGeneveIpv4;
  version1[0] = 0x44;
  Bytes reserved_flags = kGeneveIpv4;
  reserved_flags[1] = 0x01;
  Bytes reserved_byte = kGeneveIpv4;
  reserved_byte[7] = 0x01;
  Bytes option_overruns = kGeneveIpv4;
  option_overruns[11] = 0x02;  // first option claims 8 bytes of data: the next one overruns
  Bytes options_past_end = kGeneveIpv4;
  options_past_end[0] = 0x3f;  // 252 bytes of options
  const Bytes too_short(kGeneveIpv4.begin(), kGeneveIpv4.begin() + 7);
  Harness h;
  for (const Bytes* b : ByteCases{&version1, &reserved_flags, &reserved_byte, &option_overruns,
                                  &options_past_end, &too_short}) {
    Packet p = tunnel_test::udp_packet(12816, 6081);
    EXPECT_FALSE(udp_tunnel(h, p, *b));
    EXPECT_FALSE(p.tunnel.present());
    EXPECT_EQ(p.event_count, 0);
  }
  EXPECT_EQ(h.counter("decoder.geneve"), 0u);
}

TEST(GeneveTunnel, PortDisabled) {
  Harness h;  // Suricata's DecodeGeneveTest04: Geneve configured elsewhere
  h.options.geneve_port = 0;
  Packet p = tunnel_test::udp_packet(12816, 6081);
  EXPECT_FALSE(udp_tunnel(h, p, kGeneveIpv4));
  EXPECT_FALSE(p.tunnel.present());
}

}  // namespace
}  // namespace seawall
