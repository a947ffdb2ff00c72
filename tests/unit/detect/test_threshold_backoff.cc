// threshold type backoff (Suricata 8) against the sequences of Suricata's
// thresholding docs ("count 1, multiplier 10: 1, 10, 100, 1000 ...; count 1,
// multiplier 2: 1, 2, 4, 8 ...; count 5, multiplier 5: 5, 25, 125 ...") and
// the counts of suricata-verify's threshold-rule-flow-backoff-single-flow
// (6676 matches on one flow: 13, 12 and 5 alerts).
#include <gtest/gtest.h>

#include <vector>

#include "detect/engine/thresholds.h"
#include "detect/keywords/flow/rule_options.h"
#include "detect/keywords/keyword.h"
#include "test_engine_util.h"

namespace seawall::detect {
namespace {

const IpAddress kA = IpAddress::parse("10.0.0.1");
const IpAddress kB = IpAddress::parse("10.0.0.2");

// The match numbers (1-based) that alert among `matches` on one flow.
std::vector<uint64_t> alerting_matches(uint32_t count, uint32_t multiplier, uint64_t matches,
                                       uint64_t flow = 1) {
  ThresholdTracker t;
  ThresholdSpec s = parse_threshold_option("type backoff, track by_flow, count " +
                                           std::to_string(count) + ", multiplier " +
                                           std::to_string(multiplier));
  std::vector<uint64_t> out;
  for (uint64_t i = 1; i <= matches; ++i)
    if (t.event(1, s, kA, kB, flow, Timestamp{1000 + static_cast<int64_t>(i), 0})) out.push_back(i);
  return out;
}

TEST(ThresholdBackoff, DocumentedSequences) {
  EXPECT_EQ(alerting_matches(1, 10, 20000), (std::vector<uint64_t>{1, 10, 100, 1000, 10000}));
  EXPECT_EQ(alerting_matches(1, 2, 70), (std::vector<uint64_t>{1, 2, 4, 8, 16, 32, 64}));
  EXPECT_EQ(alerting_matches(5, 5, 4000), (std::vector<uint64_t>{5, 25, 125, 625, 3125}));
}

TEST(ThresholdBackoff, SuricataVerifySingleFlowCounts) {
  EXPECT_EQ(alerting_matches(1, 2, 6676).size(), 13u);
  EXPECT_EQ(alerting_matches(3, 2, 6676).size(), 12u);
  EXPECT_EQ(alerting_matches(5, 5, 6676).size(), 5u);
}

TEST(ThresholdBackoff, NoTimeWindowAndPerFlow) {
  ThresholdTracker t;
  ThresholdSpec s = parse_threshold_option("type backoff, track by_flow, count 2, multiplier 2");
  // Hours apart still count towards the same sequence (backoff has no seconds).
  EXPECT_FALSE(t.event(1, s, kA, kB, 7, Timestamp{0, 0}));
  EXPECT_TRUE(t.event(1, s, kA, kB, 7, Timestamp{10000, 0}));
  // Another flow has its own count.
  EXPECT_FALSE(t.event(1, s, kA, kB, 8, Timestamp{10001, 0}));
  EXPECT_TRUE(t.event(1, s, kA, kB, 8, Timestamp{10002, 0}));
  EXPECT_FALSE(t.event(1, s, kA, kB, 7, Timestamp{10003, 0}));  // flow 7: match 3
  EXPECT_TRUE(t.event(1, s, kA, kB, 7, Timestamp{10004, 0}));   // match 4
}

TEST(ThresholdBackoff, MultiplierOneAlertsOnce) {
  EXPECT_EQ(alerting_matches(3, 1, 50), (std::vector<uint64_t>{3}));
}

std::string error_of(const std::string& value) {
  try {
    parse_threshold_option(value);
  } catch (const RuleError& e) {
    return e.what();
  }
  return "";
}

TEST(ThresholdBackoff, Parsing) {
  ThresholdSpec s = parse_threshold_option("type backoff, track by_flow, count 1, multiplier 10");
  EXPECT_EQ(s.type, ThresholdSpec::Type::kBackoff);
  EXPECT_EQ(s.track, ThresholdSpec::Track::kByFlow);
  EXPECT_EQ(s.count, 1u);
  EXPECT_EQ(s.multiplier, 10u);
  EXPECT_NE(error_of("type backoff, track by_src, count 1, multiplier 10").find("by_flow"),
            std::string::npos);
  EXPECT_NE(error_of("type backoff, track by_flow, count 1"), "");
  EXPECT_NE(error_of("type backoff, track by_flow, count 1, multiplier 2, seconds 60"), "");
  EXPECT_NE(error_of("type backoff, track by_flow, count 1, multiplier 0"), "");
  EXPECT_NE(error_of("type limit, track by_flow, count 1, seconds 60, multiplier 2"), "");
  EXPECT_EQ(error_of("type limit, track by_flow, count 1, seconds 60"), "");
}

TEST(ThresholdBackoff, ThroughTheEngine) {
  // The rules of threshold-rule-flow-backoff-single-flow on eleven packets of one flow.
  testing::EngineRunner r(
      {R"(alert tcp any any -> any any (dsize:>0; sid:1;))",
       R"(alert tcp any any -> any any (dsize:>0; threshold:type backoff, track by_flow, count 1, multiplier 2; sid:2;))",
       R"(alert tcp any any -> any any (dsize:>0; threshold:type backoff, track by_flow, count 3, multiplier 2; sid:3;))"});
  Flow f;
  f.hash = 42;
  std::vector<int> per_sid(4, 0);
  for (int i = 0; i < 11; ++i) {
    testing::CraftedPacket p(6, "10.0.0.1", 4000, "10.0.0.2", 445, "x", 1700000000 + i, &f);
    for (uint32_t sid : r.run(p)) per_sid[sid]++;
  }
  EXPECT_EQ(per_sid[1], 11);
  EXPECT_EQ(per_sid[2], 4);  // matches 1, 2, 4, 8
  EXPECT_EQ(per_sid[3], 2);  // matches 3, 6
}

}  // namespace
}  // namespace seawall::detect
