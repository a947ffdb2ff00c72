// IPv4 header, options (vectors from Suricata's decode-ipv4.c tests) and fragments.
#include "decode/decoder.h"

#include "base_test_util.h"

namespace seawall::test {
namespace {

using Ipv4Test = DecodeFixture;

TEST_F(Ipv4Test, FieldsDecoded) {
  Ipv4Spec s;
  s.proto = 17;
  s.ttl = 17;
  decode(cat({ethernet(0x0800), ipv4(s, udp(1, 2, {1, 2, 3}))}));
  EXPECT_EQ(p.ip_version, 4);
  EXPECT_EQ(p.src.to_string(), "10.0.0.1");
  EXPECT_EQ(p.dst.to_string(), "10.0.0.2");
  EXPECT_EQ(p.ttl, 17);
  EXPECT_EQ(p.ip_proto, 17);
  EXPECT_EQ(p.ip_len, 20 + 8 + 3);
  EXPECT_EQ(p.l3_len, 31u);
  EXPECT_EQ(p.payload_len, 3u);
  EXPECT_FALSE(p.is_fragment);
}

TEST_F(Ipv4Test, EthernetPaddingIgnored) {
  Bytes frame = cat({ethernet(0x0800), ipv4(17, udp(1, 2))});
  frame.resize(60, 0);
  decode(frame);
  EXPECT_EQ(p.l3_len, 28u);
  EXPECT_TRUE(p.is_udp());
  EXPECT_FALSE(p.invalid);
}

TEST_F(Ipv4Test, HeaderErrors) {
  Bytes ok = ipv4(17, udp(1, 2));
  decode(Bytes(ok.begin(), ok.begin() + 19), LayerKind::kIpv4);
  EXPECT_TRUE(has(DecodeEvent::kIpv4PktTooSmall));
  EXPECT_TRUE(p.invalid);

  Bytes b = ok;
  b[0] = 0x65;
  decode(b, LayerKind::kIpv4);
  EXPECT_TRUE(has(DecodeEvent::kIpv4WrongIpVersion));

  b = ok;
  b[0] = 0x44;
  decode(b, LayerKind::kIpv4);
  EXPECT_TRUE(has(DecodeEvent::kIpv4HlenTooSmall));

  b = ok;
  b[2] = 0;
  b[3] = 19;
  decode(b, LayerKind::kIpv4);
  EXPECT_TRUE(has(DecodeEvent::kIpv4IplenSmallerThanHlen));

  b = ok;
  b[3] += 1;  // claims one byte more than present
  decode(b, LayerKind::kIpv4);
  EXPECT_TRUE(has(DecodeEvent::kIpv4TruncPkt));
  EXPECT_TRUE(p.invalid);
  EXPECT_FALSE(p.has_ports);
}

Bytes with_options(const Bytes& opts) {
  Ipv4Spec s;
  s.proto = 17;
  s.options = opts;
  return ipv4(s, udp(1, 2));
}

TEST_F(Ipv4Test, ValidOptions) {
  // Record route (Suricata's DecodeIPV4OptionsRRTest01, trimmed to 40 bytes).
  Bytes rr = {7, 0x27, 0x08, 0xc0, 0xa8, 0x2a, 0x64};
  rr.resize(39, 0);
  rr.push_back(0);  // EOL
  decode(with_options(rr), LayerKind::kIpv4);
  EXPECT_EQ(p.event_count, 0);
  EXPECT_TRUE(p.is_udp());

  // Router alert + NOP padding to 8 bytes.
  decode(with_options({148, 4, 0, 0, 1, 1, 1, 0}), LayerKind::kIpv4);
  EXPECT_EQ(p.event_count, 0);

  // Quick-start (DecodeIPV4OptionsQSTest01).
  decode(with_options({25, 0x08, 0x0d, 0x00, 0xbe, 0xef, 0x00, 0x00}), LayerKind::kIpv4);
  EXPECT_EQ(p.event_count, 0);
}

TEST_F(Ipv4Test, PadRequiredWhenNotMultipleOf8) {
  decode(with_options({148, 4, 0, 0}), LayerKind::kIpv4);
  EXPECT_TRUE(has(DecodeEvent::kIpv4OptPadRequired));
  EXPECT_FALSE(p.invalid);
}

TEST_F(Ipv4Test, MalformedOptions) {
  struct Case {
    Bytes opts;
    DecodeEvent event;
    bool invalid;
  };
  Bytes rr_len_too_large = {7, 0xff, 0x08, 0, 0, 0, 0, 0};
  Bytes rr_ptr_unaligned = {7, 0x07, 0x05, 0, 0, 0, 0, 0};
  Bytes rr_ptr_too_large = {7, 0x07, 0xff, 0, 0, 0, 0, 0};
  Bytes qs_too_short = {25, 0x07, 0x0d, 0x00, 0xbe, 0xef, 0x00, 0x00};
  Bytes ts_ptr_small = {68, 0x08, 0x04, 0x01, 0, 0, 0, 0};
  Bytes sec_wrong_len = {130, 0x0a, 0xf1, 0x35, 0, 0, 0, 0, 0, 0, 0, 0};
  Bytes zero_len = {0x44, 0x00, 0, 0, 0, 0, 0, 0};
  Bytes unknown = {0x5e, 0x04, 0, 0, 1, 1, 1, 0};
  Bytes duplicate = {148, 4, 0, 0, 148, 4, 0, 0};
  Bytes eol_required = {1, 1, 1, 1, 1, 1, 1, 148};
  Bytes cipso_bad_tag = {134, 0x0a, 0, 0, 0, 1, 0x09, 0x04, 0, 0, 1, 0};
  for (const Case& c : {Case{rr_len_too_large, DecodeEvent::kIpv4OptInvalidLen, true},
                        Case{rr_ptr_unaligned, DecodeEvent::kIpv4OptMalformed, true},
                        Case{rr_ptr_too_large, DecodeEvent::kIpv4OptMalformed, true},
                        Case{qs_too_short, DecodeEvent::kIpv4OptInvalidLen, true},
                        Case{ts_ptr_small, DecodeEvent::kIpv4OptMalformed, true},
                        Case{sec_wrong_len, DecodeEvent::kIpv4OptInvalidLen, true},
                        Case{zero_len, DecodeEvent::kIpv4OptInvalidLen, true},
                        Case{cipso_bad_tag, DecodeEvent::kIpv4OptMalformed, true},
                        Case{unknown, DecodeEvent::kIpv4OptInvalid, false},
                        Case{duplicate, DecodeEvent::kIpv4OptDuplicate, false},
                        Case{eol_required, DecodeEvent::kIpv4OptEolRequired, false}}) {
    decode(with_options(c.opts), LayerKind::kIpv4);
    EXPECT_TRUE(has(c.event)) << decode_event_name(c.event);
    EXPECT_EQ(p.invalid, c.invalid) << decode_event_name(c.event);
    // Invalid options stop decoding; warnings do not.
    EXPECT_EQ(p.has_ports, !c.invalid) << decode_event_name(c.event);
  }
}

TEST_F(Ipv4Test, FirstFragmentDecodesL4FromWhatIsPresent) {
  Ipv4Spec s;
  s.proto = 17;
  s.frag = 0x2000;  // MF, offset 0
  Bytes part = udp(5000, 53, Bytes(100, 0xaa));
  part.resize(48);  // the datagram continues in a later fragment
  decode(cat({ethernet(0x0800), ipv4(s, part)}));
  EXPECT_TRUE(p.is_fragment);
  EXPECT_TRUE(p.first_fragment);
  EXPECT_TRUE(p.is_udp());
  EXPECT_EQ(p.dport, 53);
  EXPECT_EQ(p.payload_len, 40u);
  EXPECT_FALSE(p.invalid);
  EXPECT_EQ(p.event_count, 0);
}

TEST_F(Ipv4Test, LaterFragmentHasNoL4) {
  Ipv4Spec s;
  s.proto = 6;
  s.frag = 185;  // offset 1480, last fragment
  decode(cat({ethernet(0x0800), ipv4(s, Bytes(30, 0x11))}));
  EXPECT_TRUE(p.is_fragment);
  EXPECT_FALSE(p.first_fragment);
  EXPECT_FALSE(p.has_ports);
  EXPECT_EQ(p.ip_proto, 6);
  EXPECT_FALSE(p.invalid);
}

TEST_F(Ipv4Test, FragmentPastMaximumSize) {
  Ipv4Spec s;
  s.frag = 0x1fff;  // offset 65528
  decode(cat({ethernet(0x0800), ipv4(s, Bytes(16, 0))}));
  EXPECT_TRUE(has(DecodeEvent::kIpv4FragPktTooLarge));
}

}  // namespace
}  // namespace seawall::test
