// ICMPv6 types, codes, MLD hop limit and quoted headers.
#include "decode/decoder.h"

#include "base_test_util.h"

namespace seawall::test {
namespace {

using Icmpv6Test = DecodeFixture;

void decode_icmp6(DecodeFixture& f, const Bytes& msg, uint8_t hop_limit = 64) {
  f.decode(cat({ethernet(0x86DD), ipv6(58, msg, hop_limit)}));
}

TEST_F(Icmpv6Test, EchoRequest) {
  decode_icmp6(*this, {128, 0, 0, 0, 0x00, 0x07, 0x00, 0x09, 'p'});
  EXPECT_TRUE(p.has_icmp);
  EXPECT_EQ(p.icmp_type, 128);
  EXPECT_EQ(p.icmp_id, 7);
  EXPECT_EQ(p.icmp_seq, 9);
  EXPECT_EQ(p.event_count, 0);
  EXPECT_EQ(counter("decoder.icmpv6"), 1u);
}

TEST_F(Icmpv6Test, DestUnreachQuotesIpv6) {
  decode_icmp6(*this, cat({Bytes{1, 4, 0, 0, 0, 0, 0, 0}, ipv6(17, udp(1, 2))}));
  EXPECT_EQ(p.event_count, 0);
  decode_icmp6(*this, cat({Bytes{1, 4, 0, 0, 0, 0, 0, 0}, Bytes(30, 0x60)}));
  EXPECT_TRUE(has(DecodeEvent::kIcmpv6Ipv6TruncPkt));
  EXPECT_TRUE(p.invalid);
  Bytes quoted = ipv6(17, udp(1, 2));
  quoted[0] = 0x45;
  decode_icmp6(*this, cat({Bytes{3, 0, 0, 0, 0, 0, 0, 0}, quoted}));
  EXPECT_TRUE(has(DecodeEvent::kIcmpv6Ipv6UnknownVersion));
}

TEST_F(Icmpv6Test, MldHopLimit) {
  Bytes mld = {130, 0, 0, 0, 0, 0, 0, 0};
  mld.resize(24, 0);
  decode_icmp6(*this, mld, 1);
  EXPECT_EQ(p.event_count, 0);
  decode_icmp6(*this, mld, 255);
  EXPECT_TRUE(has(DecodeEvent::kIcmpv6MldMessageWithInvalidHl));
}

TEST_F(Icmpv6Test, TypeRanges) {
  decode_icmp6(*this, {50, 0, 0, 0, 0, 0, 0, 0});
  EXPECT_TRUE(has(DecodeEvent::kIcmpv6UnassignedType));
  decode_icmp6(*this, {100, 0, 0, 0, 0, 0, 0, 0});
  EXPECT_TRUE(has(DecodeEvent::kIcmpv6ExperimentationType));
  decode_icmp6(*this, {201, 0, 0, 0, 0, 0, 0, 0});
  EXPECT_TRUE(has(DecodeEvent::kIcmpv6ExperimentationType));
  decode_icmp6(*this, {170, 0, 0, 0, 0, 0, 0, 0});
  EXPECT_TRUE(has(DecodeEvent::kIcmpv6UnassignedType));
  decode_icmp6(*this, {0, 0, 0, 0, 0, 0, 0, 0});
  EXPECT_TRUE(has(DecodeEvent::kIcmpv6UnknownType));
  decode_icmp6(*this, {135, 1, 0, 0, 0, 0, 0, 0}, 255);  // NS with code 1
  EXPECT_TRUE(has(DecodeEvent::kIcmpv6UnknownCode));
  decode_icmp6(*this, {1, 7, 0, 0, 0, 0, 0, 0});
  EXPECT_TRUE(has(DecodeEvent::kIcmpv6UnknownCode));
}

TEST_F(Icmpv6Test, TooSmall) {
  decode_icmp6(*this, {128, 0, 0, 0});
  EXPECT_TRUE(has(DecodeEvent::kIcmpv6PktTooSmall));
  EXPECT_TRUE(p.invalid);
}

}  // namespace
}  // namespace seawall::test
