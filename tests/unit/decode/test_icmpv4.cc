// ICMPv4 types, codes and quoted headers.
#include "decode/decoder.h"

#include "base_test_util.h"

namespace seawall::test {
namespace {

using Icmpv4Test = DecodeFixture;

void decode_icmp(DecodeFixture& f, const Bytes& msg) { f.decode(cat({ethernet(0x0800), ipv4(1, msg)})); }

TEST_F(Icmpv4Test, EchoRequest) {
  decode_icmp(*this, {8, 0, 0x78, 0x47, 0xfc, 0x55, 0x00, 0x04, 0xab, 0xab});
  EXPECT_TRUE(p.has_icmp);
  EXPECT_EQ(p.icmp_type, 8);
  EXPECT_EQ(p.icmp_code, 0);
  EXPECT_EQ(p.icmp_id, 0xfc55);
  EXPECT_EQ(p.icmp_seq, 4);
  EXPECT_EQ(p.payload_len, 2u);
  EXPECT_EQ(p.event_count, 0);
  EXPECT_EQ(counter("decoder.icmpv4"), 1u);
}

TEST_F(Icmpv4Test, TimeExceededWithQuotedHeader) {
  // Suricata's DecodeICMPV4test03: TTL exceeded quoting a UDP packet.
  Bytes msg = {0x0b, 0x00, 0x6a, 0x3d, 0x00, 0x00, 0x00, 0x00, 0x45, 0x00, 0x00, 0x3c,
               0x64, 0x15, 0x00, 0x00, 0x01, 0x11, 0xde, 0xfd, 0xc0, 0xa8, 0x01, 0x0d,
               0xd1, 0x55, 0xe3, 0x93, 0x8b, 0x12, 0x82, 0xaa, 0x00, 0x28, 0x7c, 0xdd};
  decode_icmp(*this, msg);
  EXPECT_EQ(p.icmp_type, 11);
  EXPECT_EQ(p.event_count, 0);
  EXPECT_FALSE(p.invalid);
}

TEST_F(Icmpv4Test, ErrorWithTruncatedQuotedIpv4) {
  Bytes msg = {3, 1, 0, 0, 0, 0, 0, 0, 0x45, 0x00, 0x00, 0x3c, 0x00, 0x00};  // 6 bytes quoted
  decode_icmp(*this, msg);
  EXPECT_TRUE(has(DecodeEvent::kIcmpv4Ipv4TruncPkt));
  EXPECT_TRUE(p.invalid);
}

TEST_F(Icmpv4Test, ErrorWithWrongQuotedVersion) {
  Bytes msg = {3, 3, 0, 0, 0, 0, 0, 0};
  Bytes quoted = ipv4(17, udp(1, 2));
  quoted[0] = 0x65;
  append(msg, quoted);
  decode_icmp(*this, msg);
  EXPECT_TRUE(has(DecodeEvent::kIcmpv4Ipv4UnknownVer));
  EXPECT_TRUE(p.invalid);
}

TEST_F(Icmpv4Test, UnknownTypeAndCode) {
  decode_icmp(*this, {42, 0, 0, 0, 0, 0, 0, 0});
  EXPECT_TRUE(has(DecodeEvent::kIcmpv4UnknownType));
  EXPECT_FALSE(p.invalid);
  decode_icmp(*this, {3, 16, 0, 0, 0, 0, 0, 0});
  EXPECT_TRUE(has(DecodeEvent::kIcmpv4UnknownCode));
  decode_icmp(*this, {0, 1, 0, 0, 0, 0, 0, 0});
  EXPECT_TRUE(has(DecodeEvent::kIcmpv4UnknownCode));
  decode_icmp(*this, {5, 4, 0, 0, 0, 0, 0, 0});
  EXPECT_TRUE(has(DecodeEvent::kIcmpv4UnknownCode));
  decode_icmp(*this, {11, 2, 0, 0, 0, 0, 0, 0});
  EXPECT_TRUE(has(DecodeEvent::kIcmpv4UnknownCode));
}

TEST_F(Icmpv4Test, TooSmall) {
  decode_icmp(*this, {8, 0, 0, 0, 0, 0, 0});
  EXPECT_TRUE(has(DecodeEvent::kIcmpv4PktTooSmall));
  EXPECT_TRUE(p.invalid);
  EXPECT_FALSE(p.has_icmp);
}

}  // namespace
}  // namespace seawall::test
