// Rules on the reassembled TCP stream: the real reassembler feeds the
// detection engine its raw chunks, as the worker does. Expectations follow
// Suricata's semantics (detect.c DetectRunInspectRulePacketMatches,
// detect-flow.c only_stream/no_stream, tcp-pkt/tcp-stream): a pattern split
// over segments matches in the stream, once; a payload that is part of the
// stream is not matched again as a packet; no_stream / tcp-pkt see packets only.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "detect/engine/detect_engine.h"
#include "flow/flow.h"
#include "stream/tcp_reassembly.h"
#include "test_stream_util.h"

namespace seawall::detect {
namespace {

class StreamRig {
 public:
  explicit StreamRig(std::vector<std::string> rules, uint32_t lookback = 2560) {
    DetectConfig config;
    config.rule_texts = std::move(rules);
    engine_ = DetectEngine::load(config, report_);
    for (const RuleFailure& f : report_.failures) ADD_FAILURE() << f.reason;
    stream::StreamConfig sc;
    sc.raw_inspection = engine_->inspects_raw_stream();
    sc.raw_lookback[0] = sc.raw_lookback[1] = lookback;
    reassembler_ = std::make_unique<stream::TcpReassembler>(sc, counters_);
    thread_ = std::make_unique<DetectThread>(*engine_, counters_);
    flow_.key.proto = 6;
  }
  ~StreamRig() { reassembler_->end_flow(flow_, sink_); }

  // One packet through stream + detection; returns the sids that alerted.
  std::vector<uint32_t> send(bool to_server, uint8_t flags, uint32_t seq, uint32_t ack,
                             std::string data = {}) {
    payloads_.push_back(std::move(data));
    const std::string& d = payloads_.back();
    Packet p = testing::tcp_session_packet(flow_, to_server, flags, seq, ack, d, 21);
    flow_.state = FlowState::kEstablished;
    reassembler_->handle_packet(p, sink_);
    const stream::RawStreamChunk raw = reassembler_->raw_chunk(p);
    PacketAlerts alerts;
    thread_->inspect(p, alerts, &raw);
    last_stream_match_ = alerts.count > 0 && alerts.alerts[0].stream_match;
    std::vector<uint32_t> sids;
    for (uint8_t i = 0; i < alerts.count; ++i) sids.push_back(alerts.alerts[i].rule->sid);
    return sids;
  }
  void handshake() {
    using namespace tcp_flag;
    send(true, kSyn, 100, 0);
    send(false, kSyn | kAck, 500, 101);
    send(true, kAck, 101, 501);
  }
  bool last_stream_match() const { return last_stream_match_; }
  const LoadReport& report() const { return report_; }

 private:
  LoadReport report_;
  std::unique_ptr<DetectEngine> engine_;
  ThreadCounters counters_;
  std::unique_ptr<stream::TcpReassembler> reassembler_;
  std::unique_ptr<DetectThread> thread_;
  testing::NullStreamSink sink_;
  Flow flow_;
  std::vector<std::string> payloads_;  // keeps packet payloads alive
  bool last_stream_match_ = false;
};

using V = std::vector<uint32_t>;
constexpr uint8_t kData = tcp_flag::kAck | tcp_flag::kPsh;

TEST(StreamDetection, PatternSplitOverSegmentsMatchesOnceInTheStream) {
  StreamRig rig({"alert tcp any any -> any any (content:\"USER root\"; sid:1;)"});
  EXPECT_EQ(rig.report().stream_rules, 1u);
  rig.handshake();
  EXPECT_EQ(rig.send(true, kData, 101, 501, "USER"), V{});
  EXPECT_EQ(rig.send(true, kData, 105, 501, " ro"), V{});
  EXPECT_EQ(rig.send(true, kData, 108, 501, "ot\r\n"), V{1});
  EXPECT_TRUE(rig.last_stream_match());
  // The match is still in the lookback: later packets do not repeat it.
  EXPECT_EQ(rig.send(true, kData, 112, 501, "PASS x\r\n"), V{});
  // A second occurrence is a new match.
  EXPECT_EQ(rig.send(true, kData, 120, 501, "USER root\r\n"), V{1});
}

// ET's IRC USER rule on an IRC login (zeek-mix has it): the USER line
// matches on its packet; the NICK line that follows must not re-report the
// same USER through the lookback, though a later "\n" is within reach.
TEST(StreamDetection, LookbackDoesNotReportAMatchAgainWithALaterContinuation) {
  StreamRig rig({"alert tcp any any -> any any (content:\"USER|20|\"; nocase; "
                 "content:\"|203a|\"; within:40; content:\"|0a|\"; within:40; sid:2002023;)"});
  rig.handshake();
  const std::string user = "USER brotest * * :brotest\r\n";
  EXPECT_EQ(rig.send(true, kData, 101, 501, user), V{2002023});
  EXPECT_EQ(rig.send(true, kData, 101 + static_cast<uint32_t>(user.size()), 501,
                     "NICK brotest\r\n"),
            V{});
}

TEST(StreamDetection, RelativeContentAcrossSegments) {
  StreamRig rig({"alert tcp any any -> any any (content:\"cmd=\"; content:\"reboot\"; "
                 "distance:0; within:10; sid:2;)"});
  rig.handshake();
  EXPECT_EQ(rig.send(true, kData, 101, 501, "xx cmd="), V{});
  EXPECT_EQ(rig.send(true, kData, 108, 501, "  reboot"), V{2});
}

TEST(StreamDetection, OutOfOrderSegmentsMatchWhenTheHoleFills) {
  StreamRig rig({"alert tcp any any -> any any (content:\"ATTACK\"; sid:3;)"});
  rig.handshake();
  // "ATT" + "ACK" sent in reverse order: the second half waits, and the
  // packet carrying it is part of the stream (no packet-level match either).
  EXPECT_EQ(rig.send(true, kData, 104, 501, "ACK"), V{});
  EXPECT_EQ(rig.send(true, kData, 101, 501, "ATT"), V{3});
}

TEST(StreamDetection, OnlyStreamAndNoStream) {
  StreamRig rig({
      "alert tcp any any -> any any (content:\"EVIL\"; flow:only_stream; sid:10;)",
      "alert tcp any any -> any any (content:\"EVIL\"; flow:no_stream; sid:11;)",
      "alert tcp-stream any any -> any any (content:\"EVIL\"; sid:12;)",
      "alert tcp-pkt any any -> any any (content:\"EVIL\"; sid:13;)",
      "alert tcp any any -> any any (content:\"EVIL\"; dsize:<10; sid:14;)",
  });
  rig.handshake();
  // Whole in one segment: stream rules see it in the stream, packet rules in the packet.
  EXPECT_EQ(rig.send(true, kData, 101, 501, "EVIL"), (V{10, 11, 12, 13, 14}));
  // Split: only the stream sees it.
  EXPECT_EQ(rig.send(true, kData, 105, 501, "EV"), V{});
  EXPECT_EQ(rig.send(true, kData, 107, 501, "IL"), (V{10, 12}));
}

TEST(StreamDetection, PacketsOutsideTheStreamAreInspectedAsPackets) {
  StreamRig rig({"alert tcp any any -> any any (content:\"EVIL\"; sid:20;)",
                 "alert tcp any any -> any any (content:\"EVIL\"; flow:only_stream; sid:21;)"});
  rig.handshake();
  EXPECT_EQ(rig.send(true, kData, 101, 501, "hello"), V{});
  // A retransmission with different bytes is not added to the stream (the
  // first copy won): the default rule still inspects it as a packet.
  EXPECT_EQ(rig.send(true, kData, 101, 501, "EVIL!"), V{20});
  EXPECT_FALSE(rig.last_stream_match());
}

TEST(StreamDetection, WithoutLookbackOnlyNewBytesAreSeen) {
  StreamRig rig({"alert tcp any any -> any any (content:\"USER root\"; sid:1;)"}, 0);
  rig.handshake();
  EXPECT_EQ(rig.send(true, kData, 101, 501, "USER"), V{});
  EXPECT_EQ(rig.send(true, kData, 105, 501, " root"), V{});
}

TEST(StreamDetection, UdpAndContentlessRulesAreNotStreamRules) {
  StreamRig rig({"alert udp any any -> any any (content:\"x\"; sid:1;)",
                 "alert tcp any any -> any any (flow:established,only_stream; sid:2;)"});
  EXPECT_EQ(rig.report().stream_rules, 0u);
}

}  // namespace
}  // namespace seawall::detect
