// PPPoE (RFC 2516): discovery (0x8863) is validated, session (0x8864)
// carries PPP.
#include "decode/decoder.h"

#include "core/byte_view.h"
#include "decode/decode_util.h"

namespace seawall {
namespace {

const Counter kPppoe = register_counter({"decoder.pppoe", "PPPoE frames decoded"});

constexpr uint32_t kPppoeHeaderLen = 6;          // ver/type, code, session, length
constexpr uint32_t kPppoeSessionMinLen = 7;      // + one-octet PPP protocol
constexpr uint32_t kPppoeTagHeaderLen = 4;

namespace code {
constexpr uint8_t kPadi = 0x09, kPado = 0x07, kPadr = 0x19, kPads = 0x65, kPadt = 0xa7;
}

}  // namespace

void decode_pppoe_session(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  ctx.counters.add(kPppoe);
  if (len < kPppoeSessionMinLen) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kPppoePktTooSmall);
    return;
  }
  if (load_be16(data + 4) == 0) return;  // nothing carried
  // Like Suricata, the PPPoE length is not used to cut the payload: some
  // senders get it wrong, and the IP total length already drops padding.
  const uint8_t* ppp = data + kPppoeHeaderLen;
  uint32_t ppp_len = len - kPppoeHeaderLen;
  uint16_t protocol = 0;
  uint32_t field_len = 0;
  if (ppp[0] & 0x01) {  // compressed one-octet protocol field
    protocol = ppp[0];
    field_len = 1;
  } else {
    if (ppp_len < 2) {
      decode_detail::raise_invalid(ctx, p, DecodeEvent::kPppoePktTooSmall);
      return;
    }
    protocol = load_be16(ppp);
    field_len = 2;
  }
  decode_detail::decode_ppp_protocol(ctx, p, protocol, ppp + field_len, ppp_len - field_len);
}

void decode_pppoe_discovery(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  ctx.counters.add(kPppoe);
  if (len < kPppoeHeaderLen) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kPppoePktTooSmall);
    return;
  }
  switch (data[1]) {
    case code::kPadi: case code::kPado: case code::kPadr: case code::kPads: case code::kPadt:
      break;
    default:
      raise_event(ctx, p, DecodeEvent::kPppoeWrongCode);
      return;
  }
  uint32_t tags_len = load_be16(data + 4);
  if (tags_len > len - kPppoeHeaderLen) {
    raise_event(ctx, p, DecodeEvent::kPppoeMalformedTags);
    return;
  }
  const uint8_t* tag = data + kPppoeHeaderLen;
  while (tags_len > 0) {
    if (tags_len < kPppoeTagHeaderLen) {
      raise_event(ctx, p, DecodeEvent::kPppoeMalformedTags);
      return;
    }
    uint32_t value_len = load_be16(tag + 2);
    if (value_len > tags_len - kPppoeTagHeaderLen) {
      raise_event(ctx, p, DecodeEvent::kPppoeMalformedTags);
      return;
    }
    tag += kPppoeTagHeaderLen + value_len;
    tags_len -= kPppoeTagHeaderLen + value_len;
  }
}

}  // namespace seawall
