// Geneve (RFC 8926) on UDP. Validation follows Suricata's decode-geneve.c:
// a header that does not validate leaves the payload to plain UDP.
#include "decode/decoder.h"

#include "core/byte_view.h"
#include "decode/decode_util.h"

namespace seawall {
namespace {

const Counter kGeneveCounter =
    register_counter({.name = "decoder.geneve", .help = "Geneve packets"});

constexpr uint32_t kGeneveHeaderLen = 8;
constexpr uint32_t kOptionHeaderLen = 4;

constexpr uint16_t kProtoIpv4 = 0x0800;
constexpr uint16_t kProtoIpv6 = 0x86DD;
constexpr uint16_t kProtoTransparentEthernet = 0x6558;
constexpr uint16_t kProtoArp = 0x0806;

// The options must exactly fill the option length of the fixed header.
bool options_consistent(const uint8_t* options, uint32_t options_len) {
  uint32_t off = 0;
  while (off < options_len) {
    // options_len and every option length are multiples of 4, so a whole
    // option header is present whenever off < options_len.
    off += kOptionHeaderLen + (options[off + 3] & 0x1Fu) * 4u;
  }
  return off == options_len;
}

}  // namespace

bool decode_geneve(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  if (data == nullptr || len < kGeneveHeaderLen) return false;
  const uint8_t version = data[0] >> 6;
  const uint32_t options_len = (data[0] & 0x3Fu) * 4u;
  const uint32_t header_len = kGeneveHeaderLen + options_len;
  if (len < header_len || version != 0) return false;
  if ((data[1] & 0x3F) != 0 || data[7] != 0) return false;  // reserved bits
  if (!options_consistent(data + kGeneveHeaderLen, options_len)) return false;
  ctx.counters.add(kGeneveCounter);

  const uint8_t* inner = data + header_len;
  const uint32_t inner_len = len - header_len;
  switch (load_be16(data + 2)) {
    case kProtoIpv4:
      set_tunnel(p, inner, inner_len, LayerKind::kIpv4, PacketSource::kGeneve);
      break;
    case kProtoIpv6:
      set_tunnel(p, inner, inner_len, LayerKind::kIpv6, PacketSource::kGeneve);
      break;
    case kProtoTransparentEthernet:
      set_tunnel(p, inner, inner_len, LayerKind::kEthernet, PacketSource::kGeneve);
      break;
    case kProtoArp:  // bare ARP: valid Geneve, no inner packet we decode
      break;
    default:
      decode_detail::raise_invalid(ctx, p, DecodeEvent::kGeneveUnknownPayloadType);
      break;
  }
  return true;
}

}  // namespace seawall
