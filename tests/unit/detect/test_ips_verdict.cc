// Post-rule verdicts (Suricata's PacketAlertFinalize / PacketApplySignatureActions):
// action order, drop/reject/pass on the packet and on the flow, and the
// packet alert queue limit.
#include <gtest/gtest.h>

#include <stdexcept>

#include "detect/engine/detect_engine.h"
#include "detect/engine/rule_order.h"
#include "test_engine_util.h"

namespace seawall::detect {
namespace {

using testing::counter_value;
using testing::CraftedPacket;

struct VerdictRunner {
  std::unique_ptr<DetectEngine> engine;
  LoadReport report;
  ThreadCounters counters;
  std::unique_ptr<DetectThread> thread;
  PacketAlerts last;

  explicit VerdictRunner(std::vector<std::string> rules, DetectConfig config = {}) {
    config.rule_texts = std::move(rules);
    engine = DetectEngine::load(config, report);
    for (const RuleFailure& f : report.failures) ADD_FAILURE() << f.reason;
    thread = std::make_unique<DetectThread>(*engine, counters);
  }
  std::vector<uint32_t> run(CraftedPacket& cp) {
    thread->inspect(cp.p, last);
    std::vector<uint32_t> out;
    for (uint8_t i = 0; i < last.count; ++i) out.push_back(last.alerts[i].rule->sid);
    return out;
  }
};

TEST(ActionOrder, ParsesSuricataListAndRejectsBadLists) {
  const ActionOrder o = parse_action_order({"alert", "pass", "drop", "reject"});
  EXPECT_LT(action_order(Action::kAlert, o), action_order(Action::kPass, o));
  EXPECT_LT(action_order(Action::kPass, o), action_order(Action::kDrop, o));
  EXPECT_EQ(action_order(Action::kRejectBoth, o), action_order(Action::kReject, o));
  EXPECT_LT(action_order(Action::kDrop, o), action_order(Action::kRejectSrc, o));
  // The default is pass, drop, reject, alert.
  EXPECT_LT(action_order(Action::kPass), action_order(Action::kDrop));
  EXPECT_LT(action_order(Action::kDrop), action_order(Action::kReject));
  EXPECT_LT(action_order(Action::kReject), action_order(Action::kAlert));
  EXPECT_THROW(parse_action_order({"pass", "drop", "alert"}), std::invalid_argument);
  EXPECT_THROW(parse_action_order({"pass", "drop", "drop", "alert"}), std::invalid_argument);
  EXPECT_THROW(parse_action_order({"pass", "drop", "reject", "log"}), std::invalid_argument);
}

TEST(ActionOrder, DefaultOrderPassWinsOverAlert) {
  VerdictRunner r({R"(alert tcp any any -> any any (content:"X"; sid:1;))",
                   R"(pass tcp any any -> any any (content:"X"; sid:2;))"});
  CraftedPacket cp(6, "10.0.0.1", 1000, "10.0.0.2", 80, "X");
  EXPECT_TRUE(r.run(cp).empty());
  EXPECT_TRUE(r.last.pass);
  EXPECT_FALSE(r.last.drop);
}

TEST(ActionOrder, AlertFirstOrderKeepsTheAlertThenPasses) {
  DetectConfig config;
  config.action_order = parse_action_order({"alert", "pass", "drop", "reject"});
  VerdictRunner r({R"(alert tcp any any -> any any (content:"X"; sid:1;))",
                   R"(pass tcp any any -> any any (content:"X"; sid:2;))",
                   R"(drop tcp any any -> any any (content:"X"; sid:3;))"},
                  config);
  CraftedPacket cp(6, "10.0.0.1", 1000, "10.0.0.2", 80, "X");
  // The alert comes first; the pass then stops the drop from acting.
  EXPECT_EQ(r.run(cp), (std::vector<uint32_t>{1}));
  EXPECT_TRUE(r.last.pass);
  EXPECT_FALSE(r.last.drop);
  EXPECT_EQ(r.last.drop_alert.rule, nullptr);
}

TEST(ActionOrder, DropBeforePassWhenConfigured) {
  DetectConfig config;
  config.action_order = parse_action_order({"drop", "pass", "reject", "alert"});
  VerdictRunner r({R"(pass tcp any any -> any any (content:"X"; sid:1;))",
                   R"(drop tcp any any -> any any (content:"X"; sid:2;))"},
                  config);
  CraftedPacket cp(6, "10.0.0.1", 1000, "10.0.0.2", 80, "X");
  EXPECT_EQ(r.run(cp), (std::vector<uint32_t>{2}));
  EXPECT_TRUE(r.last.drop);
  ASSERT_NE(r.last.drop_alert.rule, nullptr);
  EXPECT_EQ(r.last.drop_alert.rule->sid, 2u);
}

TEST(Verdict, PayloadDropDropsThePacketOnly) {
  VerdictRunner r({R"(drop tcp any any -> any any (content:"EVIL"; sid:10;))"});
  Flow flow;
  CraftedPacket cp(6, "10.0.0.1", 1000, "10.0.0.2", 80, "EVIL", 1700000000, &flow);
  EXPECT_EQ(r.run(cp), (std::vector<uint32_t>{10}));
  EXPECT_TRUE(r.last.drop);
  EXPECT_EQ(r.last.alerts[0].action, Action::kDrop);
  // A packet match is not flow-scoped in Suricata: the flow goes on.
  EXPECT_EQ(flow.action, FlowAction::kNone);
  PacketAlerts next;
  EXPECT_FALSE(DetectThread::apply_flow_action(cp.p, next));
  r.thread->on_flow_end(flow);
}

TEST(Verdict, HeaderOnlyDropDropsTheWholeFlow) {
  VerdictRunner r({R"(drop tcp any any -> any 443 (sid:11;))",
                   R"(alert tcp any any -> any any (content:"later"; sid:12;))"});
  Flow flow;
  CraftedPacket first(6, "10.0.0.1", 1000, "10.0.0.2", 443, "", 1700000000, &flow);
  EXPECT_EQ(r.run(first), (std::vector<uint32_t>{11}));
  EXPECT_TRUE(r.last.drop);
  EXPECT_FALSE(r.last.flow_drop);  // dropped by the rule itself
  EXPECT_EQ(flow.action, FlowAction::kDrop);

  // Later packets: dropped because of the flow, not inspected.
  CraftedPacket later(6, "10.0.0.2", 443, "10.0.0.1", 1000, "later", 1700000001, &flow);
  later.p.to_server = false;
  PacketAlerts v;
  ASSERT_TRUE(DetectThread::apply_flow_action(later.p, v));
  EXPECT_TRUE(v.drop);
  EXPECT_TRUE(v.flow_drop);
  EXPECT_FALSE(v.pass);
  EXPECT_EQ(v.drop_alert.rule, nullptr);
  r.thread->on_flow_end(flow);
}

TEST(Verdict, PassRulePassesTheFlowAndFirstActionWins) {
  VerdictRunner r({R"(pass ip 10.0.0.1 any -> any any (sid:20;))",
                   R"(drop ip any any -> 10.0.0.2 any (sid:21;))",
                   R"(alert tcp any any -> any any (sid:22;))"});
  Flow flow;
  CraftedPacket cp(6, "10.0.0.1", 1000, "10.0.0.2", 80, "x", 1700000000, &flow);
  EXPECT_TRUE(r.run(cp).empty());  // pass sorts first: nothing after it counts
  EXPECT_TRUE(r.last.pass);
  EXPECT_FALSE(r.last.drop);
  EXPECT_EQ(flow.action, FlowAction::kPass);
  PacketAlerts v;
  ASSERT_TRUE(DetectThread::apply_flow_action(cp.p, v));
  EXPECT_TRUE(v.pass);
  EXPECT_FALSE(v.drop);

  // Another flow from elsewhere is dropped (IP-only drop applies to the flow).
  Flow other;
  CraftedPacket cp2(6, "10.0.0.9", 1000, "10.0.0.2", 80, "x", 1700000000, &other);
  EXPECT_EQ(r.run(cp2), (std::vector<uint32_t>{21, 22}));
  EXPECT_EQ(other.action, FlowAction::kDrop);
  // Its later packets are dropped uninspected.
  PacketAlerts again;
  EXPECT_TRUE(DetectThread::apply_flow_action(cp2.p, again));
  EXPECT_TRUE(again.flow_drop);
  r.thread->on_flow_end(flow);
  r.thread->on_flow_end(other);
}

TEST(Verdict, RejectIsRecordedWithItsTarget) {
  VerdictRunner r({R"(rejectboth tcp any any -> any any (content:"R"; sid:30;))",
                   R"(reject tcp any any -> any any (content:"R"; sid:31;))"});
  CraftedPacket cp(6, "10.0.0.1", 1000, "10.0.0.2", 80, "R");
  EXPECT_EQ(r.run(cp), (std::vector<uint32_t>{30, 31}));
  EXPECT_TRUE(r.last.drop);
  EXPECT_EQ(r.last.reject, Action::kRejectBoth);  // the first reject rule in order
  ASSERT_NE(r.last.drop_alert.rule, nullptr);
  EXPECT_EQ(r.last.drop_alert.rule->sid, 30u);
}

TEST(Verdict, NoalertDropStillDropsAndCountsAsSuppressed) {
  VerdictRunner r({R"(drop tcp any any -> any any (content:"Q"; noalert; sid:40;))"});
  CraftedPacket cp(6, "10.0.0.1", 1000, "10.0.0.2", 80, "Q");
  EXPECT_TRUE(r.run(cp).empty());
  EXPECT_TRUE(r.last.drop);
  EXPECT_EQ(r.last.suppressed, 1u);
  EXPECT_EQ(counter_value(r.counters, "detect.alerts_suppressed"), 1u);
}

TEST(Verdict, SuppressedDropStillDrops) {
  testing::EngineRunner r({R"(drop tcp any any -> any any (content:"S"; sid:41;))"},
                          "suppress gen_id 1, sig_id 41\n");
  CraftedPacket cp(6, "10.0.0.1", 1000, "10.0.0.2", 80, "S");
  EXPECT_TRUE(r.run(cp).empty());
  EXPECT_TRUE(r.last.drop);
  ASSERT_NE(r.last.drop_alert.rule, nullptr);
  EXPECT_EQ(r.last.drop_alert.rule->sid, 41u);
}

TEST(AlertQueue, KeepsTheHighestPriorityAlertsAndCountsTheRest) {
  DetectConfig config;
  config.packet_alert_max = 2;
  VerdictRunner r({R"(alert tcp any any -> any any (content:"M"; priority:3; sid:50;))",
                   R"(alert tcp any any -> any any (content:"M"; priority:1; sid:51;))",
                   R"(alert tcp any any -> any any (content:"M"; priority:2; sid:52;))",
                   R"(drop tcp any any -> any any (content:"M"; priority:4; sid:53;))"},
                  config);
  CraftedPacket cp(6, "10.0.0.1", 1000, "10.0.0.2", 80, "M");
  // Drop sorts before alerts (action order), then priority.
  EXPECT_EQ(r.run(cp), (std::vector<uint32_t>{53, 51}));
  EXPECT_EQ(r.last.overflow, 2u);
  EXPECT_EQ(counter_value(r.counters, "detect.alert_queue_overflow"), 2u);
  EXPECT_EQ(counter_value(r.counters, "detect.alert"), 2u);
}

TEST(AlertQueue, DropBeyondTheQueueStillDrops) {
  DetectConfig config;
  config.packet_alert_max = 1;
  config.action_order = parse_action_order({"pass", "reject", "alert", "drop"});
  VerdictRunner r({R"(alert tcp any any -> any any (content:"M"; sid:60;))",
                   R"(drop tcp any any -> any any (content:"M"; sid:61;))"},
                  config);
  CraftedPacket cp(6, "10.0.0.1", 1000, "10.0.0.2", 80, "M");
  EXPECT_EQ(r.run(cp), (std::vector<uint32_t>{60}));
  EXPECT_EQ(r.last.overflow, 1u);
  EXPECT_TRUE(r.last.drop);  // actions apply before the queue limit, as in Suricata
  ASSERT_NE(r.last.drop_alert.rule, nullptr);
  EXPECT_EQ(r.last.drop_alert.rule->sid, 61u);
}

TEST(Verdict, MergeKeepsTheFirstDrop) {
  Rule a, b;
  PacketAlerts tx, pkt;
  tx.drop = true;
  tx.drop_alert.rule = &a;
  pkt.drop = true;
  pkt.drop_alert.rule = &b;
  pkt.reject = Action::kRejectDst;
  PacketAlerts v;
  v.merge_verdict(tx);
  v.merge_verdict(pkt);
  EXPECT_TRUE(v.drop);
  EXPECT_EQ(v.drop_alert.rule, &a);
  EXPECT_EQ(v.reject, Action::kRejectDst);
}

}  // namespace
}  // namespace seawall::detect
