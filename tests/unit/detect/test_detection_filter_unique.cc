// detection_filter unique_on (Suricata's thresholding docs: "alerts start when
// the number of distinct values exceeds count during the seconds window,
// scoped by track"; an expired window restarts with the current packet's
// value; unique_on needs a protocol with ports). suricata-verify's
// detection_filter-distinct-srcport-no-dups (ports 2000, 2000, 2001 with
// count 3: no alert) runs in test_engine_verify.cc; here the same packets
// with lower counts, and the scan examples of the docs.
#include <gtest/gtest.h>

#include <vector>

#include "detect/engine/thresholds.h"
#include "detect/keywords/flow/rule_options.h"
#include "test_engine_util.h"
#include "test_packet_keywords_util.h"

namespace seawall::detect {
namespace {

const IpAddress kA = IpAddress::parse("10.0.0.1");
const IpAddress kB = IpAddress::parse("2.2.2.2");
const IpAddress kC = IpAddress::parse("10.0.0.3");

TEST(DetectionFilterUnique, DistinctPortsMustExceedCount) {
  ThresholdTracker t;
  ThresholdSpec s =
      parse_detection_filter_option("track by_dst, count 3, seconds 60, unique_on dst_port");
  auto hit = [&](uint16_t dport, int64_t sec) {
    return t.event(1, s, kA, kB, 0, Timestamp{sec, 0}, 40000, dport);
  };
  EXPECT_FALSE(hit(22, 100));
  EXPECT_FALSE(hit(22, 101));  // a repeated port does not count
  EXPECT_FALSE(hit(23, 102));
  EXPECT_FALSE(hit(23, 103));
  EXPECT_FALSE(hit(25, 104));  // 3 distinct: not more than count
  EXPECT_TRUE(hit(80, 105));   // 4 distinct
  EXPECT_TRUE(hit(22, 106));   // still 4 distinct in the window: every match alerts
  // Window over (> 60 s after 100): this port starts the new window.
  EXPECT_FALSE(hit(443, 161));
  EXPECT_FALSE(hit(22, 162));
  EXPECT_FALSE(hit(23, 163));
  EXPECT_TRUE(hit(25, 164));
}

TEST(DetectionFilterUnique, CountsPerTrackedKey) {
  ThresholdTracker t;
  ThresholdSpec s =
      parse_detection_filter_option("track by_src, count 1, seconds 60, unique_on src_port");
  EXPECT_FALSE(t.event(1, s, kA, kB, 0, Timestamp{1, 0}, 2000, 80));
  EXPECT_FALSE(t.event(1, s, kC, kB, 0, Timestamp{1, 0}, 2001, 80));  // other source
  EXPECT_TRUE(t.event(1, s, kA, kB, 0, Timestamp{2, 0}, 2001, 80));
  EXPECT_FALSE(t.event(2, s, kA, kB, 0, Timestamp{2, 0}, 2002, 80));  // other rule
}

TEST(DetectionFilterUnique, ManyWindowsDoNotLeak) {
  // Ports of old windows and of other entries never count for a new window.
  ThresholdTracker t(64);
  ThresholdSpec s =
      parse_detection_filter_option("track by_src, count 100, seconds 1, unique_on dst_port");
  for (int round = 0; round < 50; ++round) {
    for (uint16_t port = 0; port < 100; ++port)
      ASSERT_FALSE(t.event(1, s, kA, kB, 0, Timestamp{round * 10, 0}, 1, port)) << round;
    ASSERT_TRUE(t.event(1, s, kA, kB, 0, Timestamp{round * 10, 0}, 1, 100)) << round;
  }
}

TEST(DetectionFilterUnique, Parsing) {
  ThresholdSpec s =
      parse_detection_filter_option("track by_dst, count 10, seconds 60, unique_on dst_port");
  EXPECT_EQ(s.unique_on, ThresholdSpec::UniqueOn::kDstPort);
  EXPECT_EQ(parse_detection_filter_option("track by_dst, count 10, seconds 60").unique_on,
            ThresholdSpec::UniqueOn::kNone);
  EXPECT_THROW(
      parse_detection_filter_option("track by_dst, count 1, seconds 6, unique_on dst_ip"),
      RuleError);
  EXPECT_THROW(parse_detection_filter_option(
                   "track by_dst, count 1, seconds 6, unique_on dst_port, unique_on src_port"),
               RuleError);
  EXPECT_THROW(parse_threshold_option("type limit, track by_dst, count 1, seconds 6, "
                                      "unique_on dst_port"),
               RuleError);
}

TEST(DetectionFilterUnique, NeedsAProtocolWithPorts) {
  testing::BuiltEngine ok = testing::build_engine(
      {R"(alert tcp any any -> any any (flags:S; detection_filter: track by_dst, count 10, seconds 60, unique_on dst_port; sid:1;))",
       R"(alert udp any any -> any any (detection_filter: track by_src, count 2, seconds 30, unique_on src_port; sid:2;))"});
  EXPECT_EQ(ok.report.loaded, 2u);
  testing::BuiltEngine bad = testing::build_engine(
      {R"(alert ip any any -> any any (detection_filter: track by_dst, count 10, seconds 60, unique_on dst_port; sid:3;))",
       R"(alert icmp any any -> any any (detection_filter: track by_dst, count 10, seconds 60, unique_on dst_port; sid:4;))"},
      "", false);
  EXPECT_EQ(bad.report.loaded, 0u);
  ASSERT_EQ(bad.report.failures.size(), 2u);
  EXPECT_NE(bad.report.failures[0].reason.find("unique_on"), std::string::npos);
}

TEST(DetectionFilterUnique, ThroughTheEngine) {
  // The packets of detection_filter-distinct-srcport-no-dups (10.0.0.1 SYNs
  // from ports 2000, 2000, 2001 to 2.2.2.2:80), with count 1: the third one
  // brings a second distinct port.
  testing::EngineRunner r(
      {R"(alert tcp any any -> 2.2.2.2 80 (flow:stateless; detection_filter: track by_src, count 1, seconds 60, unique_on src_port; sid:100012;))"});
  std::vector<size_t> alerts;
  const uint16_t ports[] = {2000, 2000, 2001, 2000};
  for (int i = 0; i < 4; ++i) {
    testing::CraftedPacket p(6, "10.0.0.1", ports[i], "2.2.2.2", 80, "", 1700000000 + i);
    alerts.push_back(r.run(p).size());
  }
  EXPECT_EQ(alerts, (std::vector<size_t>{0, 0, 1, 1}));
  EXPECT_EQ(testing::counter_value(r.counters, "detect.alerts_suppressed"), 2u);
}

}  // namespace
}  // namespace seawall::detect
