// Raw IP link type.
#include "decode/decoder.h"

#include "base_test_util.h"

namespace seawall::test {
namespace {

using IpRawTest = DecodeFixture;

TEST_F(IpRawTest, VersionNibbleDecides) {
  decode(ipv4(17, udp(1, 2)), LayerKind::kIpRaw);
  EXPECT_EQ(p.ip_version, 4);
  decode(ipv6(17, udp(1, 2)), LayerKind::kIpRaw);
  EXPECT_EQ(p.ip_version, 6);
  EXPECT_EQ(counter("decoder.raw"), 2u);
}

TEST_F(IpRawTest, InvalidVersion) {
  Bytes b = ipv4(17, udp(1, 2));
  b[0] = 0x55;
  decode(b, LayerKind::kIpRaw);
  EXPECT_TRUE(has(DecodeEvent::kIprawInvalidIpVersion));
  EXPECT_TRUE(p.invalid);
}

}  // namespace
}  // namespace seawall::test
