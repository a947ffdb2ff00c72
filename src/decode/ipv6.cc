// IPv6 (RFC 8200) and its extension headers. Event rules follow Suricata's
// decode-ipv6.c (duplicate headers, option checks, fragment header checks).
#include "decode/decoder.h"

#include "core/byte_view.h"
#include "decode/decode_util.h"

namespace seawall {
namespace {

const Counter kIpv6 = register_counter({"decoder.ipv6", "IPv6 packets decoded"});

constexpr uint32_t kIpv6HeaderLen = 40;
constexpr uint32_t kFragmentHeaderLen = 8;
constexpr uint32_t kEspHeaderLen = 8;
constexpr uint32_t kAhMinLen = 12;
constexpr uint32_t kMaxIpPacket = 65535;

namespace nh {
using namespace decode_detail::ipproto;
constexpr uint8_t kMobility = 135, kHip = 139, kShim6 = 140;
}  // namespace nh

namespace opt6 {
constexpr uint8_t kPad1 = 0x00, kPadN = 0x01, kJumbo = 0xc2, kRouterAlert = 0x05,
                  kHomeAddress = 0xc9;
constexpr uint8_t kJumboLen = 4, kRouterAlertLen = 2, kHomeAddressLen = 16;
}  // namespace opt6

// Upper-layer protocols that are normal in IPv6 but not decoded here:
// reported neither as decoded nor as ipv6.unknown_next_header.
bool is_quiet_upper_layer(uint8_t proto) {
  switch (proto) {
    case 2:    // IGMP (seen in v4-in-v6 setups)
    case 88:   // EIGRP
    case 89:   // OSPFv3
    case 103:  // PIM
    case 112:  // VRRP
    case 115:  // L2TPv3
    case 136:  // UDP-Lite
    case 137:  // MPLS-in-IP
      return true;
    default:
      return false;
  }
}

bool is_decoded_upper_layer(uint8_t proto) {
  switch (proto) {
    case nh::kTcp: case nh::kUdp: case nh::kIcmpv6: case nh::kSctp: case nh::kGre:
    case nh::kIpip: case nh::kIpv6: case nh::kIcmp:
      return true;
    default:
      return false;
  }
}

// Hop-by-hop / destination options walk.
void check_options(DecodeContext& ctx, Packet& p, bool hop_by_hop, const uint8_t* opts,
                   uint32_t len) {
  uint32_t padding = 0, others = 0, off = 0;
  while (off < len) {
    uint8_t type = opts[off];
    if (type == opt6::kPad1) {
      ++padding;
      ++off;
      continue;
    }
    if (off + 1 >= len) {
      raise_event(ctx, p, DecodeEvent::kIpv6ExthdrInvalidOptlen);
      break;
    }
    uint8_t olen = opts[off + 1];
    if (off + 2 + olen > len) {
      raise_event(ctx, p, DecodeEvent::kIpv6ExthdrInvalidOptlen);
      break;
    }
    if (type == opt6::kPadN) {
      ++padding;
      if (olen == 0) raise_event(ctx, p, DecodeEvent::kIpv6ZeroLenPadn);
    } else if (type == opt6::kRouterAlert || type == opt6::kJumbo ||
               type == opt6::kHomeAddress) {
      uint8_t need = type == opt6::kRouterAlert ? opt6::kRouterAlertLen
                     : type == opt6::kJumbo     ? opt6::kJumboLen
                                                : opt6::kHomeAddressLen;
      if (olen < need) {
        raise_event(ctx, p, DecodeEvent::kIpv6ExthdrInvalidOptlen);
        break;
      }
      ++others;
    } else {
      raise_event(ctx, p, hop_by_hop ? DecodeEvent::kIpv6HopoptsUnknownOpt
                                     : DecodeEvent::kIpv6DstoptsUnknownOpt);
      ++others;
    }
    off += 2u + olen;
  }
  if (padding > 0 && others == 0) {
    raise_event(ctx, p, hop_by_hop ? DecodeEvent::kIpv6HopoptsOnlyPadding
                                   : DecodeEvent::kIpv6DstoptsOnlyPadding);
  }
}

}  // namespace

void decode_ipv6(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  ctx.counters.add(kIpv6);
  if (len < kIpv6HeaderLen) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kIpv6PktTooSmall);
    return;
  }
  if ((data[0] >> 4) != 6) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kIpv6WrongIpVersion);
    return;
  }
  uint32_t plen = load_be16(data + 4);
  if (len < kIpv6HeaderLen + plen) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kIpv6TruncPkt);
    return;
  }
  p.ip_version = 6;
  p.ipv6_flow_label = load_be32(data) & 0x000fffff;
  p.src = IpAddress::v6(data + 8);
  p.dst = IpAddress::v6(data + 24);
  p.ttl = data[7];
  p.ip_len = static_cast<uint16_t>(kIpv6HeaderLen + plen);
  p.l3 = data;
  p.l3_len = kIpv6HeaderLen + plen;

  uint8_t next = data[6];
  const uint8_t* pkt = data + kIpv6HeaderLen;
  uint32_t left = plen;  // bytes beyond plen are link padding
  bool seen_hh = false, seen_rh = false, seen_fh = false, seen_ah = false;
  int dstopts = 0;
  bool first_header = true;

  for (;;) {
    p.ip_proto = next;
    if (is_decoded_upper_layer(next)) {
      decode_ip_payload(ctx, p, next, pkt, left);
      return;
    }
    if (next == nh::kNone) {
      if (left > 0) raise_event(ctx, p, DecodeEvent::kIpv6DataAfterNoneHeader);
      return;
    }
    if (is_quiet_upper_layer(next)) return;
    if (next == nh::kEsp) {  // encrypted from here on: nothing more to walk
      if (left < kEspHeaderLen) decode_detail::raise_invalid(ctx, p, DecodeEvent::kIpv6TruncExthdr);
      return;
    }
    bool is_ext = next == nh::kHopOpts || next == nh::kRouting || next == nh::kFragment ||
                  next == nh::kDstOpts || next == nh::kAh || next == nh::kMobility ||
                  next == nh::kHip || next == nh::kShim6;
    if (!is_ext) {
      raise_event(ctx, p, DecodeEvent::kIpv6UnknownNextHeader);
      return;
    }
    if (left < 2) {
      decode_detail::raise_invalid(ctx, p, DecodeEvent::kIpv6TruncExthdr);
      return;
    }
    uint32_t hdr_len = 0;
    switch (next) {
      case nh::kFragment: hdr_len = kFragmentHeaderLen; break;
      case nh::kAh:  // RFC 4302: length in 4-byte units, minus 2
        hdr_len = (uint32_t{pkt[1]} + 2) * 4;
        if (hdr_len < kAhMinLen) hdr_len = kAhMinLen;
        break;
      default: hdr_len = (uint32_t{pkt[1]} + 1) * 8; break;
    }
    if (hdr_len > left) {
      decode_detail::raise_invalid(ctx, p, DecodeEvent::kIpv6TruncExthdr);
      return;
    }
    switch (next) {
      case nh::kHopOpts:
        // RFC 8200: hop-by-hop must come first; a repeat is flagged as duplicate.
        if (seen_hh || !first_header) {
          raise_event(ctx, p, DecodeEvent::kIpv6ExthdrDuplHh);
          break;
        }
        seen_hh = true;
        check_options(ctx, p, true, pkt + 2, hdr_len - 2);
        break;
      case nh::kDstOpts:
        // One destination-options header may precede the routing header and
        // one may follow it; anything more is a duplicate.
        if (dstopts >= 2 || (dstopts == 1 && !seen_rh)) {
          raise_event(ctx, p, DecodeEvent::kIpv6ExthdrDuplDh);
          break;
        }
        ++dstopts;
        check_options(ctx, p, false, pkt + 2, hdr_len - 2);
        break;
      case nh::kRouting:
        if (seen_rh) {
          raise_event(ctx, p, DecodeEvent::kIpv6ExthdrDuplRh);
          break;
        }
        seen_rh = true;
        if (hdr_len >= 3 && pkt[2] == 0) raise_event(ctx, p, DecodeEvent::kIpv6RhType0);
        break;
      case nh::kAh:
        if (load_be16(pkt + 2) != 0) raise_event(ctx, p, DecodeEvent::kIpv6ExthdrAhResNotNull);
        if (seen_ah) {
          raise_event(ctx, p, DecodeEvent::kIpv6ExthdrDuplAh);
          break;
        }
        seen_ah = true;
        break;
      case nh::kFragment: {
        if (pkt[1] != 0) raise_event(ctx, p, DecodeEvent::kIpv6FhNonZeroReservedField);
        if (seen_fh) {
          raise_event(ctx, p, DecodeEvent::kIpv6ExthdrDuplFh);
          break;
        }
        seen_fh = true;
        uint16_t off_flags = load_be16(pkt + 2);
        uint32_t offset = uint32_t{off_flags & 0xfff8u};  // 13-bit offset in 8-byte units
        bool more = (off_flags & 0x0001) != 0;
        uint32_t frag_data = left - kFragmentHeaderLen;
        if (offset == 0 && !more) {
          // An atomic fragment: nothing to reassemble, decode on.
          raise_event(ctx, p, DecodeEvent::kIpv6ExthdrUselessFh);
          break;
        }
        if (more && (frag_data % 8) != 0) {
          decode_detail::raise_invalid(ctx, p, DecodeEvent::kIpv6FragInvalidLength);
          return;
        }
        if (offset + frag_data > kMaxIpPacket) {
          raise_event(ctx, p, DecodeEvent::kIpv6FragPktTooLarge);
        }
        p.is_fragment = true;
        p.first_fragment = offset == 0;
        if (!p.first_fragment) {
          p.ip_proto = pkt[0];
          return;
        }
        break;
      }
      default:  // mobility, HIP, shim6: skipped by their length
        break;
    }
    // A duplicate header is skipped by its length like any other.
    first_header = false;
    next = pkt[0];
    pkt += hdr_len;
    left -= hdr_len;
  }
}

}  // namespace seawall
