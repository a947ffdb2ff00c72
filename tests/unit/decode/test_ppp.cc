// Raw PPP framing.
#include "decode/decoder.h"

#include "base_test_util.h"

namespace seawall::test {
namespace {

using PppTest = DecodeFixture;

TEST_F(PppTest, WithAddressAndControl) {
  Bytes frame = cat({Bytes{0xff, 0x03, 0x00, 0x21}, ipv4(17, udp(1, 2))});
  decode(frame, LayerKind::kPpp);
  EXPECT_TRUE(p.is_udp());
  EXPECT_EQ(counter("decoder.ppp"), 1u);
}

TEST_F(PppTest, CompressedAddressAndProtocolFields) {
  decode(cat({Bytes{0x57}, ipv6(17, udp(1, 2))}), LayerKind::kPpp);  // 1-byte protocol
  EXPECT_EQ(p.ip_version, 6);
  decode(cat({Bytes{0x00, 0x21}, ipv4(6, tcp(1, 2, 0))}), LayerKind::kPpp);
  EXPECT_TRUE(p.is_tcp());
}

TEST_F(PppTest, Malformed) {
  decode(Bytes{0xff, 0x03}, LayerKind::kPpp);
  EXPECT_TRUE(has(DecodeEvent::kPppPktTooSmall));
  EXPECT_TRUE(p.invalid);
  decode(Bytes{0xff, 0x03, 0x00}, LayerKind::kPpp);
  EXPECT_TRUE(has(DecodeEvent::kPppPktTooSmall));
  decode(cat({Bytes{0x00, 0x57}, Bytes(39, 0x60)}), LayerKind::kPpp);
  EXPECT_TRUE(has(DecodeEvent::kPppIp6PktTooSmall));
  decode(cat({Bytes{0x00, 0x2f}, Bytes(19, 0x45)}), LayerKind::kPpp);
  EXPECT_TRUE(has(DecodeEvent::kPppVjuPktTooSmall));
  decode(cat({Bytes{0x40, 0x00}, Bytes(19, 0)}), LayerKind::kPpp);
  EXPECT_TRUE(has(DecodeEvent::kPppWrongType));
}

}  // namespace
}  // namespace seawall::test
