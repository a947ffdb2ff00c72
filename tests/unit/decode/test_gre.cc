#include <gtest/gtest.h>

#include <string>

#include "decode/decoder.h"
#include "tunnel_test_util.h"

namespace seawall {
namespace {

using tunnel_test::Bytes;
using tunnel_test::ByteCases;
using tunnel_test::concat;
using tunnel_test::Harness;

void expect_tunnel(const Packet& p, const uint8_t* data, uint32_t len, LayerKind kind,
                   PacketSource source) {
  ASSERT_TRUE(p.tunnel.present());
  EXPECT_EQ(p.tunnel.data, data);
  EXPECT_EQ(p.tunnel.len, len);
  EXPECT_EQ(p.tunnel.kind, kind);
  EXPECT_EQ(p.tunnel.source, source);
}

// Decodes `gre` and expects exactly the Suricata event `name`, no tunnel.
void expect_gre_event(const Bytes& gre, std::string_view name, bool invalid = true) {
  Harness h;
  Packet p;
  decode_gre(h.ctx, p, gre.data(), static_cast<uint32_t>(gre.size()));
  EXPECT_FALSE(p.tunnel.present()) << name;
  ASSERT_EQ(p.event_count, 1) << name;
  EXPECT_EQ(decode_event_name(p.events[0]), name);
  EXPECT_EQ(p.invalid, invalid) << name;
  EXPECT_EQ(h.counter("decoder.gre"), 1u);
  EXPECT_EQ(h.counter(std::string("decoder.event.") + std::string(name)), 1u);
}

TEST(GreTunnel, Version0Ipv4) {
  Harness h;
  const Bytes inner = tunnel_test::ipv4_udp_packet();
  const Bytes gre = concat({{0x00, 0x00, 0x08, 0x00}, inner});
  Packet p;
  decode_gre(h.ctx, p, gre.data(), static_cast<uint32_t>(gre.size()));
  expect_tunnel(p, gre.data() + 4, static_cast<uint32_t>(inner.size()), LayerKind::kIpv4,
                PacketSource::kGre);
  EXPECT_EQ(p.event_count, 0);
  EXPECT_FALSE(p.invalid);
  EXPECT_EQ(h.counter("decoder.gre"), 1u);
}

TEST(GreTunnel, Version0ChecksumKeySequenceIpv6) {
  Harness h;
  const Bytes inner = tunnel_test::ipv6_udp_packet();
  // C, K and S: checksum+offset, key, sequence number follow the base header.
  const Bytes gre = concat({{0xB0, 0x00, 0x86, 0xDD, 0xAB, 0xCD, 0x00, 0x00, 0x00, 0x00, 0x00,
                             0x2A, 0x00, 0x00, 0x00, 0x05},
                            inner});
  Packet p;
  decode_gre(h.ctx, p, gre.data(), static_cast<uint32_t>(gre.size()));
  expect_tunnel(p, gre.data() + 16, static_cast<uint32_t>(inner.size()), LayerKind::kIpv6,
                PacketSource::kGre);
  EXPECT_EQ(p.event_count, 0);
}

TEST(GreTunnel, Version0RoutingSkipsSourceRouteEntries) {
  Harness h;
  const Bytes inner = tunnel_test::ipv4_udp_packet();
  // R: checksum/offset word, then an IPv4 SRE (8 bytes of routing data),
  // then the NULL SRE that ends the list.
  const Bytes gre = concat({{0x40, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00},
                            {0x08, 0x00, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 7, 8},
                            {0x00, 0x00, 0x00, 0x00},
                            inner});
  Packet p;
  decode_gre(h.ctx, p, gre.data(), static_cast<uint32_t>(gre.size()));
  expect_tunnel(p, gre.data() + 24, static_cast<uint32_t>(inner.size()), LayerKind::kIpv4,
                PacketSource::kGre);
}

TEST(GreTunnel, Version0Events) {
  // Suricata's DecodeGREtest01: three bytes are too small for any GRE header.
  expect_gre_event({0x00, 0x6e, 0x62}, "gre.pkt_too_small");
  expect_gre_event({0x01, 0x00, 0x08, 0x00, 0x45}, "gre.version0_recur");
  expect_gre_event({0x00, 0x08, 0x08, 0x00, 0x45}, "gre.version0_flags");
  // K and S announced but only the base header and 4 bytes present.
  expect_gre_event({0x30, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x01}, "gre.version0_hdr_too_big");
  // Routing without the terminating NULL SRE.
  expect_gre_event({0x40, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x04, 1,
                    2, 3, 4},
                   "gre.version0_malformed_sre_hdr");
  // An SRE longer than the packet.
  expect_gre_event({0x40, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x20, 1,
                    2, 3, 4},
                   "gre.version0_malformed_sre_hdr");
}

TEST(GreTunnel, WrongVersionSuricataVector) {
  // Suricata's DecodeGREtest02 bytes: version bits 6.
  const Bytes gre = {0x00, 0x6e, 0x62, 0xac, 0x40, 0x00, 0x40, 0x2f, 0xc2, 0xc7, 0x0a, 0x00,
                     0x00, 0x64, 0x0a, 0x00, 0x00, 0x8a, 0x30, 0x01, 0x0b, 0x00, 0x4e, 0x00};
  expect_gre_event(gre, "gre.wrong_version");
}

TEST(GreTunnel, Version1PptpCarriesPpp) {
  Harness h;
  const Bytes ppp = concat({{0xff, 0x03, 0x00, 0x21}, tunnel_test::ipv4_udp_packet()});
  // K, S and A: payload length + call id, sequence, acknowledgement.
  Bytes gre = concat({{0x30, 0x81, 0x88, 0x0B, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x01,
                       0x00, 0x00, 0x00, 0x00},
                      ppp});
  tunnel_test::put16(gre, 4, static_cast<uint16_t>(ppp.size()));
  Packet p;
  decode_gre(h.ctx, p, gre.data(), static_cast<uint32_t>(gre.size()));
  expect_tunnel(p, gre.data() + 16, static_cast<uint32_t>(ppp.size()), LayerKind::kPpp,
                PacketSource::kGre);
  EXPECT_EQ(p.event_count, 0);
}

TEST(GreTunnel, Version1AckOnlyHasNoPayload) {
  Harness h;
  const Bytes gre = {0x20, 0x81, 0x88, 0x0B, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x09};
  Packet p;
  decode_gre(h.ctx, p, gre.data(), static_cast<uint32_t>(gre.size()));
  EXPECT_FALSE(p.tunnel.present());
  EXPECT_EQ(p.event_count, 0);
  EXPECT_FALSE(p.invalid);
}

TEST(GreTunnel, Version1Events) {
  expect_gre_event({0xA0, 0x01, 0x88, 0x0B, 0, 0, 0, 0, 0, 0, 0, 0}, "gre.version1_chksum");
  expect_gre_event({0x60, 0x01, 0x88, 0x0B, 0, 0, 0, 0}, "gre.version1_route");
  expect_gre_event({0x28, 0x01, 0x88, 0x0B, 0, 0, 0, 0}, "gre.version1_ssr");
  expect_gre_event({0x22, 0x01, 0x88, 0x0B, 0, 0, 0, 0}, "gre.version1_recur");
  expect_gre_event({0x20, 0x09, 0x88, 0x0B, 0, 0, 0, 0}, "gre.version1_flags");
  expect_gre_event({0x20, 0x01, 0x08, 0x00, 0, 0, 0, 0}, "gre.version1_wrong_protocol");
  expect_gre_event({0x00, 0x01, 0x88, 0x0B, 0, 0, 0, 0}, "gre.version1_no_key");
  // S and A announced, only the key present.
  expect_gre_event({0x30, 0x81, 0x88, 0x0B, 0, 4, 0, 7}, "gre.version1_hdr_too_big");
}

TEST(GreTunnel, PayloadKindsByProtocolType) {
  struct Case {
    uint16_t proto;
    LayerKind kind;
  };
  const Case cases[] = {{0x6558, LayerKind::kEthernet},
                        {0x8847, LayerKind::kMpls},
                        {0x8848, LayerKind::kMpls},
                        {0x880B, LayerKind::kPpp}};
  for (const Case& c : cases) {
    Harness h;
    Bytes gre = {0x00, 0x00, 0x00, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
    tunnel_test::put16(gre, 2, c.proto);
    Packet p;
    decode_gre(h.ctx, p, gre.data(), static_cast<uint32_t>(gre.size()));
    expect_tunnel(p, gre.data() + 4, static_cast<uint32_t>(gre.size() - 4), c.kind,
                  PacketSource::kGre);
  }
}

TEST(GreTunnel, CiscoMetadataThenIpv4) {
  // Bytes of tcpdump's various_gre.pcap frame 25: GRE with key 0x28,
  // protocol 0x8909, then the Cisco MetaData header as tshark dissects it
  // (type IPv4, version 1, length 1, options 0x0001, SGT 0) + IPv4.
  Harness h;
  const Bytes inner = tunnel_test::ipv4_udp_packet();
  const Bytes gre = concat({{0x20, 0x00, 0x89, 0x09, 0x00, 0x00, 0x00, 0x28},
                            {0x08, 0x00, 0x01, 0x01, 0x00, 0x01, 0x00, 0x00},
                            inner});
  Packet p;
  decode_gre(h.ctx, p, gre.data(), static_cast<uint32_t>(gre.size()));
  expect_tunnel(p, gre.data() + 16, static_cast<uint32_t>(inner.size()), LayerKind::kIpv4,
                PacketSource::kGre);
}

TEST(GreTunnel, KeepaliveAndUnknownProtocolsAreCountedOnly) {
  Harness h;
  const Bytes keepalive = {0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x28};
  const Bytes cdp = {0x20, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x28, 0x02, 0xb4};
  for (const Bytes* gre : ByteCases{&keepalive, &cdp}) {
    Packet p;
    decode_gre(h.ctx, p, gre->data(), static_cast<uint32_t>(gre->size()));
    EXPECT_FALSE(p.tunnel.present());
    EXPECT_EQ(p.event_count, 0);
    EXPECT_FALSE(p.invalid);
  }
  EXPECT_EQ(h.counter("decoder.gre"), 2u);
}

TEST(GreTunnel, EndToEndThroughIpv4) {
  Harness h;
  const Bytes inner = tunnel_test::ipv4_udp_packet(7, 8);
  const Bytes gre = concat({{0x00, 0x00, 0x08, 0x00}, inner});
  const Bytes frame = concat({tunnel_test::ethernet_header(0x0800),
                              tunnel_test::ipv4_header(47, gre.size(), 1, 2), gre});
  std::vector<Packet> chain;
  ASSERT_EQ(tunnel_test::decode_chain(h, frame, chain), 2u);
  EXPECT_EQ(chain[0].ip_proto, 47);
  EXPECT_EQ(chain[1].source, PacketSource::kGre);
  EXPECT_EQ(chain[1].tunnel_depth, 1);
  EXPECT_EQ(chain[0].src.to_string(), "10.0.0.1");
  EXPECT_EQ(chain[1].src.to_string(), "10.0.0.7");
  EXPECT_EQ(chain[1].dst.to_string(), "10.0.0.8");
  EXPECT_TRUE(chain[1].is_udp());
  EXPECT_EQ(chain[1].sport, 1111);
  EXPECT_EQ(chain[1].dport, 2222);
  EXPECT_EQ(chain[1].event_count, 0);
}

// 1,000 GRE headers nested in IPv4: decoding stops at the tunnel depth limit
// with decoder.too_many_layers, every time, without touching memory it must not.
TEST(GreTunnel, ThousandNestedHeadersStopAtDepthLimit) {
  Bytes packet = tunnel_test::ipv4_udp_packet();
  for (int i = 0; i < 1000; ++i) {
    const Bytes gre = concat({{0x00, 0x00, 0x08, 0x00}, packet});
    packet = concat({tunnel_test::ipv4_header(47, gre.size()), gre});
  }
  const Bytes frame = concat({tunnel_test::ethernet_header(0x0800), packet});
  Harness h;
  constexpr int kRounds = 50;
  for (int round = 0; round < kRounds; ++round) {
    std::vector<Packet> chain;
    const size_t n = tunnel_test::decode_chain(h, frame, chain);
    ASSERT_EQ(n, static_cast<size_t>(kMaxTunnelDepth));
    const Packet& deepest = chain[n - 1];
    EXPECT_TRUE(deepest.tunnel.present());
    EXPECT_TRUE(deepest.has_event(DecodeEvent::kTooManyLayers));
    for (size_t i = 1; i < n; ++i) EXPECT_EQ(chain[i].source, PacketSource::kGre);
  }
  EXPECT_EQ(h.counter("decoder.too_many_layers"), static_cast<uint64_t>(kRounds));
  EXPECT_EQ(h.counter("decoder.gre"), static_cast<uint64_t>(kRounds * kMaxTunnelDepth));
}

}  // namespace
}  // namespace seawall
