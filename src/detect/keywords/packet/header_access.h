// Bounds-checked reads of raw IPv4/IPv6/TCP header fields the Packet does
// not carry as members (IPv4 id/tos/flags/options, IPv6 extension headers,
// TCP options). Used by the header keywords and header sticky buffers at
// match time: no allocation, every read checked against the captured length.
#pragma once

#include <cstdint>

#include "core/byte_view.h"
#include "decode/packet.h"

namespace seawall::detect::hdr {

inline constexpr uint32_t kIpv4MinHeader = 20;
inline constexpr uint32_t kIpv6Header = 40;
inline constexpr uint32_t kTcpMinHeader = 20;

// IPv4 header length (IHL * 4) when p has a complete IPv4 header, else 0.
inline uint32_t ipv4_header_len(const Packet& p) {
  if (p.ip_version != 4 || p.l3 == nullptr || p.l3_len < kIpv4MinHeader) return 0;
  uint32_t hlen = uint32_t{p.l3[0] & 0x0fu} * 4;
  if (hlen < kIpv4MinHeader || hlen > p.l3_len) return 0;
  return hlen;
}

// IPv6 header plus extension headers: the bytes before the L4 header (or
// the fixed 40 bytes when no L4 header was found).
inline uint32_t ipv6_header_len(const Packet& p) {
  if (p.ip_version != 6 || p.l3 == nullptr || p.l3_len < kIpv6Header) return 0;
  if (p.l4 != nullptr && p.l4 > p.l3 && static_cast<uint32_t>(p.l4 - p.l3) <= p.l3_len) {
    return static_cast<uint32_t>(p.l4 - p.l3);
  }
  return kIpv6Header;
}

// TCP header length (data offset * 4) when complete, else 0.
inline uint32_t tcp_header_len(const Packet& p) {
  if (p.ip_proto != 6 || p.l4 == nullptr || p.l4_len < kTcpMinHeader) return 0;
  uint32_t hlen = (uint32_t{p.l4[12]} >> 4) * 4;
  if (hlen < kTcpMinHeader || hlen > p.l4_len) return 0;
  return hlen;
}

// IPv4 flag bits as fragbits sees them.
inline constexpr uint8_t kFragMf = 0x01, kFragDf = 0x02, kFragRf = 0x04;

// IPv4 option flags (Suricata's IPV4_OPT_FLAG_*), one bit per known option.
namespace ipopt {
inline constexpr uint16_t kEol = 1u << 0, kNop = 1u << 1, kRr = 1u << 2, kTs = 1u << 3,
                          kSec = 1u << 4, kLsrr = 1u << 5, kSsrr = 1u << 6, kSid = 1u << 7,
                          kEsec = 1u << 8, kQs = 1u << 9, kCipso = 1u << 10, kRtralt = 1u << 11;
}

// Walks the IPv4 options; stops at EOL or at the first malformed option.
inline uint16_t ipv4_option_flags(const Packet& p) {
  uint32_t hlen = ipv4_header_len(p);
  if (hlen <= kIpv4MinHeader) return 0;
  uint16_t flags = 0;
  uint32_t i = kIpv4MinHeader;
  while (i < hlen) {
    uint8_t type = p.l3[i];
    if (type == 0) {
      flags |= ipopt::kEol;
      break;
    }
    if (type == 1) {
      flags |= ipopt::kNop;
      ++i;
      continue;
    }
    if (i + 1 >= hlen) break;
    uint8_t len = p.l3[i + 1];
    if (len < 2 || i + len > hlen) break;
    switch (type) {
      case 7: flags |= ipopt::kRr; break;
      case 25: flags |= ipopt::kQs; break;
      case 68: flags |= ipopt::kTs; break;
      case 130: flags |= ipopt::kSec; break;
      case 131: flags |= ipopt::kLsrr; break;
      case 133: flags |= ipopt::kEsec; break;
      case 134: flags |= ipopt::kCipso; break;
      case 136: flags |= ipopt::kSid; break;
      case 137: flags |= ipopt::kSsrr; break;
      case 148: flags |= ipopt::kRtralt; break;
      default: break;
    }
    i += len;
  }
  return flags;
}

// IPv6 fragment header offset field (offset & 0xfff8, i.e. in bytes, as
// Suricata's fragoffset reads it). False when there is no fragment header.
inline bool ipv6_fragment_offset(const Packet& p, uint16_t& offset) {
  if (p.ip_version != 6 || p.l3 == nullptr || p.l3_len < kIpv6Header) return false;
  uint8_t next = p.l3[6];
  uint32_t pos = kIpv6Header;
  for (int guard = 0; guard < 16; ++guard) {
    switch (next) {
      case 44:  // fragment header: fixed 8 bytes
        if (pos + 8 > p.l3_len) return false;
        offset = static_cast<uint16_t>(load_be16(p.l3 + pos + 2) & 0xfff8u);
        return true;
      case 0: case 43: case 60: case 135: case 139: case 140: {
        if (pos + 2 > p.l3_len) return false;
        uint32_t len = (uint32_t{p.l3[pos + 1]} + 1) * 8;
        next = p.l3[pos];
        pos += len;
        break;
      }
      case 51: {  // AH: length in 4-byte units, minus 2
        if (pos + 2 > p.l3_len) return false;
        uint32_t len = (uint32_t{p.l3[pos + 1]} + 2) * 4;
        next = p.l3[pos];
        pos += len;
        break;
      }
      default:
        return false;
    }
  }
  return false;
}

// Finds TCP option `kind`; on success points `value` at its data bytes.
inline bool tcp_option(const Packet& p, uint8_t kind, const uint8_t*& value, uint8_t& value_len) {
  uint32_t hlen = tcp_header_len(p);
  uint32_t i = kTcpMinHeader;
  while (i < hlen) {
    uint8_t k = p.l4[i];
    if (k == 0) break;  // end of option list
    if (k == 1) {       // NOP
      ++i;
      continue;
    }
    if (i + 1 >= hlen) break;
    uint8_t len = p.l4[i + 1];
    if (len < 2 || i + len > hlen) break;
    if (k == kind) {
      value = p.l4 + i + 2;
      value_len = static_cast<uint8_t>(len - 2);
      return true;
    }
    i += len;
  }
  return false;
}

}  // namespace seawall::detect::hdr
