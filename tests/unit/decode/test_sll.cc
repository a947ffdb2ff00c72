// Linux cooked SLL and SLL2.
#include "decode/decoder.h"

#include "base_test_util.h"

namespace seawall::test {
namespace {

using SllTest = DecodeFixture;

TEST_F(SllTest, SllV1) {
  Bytes hdr = {0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 1, 2, 3, 4, 5, 6, 0, 0};
  put16(hdr, 0x0800);
  decode(cat({hdr, ipv4(17, udp(10, 20))}), LayerKind::kSll);
  EXPECT_TRUE(p.is_udp());
  EXPECT_EQ(p.sport, 10);
  EXPECT_EQ(counter("decoder.sll"), 1u);
}

TEST_F(SllTest, SllV2) {
  Bytes hdr;
  put16(hdr, 0x86DD);
  put16(hdr, 0);
  put32(hdr, 3);  // ifindex
  put16(hdr, 1);  // ARPHRD_ETHER
  hdr.push_back(0);
  hdr.push_back(6);
  append(hdr, Bytes{1, 2, 3, 4, 5, 6, 0, 0});
  ASSERT_EQ(hdr.size(), 20u);
  decode(cat({hdr, ipv6(6, tcp(1, 22, tcp_flag::kSyn))}), LayerKind::kSll2);
  EXPECT_TRUE(p.is_tcp());
  EXPECT_EQ(p.dport, 22);
  EXPECT_EQ(counter("decoder.sll2"), 1u);
}

TEST_F(SllTest, TooSmall) {
  decode(Bytes(15, 0), LayerKind::kSll);
  EXPECT_TRUE(has(DecodeEvent::kSllPktTooSmall));
  EXPECT_TRUE(p.invalid);
  decode(Bytes(19, 0), LayerKind::kSll2);
  EXPECT_TRUE(has(DecodeEvent::kSll2PktTooSmall));
  EXPECT_TRUE(p.invalid);
}

}  // namespace
}  // namespace seawall::test
