// Cisco HDLC framing (serial links), cross-checked on Suricata's capture.
#include "decode/decoder.h"

#include "base_test_util.h"

namespace seawall::test {
namespace {

using ChdlcTest = DecodeFixture;

TEST_F(ChdlcTest, Ipv4AndIpv6ByEthertype) {
  decode(cat({Bytes{0x0f, 0x00, 0x08, 0x00}, ipv4(6, tcp(1, 2, 0))}), LayerKind::kChdlc);
  EXPECT_TRUE(p.is_tcp());
  EXPECT_EQ(p.ether_type, 0x0800);
  decode(cat({Bytes{0x8f, 0x00, 0x86, 0xdd}, ipv6(17, udp(1, 2))}), LayerKind::kChdlc);
  EXPECT_EQ(p.ip_version, 6);
  EXPECT_TRUE(p.is_udp());
  EXPECT_EQ(counter("decoder.chdlc"), 2u);
}

TEST_F(ChdlcTest, TooSmallIsInvalid) {
  decode(Bytes{0x0f, 0x00, 0x08}, LayerKind::kChdlc);
  EXPECT_TRUE(has(DecodeEvent::kChdlcPktTooSmall));
  EXPECT_TRUE(p.invalid);
}

}  // namespace
}  // namespace seawall::test
