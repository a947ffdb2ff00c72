// Stream events raised by TCP tracking, one scenario each, following the
// conditions of Suricata's stream-tcp.c (StreamTcpPacketStateNone/SynSent/
// SynRecv/Established, StreamTcpValidateAck).
#include <gtest/gtest.h>

#include <array>
#include <string>

#include "stream/stream_event.h"
#include "stream/tcp_reassembly.h"
#include "tcp_test_util.h"

namespace seawall::stream {
namespace {

using testing::kAck;
using testing::kFin;
using testing::kPsh;
using testing::kRst;
using testing::kSyn;
using testing::TcpHarness;

bool only_event(const Packet& p, StreamEvent e) {
  return p.stream_event_count == 1 && has_stream_event(p, e);
}

TEST(StreamEvents, RstButNoSession) {
  for (bool midstream : {false, true}) {
    StreamConfig config;
    config.midstream = midstream;
    TcpHarness h(config);
    Packet p = h.send(true, kRst | kAck, 1, 1);
    EXPECT_TRUE(only_event(p, StreamEvent::kRstButNoSession)) << midstream;
    EXPECT_EQ(h.flow.tcp, nullptr);
  }
}

TEST(StreamSession, FlowRemembersThatASessionWasTracked) {
  TcpHarness none;
  none.send(true, kRst | kAck, 1, 1);
  EXPECT_FALSE(none.flow.tcp_session_seen);  // no session: EVE flow has no max_regions
  TcpHarness h;
  h.handshake(100, 500);
  EXPECT_TRUE(h.flow.tcp_session_seen);
  h.end();
  EXPECT_EQ(h.flow.tcp, nullptr);
  EXPECT_TRUE(h.flow.tcp_session_seen);  // still known when the flow is logged
}

TEST(StreamEvents, FinButNoSession) {
  TcpHarness off;
  Packet p = off.send(true, kFin | kAck, 1, 1, "data");
  EXPECT_TRUE(only_event(p, StreamEvent::kFinButNoSession));
  EXPECT_EQ(off.flow.tcp, nullptr);

  StreamConfig config;
  config.midstream = true;
  TcpHarness on(config);
  Packet bare = on.send(true, kFin | kAck, 1, 1);  // no payload: still no pickup
  EXPECT_TRUE(only_event(bare, StreamEvent::kFinButNoSession));
  EXPECT_EQ(on.flow.tcp, nullptr);
  Packet with_data = on.send(true, kFin | kAck, 1, 1, "bye");  // picked up
  EXPECT_EQ(with_data.stream_event_count, 0);
  EXPECT_NE(on.flow.tcp, nullptr);
  EXPECT_EQ(on.sink.bytes[0], "bye");
  EXPECT_EQ(on.sink.ends[0], 1u);
}

TEST(StreamEvents, SynAckInWrongDirection) {
  TcpHarness h;
  h.send(true, kSyn, 100, 0);
  Packet p = h.send(true, kSyn | kAck, 200, 101);
  EXPECT_TRUE(only_event(p, StreamEvent::k3whsSynackInWrongDirection));
}

// Split handshake (Suricata's 4WHS, as in suricata-verify
// tcp-split-handshake-02-5whs): SYN, server SYN, client SYN/ACK, server ACK.
TEST(StreamEvents, SplitHandshakeEstablishes) {
  TcpHarness h;
  h.send(true, kSyn, 100, 0);
  h.send(false, kAck, 1, 101);  // a bare ACK first (5-way variant): ignored
  h.send(false, kSyn, 700, 0);
  Packet synack = h.send(true, kSyn | kAck, 100, 701);
  EXPECT_EQ(synack.stream_event_count, 0);
  Packet ack = h.send(false, kAck, 701, 101);
  EXPECT_EQ(ack.stream_event_count, 0);
  h.send(true, kAck | kPsh, 101, 701, "EVIL");
  EXPECT_EQ(h.sink.bytes[0], "EVIL");
}

TEST(StreamEvents, SplitHandshakeWrongValues) {
  TcpHarness h;
  h.send(true, kSyn, 100, 0);
  h.send(false, kSyn, 700, 0);
  Packet bad_ack = h.send(true, kSyn | kAck, 100, 999);
  EXPECT_TRUE(only_event(bad_ack, StreamEvent::k4whsSynackWithWrongAck));
  Packet bad_syn = h.send(true, kSyn | kAck, 555, 701);
  EXPECT_TRUE(only_event(bad_syn, StreamEvent::k4whsSynackWithWrongSyn));
  h.send(true, kSyn | kAck, 100, 701);
  Packet bad_seq = h.send(false, kAck, 800, 101);
  EXPECT_TRUE(only_event(bad_seq, StreamEvent::k4whsWrongSeq));
  Packet bad = h.send(false, kAck, 701, 555);
  EXPECT_TRUE(only_event(bad, StreamEvent::k4whsInvalidAck));
}

TEST(StreamEvents, SynAckWithWrongAck) {
  TcpHarness h;
  h.send(true, kSyn, 100, 0);
  Packet p = h.send(false, kSyn | kAck, 200, 555);
  EXPECT_TRUE(only_event(p, StreamEvent::k3whsSynackWithWrongAck));
  // The handshake is still open for the right SYN/ACK.
  Packet good = h.send(false, kSyn | kAck, 200, 101);
  EXPECT_EQ(good.stream_event_count, 0);
  h.send(true, kAck, 101, 201);
  h.send(true, kAck, 101, 201, "x");
  EXPECT_EQ(h.sink.bytes[0], "x");
}

TEST(StreamEvents, AckInWrongDirection) {
  TcpHarness h;
  h.send(true, kSyn, 100, 0);
  h.send(false, kSyn | kAck, 200, 101);
  Packet p = h.send(false, kAck, 201, 101, "banner");
  EXPECT_TRUE(has_stream_event(p, StreamEvent::k3whsAckInWrongDir));
  // Treated as a lost handshake ACK (Suricata IDS mode): the data still flows.
  EXPECT_EQ(h.sink.bytes[1], "banner");
}

TEST(StreamEvents, SynAckResendsOnSynRecv) {
  TcpHarness h;
  h.send(true, kSyn, 100, 0);
  h.send(false, kSyn | kAck, 200, 101);
  EXPECT_TRUE(only_event(h.send(false, kSyn | kAck, 200, 999),
                         StreamEvent::k3whsSynackResendWithDifferentAck));
  EXPECT_TRUE(only_event(h.send(false, kSyn | kAck, 777, 101),
                         StreamEvent::k3whsSynackResendWithDiffSeq));
  EXPECT_TRUE(only_event(h.send(true, kSyn | kAck, 100, 201),
                         StreamEvent::k3whsSynackToserverOnSynRecv));
  EXPECT_TRUE(only_event(h.send(false, kSyn, 200, 0), StreamEvent::k3whsSynToclientOnSynRecv));
  EXPECT_TRUE(
      only_event(h.send(true, kSyn, 150, 0), StreamEvent::k3whsSynResendDiffSeqOnSynRecv));
  EXPECT_EQ(h.send(false, kSyn | kAck, 200, 101).stream_event_count, 0);  // plain resend
}

TEST(StreamEvents, ThirdAckWithWrongNumbers) {
  TcpHarness h;
  h.send(true, kSyn, 100, 0);
  h.send(false, kSyn | kAck, 200, 101);
  EXPECT_TRUE(only_event(h.send(true, kAck, 500, 201), StreamEvent::k3whsWrongSeqWrongAck));
  EXPECT_TRUE(
      only_event(h.send(true, kAck, 101, 999), StreamEvent::k3whsRightSeqWrongAckEvasion));
  EXPECT_EQ(h.send(true, kAck, 101, 201).stream_event_count, 0);
}

TEST(StreamEvents, AsyncWrongSeq) {
  StreamConfig config;
  config.async_oneside = true;
  TcpHarness h(config);
  h.send(true, kSyn, 100, 0);
  EXPECT_TRUE(only_event(h.send(true, kAck, 300, 9), StreamEvent::k3whsAsyncWrongSeq));
}

TEST(StreamEvents, SynAndSynAckOnEstablishedSession) {
  TcpHarness h;
  h.handshake(100, 200);
  EXPECT_TRUE(only_event(h.send(true, kSyn, 100, 0), StreamEvent::kEstSynResend));
  EXPECT_TRUE(only_event(h.send(true, kSyn, 4242, 0), StreamEvent::kEstSynResendDiffSeq));
  EXPECT_TRUE(only_event(h.send(false, kSyn, 200, 0), StreamEvent::kEstSynToclient));
  EXPECT_TRUE(only_event(h.send(false, kSyn | kAck, 200, 101), StreamEvent::kEstSynackResend));
  EXPECT_TRUE(only_event(h.send(false, kSyn | kAck, 201, 101),
                         StreamEvent::kEstSynackResendWithDiffSeq));
  EXPECT_TRUE(only_event(h.send(false, kSyn | kAck, 200, 111),
                         StreamEvent::kEstSynackResendWithDifferentAck));
  EXPECT_TRUE(only_event(h.send(true, kSyn | kAck, 100, 201), StreamEvent::kEstSynackToserver));
}

TEST(StreamEvents, InvalidAckIsRejected) {
  TcpHarness h;
  h.handshake(100, 200);
  // Acknowledges far beyond anything the server may have sent.
  Packet p = h.send(true, kAck | kPsh, 101, 200 + 1 + 1000000, "abc");
  EXPECT_TRUE(only_event(p, StreamEvent::kPktInvalidAck));
  EXPECT_EQ(h.sink.bytes[0], "");  // not reassembled
  h.send(true, kAck | kPsh, 101, 201, "abc");
  EXPECT_EQ(h.sink.bytes[0], "abc");
}

TEST(StreamEvents, PacketOutOfWindow) {
  TcpHarness h;
  h.send(true, kSyn, 100, 0, {}, 1000);
  h.send(false, kSyn | kAck, 200, 101, {}, 1000);
  h.send(true, kAck, 101, 201, {}, 1000);
  Packet inside = h.send(true, kAck, 101 + 990, 201, "0123456789", 1000);
  EXPECT_EQ(inside.stream_event_count, 0);
  Packet outside = h.send(true, kAck, 101 + 995, 201, "0123456789", 1000);
  EXPECT_TRUE(only_event(outside, StreamEvent::kEstPacketOutOfWindow));
}

TEST(StreamEvents, FinOutOfWindow) {
  TcpHarness h;
  h.handshake(100, 200);
  h.send(true, kAck, 101, 201, "abcdef");
  Packet before = h.send(true, kFin | kAck, 103, 201);  // before what was already seen
  EXPECT_TRUE(only_event(before, StreamEvent::kFinOutOfWindow));
  Packet beyond = h.send(true, kFin | kAck, 101 + 200000, 201);
  EXPECT_TRUE(only_event(beyond, StreamEvent::kFinOutOfWindow));
  EXPECT_EQ(h.sink.ends[0], 0u);
  h.send(true, kFin | kAck, 107, 201);
  EXPECT_EQ(h.sink.ends[0], 1u);
}

TEST(StreamEvents, RstWithInvalidAck) {
  TcpHarness h;
  h.handshake(100, 200);
  Packet p = h.send(false, kRst | kAck, 201, 101 + 5000000);
  EXPECT_TRUE(only_event(p, StreamEvent::kRstInvalidAck));
  EXPECT_EQ(h.sink.ends[0] + h.sink.ends[1], 0u);  // session not closed
  h.send(false, kRst | kAck, 201, 101);
  EXPECT_EQ(h.sink.ends[0], 1u);
  EXPECT_EQ(h.sink.ends[1], 1u);
}

TEST(StreamEvents, RstInvalidAckOnSynSent) {
  TcpHarness h;
  h.send(true, kSyn, 100, 0);
  EXPECT_TRUE(only_event(h.send(false, kRst | kAck, 0, 5), StreamEvent::kRstInvalidAck));
  EXPECT_EQ(h.send(false, kRst | kAck, 0, 101).stream_event_count, 0);  // refused connection
  EXPECT_EQ(h.sink.ends[0], 1u);
}

TEST(StreamEvents, EventNamesAreSuricatas) {
  EXPECT_EQ(stream_event_name(StreamEvent::kReassemblyOverlapDifferentData),
            "reassembly_overlap_different_data");
  EXPECT_EQ(stream_event_by_name("stream.pkt_invalid_ack"), StreamEvent::kPktInvalidAck);
}

}  // namespace
}  // namespace seawall::stream

namespace seawall::stream {
namespace {

using testing::kAck;
using testing::kFin;
using testing::kRst;
using testing::kSyn;
using testing::TcpHarness;

// A TCP header with a timestamp option (NOP, NOP, kind 8, len 10, TSval, TSecr).
std::array<uint8_t, 32> header_with_timestamp(uint32_t tsval, uint32_t tsecr) {
  std::array<uint8_t, 32> h{};
  h[12] = 8 << 4;
  h[20] = 1;
  h[21] = 1;
  h[22] = 8;
  h[23] = 10;
  for (int b = 0; b < 4; ++b) {
    h[24 + b] = static_cast<uint8_t>(tsval >> (24 - 8 * b));
    h[28 + b] = static_cast<uint8_t>(tsecr >> (24 - 8 * b));
  }
  return h;
}

Packet send_ts(TcpHarness& h, bool to_server, uint8_t flags, uint32_t seq, uint32_t ack,
               const std::array<uint8_t, 32>& hdr, uint16_t window = 65535) {
  Packet p = h.packet(h.flow, to_server, flags, seq, ack, {}, window);
  p.l4 = hdr.data();
  p.l4_len = static_cast<uint32_t>(hdr.size());
  h.reassembler().handle_packet(p, h.sink);
  return p;
}

// The bug-3286-02 pattern (Suricata's StateSynSentValidateTimestamp): answers
// to a SYN that echo a timestamp the SYN never sent are not believed.
TEST(StreamEvents, SynSentAnswersMustEchoTheSynTimestamp) {
  TcpHarness h;
  const auto syn = header_with_timestamp(1821165629, 0);
  send_ts(h, true, kSyn, 1000, 0, syn);
  const auto bad = header_with_timestamp(100, 100);
  Packet rst = send_ts(h, false, kRst | kAck, 1, 1001, bad);
  EXPECT_TRUE(only_event(rst, StreamEvent::kPktInvalidTimestamp));
  Packet fin = send_ts(h, false, kFin | kAck, 1, 1001, bad);
  EXPECT_TRUE(only_event(fin, StreamEvent::kPktInvalidTimestamp));
  EXPECT_EQ(h.sink.ends[0] + h.sink.ends[1], 0u);  // the injected RST closed nothing
  EXPECT_EQ(h.counter("stream.pkt_invalid_timestamp"), 2u);
  // A client RST that is not its stack's abort of the SYN is ignored too.
  h.send(true, kRst, 1001, 0);
  EXPECT_EQ(h.sink.ends[0] + h.sink.ends[1], 0u);
  // The real SYN/ACK echoes the SYN's TSval: the handshake goes on.
  const auto good = header_with_timestamp(5555, 1821165629);
  Packet sa = send_ts(h, false, kSyn | kAck, 5000, 1001, good);
  EXPECT_EQ(sa.stream_event_count, 0);
  h.send(true, kAck, 1001, 5001);
  h.send(true, kAck, 1001, 5001, "hello");
  EXPECT_EQ(h.sink.bytes[0], "hello");
}

TEST(StreamEvents, SynAckWithWrongTimestampEchoIsRejected) {
  TcpHarness h;
  send_ts(h, true, kSyn, 1000, 0, header_with_timestamp(77, 0));
  Packet sa = send_ts(h, false, kSyn | kAck, 5000, 1001, header_with_timestamp(1, 78));
  EXPECT_TRUE(only_event(sa, StreamEvent::kPktInvalidTimestamp));
  // Not established: the client's ACK of that SYN/ACK is not the handshake's.
  Packet data = h.send(true, kAck, 1001, 5001, "x");
  EXPECT_TRUE(h.sink.bytes[0].empty());
  (void)data;
}

TEST(StreamEvents, ClientAbortOfItsSynClosesTheSession) {
  TcpHarness h;
  h.send(true, kSyn, 1000, 0);
  h.send(true, kRst | kAck, 1000, 1001, {}, 0);
  EXPECT_EQ(h.sink.ends[0], 1u);
  EXPECT_EQ(h.sink.ends[1], 1u);
}

}  // namespace
}  // namespace seawall::stream

namespace seawall::stream {
namespace {

// zeek gtp6 capture pattern: the SYN is resent with a new TSval and the
// SYN/ACK echoes the first one (Suricata finds it in its SYN queue).
TEST(StreamEvents, SynAckMayEchoAnEarlierSynTimestamp) {
  TcpHarness h;
  send_ts(h, true, kSyn, 1000, 0, header_with_timestamp(821984, 0));
  send_ts(h, true, kSyn, 1000, 0, header_with_timestamp(822284, 0));
  Packet sa = send_ts(h, false, kSyn | kAck, 5000, 1001, header_with_timestamp(9, 821984));
  EXPECT_EQ(sa.stream_event_count, 0);
  h.send(true, kAck, 1001, 5001);
  h.send(true, kAck, 1001, 5001, "hello");
  EXPECT_EQ(h.sink.bytes[0], "hello");
}

}  // namespace
}  // namespace seawall::stream

namespace seawall::stream {
namespace {

// stats.memcap.pressure / pressure_max (Suricata 8): percent of the fullest
// stream memcap in use after a packet; the max keeps the high-water mark.
TEST(StreamStats, MemcapPressureFollowsReassemblyMemory) {
  StreamConfig config;
  config.reassembly_memcap = 8192;
  TcpHarness h(config);
  h.handshake(1000, 5000);
  EXPECT_EQ(h.counter("memcap.pressure"), 0u);
  // Out of order: waits in the store.
  h.send(true, kAck, 1101, 5001, std::string(400, 'a'));
  const uint64_t used = h.reassembler().reassembly_memuse();
  ASSERT_GT(used, 0u);
  const uint64_t pct = h.counter("memcap.pressure");
  EXPECT_GT(pct, 0u);
  EXPECT_EQ(pct, used * 100 / 8192);
  EXPECT_EQ(h.counter("memcap.pressure_max"), pct);
  h.end();
  // Another flow's packet: the first flow's memory is back in the pool.
  Flow other;
  h.send_on(other, true, kSyn, 1, 0);
  EXPECT_LT(h.counter("memcap.pressure"), pct);
  EXPECT_EQ(h.counter("memcap.pressure_max"), pct);
}

}  // namespace
}  // namespace seawall::stream
