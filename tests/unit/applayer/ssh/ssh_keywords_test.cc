// SSH buffers and keywords through the real rule parser, evaluated on
// transactions from hand-built sessions and corpus captures.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "applayer/ssh/ssh_parser.h"
#include "detect/buffers/buffer_registry.h"
#include "detect/engine/inspect.h"
#include "detect/rules/rule_parser.h"
#include "ssh_test_util.h"

namespace seawall::applayer::ssh {
namespace {

using namespace test;
using detect::MatchContext;

constexpr Direction kTs = Direction::kToServer;
constexpr Direction kTc = Direction::kToClient;

detect::DetectThread& no_thread() {
  // The SSH getters and keywords never touch the DetectThread.
  alignas(detect::DetectThread) static unsigned char storage[sizeof(detect::DetectThread)] = {};
  return *reinterpret_cast<detect::DetectThread*>(storage);
}

detect::RuleLoadContext load_context() {
  detect::RuleLoadContext c;
  c.address_vars["HOME_NET"] = "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]";
  c.address_vars["EXTERNAL_NET"] = "!$HOME_NET";
  c.port_vars["SSH_PORTS"] = "22";
  c.port_vars["HTTP_PORTS"] = "80";
  return c;
}

std::unique_ptr<detect::Rule> parse(const std::string& text, detect::RuleFailure* failure_out =
                                                                 nullptr) {
  detect::RuleLoadContext ctx = load_context();
  detect::RuleFailure failure;
  auto rule = detect::parse_rule(text, "<test>", 1, ctx, failure);
  if (failure_out != nullptr) *failure_out = failure;
  return rule;
}

// Evaluates a rule's app-layer part on one direction of an SSH transaction,
// the way the engine does for an inspected transaction: packet/app keywords,
// then every buffer inspection through the registered getters.
bool matches(const detect::Rule& rule, const SshTransaction& tx, uint8_t dir,
             AppProto proto = ssh_app_proto()) {
  Packet p;
  MatchContext ctx{p, nullptr, no_thread()};
  ctx.tx = &tx;
  ctx.tx_proto = proto;
  ctx.tx_dir = dir;
  if (rule.app_keyword_dir != 0 && rule.app_keyword_dir != dir + 1) return false;
  for (const auto& m : rule.packet_matchers)
    if (!m->match(ctx)) return false;
  std::vector<int64_t> vars(rule.byte_var_count + 1, 0);
  for (const auto& insp : rule.inspections) {
    const detect::BufferDescriptor& d = detect::buffer_descriptor(insp.buffer_id);
    if (d.direction == detect::BufferDirection::kToServer && dir != 0) return false;
    if (d.direction == detect::BufferDirection::kToClient && dir != 1) return false;
    ByteView data;
    if (d.get == nullptr || !d.get(ctx, data)) return false;
    if (!detect::inspect_buffer(ctx, insp, data.data(), static_cast<uint32_t>(data.size()),
                                vars.data()))
      return false;
  }
  return true;
}

std::unique_ptr<SshState> session() {
  auto st = std::make_unique<SshState>();
  feed(*st, kTs, client_stream());
  feed(*st, kTc, server_stream());
  return st;
}

TEST(SshBuffers, ReplaceThePlaceholders) {
  for (const char* name : {"ssh.proto", "ssh.software", "ssh.hassh", "ssh.hassh.string",
                           "ssh.hassh.server", "ssh.hassh.server.string"}) {
    const detect::BufferDescriptor* b = detect::find_buffer(name);
    ASSERT_NE(b, nullptr) << name;
    EXPECT_TRUE(b->unsupported_reason.empty()) << name;
    EXPECT_NE(b->get, nullptr) << name;
    EXPECT_EQ(b->app_proto, "ssh");
    const detect::KeywordDescriptor* k = detect::find_keyword(name);
    ASSERT_NE(k, nullptr) << name;
    EXPECT_EQ(k->kind, detect::KeywordKind::kStickyBuffer);
    EXPECT_TRUE(k->unsupported_reason.empty()) << name;
  }
  EXPECT_EQ(detect::find_buffer("ssh_proto"), detect::find_buffer("ssh.proto"));
  EXPECT_EQ(detect::find_buffer("ssh_software"), detect::find_buffer("ssh.software"));
  EXPECT_TRUE(detect::find_keyword("ssh_proto")->unsupported_reason.empty());
  EXPECT_TRUE(detect::find_keyword("ssh_software")->unsupported_reason.empty());
  EXPECT_EQ(detect::find_buffer("ssh.hassh")->direction, detect::BufferDirection::kToServer);
  EXPECT_EQ(detect::find_buffer("ssh.hassh.server.string")->direction,
            detect::BufferDirection::kToClient);
  for (const char* kw : {"ssh.protoversion", "ssh.softwareversion"}) {
    const detect::KeywordDescriptor* k = detect::find_keyword(kw);
    ASSERT_NE(k, nullptr) << kw;
    EXPECT_TRUE(k->unsupported_reason.empty());
  }
}

TEST(SshBuffers, GettersFollowTheInspectedDirection) {
  const auto st = session();
  const SshTransaction& tx = st->transaction();
  Packet p;
  MatchContext ctx{p, nullptr, no_thread()};
  ctx.tx = &tx;
  ctx.tx_proto = ssh_app_proto();
  auto get = [&](const char* name, uint8_t dir, std::string& out) {
    ctx.tx_dir = dir;
    ByteView v;
    if (!detect::find_buffer(name)->get(ctx, v)) return false;
    out.assign(reinterpret_cast<const char*>(v.data()), v.size());
    return true;
  };
  std::string v;
  ASSERT_TRUE(get("ssh.proto", 0, v));
  EXPECT_EQ(v, "2.0");
  ASSERT_TRUE(get("ssh.proto", 1, v));
  EXPECT_EQ(v, "1.99");
  ASSERT_TRUE(get("ssh.software", 1, v));
  EXPECT_EQ(v, "Cisco-1.25");
  ASSERT_TRUE(get("ssh.hassh", 0, v));
  EXPECT_EQ(v, tx.client.hassh);
  ASSERT_TRUE(get("ssh.hassh.string", 0, v));
  EXPECT_EQ(v, tx.client.hassh_string);
  ASSERT_TRUE(get("ssh.hassh.server", 1, v));
  EXPECT_EQ(v, tx.server.hassh);
  ASSERT_TRUE(get("ssh.hassh.server.string", 1, v));
  EXPECT_EQ(v, tx.server.hassh_string);
  EXPECT_FALSE(get("ssh.hassh", 1, v));         // client fingerprint only to server
  EXPECT_FALSE(get("ssh.hassh.server", 0, v));
  // Another protocol's transaction, or none, is never read as SSH.
  ctx.tx_proto = kAppProtoFailed;
  EXPECT_FALSE(get("ssh.proto", 0, v));
  ctx.tx_proto = ssh_app_proto();
  ctx.tx = nullptr;
  EXPECT_FALSE(get("ssh.proto", 0, v));
  // Nothing parsed yet: no buffer.
  SshState empty;
  ctx.tx = &empty.transaction();
  EXPECT_FALSE(get("ssh.software", 0, v));
  EXPECT_FALSE(get("ssh.hassh", 0, v));
}

TEST(SshKeywords, StickyBuffersAndAliases) {
  const auto st = session();
  const SshTransaction& tx = st->transaction();
  auto r1 = parse("alert ssh any any -> any any (ssh_proto; content:\"1.99\"; sid:1;)");
  ASSERT_NE(r1, nullptr);
  EXPECT_FALSE(matches(*r1, tx, 0));
  EXPECT_TRUE(matches(*r1, tx, 1));
  auto r2 = parse("alert ssh any any -> any any (ssh_software; content:\"openssh\"; nocase; "
                  "sid:2;)");
  ASSERT_NE(r2, nullptr);
  EXPECT_TRUE(matches(*r2, tx, 0));
  EXPECT_FALSE(matches(*r2, tx, 1));
  auto r3 = parse("alert ssh any any -> any any (ssh.hassh.string; content:\"curve25519-sha256,"
                  "\"; startswith; ssh.hassh; bsize:32; sid:3;)");
  ASSERT_NE(r3, nullptr);
  EXPECT_TRUE(matches(*r3, tx, 0));
  EXPECT_FALSE(matches(*r3, tx, 1));
  EXPECT_FALSE(matches(*r3, tx, 0, kAppProtoFailed));
}

TEST(SshKeywords, LegacyProtoVersion) {
  // Value forms from Suricata's detect-ssh-proto-version.c and its unit tests.
  for (const char* ok : {"2.0", "2_compat", "\"1.99\"", " 1.10 ", "1."}) {
    detect::RuleFailure f;
    auto r = parse(std::string("alert ssh any any -> any any (ssh.protoversion:") + ok +
                       "; sid:1;)",
                   &f);
    ASSERT_NE(r, nullptr) << ok << ": " << f.reason;
    EXPECT_EQ(r->app_keyword_proto, "ssh");
  }
  for (const char* bad : {"2_com", "\"\"", ".1", "lalala"}) {
    detect::RuleFailure f;
    EXPECT_EQ(parse(std::string("alert ssh any any -> any any (ssh.protoversion:") + bad +
                        "; sid:1;)",
                    &f),
              nullptr)
        << bad;
    EXPECT_FALSE(f.reason.empty());
  }
  SshState st;
  feed(st, kTs, bytes("SSH-2.0-PuTTY_2.123\n"));
  feed(st, kTc, bytes("SSH-1.99-OpenSSH_3.1p1\n"));
  SshState v1;
  feed(v1, kTs, bytes("SSH-1.5-OpenSSH_6.2\n"));
  auto compat = parse("alert ssh any any -> any any (ssh.protoversion:2_compat; sid:1;)");
  EXPECT_TRUE(matches(*compat, st.transaction(), 0));
  EXPECT_TRUE(matches(*compat, st.transaction(), 1));  // 1.99 counts as 2
  EXPECT_FALSE(matches(*compat, v1.transaction(), 0));
  auto exact = parse("alert ssh any any -> any any (ssh.protoversion:1.99; sid:1;)");
  EXPECT_FALSE(matches(*exact, st.transaction(), 0));
  EXPECT_TRUE(matches(*exact, st.transaction(), 1));
  auto prefix = parse("alert ssh any any -> any any (ssh.protoversion:1.; sid:1;)");
  EXPECT_FALSE(matches(*prefix, st.transaction(), 1));  // Suricata 7 compares whole values
}

TEST(SshKeywords, LegacySoftwareVersion) {
  for (const char* ok : {"OpenSSH", "\"SecureCRT-4.0\"", "PuTTY_1.0", "libssh2_1.4.3"}) {
    detect::RuleFailure f;
    ASSERT_NE(parse(std::string("alert ssh any any -> any any (ssh.softwareversion:") + ok +
                        "; sid:1;)",
                    &f),
              nullptr)
        << ok << ": " << f.reason;
  }
  EXPECT_EQ(parse("alert ssh any any -> any any (ssh.softwareversion:\"\"; sid:1;)"), nullptr);
  EXPECT_EQ(parse("alert ssh any any -> any any (ssh.softwareversion:a/b; sid:1;)"), nullptr);
  SshState st;
  feed(st, kTs, bytes("SSH-2.0-PuTTY_2.123\n"));
  feed(st, kTc, bytes("SSH-2.0-OpenSSH_7.4 Debian\n"));
  auto putty = parse("alert ssh any any -> any any (ssh.softwareversion:PuTTY_2.123; sid:1;)");
  EXPECT_TRUE(matches(*putty, st.transaction(), 0));
  EXPECT_FALSE(matches(*putty, st.transaction(), 1));
  auto openssh = parse("alert ssh any any -> any any (ssh.softwareversion:OpenSSH; sid:1;)");
  EXPECT_FALSE(matches(*openssh, st.transaction(), 1));  // exact, not a prefix
  auto openssh74 =
      parse("alert ssh any any -> any any (ssh.softwareversion:OpenSSH_7.4; sid:1;)");
  EXPECT_TRUE(matches(*openssh74, st.transaction(), 1));
}

TEST(SshKeywords, ConflictingProtocolIsAnError) {
  detect::RuleFailure f;
  EXPECT_EQ(parse("alert http any any -> any any (ssh.protoversion:2.0; sid:1;)", &f), nullptr);
  EXPECT_FALSE(f.reason.empty());
  EXPECT_FALSE(f.unsupported);
}

// Suricata-verify rules evaluated on the captures' transactions, with the
// alert counts their test.yaml expects (one inspection per direction).
TEST(SshKeywords, SuricataVerifyRules) {
  const std::string root = corpus_dir() + "/suricata-verify/tests/";
  if (!file_exists(root)) GTEST_SKIP() << "corpus not found at " << root;
  if (!have_tshark()) GTEST_SKIP() << "tshark not found at /usr/bin/tshark";
  size_t checked = 0;
  for (const char* name : {"ssh-banner-only", "ssh-hassh"}) {
    SCOPED_TRACE(name);
    const std::string dir = root + name + "/";
    std::map<uint32_t, std::unique_ptr<detect::Rule>> rules;
    std::ifstream in(dir + "test.rules");
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      detect::RuleFailure f;
      auto r = parse(line, &f);
      ASSERT_NE(r, nullptr) << f.reason;
      const uint32_t sid = r->sid;
      rules[sid] = std::move(r);
    }
    std::map<uint32_t, int> alerts;
    for (const auto& [stream, flow] : load_capture(dir + "input.pcap").flows) {
      const auto st = run_flow(flow);
      for (const auto& [sid, rule] : rules)
        for (uint8_t d : {0, 1})
          if (matches(*rule, st->transaction(), d)) ++alerts[sid];
    }
    // Expected counts: "event_type: alert" filters of test.yaml.
    std::ifstream y(dir + "test.yaml");
    const std::string yaml((std::istreambuf_iterator<char>(y)), std::istreambuf_iterator<char>());
    const std::regex filter(
        "count: *([0-9]+)\\s*match:\\s*event_type: *alert\\s*alert\\.signature_id: *([0-9]+)");
    for (std::sregex_iterator it(yaml.begin(), yaml.end(), filter), end; it != end; ++it) {
      const int count = std::stoi((*it)[1]);
      const uint32_t sid = static_cast<uint32_t>(std::stoul((*it)[2]));
      EXPECT_EQ(alerts[sid], count) << "sid " << sid;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 6u);
}

// Every ET Open rule using SSH keywords or the ssh protocol parses
// (commented-out rules too: they are valid Suricata syntax).
TEST(SshKeywords, EtOpenRulesParse) {
  const std::string dir = corpus_dir() + "/rules/et-open/rules";
  if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << "corpus not found at " << dir;
  const std::regex uses_ssh(
      "(^#?\\s*alert ssh )|([ ;(](ssh\\.(proto|software|hassh|protoversion|softwareversion)"
      "[a-z.]*|ssh_proto|ssh_software)\\s*[;:])");
  size_t seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".rules") continue;
    std::ifstream in(entry.path());
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (line.find("ssh") == std::string::npos || !std::regex_search(line, uses_ssh)) continue;
      std::string text = line;
      while (!text.empty() && (text[0] == '#' || text[0] == ' ')) text.erase(0, 1);
      if (text.rfind("alert", 0) != 0) continue;
      ++seen;
      detect::RuleFailure f;
      auto r = parse(text, &f);
      EXPECT_NE(r, nullptr) << entry.path().filename().string() << ":" << number << ": "
                            << f.reason << "\n"
                            << text;
    }
  }
  std::printf("parsed %zu ET Open rules using ssh\n", seen);
  EXPECT_GE(seen, 9u);  // the ruleset's ssh rules at the corpus snapshot
}

}  // namespace
}  // namespace seawall::applayer::ssh
