// Checksums: RFC 1071 example, known captured packets, and validation on/off.
#include "decode/decoder.h"

#include "base_test_util.h"

namespace seawall::test {
namespace {

using ChecksumTest = DecodeFixture;

TEST(Checksum, Rfc1071Example) {
  // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (one's
  // complement 220d).
  const uint8_t data[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(checksum_fold(checksum_partial(data, sizeof(data))), 0x220d);
}

TEST(Checksum, OddLengthPadsWithZero) {
  const uint8_t data[] = {0x12, 0x34, 0x56};
  EXPECT_EQ(checksum_fold(checksum_partial(data, 3)), ref_checksum({0x12, 0x34, 0x56}));
  EXPECT_EQ(checksum_fold(checksum_partial(data, 3)), static_cast<uint16_t>(~(0x1234 + 0x5600)));
}

TEST(Checksum, KnownIpv4HeaderFromWikipediaExample) {
  // The classic IPv4 header example with checksum b861.
  const uint8_t hdr[] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                         0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
  EXPECT_EQ(checksum_fold(checksum_partial(hdr, sizeof(hdr))), 0);
}

TEST_F(ChecksumTest, SuricataIcmpv6VectorValidates) {
  // Suricata's ICMPV6CalculateValidChecksumtest01 frame (checksum f752).
  const uint8_t frame[] = {
      0x00, 0x00, 0x86, 0x05, 0x80, 0xda, 0x00, 0x60, 0x97, 0x07, 0x69, 0xea, 0x86, 0xdd, 0x60,
      0x00, 0x00, 0x00, 0x00, 0x44, 0x3a, 0x40, 0x3f, 0xfe, 0x05, 0x07, 0x00, 0x00, 0x00, 0x01,
      0x02, 0x60, 0x97, 0xff, 0xfe, 0x07, 0x69, 0xea, 0x3f, 0xfe, 0x05, 0x07, 0x00, 0x00, 0x00,
      0x01, 0x02, 0x00, 0x86, 0xff, 0xfe, 0x05, 0x80, 0xda, 0x03, 0x00, 0xf7, 0x52, 0x00, 0x00,
      0x00, 0x00, 0x60, 0x00, 0x00, 0x00, 0x00, 0x14, 0x11, 0x01, 0x3f, 0xfe, 0x05, 0x07, 0x00,
      0x00, 0x00, 0x01, 0x02, 0x00, 0x86, 0xff, 0xfe, 0x05, 0x80, 0xda, 0x3f, 0xfe, 0x05, 0x01,
      0x04, 0x10, 0x00, 0x00, 0x02, 0xc0, 0xdf, 0xff, 0xfe, 0x47, 0x03, 0x3e, 0xa0, 0x75, 0x82,
      0x9b, 0x00, 0x14, 0x82, 0x8b, 0x01, 0x01, 0x00, 0x00, 0xf9, 0xc8, 0xe7, 0x36, 0xf5, 0xed,
      0x08, 0x00};
  options.validate_checksums = true;
  Bytes f(frame, frame + sizeof(frame));
  decode(f);
  ASSERT_EQ(p.ip_version, 6);
  ASSERT_TRUE(p.has_icmp);
  EXPECT_EQ(p.icmp_type, 3);  // time exceeded
  EXPECT_FALSE(p.l4_checksum_bad);
  EXPECT_EQ(counter("decoder.icmpv6_invalid_checksum"), 0u);
  // Suricata's ...InvalidChecksumtest02 changes the last byte.
  f.back() = 0x01;
  decode(f);
  EXPECT_TRUE(p.l4_checksum_bad);
  EXPECT_EQ(counter("decoder.icmpv6_invalid_checksum"), 1u);
}

TEST_F(ChecksumTest, TcpOverIpv4ValidAndInvalid) {
  Ipv4Spec s;
  Bytes seg = tcp(1234, 80, tcp_flag::kSyn, {}, {'h', 'i', '!'});
  set_checksum(seg, 16, ref_l4_checksum_v4(s.src, s.dst, 6, seg));
  Bytes frame = cat({ethernet(0x0800), ipv4(s, seg)});
  options.validate_checksums = true;
  decode(frame);
  EXPECT_FALSE(p.ip_checksum_bad);
  EXPECT_FALSE(p.l4_checksum_bad);
  EXPECT_EQ(counter("tcp.invalid_checksum"), 0u);

  frame[14 + 20 + 16] ^= 0x40;  // corrupt the TCP checksum
  decode(frame);
  EXPECT_TRUE(p.l4_checksum_bad);
  EXPECT_EQ(counter("tcp.invalid_checksum"), 1u);

  frame[14 + 10] ^= 0x01;  // corrupt the IP header checksum
  decode(frame);
  EXPECT_TRUE(p.ip_checksum_bad);
  EXPECT_EQ(counter("decoder.ipv4_invalid_checksum"), 1u);
}

TEST_F(ChecksumTest, ValidationOffSkipsChecks) {
  Bytes seg = tcp(1234, 80, tcp_flag::kSyn);
  set_checksum(seg, 16, 0xdead);  // wrong
  Bytes frame = cat({ethernet(0x0800), ipv4(6, seg)});
  frame[14 + 10] ^= 0xff;         // wrong IP checksum too
  options.validate_checksums = false;
  decode(frame);
  EXPECT_FALSE(p.ip_checksum_bad);
  EXPECT_FALSE(p.l4_checksum_bad);
  EXPECT_TRUE(p.is_tcp());
  EXPECT_EQ(counter("tcp.invalid_checksum"), 0u);
}

TEST_F(ChecksumTest, UdpOverIpv6AndZeroChecksumOverIpv4) {
  options.validate_checksums = true;
  Bytes d = udp(5353, 5353, {1, 2, 3, 4, 5});
  set_checksum(d, 6, ref_l4_checksum_v6(17, d));
  decode(cat({ethernet(0x86DD), ipv6(17, d)}));
  EXPECT_TRUE(p.is_udp());
  EXPECT_FALSE(p.l4_checksum_bad);
  d[8] ^= 0xff;
  decode(cat({ethernet(0x86DD), ipv6(17, d)}));
  EXPECT_TRUE(p.l4_checksum_bad);
  EXPECT_EQ(counter("decoder.udp_invalid_checksum"), 1u);

  Bytes z = udp(1, 2, {9, 9});  // checksum 0: not computed over IPv4
  decode(cat({ethernet(0x0800), ipv4(17, z)}));
  EXPECT_FALSE(p.l4_checksum_bad);
}

TEST_F(ChecksumTest, Icmpv4ChecksumHasNoPseudoHeader) {
  options.validate_checksums = true;
  Bytes echo = {8, 0, 0, 0, 0x12, 0x34, 0x00, 0x01, 'a', 'b', 'c'};
  set_checksum(echo, 2, ref_checksum(echo));
  decode(cat({ethernet(0x0800), ipv4(1, echo)}));
  EXPECT_FALSE(p.l4_checksum_bad);
  echo[9] = 'X';
  decode(cat({ethernet(0x0800), ipv4(1, echo)}));
  EXPECT_TRUE(p.l4_checksum_bad);
}

}  // namespace
}  // namespace seawall::test
