// The rule parser: header grammar, option lexing with Suricata's escaping,
// the keyword registry path (unknown / unsupported / flags / setup errors),
// exact failure text, RuleBuilder buffer handling and rule files.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "detect/buffers/buffer_registry.h"
#include "detect/rules/lexer.h"
#include "detect/rules/rule_parser.h"

namespace seawall::detect {
namespace {

// Tiny fake keywords so these tests do not depend on other keyword groups.
class FakePayload : public PayloadMatcher {
 public:
  explicit FakePayload(std::string v) : value(std::move(v)) {}
  PayloadMatch match(const MatchContext&, InspectionCursor&, uint32_t) const override { return {}; }
  std::string value;
};

class FakeTransform : public Transform {
 public:
  void apply(std::span<const uint8_t> in, std::vector<uint8_t>& out) const override {
    out.assign(in.begin(), in.end());
  }
  std::string_view name() const override { return "rulestest_xform"; }
};

std::vector<std::string>& seen_values() {
  static std::vector<std::string> v;
  return v;
}

const bool kFakes = [] {
  register_keyword({.name = "rulestest_payload", .kind = KeywordKind::kPayload,
                    .flags = kValueRequired,
                    .setup = [](RuleBuilder& b, std::string_view v) {
                      b.add_payload(std::make_unique<FakePayload>(std::string(v)));
                    },
                    .aliases = {"rulestest_payload_alias"}});
  register_keyword({.name = "rulestest_flag", .kind = KeywordKind::kModifier, .flags = kNoValue,
                    .setup = [](RuleBuilder& b, std::string_view) {
                      if (b.last_payload() == nullptr) {
                        throw RuleError("rulestest_flag: needs a preceding payload keyword");
                      }
                    }});
  register_keyword({.name = "rulestest_echo", .kind = KeywordKind::kPacket,
                    .setup = [](RuleBuilder&, std::string_view v) {
                      seen_values().emplace_back(v);
                    }});
  register_keyword({.name = "rulestest_buf1", .kind = KeywordKind::kStickyBuffer, .flags = kNoValue,
                    .setup = [](RuleBuilder& b, std::string_view) { b.set_buffer(101); }});
  register_keyword({.name = "rulestest_buf2", .kind = KeywordKind::kStickyBuffer, .flags = kNoValue,
                    .setup = [](RuleBuilder& b, std::string_view) { b.set_buffer(102); }});
  register_keyword({.name = "rulestest_pkt_data", .kind = KeywordKind::kStickyBuffer,
                    .flags = kNoValue,
                    .setup = [](RuleBuilder& b, std::string_view) { b.set_buffer(kPktDataBuffer); }});
  register_keyword({.name = "rulestest_xform", .kind = KeywordKind::kTransform, .flags = kNoValue,
                    .setup = [](RuleBuilder& b, std::string_view) {
                      b.add_transform(std::make_shared<FakeTransform>());
                    }});
  register_keyword({.name = "rulestest_later", .kind = KeywordKind::kPacket,
                    .setup = [](RuleBuilder&, std::string_view) {},
                    .unsupported_reason = "needs the HTTP parser"});
  register_keyword({.name = "rulestest_throws", .kind = KeywordKind::kPacket,
                    .setup = [](RuleBuilder&, std::string_view) {
                      throw std::invalid_argument("stoul");
                    }});
  register_keyword({.name = "rulestest_var", .kind = KeywordKind::kPayload,
                    .flags = kValueRequired,
                    .setup = [](RuleBuilder& b, std::string_view v) { b.define_byte_var(v); }});
  return true;
}();

struct Parsed {
  std::unique_ptr<Rule> rule;
  RuleFailure failure;
};

Parsed parse(std::string_view text, RuleLoadContext& c) {
  Parsed p;
  p.rule = parse_rule(text, "test.rules", 7, c, p.failure);
  return p;
}

Parsed parse(std::string_view text) {
  static RuleLoadContext c;
  return parse(text, c);
}

std::string failure_of(std::string_view text) {
  Parsed p = parse(text);
  EXPECT_EQ(p.rule, nullptr) << text;
  return p.rule ? "" : format_failure(p.failure);
}

TEST(RuleParser, MinimalRuleAndDefaults) {
  Parsed p = parse("alert ip any any -> any any (sid:1;)");
  ASSERT_NE(p.rule, nullptr) << p.failure.reason;
  const Rule& r = *p.rule;
  EXPECT_EQ(r.sid, 1u);
  EXPECT_EQ(r.gid, 1u);
  EXPECT_EQ(r.priority, 3);
  EXPECT_EQ(r.header.action, Action::kAlert);
  EXPECT_EQ(r.header.proto, RuleProto::kIp);
  EXPECT_TRUE(r.header.src.any && r.header.dst.any && r.header.sport.any && r.header.dport.any);
  EXPECT_FALSE(r.header.bidirectional);
  EXPECT_EQ(r.file, "test.rules");
  EXPECT_EQ(r.line, 7);
  EXPECT_EQ(r.text, "alert ip any any -> any any (sid:1;)");
  EXPECT_TRUE(r.inspections.empty());
}

TEST(RuleParser, Actions) {
  const std::pair<const char*, Action> cases[] = {
      {"alert", Action::kAlert},         {"pass", Action::kPass},
      {"drop", Action::kDrop},           {"reject", Action::kReject},
      {"rejectsrc", Action::kRejectSrc}, {"rejectdst", Action::kRejectDst},
      {"rejectboth", Action::kRejectBoth}};
  for (auto [name, action] : cases) {
    Parsed p = parse(std::string(name) + " tcp any any -> any any (sid:2;)");
    ASSERT_NE(p.rule, nullptr) << name;
    EXPECT_EQ(p.rule->header.action, action);
    EXPECT_EQ(action_name(action), name);
  }
  EXPECT_EQ(failure_of("warn tcp any any -> any any (sid:2;)"),
            "test.rules:7: sid 2: invalid action 'warn'");
}

TEST(RuleParser, Protocols) {
  const std::pair<const char*, RuleProto> packet[] = {
      {"ip", RuleProto::kIp},           {"tcp", RuleProto::kTcp},
      {"udp", RuleProto::kUdp},         {"icmp", RuleProto::kIcmp},
      {"sctp", RuleProto::kSctp},       {"tcp-pkt", RuleProto::kTcpPkt},
      {"tcp-stream", RuleProto::kTcpStream}, {"TCP", RuleProto::kTcp}};
  for (auto [name, proto] : packet) {
    Parsed p = parse(std::string("alert ") + name + " any any -> any any (sid:3;)");
    ASSERT_NE(p.rule, nullptr) << name;
    EXPECT_EQ(p.rule->header.proto, proto) << name;
    EXPECT_TRUE(p.rule->header.app_proto.empty());
  }
  for (const char* app : {"http", "http1", "http2", "dns", "tls", "ssh", "smtp", "ftp", "ftp-data",
                          "smb", "dcerpc", "dhcp", "nfs", "ntp", "krb5", "ike", "snmp", "sip",
                          "rfb", "mqtt", "modbus", "dnp3", "enip", "pgsql", "quic", "ldap"}) {
    Parsed p = parse(std::string("alert ") + app + " any any -> any any (sid:4;)");
    ASSERT_NE(p.rule, nullptr) << app;
    EXPECT_EQ(p.rule->header.proto, RuleProto::kApp);
    EXPECT_EQ(p.rule->header.app_proto, app);
  }
  Parsed v6 = parse("alert icmpv6 any any -> any any (sid:5;)");
  ASSERT_NE(v6.rule, nullptr);
  EXPECT_EQ(v6.rule->header.proto, RuleProto::kIcmp);
  EXPECT_EQ(v6.rule->header.ip_family, 6);
  EXPECT_EQ(failure_of("alert xyz any any -> any any (sid:5;)"),
            "test.rules:7: sid 5: unknown protocol 'xyz'");
}

TEST(RuleParser, HeaderAddressesPortsDirection) {
  RuleLoadContext c;
  c.address_vars["HOME_NET"] = "[10.0.0.0/8]";
  c.address_vars["EXTERNAL_NET"] = "!$HOME_NET";
  c.port_vars["HTTP_PORTS"] = "[80,8080]";
  Parsed p = parse(
      "drop tcp $EXTERNAL_NET [1024:, !5000] <> [$HOME_NET, ![10.1.0.0/16, 10.2.3.4]] "
      "$HTTP_PORTS (msg:\"x\"; sid:6;)",
      c);
  ASSERT_NE(p.rule, nullptr) << p.failure.reason;
  const RuleHeader& h = p.rule->header;
  EXPECT_TRUE(h.bidirectional);
  EXPECT_FALSE(h.src.contains(IpAddress::parse("10.0.0.1")));
  EXPECT_TRUE(h.src.contains(IpAddress::parse("8.8.8.8")));
  EXPECT_TRUE(h.sport.contains(1024));
  EXPECT_FALSE(h.sport.contains(5000));
  EXPECT_FALSE(h.sport.contains(80));
  EXPECT_TRUE(h.dst.contains(IpAddress::parse("10.3.0.1")));
  EXPECT_FALSE(h.dst.contains(IpAddress::parse("10.1.0.1")));
  EXPECT_FALSE(h.dst.contains(IpAddress::parse("10.2.3.4")));
  EXPECT_TRUE(h.dport.contains(8080));
  EXPECT_FALSE(h.dport.contains(443));

  EXPECT_EQ(failure_of("alert tcp any any <- any any (sid:8;)"),
            "test.rules:7: sid 8: invalid direction '<-' (expected -> or <>)");
  EXPECT_EQ(failure_of("alert tcp 1.2.3.999 any -> any any (sid:9;)"),
            "test.rules:7: sid 9: source address: invalid address '1.2.3.999'");
  EXPECT_EQ(failure_of("alert tcp any any -> $NOPE any (sid:10;)"),
            "test.rules:7: sid 10: destination address: unknown address variable '$NOPE'");
  EXPECT_EQ(failure_of("alert tcp any 70000 -> any any (sid:11;)"),
            "test.rules:7: sid 11: source port: invalid port '70000'");
  EXPECT_EQ(failure_of("alert tcp any any -> any [80 (sid:12;)"),
            "test.rules:7: sid 12: unbalanced '[' in destination port");
}

TEST(RuleParser, StructuralErrors) {
  EXPECT_EQ(failure_of("alert tcp any any -> any any"), "test.rules:7: sid ?: rule has no options");
  EXPECT_EQ(failure_of("alert tcp any any -> any"),
            "test.rules:7: sid ?: rule header has no destination port");
  EXPECT_EQ(failure_of("alert tcp any any -> any any (msg:\"x\"; sid:13)"),
            "test.rules:7: sid 13: no terminating ';' after option 'sid:13'");
  EXPECT_EQ(failure_of("alert tcp any any -> any any (msg:\"x\"; sid:14;"),
            "test.rules:7: sid 14: rule options are not closed by ')'");
  EXPECT_EQ(failure_of("alert tcp any any -> any any (msg:\"x\"; rev:1;)"),
            "test.rules:7: sid ?: rule has no sid");
  EXPECT_EQ(failure_of("alert tcp any any -> any any (msg:\"x\" sid:15;)"),
            "test.rules:7: sid 15: msg: string not closed by '\"' (missing ';'?)");
  EXPECT_EQ(failure_of("alert tcp any any -> any any (sid:16; ;)"),
            "test.rules:7: sid 16: empty option (stray ';' or ':')");
}

TEST(RuleParser, OptionLexingAndEscapes) {
  // ';' preceded by '\' does not end the option, quotes do not matter, spaces
  // around names and values are trimmed, values stay raw for the keyword.
  std::vector<RuleOption> o =
      lex_options(" a ; b: x\\;y ;c:\"q\\\"uo\\;ted\"  ; d :  spaced value\t; e:;");
  ASSERT_EQ(o.size(), 5u);
  EXPECT_EQ(o[0].name, "a");
  EXPECT_FALSE(o[0].has_value);
  EXPECT_EQ(o[1].name, "b");
  EXPECT_EQ(o[1].value, "x\\;y");
  EXPECT_EQ(o[2].value, "\"q\\\"uo\\;ted\"");
  EXPECT_EQ(o[3].name, "d");
  EXPECT_EQ(o[3].value, "spaced value");
  EXPECT_EQ(o[4].name, "e");
  EXPECT_TRUE(o[4].has_value);
  EXPECT_EQ(o[4].value, "");
  // Only the first ':' separates name and value.
  o = lex_options("x:a:b:c;");
  ASSERT_EQ(o.size(), 1u);
  EXPECT_EQ(o[0].value, "a:b:c");
}

TEST(RuleParser, SuricataMsgEscapeVector) {
  // Suricata's DetectMsgParseTest02: \w\x\y\'\"\\;\: -> wxy'"\;:
  Parsed p = parse(
      "alert tcp any any -> any any (msg:\"msg escape tests \\w\\x\\y\\'\\\"\\\\;\\:\"; "
      "sid:100;)");
  ASSERT_NE(p.rule, nullptr) << p.failure.reason;
  EXPECT_EQ(p.rule->msg, "msg escape tests wxy'\"\\;:");
}

TEST(RuleParser, KeywordRegistryPath) {
  seen_values().clear();
  Parsed ok = parse(
      "alert tcp any any -> any any (RULESTEST_ECHO: hello\\; world ; rulestest_echo; sid:20;)");
  ASSERT_NE(ok.rule, nullptr) << ok.failure.reason;
  ASSERT_EQ(seen_values().size(), 2u);
  EXPECT_EQ(seen_values()[0], "hello\\; world");  // raw, trimmed
  EXPECT_EQ(seen_values()[1], "");

  Parsed unknown = parse("alert tcp any any -> any any (foo:bar; sid:21;)");
  ASSERT_EQ(unknown.rule, nullptr);
  EXPECT_EQ(format_failure(unknown.failure), "test.rules:7: sid 21: unknown keyword 'foo'");
  EXPECT_EQ(unknown.failure.keyword, "foo");
  EXPECT_FALSE(unknown.failure.unsupported);
  EXPECT_EQ(unknown.failure.text, "alert tcp any any -> any any (foo:bar; sid:21;)");

  Parsed later = parse("alert tcp any any -> any any (rulestest_later; sid:22;)");
  ASSERT_EQ(later.rule, nullptr);
  EXPECT_EQ(format_failure(later.failure),
            "test.rules:7: sid 22: keyword 'rulestest_later' not supported yet: needs the HTTP "
            "parser");
  EXPECT_TRUE(later.failure.unsupported);
  EXPECT_EQ(later.failure.keyword, "rulestest_later");

  EXPECT_EQ(failure_of("alert tcp any any -> any any (rulestest_payload:a; rulestest_flag:x; "
                       "sid:23;)"),
            "test.rules:7: sid 23: keyword 'rulestest_flag' takes no value");
  EXPECT_EQ(failure_of("alert tcp any any -> any any (rulestest_payload; sid:24;)"),
            "test.rules:7: sid 24: keyword 'rulestest_payload' needs a value");
  EXPECT_EQ(failure_of("alert tcp any any -> any any (rulestest_payload:; sid:24;)"),
            "test.rules:7: sid 24: keyword 'rulestest_payload' needs a value");
  Parsed setup = parse("alert tcp any any -> any any (rulestest_flag; sid:25;)");
  EXPECT_EQ(format_failure(setup.failure),
            "test.rules:7: sid 25: rulestest_flag: needs a preceding payload keyword");
  EXPECT_EQ(setup.failure.keyword, "rulestest_flag");
  EXPECT_FALSE(setup.failure.unsupported);
  EXPECT_EQ(failure_of("alert tcp any any -> any any (rulestest_throws; sid:26;)"),
            "test.rules:7: sid 26: rulestest_throws: stoul");

  // Aliases resolve to the descriptor; failures name the canonical keyword.
  const KeywordDescriptor* d = find_keyword("rulestest_payload_alias");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->name, "rulestest_payload");
  EXPECT_EQ(find_keyword("RuleSTest_Payload"), d);
  EXPECT_EQ(find_keyword("no_such_keyword"), nullptr);
  // Duplicate registration is refused, the first one stays.
  EXPECT_FALSE(register_keyword({.name = "rulestest_payload"}));
  EXPECT_FALSE(register_keyword({.name = "other", .aliases = {"rulestest_payload_alias"}}));
  EXPECT_EQ(find_keyword("other"), nullptr);
  auto all = all_keywords();
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end(), [](auto* a, auto* b) { return a->name < b->name; }));
  EXPECT_NE(std::find(all.begin(), all.end(), d), all.end());
}

const FakePayload& payload_at(const BufferInspection& b, size_t i) {
  return dynamic_cast<const FakePayload&>(*b.matchers.at(i));
}

TEST(RuleBuilder, DefaultBufferIsPktData) {
  Parsed p = parse(
      "alert tcp any any -> any any (rulestest_payload:a; rulestest_flag; rulestest_payload:b; "
      "sid:30;)");
  ASSERT_NE(p.rule, nullptr) << p.failure.reason;
  ASSERT_EQ(p.rule->inspections.size(), 1u);
  EXPECT_EQ(p.rule->inspections[0].buffer_id, kPktDataBuffer);
  ASSERT_EQ(p.rule->inspections[0].matchers.size(), 2u);
  EXPECT_EQ(payload_at(p.rule->inspections[0], 1).value, "b");
}

TEST(RuleBuilder, StickyBuffersAndReturningToABuffer) {
  Parsed p = parse(
      "alert tcp any any -> any any (rulestest_payload:p; rulestest_buf1; rulestest_payload:a; "
      "rulestest_buf2; rulestest_payload:b; rulestest_buf1; rulestest_payload:c; "
      "rulestest_pkt_data; rulestest_payload:q; sid:31;)");
  ASSERT_NE(p.rule, nullptr) << p.failure.reason;
  const auto& ins = p.rule->inspections;
  ASSERT_EQ(ins.size(), 3u);
  EXPECT_EQ(ins[0].buffer_id, kPktDataBuffer);
  ASSERT_EQ(ins[0].matchers.size(), 2u);
  EXPECT_EQ(payload_at(ins[0], 1).value, "q");
  EXPECT_EQ(ins[1].buffer_id, 101);
  ASSERT_EQ(ins[1].matchers.size(), 2u);
  EXPECT_EQ(payload_at(ins[1], 0).value, "a");
  EXPECT_EQ(payload_at(ins[1], 1).value, "c");
  EXPECT_EQ(ins[2].buffer_id, 102);
  EXPECT_EQ(ins[2].matchers.size(), 1u);
}

TEST(RuleBuilder, Transforms) {
  Parsed p = parse(
      "alert tcp any any -> any any (rulestest_buf1; rulestest_xform; rulestest_payload:a; "
      "sid:32;)");
  ASSERT_NE(p.rule, nullptr) << p.failure.reason;
  ASSERT_EQ(p.rule->inspections.size(), 1u);
  ASSERT_EQ(p.rule->inspections[0].transforms.size(), 1u);
  EXPECT_EQ(p.rule->inspections[0].transforms[0]->name(), "rulestest_xform");

  // A transform after matches on the same buffer starts a separate,
  // transformed inspection; coming back to the buffer uses the plain one.
  Parsed split = parse(
      "alert tcp any any -> any any (rulestest_buf1; rulestest_payload:a; rulestest_xform; "
      "rulestest_payload:b; rulestest_buf1; rulestest_payload:c; sid:33;)");
  ASSERT_NE(split.rule, nullptr) << split.failure.reason;
  const auto& ins = split.rule->inspections;
  ASSERT_EQ(ins.size(), 2u);
  EXPECT_TRUE(ins[0].transforms.empty());
  ASSERT_EQ(ins[0].matchers.size(), 2u);
  EXPECT_EQ(payload_at(ins[0], 1).value, "c");
  EXPECT_EQ(ins[1].transforms.size(), 1u);
  EXPECT_EQ(payload_at(ins[1], 0).value, "b");

  EXPECT_EQ(failure_of("alert tcp any any -> any any (rulestest_xform; rulestest_payload:a; "
                       "sid:34;)"),
            "test.rules:7: sid 34: rulestest_xform: transforms must directly follow a sticky "
            "buffer");
  EXPECT_EQ(failure_of("alert tcp any any -> any any (rulestest_buf1; rulestest_pkt_data; "
                       "rulestest_xform; sid:35;)"),
            "test.rules:7: sid 35: rulestest_xform: transforms must directly follow a sticky "
            "buffer");
  EXPECT_EQ(failure_of("alert tcp any any -> any any (rulestest_buf1; sid:36;)"),
            "test.rules:7: sid 36: a sticky buffer is selected but no payload keyword inspects "
            "it");
}

TEST(RuleBuilder, ByteVariables) {
  Parsed p = parse(
      "alert tcp any any -> any any (rulestest_var:one; rulestest_var:two; rulestest_var:one; "
      "sid:37;)");
  ASSERT_NE(p.rule, nullptr) << p.failure.reason;
  EXPECT_EQ(p.rule->byte_var_count, 2u);
  Rule r;
  RuleLoadContext c;
  RuleBuilder b(r, c);
  EXPECT_EQ(b.define_byte_var("x"), 0u);
  EXPECT_EQ(b.define_byte_var("y"), 1u);
  uint32_t slot = 99;
  EXPECT_TRUE(b.find_byte_var("y", slot));
  EXPECT_EQ(slot, 1u);
  EXPECT_FALSE(b.find_byte_var("z", slot));
  EXPECT_EQ(b.last_payload(), nullptr);
  EXPECT_FALSE(b.has_explicit_buffer());
}

class RuleFile : public ::testing::Test {
 protected:
  std::string write(const std::string& body) {
    path_ = ::testing::TempDir() + "rulestest_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".rules";
    std::ofstream(path_, std::ios::binary) << body;
    return path_;
  }
  void TearDown() override {
    if (!path_.empty()) std::remove(path_.c_str());
  }
  std::string path_;
};

TEST_F(RuleFile, CommentsBlankLinesMultiLineAndFailures) {
  std::string path = write(
      "# a comment\n"
      "\n"
      "   \t\n"
      "#alert tcp any any -> any any (sid:999;)\n"
      "alert tcp any any -> any any (msg:\"one\"; sid:1;)\n"
      "alert tcp any any -> any any (msg:\"two\"; \\\n"
      "    rulestest_payload:ab\\\n"
      "cd; sid:2;)\r\n"
      "alert tcp any any -> any any (bogus; sid:3;)\n"
      "  alert udp any any -> any any (sid:4;)   \n"
      "alert tcp any any -> any any (msg:\"last\"; \\\n"
      "sid:5;)\n");
  RuleLoadContext c;
  std::vector<std::unique_ptr<Rule>> rules;
  std::vector<RuleFailure> failures;
  ASSERT_TRUE(load_rule_file(path, c, rules, failures));
  ASSERT_EQ(rules.size(), 4u);
  EXPECT_EQ(rules[0]->sid, 1u);
  EXPECT_EQ(rules[0]->line, 5);
  EXPECT_EQ(rules[1]->sid, 2u);
  EXPECT_EQ(rules[1]->line, 6);
  EXPECT_EQ(rules[1]->msg, "two");
  // The backslash and line break vanish; leading spaces of the next line stay.
  EXPECT_EQ(rules[1]->text,
            "alert tcp any any -> any any (msg:\"two\";     rulestest_payload:abcd; sid:2;)");
  EXPECT_EQ(payload_at(rules[1]->inspections[0], 0).value, "abcd");
  EXPECT_EQ(rules[2]->sid, 4u);
  EXPECT_EQ(rules[2]->line, 10);
  EXPECT_EQ(rules[3]->sid, 5u);
  EXPECT_EQ(rules[3]->line, 11);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(format_failure(failures[0]), path + ":9: sid 3: unknown keyword 'bogus'");
}

TEST_F(RuleFile, MissingFile) {
  RuleLoadContext c;
  std::vector<std::unique_ptr<Rule>> rules;
  std::vector<RuleFailure> failures;
  EXPECT_FALSE(load_rule_file("/nonexistent/x.rules", c, rules, failures));
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(format_failure(failures[0]),
            "/nonexistent/x.rules:0: sid ?: cannot read rule file: No such file or directory");
}

}  // namespace
}  // namespace seawall::detect
