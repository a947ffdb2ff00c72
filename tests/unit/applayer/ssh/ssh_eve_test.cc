// The EVE "ssh" object: field names and order of Suricata's logger.rs, the
// records suricata-verify expects for its SSH captures, and the EVE schema.
#include <gtest/gtest.h>

#include <fstream>

#include "applayer/ssh/ssh_parser.h"
#include "ssh_test_util.h"

namespace seawall::applayer::ssh {
namespace {

using namespace test;

constexpr Direction kTs = Direction::kToServer;
constexpr Direction kTc = Direction::kToClient;

std::string full_session_eve() {
  SshState st;
  feed(st, kTs, client_stream());
  feed(st, kTc, server_stream());
  return eve_object(st);
}

TEST(SshEve, HasshIsOffByDefaultAsInSuricata) {
  EXPECT_FALSE(hassh_logging_enabled());
  const std::string eve = full_session_eve();
  EXPECT_EQ(eve.find("hassh"), std::string::npos) << eve;
  EXPECT_EQ(eve,
            "{\"ssh\":{\"client\":{\"proto_version\":\"2.0\",\"software_version\":\"OpenSSH_9.6\"},"
            "\"server\":{\"proto_version\":\"1.99\",\"software_version\":\"Cisco-1.25\"}}}");
}

TEST(SshEve, FieldsAndOrderWithHassh) {
  HasshLoggingScope on(true);
  const std::string eve = full_session_eve();
  // logger.rs order: client{proto_version, software_version, hassh{hash, string}}, server{...}.
  std::string client_md5, server_md5;
  const auto l = client_lists();
  const auto s = server_lists();
  const std::string cs = l[0] + ";" + l[2] + ";" + l[4] + ";" + l[6];
  const std::string ss = s[0] + ";" + s[3] + ";" + s[5] + ";" + s[7];
  md5_hex(cs, client_md5);
  md5_hex(ss, server_md5);
  EXPECT_EQ(eve, "{\"ssh\":{\"client\":{\"proto_version\":\"2.0\",\"software_version\":"
                 "\"OpenSSH_9.6\",\"hassh\":{\"hash\":\"" + client_md5 + "\",\"string\":\"" +
                     cs + "\"}},\"server\":{\"proto_version\":\"1.99\",\"software_version\":"
                          "\"Cisco-1.25\",\"hassh\":{\"hash\":\"" + server_md5 +
                     "\",\"string\":\"" + ss + "\"}}}}");
}

TEST(SshEve, OnlyKnownSidesAndNonEmptyValues) {
  HasshLoggingScope on(true);
  SshState st;
  feed(st, kTs, bytes("SSH-Single-\r\n"));  // empty software version
  const std::string eve = eve_object(st);
  EXPECT_EQ(eve, "{\"ssh\":{\"client\":{\"proto_version\":\"Single\"}}}");
  // Bytes that are not valid JSON text are escaped: the record stays valid.
  SshState odd;
  feed(odd, kTc, bytes("SSH-2.0-\"quoted\"\\\x01\xff\r\n"));
  std::map<std::string, std::string> flat;
  ASSERT_TRUE(JsonFlattener().run(eve_object(odd), flat)) << eve_object(odd);
  EXPECT_EQ(flat["ssh.server.proto_version"], "2.0");
  EXPECT_EQ(flat["ssh.server.software_version"].substr(0, 10), "\"quoted\"\\\x01");
}

// --- suricata-verify expectations ---

struct Filter {
  int count = -1;
  std::map<std::string, std::string> match;
};

std::string unquote(std::string v) {
  while (!v.empty() && (v.back() == ' ' || v.back() == '\r')) v.pop_back();
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front())
    v = v.substr(1, v.size() - 2);
  return v;
}

// The checks of a suricata-verify test.yaml: "- filter:" blocks with a count
// and "match:" key/values (nothing else of the grammar is needed here).
std::vector<Filter> read_filters(const std::string& path) {
  std::vector<Filter> filters;
  std::ifstream in(path);
  std::string line;
  bool in_match = false;
  size_t match_indent = 0;
  while (std::getline(in, line)) {
    const size_t indent = line.find_first_not_of(' ');
    if (indent == std::string::npos) continue;
    const std::string body = line.substr(indent);
    if (body.rfind("#", 0) == 0) continue;
    if (body.rfind("- filter:", 0) == 0) {
      filters.emplace_back();
      in_match = false;
      continue;
    }
    if (filters.empty()) continue;
    if (in_match && indent <= match_indent) in_match = false;
    const size_t colon = body.find(": ");
    if (body == "match:") {
      in_match = true;
      match_indent = indent;
    } else if (in_match && colon != std::string::npos) {
      filters.back().match[body.substr(0, colon)] = unquote(body.substr(colon + 2));
    } else if (colon != std::string::npos && body.substr(0, colon) == "count") {
      filters.back().count = std::atoi(body.substr(colon + 2).c_str());
    }
  }
  return filters;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct VerifyCase {
  const char* dir;
  const char* pcap;
};

constexpr VerifyCase kVerifyCases[] = {
    {"ssh-banner-only", "input.pcap"},
    {"ssh-hassh", "input.pcap"},
    {"ssh-hassh-incomplete", "input.pcap"},
    {"bug-5633-gre-02", "gre-sample.pcap"},
    {"vxlan-decoder-03", "vxlan.pcap"},
};

// Our EVE "ssh" records for every SSH flow of a capture, flattened.
std::vector<std::map<std::string, std::string>> ssh_records(const std::string& pcap) {
  std::vector<std::map<std::string, std::string>> records;
  for (const auto& [stream, flow] : load_capture(pcap).flows) {
    const auto st = run_flow(flow);
    const SshTransaction& tx = st->transaction();
    if (tx.client.proto_version.empty() && tx.server.proto_version.empty()) continue;
    std::map<std::string, std::string> flat;
    const std::string eve = eve_object(*st);
    EXPECT_TRUE(JsonFlattener().run(eve, flat)) << eve;
    flat["event_type"] = "ssh";
    records.push_back(std::move(flat));
  }
  return records;
}

TEST(SshEve, SuricataVerifyExpectations) {
  const std::string root = corpus_dir() + "/suricata-verify/tests/";
  if (!file_exists(root)) GTEST_SKIP() << "corpus not found at " << root;
  if (!have_tshark()) GTEST_SKIP() << "tshark not found at /usr/bin/tshark";
  size_t checked = 0;
  for (const VerifyCase& c : kVerifyCases) {
    SCOPED_TRACE(c.dir);
    const std::string dir = root + c.dir + "/";
    // Suricata logs HASSH when configured (--set app-layer.protocols.ssh.hassh=yes)
    // or when a loaded rule uses an ssh.hassh buffer.
    const bool hassh = read_file(dir + "test.yaml").find("ssh.hassh=yes") != std::string::npos ||
                       read_file(dir + "test.rules").find("ssh.hassh") != std::string::npos;
    HasshLoggingScope scope(hassh);
    const auto records = ssh_records(dir + c.pcap);
    for (const Filter& f : read_filters(dir + "test.yaml")) {
      auto type = f.match.find("event_type");
      if (type == f.match.end() || type->second != "ssh") continue;
      int matched = 0;
      for (const auto& rec : records) {
        bool all = true;
        for (const auto& [key, value] : f.match) {
          if (key.rfind("ssh.", 0) != 0 && key != "event_type") continue;  // flow fields
          auto it = rec.find(key);
          if (it == rec.end() || it->second != value) all = false;
        }
        if (all) ++matched;
      }
      EXPECT_EQ(matched, f.count);
      ++checked;
    }
  }
  EXPECT_GE(checked, 5u);
  std::printf("checked %zu suricata-verify ssh filters\n", checked);
}

TEST(SshEve, ValidatesAgainstEveSchema) {
  const std::string schema = corpus_dir() + "/eve-schema.json";
  if (!file_exists(schema)) GTEST_SKIP() << "corpus not found at " << schema;
  if (run_command("python3 -c 'import jsonschema' 2>&1 && echo ok").find("ok") ==
      std::string::npos)
    GTEST_SKIP() << "python3 jsonschema not available";
  HasshLoggingScope on(true);
  std::vector<std::string> objects = {full_session_eve()};
  {
    SshState st;
    feed(st, kTs, bytes("SSH-Single-\r\n"));
    objects.push_back(eve_object(st));
  }
  const std::string pcap = corpus_dir() + "/suricata-verify/tests/ssh-hassh/input.pcap";
  if (file_exists(pcap) && have_tshark())
    for (const auto& [stream, flow] : load_capture(pcap).flows)
      objects.push_back(eve_object(*run_flow(flow)));
  const std::string tmp = ::testing::TempDir() + "ssh_eve_objects.jsonl";
  {
    std::ofstream out(tmp);
    for (const auto& o : objects) out << o << "\n";
  }
  const std::string script =
      "import json,sys,jsonschema\n"
      "s=json.load(open(sys.argv[1]))\n"
      "v=jsonschema.Draft7Validator(s['properties']['ssh'])\n"
      "n=0\n"
      "for line in open(sys.argv[2]):\n"
      "  o=json.loads(line)['ssh']\n"
      "  for e in v.iter_errors(o): print('INVALID', e.message)\n"
      "  n+=1\n"
      "print('validated', n)\n";
  const std::string py = ::testing::TempDir() + "ssh_eve_validate.py";
  std::ofstream(py) << script;
  const std::string result = run_command("python3 " + py + " " + schema + " " + tmp + " 2>&1");
  EXPECT_EQ(result.find("INVALID"), std::string::npos) << result;
  EXPECT_NE(result.find("validated " + std::to_string(objects.size())), std::string::npos)
      << result;
}

}  // namespace
}  // namespace seawall::applayer::ssh
