// libFuzzer target for IPv4/IPv6 defragmentation.
// Input: byte 0 picks the overlap policy, byte 1 the limits; then records of
//   ctl(1) offset_flags(2) id(1) len(1) body(len)
// offset_flags is laid out as in the IPv6 fragment header for both families:
// byte offset, bit 0 = more fragments.
// ctl bits 0-1: 0 = IPv4 fragment, 1 = IPv6 fragment, 2 = IPv6 fragment
// behind a destination-options header, 3 = body is a raw IP packet as is;
// bit 2: protocol choice; bit 3: expire after this record; bits 4-7: seconds
// the clock moves. Each record is decoded like a captured packet, fragments
// go through Defragmenter::add() and every rebuilt datagram is decoded again.
// At the end everything expires and must be released.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/byte_view.h"
#include "core/counters.h"
#include "decode/decoder.h"
#include "decode/packet.h"
#include "stream/defrag.h"

namespace {

using namespace seawall;

std::vector<uint8_t> ipv4_fragment(uint8_t ctl, uint16_t off_flags, uint8_t id,
                                   const uint8_t* body, size_t n) {
  std::vector<uint8_t> b(20 + n);
  b[0] = 0x45;
  store_be16(b.data() + 2, static_cast<uint16_t>(20 + n));
  store_be16(b.data() + 4, id & 3);  // few ids: fragments meet in the same trackers
  // Same layout as IPv6 (byte offset, M in bit 0) so one seed serves both.
  store_be16(b.data() + 6, static_cast<uint16_t>(((off_flags >> 3) & 0x1fff) |
                                                  ((off_flags & 1) != 0 ? 0x2000 : 0)));
  b[8] = 64;
  b[9] = (ctl & 4) != 0 ? 17 : 1;
  b[12] = 10, b[15] = 1;
  b[16] = 10, b[19] = 2;
  store_be16(b.data() + 10, checksum_fold(checksum_partial(b.data(), 20)));
  for (size_t i = 0; i < n; ++i) b[20 + i] = body[i];
  return b;
}

std::vector<uint8_t> ipv6_fragment(uint8_t ctl, uint16_t off_flags, uint8_t id,
                                   const uint8_t* body, size_t n) {
  const bool dstopts = (ctl & 3) == 2;
  const size_t ext = dstopts ? 8 : 0;
  std::vector<uint8_t> b(40 + ext + 8 + n);
  b[0] = 0x60;
  store_be16(b.data() + 4, static_cast<uint16_t>(ext + 8 + n));
  b[6] = dstopts ? 60 : 44;
  b[7] = 64;
  b[8] = 0x20, b[23] = 1;
  b[24] = 0x20, b[39] = 2;
  size_t at = 40;
  if (dstopts) {
    b[at] = 44;
    b[at + 2] = 1;  // PadN covering the rest
    b[at + 3] = 4;
    at += 8;
  }
  b[at] = (ctl & 4) != 0 ? 17 : 58;
  store_be16(b.data() + at + 2, static_cast<uint16_t>(off_flags & 0xfff9));
  store_be32(b.data() + at + 4, id & 3);
  for (size_t i = 0; i < n; ++i) b[at + 8 + i] = body[i];
  return b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  static ThreadCounters counters;
  static const DecodeOptions options{};
  DecodeContext ctx{options, counters};

  stream::DefragConfig config;
  config.policy = static_cast<stream::DefragPolicy>(data[0] % 7);
  // Small limits so the memcap, max-frags and tracker paths are reached.
  config.memcap = (data[1] & 1) != 0 ? 1024 : 1u << 20;
  config.max_frags = (data[1] & 2) != 0 ? 4 : 1024;
  config.max_trackers = (data[1] & 4) != 0 ? 2 : 64;
  config.timeout = 10;
  stream::Defragmenter defrag(config, counters);

  int64_t clock = 1000;
  Packet p, rebuilt;
  size_t pos = 2;
  while (pos + 5 <= size) {
    const uint8_t ctl = data[pos];
    const uint16_t off_flags = load_be16(data + pos + 1);
    const uint8_t id = data[pos + 3];
    size_t n = data[pos + 4];
    pos += 5;
    if (n > size - pos) n = size - pos;
    const uint8_t* body = data + pos;
    pos += n;
    clock += ctl >> 4;

    std::vector<uint8_t> frame;  // exact size: ASan sees any overread
    LayerKind link = LayerKind::kIpv4;
    switch (ctl & 3) {
      case 0: frame = ipv4_fragment(ctl, off_flags, id, body, n); break;
      case 1:
      case 2: frame = ipv6_fragment(ctl, off_flags, id, body, n), link = LayerKind::kIpv6; break;
      default: frame.assign(body, body + n), link = LayerKind::kIpRaw; break;
    }
    reset_packet(p);
    p.ts = Timestamp{clock, 0};
    p.data = frame.empty() ? nullptr : frame.data();
    p.caplen = p.wirelen = static_cast<uint32_t>(frame.size());
    p.link = link;
    decode_packet(ctx, p);
    if (p.is_fragment) {
      ByteView datagram = defrag.add(p);
      if (!datagram.empty()) {
        // Copy to an exact-size buffer so overreads by the decoder show.
        std::vector<uint8_t> copy(datagram.begin(), datagram.end());
        decode_reassembled(ctx, p, copy.data(), static_cast<uint32_t>(copy.size()), rebuilt);
        if (rebuilt.is_fragment) __builtin_trap();  // a rebuilt datagram is whole
      }
    }
    if ((ctl & 8) != 0) defrag.expire(Timestamp{clock, 0});
  }
  defrag.expire(Timestamp{clock + 3600, 0});
  if (defrag.trackers_in_use() != 0 || defrag.memuse() != 0) __builtin_trap();
  return 0;
}
