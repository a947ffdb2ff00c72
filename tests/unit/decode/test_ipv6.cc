// IPv6 and its extension headers.
#include "decode/decoder.h"

#include "base_test_util.h"

namespace seawall::test {
namespace {

using Ipv6Test = DecodeFixture;

// Extension header with the given next header, padded to `units` * 8 bytes.
Bytes ext(uint8_t next, const Bytes& body, uint8_t units = 1) {
  Bytes b = {next, static_cast<uint8_t>(units - 1)};
  append(b, body);
  b.resize(units * 8u, 0);
  return b;
}
Bytes frag_header(uint8_t next, uint16_t offset_units, bool more, uint8_t reserved = 0) {
  Bytes b = {next, reserved};
  put16(b, static_cast<uint16_t>((offset_units << 3) | (more ? 1 : 0)));
  put32(b, 0xabcdef01);
  return b;
}

TEST_F(Ipv6Test, FieldsDecoded) {
  decode(cat({ethernet(0x86DD), ipv6(6, tcp(1234, 443, tcp_flag::kSyn), 33)}));
  EXPECT_EQ(p.ip_version, 6);
  EXPECT_EQ(p.src.to_string(), "2001:db8::1");
  EXPECT_EQ(p.dst.to_string(), "2001:db8::2");
  EXPECT_EQ(p.ttl, 33);
  EXPECT_EQ(p.ipv6_flow_label, 0x12345u);
  EXPECT_EQ(p.ip_proto, 6);
  EXPECT_TRUE(p.is_tcp());
  EXPECT_EQ(p.event_count, 0);
}

TEST_F(Ipv6Test, HeaderErrors) {
  decode(Bytes(39, 0x60), LayerKind::kIpv6);
  EXPECT_TRUE(has(DecodeEvent::kIpv6PktTooSmall));
  EXPECT_TRUE(p.invalid);
  Bytes b = ipv6(17, udp(1, 2));
  b[0] = 0x40;
  decode(b, LayerKind::kIpv6);
  EXPECT_TRUE(has(DecodeEvent::kIpv6WrongIpVersion));
  b = ipv6(17, udp(1, 2));
  b[5] += 1;
  decode(b, LayerKind::kIpv6);
  EXPECT_TRUE(has(DecodeEvent::kIpv6TruncPkt));
  EXPECT_TRUE(p.invalid);
}

TEST_F(Ipv6Test, HopByHopWithRouterAlert) {
  Bytes hbh = ext(58, {0x05, 0x02, 0x00, 0x00});  // router alert (MLD), then two Pad1
  decode(cat({ethernet(0x86DD), ipv6(0, cat({hbh, Bytes{143, 0, 0, 0, 0, 0, 0, 0}}), 1)}));
  EXPECT_EQ(p.ip_proto, 58);
  EXPECT_TRUE(p.has_icmp);
  EXPECT_EQ(p.icmp_type, 143);
  EXPECT_EQ(p.event_count, 0);
}

TEST_F(Ipv6Test, HopByHopOnlyPaddingAndUnknownOption) {
  decode(cat({ethernet(0x86DD), ipv6(0, cat({ext(17, {0x01, 0x04, 0, 0, 0, 0}), udp(1, 2)}))}));
  EXPECT_TRUE(has(DecodeEvent::kIpv6HopoptsOnlyPadding));
  EXPECT_TRUE(p.is_udp());
  decode(cat({ethernet(0x86DD), ipv6(0, cat({ext(17, {0x3e, 0x04, 0, 0, 0, 0}), udp(1, 2)}))}));
  EXPECT_TRUE(has(DecodeEvent::kIpv6HopoptsUnknownOpt));
  decode(cat({ethernet(0x86DD), ipv6(0, cat({ext(17, {0x01, 0x00, 0x01, 0x02, 0, 0}), udp(1, 2)}))}));
  EXPECT_TRUE(has(DecodeEvent::kIpv6ZeroLenPadn));
  decode(cat({ethernet(0x86DD), ipv6(0, cat({ext(17, {0x3e, 0x09, 0, 0, 0, 0}), udp(1, 2)}))}));
  EXPECT_TRUE(has(DecodeEvent::kIpv6ExthdrInvalidOptlen));
}

TEST_F(Ipv6Test, DestinationOptions) {
  decode(cat({ethernet(0x86DD), ipv6(60, cat({ext(6, {0xc9, 0x10}, 3), tcp(1, 2, 0)}))}));
  EXPECT_TRUE(p.is_tcp());
  EXPECT_EQ(p.event_count, 0);  // home address option with 16 bytes
  decode(cat({ethernet(0x86DD), ipv6(60, cat({ext(6, {0x1e, 0x04}), tcp(1, 2, 0)}))}));
  EXPECT_TRUE(has(DecodeEvent::kIpv6DstoptsUnknownOpt));
  decode(cat({ethernet(0x86DD), ipv6(60, cat({ext(6, {0x01, 0x04}), tcp(1, 2, 0)}))}));
  EXPECT_TRUE(has(DecodeEvent::kIpv6DstoptsOnlyPadding));
}

TEST_F(Ipv6Test, RoutingHeaderType0) {
  decode(cat({ethernet(0x86DD), ipv6(43, cat({ext(17, {0x00, 0x01, 0, 0, 0, 0}, 3), udp(1, 2)}))}));
  EXPECT_TRUE(has(DecodeEvent::kIpv6RhType0));
  EXPECT_TRUE(p.is_udp());
  decode(cat({ethernet(0x86DD), ipv6(43, cat({ext(17, {0x04, 0x00, 0, 0, 0, 0}), udp(1, 2)}))}));
  EXPECT_FALSE(has(DecodeEvent::kIpv6RhType0));
  EXPECT_TRUE(p.is_udp());
}

TEST_F(Ipv6Test, DuplicateHeaders) {
  decode(cat({ethernet(0x86DD),
              ipv6(43, cat({ext(43, {0x04}), ext(17, {0x04}), udp(1, 2)}))}));
  EXPECT_TRUE(has(DecodeEvent::kIpv6ExthdrDuplRh));
  EXPECT_TRUE(p.is_udp());
  decode(cat({ethernet(0x86DD), ipv6(0, cat({ext(0, {1, 4}), ext(17, {1, 4}), udp(1, 2)}))}));
  EXPECT_TRUE(has(DecodeEvent::kIpv6ExthdrDuplHh));
  // DST before and after a routing header is legal, a third one is not.
  decode(cat({ethernet(0x86DD),
              ipv6(60, cat({ext(43, {1, 4}), ext(60, {0x04}), ext(60, {1, 4}), ext(17, {1, 4}),
                            udp(1, 2)}))}));
  EXPECT_TRUE(has(DecodeEvent::kIpv6ExthdrDuplDh));
  decode(cat({ethernet(0x86DD), ipv6(60, cat({ext(43, {1, 4}), ext(60, {0x04}),
                                               ext(17, {1, 4}), udp(1, 2)}))}));
  EXPECT_FALSE(has(DecodeEvent::kIpv6ExthdrDuplDh));
  decode(cat({ethernet(0x86DD), ipv6(44, cat({frag_header(44, 0, true), frag_header(17, 0, true),
                                               udp(1, 2)}))}));
  EXPECT_TRUE(has(DecodeEvent::kIpv6ExthdrDuplFh));
}

TEST_F(Ipv6Test, AuthenticationHeader) {
  Bytes ah = {17, 4, 0, 0};  // (4+2)*4 = 24 bytes
  put32(ah, 0x1000);
  put32(ah, 1);
  ah.resize(24, 0);
  decode(cat({ethernet(0x86DD), ipv6(51, cat({ah, udp(1, 2)}))}));
  EXPECT_TRUE(p.is_udp());
  EXPECT_EQ(p.event_count, 0);
  ah[2] = 1;  // reserved
  decode(cat({ethernet(0x86DD), ipv6(51, cat({ah, udp(1, 2)}))}));
  EXPECT_TRUE(has(DecodeEvent::kIpv6ExthdrAhResNotNull));
  ah[2] = 0;
  Bytes ah2 = ah;
  ah2[0] = 51;
  decode(cat({ethernet(0x86DD), ipv6(51, cat({ah2, ah, udp(1, 2)}))}));
  EXPECT_TRUE(has(DecodeEvent::kIpv6ExthdrDuplAh));
}

TEST_F(Ipv6Test, EspStopsAndNoneHeader) {
  decode(cat({ethernet(0x86DD), ipv6(50, Bytes(32, 0x11))}));
  EXPECT_EQ(p.ip_proto, 50);
  EXPECT_FALSE(p.has_ports);
  EXPECT_EQ(p.event_count, 0);
  decode(cat({ethernet(0x86DD), ipv6(59, {})}));
  EXPECT_EQ(p.event_count, 0);
  decode(cat({ethernet(0x86DD), ipv6(59, {1, 2, 3})}));
  EXPECT_TRUE(has(DecodeEvent::kIpv6DataAfterNoneHeader));
}

TEST_F(Ipv6Test, UnknownNextHeaderAndTruncatedExtension) {
  decode(cat({ethernet(0x86DD), ipv6(253, Bytes(8, 0))}));
  EXPECT_TRUE(has(DecodeEvent::kIpv6UnknownNextHeader));
  EXPECT_EQ(p.ip_proto, 253);
  decode(cat({ethernet(0x86DD), ipv6(89, Bytes(8, 0))}));  // OSPFv3 is no anomaly
  EXPECT_EQ(p.event_count, 0);
  decode(cat({ethernet(0x86DD), ipv6(0, Bytes{17, 2, 1, 4, 0, 0, 0, 0})}));  // claims 24 bytes
  EXPECT_TRUE(has(DecodeEvent::kIpv6TruncExthdr));
  EXPECT_TRUE(p.invalid);
  decode(cat({ethernet(0x86DD), ipv6(44, Bytes{17, 0, 0})}));
  EXPECT_TRUE(has(DecodeEvent::kIpv6TruncExthdr));
}

TEST_F(Ipv6Test, FirstAndLaterFragments) {
  Bytes part = udp(4000, 53, Bytes(64, 0));
  part.resize(24);  // 8-byte multiple
  decode(cat({ethernet(0x86DD), ipv6(44, cat({frag_header(17, 0, true), part}))}));
  EXPECT_TRUE(p.is_fragment);
  EXPECT_TRUE(p.first_fragment);
  EXPECT_EQ(p.ip_proto, 17);
  EXPECT_TRUE(p.is_udp());
  EXPECT_EQ(p.dport, 53);
  EXPECT_EQ(p.event_count, 0);

  decode(cat({ethernet(0x86DD), ipv6(44, cat({frag_header(17, 3, false), Bytes(40, 0)}))}));
  EXPECT_TRUE(p.is_fragment);
  EXPECT_FALSE(p.first_fragment);
  EXPECT_FALSE(p.has_ports);
  EXPECT_EQ(p.ip_proto, 17);
}

TEST_F(Ipv6Test, FragmentHeaderAnomalies) {
  decode(cat({ethernet(0x86DD), ipv6(44, cat({frag_header(17, 0, false), udp(1, 2)}))}));
  EXPECT_TRUE(has(DecodeEvent::kIpv6ExthdrUselessFh));
  EXPECT_FALSE(p.is_fragment);
  EXPECT_TRUE(p.is_udp());
  decode(cat({ethernet(0x86DD), ipv6(44, cat({frag_header(17, 0, true, 7), Bytes(16, 0)}))}));
  EXPECT_TRUE(has(DecodeEvent::kIpv6FhNonZeroReservedField));
  decode(cat({ethernet(0x86DD), ipv6(44, cat({frag_header(17, 0, true), Bytes(13, 0)}))}));
  EXPECT_TRUE(has(DecodeEvent::kIpv6FragInvalidLength));
  EXPECT_TRUE(p.invalid);
  decode(cat({ethernet(0x86DD), ipv6(44, cat({frag_header(17, 8191, false), Bytes(16, 0)}))}));
  EXPECT_TRUE(has(DecodeEvent::kIpv6FragPktTooLarge));
}

}  // namespace
}  // namespace seawall::test
