// TCP Fast Open (RFC 7413): data on a SYN that carries the Fast Open option
// is part of the client's stream; the SYN/ACK acknowledges it (or only the
// SYN, when the server ignored it: 3whs_synack_tfo_data_ignored), following
// Suricata's StreamTcpPacketStateNone / StreamTcpPacketStateSynSent.
#include <gtest/gtest.h>

#include <array>

#include "stream/stream_event.h"
#include "stream/tcp_reassembly.h"
#include "tcp_test_util.h"

namespace seawall::stream {
namespace {

using testing::kAck;
using testing::kPsh;
using testing::kSyn;
using testing::TcpHarness;

// A 28-byte TCP header whose options are one 8-byte block (`opt`).
std::array<uint8_t, 28> tcp_header_with(std::array<uint8_t, 8> opt) {
  std::array<uint8_t, 28> h{};
  h[12] = 7 << 4;  // data offset: 7 words
  for (size_t i = 0; i < opt.size(); ++i) h[20 + i] = opt[i];
  return h;
}

// Fast Open option with a 4-byte cookie, then NOP padding.
constexpr std::array<uint8_t, 8> kTfoOption = {34, 6, 0xde, 0xad, 0xbe, 0xef, 1, 1};
// The pre-RFC experimental form: kind 254, magic 0xF989.
constexpr std::array<uint8_t, 8> kTfoExpOption = {254, 4, 0xF9, 0x89, 1, 1, 1, 1};
// No Fast Open: a window scale option.
constexpr std::array<uint8_t, 8> kWscaleOption = {3, 3, 7, 1, 1, 1, 1, 1};

Packet send_syn(TcpHarness& h, const std::array<uint8_t, 28>& hdr, uint32_t isn,
                std::string_view data) {
  Packet p = h.packet(h.flow, true, kSyn, isn, 0, data);
  p.l4 = hdr.data();
  p.l4_len = static_cast<uint32_t>(hdr.size());
  h.reassembler().handle_packet(p, h.sink);
  return p;
}

TEST(TcpFastOpen, SynDataIsDeliveredAndSessionEstablishes) {
  for (const auto& opt : {kTfoOption, kTfoExpOption}) {
    TcpHarness h;
    const auto hdr = tcp_header_with(opt);
    Packet syn = send_syn(h, hdr, 1000, "GET / HTTP/1.0\r\n");
    EXPECT_TRUE(syn.stream_added);
    EXPECT_EQ(h.sink.bytes[0], "GET / HTTP/1.0\r\n");
    EXPECT_EQ(h.sink.last_data_pcap[0], syn.pcap_cnt);  // on the SYN itself
    // The SYN/ACK acknowledges SYN + 16 data bytes.
    Packet sa = h.send(false, kSyn | kAck, 5000, 1001 + 16);
    EXPECT_EQ(sa.stream_event_count, 0);
    // The server answers before the client's ACK: no 3whs_ack_in_wrong_dir with Fast Open.
    Packet srv = h.send(false, kAck | kPsh, 5001, 1017, "HTTP/1.0 200 OK\r\n");
    EXPECT_EQ(srv.stream_event_count, 0);
    EXPECT_EQ(h.sink.bytes[1], "HTTP/1.0 200 OK\r\n");
    Packet cli = h.send(true, kAck | kPsh, 1017, 5001 + 17, "\r\n");
    EXPECT_EQ(cli.stream_event_count, 0);
    EXPECT_EQ(h.sink.bytes[0], "GET / HTTP/1.0\r\n\r\n");
    uint32_t size = 0;
    ASSERT_TRUE(stream_size(h.flow, StreamDirection::kToServer, size));
    EXPECT_EQ(size, 1u + 16 + 2);
  }
}

TEST(TcpFastOpen, SynDataWithoutTheOptionIsIgnored) {
  TcpHarness h;
  const auto hdr = tcp_header_with(kWscaleOption);
  Packet syn = send_syn(h, hdr, 1000, "GET / HTTP/1.0\r\n");
  EXPECT_FALSE(syn.stream_added);
  EXPECT_TRUE(h.sink.bytes[0].empty());
  // A SYN/ACK acknowledging the data is wrong for a plain SYN.
  Packet sa = h.send(false, kSyn | kAck, 5000, 1017);
  EXPECT_TRUE(has_stream_event(sa, StreamEvent::k3whsSynackWithWrongAck));
}

TEST(TcpFastOpen, SynAckThatIgnoresTheDataRaisesTheEvent) {
  TcpHarness h;
  const auto hdr = tcp_header_with(kTfoOption);
  send_syn(h, hdr, 1000, "hello");
  Packet sa = h.send(false, kSyn | kAck, 5000, 1001);  // only the SYN
  EXPECT_TRUE(has_stream_event(sa, StreamEvent::k3whsSynackTfoDataIgnored));
  // The client sends the data again after the handshake: not delivered twice.
  Packet ack = h.send(true, kAck, 1001, 5001, "hello");
  EXPECT_FALSE(has_stream_event(ack, StreamEvent::k3whsWrongSeqWrongAck));
  h.send(true, kAck | kPsh, 1006, 5001, " world");
  EXPECT_EQ(h.sink.bytes[0], "hello world");
}

TEST(TcpFastOpen, SynAckWithUnrelatedAckIsRejected) {
  TcpHarness h;
  const auto hdr = tcp_header_with(kTfoOption);
  send_syn(h, hdr, 1000, "hello");
  Packet sa = h.send(false, kSyn | kAck, 5000, 1003);
  EXPECT_TRUE(has_stream_event(sa, StreamEvent::k3whsSynackWithWrongAck));
}

}  // namespace
}  // namespace seawall::stream
