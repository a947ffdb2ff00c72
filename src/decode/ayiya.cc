// AYIYA ("Anything In Anything", SixXS's tunnel protocol, UDP 5072): a
// header of 8 bytes + 2^idlen identity bytes + 4*siglen signature bytes, then,
// for the forward opcode, an IPv4 or IPv6 packet named by the next header.
// There is no magic number, so every header field must hold a defined value.
#include "decode/decoder.h"

namespace seawall {
namespace {

const Counter kAyiyaCounter =
    register_counter({.name = "decoder.ayiya", .help = "AYIYA tunnel packets"});

constexpr uint32_t kAyiyaFixedLen = 8;      // id/sig/auth/opcode bytes, next header, epoch
constexpr uint8_t kAyiyaMaxIdType = 2;      // none, integer, ASCII string
constexpr uint8_t kAyiyaMaxHashMethod = 2;  // none, MD5, SHA-1
constexpr uint8_t kAyiyaMaxAuthMethod = 2;  // none, shared secret, public key
constexpr uint8_t kAyiyaMaxOpcode = 7;
constexpr uint8_t kAyiyaOpForward = 1;
constexpr uint8_t kNextHeaderIpv4 = 4;
constexpr uint8_t kNextHeaderIpv6 = 41;

}  // namespace

bool decode_ayiya(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  if (data == nullptr || len < kAyiyaFixedLen) return false;
  const uint32_t id_len = 1u << (data[0] >> 4);
  const uint8_t id_type = data[0] & 0x0F;
  const uint32_t sig_len = (data[1] >> 4) * 4u;
  const uint8_t hash_method = data[1] & 0x0F;
  const uint8_t auth_method = data[2] >> 4;
  const uint8_t opcode = data[2] & 0x0F;
  const uint8_t next_header = data[3];
  const uint32_t header_len = kAyiyaFixedLen + id_len + sig_len;
  if (id_type > kAyiyaMaxIdType || hash_method > kAyiyaMaxHashMethod ||
      auth_method > kAyiyaMaxAuthMethod || opcode > kAyiyaMaxOpcode || header_len > len) {
    return false;
  }
  ctx.counters.add(kAyiyaCounter);
  if (opcode != kAyiyaOpForward) return true;  // heartbeats, echo, MOTD, queries

  const uint8_t* inner = data + header_len;
  const uint32_t inner_len = len - header_len;
  const uint8_t inner_version = inner_len > 0 ? inner[0] >> 4 : 0;
  // AYIYA has no packet source of its own: an IP tunnel of the outer family.
  const PacketSource source =
      p.ip_version == 6 ? PacketSource::kIpv6Tunnel : PacketSource::kIpv4Tunnel;
  if (next_header == kNextHeaderIpv6 && inner_version == 6) {
    set_tunnel(p, inner, inner_len, LayerKind::kIpv6, source);
  } else if (next_header == kNextHeaderIpv4 && inner_version == 4) {
    set_tunnel(p, inner, inner_len, LayerKind::kIpv4, source);
  }
  return true;
}

}  // namespace seawall
