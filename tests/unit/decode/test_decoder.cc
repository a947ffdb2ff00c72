// Entry point, dispatch, events/counters and tunnel payload set-up.
#include "decode/decoder.h"

#include "base_test_util.h"

namespace seawall::test {
namespace {

using DecoderTest = DecodeFixture;

TEST_F(DecoderTest, EmptyPacketRaisesEventAndIsInvalid) {
  Bytes none;
  decode(none);
  EXPECT_TRUE(has(DecodeEvent::kEmptyPacket));
  EXPECT_TRUE(p.invalid);
  EXPECT_EQ(counter("decoder.invalid"), 1u);
  EXPECT_EQ(counter("decoder.event.empty_packet"), 1u);
  EXPECT_EQ(counter("decoder.pkts"), 1u);
}

TEST_F(DecoderTest, OversizePacketRaisesPktTooLarge) {
  options.max_packet_size = 100;
  Bytes frame = cat({ethernet(0x0800), ipv4(17, udp(1, 2, Bytes(100, 0)))});
  decode(frame);
  EXPECT_TRUE(has(DecodeEvent::kPktTooLarge));
  EXPECT_TRUE(p.invalid);
  EXPECT_EQ(p.ip_version, 0);  // not decoded
  EXPECT_EQ(counter("decoder.event.pkt_too_large"), 1u);
}

TEST_F(DecoderTest, CountsPacketsBytesAndMaxSize) {
  Bytes small = cat({ethernet(0x0800), ipv4(17, udp(1, 2))});
  Bytes big = cat({ethernet(0x0800), ipv4(17, udp(1, 2, Bytes(300, 0)))});
  decode(big);
  decode(small);
  EXPECT_EQ(counter("decoder.pkts"), 2u);
  EXPECT_EQ(counter("decoder.bytes"), small.size() + big.size());
  EXPECT_EQ(counter("decoder.max_pkt_size"), big.size());
  EXPECT_EQ(counter("decoder.ethernet"), 2u);
  EXPECT_EQ(counter("decoder.ipv4"), 2u);
  EXPECT_EQ(counter("decoder.udp"), 2u);
  EXPECT_EQ(counter("decoder.invalid"), 0u);
}

TEST_F(DecoderTest, EveryEventHasItsCounter) {
  const auto& all = all_counters();
  for (size_t i = 0; i < kDecodeEventCount; ++i) {
    std::string name = "decoder.event." + std::string(decode_event_name(static_cast<DecodeEvent>(i)));
    bool found = false;
    for (const auto& c : all) found = found || c.name == name;
    EXPECT_TRUE(found) << name;
  }
}

TEST_F(DecoderTest, RaiseEventAddsAndCounts) {
  raise_event(ctx, p, DecodeEvent::kTcpOptDuplicate);
  raise_event(ctx, p, DecodeEvent::kTcpOptDuplicate);
  EXPECT_EQ(p.event_count, 2);
  EXPECT_EQ(counter("decoder.event.tcp.opt_duplicate"), 2u);
}

TEST_F(DecoderTest, EventListIsBoundedPerPacket) {
  for (int i = 0; i < kMaxPacketEvents + 5; ++i) raise_event(ctx, p, DecodeEvent::kIpv4OptInvalid);
  EXPECT_EQ(p.event_count, kMaxPacketEvents);
  EXPECT_EQ(counter("decoder.event.ipv4.opt_invalid"), uint64_t(kMaxPacketEvents + 5));
}

TEST_F(DecoderTest, IpPayloadDispatchRejectsCrossFamilyIcmp) {
  Bytes icmp6 = {128, 0, 0, 0, 0, 1, 0, 1};
  decode(cat({ethernet(0x0800), ipv4(58, icmp6)}));
  EXPECT_TRUE(has(DecodeEvent::kIpv4Icmpv6));
  EXPECT_TRUE(p.invalid);
  Bytes icmp4 = {8, 0, 0, 0, 0, 1, 0, 1};
  decode(cat({ethernet(0x86DD), ipv6(1, icmp4)}));
  EXPECT_TRUE(has(DecodeEvent::kIpv6Icmpv4));
  EXPECT_TRUE(p.invalid);
}

TEST_F(DecoderTest, TunnelPayloadBuildsInnerPacket) {
  Bytes inner_ip = ipv4(17, udp(53, 1053, {1, 2, 3}));
  Bytes frame = cat({ethernet(0x8100), vlan_tag(42, 0x0800), ipv4(4, inner_ip)});
  decode(frame);
  p.ts = Timestamp{};
  p.pcap_cnt = 7;
  ASSERT_TRUE(p.tunnel.present());
  EXPECT_EQ(p.tunnel.kind, LayerKind::kIpv4);
  EXPECT_EQ(p.tunnel.source, PacketSource::kIpv4Tunnel);
  Packet inner;
  ASSERT_TRUE(decode_tunnel_payload(ctx, p, inner));
  EXPECT_EQ(inner.outer, &p);
  EXPECT_EQ(inner.tunnel_depth, 1);
  EXPECT_EQ(inner.pcap_cnt, 7u);
  EXPECT_EQ(inner.source, PacketSource::kIpv4Tunnel);
  EXPECT_EQ(inner.caplen, inner_ip.size());
  EXPECT_EQ(inner.vlan_count, 1);
  EXPECT_EQ(inner.vlan[0], 42);
  EXPECT_TRUE(inner.is_udp());
  EXPECT_EQ(inner.sport, 53);
  EXPECT_EQ(inner.dport, 1053);
}

TEST_F(DecoderTest, TunnelDepthLimitRaisesTooManyLayersOnOuter) {
  Bytes inner_ip = ipv4(17, udp(1, 2));
  Bytes frame = ipv4(4, inner_ip);
  decode(frame, LayerKind::kIpv4);
  ASSERT_TRUE(p.tunnel.present());
  p.tunnel_depth = kMaxTunnelDepth - 1;
  Packet inner;
  EXPECT_FALSE(decode_tunnel_payload(ctx, p, inner));
  EXPECT_TRUE(has(DecodeEvent::kTooManyLayers));
  EXPECT_EQ(counter("decoder.too_many_layers"), 1u);
  p.tunnel_depth = kMaxTunnelDepth - 2;
  EXPECT_TRUE(decode_tunnel_payload(ctx, p, inner));
  EXPECT_EQ(inner.tunnel_depth, kMaxTunnelDepth - 1);
}

TEST_F(DecoderTest, NestedL2EncapsulationIsBounded) {
  // 40 nested transparent-bridging Ethernet headers: recursion must stop.
  Bytes frame;
  for (int i = 0; i < 40; ++i) append(frame, ethernet(0x6558));
  append(frame, ethernet(0x0800));
  append(frame, ipv4(17, udp(1, 2)));
  decode(frame);
  EXPECT_TRUE(has(DecodeEvent::kTooManyLayers));
  EXPECT_TRUE(p.invalid);
  EXPECT_EQ(p.ip_version, 0);
  // The guard unwinds: a normal packet afterwards decodes fine.
  decode(cat({ethernet(0x0800), ipv4(17, udp(1, 2))}));
  EXPECT_FALSE(p.invalid);
  EXPECT_TRUE(p.is_udp());
}

// Every prefix of real-looking frames, plus byte flips: the decoder must stay
// inside the buffer (ASan/UBSan builds catch any overread) and stay sane.
TEST_F(DecoderTest, TruncatedAndMutatedFramesNeverOverread) {
  Bytes hbh = {17, 0, 0x05, 0x02, 0, 0, 1, 0};
  std::vector<std::pair<Bytes, LayerKind>> frames = {
      {cat({ethernet(0x8100), vlan_tag(1, 0x8847), Bytes{0, 1, 0x41, 64},
            ipv4(6, tcp(1, 2, 2, {2, 4, 5, 0xb4, 1, 1, 4, 2}, {1, 2, 3}))}), LayerKind::kEthernet},
      {cat({ethernet(0x86DD), ipv6(0, cat({hbh, udp(1, 2, {9, 9, 9})}))}), LayerKind::kEthernet},
      {cat({ethernet(0x8864), Bytes{0x11, 0, 0, 1, 0, 40, 0, 0x21},
            ipv4(1, Bytes{3, 1, 0, 0, 0, 0, 0, 0, 0x45, 0, 0, 20})}), LayerKind::kEthernet},
      {cat({Bytes{2, 0, 0, 0}, ipv4(132, Bytes{0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 8,
                                             0, 0, 0, 0})}), LayerKind::kNull},
      {cat({Bytes{0xff, 0x03, 0x00, 0x57}, ipv6(58, Bytes{1, 0, 0, 0, 0, 0, 0, 0, 0x60})}),
       LayerKind::kPpp},
  };
  uint32_t rng = 12345;
  for (auto& [frame, link] : frames) {
    for (size_t n = 1; n <= frame.size(); ++n) {
      Bytes prefix(frame.begin(), frame.begin() + static_cast<long>(n));
      decode(prefix, link);
      EXPECT_LE(p.payload_len, n);
    }
    for (int i = 0; i < 2000; ++i) {
      Bytes m = frame;
      for (int k = 0; k < 3; ++k) {
        rng = rng * 1103515245u + 12345u;
        m[(rng >> 8) % m.size()] = static_cast<uint8_t>(rng >> 20);
      }
      decode(m, link);
      EXPECT_LE(p.event_count, kMaxPacketEvents);
    }
  }
}

TEST_F(DecoderTest, UnknownLinkDoesNothing) {
  Bytes frame = {1, 2, 3};
  decode(frame, LayerKind::kUnknown);
  EXPECT_EQ(p.event_count, 0);
  EXPECT_FALSE(p.invalid);
}

}  // namespace
}  // namespace seawall::test
