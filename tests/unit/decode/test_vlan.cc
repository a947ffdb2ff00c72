// 802.1Q / QinQ tags.
#include "decode/decoder.h"

#include "base_test_util.h"

namespace seawall::test {
namespace {

using VlanTest = DecodeFixture;

TEST_F(VlanTest, SingleTag) {
  decode(cat({ethernet(0x8100), vlan_tag(100, 0x0800), ipv4(17, udp(1, 2))}));
  EXPECT_EQ(p.vlan_count, 1);
  EXPECT_EQ(p.vlan[0], 100);
  EXPECT_TRUE(p.is_udp());
  EXPECT_EQ(counter("decoder.vlan"), 1u);
}

TEST_F(VlanTest, PriorityBitsAreMaskedOff) {
  Bytes tag = {0xe0 | 0x01, 0x23};  // PCP 7, DEI 0, VID 0x123
  put16(tag, 0x0800);
  decode(cat({ethernet(0x8100), tag, ipv4(17, udp(1, 2))}));
  EXPECT_EQ(p.vlan[0], 0x123);
}

TEST_F(VlanTest, ThreeTagsQinQinQ) {
  decode(cat({ethernet(0x88A8), vlan_tag(10, 0x8100), vlan_tag(20, 0x9100), vlan_tag(30, 0x86DD),
              ipv6(6, tcp(1, 2, tcp_flag::kSyn))}));
  EXPECT_EQ(p.vlan_count, 3);
  EXPECT_EQ(p.vlan[0], 10);
  EXPECT_EQ(p.vlan[1], 20);
  EXPECT_EQ(p.vlan[2], 30);
  EXPECT_TRUE(p.is_tcp());
  EXPECT_EQ(p.event_count, 0);
  EXPECT_EQ(counter("decoder.vlan"), 1u);
  EXPECT_EQ(counter("decoder.vlan_qinq"), 1u);
  EXPECT_EQ(counter("decoder.vlan_qinqinq"), 1u);
}

TEST_F(VlanTest, FourTagsTooManyLayers) {
  decode(cat({ethernet(0x88A8), vlan_tag(10, 0x8100), vlan_tag(20, 0x8100), vlan_tag(30, 0x8100),
              vlan_tag(40, 0x0800), ipv4(17, udp(1, 2))}));
  EXPECT_TRUE(has(DecodeEvent::kVlanTooManyLayers));
  EXPECT_EQ(p.vlan_count, 3);
  EXPECT_EQ(p.ip_version, 0);  // decoding stopped
  EXPECT_EQ(counter("decoder.event.vlan.too_many_layers"), 1u);
}

TEST_F(VlanTest, HeaderTooSmall) {
  decode(cat({ethernet(0x8100), Bytes{0x00, 0x01, 0x08}}));
  EXPECT_TRUE(has(DecodeEvent::kVlanHeaderTooSmall));
  EXPECT_TRUE(p.invalid);
}

TEST_F(VlanTest, UnknownInnerType) {
  decode(cat({ethernet(0x8100), vlan_tag(5, 0x4444), Bytes(30, 0)}));
  EXPECT_TRUE(has(DecodeEvent::kVlanUnknownType));
  EXPECT_TRUE(has(DecodeEvent::kEthernetUnknownEthertype));
}

}  // namespace
}  // namespace seawall::test
