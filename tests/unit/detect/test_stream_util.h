// Helpers for detection tests that run packets through the real TCP
// reassembler: a TCP packet of a session, and a sink that drops stream data.
#pragma once

#include <cstdint>
#include <string_view>

#include "decode/packet.h"
#include "flow/flow.h"
#include "stream/tcp_reassembly.h"

namespace seawall::detect::testing {

// A decoded IPv4 TCP packet of flow f (client 10.0.0.1:40000, server
// 10.0.0.2:<server_port>); data must outlive the packet.
inline Packet tcp_session_packet(Flow& f, bool to_server, uint8_t flags, uint32_t seq,
                                 uint32_t ack, std::string_view data = {},
                                 uint16_t server_port = 80) {
  Packet p;
  p.ip_version = 4;
  p.src = IpAddress::parse(to_server ? "10.0.0.1" : "10.0.0.2");
  p.dst = IpAddress::parse(to_server ? "10.0.0.2" : "10.0.0.1");
  p.ip_proto = 6;
  p.has_ports = true;
  p.sport = to_server ? 40000 : server_port;
  p.dport = to_server ? server_port : 40000;
  p.tcp_flags = flags;
  p.tcp_seq = seq;
  p.tcp_ack = ack;
  p.tcp_window = 65535;
  p.payload = data.empty() ? nullptr : reinterpret_cast<const uint8_t*>(data.data());
  p.payload_len = static_cast<uint32_t>(data.size());
  p.to_server = to_server;
  p.flow = &f;
  return p;
}

// The reassembler needs a sink; these tests only look at sessions and raw chunks.
struct NullStreamSink : stream::StreamSink {
  void on_stream_data(Flow&, Packet*, stream::StreamDirection, ByteView) override {}
  void on_stream_gap(Flow&, Packet*, stream::StreamDirection, uint32_t) override {}
  void on_stream_end(Flow&, Packet*, stream::StreamDirection) override {}
};

}  // namespace seawall::detect::testing
