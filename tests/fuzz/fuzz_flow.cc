// libFuzzer target for decode + flow tracking together.
// Input: a sequence of records [selector u8][seconds-advance u8][len u16 BE][frame].
// Each frame is decoded (with its tunnel chain, as src/runtime/worker.cc does)
// and every layer goes through a FlowTable small enough that eviction,
// emergency mode and expiry are all reached within one input.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/counters.h"
#include "decode/decoder.h"
#include "flow/flow.h"
#include "flow/flow_table.h"
#include "fuzz_link.h"

namespace {

using namespace seawall;

// Reads every field a flow logger would, so a flow in a bad state is caught.
class CheckingSink : public FlowEndSink {
 public:
  void on_flow_end(const Flow& flow, FlowEndReason reason, Timestamp now) override {
    char id[kCommunityIdMaxLen];
    size_t n = community_id_v1(flow, 0, id);
    if (n > kCommunityIdMaxLen) __builtin_trap();
    (void)flow_id(flow);
    (void)flow_state_name(flow.state);
    (void)tcp_state_name(flow.tcp_state);
    (void)flow_end_reason_name(reason);
    (void)now;
    ++ended;
  }
  uint64_t ended = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static ThreadCounters counters;
  static const DecodeOptions options{};
  DecodeContext ctx{options, counters};

  FlowConfig config;
  config.memcap = 16 * sizeof(Flow);  // a pool of ~16 flows
  config.hash_size = 8;
  config.prealloc = 4;
  FlowTable table(config, counters);
  CheckingSink sink;
  static Packet packets[kMaxTunnelDepth];

  Timestamp now{1700000000, 0};
  size_t pos = 0;
  uint64_t index = 0;
  while (pos + 4 <= size) {
    uint8_t selector = data[pos];
    now.sec += data[pos + 1];
    now.usec = static_cast<int32_t>((now.usec + 1) % 1000000);
    size_t len = (static_cast<size_t>(data[pos + 2]) << 8) | data[pos + 3];
    pos += 4;
    if (len > size - pos) len = size - pos;
    std::vector<uint8_t> frame(data + pos, data + pos + len);
    pos += len;

    table.expire(now, sink);
    Packet& outer = packets[0];
    reset_packet(outer);
    outer.ts = now;
    outer.pcap_cnt = ++index;
    outer.data = frame.empty() ? nullptr : frame.data();
    outer.caplen = outer.wirelen = static_cast<uint32_t>(frame.size());
    outer.link = fuzz_link_kind(selector);
    decode_packet(ctx, outer);
    int depth = 0;
    while (packets[depth].tunnel.present()) {
      if (depth + 1 >= kMaxTunnelDepth) {
        raise_event(ctx, packets[depth], DecodeEvent::kTooManyLayers);
        break;
      }
      if (!decode_tunnel_payload(ctx, packets[depth], packets[depth + 1])) break;
      ++depth;
    }
    for (int i = 0; i <= depth; ++i) table.handle_packet(packets[i], sink);
    if (table.active() > table.capacity()) __builtin_trap();
  }
  table.flush_all(now, sink);
  if (table.active() != 0) __builtin_trap();
  return 0;
}
