// Raw stream chunks (what stream-inspecting rules see per packet), the
// stream_added flag, and Suricata's stream_size measure.
#include <gtest/gtest.h>

#include <string>

#include "tcp_test_util.h"

namespace seawall::stream {
namespace {

using testing::kAck;
using testing::kPsh;
using testing::TcpHarness;

StreamConfig raw_config(uint32_t lookback) {
  StreamConfig c;
  c.raw_inspection = true;
  c.raw_lookback[0] = c.raw_lookback[1] = lookback;
  return c;
}

std::string text(ByteView v) { return std::string(reinterpret_cast<const char*>(v.data()), v.size()); }

// Handles one packet and returns its chunk as "lookback|new".
struct Sent {
  std::string lookback, fresh;
  bool stream_added = false;
};
Sent send_raw(TcpHarness& h, bool to_server, uint32_t seq, uint32_t ack, std::string_view data) {
  Packet p = h.packet(h.flow, to_server, kAck | kPsh, seq, ack, data);
  h.reassembler().handle_packet(p, h.sink);
  const RawStreamChunk c = h.reassembler().raw_chunk(p);
  return {text(c.lookback()), text(c.window.subspan(c.new_offset)), p.stream_added};
}

TEST(RawStream, ChunkIsLookbackPlusTheBytesThePacketDelivered) {
  TcpHarness h(raw_config(6));
  h.handshake(100, 500);
  Sent a = send_raw(h, true, 101, 501, "USER");
  EXPECT_EQ(a.lookback, "");
  EXPECT_EQ(a.fresh, "USER");
  EXPECT_TRUE(a.stream_added);
  Sent b = send_raw(h, true, 105, 501, " root\r\n");
  EXPECT_EQ(b.lookback, "USER");  // a split pattern is whole in the window
  EXPECT_EQ(b.fresh, " root\r\n");
  Sent c = send_raw(h, true, 112, 501, "PASS");
  EXPECT_EQ(c.lookback, "root\r\n");  // capped at the configured 6 bytes
  EXPECT_EQ(c.fresh, "PASS");
  // The other direction has its own lookback.
  Sent d = send_raw(h, false, 501, 116, "331 ok");
  EXPECT_EQ(d.lookback, "");
  EXPECT_EQ(d.fresh, "331 ok");
  h.end();
  EXPECT_EQ(h.reassembler().reassembly_memuse(), 0u);  // lookback slots returned
}

TEST(RawStream, HoleFillDeliversEverythingOnTheFillingPacket) {
  TcpHarness h(raw_config(64));
  h.handshake(100, 500);
  Sent late = send_raw(h, true, 105, 501, "BBBB");
  EXPECT_EQ(late.fresh, "");         // waits for the hole: nothing to inspect yet
  EXPECT_TRUE(late.stream_added);    // but it is part of the stream (not a packet match)
  Sent fill = send_raw(h, true, 101, 501, "AAAA");
  EXPECT_EQ(fill.fresh, "AAAABBBB");
}

TEST(RawStream, RetransmissionIsNotAddedAndDeliversNothing) {
  TcpHarness h(raw_config(64));
  h.handshake(100, 500);
  send_raw(h, true, 101, 501, "hello");
  Sent again = send_raw(h, true, 101, 501, "hello");
  EXPECT_FALSE(again.stream_added);
  EXPECT_EQ(again.fresh, "");
}

TEST(RawStream, GapStartsAFreshWindow) {
  StreamConfig c = raw_config(64);
  c.max_waiting_segments = 1;
  TcpHarness h(c);
  h.handshake(100, 500);
  send_raw(h, true, 101, 501, "abc");
  send_raw(h, true, 110, 501, "xyz");  // waits behind a 6-byte hole
  // The waiting list is full: the hole becomes a gap and "xyz" goes out on
  // this packet, without "abc" in front of it (the bytes are not contiguous).
  Sent after = send_raw(h, true, 120, 501, "123");
  EXPECT_EQ(h.sink.gaps[0], 1u);
  EXPECT_EQ(after.lookback, "");
  EXPECT_EQ(after.fresh, "xyz");
}

TEST(RawStream, OffUnlessRequested) {
  TcpHarness h;  // raw_inspection defaults to off
  h.handshake(100, 500);
  Sent a = send_raw(h, true, 101, 501, "data");
  EXPECT_EQ(a.fresh, "");
  EXPECT_TRUE(a.stream_added);
}

TEST(RawStream, LookbackCountsAgainstTheReassemblyMemcap) {
  StreamConfig c = raw_config(2560);
  c.reassembly_memcap = 4096;  // room for the segment copies, not for a 2,560-byte lookback too
  TcpHarness h(c);
  h.handshake(100, 500);
  send_raw(h, true, 101, 501, std::string(1600, 'a'));
  Sent b = send_raw(h, true, 1701, 501, "b");
  EXPECT_EQ(b.lookback, "");
  EXPECT_GE(h.counter("tcp.raw_lookback_memcap_drop"), 1u);
  EXPECT_LE(h.reassembler().reassembly_memuse(), 4096u);
}

TEST(StreamSize, NextSeqMinusIsnPerSide) {
  TcpHarness h;
  uint32_t client = 0, server = 0;
  EXPECT_FALSE(stream_size(h.flow, StreamDirection::kToServer, client));  // no session yet
  h.handshake(1000, 9000);
  ASSERT_TRUE(stream_size(h.flow, StreamDirection::kToServer, client));
  ASSERT_TRUE(stream_size(h.flow, StreamDirection::kToClient, server));
  EXPECT_EQ(client, 1u);  // the SYN counts one, as in Suricata
  EXPECT_EQ(server, 1u);
  h.send(true, kAck | kPsh, 1001, 9001, "0123456789");
  h.send(false, kAck | kPsh, 9001, 1011, "abc");
  ASSERT_TRUE(stream_size(h.flow, StreamDirection::kToServer, client));
  ASSERT_TRUE(stream_size(h.flow, StreamDirection::kToClient, server));
  EXPECT_EQ(client, 11u);
  EXPECT_EQ(server, 4u);
}

}  // namespace
}  // namespace seawall::stream
