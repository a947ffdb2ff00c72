// TCP (RFC 9293) header and options walk, as Suricata's decode-tcp.c.
#include "decode/decoder.h"

#include "core/byte_view.h"
#include "decode/decode_util.h"

namespace seawall {
namespace {

const Counter kTcp = register_counter({"decoder.tcp", "TCP segments decoded"});
const Counter kTcpBadChecksum =
    register_counter({"tcp.invalid_checksum", "TCP segments with a wrong checksum"});

constexpr uint32_t kTcpHeaderLen = 20;
constexpr uint32_t kTcpMaxOptionsLen = 40;

namespace opt {
constexpr uint8_t kEol = 0, kNop = 1, kMss = 2, kWs = 3, kSackPermitted = 4, kSack = 5,
                  kTimestamp = 8;
constexpr uint8_t kMssLen = 4, kWsLen = 3, kSackPermittedLen = 2, kTimestampLen = 10,
                  kSackMinLen = 10, kSackMaxLen = 34;
}  // namespace opt

// False when an option is so malformed that decoding stops.
bool decode_options(DecodeContext& ctx, Packet& p, const uint8_t* o, uint32_t len) {
  uint32_t seen = 0;  // bit per option kind (< 32) already present
  while (len > 0) {
    uint8_t type = o[0];
    if (type == opt::kEol) break;
    if (type == opt::kNop) {
      ++o;
      --len;
      continue;
    }
    if (len < 2) break;
    uint8_t olen = o[1];
    if (olen > len || olen < 2) {
      decode_detail::raise_invalid(ctx, p, DecodeEvent::kTcpOptInvalidLen);
      return false;
    }
    bool len_ok = true;
    bool checked = true;
    switch (type) {
      case opt::kMss: len_ok = olen == opt::kMssLen; break;
      case opt::kWs: len_ok = olen == opt::kWsLen; break;
      case opt::kSackPermitted: len_ok = olen == opt::kSackPermittedLen; break;
      case opt::kTimestamp: len_ok = olen == opt::kTimestampLen; break;
      case opt::kSack:
        len_ok = olen >= opt::kSackMinLen && olen <= opt::kSackMaxLen && (olen - 2) % 8 == 0;
        break;
      default: checked = false; break;
    }
    if (checked) {
      if (!len_ok) {
        raise_event(ctx, p, DecodeEvent::kTcpOptInvalidLen);
      } else if (seen & (1u << type)) {
        raise_event(ctx, p, DecodeEvent::kTcpOptDuplicate);
      } else {
        seen |= 1u << type;
      }
    }
    o += olen;
    len -= olen;
  }
  return true;
}

}  // namespace

void decode_tcp(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  ctx.counters.add(kTcp);
  if (len < kTcpHeaderLen) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kTcpPktTooSmall);
    return;
  }
  uint32_t hlen = (uint32_t{data[12]} >> 4) * 4;
  if (len < hlen) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kTcpHlenTooSmall);
    return;
  }
  // A data offset below 5 words: Suricata reports it as an invalid options
  // length (its unsigned option length wraps past the 40-byte maximum).
  if (hlen < kTcpHeaderLen || hlen - kTcpHeaderLen > kTcpMaxOptionsLen) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kTcpInvalidOptlen);
    return;
  }
  if (hlen > kTcpHeaderLen &&
      !decode_options(ctx, p, data + kTcpHeaderLen, hlen - kTcpHeaderLen)) {
    return;
  }

  p.sport = load_be16(data);
  p.dport = load_be16(data + 2);
  p.tcp_seq = load_be32(data + 4);
  p.tcp_ack = load_be32(data + 8);
  p.tcp_flags = data[13];
  p.tcp_window = load_be16(data + 14);
  p.has_ports = true;
  p.l4 = data;
  p.l4_len = len;
  p.payload = data + hlen;
  p.payload_len = len - hlen;

  if (ctx.options.validate_checksums && !p.is_fragment &&
      !l4_checksum_ok(p, decode_detail::ipproto::kTcp, data, len)) {
    p.l4_checksum_bad = true;
    ctx.counters.add(kTcpBadChecksum);
  }
}

}  // namespace seawall
