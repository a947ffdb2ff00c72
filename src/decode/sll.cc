// Linux cooked captures: SLL (DLT_LINUX_SLL, 16 bytes) and SLL2
// (DLT_LINUX_SLL2, 20 bytes). Both end up in the ethertype dispatcher.
#include "decode/decoder.h"

#include "core/byte_view.h"
#include "decode/decode_util.h"

namespace seawall {
namespace {

const Counter kSll = register_counter({"decoder.sll", "Linux cooked (SLL) frames decoded"});
const Counter kSll2 = register_counter({"decoder.sll2", "Linux cooked v2 (SLL2) frames decoded"});

constexpr uint32_t kSllHeaderLen = 16;   // type, arphrd, addr len, addr[8], protocol
constexpr uint32_t kSll2HeaderLen = 20;  // protocol, rsvd, ifindex, arphrd, type, alen, addr[8]

}  // namespace

void decode_sll(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  ctx.counters.add(kSll);
  if (len < kSllHeaderLen) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kSllPktTooSmall);
    return;
  }
  decode_ethertype(ctx, p, load_be16(data + 14), data + kSllHeaderLen, len - kSllHeaderLen);
}

void decode_sll2(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  ctx.counters.add(kSll2);
  if (len < kSll2HeaderLen) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kSll2PktTooSmall);
    return;
  }
  decode_ethertype(ctx, p, load_be16(data), data + kSll2HeaderLen, len - kSll2HeaderLen);
}

}  // namespace seawall
