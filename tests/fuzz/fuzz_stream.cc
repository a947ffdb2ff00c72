// libFuzzer target for TCP tracking + reassembly.
// Input: [config u8] then records of
//   [dir+flags u8][tcp flags u8][seq delta i16 BE][ack delta i16 BE][len u8][len bytes]
// driving one flow. Sequence numbers are relative to a cursor per direction,
// so the fuzzer reaches in-order, overlapping, out-of-order and wrapped
// segments. The sink checks what comes out is bounded and consistent.
#include <cstddef>
#include <cstdint>

#include "core/counters.h"
#include "decode/packet.h"
#include "flow/flow.h"
#include "stream/tcp_reassembly.h"

namespace {

using namespace seawall;
using namespace seawall::stream;

class CheckingSink : public StreamSink {
 public:
  void on_stream_data(Flow&, Packet*, StreamDirection dir, ByteView data) override {
    const int d = static_cast<int>(dir);
    if (ended[d] || data.empty() || data.data() == nullptr) __builtin_trap();
    for (uint8_t b : data) checksum += b;  // every delivered byte must be readable
    data_bytes[d] += data.size();
    stream_bytes[d] += data.size();
  }
  void on_stream_gap(Flow&, Packet*, StreamDirection dir, uint32_t len) override {
    const int d = static_cast<int>(dir);
    if (ended[d] || len == 0) __builtin_trap();
    stream_bytes[d] += len;
  }
  void on_stream_end(Flow&, Packet*, StreamDirection dir) override {
    const int d = static_cast<int>(dir);
    if (ended[d]) __builtin_trap();  // once per direction
    ended[d] = true;
  }

  uint64_t data_bytes[2] = {0, 0};
  uint64_t stream_bytes[2] = {0, 0};
  bool ended[2] = {false, false};
  uint64_t checksum = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static ThreadCounters counters;
  if (size < 1) return 0;
  const uint8_t selector = data[0];
  StreamConfig config;
  config.midstream = (selector & 0x01) != 0;
  config.async_oneside = (selector & 0x02) != 0;
  config.policy = static_cast<OverlapPolicy>((selector >> 2) % 12);
  if (selector & 0x40) config.reassembly_depth = 300;
  if (selector & 0x80) {
    config.reassembly_memcap = 4096;
    config.max_waiting_segments = 3;
  }
  // Raw stream chunks always on: small lookbacks under the small memcap.
  config.raw_inspection = true;
  config.raw_lookback[0] = config.raw_lookback[1] = (selector & 0x80) ? 64 : 2560;
  TcpReassembler reassembler(config, counters);
  CheckingSink sink;
  Flow flow;
  flow.key.proto = 6;

  uint32_t cursor[2] = {1000, 0xFFFFFF00u};  // the second one wraps soon
  uint64_t fed[2] = {0, 0};
  size_t pos = 1;
  uint64_t index = 0;
  while (pos + 7 <= size) {
    const bool to_server = (data[pos] & 1) != 0;
    const int d = to_server ? 0 : 1;
    const uint8_t flags = data[pos + 1];
    const auto seq_delta = static_cast<int16_t>((data[pos + 2] << 8) | data[pos + 3]);
    const auto ack_delta = static_cast<int16_t>((data[pos + 4] << 8) | data[pos + 5]);
    size_t len = data[pos + 6];
    pos += 7;
    if (len > size - pos) len = size - pos;

    Packet p;
    p.pcap_cnt = ++index;
    p.ts = Timestamp{1700000000, static_cast<int32_t>(index % 1000000)};
    p.ip_version = 4;
    p.ip_proto = 6;
    p.has_ports = true;
    p.sport = to_server ? 1234 : 80;
    p.dport = to_server ? 80 : 1234;
    p.tcp_flags = flags;
    p.tcp_seq = cursor[d] + static_cast<uint32_t>(static_cast<int32_t>(seq_delta));
    p.tcp_ack = cursor[1 - d] + static_cast<uint32_t>(static_cast<int32_t>(ack_delta));
    p.tcp_window = static_cast<uint16_t>(0xFFFF - (data[pos - 1] << 4));
    p.payload = len > 0 ? data + pos : nullptr;
    p.payload_len = static_cast<uint32_t>(len);
    p.to_server = to_server;
    p.flow = &flow;
    const uint64_t delivered_before = sink.data_bytes[d];
    reassembler.handle_packet(p, sink);
    if (p.stream_event_count > p.stream_events.size()) __builtin_trap();
    // The raw chunk holds at most the lookback plus what this packet delivered.
    const RawStreamChunk chunk = reassembler.raw_chunk(p);
    if (chunk.new_offset > chunk.window.size()) __builtin_trap();
    if (chunk.new_offset > config.raw_lookback[d]) __builtin_trap();
    if (chunk.window.size() - chunk.new_offset > sink.data_bytes[d] - delivered_before)
      __builtin_trap();

    fed[d] += len;
    // Mostly in-order progress, so long streams are reached too.
    cursor[d] = p.tcp_seq + static_cast<uint32_t>(len);
    pos += len;
    for (int k = 0; k < 2; ++k) {
      // Bytes cannot be invented: delivered data never exceeds what was sent.
      if (sink.data_bytes[k] > fed[k]) __builtin_trap();
      if (config.reassembly_depth != 0 && sink.stream_bytes[k] > config.reassembly_depth)
        __builtin_trap();
    }
    if (reassembler.reassembly_memuse() > config.reassembly_memcap) __builtin_trap();
  }
  const bool had_session = flow.tcp != nullptr;
  reassembler.end_flow(flow, sink);
  if (flow.tcp != nullptr) __builtin_trap();
  if (had_session && !(sink.ended[0] && sink.ended[1])) __builtin_trap();
  if (reassembler.sessions_in_use() != 0 || reassembler.reassembly_memuse() != 0)
    __builtin_trap();
  return 0;
}
