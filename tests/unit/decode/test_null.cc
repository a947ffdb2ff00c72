// BSD loopback (DLT_NULL host order, DLT_LOOP network order).
#include "decode/decoder.h"

#include "base_test_util.h"

namespace seawall::test {
namespace {

using NullTest = DecodeFixture;

TEST_F(NullTest, LittleEndianFamilies) {
  decode(cat({Bytes{2, 0, 0, 0}, ipv4(17, udp(1, 2))}), LayerKind::kNull);
  EXPECT_EQ(p.ip_version, 4);
  EXPECT_EQ(counter("decoder.null"), 1u);
  for (uint8_t family : {24, 28, 30}) {
    decode(cat({Bytes{family, 0, 0, 0}, ipv6(17, udp(1, 2))}), LayerKind::kNull);
    EXPECT_EQ(p.ip_version, 6) << int(family);
  }
}

TEST_F(NullTest, BigEndianWriterStillDecodes) {
  decode(cat({Bytes{0, 0, 0, 30}, ipv6(17, udp(1, 2))}), LayerKind::kNull);
  EXPECT_EQ(p.ip_version, 6);
}

TEST_F(NullTest, LoopIsNetworkOrder) {
  decode(cat({Bytes{0, 0, 0, 2}, ipv4(17, udp(1, 2))}), LayerKind::kLoop);
  EXPECT_EQ(p.ip_version, 4);
  decode(cat({Bytes{2, 0, 0, 0}, ipv4(17, udp(1, 2))}), LayerKind::kLoop);
  EXPECT_TRUE(has(DecodeEvent::kLtnullUnsupportedType));
}

TEST_F(NullTest, Malformed) {
  decode(Bytes{2, 0, 0}, LayerKind::kNull);
  EXPECT_TRUE(has(DecodeEvent::kLtnullPktTooSmall));
  EXPECT_TRUE(p.invalid);
  decode(cat({Bytes{7, 0, 0, 0}, Bytes(20, 0)}), LayerKind::kNull);
  EXPECT_TRUE(has(DecodeEvent::kLtnullUnsupportedType));
  EXPECT_TRUE(p.invalid);
}

}  // namespace
}  // namespace seawall::test
