// End-to-end detection on crafted packets: rule text -> DetectEngine::load ->
// DetectThread::inspect. Expectations follow Suricata's documented semantics
// (signature order, pass, thresholds, alert queue), not our own output.
#include "detect/engine/detect_engine.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "detect/engine/detect_engine_impl.h"
#include "flow/app_proto.h"
#include "flow/flow.h"

namespace seawall::detect {
namespace {

struct Built {
  std::unique_ptr<DetectEngine> engine;
  LoadReport report;
};

Built build(std::vector<std::string> rules, const std::string& threshold_config = "") {
  DetectConfig config;
  config.rule_texts = std::move(rules);
  config.address_vars["HOME_NET"] = "[10.0.0.0/8]";
  config.address_vars["EXTERNAL_NET"] = "!$HOME_NET";
  config.port_vars["HTTP_PORTS"] = "[80,8080]";
  std::string path;
  if (!threshold_config.empty()) {
    path = ::testing::TempDir() + "seawall_threshold_test.config";
    std::ofstream(path) << threshold_config;
    config.threshold_file = path;
  }
  Built b;
  b.engine = DetectEngine::load(config, b.report);
  for (const RuleFailure& f : b.report.failures)
    ADD_FAILURE() << "rule failed: " << f.file << ":" << f.line << ": " << f.reason;
  if (!path.empty()) std::remove(path.c_str());
  return b;
}

// A decoded TCP/UDP/ICMP packet as the decoder would leave it.
struct TestPacket {
  std::string payload;
  Packet p;
  TestPacket(uint8_t proto, const char* src, uint16_t sport, const char* dst, uint16_t dport,
             std::string data, Flow* flow = nullptr, bool to_server = true)
      : payload(std::move(data)) {
    p.ip_version = 4;
    p.src = IpAddress::parse(src);
    p.dst = IpAddress::parse(dst);
    p.ip_proto = proto;
    p.ttl = 64;
    p.has_ports = proto == 6 || proto == 17;
    p.sport = sport;
    p.dport = dport;
    p.has_icmp = proto == 1;
    if (proto == 6) p.tcp_flags = tcp_flag::kAck | tcp_flag::kPsh;
    p.payload = reinterpret_cast<const uint8_t*>(payload.data());
    p.payload_len = static_cast<uint32_t>(payload.size());
    p.flow = flow;
    p.to_server = to_server;
    p.ts = Timestamp{1700000000, 0};
  }
};

std::vector<uint32_t> sids(const PacketAlerts& a) {
  std::vector<uint32_t> out;
  for (uint8_t i = 0; i < a.count; ++i) out.push_back(a.alerts[i].rule->sid);
  return out;
}

struct Runner {
  Built built;
  ThreadCounters counters;
  DetectThread thread;
  explicit Runner(std::vector<std::string> rules, const std::string& threshold = "")
      : built(build(std::move(rules), threshold)), thread(*built.engine, counters) {}
  std::vector<uint32_t> run(TestPacket& tp) {
    PacketAlerts alerts;
    thread.inspect(tp.p, alerts);
    last = alerts;
    return sids(alerts);
  }
  PacketAlerts last;
};

uint64_t counter(const ThreadCounters& c, std::string_view name) {
  const auto& all = all_counters();
  for (size_t i = 0; i < all.size(); ++i)
    if (all[i].name == name) return c.get_index(i);
  ADD_FAILURE() << "no counter " << name;
  return 0;
}

Flow established_flow() {
  Flow f;
  f.state = FlowState::kEstablished;
  f.seen_toserver = f.seen_toclient = true;
  return f;
}

TEST(Engine, ContentRuleMatchesOnlyItsPortAndPattern) {
  Runner r({R"(alert tcp any any -> any 80 (msg:"evil"; content:"EVIL"; sid:1;))",
            R"(alert tcp any any -> any any (msg:"nocase"; content:"bad"; nocase; sid:2;))"});
  TestPacket a(6, "1.1.1.1", 1234, "10.0.0.1", 80, "xxEVILxx");
  EXPECT_EQ(r.run(a), (std::vector<uint32_t>{1}));
  TestPacket b(6, "1.1.1.1", 1234, "10.0.0.1", 81, "xxEVILxx BAD");
  EXPECT_EQ(r.run(b), (std::vector<uint32_t>{2}));
  TestPacket c(6, "1.1.1.1", 1234, "10.0.0.1", 80, "xxevilxx");  // case-sensitive content
  EXPECT_TRUE(r.run(c).empty());
  TestPacket d(17, "1.1.1.1", 1234, "10.0.0.1", 80, "EVIL");  // udp: wrong protocol
  EXPECT_TRUE(r.run(d).empty());
  EXPECT_EQ(r.built.report.prefilter_rules, 2u);
  EXPECT_EQ(r.built.report.non_prefilter_rules, 0u);
}

TEST(Engine, AddressVariablesAndBidirectionalRules) {
  Runner r({R"(alert tcp $EXTERNAL_NET any -> $HOME_NET 22 (msg:"ssh in"; content:"SSH-"; sid:10;))",
            R"(alert udp 10.0.0.5 53 <> any any (msg:"dns either way"; content:"dns"; sid:11;))"});
  TestPacket in(6, "8.8.8.8", 5555, "10.1.2.3", 22, "SSH-2.0");
  EXPECT_EQ(r.run(in), (std::vector<uint32_t>{10}));
  TestPacket internal(6, "10.9.9.9", 5555, "10.1.2.3", 22, "SSH-2.0");  // src in HOME_NET
  EXPECT_TRUE(r.run(internal).empty());
  TestPacket forward(17, "10.0.0.5", 53, "1.2.3.4", 4000, "dns");
  EXPECT_EQ(r.run(forward), (std::vector<uint32_t>{11}));
  TestPacket reverse(17, "1.2.3.4", 4000, "10.0.0.5", 53, "dns");
  EXPECT_EQ(r.run(reverse), (std::vector<uint32_t>{11}));
  TestPacket other(17, "1.2.3.4", 4000, "10.0.0.6", 53, "dns");
  EXPECT_TRUE(r.run(other).empty());
}

TEST(Engine, NonPrefilterRulesAreCheckedOnEveryPacketOfTheirGroup) {
  Runner r({R"(alert tcp any any -> any any (msg:"pcre only"; pcre:"/ab+c/"; sid:20;))",
            R"(alert icmp any any -> any any (msg:"icmp"; sid:21;))"});
  EXPECT_EQ(r.built.report.non_prefilter_rules, 1u);
  EXPECT_EQ(r.built.report.ip_only_rules, 1u);  // header-only icmp rule: IP-only, as in Suricata
  TestPacket t(6, "1.1.1.1", 1, "2.2.2.2", 2, "xxabbbcxx");
  EXPECT_EQ(r.run(t), (std::vector<uint32_t>{20}));
  TestPacket i(1, "1.1.1.1", 0, "2.2.2.2", 0, "");
  EXPECT_EQ(r.run(i), (std::vector<uint32_t>{21}));
  TestPacket u(17, "1.1.1.1", 0, "2.2.2.2", 0, "");
  EXPECT_TRUE(r.run(u).empty());  // IP-only rules still check their protocol
}

TEST(Engine, FlowDirectionGroups) {
  Runner r({R"(alert tcp any any -> any any (msg:"to server"; flow:to_server; content:"X"; sid:30;))",
            R"(alert tcp any any -> any any (msg:"to client"; flow:to_client; content:"X"; sid:31;))"});
  Flow f = established_flow();
  TestPacket ts(6, "1.1.1.1", 1, "2.2.2.2", 2, "X", &f, true);
  EXPECT_EQ(r.run(ts), (std::vector<uint32_t>{30}));
  TestPacket tc(6, "2.2.2.2", 2, "1.1.1.1", 1, "X", &f, false);
  EXPECT_EQ(r.run(tc), (std::vector<uint32_t>{31}));
  TestPacket noflow(6, "1.1.1.1", 1, "2.2.2.2", 2, "X");
  EXPECT_TRUE(r.run(noflow).empty());  // flow direction needs a flow
  r.thread.on_flow_end(f);
}

TEST(Engine, IpOnlyRulesOncePerFlowDirection) {
  Runner r({R"(alert ip [192.0.2.0/24,198.51.100.7] any -> $HOME_NET any (msg:"bad host"; sid:40;))",
            R"(alert ip any any <> 203.0.113.9 any (msg:"tor node"; sid:41;))"});
  EXPECT_EQ(r.built.report.ip_only_rules, 2u);
  // Without a flow: every packet.
  TestPacket a(17, "192.0.2.44", 1, "10.0.0.1", 2, "");
  EXPECT_EQ(r.run(a), (std::vector<uint32_t>{40}));
  EXPECT_EQ(r.run(a), (std::vector<uint32_t>{40}));
  TestPacket b(6, "198.51.100.8", 1, "10.0.0.1", 2, "");
  EXPECT_TRUE(r.run(b).empty());
  TestPacket c(6, "10.0.0.1", 1, "203.0.113.9", 2, "");
  EXPECT_EQ(r.run(c), (std::vector<uint32_t>{41}));
  TestPacket d(6, "203.0.113.9", 2, "10.0.0.1", 1, "");
  EXPECT_EQ(r.run(d), (std::vector<uint32_t>{41}));
  // With a flow: first packet of each direction only (Suricata's IP-only flags).
  Flow f = established_flow();
  TestPacket e1(6, "203.0.113.9", 2, "10.0.0.1", 1, "", &f, true);
  TestPacket e2(6, "10.0.0.1", 1, "203.0.113.9", 2, "", &f, false);
  EXPECT_EQ(r.run(e1), (std::vector<uint32_t>{41}));
  EXPECT_TRUE(r.run(e1).empty());
  EXPECT_EQ(r.run(e2), (std::vector<uint32_t>{41}));
  EXPECT_TRUE(r.run(e2).empty());
  r.thread.on_flow_end(f);
}

TEST(Engine, SignatureOrderActionThenPriorityThenSid) {
  Runner r({R"(alert tcp any any -> any any (msg:"a"; content:"Z"; priority:3; sid:53;))",
            R"(alert tcp any any -> any any (msg:"b"; content:"Z"; priority:1; sid:54;))",
            R"(drop tcp any any -> any any (msg:"c"; content:"Z"; priority:3; sid:55;))",
            R"(alert tcp any any -> any any (msg:"d"; content:"Z"; priority:3; sid:50;))"});
  TestPacket t(6, "1.1.1.1", 1, "2.2.2.2", 2, "Z");
  EXPECT_EQ(r.run(t), (std::vector<uint32_t>{55, 54, 50, 53}));
  EXPECT_EQ(r.last.alerts[0].action, Action::kDrop);
}

TEST(Engine, PassRuleStopsAlertsForThePacket) {
  Runner r({R"(alert tcp any any -> any any (msg:"alert"; content:"PASSME"; sid:60;))",
            R"(pass tcp 10.0.0.1 any -> any any (msg:"pass"; content:"PASS"; sid:61;))"});
  TestPacket passed(6, "10.0.0.1", 1, "2.2.2.2", 2, "PASSME");
  EXPECT_TRUE(r.run(passed).empty());
  EXPECT_TRUE(r.last.pass);
  TestPacket other(6, "10.0.0.2", 1, "2.2.2.2", 2, "PASSME");
  EXPECT_EQ(r.run(other), (std::vector<uint32_t>{60}));
  EXPECT_FALSE(r.last.pass);
}

TEST(Engine, FlowbitsSetterRunsBeforeCheckerOnTheSamePacket) {
  // The checker has the lower sid; Suricata still runs the setter first.
  Runner r({R"(alert tcp any any -> any any (msg:"check"; flowbits:isset,seen; content:"B"; sid:70;))",
            R"(alert tcp any any -> any any (msg:"set"; content:"A"; flowbits:set,seen; flowbits:noalert; sid:71;))"});
  Flow f = established_flow();
  TestPacket both(6, "1.1.1.1", 1, "2.2.2.2", 2, "AB", &f);
  EXPECT_EQ(r.run(both), (std::vector<uint32_t>{70}));
  Flow g = established_flow();
  TestPacket only_b(6, "1.1.1.1", 1, "2.2.2.2", 2, "B", &g);
  EXPECT_TRUE(r.run(only_b).empty());
  r.thread.on_flow_end(f);
  r.thread.on_flow_end(g);
}

TEST(Engine, AlertQueueKeepsHighestPriorityAndCountsOverflow) {
  std::vector<std::string> rules;
  for (int i = 0; i < 20; ++i)
    rules.push_back("alert tcp any any -> any any (msg:\"q\"; content:\"Q\"; sid:" +
                    std::to_string(100 + i) + "; priority:" + std::to_string(i < 5 ? 2 : 1) +
                    ";)");
  Runner r(rules);
  TestPacket t(6, "1.1.1.1", 1, "2.2.2.2", 2, "Q");
  auto got = r.run(t);
  ASSERT_EQ(got.size(), kMaxPacketAlerts);
  EXPECT_EQ(r.last.overflow, 5u);
  // Priority 1 rules (sid 105..119) come first; the priority-2 ones overflow.
  for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], 105 + i);
  EXPECT_EQ(counter(r.counters, "detect.alert_queue_overflow"), 5u);
  EXPECT_EQ(counter(r.counters, "detect.alert"), 15u);
}

TEST(Engine, RuleThresholdLimitAndDetectionFilter) {
  Runner r({R"(alert tcp any any -> any any (msg:"limit"; content:"L"; threshold:type limit, track by_src, count 2, seconds 60; sid:80;))",
            R"(alert tcp any any -> any any (msg:"df"; content:"D"; detection_filter:track by_dst, count 3, seconds 60; sid:81;))"});
  int limit_alerts = 0, df_alerts = 0;
  std::vector<int> df_hits;
  for (int i = 0; i < 6; ++i) {
    TestPacket l(6, "1.1.1.1", 1, "2.2.2.2", 2, "L");
    l.p.ts.sec += i;
    limit_alerts += static_cast<int>(r.run(l).size());
    TestPacket d(6, "1.1.1.1", 1, "2.2.2.2", 2, "D");
    d.p.ts.sec += i;
    if (!r.run(d).empty()) {
      ++df_alerts;
      df_hits.push_back(i + 1);
    }
  }
  EXPECT_EQ(limit_alerts, 2);
  EXPECT_EQ(df_alerts, 3);  // the 4th, 5th and 6th events
  EXPECT_EQ(df_hits, (std::vector<int>{4, 5, 6}));
  // Another source has its own limit counter.
  TestPacket other(6, "1.1.1.9", 1, "2.2.2.2", 2, "L");
  EXPECT_EQ(r.run(other), (std::vector<uint32_t>{80}));
  EXPECT_EQ(counter(r.counters, "detect.alerts_suppressed"), 4u + 3u);
}

TEST(Engine, ThresholdConfigSuppressAndEventFilter) {
  Runner r({R"(alert tcp any any -> any any (msg:"s"; content:"S"; sid:90;))",
            R"(alert tcp any any -> any any (msg:"e"; content:"E"; sid:91;))",
            R"(alert tcp any any -> any any (msg:"all"; content:"A"; sid:92;))"},
           "suppress gen_id 1, sig_id 90, track by_src, ip 10.0.0.0/8\n"
           "event_filter gen_id 1, sig_id 91, type threshold, track by_rule, count 3, seconds 60\n"
           "suppress gen_id 1, sig_id 92\n");
  EXPECT_EQ(r.built.report.threshold_entries, 3u);
  TestPacket internal(6, "10.1.1.1", 1, "2.2.2.2", 2, "S");
  EXPECT_TRUE(r.run(internal).empty());
  TestPacket external(6, "11.1.1.1", 1, "2.2.2.2", 2, "S");
  EXPECT_EQ(r.run(external), (std::vector<uint32_t>{90}));
  std::vector<size_t> counts;
  for (int i = 0; i < 7; ++i) {
    TestPacket e(6, "3.3.3.3", 1, "2.2.2.2", 2, "E");
    counts.push_back(r.run(e).size());
  }
  // type threshold, count 3: every 3rd event alerts.
  EXPECT_EQ(counts, (std::vector<size_t>{0, 0, 1, 0, 0, 1, 0}));
  TestPacket a(6, "3.3.3.3", 1, "2.2.2.2", 2, "A");
  EXPECT_TRUE(r.run(a).empty());
}

TEST(Engine, NoalertRuleSetsStateButRaisesNothing) {
  Runner r({R"(alert tcp any any -> any any (msg:"x"; content:"N"; noalert; sid:95;))"});
  TestPacket t(6, "1.1.1.1", 1, "2.2.2.2", 2, "N");
  EXPECT_TRUE(r.run(t).empty());
  EXPECT_EQ(counter(r.counters, "detect.rules_matched"), 1u);
}

TEST(Engine, FlowAlertedIsSet) {
  Runner r({R"(alert tcp any any -> any any (msg:"x"; content:"F"; sid:96;))"});
  Flow f = established_flow();
  TestPacket t(6, "1.1.1.1", 1, "2.2.2.2", 2, "F", &f);
  EXPECT_EQ(r.run(t).size(), 1u);
  EXPECT_TRUE(f.alerted);
  r.thread.on_flow_end(f);
}

TEST(Engine, PacketsWithoutIpAreSkipped) {
  Runner r({R"(alert ip any any -> any any (msg:"any"; sid:97;))"});
  TestPacket t(6, "1.1.1.1", 1, "2.2.2.2", 2, "");
  t.p.ip_version = 0;
  EXPECT_TRUE(r.run(t).empty());
}

TEST(Engine, LoadReportCountsFailures) {
  DetectConfig config;
  config.rule_texts = {R"(alert tcp any any -> any any (msg:"ok"; content:"a"; sid:1;))",
                       R"(alert tcp any any -> any any (msg:"bad"; nosuchkeyword; sid:2;))"};
  LoadReport report;
  auto engine = DetectEngine::load(config, report);
  EXPECT_EQ(report.loaded, 1u);
  EXPECT_EQ(report.rules_seen, 2u);
  EXPECT_EQ(report.failed + report.unsupported, 1u);
  EXPECT_EQ(engine->rules().size(), 1u);
}

// Suricata's threshold-config-byrule: "alert http" with no app buffer is a
// packet rule on flows of that protocol (SIG_FLAG_APPLAYER), so it matches
// every packet once the protocol is known, not once per transaction.
TEST(Engine, AppHeaderRuleWithoutBuffersIsAPacketRule) {
  const AppProto http = register_app_proto("http");
  Runner r({R"(alert http any any -> any any (msg:"any http"; sid:1;))",
            R"(alert http any any -> any any (flow:to_server; sid:2;))"});
  EXPECT_EQ(r.built.report.tx_rules, 0u);
  EXPECT_EQ(r.built.report.app_layer_skipped, 0u);
  Flow f = established_flow();
  TestPacket unknown(6, "1.1.1.1", 1234, "10.0.0.1", 80, "GET / HTTP/1.1\r\n", &f);
  EXPECT_TRUE(r.run(unknown).empty());  // protocol not known yet
  f.app_proto = http;
  TestPacket req(6, "1.1.1.1", 1234, "10.0.0.1", 80, "GET / HTTP/1.1\r\n", &f);
  EXPECT_EQ(r.run(req), (std::vector<uint32_t>{1, 2}));
  TestPacket ack(6, "1.1.1.1", 1234, "10.0.0.1", 80, "", &f);  // no payload, no transaction
  EXPECT_EQ(r.run(ack), (std::vector<uint32_t>{1, 2}));
  TestPacket reply(6, "10.0.0.1", 80, "1.1.1.1", 1234, "HTTP/1.1 200 OK\r\n", &f, false);
  EXPECT_EQ(r.run(reply), (std::vector<uint32_t>{1}));
  Flow other = established_flow();
  other.app_proto = register_app_proto("dns");
  TestPacket dns(6, "1.1.1.1", 1234, "10.0.0.1", 53, "x", &other);
  EXPECT_TRUE(r.run(dns).empty());
}

}  // namespace
}  // namespace seawall::detect
