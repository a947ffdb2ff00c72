// ThresholdTracker against the semantics in Suricata's threshold docs
// (docs.suricata.io rules/thresholding): limit, threshold, both,
// detection_filter; tracking keys; window expiry.
#include "detect/engine/thresholds.h"

#include <gtest/gtest.h>

#include <vector>

namespace seawall::detect {
namespace {

ThresholdSpec spec(ThresholdSpec::Type type, ThresholdSpec::Track track, uint32_t count,
                   uint32_t seconds) {
  ThresholdSpec s;
  s.type = type;
  s.track = track;
  s.count = count;
  s.seconds = seconds;
  return s;
}

const IpAddress kA = IpAddress::parse("10.0.0.1");
const IpAddress kB = IpAddress::parse("10.0.0.2");
const IpAddress kC = IpAddress::parse("10.0.0.3");

std::vector<bool> run(ThresholdTracker& t, const ThresholdSpec& s, int events, int64_t step_sec,
                      const IpAddress& src = kA, const IpAddress& dst = kB) {
  std::vector<bool> out;
  for (int i = 0; i < events; ++i)
    out.push_back(t.event(1, s, src, dst, 0, Timestamp{1000 + i * step_sec, 0}));
  return out;
}

TEST(Thresholds, LimitAlertsOnFirstCountEventsPerWindow) {
  ThresholdTracker t;
  auto s = spec(ThresholdSpec::Type::kLimit, ThresholdSpec::Track::kBySrc, 1, 180);
  // Docs example: "limit ... count 1, seconds 180": one alert per 3 minutes.
  // Suricata 7 counts ts <= start + seconds as inside the window.
  EXPECT_EQ(run(t, s, 4, 61), (std::vector<bool>{true, false, false, true}));
  ThresholdTracker edge;
  EXPECT_EQ(run(edge, s, 4, 60), (std::vector<bool>{true, false, false, false}));
}

TEST(Thresholds, ThresholdAlertsEveryCountth) {
  ThresholdTracker t;
  auto s = spec(ThresholdSpec::Type::kThreshold, ThresholdSpec::Track::kByDst, 10, 60);
  auto got = run(t, s, 25, 0);
  std::vector<bool> want(25, false);
  want[9] = want[19] = true;  // the 10th and 20th events
  EXPECT_EQ(got, want);
}

TEST(Thresholds, BothAlertsOnceAfterCountInWindow) {
  ThresholdTracker t;
  auto s = spec(ThresholdSpec::Type::kBoth, ThresholdSpec::Track::kBySrc, 3, 60);
  EXPECT_EQ(run(t, s, 6, 1), (std::vector<bool>{false, false, true, false, false, false}));
  // A new window starts counting again.
  EXPECT_FALSE(t.event(1, s, kA, kB, 0, Timestamp{2000, 0}));
}

TEST(Thresholds, DetectionFilterAlertsAfterCount) {
  ThresholdTracker t;
  auto s = spec(ThresholdSpec::Type::kDetectionFilter, ThresholdSpec::Track::kBySrc, 2, 60);
  EXPECT_EQ(run(t, s, 5, 1), (std::vector<bool>{false, false, true, true, true}));
}

TEST(Thresholds, TrackingKeysSeparateCounters) {
  ThresholdTracker t;
  auto by_src = spec(ThresholdSpec::Type::kLimit, ThresholdSpec::Track::kBySrc, 1, 60);
  EXPECT_TRUE(t.event(1, by_src, kA, kB, 0, Timestamp{1, 0}));
  EXPECT_FALSE(t.event(1, by_src, kA, kC, 0, Timestamp{2, 0}));  // same source
  EXPECT_TRUE(t.event(1, by_src, kC, kB, 0, Timestamp{2, 0}));   // other source
  EXPECT_TRUE(t.event(2, by_src, kA, kB, 0, Timestamp{2, 0}));   // other rule

  auto by_both = spec(ThresholdSpec::Type::kLimit, ThresholdSpec::Track::kByBoth, 1, 60);
  EXPECT_TRUE(t.event(3, by_both, kA, kB, 0, Timestamp{1, 0}));
  EXPECT_FALSE(t.event(3, by_both, kB, kA, 0, Timestamp{1, 0}));  // the pair, either way
  EXPECT_TRUE(t.event(3, by_both, kA, kC, 0, Timestamp{1, 0}));

  auto by_rule = spec(ThresholdSpec::Type::kLimit, ThresholdSpec::Track::kByRule, 1, 60);
  EXPECT_TRUE(t.event(4, by_rule, kA, kB, 0, Timestamp{1, 0}));
  EXPECT_FALSE(t.event(4, by_rule, kC, kC, 0, Timestamp{1, 0}));

  auto by_flow = spec(ThresholdSpec::Type::kLimit, ThresholdSpec::Track::kByFlow, 1, 60);
  EXPECT_TRUE(t.event(5, by_flow, kA, kB, 111, Timestamp{1, 0}));
  EXPECT_FALSE(t.event(5, by_flow, kA, kB, 111, Timestamp{1, 0}));
  EXPECT_TRUE(t.event(5, by_flow, kA, kB, 222, Timestamp{1, 0}));
}

TEST(Thresholds, FullTableRecyclesInsteadOfFailing) {
  ThresholdTracker t(16);
  auto s = spec(ThresholdSpec::Type::kLimit, ThresholdSpec::Track::kBySrc, 1, 60);
  for (int i = 0; i < 1000; ++i) {
    uint8_t b[4] = {10, 1, static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)};
    EXPECT_TRUE(t.event(1, s, IpAddress::v4(b), kB, 0, Timestamp{1, 0}));
  }
  EXPECT_LE(t.used(), 16u);
}

}  // namespace
}  // namespace seawall::detect
