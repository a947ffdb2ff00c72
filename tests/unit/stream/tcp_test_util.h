// Hand-built TCP packets and a recording StreamSink for the reassembly tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/counters.h"
#include "decode/packet.h"
#include "flow/flow.h"
#include "stream/stream_event.h"
#include "stream/tcp_reassembly.h"

namespace seawall::stream::testing {

inline constexpr uint8_t kSyn = tcp_flag::kSyn, kAck = tcp_flag::kAck, kFin = tcp_flag::kFin,
                         kRst = tcp_flag::kRst, kPsh = tcp_flag::kPsh;

// Everything the reassembler handed out, per direction. Gaps are rendered
// as NUL bytes in `stream`, the way Suricata's tests show holes.
struct Recorder : StreamSink {
  std::string stream[2];
  std::string bytes[2];
  uint32_t gaps[2] = {0, 0};
  uint32_t ends[2] = {0, 0};
  uint32_t data_calls[2] = {0, 0};
  uint64_t last_data_pcap[2] = {0, 0};  // pcap_cnt of the packet that carried the last data
  bool after_end = false;               // data or gap delivered after on_stream_end

  void on_stream_data(Flow&, Packet* p, StreamDirection dir, ByteView data) override {
    const int d = static_cast<int>(dir);
    if (ends[d] != 0) after_end = true;
    stream[d].append(reinterpret_cast<const char*>(data.data()), data.size());
    bytes[d].append(reinterpret_cast<const char*>(data.data()), data.size());
    ++data_calls[d];
    last_data_pcap[d] = p != nullptr ? p->pcap_cnt : 0;
  }
  void on_stream_gap(Flow&, Packet*, StreamDirection dir, uint32_t len) override {
    const int d = static_cast<int>(dir);
    if (ends[d] != 0) after_end = true;
    stream[d].append(len, '\0');
    ++gaps[d];
  }
  void on_stream_end(Flow&, Packet*, StreamDirection dir) override {
    ++ends[static_cast<int>(dir)];
  }
};

inline uint64_t counter_value(const ThreadCounters& tc, std::string_view name) {
  const auto& all = all_counters();
  for (size_t i = 0; i < all.size(); ++i)
    if (all[i].name == name) return tc.get_index(i);
  ADD_FAILURE() << "unknown counter " << name;
  return 0;
}

class TcpHarness {
 public:
  explicit TcpHarness(const StreamConfig& config = StreamConfig{})
      : config_(config), reassembler_(std::make_unique<TcpReassembler>(config_, counters_)) {}

  Packet packet(Flow& f, bool to_server, uint8_t flags, uint32_t seq, uint32_t ack,
                std::string_view data = {}, uint16_t window = 65535) {
    Packet p;
    p.ts = Timestamp{1700000000, static_cast<int32_t>(pcap_cnt_)};
    p.pcap_cnt = ++pcap_cnt_;
    p.ip_version = 4;
    p.ip_proto = 6;
    p.has_ports = true;
    p.sport = to_server ? 40000 : 80;
    p.dport = to_server ? 80 : 40000;
    p.tcp_flags = flags;
    p.tcp_seq = seq;
    p.tcp_ack = (flags & kAck) ? ack : 0;
    p.tcp_window = window;
    p.payload = data.empty() ? nullptr : reinterpret_cast<const uint8_t*>(data.data());
    p.payload_len = static_cast<uint32_t>(data.size());
    p.to_server = to_server;
    p.flow = &f;
    return p;
  }

  // Builds and handles one packet on the default flow; returns it (for its events).
  Packet send(bool to_server, uint8_t flags, uint32_t seq, uint32_t ack,
              std::string_view data = {}, uint16_t window = 65535) {
    return send_on(flow, to_server, flags, seq, ack, data, window);
  }
  Packet send_on(Flow& f, bool to_server, uint8_t flags, uint32_t seq, uint32_t ack,
                 std::string_view data = {}, uint16_t window = 65535) {
    Packet p = packet(f, to_server, flags, seq, ack, data, window);
    reassembler_->handle_packet(p, sink);
    return p;
  }

  // SYN, SYN/ACK, ACK. Client data then starts at cisn + 1, server data at sisn + 1.
  void handshake(uint32_t cisn, uint32_t sisn) { handshake_on(flow, cisn, sisn); }
  void handshake_on(Flow& f, uint32_t cisn, uint32_t sisn) {
    send_on(f, true, kSyn, cisn, 0);
    send_on(f, false, kSyn | kAck, sisn, cisn + 1);
    send_on(f, true, kAck, cisn + 1, sisn + 1);
  }

  void end() { reassembler_->end_flow(flow, sink); }
  TcpReassembler& reassembler() { return *reassembler_; }
  uint64_t counter(std::string_view name) const { return counter_value(counters_, name); }

  Flow flow;
  Recorder sink;

 private:
  StreamConfig config_;
  ThreadCounters counters_;
  std::unique_ptr<TcpReassembler> reassembler_;
  uint64_t pcap_cnt_ = 0;
};

}  // namespace seawall::stream::testing
