// Real traffic through decode -> flow -> TCP reassembly, checked against
// independent oracles:
//  - tshark 4.x `-q -z follow,tcp,raw,0` on suricata-verify's
//    tests/smb2-03-rule/smb2.pcap: per-direction byte count and FNV-1a 64 of
//    the followed stream (computed from tshark's hex output, not by us);
//  - suricata-verify tests/stream-depth-reached-event/test.yaml: with
//    stream.reassembly.depth=50 that capture raises
//    stream.reassembly_depth_reached exactly twice.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "core/byte_view.h"
#include "decode/decoder.h"
#include "flow/flow_table.h"
#include "stream/stream_event.h"
#include "stream/tcp_reassembly.h"

namespace seawall::stream {
namespace {

const std::string kSmb2Pcap =
    std::string(SEAWALL_CORPUS_DIR) + "/suricata-verify/tests/smb2-03-rule/smb2.pcap";

struct NullFlowSink : FlowEndSink {
  void on_flow_end(const Flow&, FlowEndReason, Timestamp) override {}
};

struct HashingSink : StreamSink {
  uint64_t hash[2] = {0xcbf29ce484222325ull, 0xcbf29ce484222325ull};
  uint64_t bytes[2] = {0, 0};
  uint32_t gaps = 0, ends = 0;
  void on_stream_data(Flow&, Packet*, StreamDirection dir, ByteView data) override {
    const int d = static_cast<int>(dir);
    for (uint8_t b : data) hash[d] = (hash[d] ^ b) * 0x100000001b3ull;
    bytes[d] += data.size();
  }
  void on_stream_gap(Flow&, Packet*, StreamDirection, uint32_t) override { ++gaps; }
  void on_stream_end(Flow&, Packet*, StreamDirection) override { ++ends; }
};

struct RunResult {
  uint32_t depth_events = 0;
  uint64_t sessions_left = 0, memuse_left = 0;
};

// Classic little-endian microsecond pcap, Ethernet link type.
bool run_pcap(const std::string& path, const StreamConfig& config, StreamSink& sink,
              RunResult& result) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  const std::vector<uint8_t> file((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
  if (file.size() < 24 || load_le32(file.data()) != 0xa1b2c3d4u ||
      load_le32(file.data() + 20) != 1) {
    ADD_FAILURE() << "unexpected pcap format";
    return false;
  }
  ThreadCounters counters;
  const DecodeOptions options{};
  DecodeContext ctx{options, counters};
  FlowConfig flow_config;
  flow_config.prealloc = 16;
  FlowTable table(flow_config, counters);
  TcpReassembler reassembler(config, counters);
  NullFlowSink flow_sink;
  std::set<Flow*> flows;
  Packet p;
  uint64_t index = 0;
  for (size_t pos = 24; pos + 16 <= file.size();) {
    const uint32_t caplen = load_le32(file.data() + pos + 8);
    if (caplen > file.size() - pos - 16) break;
    reset_packet(p);
    p.ts = Timestamp{load_le32(file.data() + pos),
                     static_cast<int32_t>(load_le32(file.data() + pos + 4))};
    p.pcap_cnt = ++index;
    p.data = file.data() + pos + 16;
    p.caplen = caplen;
    p.wirelen = load_le32(file.data() + pos + 12);
    p.link = LayerKind::kEthernet;
    pos += 16 + caplen;
    decode_packet(ctx, p);
    if (table.handle_packet(p, flow_sink) == nullptr || !p.is_tcp()) continue;
    flows.insert(p.flow);
    reassembler.handle_packet(p, sink);
    if (has_stream_event(p, StreamEvent::kReassemblyDepthReached)) ++result.depth_events;
  }
  for (Flow* f : flows) reassembler.end_flow(*f, sink);
  result.sessions_left = reassembler.sessions_in_use();
  result.memuse_left = reassembler.reassembly_memuse();
  table.flush_all(p.ts, flow_sink);
  return true;
}

TEST(TcpPcap, Smb2StreamMatchesTsharkFollow) {
  StreamConfig config;
  config.reassembly_depth = 0;  // whole stream, as tshark follows it
  HashingSink sink;
  RunResult result;
  if (!run_pcap(kSmb2Pcap, config, sink, result))
    GTEST_SKIP() << "corpus not found at " << kSmb2Pcap;
  EXPECT_EQ(sink.bytes[0], 1516006u);
  EXPECT_EQ(sink.hash[0], 0x49a753bc9f33cf36ull);
  EXPECT_EQ(sink.bytes[1], 6125u);
  EXPECT_EQ(sink.hash[1], 0x28efb196724318e6ull);
  EXPECT_EQ(sink.gaps, 0u);
  EXPECT_EQ(sink.ends, 2u);
  EXPECT_EQ(result.sessions_left, 0u);
  EXPECT_EQ(result.memuse_left, 0u);
}

TEST(TcpPcap, Smb2DepthReachedTwiceLikeSuricataVerify) {
  StreamConfig config;
  config.reassembly_depth = 50;
  HashingSink sink;
  RunResult result;
  if (!run_pcap(kSmb2Pcap, config, sink, result))
    GTEST_SKIP() << "corpus not found at " << kSmb2Pcap;
  EXPECT_EQ(result.depth_events, 2u);
  EXPECT_EQ(sink.bytes[0], 50u);
  EXPECT_EQ(sink.bytes[1], 50u);
}

}  // namespace
}  // namespace seawall::stream
