// UDP lengths.
#include "decode/decoder.h"

#include "base_test_util.h"

namespace seawall::test {
namespace {

using UdpTest = DecodeFixture;

TEST_F(UdpTest, FieldsDecoded) {
  decode(cat({ethernet(0x0800), ipv4(17, udp(33000, 161, {0x30, 0x00}))}));
  EXPECT_TRUE(p.is_udp());
  EXPECT_EQ(p.sport, 33000);
  EXPECT_EQ(p.dport, 161);
  EXPECT_EQ(p.payload_len, 2u);
  EXPECT_EQ(p.payload[0], 0x30);
  EXPECT_EQ(counter("decoder.udp"), 1u);
}

TEST_F(UdpTest, HeaderTooSmall) {
  decode(cat({ethernet(0x0800), ipv4(17, Bytes{0, 1, 0, 2, 0, 7, 0})}));
  EXPECT_TRUE(has(DecodeEvent::kUdpHlenTooSmall));
  EXPECT_TRUE(p.invalid);
  EXPECT_FALSE(p.has_ports);
}

TEST_F(UdpTest, LengthLargerThanPacket) {
  Bytes d = udp(1, 2, {1, 2, 3});
  d[5] = 20;
  decode(cat({ethernet(0x0800), ipv4(17, d)}));
  EXPECT_TRUE(has(DecodeEvent::kUdpPktTooSmall));
  EXPECT_TRUE(p.invalid);
}

TEST_F(UdpTest, LengthInvalid) {
  Bytes d = udp(1, 2, {1, 2, 3, 4});
  d[5] = 10;  // shorter than the IP payload
  decode(cat({ethernet(0x0800), ipv4(17, d)}));
  EXPECT_TRUE(has(DecodeEvent::kUdpLenInvalid));
  EXPECT_TRUE(p.invalid);
  d[5] = 4;  // below the header size
  decode(cat({ethernet(0x0800), ipv4(17, d)}));
  EXPECT_TRUE(has(DecodeEvent::kUdpLenInvalid));
}

}  // namespace
}  // namespace seawall::test
