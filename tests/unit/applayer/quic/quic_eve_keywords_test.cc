// Registration, the EVE "quic" object (member order as Suricata's logger,
// validated against the corpus eve-schema.json) and the quic.* sticky
// buffers through the real detection engine.
#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>

#include "applayer/quic/quic_parser.h"
#include "detect/buffers/buffer_registry.h"
#include "detect/engine/detect_engine.h"
#include "flow/flow.h"
#include "output/eve/json_writer.h"
#include "quic_test_util.h"

namespace seawall::quic {

extern const char kV1ClientInitial[];
extern const char kV1ServerInitial[];
extern const char kV2ClientInitial[];
extern const char kV2ServerInitial[];

namespace {

using applayer::Direction;
using test::hex;

std::string eve_object(const QuicState& state, const QuicTx& tx) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  log_tx(state, tx, {}, w);
  w.end_object();
  w.sync();
  return out;
}

TEST(QuicProtocol, Registered) {
  const AppProto id = find_app_proto("quic");
  ASSERT_NE(id, kAppProtoUnknown);
  EXPECT_EQ(app_proto_id(), id);
  const applayer::ProtocolDescriptor* d = applayer::protocol_descriptor(id);
  ASSERT_NE(d, nullptr);
  EXPECT_TRUE(d->udp);
  EXPECT_FALSE(d->tcp);
  EXPECT_EQ(d->ports, std::vector<uint16_t>{443});
  EXPECT_EQ(d->eve_type, "quic");
  EXPECT_NE(d->log, nullptr);
  ASSERT_NE(d->create, nullptr);
  EXPECT_NE(dynamic_cast<QuicState*>(d->create().get()), nullptr);
  const test::Bytes initial = hex(kV1ClientInitial);
  EXPECT_EQ(d->probe(Direction::kToServer, test::view(initial)), applayer::ProbeResult::kYes);
}

TEST(QuicEve, ServerObjectExact) {
  auto state = test::feed({{true, hex(kV1ClientInitial)}, {false, hex(kV1ServerInitial)}});
  const QuicTx* server = test::find_tx(*state, Direction::kToClient);
  ASSERT_NE(server, nullptr);
  // JA3S string from the RFC 9001 A.3 ServerHello; its MD5 computed independently.
  EXPECT_EQ(eve_object(*state, *server),
            R"({"version":"1","ja3s":{"hash":"eb1d94daa7e0344597e756a1fb6e7054",)"
            R"("string":"771,4865,51-43"},"extensions":[{"name":"key_share","type":51},)"
            R"({"name":"supported_versions","type":43}]})");
}

TEST(QuicEve, ClientObjectMembersInSuricataOrder) {
  auto state = test::feed({{true, hex(kV2ClientInitial)}});
  const QuicTx* client = test::find_tx(*state, Direction::kToServer);
  ASSERT_NE(client, nullptr);
  const std::string json = eve_object(*state, *client);
  const std::string prefix =
      R"({"version":"6b3343cf","sni":"example.com","ja3":{"hash":"41bc9ae914d6cb3bd0bd0a5453ab7d7f",)"
      R"("string":"771,4865-4866,0-65281-10-16-5-51-43-13-45-28-57,29-23-24,"},)"
      R"("ja4":"q13d0211an_62ed6f6ca7ad_4d634acda6c0","extensions":[)"
      R"({"name":"server_name","type":0,"values":["example.com"]},)"
      R"({"name":"renegotiation_info","type":65281},{"name":"supported_groups","type":10},)"
      R"({"name":"alpn","type":16,"values":["alpn"]},)";
  EXPECT_EQ(json.substr(0, prefix.size()), prefix);
  EXPECT_NE(json.find(R"({"name":"quic_transport_parameters","type":57}]})"), std::string::npos)
      << json;
}

TEST(QuicEve, GquicUaAndCyu) {
  QuicState state;
  QuicTx tx;
  tx.has_version = true;
  tx.version = 0x51303436;
  tx.ua = "UA\x01";
  tx.cyu.push_back({"46,PAD-SNI", "0123"});
  EXPECT_EQ(eve_object(state, tx),
            R"({"version":"Q046","ua":"UA\u0001","cyu":[{"hash":"0123","string":"46,PAD-SNI"}]})");
}

// The objects validate against the "quic" definition of the corpus EVE schema.
TEST(QuicEve, ValidatesAgainstEveSchema) {
  const std::string schema = std::string(SEAWALL_CORPUS_DIR) + "/eve-schema.json";
  if (access(schema.c_str(), R_OK) != 0) GTEST_SKIP() << "corpus not found at " << schema;
  if (test::run("python3 -c 'import jsonschema' 2>&1 && echo ok").find("ok") == std::string::npos)
    GTEST_SKIP() << "python3 jsonschema not available";
  auto state = test::feed({{true, hex(kV1ClientInitial)}, {false, hex(kV1ServerInitial)}});
  const std::string path = ::testing::TempDir() + "seawall_quic_eve.jsonl";
  {
    std::ofstream f(path);
    for (size_t i = 0; i < state->tx_count(); ++i) f << eve_object(*state, *state->tx(i)) << "\n";
    QuicTx g;
    g.has_version = true;
    g.version = 0x51303433;
    g.ua = "ua";
    g.sni = "s";
    g.cyu.push_back({"43,SNI", "abc"});
    f << eve_object(*state, g) << "\n";
  }
  const std::string script =
      "import json,sys,jsonschema\n"
      "s=json.load(open(sys.argv[1]))['properties']['quic']\n"
      "n=0\n"
      "for line in open(sys.argv[2]):\n"
      "  jsonschema.validate(json.loads(line), s); n+=1\n"
      "print('valid', n)\n";
  const std::string script_path = ::testing::TempDir() + "seawall_quic_eve.py";
  std::ofstream(script_path) << script;
  const std::string out = test::run("python3 " + script_path + " " + schema + " " + path + " 2>&1");
  EXPECT_EQ(out, "valid 3\n");
}

// --- sticky buffers through the detection engine ----------------------------

struct Engine {
  std::unique_ptr<detect::DetectEngine> engine;
  detect::LoadReport report;
  ThreadCounters counters;
  std::unique_ptr<detect::DetectThread> thread;
  explicit Engine(std::vector<std::string> rules) {
    detect::DetectConfig config;
    config.rule_texts = std::move(rules);
    engine = detect::DetectEngine::load(config, report);
    for (const auto& f : report.failures) ADD_FAILURE() << f.reason << " in " << f.text;
    thread = std::make_unique<detect::DetectThread>(*engine, counters);
  }
  std::vector<uint32_t> run(const QuicTx& tx, uint8_t dir) {
    Packet p;
    p.ip_version = 4;
    p.src = IpAddress::parse(dir == 0 ? "10.0.0.1" : "10.0.0.2");
    p.dst = IpAddress::parse(dir == 0 ? "10.0.0.2" : "10.0.0.1");
    p.ip_proto = 17;
    p.has_ports = true;
    p.sport = dir == 0 ? 51000 : 443;
    p.dport = dir == 0 ? 443 : 51000;
    p.to_server = dir == 0;
    // App-layer rules only see flows identified as their protocol.
    Flow flow;
    flow.app_proto = app_proto_id();
    p.flow = &flow;
    detect::PacketAlerts alerts;
    thread->inspect_tx(p, app_proto_id(), tx, tx.id, dir, alerts);
    std::vector<uint32_t> sids;
    for (uint8_t i = 0; i < alerts.count; ++i) sids.push_back(alerts.alerts[i].rule->sid);
    return sids;
  }
};

TEST(QuicKeywords, BuffersReplacePlaceholders) {
  for (const char* name :
       {"quic.sni", "quic.version", "quic.ua", "quic.cyu.hash", "quic.cyu.string"}) {
    const detect::BufferDescriptor* b = detect::find_buffer(name);
    ASSERT_NE(b, nullptr) << name;
    EXPECT_TRUE(b->unsupported_reason.empty()) << name;
    EXPECT_TRUE(b->get != nullptr || b->get_multi != nullptr) << name;
    EXPECT_EQ(b->app_proto, "quic");
  }
}

TEST(QuicKeywords, SniAndVersionRules) {
  Engine e({R"(alert quic any any -> any any (msg:"sni"; quic.sni; content:"example.com"; sid:1;))",
            R"(alert quic any any -> any any (msg:"v1"; quic.version; content:"|00 00 00 01|"; sid:2;))",
            R"(alert quic any any -> any any (msg:"v2"; quic.version; content:"|6b 33 43 cf|"; sid:3;))",
            R"(alert quic any any -> any any (msg:"other"; quic.sni; content:"example.org"; sid:4;))"});
  ASSERT_EQ(e.report.loaded, 4u);
  auto v1 = test::feed({{true, hex(kV1ClientInitial)}, {false, hex(kV1ServerInitial)}});
  const QuicTx* client = test::find_tx(*v1, Direction::kToServer);
  const QuicTx* server = test::find_tx(*v1, Direction::kToClient);
  EXPECT_EQ(e.run(*client, 0), (std::vector<uint32_t>{1, 2}));
  // The client's SNI belongs to the to-server inspection only.
  EXPECT_EQ(e.run(*client, 1), std::vector<uint32_t>{});
  EXPECT_EQ(e.run(*server, 1), (std::vector<uint32_t>{2}));
  auto v2 = test::feed({{true, hex(kV2ClientInitial)}});
  EXPECT_EQ(e.run(*v2->tx(0), 0), (std::vector<uint32_t>{1, 3}));
}

TEST(QuicKeywords, GquicUaAndCyuRules) {
  Engine e({R"(alert quic any any -> any any (msg:"ua"; quic.ua; content:"Chrome/"; sid:10;))",
            R"(alert quic any any -> any any (msg:"cyu"; quic.cyu.hash; content:"a46560d4548108cf99308319b3b85346"; sid:11;))",
            R"(alert quic any any -> any any (msg:"cyus"; quic.cyu.string; content:"46,PAD-SNI"; startswith; sid:12;))"});
  QuicTx tx;
  tx.has_version = true;
  tx.version = 0x51303436;
  tx.ua = "Chrome/79";
  tx.cyu.push_back({"46,PAD-SNI-STK", "a46560d4548108cf99308319b3b85346"});
  EXPECT_EQ(e.run(tx, 0), (std::vector<uint32_t>{10, 11, 12}));
  tx.cyu.clear();
  tx.ua = "curl";
  EXPECT_EQ(e.run(tx, 0), std::vector<uint32_t>{});
}

}  // namespace
}  // namespace seawall::quic
