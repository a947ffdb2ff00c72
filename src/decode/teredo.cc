// Teredo (RFC 4380): IPv6 over UDP through IPv4 NATs. Nothing in the
// payload names the protocol, so, like Suricata's DecodeTeredo, a payload is
// taken as Teredo only when what follows the optional authentication and
// origin indication headers is a plausible IPv6 packet that fits in the
// datagram (RFC 6081 trailers may follow it).
#include "decode/decoder.h"

#include "core/byte_view.h"

namespace seawall {
namespace {

const Counter kTeredoCounter =
    register_counter({.name = "decoder.teredo", .help = "Teredo packets carrying IPv6"});

constexpr uint32_t kIpv6HeaderLen = 40;
constexpr uint32_t kAuthFixedLen = 4;     // indicator, client id length, auth value length
constexpr uint32_t kAuthTrailerLen = 9;   // nonce (8) and confirmation (1)
constexpr uint32_t kOriginIndicationLen = 8;

enum class TeredoHeaders { kNone, kParsed, kTruncated };

// Skips the authentication and origin indication headers; `off` ends at the
// first byte after them.
TeredoHeaders skip_headers(const uint8_t* data, uint32_t len, uint32_t& off) {
  TeredoHeaders result = TeredoHeaders::kNone;
  off = 0;
  if (len >= 2 && data[0] == 0 && data[1] == 1) {
    if (len < kAuthFixedLen) return TeredoHeaders::kTruncated;
    off = kAuthFixedLen + data[2] + data[3] + kAuthTrailerLen;
    if (off > len) return TeredoHeaders::kTruncated;
    result = TeredoHeaders::kParsed;
  }
  if (len - off >= 2 && data[off] == 0 && data[off + 1] == 0) {
    if (len - off < kOriginIndicationLen) return TeredoHeaders::kTruncated;
    off += kOriginIndicationLen;
    result = TeredoHeaders::kParsed;
  }
  return result;
}

}  // namespace

bool decode_teredo(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  if (data == nullptr) return false;
  uint32_t off = 0;
  const TeredoHeaders headers = skip_headers(data, len, off);
  if (headers == TeredoHeaders::kTruncated) {
    raise_event(ctx, p, DecodeEvent::kTeredoHeaderTooSmall);
    return true;
  }
  const uint8_t* ip6 = data + off;
  const uint32_t ip6_len = len - off;
  if (ip6_len < kIpv6HeaderLen) {
    if (headers == TeredoHeaders::kParsed) {
      raise_event(ctx, p, DecodeEvent::kTeredoHeaderTooSmall);
      return true;
    }
    return false;
  }
  if ((ip6[0] >> 4) != 6) return false;
  const uint32_t payload_len = load_be16(ip6 + 4);
  const uint8_t next_header = ip6[6];
  const uint8_t hop_limit = ip6[7];
  // Suricata's plausibility checks against UDP that merely looks like IPv6.
  if (hop_limit == 0) return false;
  if (next_header == 0 && payload_len < 8) return false;
  // RFC 6081 trailers (nonce, alternate address, ...) may follow the IPv6
  // packet, so it must fit in the datagram rather than fill it exactly.
  if (kIpv6HeaderLen + payload_len > ip6_len) return false;

  ctx.counters.add(kTeredoCounter);
  set_tunnel(p, ip6, kIpv6HeaderLen + payload_len, LayerKind::kIpv6, PacketSource::kTeredo);
  return true;
}

}  // namespace seawall
