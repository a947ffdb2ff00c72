// TCP tracking and reassembly: handshake, in-order/out-of-order delivery,
// retransmissions, gaps, depth, memcaps, wraparound, RST/FIN, pool reuse.
// Overlap policies are in tcp_overlap_test.cc, stream events in tcp_events_test.cc.
#include "stream/tcp_reassembly.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tcp_test_util.h"

namespace seawall::stream {
namespace {

using testing::kAck;
using testing::kFin;
using testing::kPsh;
using testing::kRst;
using testing::kSyn;
using testing::TcpHarness;

constexpr int kTs = 0, kTc = 1;  // StreamDirection indexes

TEST(OverlapPolicyNames, ParseAndNameRoundTrip) {
  const char* names[] = {"first", "last", "bsd", "linux", "old-linux", "windows",
                         "vista", "solaris", "hpux10", "hpux11", "irix", "macos"};
  for (const char* name : names) {
    OverlapPolicy p{};
    ASSERT_TRUE(parse_overlap_policy(name, p)) << name;
    EXPECT_EQ(overlap_policy_name(p), name);
  }
  OverlapPolicy p{};
  EXPECT_TRUE(parse_overlap_policy("LiNuX", p));
  EXPECT_EQ(p, OverlapPolicy::kLinux);
  EXPECT_TRUE(parse_overlap_policy("windows2k3", p));
  EXPECT_EQ(p, OverlapPolicy::kWindows);
  EXPECT_FALSE(parse_overlap_policy("beos", p));
  EXPECT_FALSE(parse_overlap_policy("", p));
}

TEST(TcpReassembly, HandshakeThenDataBothDirectionsAndFin) {
  TcpHarness h;
  h.handshake(1000, 5000);
  ASSERT_NE(h.flow.tcp, nullptr);
  EXPECT_EQ(h.reassembler().sessions_in_use(), 1u);
  EXPECT_EQ(h.counter("tcp.sessions"), 1u);

  Packet req = h.send(true, kAck | kPsh, 1001, 5001, "GET / HTTP/1.0\r\n\r\n");
  EXPECT_EQ(h.sink.bytes[kTs], "GET / HTTP/1.0\r\n\r\n");
  EXPECT_EQ(h.sink.last_data_pcap[kTs], req.pcap_cnt);  // delivered on the carrying packet
  Packet resp = h.send(false, kAck | kPsh, 5001, 1019, "HTTP/1.0 200 OK\r\n\r\nbody");
  EXPECT_EQ(h.sink.bytes[kTc], "HTTP/1.0 200 OK\r\n\r\nbody");
  EXPECT_EQ(h.sink.last_data_pcap[kTc], resp.pcap_cnt);
  EXPECT_EQ(resp.stream_event_count, 0);

  // Server closes, client closes.
  h.send(false, kAck | kFin, 5024, 1019);
  EXPECT_EQ(h.sink.ends[kTc], 1u);
  EXPECT_EQ(h.sink.ends[kTs], 0u);
  h.send(true, kAck | kFin, 1019, 5025);
  EXPECT_EQ(h.sink.ends[kTs], 1u);
  h.send(false, kAck, 5025, 1020);

  h.end();
  EXPECT_EQ(h.flow.tcp, nullptr);
  EXPECT_EQ(h.sink.ends[kTs], 1u);  // not ended twice
  EXPECT_EQ(h.sink.ends[kTc], 1u);
  EXPECT_EQ(h.sink.gaps[kTs] + h.sink.gaps[kTc], 0u);
  EXPECT_FALSE(h.sink.after_end);
  EXPECT_EQ(h.reassembler().sessions_in_use(), 0u);
  EXPECT_EQ(h.reassembler().reassembly_memuse(), 0u);
}

TEST(TcpReassembly, DataInOneByteSegments) {
  TcpHarness h;
  h.handshake(7, 70);
  const std::string msg = "The quick brown fox jumps over the lazy dog, 0123456789";
  for (size_t i = 0; i < msg.size(); ++i)
    h.send(true, kAck, 8 + static_cast<uint32_t>(i), 71, std::string_view(&msg[i], 1));
  EXPECT_EQ(h.sink.bytes[kTs], msg);
  EXPECT_EQ(h.sink.data_calls[kTs], msg.size());
  h.end();
  EXPECT_EQ(h.sink.stream[kTs], msg);
}

TEST(TcpReassembly, ReorderedSegmentsWaitForTheHole) {
  TcpHarness h;
  h.handshake(100, 900);
  h.send(true, kAck, 101 + 8, 901, "CCCC");
  h.send(true, kAck, 101 + 4, 901, "BBBB");
  EXPECT_EQ(h.sink.bytes[kTs], "");  // nothing before the hole fills
  Packet filler = h.send(true, kAck, 101, 901, "AAAA");
  EXPECT_EQ(h.sink.bytes[kTs], "AAAABBBBCCCC");
  EXPECT_EQ(h.sink.last_data_pcap[kTs], filler.pcap_cnt);  // everything on the filling packet
  h.send(true, kAck, 101 + 12, 901, "DD");
  EXPECT_EQ(h.sink.bytes[kTs], "AAAABBBBCCCCDD");
  h.end();
  EXPECT_EQ(h.sink.gaps[kTs], 0u);
}

TEST(TcpReassembly, RetransmissionSameDataIsNotRedelivered) {
  TcpHarness h;
  h.handshake(1, 1);
  h.send(true, kAck, 2, 2, "hello");
  Packet again = h.send(true, kAck, 2, 2, "hello");
  EXPECT_TRUE(has_stream_event(again, StreamEvent::kPktRetransmission));
  EXPECT_FALSE(has_stream_event(again, StreamEvent::kReassemblyOverlapDifferentData));
  EXPECT_EQ(h.sink.bytes[kTs], "hello");
  EXPECT_EQ(h.counter("stream.pkt_retransmission"), 1u);
  EXPECT_EQ(h.counter("tcp.overlap_diff_data"), 0u);
}

TEST(TcpReassembly, RetransmissionWithDifferentDataRaisesEventKeepsFirstCopy) {
  TcpHarness h;
  h.handshake(1, 1);
  h.send(true, kAck, 2, 2, "hello");
  Packet evil = h.send(true, kAck, 2, 2, "HELLO world");
  EXPECT_TRUE(has_stream_event(evil, StreamEvent::kReassemblyOverlapDifferentData));
  // Partly new data is not a retransmission (StreamTcpPacketIsRetransmission).
  EXPECT_FALSE(has_stream_event(evil, StreamEvent::kPktRetransmission));
  // The new tail (" world") is delivered, the first copy of "hello" stays.
  EXPECT_EQ(h.sink.bytes[kTs], "hello world");
  EXPECT_EQ(h.counter("tcp.overlap_diff_data"), 1u);
}

TEST(TcpReassembly, RetransmissionOfAcknowledgedDataIsBeforeBaseSeq) {
  TcpHarness h;
  h.handshake(1, 1);
  h.send(true, kAck, 2, 2, "abcdef");
  h.send(false, kAck, 2, 8);  // server acks everything: the kept copy is freed
  EXPECT_EQ(h.reassembler().reassembly_memuse(), 0u);
  Packet late = h.send(true, kAck, 2, 2, "abcdef");
  EXPECT_TRUE(has_stream_event(late, StreamEvent::kReassemblySegmentBeforeBaseSeq));
  EXPECT_TRUE(has_stream_event(late, StreamEvent::kPktRetransmission));
  EXPECT_EQ(h.sink.bytes[kTs], "abcdef");
}

TEST(TcpReassembly, HoleAtFlowEndBecomesGapThenData) {
  TcpHarness h;
  h.handshake(50, 60);
  h.send(true, kAck, 51, 61, "aaa");
  h.send(true, kAck, 51 + 10, 61, "bbb");
  EXPECT_EQ(h.sink.bytes[kTs], "aaa");
  h.end();
  EXPECT_EQ(h.sink.stream[kTs], std::string("aaa") + std::string(7, '\0') + "bbb");
  EXPECT_EQ(h.sink.gaps[kTs], 1u);
  EXPECT_EQ(h.sink.ends[kTs], 1u);
  EXPECT_EQ(h.counter("tcp.reassembly_gap"), 1u);
  EXPECT_FALSE(h.sink.after_end);
}

TEST(TcpReassembly, HoleAcknowledgedByReceiverBecomesGapAtOnce) {
  TcpHarness h;
  h.handshake(50, 60);
  h.send(true, kAck, 51, 61, "aaa");
  h.send(true, kAck, 51 + 10, 61, "bbb");
  // The server acknowledges bytes the capture never saw: they will not come again.
  Packet ack = h.send(false, kAck, 61, 51 + 13);
  EXPECT_TRUE(has_stream_event(ack, StreamEvent::kReassemblySeqGap));
  EXPECT_EQ(h.sink.stream[kTs], std::string("aaa") + std::string(7, '\0') + "bbb");
  EXPECT_EQ(h.sink.last_data_pcap[kTs], ack.pcap_cnt);
}

TEST(TcpReassembly, SegmentAfterAcknowledgedHoleIsDeliveredWithGap) {
  TcpHarness h;
  h.handshake(50, 60);
  h.send(true, kAck, 51, 61, "aaa");
  h.send(false, kAck, 61, 51 + 10);  // acks 7 bytes never seen
  Packet p = h.send(true, kAck, 51 + 10, 61, "bbb");
  EXPECT_TRUE(has_stream_event(p, StreamEvent::kReassemblySeqGap));
  EXPECT_EQ(h.sink.stream[kTs], std::string("aaa") + std::string(7, '\0') + "bbb");
}

TEST(TcpReassembly, MidstreamOffIgnoresSessionWithoutSyn) {
  TcpHarness h;  // midstream defaults to false, as in Suricata
  Packet p = h.send(true, kAck | kPsh, 1000, 2000, "data");
  EXPECT_EQ(h.flow.tcp, nullptr);
  EXPECT_EQ(h.sink.bytes[kTs], "");
  EXPECT_EQ(p.stream_event_count, 0);
  h.send(false, kAck | kPsh, 2000, 1004, "reply");
  EXPECT_EQ(h.flow.tcp, nullptr);
  EXPECT_EQ(h.reassembler().sessions_in_use(), 0u);
  h.end();  // no session: nothing to end
  EXPECT_EQ(h.sink.ends[kTs] + h.sink.ends[kTc], 0u);
}

TEST(TcpReassembly, MidstreamOnPicksUpBothDirections) {
  StreamConfig config;
  config.midstream = true;
  TcpHarness h(config);
  h.send(true, kAck | kPsh, 1000, 2000, "data");
  ASSERT_NE(h.flow.tcp, nullptr);
  EXPECT_EQ(h.sink.bytes[kTs], "data");
  h.send(false, kAck | kPsh, 2000, 1004, "reply");
  EXPECT_EQ(h.sink.bytes[kTc], "reply");
  h.send(true, kAck | kPsh, 1004, 2005, "more");
  EXPECT_EQ(h.sink.bytes[kTs], "datamore");
  h.end();
  EXPECT_EQ(h.sink.ends[kTs], 1u);
  EXPECT_EQ(h.sink.ends[kTc], 1u);
}

TEST(TcpReassembly, MidstreamPickupFromSynAck) {
  StreamConfig config;
  config.midstream = true;
  TcpHarness h(config);
  h.send(false, kSyn | kAck, 7000, 301);  // client ISN was 300
  ASSERT_NE(h.flow.tcp, nullptr);
  h.send(true, kAck, 301, 7001);
  h.send(true, kAck | kPsh, 301, 7001, "req");
  h.send(false, kAck | kPsh, 7001, 304, "resp");
  EXPECT_EQ(h.sink.bytes[kTs], "req");
  EXPECT_EQ(h.sink.bytes[kTc], "resp");
}

TEST(TcpReassembly, SequenceWraparound) {
  TcpHarness h;
  const uint32_t cisn = 0xFFFFFFF0u, sisn = 0xFFFFFFFAu;
  h.handshake(cisn, sisn);
  std::string msg;
  for (int i = 0; i < 100; ++i) msg.push_back(static_cast<char>('a' + i % 26));
  // Ten 10-byte segments crossing 2^32, sent in the order 1,0,3,2,5,4,...
  for (int pair = 0; pair < 10; pair += 2) {
    for (int k : {pair + 1, pair}) {
      const uint32_t seq = cisn + 1 + static_cast<uint32_t>(k * 10);
      h.send(true, kAck, seq, sisn + 1, std::string_view(msg).substr(k * 10, 10));
    }
  }
  EXPECT_EQ(h.sink.bytes[kTs], msg);
  // Server side wraps too.
  h.send(false, kAck, sisn + 1, cisn + 101, "0123456789");
  h.send(false, kAck, sisn + 11, cisn + 101, "abcdefghij");
  EXPECT_EQ(h.sink.bytes[kTc], "0123456789abcdefghij");
  h.end();
  EXPECT_EQ(h.sink.gaps[kTs] + h.sink.gaps[kTc], 0u);
}

TEST(TcpReassembly, WraparoundHoleAtFlowEnd) {
  TcpHarness h;
  const uint32_t cisn = 0xFFFFFFFDu;
  h.handshake(cisn, 10);
  h.send(true, kAck, cisn + 1, 11, "ab");   // 0xFFFFFFFE..0xFFFFFFFF
  h.send(true, kAck, 3, 11, "xyz");         // after 0, 1, 2 are missing
  h.end();
  EXPECT_EQ(h.sink.stream[kTs], std::string("ab") + std::string(3, '\0') + "xyz");
}

TEST(TcpReassembly, ReassemblyDepthCutsTheDirection) {
  StreamConfig config;
  config.reassembly_depth = 10;
  TcpHarness h(config);
  h.handshake(0, 0);
  Packet first = h.send(true, kAck, 1, 1, "0123456");
  EXPECT_FALSE(has_stream_event(first, StreamEvent::kReassemblyDepthReached));
  Packet second = h.send(true, kAck, 8, 1, "789abcdef");
  EXPECT_TRUE(has_stream_event(second, StreamEvent::kReassemblyDepthReached));
  EXPECT_EQ(h.sink.bytes[kTs], "0123456789");
  h.send(true, kAck, 17, 1, "more");
  h.send(true, kAck, 40, 1, "later");  // out of order beyond the depth: not stored
  EXPECT_EQ(h.sink.bytes[kTs], "0123456789");
  EXPECT_EQ(h.reassembler().reassembly_memuse(), 0u);
  EXPECT_EQ(h.counter("tcp.stream_depth_reached"), 1u);
  // The other direction has its own budget.
  h.send(false, kAck, 1, 21, "server");
  EXPECT_EQ(h.sink.bytes[kTc], "server");
  h.end();
  EXPECT_EQ(h.sink.bytes[kTs], "0123456789");
  EXPECT_EQ(h.sink.ends[kTs], 1u);
}

TEST(TcpReassembly, DepthReachedWhileFillingHole) {
  StreamConfig config;
  config.reassembly_depth = 6;
  TcpHarness h(config);
  h.handshake(0, 0);
  h.send(true, kAck, 5, 1, "EFGH");
  Packet p = h.send(true, kAck, 1, 1, "ABCD");
  EXPECT_EQ(h.sink.bytes[kTs], "ABCDEF");
  EXPECT_TRUE(has_stream_event(p, StreamEvent::kReassemblyDepthReached));
  EXPECT_EQ(h.reassembler().reassembly_memuse(), 0u);
}

TEST(TcpReassembly, RstMidFlowEndsBothDirections) {
  TcpHarness h;
  h.handshake(10, 20);
  h.send(true, kAck, 11, 21, "abc");
  h.send(false, kAck, 21, 14, "xyz");
  h.send(true, kAck, 14 + 5, 24, "late");  // a hole of 5 bytes before it
  Packet rst = h.send(false, kRst | kAck, 24, 14);
  EXPECT_EQ(h.sink.ends[kTs], 1u);
  EXPECT_EQ(h.sink.ends[kTc], 1u);
  // What waited behind the hole went out after a gap.
  EXPECT_EQ(h.sink.stream[kTs], std::string("abc") + std::string(5, '\0') + "late");
  EXPECT_EQ(rst.stream_event_count, 1);  // the gap
  h.send(true, kAck, 23, 24, "after");
  EXPECT_EQ(h.sink.stream[kTs], std::string("abc") + std::string(5, '\0') + "late");
  h.end();
  EXPECT_EQ(h.sink.ends[kTs], 1u);
  EXPECT_EQ(h.sink.ends[kTc], 1u);
  EXPECT_FALSE(h.sink.after_end);
  EXPECT_EQ(h.flow.tcp, nullptr);
}

TEST(TcpReassembly, FinWithHoleWaitsThenEndsAfterGap) {
  TcpHarness h;
  h.handshake(10, 20);
  h.send(true, kAck, 11, 21, "abc");
  h.send(true, kAck | kFin, 17, 21, "def");  // 14..16 missing, FIN at 20
  EXPECT_EQ(h.sink.ends[kTs], 0u);
  h.send(true, kAck, 14, 21, "XYZ");
  EXPECT_EQ(h.sink.bytes[kTs], "abcXYZdef");
  EXPECT_EQ(h.sink.ends[kTs], 1u);
  // Data beyond the FIN is not part of the stream.
  h.send(true, kAck, 20, 21, "junk");
  EXPECT_EQ(h.sink.bytes[kTs], "abcXYZdef");
}

TEST(TcpReassembly, SessionMemcapLimitsSessions) {
  StreamConfig config;
  config.memcap = 4096;  // room for a handful of sessions only
  TcpHarness h(config);
  std::vector<Flow> flows(200);
  uint32_t with_session = 0;
  for (Flow& f : flows) {
    h.send_on(f, true, kSyn, 1, 0);
    if (f.tcp != nullptr) ++with_session;
  }
  EXPECT_GT(with_session, 0u);
  EXPECT_LT(with_session, 200u);
  EXPECT_EQ(h.reassembler().sessions_in_use(), with_session);
  EXPECT_EQ(h.counter("tcp.ssn_memcap_drop"), 200u - with_session);
  EXPECT_EQ(h.counter("tcp.sessions"), with_session);
  for (Flow& f : flows) h.reassembler().end_flow(f, h.sink);
  EXPECT_EQ(h.reassembler().sessions_in_use(), 0u);
  // Freed sessions are usable again.
  Flow again;
  h.send_on(again, true, kSyn, 1, 0);
  EXPECT_NE(again.tcp, nullptr);
  h.reassembler().end_flow(again, h.sink);
}

TEST(TcpReassembly, ReassemblyMemcapContinuesWithGap) {
  StreamConfig config;
  config.reassembly_memcap = 8 * 1024;
  TcpHarness h(config);
  h.handshake(0, 0);
  const std::string chunk(400, 'x');
  // Out-of-order segments every other 400 bytes: none can be delivered.
  for (uint32_t i = 1; i < 60; i += 2) {
    h.send(true, kAck, 1 + i * 400, 1, chunk);
    EXPECT_LE(h.reassembler().reassembly_memuse(), config.reassembly_memcap);
  }
  EXPECT_GT(h.counter("tcp.segment_memcap_drop"), 0u);
  EXPECT_GT(h.sink.gaps[kTs], 0u);  // memcap forced the stream past its holes
  h.end();
  // Every byte position up to the last segment is accounted for as data or gap.
  EXPECT_EQ(h.sink.stream[kTs].size(), 60u * 400u);
  EXPECT_EQ(h.reassembler().reassembly_memuse(), 0u);
}

TEST(TcpReassembly, TooManyWaitingSegmentsForceGap) {
  StreamConfig config;
  config.max_waiting_segments = 4;
  TcpHarness h(config);
  h.handshake(0, 0);
  // One byte every other position from 3: holes at 1-2, 4, 6, ...
  for (uint32_t i = 0; i < 6; ++i) h.send(true, kAck, 3 + i * 2, 1, "s");
  EXPECT_GT(h.sink.gaps[kTs], 0u);
  h.end();
  EXPECT_EQ(h.sink.stream[kTs], std::string("\0\0s\0s\0s\0s\0s\0s", 13));
}

TEST(TcpReassembly, ThousandsOfSessionsReturnToThePools) {
  TcpHarness h;
  std::vector<Flow> flows(10000);
  for (int round = 0; round < 2; ++round) {
    for (size_t i = 0; i < flows.size(); ++i) {
      Flow& f = flows[i];
      const uint32_t isn = static_cast<uint32_t>(i * 7919u);
      h.handshake_on(f, isn, ~isn);
      h.send_on(f, true, kAck, isn + 1, ~isn + 1, "hello");
      h.send_on(f, true, kAck, isn + 10, ~isn + 1, "waiting");  // stays out of order
      ASSERT_NE(f.tcp, nullptr);
    }
    EXPECT_EQ(h.reassembler().sessions_in_use(), flows.size());
    EXPECT_GT(h.reassembler().reassembly_memuse(), 0u);
    for (Flow& f : flows) {
      h.reassembler().end_flow(f, h.sink);
      EXPECT_EQ(f.tcp, nullptr);
    }
    EXPECT_EQ(h.reassembler().sessions_in_use(), 0u);
    EXPECT_EQ(h.reassembler().reassembly_memuse(), 0u);
  }
  EXPECT_EQ(h.sink.ends[kTs], 20000u);
  EXPECT_EQ(h.sink.ends[kTc], 20000u);
  EXPECT_EQ(h.sink.gaps[kTs], 20000u);
}

TEST(TcpReassembly, AsyncOnesideSeesOnlyClient) {
  StreamConfig config;
  config.async_oneside = true;
  TcpHarness h(config);
  h.send(true, kSyn, 500, 0);
  h.send(true, kAck, 501, 9001);
  h.send(true, kAck | kPsh, 501, 9001, "one");
  h.send(true, kAck | kPsh, 504, 9001, "two");
  EXPECT_EQ(h.sink.bytes[kTs], "onetwo");
}

TEST(TcpReassembly, WithoutAsyncOnesideHalfHandshakeIsNotReassembled) {
  TcpHarness h;
  h.send(true, kSyn, 500, 0);
  h.send(true, kAck, 501, 9001);
  h.send(true, kAck | kPsh, 501, 9001, "one");
  EXPECT_EQ(h.sink.bytes[kTs], "");
}

// A TCP header with a window-scale option, so the reassembler reads it from p.l4.
std::vector<uint8_t> tcp_header_with_wscale(uint8_t shift) {
  std::vector<uint8_t> h(24, 0);
  h[12] = 6 << 4;  // 24-byte header
  h[20] = 3;       // window scale
  h[21] = 3;
  h[22] = shift;
  h[23] = 0;       // end of options
  return h;
}

TEST(TcpReassembly, WindowScaleFromOptionsWidensTheWindow) {
  for (bool scaled : {true, false}) {
    TcpHarness h;
    const auto opt = tcp_header_with_wscale(7);
    Packet syn = h.packet(h.flow, true, kSyn, 0, 0, {}, 64240);
    Packet synack = h.packet(h.flow, false, kSyn | kAck, 0, 1, {}, 65160);
    if (scaled) {
      syn.l4 = synack.l4 = opt.data();
      syn.l4_len = synack.l4_len = static_cast<uint32_t>(opt.size());
    }
    h.reassembler().handle_packet(syn, h.sink);
    h.reassembler().handle_packet(synack, h.sink);
    h.send(true, kAck, 1, 1, {}, 502);
    // The server advertises 502 (<< 7 = 64256): 60000 bytes ahead is inside
    // the scaled window only.
    h.send(false, kAck, 1, 1, {}, 502);
    Packet far = h.send(true, kAck, 60001, 1, "far", 502);
    EXPECT_EQ(has_stream_event(far, StreamEvent::kEstPacketOutOfWindow), !scaled)
        << scaled;
  }
}

TEST(TcpReassembly, IgnoresNonTcpAndFlowlessPackets) {
  TcpHarness h;
  Packet udp = h.packet(h.flow, true, kSyn, 1, 0);
  udp.ip_proto = 17;
  h.reassembler().handle_packet(udp, h.sink);
  Packet orphan = h.packet(h.flow, true, kSyn, 1, 0);
  orphan.flow = nullptr;
  h.reassembler().handle_packet(orphan, h.sink);
  EXPECT_EQ(h.flow.tcp, nullptr);
}

}  // namespace
}  // namespace seawall::stream
