// IP-in-IP tunnels (4in4, 6in4, 4in6, 6in6).
#include "decode/decoder.h"

#include "base_test_util.h"

namespace seawall::test {
namespace {

using IpInIpTest = DecodeFixture;

TEST_F(IpInIpTest, SixInFour) {
  Bytes inner = ipv6(17, udp(1, 2));
  decode(cat({ethernet(0x0800), ipv4(41, inner)}));
  ASSERT_TRUE(p.tunnel.present());
  EXPECT_EQ(p.tunnel.kind, LayerKind::kIpv6);
  EXPECT_EQ(p.tunnel.source, PacketSource::kIpv4Tunnel);
  EXPECT_EQ(p.tunnel.len, inner.size());
  EXPECT_EQ(counter("decoder.ipv6_in_ipv4"), 1u);
}

TEST_F(IpInIpTest, FourInSixAndSixInSix) {
  decode(cat({ethernet(0x86DD), ipv6(4, ipv4(17, udp(1, 2)))}));
  ASSERT_TRUE(p.tunnel.present());
  EXPECT_EQ(p.tunnel.kind, LayerKind::kIpv4);
  EXPECT_EQ(p.tunnel.source, PacketSource::kIpv6Tunnel);
  EXPECT_EQ(counter("decoder.ipv4_in_ipv6"), 1u);
  decode(cat({ethernet(0x86DD), ipv6(41, ipv6(17, udp(1, 2)))}));
  ASSERT_TRUE(p.tunnel.present());
  EXPECT_EQ(p.tunnel.kind, LayerKind::kIpv6);
  EXPECT_EQ(counter("decoder.ipv6_in_ipv6"), 1u);
}

TEST_F(IpInIpTest, Ipv6OuterEvents) {
  decode(cat({ethernet(0x86DD), ipv6(4, Bytes(19, 0x45))}));
  EXPECT_TRUE(has(DecodeEvent::kIpv6Ipv4InIpv6TooSmall));
  EXPECT_FALSE(p.tunnel.present());
  decode(cat({ethernet(0x86DD), ipv6(4, ipv6(17, udp(1, 2)))}));
  EXPECT_TRUE(has(DecodeEvent::kIpv6Ipv4InIpv6WrongVersion));
  decode(cat({ethernet(0x86DD), ipv6(41, Bytes(39, 0x60))}));
  EXPECT_TRUE(has(DecodeEvent::kIpv6Ipv6InIpv6TooSmall));
  decode(cat({ethernet(0x86DD), ipv6(41, cat({ipv4(17, udp(1, 2)), Bytes(20, 0)}))}));
  EXPECT_TRUE(has(DecodeEvent::kIpv6Ipv6InIpv6WrongVersion));
  EXPECT_FALSE(p.tunnel.present());
}

TEST_F(IpInIpTest, Ipv4OuterWithBadInnerIsNotATunnel) {
  decode(cat({ethernet(0x0800), ipv4(4, Bytes(10, 0x45))}));
  EXPECT_FALSE(p.tunnel.present());
  EXPECT_EQ(p.event_count, 0);
}

}  // namespace
}  // namespace seawall::test
