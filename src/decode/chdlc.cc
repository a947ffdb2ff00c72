// Cisco HDLC (DLT_C_HDLC, serial links on carrier routers): address, control
// and a 16-bit ethertype, then the network layer (Suricata's decode-chdlc.c).
#include "decode/decoder.h"

#include "core/byte_view.h"
#include "decode/decode_util.h"

namespace seawall {
namespace {

const Counter kChdlc = register_counter({"decoder.chdlc", "Cisco HDLC frames decoded"});

constexpr uint32_t kChdlcHeaderLen = 4;

}  // namespace

void decode_chdlc(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  ctx.counters.add(kChdlc);
  if (len < kChdlcHeaderLen) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kChdlcPktTooSmall);
    return;
  }
  decode_ethertype(ctx, p, load_be16(data + 2), data + kChdlcHeaderLen, len - kChdlcHeaderLen);
}

}  // namespace seawall
