// MPLS label stacks; malformed vectors are Suricata's decode-mpls.c tests.
#include "decode/decoder.h"

#include "base_test_util.h"

namespace seawall::test {
namespace {

using MplsTest = DecodeFixture;

Bytes label(uint32_t value, bool bottom, uint8_t ttl = 64) {
  Bytes b;
  put32(b, (value << 12) | (bottom ? 0x100u : 0u) | ttl);
  return b;
}

TEST_F(MplsTest, StackWithIpv4Payload) {
  decode(cat({ethernet(0x8847), label(1000, false), label(2000, false), label(3000, true),
              ipv4(6, tcp(1111, 80, tcp_flag::kSyn))}));
  EXPECT_EQ(p.mpls_count, 3);
  EXPECT_EQ(p.ip_version, 4);
  EXPECT_TRUE(p.is_tcp());
  EXPECT_EQ(p.dport, 80);
  EXPECT_EQ(p.event_count, 0);
  EXPECT_EQ(counter("decoder.mpls"), 1u);
}

TEST_F(MplsTest, StackWithIpv6Payload) {
  decode(cat({ethernet(0x8847), label(16, false), label(17, true), ipv6(17, udp(1, 2))}));
  EXPECT_EQ(p.mpls_count, 2);
  EXPECT_EQ(p.ip_version, 6);
  EXPECT_TRUE(p.is_udp());
}

TEST_F(MplsTest, ExplicitNullLabels) {
  decode(cat({ethernet(0x8847), label(0, true), ipv4(17, udp(1, 2))}));
  EXPECT_EQ(p.ip_version, 4);
  decode(cat({ethernet(0x8847), label(2, true), ipv6(17, udp(1, 2))}));
  EXPECT_EQ(p.ip_version, 6);
}

TEST_F(MplsTest, EthernetPseudowireWithControlWord) {
  decode(cat({ethernet(0x8847), label(500, true), Bytes{0, 0, 0, 0}, ethernet(0x0800),
              ipv4(17, udp(7, 9))}));
  EXPECT_TRUE(p.is_udp());
  EXPECT_EQ(p.sport, 7);
}

TEST_F(MplsTest, HeaderTooSmall) {
  Bytes pkt = {0x00, 0x00, 0x11};
  decode_mpls(ctx, p, pkt.data(), 3);
  EXPECT_TRUE(has(DecodeEvent::kMplsHeaderTooSmall));
  EXPECT_TRUE(p.invalid);
  // Unterminated stack running off the end.
  reset_packet(p);
  Bytes open = {0x00, 0x01, 0x40, 0xff, 0x00, 0x01};
  decode_mpls(ctx, p, open.data(), 6);
  EXPECT_TRUE(has(DecodeEvent::kMplsHeaderTooSmall));
}

TEST_F(MplsTest, PacketTooSmallLikeSuricata) {
  for (size_t n : {4u, 5u, 6u, 7u}) {
    Bytes pkt = {0x00, 0x01, 0x51, 0xff, 0x45, 0x01, 0x02};
    pkt.resize(n);
    reset_packet(p);
    decode_mpls(ctx, p, pkt.data(), static_cast<uint32_t>(n));
    EXPECT_TRUE(has(DecodeEvent::kMplsPktTooSmall)) << n;
  }
  Bytes ok = {0x00, 0x01, 0x51, 0xff, 0x45, 0x01, 0x02, 0x03};
  reset_packet(p);
  decode_mpls(ctx, p, ok.data(), 8);
  EXPECT_FALSE(has(DecodeEvent::kMplsPktTooSmall));
}

TEST_F(MplsTest, BadBottomLabels) {
  struct Case {
    uint8_t third;
    DecodeEvent event;
  };
  for (Case c : {Case{0x11, DecodeEvent::kMplsBadLabelRouterAlert},
                 Case{0x31, DecodeEvent::kMplsBadLabelImplicitNull},
                 Case{0x51, DecodeEvent::kMplsBadLabelReserved}}) {
    Bytes pkt = {0x00, 0x00, c.third, 0xff};
    append(pkt, ipv4(1, Bytes{8, 0, 0, 0, 0, 0, 0, 0}));
    reset_packet(p);
    decode_mpls(ctx, p, pkt.data(), static_cast<uint32_t>(pkt.size()));
    EXPECT_TRUE(has(c.event)) << decode_event_name(c.event);
    EXPECT_EQ(p.ip_version, 0);
  }
}

TEST_F(MplsTest, UnknownPayloadType) {
  Bytes pkt = {0x00, 0x01, 0x51, 0xff, 0x15, 0x00, 0x00, 0x64, 0xab, 0xcd};
  decode_mpls(ctx, p, pkt.data(), static_cast<uint32_t>(pkt.size()));
  EXPECT_TRUE(has(DecodeEvent::kMplsUnknownPayloadType));
}

}  // namespace
}  // namespace seawall::test
