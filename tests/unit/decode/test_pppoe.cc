// PPPoE session and discovery.
#include "decode/decoder.h"

#include "base_test_util.h"

namespace seawall::test {
namespace {

using PppoeTest = DecodeFixture;

Bytes session(uint16_t ppp_protocol, const Bytes& payload) {
  Bytes b = {0x11, 0x00};  // ver 1 type 1, code 0 (session data)
  put16(b, 0x0042);        // session id
  put16(b, static_cast<uint16_t>(payload.size() + 2));
  put16(b, ppp_protocol);
  append(b, payload);
  return b;
}

TEST_F(PppoeTest, SessionCarryingIpv4) {
  decode(cat({ethernet(0x8864), session(0x0021, ipv4(6, tcp(40000, 443, tcp_flag::kSyn)))}));
  EXPECT_EQ(counter("decoder.pppoe"), 1u);
  EXPECT_TRUE(p.is_tcp());
  EXPECT_EQ(p.dport, 443);
  EXPECT_EQ(p.event_count, 0);
}

TEST_F(PppoeTest, SessionOverQinqCarryingIpv6) {
  decode(cat({ethernet(0x88A8), vlan_tag(1, 0x8100), vlan_tag(2, 0x8864),
              session(0x0057, ipv6(17, udp(546, 547)))}));
  EXPECT_EQ(p.vlan_count, 2);
  EXPECT_EQ(p.ip_version, 6);
  EXPECT_TRUE(p.is_udp());
}

TEST_F(PppoeTest, SessionIgnoresEthernetPadding) {
  Bytes frame = cat({ethernet(0x8864), session(0x0021, ipv4(17, udp(1, 2)))});
  frame.resize(frame.size() + 10, 0);  // padding past the PPPoE length
  decode(frame);
  EXPECT_TRUE(p.is_udp());
  EXPECT_FALSE(p.invalid);
}

TEST_F(PppoeTest, SessionTooSmall) {
  decode(cat({ethernet(0x8864), Bytes{0x11, 0x00, 0x00, 0x01, 0x00}}));
  EXPECT_TRUE(has(DecodeEvent::kPppoePktTooSmall));
  EXPECT_TRUE(p.invalid);
}

TEST_F(PppoeTest, SessionWithTruncatedIpv4) {
  decode(cat({ethernet(0x8864), session(0x0021, Bytes(10, 0x45))}));
  EXPECT_TRUE(has(DecodeEvent::kPppIp4PktTooSmall));
  EXPECT_TRUE(p.invalid);
}

TEST_F(PppoeTest, SessionWithControlProtocolsUnsupportedAndWrongType) {
  // LCP / IPCP / CCP are ordinary session control traffic: no event (the
  // suricata-verify "pppoe" case expects none from Suricata 7.0.12 on).
  for (uint16_t control : {0xc021, 0x8021, 0x80fd, 0x8057}) {
    decode(cat({ethernet(0x8864), session(control, Bytes(10, 0))}));
    EXPECT_EQ(p.event_count, 0) << std::hex << control;
    EXPECT_FALSE(p.invalid);
  }
  // IPX over PPP: a known data protocol this decoder does not handle.
  decode(cat({ethernet(0x8864), session(0x002b, Bytes(10, 0))}));
  EXPECT_TRUE(has(DecodeEvent::kPppUnsupProto));
  EXPECT_FALSE(p.invalid);
  decode(cat({ethernet(0x8864), session(0x1234, Bytes(10, 0))}));
  EXPECT_TRUE(has(DecodeEvent::kPppWrongType));
  EXPECT_TRUE(p.invalid);
}

Bytes discovery(uint8_t code, const Bytes& tags, int16_t len_adjust = 0) {
  Bytes b = {0x11, code, 0x00, 0x00};
  put16(b, static_cast<uint16_t>(tags.size() + len_adjust));
  append(b, tags);
  return b;
}

TEST_F(PppoeTest, DiscoveryPadiWithTags) {
  Bytes tags = {0x01, 0x01, 0x00, 0x00,              // Service-Name, empty
                0x01, 0x03, 0x00, 0x04, 1, 2, 3, 4};  // Host-Uniq
  decode(cat({ethernet(0x8863), discovery(0x09, tags)}));
  EXPECT_EQ(p.event_count, 0);
  EXPECT_EQ(counter("decoder.pppoe"), 1u);
}

TEST_F(PppoeTest, DiscoveryWrongCodeAndMalformedTags) {
  decode(cat({ethernet(0x8863), discovery(0x33, {})}));
  EXPECT_TRUE(has(DecodeEvent::kPppoeWrongCode));
  Bytes bad_tag = {0x01, 0x03, 0x00, 0x09, 1, 2};  // value runs past the payload
  decode(cat({ethernet(0x8863), discovery(0x07, bad_tag)}));
  EXPECT_TRUE(has(DecodeEvent::kPppoeMalformedTags));
  decode(cat({ethernet(0x8863), discovery(0x07, {}, 20)}));  // length beyond frame
  EXPECT_TRUE(has(DecodeEvent::kPppoeMalformedTags));
  decode(cat({ethernet(0x8863), Bytes{0x11, 0x09, 0x00}}));
  EXPECT_TRUE(has(DecodeEvent::kPppoePktTooSmall));
}

}  // namespace
}  // namespace seawall::test
