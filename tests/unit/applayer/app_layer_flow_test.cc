// The app-layer driver with a small line protocol registered by the test:
// protocol detection (port first, then content; buffering across chunks;
// failure), transaction hand-over (inspection per completed direction,
// one record per transaction, flow-end flush) and state reuse.
#include "applayer/app_layer_flow.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "flow/flow.h"
#include "output/eve/json_writer.h"

namespace seawall::applayer {
namespace {

// "HELLO <word>\n" from the client opens a transaction; "OK\n" from the
// server completes it. Anything else after detection is a parse error.
struct LineTx : Transaction {
  std::string word;
};

class LineState final : public ProtocolState {
 public:
  ParseResult parse(Direction dir, ByteView data, const ParseContext&) override {
    std::string& buf = pending_[dir_index(dir)];
    buf.append(reinterpret_cast<const char*>(data.data()), data.size());
    size_t nl;
    while ((nl = buf.find('\n')) != std::string::npos) {
      const std::string line = buf.substr(0, nl);
      buf.erase(0, nl + 1);
      if (dir == Direction::kToServer) {
        if (line.rfind("HELLO ", 0) != 0) return ParseResult::kError;
        auto& tx = txs_.emplace_back();
        tx.id = next_id_++;
        tx.word = line.substr(6);
        tx.complete[0] = true;
        if (tx.word == "bad") tx.add_event("bad_word");
      } else {
        if (line != "OK") return ParseResult::kError;
        for (auto& tx : txs_) {
          if (!tx.complete[1]) {
            tx.complete[1] = true;
            break;
          }
        }
      }
    }
    return ParseResult::kOk;
  }
  size_t tx_count() const override { return txs_.size(); }
  Transaction* tx_at(size_t i) override { return &txs_[i]; }
  void remove_done() override {
    while (!txs_.empty() && txs_.front().done()) txs_.erase(txs_.begin());
  }

 private:
  std::string pending_[2];
  std::vector<LineTx> txs_;
  uint64_t next_id_ = 0;
};

ProbeResult probe_line(Direction dir, ByteView data) {
  const std::string_view s(reinterpret_cast<const char*>(data.data()), data.size());
  const std::string_view want = dir == Direction::kToServer ? "HELLO " : "OK\n";
  if (s.size() < want.size()) return want.substr(0, s.size()) == s ? ProbeResult::kNeedMore
                                                                    : ProbeResult::kNo;
  return s.substr(0, want.size()) == want ? ProbeResult::kYes : ProbeResult::kNo;
}

void log_line(const ProtocolState&, const Transaction& tx, const LogContext&, JsonWriter& w) {
  w.member("word", static_cast<const LineTx&>(tx).word);
}

const AppProto kLine = register_protocol({
    .name = "testline",
    .help = "test protocol",
    .tcp = true,
    .udp = true,
    .ports = {7777},
    .probe = probe_line,
    .create = [] { return std::unique_ptr<ProtocolState>(std::make_unique<LineState>()); },
    .eve_type = "testline",
    .log = log_line,
});

uint64_t counter(const ThreadCounters& c, std::string_view name) {
  const auto& all = all_counters();
  for (size_t i = 0; i < all.size(); ++i)
    if (all[i].name == name) return c.get_index(i);
  ADD_FAILURE() << "no counter " << name;
  return 0;
}

struct Event {
  std::string kind;  // "inspect", "log", "events"
  uint64_t tx = 0;
  int dir = 0;
  std::string word;
  bool with_packet = false;
};

class RecordingSink final : public AppLayerSink {
 public:
  void inspect_tx(Flow&, Packet* p, AppProto proto, const ProtocolState&, const Transaction& tx,
                  Direction dir) override {
    EXPECT_EQ(proto, kLine);
    events.push_back({"inspect", tx.id, dir_index(dir), static_cast<const LineTx&>(tx).word,
                      p != nullptr});
  }
  void log_tx(Flow&, Packet* p, AppProto, const ProtocolState& state, const Transaction& tx,
              const LogContext& ctx) override {
    std::string json;
    JsonWriter w(json);
    w.begin_object();
    log_line(state, tx, ctx, w);
    w.end_object();
    w.sync();
    events.push_back({"log", tx.id, dir_index(ctx.dir), json, p != nullptr});
  }
  void tx_events(Flow&, Packet*, AppProto, const Transaction& tx) override {
    events.push_back({"events", tx.id, 0, std::string(tx.events[0]), false});
  }
  std::vector<Event> events;
};

class AppLayerTest : public ::testing::Test {
 protected:
  AppLayerTest() : app_(AppLayerConfig{}, counters_) {
    flow_.key.proto = 6;
    flow_.key.sport = 40000;
    flow_.key.dport = 7777;
    packet_.flow = &flow_;
  }
  void client(std::string_view s) { send(Direction::kToServer, s); }
  void server(std::string_view s) { send(Direction::kToClient, s); }
  void send(Direction d, std::string_view s) {
    packet_.to_server = d == Direction::kToServer;
    app_.on_stream_data(flow_, &packet_, d,
                        ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size()), sink_);
  }
  ThreadCounters counters_;
  AppLayer app_;
  Flow flow_;
  Packet packet_;
  RecordingSink sink_;
};

TEST_F(AppLayerTest, DetectsOnServerPortAndHandsOverTransactions) {
  client("HELLO world\n");
  ASSERT_EQ(flow_.app_proto, kLine);
  EXPECT_EQ(flow_.app_proto_ts, kLine);
  ASSERT_EQ(sink_.events.size(), 1u);
  EXPECT_EQ(sink_.events[0].kind, "inspect");
  EXPECT_EQ(sink_.events[0].dir, 0);
  EXPECT_EQ(sink_.events[0].word, "world");
  server("OK\n");
  ASSERT_EQ(sink_.events.size(), 3u);
  EXPECT_EQ(sink_.events[1].kind, "inspect");
  EXPECT_EQ(sink_.events[1].dir, 1);
  EXPECT_EQ(sink_.events[2].kind, "log");
  EXPECT_EQ(sink_.events[2].word, R"({"word":"world"})");
  app_.end_flow(flow_, sink_);
  EXPECT_EQ(sink_.events.size(), 3u) << "nothing left to hand over at flow end";
  EXPECT_EQ(flow_.app, nullptr);
}

TEST_F(AppLayerTest, BuffersUntilTheProbeDecides) {
  flow_.key.dport = 12345;  // not the protocol's port: content probing
  client("HEL");
  EXPECT_EQ(flow_.app_proto, kAppProtoUnknown);
  client("LO a\nHELLO b\n");
  ASSERT_EQ(flow_.app_proto, kLine);
  ASSERT_EQ(sink_.events.size(), 2u) << "both buffered requests are parsed";
  EXPECT_EQ(sink_.events[0].word, "a");
  EXPECT_EQ(sink_.events[1].word, "b");
}

TEST_F(AppLayerTest, OtherProtocolFailsDetection) {
  flow_.key.dport = 12345;
  client("GET / HTTP/1.1\r\n");
  server("HTTP/1.1 200 OK\r\n");
  EXPECT_EQ(flow_.app_proto, kAppProtoFailed);
  EXPECT_TRUE(sink_.events.empty());
}

TEST_F(AppLayerTest, FlowEndFlushesIncompleteTransactions) {
  client("HELLO one\nHELLO two\n");
  server("OK\n");
  sink_.events.clear();
  app_.end_flow(flow_, sink_);
  // "two" had no response: its to-client side is never inspected (no data),
  // but the transaction is logged at flow end, without a packet.
  ASSERT_EQ(sink_.events.size(), 1u);
  EXPECT_EQ(sink_.events[0].kind, "log");
  EXPECT_EQ(sink_.events[0].tx, 1u);
  EXPECT_FALSE(sink_.events[0].with_packet);
}

TEST_F(AppLayerTest, ParseErrorStopsTheFlowButKeepsWhatWasParsed) {
  client("HELLO x\n");
  server("WHAT\n");
  server("OK\n");
  EXPECT_EQ(counter(counters_, "app_layer.parse_errors"), 1u);
  sink_.events.clear();
  app_.end_flow(flow_, sink_);
  ASSERT_EQ(sink_.events.size(), 1u);
  EXPECT_EQ(sink_.events[0].kind, "log");
}

TEST_F(AppLayerTest, TransactionEventsAreHandedOverOnce) {
  client("HELLO bad\n");
  server("OK\n");
  int events = 0;
  for (const Event& e : sink_.events) events += e.kind == "events";
  EXPECT_EQ(events, 1);
}

TEST_F(AppLayerTest, UdpDatagramsAreProbedOneByOne) {
  flow_.key.proto = 17;
  packet_.ip_proto = 17;
  packet_.has_ports = true;
  packet_.to_server = true;
  const std::string q = "HELLO udp\n";
  packet_.payload = reinterpret_cast<const uint8_t*>(q.data());
  packet_.payload_len = static_cast<uint32_t>(q.size());
  app_.on_udp(flow_, packet_, sink_);
  ASSERT_EQ(flow_.app_proto, kLine);
  ASSERT_EQ(sink_.events.size(), 1u);
  EXPECT_EQ(sink_.events[0].word, "udp");
}

TEST_F(AppLayerTest, DisabledProtocolIsNotDetected) {
  AppLayerConfig config;
  config.disabled = {"testline"};
  AppLayer app(config, counters_);
  EXPECT_FALSE(app.enabled(kLine));
  packet_.to_server = true;
  const std::string s = "HELLO x\n";
  app.on_stream_data(flow_, &packet_, Direction::kToServer,
                     ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size()), sink_);
  EXPECT_NE(flow_.app_proto, kLine);
  app.end_flow(flow_, sink_);
}

TEST_F(AppLayerTest, StatesAreReusedAcrossFlows) {
  for (int i = 0; i < 1000; ++i) {
    Flow f;
    f.key = flow_.key;
    packet_.flow = &f;
    packet_.to_server = true;
    const std::string s = "HELLO " + std::to_string(i) + "\n";
    app_.on_stream_data(f, &packet_, Direction::kToServer,
                        ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size()), sink_);
    ASSERT_NE(f.app, nullptr);
    app_.end_flow(f, sink_);
    ASSERT_EQ(f.app, nullptr);
  }
  EXPECT_EQ(counter(counters_, "app_layer.flows_detected"), 1000u);
}

}  // namespace
}  // namespace seawall::applayer
