// SCTP (RFC 9260): common header ports and a bounds-checked chunk walk.
#include "decode/decoder.h"

#include "core/byte_view.h"
#include "decode/decode_util.h"

namespace seawall {
namespace {

const Counter kSctp = register_counter({"decoder.sctp", "SCTP packets decoded"});
const Counter kSctpChunks = register_counter({"decoder.sctp_chunks", "SCTP chunks walked"});

constexpr uint32_t kSctpHeaderLen = 12;
constexpr uint32_t kChunkHeaderLen = 4;

}  // namespace

void decode_sctp(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  ctx.counters.add(kSctp);
  if (len < kSctpHeaderLen) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kSctpPktTooSmall);
    return;
  }
  p.sport = load_be16(data);
  p.dport = load_be16(data + 2);
  p.has_ports = true;
  p.l4 = data;
  p.l4_len = len;
  p.payload = data + kSctpHeaderLen;
  p.payload_len = len - kSctpHeaderLen;
  if (p.is_fragment) return;  // chunks run past a first fragment

  uint32_t off = kSctpHeaderLen;
  uint64_t chunks = 0;
  while (off < len) {
    uint32_t left = len - off;
    uint32_t chunk_len = left >= kChunkHeaderLen ? load_be16(data + off + 2) : 0;
    if (left < kChunkHeaderLen || chunk_len < kChunkHeaderLen || chunk_len > left) {
      raise_event(ctx, p, DecodeEvent::kSctpPktTooSmall);
      break;
    }
    ++chunks;
    // Chunks are padded to 4 bytes; the last chunk's padding may be absent.
    uint32_t padded = (chunk_len + 3u) & ~3u;
    off += padded < left ? padded : left;
  }
  ctx.counters.add(kSctpChunks, chunks);
}

}  // namespace seawall
