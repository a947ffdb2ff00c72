// Google Benchmark micro benchmarks for per-packet hot functions. Timed here,
// never asserted (see tests/bench/CMakeLists.txt).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/counters.h"
#include "decode/decoder.h"
#include "decode/packet.h"
#include "flow/flow.h"
#include "flow/flow_table.h"
#include "output/eve/json_writer.h"

namespace {

using namespace seawall;

void put16(std::vector<uint8_t>& v, size_t at, uint16_t x) {
  v[at] = static_cast<uint8_t>(x >> 8);
  v[at + 1] = static_cast<uint8_t>(x);
}

uint16_t ip_checksum(const uint8_t* h, size_t len) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < len; i += 2) sum += (h[i] << 8) | h[i + 1];
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

// IPv4 header + `payload`, protocol `proto`.
std::vector<uint8_t> ipv4(uint8_t proto, uint32_t src, uint32_t dst, const std::vector<uint8_t>& payload) {
  std::vector<uint8_t> v(20, 0);
  v[0] = 0x45;
  put16(v, 2, static_cast<uint16_t>(20 + payload.size()));
  put16(v, 6, 0x4000);
  v[8] = 64;
  v[9] = proto;
  for (int i = 0; i < 4; ++i) {
    v[12 + i] = static_cast<uint8_t>(src >> (24 - 8 * i));
    v[16 + i] = static_cast<uint8_t>(dst >> (24 - 8 * i));
  }
  put16(v, 10, ip_checksum(v.data(), 20));
  v.insert(v.end(), payload.begin(), payload.end());
  return v;
}

std::vector<uint8_t> tcp(uint16_t sport, uint16_t dport, size_t payload_len) {
  std::vector<uint8_t> v(20 + payload_len, 'a');
  put16(v, 0, sport);
  put16(v, 2, dport);
  for (int i = 4; i < 20; ++i) v[i] = 0;
  v[4 + 3] = 1;      // seq
  v[12] = 5 << 4;    // data offset
  v[13] = 0x18;      // PSH|ACK
  put16(v, 14, 65535);
  return v;
}

std::vector<uint8_t> udp(uint16_t sport, uint16_t dport, const std::vector<uint8_t>& payload) {
  std::vector<uint8_t> v(8, 0);
  put16(v, 0, sport);
  put16(v, 2, dport);
  put16(v, 4, static_cast<uint16_t>(8 + payload.size()));
  v.insert(v.end(), payload.begin(), payload.end());
  return v;
}

std::vector<uint8_t> ethernet(const std::vector<uint8_t>& payload) {
  std::vector<uint8_t> v = {0, 0x66, 0x77, 0x88, 0x99, 0xaa, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x08, 0x00};
  v.insert(v.end(), payload.begin(), payload.end());
  return v;
}

// A typical data segment: Ethernet/IPv4/TCP with 512 payload bytes.
std::vector<uint8_t> tcp_frame(uint16_t sport = 40000) {
  return ethernet(ipv4(6, 0x0a000001, 0x0a000002, tcp(sport, 443, 512)));
}

// Ethernet/IPv4/UDP 2152/GTP-U G-PDU/IPv4/TCP.
std::vector<uint8_t> gtpu_frame() {
  std::vector<uint8_t> inner = ipv4(6, 0x0a2d0001, 0x08080808, tcp(51000, 443, 512));
  std::vector<uint8_t> gtp = {0x30, 0xff, 0, 0, 0, 0, 0x12, 0x34};
  put16(gtp, 2, static_cast<uint16_t>(inner.size()));
  gtp.insert(gtp.end(), inner.begin(), inner.end());
  return ethernet(ipv4(17, 0xc0a80001, 0xc0a80002, udp(2152, 2152, gtp)));
}

struct DecodeFixture {
  DecodeOptions options;
  ThreadCounters counters;
  DecodeContext ctx{options, counters};
  Packet packets[kMaxTunnelDepth];

  // The worker's decode loop (src/runtime/worker.cc): outer packet, then tunnels.
  int decode(const std::vector<uint8_t>& frame) {
    Packet& outer = packets[0];
    reset_packet(outer);
    outer.ts = Timestamp{1700000000, 0};
    outer.pcap_cnt = 1;
    outer.data = frame.data();
    outer.caplen = outer.wirelen = static_cast<uint32_t>(frame.size());
    outer.link = LayerKind::kEthernet;
    decode_packet(ctx, outer);
    int depth = 0;
    while (packets[depth].tunnel.present() && depth + 1 < kMaxTunnelDepth &&
           decode_tunnel_payload(ctx, packets[depth], packets[depth + 1])) {
      ++depth;
    }
    return depth;
  }
};

void BM_DecodeTcpIpv4(benchmark::State& state) {
  DecodeFixture f;
  std::vector<uint8_t> frame = tcp_frame();
  for (auto _ : state) {
    benchmark::DoNotOptimize(f.decode(frame));
    benchmark::DoNotOptimize(f.packets[0].dport);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(frame.size()));
}
BENCHMARK(BM_DecodeTcpIpv4);

void BM_DecodeGtpuTunnel(benchmark::State& state) {
  DecodeFixture f;
  std::vector<uint8_t> frame = gtpu_frame();
  int depth = f.decode(frame);
  if (depth != 1) state.SkipWithError("GTP-U frame did not decode to an inner packet");
  for (auto _ : state) {
    benchmark::DoNotOptimize(f.decode(frame));
    benchmark::DoNotOptimize(f.packets[1].dport);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(frame.size()));
}
BENCHMARK(BM_DecodeGtpuTunnel);

class NullFlowSink : public FlowEndSink {
 public:
  void on_flow_end(const Flow&, FlowEndReason, Timestamp) override { ++ended; }
  uint64_t ended = 0;
};

// FlowTable::handle_packet over state.range(0) distinct flows, visited round-robin
// (1 = the same flow every time, the best case; 100000 = mostly cache misses).
void BM_FlowTableHandlePacket(benchmark::State& state) {
  const int flows = static_cast<int>(state.range(0));
  DecodeFixture f;
  std::vector<std::vector<uint8_t>> frames;
  for (int i = 0; i < flows; ++i) {
    frames.push_back(ethernet(ipv4(6, 0x0a000000u + static_cast<uint32_t>(i / 60000 + 1), 0x0a800002,
                                   tcp(static_cast<uint16_t>(1024 + i % 60000), 443, 64))));
  }
  std::vector<Packet> packets(frames.size());
  for (size_t i = 0; i < frames.size(); ++i) {
    f.decode(frames[i]);
    packets[i] = f.packets[0];
  }
  ThreadCounters counters;
  FlowConfig config;
  FlowTable table(config, counters);
  NullFlowSink sink;
  size_t i = 0;
  for (auto _ : state) {
    Packet& p = packets[i];
    p.flow = nullptr;
    benchmark::DoNotOptimize(table.handle_packet(p, sink));
    if (++i == packets.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["active_flows"] = static_cast<double>(table.active());
}
BENCHMARK(BM_FlowTableHandlePacket)->Arg(1)->Arg(1000)->Arg(100000);

// JSON string escaping: plain ASCII (the common case: hostnames, URIs) and
// binary-ish input with control bytes and invalid UTF-8 (payload printables).
void BM_JsonEscape(benchmark::State& state) {
  std::string input;
  if (state.range(0) == 0) {
    input = "GET /index.html?query=telecom&session=0123456789abcdef HTTP/1.1 Host: example.org";
  } else {
    for (int i = 0; i < 96; ++i) input.push_back(static_cast<char>((i * 37) & 0xff));
  }
  std::string out;
  out.reserve(1024);
  for (auto _ : state) {
    out.clear();
    json_escape_append(out, reinterpret_cast<const uint8_t*>(input.data()), input.size());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(input.size()));
  state.SetLabel(state.range(0) == 0 ? "ascii" : "binary");
}
BENCHMARK(BM_JsonEscape)->Arg(0)->Arg(1);

}  // namespace
