// threshold.config rate_filter against Suricata's documented behaviour
// (docs.suricata.io configuration/global-thresholds, "rate_filter") and the
// expectations of suricata-verify's threshold-config-rate-filter-* cases:
// with count 1 the first match keeps the rule's action and every later match
// within `seconds` takes new_action, for `timeout` seconds; by_flow count 3
// keeps the rule's action for three matches.
#include <gtest/gtest.h>

#include <vector>

#include "detect/engine/detect_engine_impl.h"
#include "detect/engine/thresholds.h"
#include "test_engine_util.h"

namespace seawall::detect {
namespace {

using testing::CraftedPacket;
using testing::EngineRunner;

const IpAddress kA = IpAddress::parse("10.0.0.1");
const IpAddress kB = IpAddress::parse("10.0.0.2");
const IpAddress kC = IpAddress::parse("10.0.0.3");

ThresholdSpec rate(ThresholdSpec::Track track, uint32_t count, uint32_t seconds,
                   uint32_t timeout) {
  ThresholdSpec s;
  s.type = ThresholdSpec::Type::kRate;
  s.track = track;
  s.count = count;
  s.seconds = seconds;
  s.timeout = timeout;
  return s;
}

TEST(RateFilter, NewActionAfterCountThenForTimeoutSeconds) {
  ThresholdTracker t;
  auto s = rate(ThresholdSpec::Track::kBySrc, 1, 60, 10);
  auto at = [&](int64_t sec) { return t.rate_exceeded(7, s, kA, kB, 0, Timestamp{sec, 0}); };
  EXPECT_FALSE(at(1000));  // first match: the rule's own action
  EXPECT_TRUE(at(1001));   // 2 > count 1: new action, timeout starts at 1001
  EXPECT_TRUE(at(1005));
  EXPECT_TRUE(at(1011));   // 10 s after: still within the timeout
  EXPECT_FALSE(at(1012));  // 11 s > timeout 10: back to the rule's action (not counted)
  // The window that started at 1000 is still open (<= 60 s): the next match
  // exceeds the count again at once.
  EXPECT_TRUE(at(1013));
  EXPECT_FALSE(at(1100));  // timeout over
  EXPECT_FALSE(at(1101));  // window over: a new one starts with this match
  EXPECT_TRUE(at(1102));
}

TEST(RateFilter, CountMatchesBeforeTheNewAction) {
  ThresholdTracker t;
  auto s = rate(ThresholdSpec::Track::kByRule, 3, 60, 1000);
  std::vector<bool> got;
  for (int i = 0; i < 6; ++i) got.push_back(t.rate_exceeded(1, s, kA, kB, 0, Timestamp{10 + i, 0}));
  EXPECT_EQ(got, (std::vector<bool>{false, false, false, true, true, true}));
}

TEST(RateFilter, SlowMatchesNeverReachTheRate) {
  ThresholdTracker t;
  auto s = rate(ThresholdSpec::Track::kBySrc, 1, 10, 100);
  for (int i = 0; i < 5; ++i)
    EXPECT_FALSE(t.rate_exceeded(1, s, kA, kB, 0, Timestamp{100 + 11 * i, 0})) << i;
}

TEST(RateFilter, TrackingKeys) {
  ThresholdTracker t;
  auto by_dst = rate(ThresholdSpec::Track::kByDst, 1, 60, 100);
  EXPECT_FALSE(t.rate_exceeded(1, by_dst, kA, kB, 0, Timestamp{1, 0}));
  EXPECT_TRUE(t.rate_exceeded(1, by_dst, kC, kB, 0, Timestamp{2, 0}));   // same destination
  EXPECT_FALSE(t.rate_exceeded(1, by_dst, kA, kC, 0, Timestamp{2, 0}));  // other destination

  auto by_both = rate(ThresholdSpec::Track::kByBoth, 1, 60, 100);
  EXPECT_FALSE(t.rate_exceeded(2, by_both, kA, kB, 0, Timestamp{1, 0}));
  EXPECT_TRUE(t.rate_exceeded(2, by_both, kB, kA, 0, Timestamp{1, 0}));  // the pair, either way
  EXPECT_FALSE(t.rate_exceeded(2, by_both, kA, kC, 0, Timestamp{1, 0}));

  auto by_flow = rate(ThresholdSpec::Track::kByFlow, 1, 60, 100);
  EXPECT_FALSE(t.rate_exceeded(3, by_flow, kA, kB, 11, Timestamp{1, 0}));
  EXPECT_FALSE(t.rate_exceeded(3, by_flow, kA, kB, 12, Timestamp{1, 0}));
  EXPECT_TRUE(t.rate_exceeded(3, by_flow, kA, kB, 11, Timestamp{1, 0}));
}

TEST(RateFilter, IndependentOfTheRulesThresholdCounter) {
  // A rule may have a threshold and a rate_filter; they count separately.
  ThresholdTracker t;
  ThresholdSpec limit;
  limit.type = ThresholdSpec::Type::kLimit;
  limit.track = ThresholdSpec::Track::kBySrc;
  limit.count = 5;
  limit.seconds = 60;
  auto r = rate(ThresholdSpec::Track::kBySrc, 1, 60, 100);
  EXPECT_TRUE(t.event(1, limit, kA, kB, 0, Timestamp{1, 0}));
  EXPECT_FALSE(t.rate_exceeded(1, r, kA, kB, 0, Timestamp{1, 0}));
  EXPECT_TRUE(t.event(1, limit, kA, kB, 0, Timestamp{2, 0}));
  EXPECT_TRUE(t.rate_exceeded(1, r, kA, kB, 0, Timestamp{2, 0}));
}

// ---- through the engine ----

std::vector<Action> actions_for(EngineRunner& r, const char* src, int matches) {
  std::vector<Action> out;
  for (int i = 0; i < matches; ++i) {
    CraftedPacket p(6, src, 40000, "10.9.9.9", 80, "GET /", 1700000000 + i);
    r.run(p);
    out.push_back(r.last.count == 1 ? r.last.alerts[0].action : Action::kPass);
  }
  return out;
}

TEST(RateFilterEngine, DropRuleBecomesAlertPerSource) {
  // threshold-config-rate-filter-alert-hostsrc: "drop" rule, by_src count 1,
  // new_action alert: one drop per source, then alerts.
  EngineRunner r({R"(drop tcp any any -> any any (content:"GET"; sid:1000001;))"},
                 "rate_filter gen_id 1, sig_id 1000001, track by_src, count 1, seconds 60, "
                 "new_action alert, timeout 1000\n");
  EXPECT_EQ(r.built.report.threshold_entries, 1u);
  EXPECT_TRUE(r.built.report.warnings.empty());
  EXPECT_EQ(actions_for(r, "10.0.0.1", 4),
            (std::vector<Action>{Action::kDrop, Action::kAlert, Action::kAlert, Action::kAlert}));
  EXPECT_EQ(actions_for(r, "10.0.0.2", 2), (std::vector<Action>{Action::kDrop, Action::kAlert}));
}

TEST(RateFilterEngine, AlertRuleBecomesDropOrReject) {
  EngineRunner drop({R"(alert tcp any any -> any any (content:"GET"; sid:5;))"},
                    "rate_filter gen_id 1, sig_id 5, track by_rule, count 2, seconds 60, "
                    "new_action drop, timeout 30\n");
  EXPECT_EQ(actions_for(drop, "10.0.0.1", 4),
            (std::vector<Action>{Action::kAlert, Action::kAlert, Action::kDrop, Action::kDrop}));
  EngineRunner reject({R"(alert tcp any any -> any any (content:"GET"; sid:5;))"},
                      "rate_filter gen_id 1, sig_id 5, track by_rule, count 1, seconds 60, "
                      "new_action reject, timeout 30\n");
  EXPECT_EQ(actions_for(reject, "10.0.0.1", 2),
            (std::vector<Action>{Action::kAlert, Action::kReject}));
}

TEST(RateFilterEngine, PassStopsTheAlertAndLaterRules) {
  // threshold-config-rate-filter-pass-rule: one alert, then the matches pass.
  EngineRunner r({R"(alert tcp any any -> any any (content:"GET"; sid:1; priority:1;))",
                  R"(alert tcp any any -> any any (content:"GET /"; sid:2; priority:2;))"},
                 "rate_filter gen_id 1, sig_id 1, track by_rule, count 1, seconds 60, "
                 "new_action pass, timeout 1000\n");
  CraftedPacket first(6, "10.0.0.1", 40000, "10.9.9.9", 80, "GET /", 1700000000);
  EXPECT_EQ(r.run(first), (std::vector<uint32_t>{1, 2}));
  EXPECT_FALSE(r.last.pass);
  CraftedPacket second(6, "10.0.0.1", 40000, "10.9.9.9", 80, "GET /", 1700000001);
  EXPECT_TRUE(r.run(second).empty());
  EXPECT_TRUE(r.last.pass);
}

TEST(RateFilterEngine, LogAndSdropKeepTheRuleAction) {
  EngineRunner r({R"(drop tcp any any -> any any (content:"GET"; sid:9;))"},
                 "rate_filter gen_id 1, sig_id 9, track by_rule, count 1, seconds 60, "
                 "new_action log, timeout 30\n");
  ASSERT_EQ(r.built.report.warnings.size(), 1u);
  EXPECT_NE(r.built.report.warnings[0].find("log/sdrop"), std::string::npos);
  EXPECT_EQ(actions_for(r, "10.0.0.1", 3),
            (std::vector<Action>{Action::kDrop, Action::kDrop, Action::kDrop}));
}

TEST(RateFilterEngine, OnlyTheSelectedRules) {
  EngineRunner r({R"(alert tcp any any -> any any (content:"GET"; sid:1;))",
                  R"(alert tcp any any -> any any (content:"GET"; sid:2;))"},
                 "rate_filter gen_id 1, sig_id 2, track by_rule, count 1, seconds 60, "
                 "new_action drop, timeout 30\n");
  for (int i = 0; i < 3; ++i) {
    CraftedPacket p(6, "10.0.0.1", 40000, "10.9.9.9", 80, "GET /", 1700000000 + i);
    ASSERT_EQ(r.run(p), (std::vector<uint32_t>{1, 2}));
    EXPECT_EQ(r.last.alerts[0].action, Action::kAlert);
    EXPECT_EQ(r.last.alerts[1].action, i == 0 ? Action::kAlert : Action::kDrop);
  }
}

TEST(RateFilterEngine, ByFlowCountsEachFlow) {
  // threshold-config-rate-filter-alert-flow: by_flow count 3 keeps the drop
  // action for three matches of the flow.
  EngineRunner r({R"(drop tcp any any -> any any (content:"GET"; sid:1000001;))"},
                 "rate_filter gen_id 1, sig_id 1000001, track by_flow, count 3, seconds 60, "
                 "new_action alert, timeout 1000\n");
  Flow f1, f2;
  f1.hash = 1;
  f2.hash = 2;
  std::vector<Action> got;
  for (int i = 0; i < 5; ++i) {
    CraftedPacket p(6, "10.0.0.1", 40000, "10.9.9.9", 80, "GET /", 1700000000 + i, &f1);
    r.run(p);
    ASSERT_EQ(r.last.count, 1);
    got.push_back(r.last.alerts[0].action);
  }
  EXPECT_EQ(got, (std::vector<Action>{Action::kDrop, Action::kDrop, Action::kDrop, Action::kAlert,
                                      Action::kAlert}));
  CraftedPacket other(6, "10.0.0.1", 40001, "10.9.9.9", 80, "GET /", 1700000010, &f2);
  r.run(other);
  ASSERT_EQ(r.last.count, 1);
  EXPECT_EQ(r.last.alerts[0].action, Action::kDrop);
}

}  // namespace
}  // namespace seawall::detect
