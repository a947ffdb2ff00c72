// DNS sticky buffers and keywords through the real rule parser: rules taken
// from suricata-verify's DNS cases (dns-query-name, dns-opcode, dns-rrtype,
// dns-response-mx, dns-ptr, dns-incomplete) are parsed, then their matchers
// and buffer getters run on a MatchContext carrying a parsed transaction, in
// the direction the case expects the alert.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "decode/packet.h"
#include "detect/buffers/buffer_registry.h"
#include "detect/engine/detect_engine.h"
#include "detect/engine/inspect.h"
#include "detect/rules/rule_parser.h"
#include "dns_test_util.h"
#include "flow/flow.h"

namespace seawall::applayer::dns {
namespace {

using test::MsgBuilder;

// Payload keywords and these app keywords never touch the DetectThread; a
// typed placeholder reference is enough to build a MatchContext.
detect::DetectThread& placeholder_thread() {
  alignas(detect::DetectThread) static unsigned char storage[sizeof(detect::DetectThread)] = {};
  return *reinterpret_cast<detect::DetectThread*>(storage);
}

std::unique_ptr<detect::Rule> rule(const std::string& text) {
  detect::RuleLoadContext context;
  detect::RuleFailure failure;
  auto r = detect::parse_rule(text, "test.rules", 1, context, failure);
  EXPECT_NE(r, nullptr) << text << ": " << failure.reason;
  return r;
}

// Evaluates the rule's app keywords and buffers on one direction of `tx`.
bool matches(const detect::Rule& r, const DnsTx& tx, Direction dir) {
  const Packet packet;
  const detect::MatchContext ctx{packet, nullptr, placeholder_thread(), &tx, dns_app_proto(),
                                 static_cast<uint8_t>(dir_index(dir))};
  for (const auto& m : r.packet_matchers)
    if (!m->match(ctx)) return false;
  std::vector<int64_t> vars(r.byte_var_count + 1, 0);
  for (const auto& insp : r.inspections) {
    const detect::BufferDescriptor& d = detect::buffer_descriptor(insp.buffer_id);
    if (d.direction == detect::BufferDirection::kToServer && dir != Direction::kToServer) return false;
    if (d.direction == detect::BufferDirection::kToClient && dir != Direction::kToClient) return false;
    bool any = false;
    ByteView view;
    if (d.get_multi != nullptr) {
      for (uint32_t i = 0; !any && d.get_multi(ctx, i, view); ++i)
        any = detect::inspect_buffer(ctx, insp, view.data(), static_cast<uint32_t>(view.size()),
                                     vars.data());
    } else if (d.get != nullptr && d.get(ctx, view)) {
      any = detect::inspect_buffer(ctx, insp, view.data(), static_cast<uint32_t>(view.size()),
                                   vars.data());
    }
    if (!any) return false;
  }
  return true;
}

// The transaction holding the message of `dir` (each message is its own
// transaction); an empty one when that side was not seen.
const DnsTx& pick(const DnsState& s, Direction dir) {
  static const DnsTx kNone;
  for (size_t i = 0; i < s.tx_count(); ++i)
    if (s.dns_tx_at(i)->message(dir).present) return *s.dns_tx_at(i);
  return kNone;
}

ParseContext udp() {
  ParseContext c;
  c.udp = true;
  return c;
}

// The exchange of suricata-verify's cond-log-dns-dig capture: A query for
// www.suricata-ids.org, answered with a CNAME to suricata-ids.org and two A.
struct DigExchange {
  DnsState state;
  const DnsTx* tx = nullptr;        // the query
  const DnsTx* response = nullptr;  // the answer
  DigExchange() {
    MsgBuilder q(36146, 0x0120, 1, 0);
    q.question("www.suricata-ids.org", rrtype::kA);
    MsgBuilder r(36146, 0x81a0, 1, 3);
    r.question("www.suricata-ids.org", rrtype::kA);
    r.pointer(12).rr_fixed(rrtype::kCname, 3544).name("suricata-ids.org").end_rr();
    r.pointer(50).rr_fixed(rrtype::kA, 244).u32(0xc0004e18).end_rr();
    r.pointer(50).rr_fixed(rrtype::kA, 244).u32(0xc0004e19).end_rr();
    state.parse(Direction::kToServer, q.view(), udp());
    state.parse(Direction::kToClient, r.view(), udp());
    tx = state.dns_tx_at(0);
    response = state.dns_tx_at(1);
  }
};

TEST(DnsKeywords, QueriesRrnameBothDirections) {
  DigExchange x;
  ASSERT_NE(x.tx, nullptr);
  ASSERT_NE(x.response, nullptr);
  ASSERT_TRUE(x.response->response.present);
  // The CNAME target is written in full at offset 50 of the response.
  EXPECT_EQ(x.response->response.text(x.response->response.answers[1].name), "suricata-ids.org");
  auto r = rule("alert dns any any -> any any (dns.queries.rrname; content:\"suricata\"; sid:1;)");
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(matches(*r, pick(x.state, Direction::kToServer), Direction::kToServer));
  EXPECT_TRUE(matches(*r, pick(x.state, Direction::kToClient), Direction::kToClient));
  auto miss = rule("alert dns any any -> any any (dns.queries.rrname; content:\"example\"; sid:2;)");
  EXPECT_FALSE(matches(*miss, pick(x.state, Direction::kToServer), Direction::kToServer));
}

TEST(DnsKeywords, ResponseRrnameOnlyToClient) {
  DigExchange x;
  auto r = rule("alert dns any any -> any any (dns.response.rrname; content:\"suricata-ids.org\"; "
                "sid:4;)");
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(matches(*r, pick(x.state, Direction::kToClient), Direction::kToClient));
  EXPECT_FALSE(matches(*r, pick(x.state, Direction::kToServer), Direction::kToServer));
}

TEST(DnsKeywords, DnsQueryAndAlias) {
  DigExchange x;
  for (const char* kw : {"dns.query", "dns_query"}) {
    auto r = rule(std::string("alert dns any any -> any any (") + kw +
                  "; content:\"WWW.suricata-ids.org\"; nocase; sid:1;)");
    ASSERT_NE(r, nullptr) << kw;
    EXPECT_TRUE(matches(*r, pick(x.state, Direction::kToServer), Direction::kToServer)) << kw;
    EXPECT_FALSE(matches(*r, pick(x.state, Direction::kToClient), Direction::kToClient)) << kw;
  }
  auto anchored = rule("alert dns any any -> any any (dns.query; content:\"www\"; startswith; "
                       "bsize:20; sid:2;)");
  ASSERT_NE(anchored, nullptr);
  EXPECT_TRUE(matches(*anchored, pick(x.state, Direction::kToServer), Direction::kToServer));
}

TEST(DnsKeywords, AnswerNameIsRecordNamesOnly) {
  DigExchange x;
  auto owner = rule("alert dns any any -> any any (dns.answer.name; content:\"www.suricata-ids.org\"; "
                    "startswith; sid:1;)");
  ASSERT_NE(owner, nullptr);
  EXPECT_TRUE(matches(*owner, pick(x.state, Direction::kToClient), Direction::kToClient));
  EXPECT_FALSE(matches(*owner, pick(x.state, Direction::kToServer), Direction::kToServer));  // the request has no answers
  auto answers = rule("alert dns any any -> any any (dns.answers.rrname; content:\"suricata-ids.org\"; "
                      "startswith; endswith; sid:2;)");
  ASSERT_NE(answers, nullptr);
  EXPECT_TRUE(matches(*answers, pick(x.state, Direction::kToClient), Direction::kToClient));
}

TEST(DnsKeywords, ResponseRrnameSeesNameRdata) {
  // dns-response-mx: the exchange host only exists in MX rdata; dns-ptr: PTR rdata.
  MsgBuilder q(1, 0x0100, 1, 0);
  q.question("google.com", rrtype::kMx);
  MsgBuilder r(1, 0x8180, 1, 2);
  r.question("google.com", rrtype::kMx);
  r.pointer(12).rr_fixed(rrtype::kMx, 300).u16(10).name("aspmx.l.google.com").end_rr();
  r.name("1.0.0.127.in-addr.arpa").rr_fixed(rrtype::kPtr, 300).name("suricata.io").end_rr();
  DnsState s;
  s.parse(Direction::kToServer, q.view(), udp());
  s.parse(Direction::kToClient, r.view(), udp());
  for (const char* needle : {"aspmx.l.google.com", "suricata.io"}) {
    auto rr = rule(std::string("alert dns any any -> any any (dns.response.rrname; content:\"") +
                   needle + "\"; sid:1;)");
    ASSERT_NE(rr, nullptr);
    EXPECT_TRUE(matches(*rr, pick(s, Direction::kToClient), Direction::kToClient)) << needle;
    auto an = rule(std::string("alert dns any any -> any any (dns.answer.name; content:\"") +
                   needle + "\"; sid:2;)");
    EXPECT_FALSE(matches(*an, pick(s, Direction::kToClient), Direction::kToClient)) << needle;
  }
}

TEST(DnsKeywords, Opcode) {
  // dns-opcode: a NOTIFY (opcode 4) request.
  MsgBuilder notify(7, 4 << 11, 1, 0);
  notify.question("example.com", rrtype::kSoa);
  DnsState s;
  s.parse(Direction::kToServer, notify.view(), udp());
  auto four = rule("alert dns any any -> any any (dns.opcode:4; sid:1;)");
  auto not_zero = rule("alert dns any any -> any any (dns.opcode:!0; sid:2;)");
  auto zero = rule("alert dns any any -> any any (dns.opcode:0; sid:3;)");
  auto range = rule("alert dns any any -> any any (dns.opcode:3-5; sid:4;)");
  ASSERT_TRUE(four && not_zero && zero && range);
  EXPECT_EQ(four->app_keyword_proto, "dns");
  EXPECT_TRUE(matches(*four, pick(s, Direction::kToServer), Direction::kToServer));
  EXPECT_TRUE(matches(*not_zero, pick(s, Direction::kToServer), Direction::kToServer));
  EXPECT_FALSE(matches(*zero, pick(s, Direction::kToServer), Direction::kToServer));
  EXPECT_TRUE(matches(*range, pick(s, Direction::kToServer), Direction::kToServer));
  EXPECT_FALSE(matches(*four, pick(s, Direction::kToClient), Direction::kToClient));  // no response seen
}

TEST(DnsKeywords, RrtypeByDirection) {
  // dns-rrtype: A query answered with A records; !2 matches the response.
  DigExchange x;
  auto a = rule("alert dns any any -> any any (dns.rrtype:1; sid:1;)");
  auto not_ns = rule("alert dns any any -> any any (dns.rrtype:!2; sid:3;)");
  auto cname = rule("alert dns any any -> any any (dns.rrtype:CNAME; sid:4;)");
  auto aaaa = rule("alert dns any any -> any any (dns.rrtype:aaaa; sid:5;)");
  ASSERT_TRUE(a && not_ns && cname && aaaa);
  EXPECT_TRUE(matches(*a, pick(x.state, Direction::kToServer), Direction::kToServer));
  EXPECT_TRUE(matches(*a, pick(x.state, Direction::kToClient), Direction::kToClient));
  EXPECT_TRUE(matches(*not_ns, pick(x.state, Direction::kToClient), Direction::kToClient));
  EXPECT_FALSE(matches(*cname, pick(x.state, Direction::kToServer), Direction::kToServer));  // queries: A only
  EXPECT_TRUE(matches(*cname, pick(x.state, Direction::kToClient), Direction::kToClient));   // answers: CNAME, A
  EXPECT_FALSE(matches(*aaaa, pick(x.state, Direction::kToClient), Direction::kToClient));
}

TEST(DnsKeywords, RcodeNumberAndName) {
  MsgBuilder q(9, 0x0100, 1, 0);
  q.question("nope.example", rrtype::kA);
  MsgBuilder r(9, 0x8183, 1, 0);  // NXDOMAIN
  r.question("nope.example", rrtype::kA);
  DnsState s;
  s.parse(Direction::kToServer, q.view(), udp());
  s.parse(Direction::kToClient, r.view(), udp());
  auto three = rule("alert dns any any -> any any (dns.rcode:3; sid:1;)");
  auto name = rule("alert dns any any -> any any (dns.rcode:nxdomain; sid:2;)");
  auto not_ok = rule("alert dns any any -> any any (dns.rcode:!noerror; sid:3;)");
  ASSERT_TRUE(three && name && not_ok);
  EXPECT_TRUE(matches(*three, pick(s, Direction::kToClient), Direction::kToClient));
  EXPECT_TRUE(matches(*name, pick(s, Direction::kToClient), Direction::kToClient));
  EXPECT_TRUE(matches(*not_ok, pick(s, Direction::kToClient), Direction::kToClient));
  EXPECT_FALSE(matches(*three, pick(s, Direction::kToServer), Direction::kToServer));  // the request's rcode is 0
}

TEST(DnsKeywords, BadValuesAreRuleErrors) {
  detect::RuleLoadContext context;
  detect::RuleFailure failure;
  EXPECT_EQ(detect::parse_rule("alert dns any any -> any any (dns.opcode:300; sid:1;)", "t", 1,
                               context, failure),
            nullptr);
  EXPECT_EQ(detect::parse_rule("alert dns any any -> any any (dns.rrtype:bogus; sid:2;)", "t", 1,
                               context, failure),
            nullptr);
  EXPECT_EQ(detect::parse_rule("alert http any any -> any any (dns.opcode:0; sid:3;)", "t", 1,
                               context, failure),
            nullptr);
}

TEST(DnsKeywords, OtherProtocolTransactionsDoNotMatch) {
  DigExchange x;
  auto r = rule("alert dns any any -> any any (dns.queries.rrname; content:\"suricata\"; sid:1;)");
  const Packet packet;
  const detect::MatchContext ctx{packet, nullptr, placeholder_thread(), x.tx,
                                 static_cast<AppProto>(dns_app_proto() + 1), 0};
  const detect::BufferDescriptor& d = detect::buffer_descriptor(r->inspections[0].buffer_id);
  ByteView view;
  EXPECT_FALSE(d.get_multi(ctx, 0, view));
}

// ET's "DNS Query to ... Domain" rules (dns.query; dotprefix; content:".x.y";
// nocase; endswith) are prefiltered on the transformed buffer and still match
// exactly where the inspection does.
TEST(DnsKeywords, DotprefixRulesArePrefilteredOnTheTransformedQuery) {
  detect::DetectConfig config;
  config.rule_texts = {
      "alert dns any any -> any any (dns.query; dotprefix; content:\".suricata-ids.org\"; "
      "nocase; endswith; sid:1;)",
      "alert dns any any -> any any (dns.query; dotprefix; content:\".org\"; endswith; "
      "sid:2;)",
      // Same suffix without the label boundary: dotprefix makes it miss.
      "alert dns any any -> any any (dns.query; dotprefix; content:\".cata-ids.org\"; "
      "endswith; sid:3;)",
      // The whole name with its leading dot only exists after the transform.
      "alert dns any any -> any any (dns.query; dotprefix; content:\".www.SURICATA\"; nocase; "
      "startswith; sid:4;)",
      "alert dns any any -> any any (dns.query; to_uppercase; content:\"WWW.SURICATA-IDS.ORG\"; "
      "sid:5;)"};
  detect::LoadReport report;
  auto engine = detect::DetectEngine::load(config, report);
  ASSERT_TRUE(report.failures.empty());
  EXPECT_EQ(report.prefilter_rules, 5u);
  EXPECT_EQ(report.non_prefilter_rules, 0u);

  DigExchange x;
  ASSERT_NE(x.tx, nullptr);
  ThreadCounters counters;
  detect::DetectThread thread(*engine, counters);
  Packet p;
  p.ip_version = 4;
  p.src = IpAddress::parse("10.0.0.1");
  p.dst = IpAddress::parse("10.0.0.2");
  p.ip_proto = 17;
  p.has_ports = true;
  p.sport = 36146;
  p.dport = 53;
  p.to_server = true;
  Flow flow;
  flow.app_proto = dns_app_proto();
  p.flow = &flow;
  detect::PacketAlerts alerts;
  thread.inspect_tx(p, dns_app_proto(), *x.tx, x.tx->id, 0, alerts);
  std::vector<uint32_t> sids;
  for (uint8_t i = 0; i < alerts.count; ++i) sids.push_back(alerts.alerts[i].rule->sid);
  EXPECT_EQ(sids, (std::vector<uint32_t>{1, 2, 4, 5}));
}

}  // namespace
}  // namespace seawall::applayer::dns
