// Ethernet, ethertype dispatch, VN-Tag, 802.1ah, ARP.
#include "decode/decoder.h"

#include "base_test_util.h"

namespace seawall::test {
namespace {

using EthernetTest = DecodeFixture;

TEST_F(EthernetTest, DecodesMacsAndIpv4) {
  decode(cat({ethernet(0x0800), ipv4(17, udp(1000, 53))}));
  EXPECT_TRUE(p.has_ethernet);
  EXPECT_EQ(p.dst_mac[0], 0x00);
  EXPECT_EQ(p.dst_mac[5], 0x55);
  EXPECT_EQ(p.src_mac[0], 0x66);
  EXPECT_EQ(p.src_mac[5], 0xbb);
  EXPECT_EQ(p.ether_type, 0x0800);
  EXPECT_EQ(p.ip_version, 4);
  EXPECT_EQ(p.event_count, 0);
}

TEST_F(EthernetTest, TooSmall) {
  Bytes frame = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x08};
  decode(frame);
  EXPECT_TRUE(has(DecodeEvent::kEthernetPktTooSmall));
  EXPECT_TRUE(p.invalid);
}

TEST_F(EthernetTest, UnknownEthertypeIsAnEventButNotInvalid) {
  decode(cat({ethernet(0x1234), Bytes(20, 0)}));
  EXPECT_TRUE(has(DecodeEvent::kEthernetUnknownEthertype));
  EXPECT_FALSE(p.invalid);
  EXPECT_EQ(counter("decoder.unknown_ethertype"), 1u);
}

TEST_F(EthernetTest, WellKnownNonIpTypesAreQuiet) {
  for (uint16_t t : {0x88CC, 0x88E5, 0x888E, 0x0026 /* 802.3 length */, 0x8809}) {
    decode(cat({ethernet(t), Bytes(40, 0)}));
    EXPECT_EQ(p.event_count, 0) << std::hex << t;
    EXPECT_FALSE(p.invalid);
  }
}

TEST_F(EthernetTest, ArpIsCountedWithoutEvent) {
  decode(cat({ethernet(0x0806), Bytes(28, 0)}));
  EXPECT_EQ(p.event_count, 0);
  EXPECT_EQ(counter("decoder.arp"), 1u);
}

TEST_F(EthernetTest, VnTagThenVlanThenIpv4) {
  Bytes vntag = {0x80, 0x01, 0x00, 0x02};
  put16(vntag, 0x8100);
  decode(cat({ethernet(0x8926), vntag, vlan_tag(7, 0x0800), ipv4(6, tcp(1, 2, tcp_flag::kAck))}));
  EXPECT_EQ(counter("decoder.vntag"), 1u);
  EXPECT_EQ(p.vlan_count, 1);
  EXPECT_EQ(p.vlan[0], 7);
  EXPECT_TRUE(p.is_tcp());
  EXPECT_EQ(p.event_count, 0);
}

TEST_F(EthernetTest, VnTagTooSmallAndUnknownType) {
  decode(cat({ethernet(0x8926), Bytes{0, 0, 0, 0, 0x08}}));
  EXPECT_TRUE(has(DecodeEvent::kVntagHeaderTooSmall));
  EXPECT_TRUE(p.invalid);
  decode(cat({ethernet(0x8926), Bytes{0, 0, 0, 0, 0x12, 0x34}, Bytes(10, 0)}));
  EXPECT_TRUE(has(DecodeEvent::kVntagUnknownType));
}

TEST_F(EthernetTest, MacInMacDecodesCustomerFrame) {
  Bytes itag = {0x00, 0x01, 0x00, 0x01};  // I-SID 0x000100
  Bytes inner = {0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0xca, 0xfe, 0xba, 0xbe, 0x00, 0x02};
  put16(inner, 0x0800);
  decode(cat({ethernet(0x88E7), itag, inner, ipv4(17, udp(67, 68))}));
  EXPECT_EQ(counter("decoder.ieee8021ah"), 1u);
  EXPECT_EQ(p.dst_mac[0], 0xde);  // the customer addresses
  EXPECT_EQ(p.src_mac[0], 0xca);
  EXPECT_TRUE(p.is_udp());
  EXPECT_EQ(p.dport, 68);
}

TEST_F(EthernetTest, MacInMacTooSmall) {
  decode(cat({ethernet(0x88E7), Bytes(17, 0)}));
  EXPECT_TRUE(has(DecodeEvent::kIeee8021ahHeaderTooSmall));
  EXPECT_TRUE(p.invalid);
}

TEST_F(EthernetTest, TransparentBridging) {
  decode(cat({ethernet(0x6558), ethernet(0x86DD), ipv6(17, udp(1, 2))}));
  EXPECT_EQ(p.ip_version, 6);
  EXPECT_TRUE(p.is_udp());
}

}  // namespace
}  // namespace seawall::test
