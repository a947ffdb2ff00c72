// Minimal classic-pcap reader for decoder tests (unit_decode does not link
// libpcap). Both byte orders, microsecond and nanosecond magic; pcapng files
// are reported as such so tests can skip them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "decode/packet.h"

namespace seawall::pcap_test {

struct Record {
  std::vector<uint8_t> data;  // captured bytes
  uint32_t wirelen = 0;
  uint32_t ts_sec = 0;
  uint32_t ts_frac = 0;  // microseconds or nanoseconds (see File::nanosecond)
};

struct File {
  bool ok = false;
  bool is_pcapng = false;
  std::string error;
  uint32_t link_type = 0;
  bool nanosecond = false;
  std::vector<Record> records;
};

inline File read_file(const std::string& path) {
  File f;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    f.error = "cannot open " + path;
    return f;
  }
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
  if (bytes.size() < 24) {
    f.error = "shorter than a pcap file header";
    return f;
  }
  const uint32_t magic_le = bytes[0] | (uint32_t{bytes[1]} << 8) | (uint32_t{bytes[2]} << 16) |
                            (uint32_t{bytes[3]} << 24);
  bool swapped = false;  // file written big-endian
  switch (magic_le) {
    case 0xa1b2c3d4: break;
    case 0xa1b23c4d: f.nanosecond = true; break;
    case 0xd4c3b2a1: swapped = true; break;
    case 0x4d3cb2a1: swapped = true, f.nanosecond = true; break;
    case 0x0a0d0d0a: f.is_pcapng = true, f.error = "pcapng"; return f;
    default: f.error = "not a pcap file"; return f;
  }
  auto u32 = [&](size_t at) -> uint32_t {
    if (swapped) {
      return (uint32_t{bytes[at]} << 24) | (uint32_t{bytes[at + 1]} << 16) |
             (uint32_t{bytes[at + 2]} << 8) | bytes[at + 3];
    }
    return bytes[at] | (uint32_t{bytes[at + 1]} << 8) | (uint32_t{bytes[at + 2]} << 16) |
           (uint32_t{bytes[at + 3]} << 24);
  };
  f.link_type = u32(20) & 0xFFFF;  // upper bits may carry FCS information
  size_t off = 24;
  while (off + 16 <= bytes.size()) {
    Record r;
    r.ts_sec = u32(off);
    r.ts_frac = u32(off + 4);
    const uint32_t caplen = u32(off + 8);
    r.wirelen = u32(off + 12);
    off += 16;
    if (caplen > bytes.size() - off) {
      f.error = "truncated record " + std::to_string(f.records.size() + 1);
      return f;
    }
    r.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(off),
                  bytes.begin() + static_cast<std::ptrdiff_t>(off + caplen));
    off += caplen;
    f.records.push_back(std::move(r));
  }
  f.ok = true;
  return f;
}

// Where decoding starts for a pcap link type; kUnknown when not supported.
inline LayerKind layer_for_link_type(uint32_t link_type) {
  switch (link_type) {
    case 0: return LayerKind::kNull;
    case 1: return LayerKind::kEthernet;
    case 9: return LayerKind::kPpp;
    case 104: return LayerKind::kChdlc;
    case 12:
    case 14:
    case 101: return LayerKind::kIpRaw;
    case 108: return LayerKind::kLoop;
    case 113: return LayerKind::kSll;
    case 228: return LayerKind::kIpv4;
    case 229: return LayerKind::kIpv6;
    case 276: return LayerKind::kSll2;
    default: return LayerKind::kUnknown;
  }
}

}  // namespace seawall::pcap_test
