// libFuzzer target for the decoder entry point.
// Input: byte 0 selects the link type, the rest is one captured frame. The
// frame is decoded like src/runtime/worker.cc does it: decode_packet, then
// every tunnel payload in turn up to kMaxTunnelDepth.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/counters.h"
#include "decode/decoder.h"
#include "decode/packet.h"
#include "fuzz_link.h"

namespace {

using namespace seawall;

// One copy of each option set: checksum validation off and on, so both
// code paths are reached (byte 0 bit 7 selects).
const DecodeOptions& options_for(uint8_t selector) {
  static const DecodeOptions plain{};
  static const DecodeOptions checksums = [] {
    DecodeOptions o;
    o.validate_checksums = true;
    return o;
  }();
  return (selector & 0x80) != 0 ? checksums : plain;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static ThreadCounters counters;
  DecodeContext ctx{options_for(data[0]), counters};

  // A heap copy of exactly the frame's size, so ASan sees any read past its end.
  std::vector<uint8_t> frame(data + 1, data + size);
  static Packet packets[kMaxTunnelDepth];

  Packet& outer = packets[0];
  reset_packet(outer);
  outer.ts = Timestamp{1700000000, 0};
  outer.pcap_cnt = 1;
  outer.data = frame.empty() ? nullptr : frame.data();
  outer.caplen = static_cast<uint32_t>(frame.size());
  outer.wirelen = outer.caplen;
  outer.link = fuzz_link_kind(data[0]);
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

  // Touch what the later stages read, so a bogus pointer/length is caught here.
  volatile uint8_t sink = 0;
  for (int i = 0; i <= depth; ++i) {
    const Packet& p = packets[i];
    if (p.l4 != nullptr && p.l4_len > 0) sink = sink ^ p.l4[p.l4_len - 1];
    if (p.payload != nullptr && p.payload_len > 0) sink = sink ^ p.payload[p.payload_len - 1];
    if (p.l3 != nullptr && p.l3_len > 0) sink = sink ^ p.l3[p.l3_len - 1];
  }
  (void)sink;
  return 0;
}
