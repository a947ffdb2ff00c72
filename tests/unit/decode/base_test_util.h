// Helpers for the base decoder tests: a decode context with its own
// counters, and byte builders whose checksums come from a reference loop
// written independently of src/decode/checksum.cc.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "core/counters.h"
#include "decode/decoder.h"

namespace seawall::test {

using Bytes = std::vector<uint8_t>;

struct DecodeFixture : ::testing::Test {
  DecodeOptions options;
  ThreadCounters counters;
  DecodeContext ctx{options, counters};
  Packet p;
  Bytes storage;

  uint64_t counter(std::string_view name) const {
    const auto& all = all_counters();
    for (size_t i = 0; i < all.size(); ++i) {
      if (all[i].name == name) return counters.get_index(i);
    }
    ADD_FAILURE() << "no counter named " << name;
    return 0;
  }
  // Runs the whole entry point on a frame.
  // The frame is copied so Packet pointers stay valid after a temporary dies.
  void decode(const Bytes& frame, LayerKind link = LayerKind::kEthernet) {
    storage = frame;
    storage.shrink_to_fit();  // exact size: ASan then flags any overread
    reset_packet(p);
    p.data = storage.data();
    p.caplen = p.wirelen = static_cast<uint32_t>(storage.size());
    p.link = link;
    decode_packet(ctx, p);
  }
  bool has(DecodeEvent e) const { return p.has_event(e); }
};

inline void put16(Bytes& b, uint16_t v) {
  b.push_back(static_cast<uint8_t>(v >> 8));
  b.push_back(static_cast<uint8_t>(v));
}
inline void put32(Bytes& b, uint32_t v) {
  put16(b, static_cast<uint16_t>(v >> 16));
  put16(b, static_cast<uint16_t>(v));
}
inline void append(Bytes& b, const Bytes& more) { b.insert(b.end(), more.begin(), more.end()); }
inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& x : parts) append(out, x);
  return out;
}

// RFC 1071, the textbook way: 16-bit words in a 32-bit accumulator.
inline uint16_t ref_checksum(const Bytes& data) {
  uint32_t sum = 0;
  for (size_t i = 0; i < data.size(); i += 2) {
    uint32_t word = uint32_t{data[i]} << 8;
    if (i + 1 < data.size()) word |= data[i + 1];
    sum += word;
  }
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

inline Bytes ethernet(uint16_t ether_type) {
  Bytes b = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb};
  put16(b, ether_type);
  return b;
}
inline Bytes vlan_tag(uint16_t vid, uint16_t next_type) {
  Bytes b;
  put16(b, vid & 0x0fff);
  put16(b, next_type);
  return b;
}

struct Ipv4Spec {
  uint8_t proto = 6;
  uint8_t src[4] = {10, 0, 0, 1};
  uint8_t dst[4] = {10, 0, 0, 2};
  uint8_t ttl = 64;
  uint16_t frag = 0;  // flags + offset field
  Bytes options;      // must be a multiple of 4
};
inline Bytes ipv4(const Ipv4Spec& s, const Bytes& payload) {
  uint8_t hlen = static_cast<uint8_t>(20 + s.options.size());
  Bytes b = {static_cast<uint8_t>(0x40 | (hlen / 4)), 0};
  put16(b, static_cast<uint16_t>(hlen + payload.size()));
  put16(b, 0x1234);
  put16(b, s.frag);
  b.push_back(s.ttl);
  b.push_back(s.proto);
  put16(b, 0);
  b.insert(b.end(), s.src, s.src + 4);
  b.insert(b.end(), s.dst, s.dst + 4);
  append(b, s.options);
  uint16_t c = ref_checksum(b);
  b[10] = static_cast<uint8_t>(c >> 8);
  b[11] = static_cast<uint8_t>(c);
  append(b, payload);
  return b;
}
inline Bytes ipv4(uint8_t proto, const Bytes& payload) {
  Ipv4Spec s;
  s.proto = proto;
  return ipv4(s, payload);
}

inline Bytes ipv6_src() { return {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}; }
inline Bytes ipv6_dst() { return {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}; }
inline Bytes ipv6(uint8_t next, const Bytes& payload, uint8_t hop_limit = 64) {
  Bytes b = {0x60, 0x01, 0x23, 0x45};  // flow label 0x12345
  put16(b, static_cast<uint16_t>(payload.size()));
  b.push_back(next);
  b.push_back(hop_limit);
  append(b, ipv6_src());
  append(b, ipv6_dst());
  append(b, payload);
  return b;
}

// Pseudo-header checksums over IPv4/IPv6 built by hand (RFC 793 / RFC 8200 8.1).
inline uint16_t ref_l4_checksum_v4(const uint8_t src[4], const uint8_t dst[4], uint8_t proto,
                                   const Bytes& l4) {
  Bytes pseudo(src, src + 4);
  pseudo.insert(pseudo.end(), dst, dst + 4);
  pseudo.push_back(0);
  pseudo.push_back(proto);
  put16(pseudo, static_cast<uint16_t>(l4.size()));
  append(pseudo, l4);
  return ref_checksum(pseudo);
}
inline uint16_t ref_l4_checksum_v6(uint8_t next, const Bytes& l4) {
  Bytes pseudo = cat({ipv6_src(), ipv6_dst()});
  put32(pseudo, static_cast<uint32_t>(l4.size()));
  put32(pseudo, next);
  append(pseudo, l4);
  return ref_checksum(pseudo);
}

inline Bytes tcp(uint16_t sport, uint16_t dport, uint8_t flags, const Bytes& options = {},
                 const Bytes& payload = {}) {
  Bytes b;
  put16(b, sport);
  put16(b, dport);
  put32(b, 0x01020304);  // seq
  put32(b, 0x0a0b0c0d);  // ack
  b.push_back(static_cast<uint8_t>(((20 + options.size()) / 4) << 4));
  b.push_back(flags);
  put16(b, 65535);
  put16(b, 0);  // checksum
  put16(b, 0);  // urgent
  append(b, options);
  append(b, payload);
  return b;
}
inline Bytes udp(uint16_t sport, uint16_t dport, const Bytes& payload = {}) {
  Bytes b;
  put16(b, sport);
  put16(b, dport);
  put16(b, static_cast<uint16_t>(8 + payload.size()));
  put16(b, 0);
  append(b, payload);
  return b;
}
inline void set_checksum(Bytes& l4, size_t at, uint16_t c) {
  l4[at] = static_cast<uint8_t>(c >> 8);
  l4[at + 1] = static_cast<uint8_t>(c);
}

}  // namespace seawall::test
