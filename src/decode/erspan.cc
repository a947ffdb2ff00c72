// ERSPAN (Cisco Encapsulated Remote SPAN) inside GRE: mirrored frames.
//   type I   GRE proto 0x88BE without sequence number: no ERSPAN header
//   type II  GRE proto 0x88BE: 8-byte header, version 1
//   type III GRE proto 0x22EB: 12-byte header, version 2, +8 bytes when O is set
#include "decode/decoder.h"

#include "core/byte_view.h"

namespace seawall {
namespace {

const Counter kErspanCounter =
    register_counter({.name = "decoder.erspan", .help = "ERSPAN packets (types I, II, III)"});

constexpr uint16_t kProtoErspan2 = 0x88BE;
constexpr uint16_t kProtoErspan3 = 0x22EB;
constexpr uint32_t kType2HeaderLen = 8;
constexpr uint32_t kType3HeaderLen = 12;
constexpr uint32_t kType3PlatformSubheaderLen = 8;
constexpr uint8_t kType2Version = 1;
constexpr uint8_t kType3Version = 2;
// Type III frame types (FT field).
constexpr uint8_t kFrameEthernet = 0;
constexpr uint8_t kFrameIp = 2;

// Types II and III start with Ver(4) | VLAN(12): as Suricata's DecodeERSPAN,
// the mirrored frame gets that VLAN id, and the inner packet's length counts
// the ERSPAN header (Suricata's tunnel packet begins there).
void set_erspan_header(Packet& p, const uint8_t* header, uint32_t header_len) {
  p.tunnel.encap_len = static_cast<uint16_t>(header_len);
  p.tunnel.vlan = static_cast<uint16_t>(load_be16(header) & 0x0FFF);
}

}  // namespace

void decode_erspan(DecodeContext& ctx, Packet& p, uint16_t gre_proto, bool gre_has_seq,
                   const uint8_t* data, uint32_t len) {
  if (gre_proto != kProtoErspan2 && gre_proto != kProtoErspan3) return;
  ctx.counters.add(kErspanCounter);

  if (gre_proto == kProtoErspan2 && !gre_has_seq) {
    // Type I: the mirrored Ethernet frame follows GRE directly.
    set_tunnel(p, data, len, LayerKind::kEthernet, PacketSource::kErspan);
    return;
  }

  const uint32_t min_len = gre_proto == kProtoErspan2 ? kType2HeaderLen : kType3HeaderLen;
  if (data == nullptr || len < min_len) {
    raise_event(ctx, p, DecodeEvent::kErspanHeaderTooSmall);
    return;
  }
  const uint8_t version = data[0] >> 4;
  if (gre_proto == kProtoErspan2) {
    if (version != kType2Version) {
      raise_event(ctx, p, DecodeEvent::kErspanUnsupportedVersion);
      return;
    }
    set_tunnel(p, data + kType2HeaderLen, len - kType2HeaderLen, LayerKind::kEthernet,
               PacketSource::kErspan);
    set_erspan_header(p, data, kType2HeaderLen);
    return;
  }

  if (version != kType3Version) {
    raise_event(ctx, p, DecodeEvent::kErspanUnsupportedVersion);
    return;
  }
  uint32_t header_len = kType3HeaderLen;
  if (data[11] & 0x01) header_len += kType3PlatformSubheaderLen;  // O: platform subheader
  if (len < header_len) {
    raise_event(ctx, p, DecodeEvent::kErspanHeaderTooSmall);
    return;
  }
  const uint8_t frame_type = (data[10] >> 2) & 0x1F;
  if (frame_type == kFrameEthernet) {
    set_tunnel(p, data + header_len, len - header_len, LayerKind::kEthernet,
               PacketSource::kErspan);
    set_erspan_header(p, data, header_len);
  } else if (frame_type == kFrameIp) {
    set_tunnel(p, data + header_len, len - header_len, LayerKind::kIpRaw, PacketSource::kErspan);
    set_erspan_header(p, data, header_len);
  }
  // Other frame types are not defined for ERSPAN III: nothing to decode.
}

}  // namespace seawall
