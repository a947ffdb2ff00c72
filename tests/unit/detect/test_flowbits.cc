// flowbits and flowint: parsing, interning, FlowDetectState and match/apply.
#include <gtest/gtest.h>

#include "detect/keywords/flow/flow_detect_state.h"
#include "detect/keywords/flow/flowbits.h"
#include "test_packet_keywords_util.h"

namespace seawall::detect {
namespace {

using namespace testing;

TEST(FlowDetectState, BitsAndInts) {
  FlowDetectState s(130, 3);
  EXPECT_EQ(s.flowbit_count(), 130u);
  EXPECT_FALSE(flowbit_isset(&s, 129));
  flowbit_set(s, 129);
  flowbit_set(s, 0);
  EXPECT_TRUE(flowbit_isset(&s, 129));
  EXPECT_TRUE(flowbit_isset(&s, 0));
  EXPECT_FALSE(flowbit_isset(&s, 64));
  flowbit_toggle(s, 64);
  EXPECT_TRUE(flowbit_isset(&s, 64));
  flowbit_unset(s, 129);
  EXPECT_FALSE(flowbit_isset(&s, 129));
  // Out-of-range ids (a state sized for an older ruleset) are ignored/unset.
  flowbit_set(s, 500);
  EXPECT_FALSE(flowbit_isset(&s, 500));
  EXPECT_FALSE(flowbit_isset(nullptr, 0));

  uint32_t v = 99;
  EXPECT_FALSE(flowint_get(&s, 1, v));
  EXPECT_EQ(v, 99u);
  flowint_set(s, 1, 7);
  ASSERT_TRUE(flowint_get(&s, 1, v));
  EXPECT_EQ(v, 7u);
  s.clear();
  EXPECT_FALSE(flowint_get(&s, 1, v));
  EXPECT_FALSE(flowbit_isset(&s, 0));
}

struct FlowFixture : ::testing::Test {
  std::unique_ptr<TestPacket> pkt = raw_ip(kTcpSyn);
  Flow flow;
  RuleLoadContext context;  // shared by the rules of one "ruleset"
  std::unique_ptr<FlowDetectState> state;

  // A rule built from (keyword, value) pairs against the shared context.
  struct BuiltRule {
    Rule rule;
  };
  std::unique_ptr<Rule> rule(std::initializer_list<std::pair<const char*, const char*>> opts) {
    auto r = std::make_unique<Rule>();
    RuleBuilder b(*r, context);
    for (const auto& [k, v] : opts) find_keyword(k)->setup(b, v);
    return r;
  }
  bool match(const Rule& r, Flow* f) {
    MatchContext ctx{pkt->p, f, no_thread()};
    for (const auto& m : r.packet_matchers) {
      if (!m->match(ctx)) return false;
    }
    return true;
  }
  void post(const Rule& r, Flow* f) {
    MatchContext ctx{pkt->p, f, no_thread()};
    for (const auto& m : r.post_matchers) m->apply(ctx);
  }
  // What the engine does before running a ruleset on a flow.
  void attach_state() {
    state = std::make_unique<FlowDetectState>(
        static_cast<uint32_t>(context.flowbit_ids.size()),
        static_cast<uint32_t>(context.flowint_ids.size()));
    flow.detect = state.get();
  }
};

TEST_F(FlowFixture, SetThenIsset) {
  auto setter = rule({{"flowbits", "set,login"}, {"flowbits", "noalert"}});
  auto checker = rule({{"flowbits", "isset,login"}});
  auto absent = rule({{"flowbits", "isnotset,login"}});
  EXPECT_TRUE(setter->noalert);
  EXPECT_EQ(context.flowbit_ids.size(), 1u);
  EXPECT_TRUE(setter->packet_matchers.empty());  // set is a post-match action
  ASSERT_EQ(setter->post_matchers.size(), 1u);

  // No detect state yet: isset is false, isnotset true.
  EXPECT_FALSE(match(*checker, &flow));
  EXPECT_TRUE(match(*absent, &flow));
  // No flow at all: neither matches (Suricata).
  EXPECT_FALSE(match(*checker, nullptr));
  EXPECT_FALSE(match(*absent, nullptr));

  attach_state();
  post(*setter, &flow);
  EXPECT_TRUE(match(*checker, &flow));
  EXPECT_FALSE(match(*absent, &flow));

  auto unsetter = rule({{"flowbits", "unset,login"}});
  post(*unsetter, &flow);
  EXPECT_FALSE(match(*checker, &flow));
  auto toggler = rule({{"flowbits", "toggle,login"}});
  post(*toggler, &flow);
  EXPECT_TRUE(match(*checker, &flow));
  post(*toggler, &flow);
  EXPECT_FALSE(match(*checker, &flow));
  // Posting with no flow is harmless.
  post(*setter, nullptr);
}

TEST_F(FlowFixture, OrAndGroups) {
  auto any = rule({{"flowbits", "isset,a|b"}});
  auto all = rule({{"flowbits", "isset,a&b"}});
  auto none_of = rule({{"flowbits", "isnotset,a&b"}});
  auto set_both = rule({{"flowbits", "set,a&b"}});
  auto set_b = rule({{"flowbits", "set,b"}});
  attach_state();
  EXPECT_FALSE(match(*any, &flow));
  EXPECT_TRUE(match(*none_of, &flow));
  post(*set_b, &flow);
  EXPECT_TRUE(match(*any, &flow));
  EXPECT_FALSE(match(*all, &flow));
  EXPECT_FALSE(match(*none_of, &flow));
  post(*set_both, &flow);
  EXPECT_TRUE(match(*all, &flow));
}

TEST_F(FlowFixture, ParseErrors) {
  Harness h;
  for (const char* bad : {"", "set", "set,", "bogus,x", "noalert,x", "isset,a b", "set,a|b",
                          "isset,a|b&c", "ISSET,x"}) {
    EXPECT_NE(rejects("flowbits", bad), "") << bad;
  }
  h.setup("flowbits", "isset,x");
  EXPECT_NE(h.error("flowbits", "isnotset,x"), "");  // can never match
  EXPECT_EQ(rejects("flowbits", "isset, ET.http.binary"), "");
}

TEST_F(FlowFixture, UsageForRuleOrdering) {
  auto r = rule({{"flowbits", "isset,a"}, {"flowbits", "set,b"}, {"flowbits", "unset,a"}});
  FlowbitUsage u = flowbit_usage(*r);
  uint32_t a = context.flowbit_ids.at("a"), b = context.flowbit_ids.at("b");
  EXPECT_EQ(u.checks, std::vector<uint32_t>{a});
  EXPECT_EQ(u.sets, (std::vector<uint32_t>{b, a}));
}

TEST_F(FlowFixture, Flowint) {
  auto add = rule({{"flowint", "ET.infostealer.dll.download, +, 1"}});
  auto isset = rule({{"flowint", "ET.infostealer.dll.download, isset"}});
  auto notset = rule({{"flowint", "ET.infostealer.dll.download,notset"}});
  auto ge2 = rule({{"flowint", "ET.infostealer.dll.download, >=, 2"}});
  auto sub = rule({{"flowint", "other,-,5"}});
  auto set_other = rule({{"flowint", "other,=,10"}});
  auto eq_other = rule({{"flowint", "ET.infostealer.dll.download,==,other"}});
  attach_state();

  EXPECT_FALSE(match(*isset, &flow));
  EXPECT_TRUE(match(*notset, &flow));
  EXPECT_FALSE(match(*ge2, &flow));  // comparing an unset variable never matches
  post(*add, &flow);                 // unset + 1 starts at 1
  EXPECT_TRUE(match(*isset, &flow));
  EXPECT_FALSE(match(*ge2, &flow));
  post(*add, &flow);
  EXPECT_TRUE(match(*ge2, &flow));

  post(*sub, &flow);  // subtracting from an unset variable does nothing
  uint32_t v = 0;
  EXPECT_FALSE(flowint_get(state.get(), context.flowint_ids.at("other"), v));
  post(*set_other, &flow);
  post(*sub, &flow);
  ASSERT_TRUE(flowint_get(state.get(), context.flowint_ids.at("other"), v));
  EXPECT_EQ(v, 5u);
  EXPECT_FALSE(match(*eq_other, &flow));  // 2 vs 5
  post(*set_other, &flow);
  EXPECT_FALSE(match(*eq_other, &flow));  // 2 vs 10

  for (const char* bad : {"x", "myvar", "myvar,~,1", "myvar,=", "myvar,isset,3", "1var,=,1",
                          "myvar,=,4294967296", "myvar,+,a.b", "m,=,1"}) {
    EXPECT_NE(rejects("flowint", bad), "") << bad;
  }
  // Suricata's DetectFlowintTestParseVal01 / Var01.
  EXPECT_EQ(rejects("flowint", "myvar,=,35"), "");
  EXPECT_EQ(rejects("flowint", "myvar,=,targetvar"), "");
  EXPECT_EQ(rejects("flowint", "myvar,isnotset"), "");
}

}  // namespace
}  // namespace seawall::detect
