// icmpv4.hdr / icmpv6.hdr sticky buffers on packets decoded by the real
// decoder. Vectors: the suricata-verify captures of icmp-hdr-01 (router
// advertisement from bug-2190: the header includes the address entries, the
// case's content spans past byte 8) and icmp-hdr-02 (redirect: an 8-byte
// header, the quoted IP packet is payload), Suricata's icmpv6 checksum test
// frame (detect-csum.c), and a hand-made ICMP timestamp request.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_engine_util.h"
#include "test_packet_keywords_util.h"

namespace seawall::detect {
namespace {

using testing::build_engine;

constexpr std::string_view kRouterAdvert =
    "45000024a1dd00000101b56a0e505442ffffffff090093610102000a0e50544200000000";
constexpr std::string_view kRedirect =
    "4500003801380000ff01a5940a7b00020a7b0001050113be0a7b00034500006400050000fe01aa100a7b0001"
    "040404040800d4c100010000";
// ICMP timestamp request (type 13): id 0x0102 seq 3, originate 0xdeadbeef,
// receive and transmit 0.
constexpr std::string_view kTimestamp =
    "4500002800010000400166d20a0000010a0000020d00545d01020003deadbeef0000000000000000";

// sids of the rules that alert on the packet.
std::vector<uint32_t> alerting(const std::vector<std::string>& rules, const Packet& packet) {
  testing::BuiltEngine b = build_engine(rules);
  ThreadCounters counters;
  DetectThread thread(*b.engine, counters);
  Packet p = packet;
  PacketAlerts alerts;
  thread.inspect(p, alerts);
  std::vector<uint32_t> out;
  for (uint8_t i = 0; i < alerts.count; ++i) out.push_back(alerts.alerts[i].rule->sid);
  return out;
}

TEST(IcmpHdr, RouterAdvertisementHeaderIncludesItsEntries) {
  auto p = testing::raw_ip(kRouterAdvert);
  ASSERT_TRUE(p->p.has_icmp);
  EXPECT_EQ(alerting({R"(alert icmp any any -> any any (icmpv4.hdr; content:"|0a 0e 50 54 42|"; sid:1;))",
                      R"(alert icmp any any -> any any (icmpv4.hdr; bsize:16; sid:2;))",
                      R"(alert icmp any any -> any any (icmpv4.hdr; bsize:8; sid:3;))",
                      R"(alert icmp any any -> any any (icmpv4.hdr; content:"|09 00 93 61|"; startswith; sid:4;))"},
                     p->p),
            (std::vector<uint32_t>{1, 2, 4}));
}

TEST(IcmpHdr, RedirectHeaderIsEightBytesAndTheQuoteIsPayload) {
  auto p = testing::raw_ip(kRedirect);
  ASSERT_TRUE(p->p.has_icmp);
  EXPECT_EQ(alerting({R"(alert icmp any any -> any any (icmpv4.hdr; content:"|be 0a 7b 00 03|"; sid:1;))",
                      R"(alert icmp any any -> any any (icmpv4.hdr; bsize:8; sid:2;))",
                      R"(alert icmp any any -> any any (icmpv4.hdr; content:"|45 00 00 64|"; sid:3;))",
                      R"(alert icmp any any -> any any (content:"|45 00 00 64|"; sid:4;))"},
                     p->p),
            (std::vector<uint32_t>{1, 2, 4}));
}

TEST(IcmpHdr, TimestampMessagesCarryTheirTimestamps) {
  auto p = testing::raw_ip(kTimestamp);
  ASSERT_TRUE(p->p.has_icmp);
  ASSERT_EQ(p->p.icmp_type, 13);
  EXPECT_EQ(alerting({R"(alert icmp any any -> any any (icmpv4.hdr; bsize:20; sid:1;))",
                      R"(alert icmp any any -> any any (icmpv4.hdr; content:"|de ad be ef|"; offset:8; depth:4; sid:2;))",
                      R"(alert icmp any any -> any any (icmpv4.hdr; content:"|00 00 00 00|"; offset:16; depth:4; sid:3;))",
                      R"(alert icmp any any -> any any (icmpv6.hdr; content:"|0d|"; sid:4;))"},
                     p->p),
            (std::vector<uint32_t>{1, 2, 3}));
}

TEST(IcmpHdr, Icmpv6HeaderIsEightBytes) {
  auto p = testing::ethernet(testing::kIcmpv6EchoEth);
  ASSERT_TRUE(p->p.has_icmp);
  ASSERT_EQ(p->p.ip_version, 6);
  EXPECT_EQ(alerting({R"(alert icmp any any -> any any (icmpv6.hdr; content:"|80 00 63 c2|"; startswith; sid:1;))",
                      R"(alert icmp any any -> any any (icmpv6.hdr; bsize:8; sid:2;))",
                      R"(alert icmp any any -> any any (icmpv4.hdr; content:"|80|"; sid:3;))",
                      R"(alert icmp any any -> any any (icmpv6.hdr; content:"|63 c2|"; offset:3; sid:4;))"},
                     p->p),
            (std::vector<uint32_t>{1, 2}));
}

TEST(IcmpHdr, NotOnOtherProtocols) {
  auto p = testing::raw_ip(testing::kTcpSyn);
  EXPECT_TRUE(alerting({R"(alert ip any any -> any any (icmpv4.hdr; content:"|45|"; sid:1;))",
                        R"(alert ip any any -> any any (icmpv6.hdr; content:"|45|"; sid:2;))",
                        R"(alert ip any any -> any any (tcp.hdr; content:"|30 39|"; sid:3;))"},
                       p->p) ==
              (std::vector<uint32_t>{3}));
}

}  // namespace
}  // namespace seawall::detect
