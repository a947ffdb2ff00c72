// Helpers for the QUIC tests: hex, building protected Initial packets with
// the crypto layer (its sealing is checked byte-for-byte against RFC 9001
// A.2/A.3 in quic_crypto_test.cc, and by tshark decrypting what it builds),
// a minimal pcap writer, and running tshark.
#pragma once

#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "applayer/quic/quic_crypto.h"
#include "applayer/quic/quic_parser.h"

namespace seawall::quic::test {

using Bytes = std::vector<uint8_t>;

inline Bytes hex(std::string_view text) {
  Bytes out;
  int hi = -1;
  for (char c : text) {
    int v;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    else continue;
    if (hi < 0) {
      hi = v;
    } else {
      out.push_back(static_cast<uint8_t>(hi << 4 | v));
      hi = -1;
    }
  }
  return out;
}

inline std::string to_hex(ByteView data) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (uint8_t b : data) {
    s += kHex[b >> 4];
    s += kHex[b & 15];
  }
  return s;
}

inline ByteView view(const Bytes& b) { return ByteView(b.data(), b.size()); }

inline void append(Bytes& out, ByteView data) { out.insert(out.end(), data.begin(), data.end()); }

inline void append_varint(Bytes& out, uint64_t v) {
  if (v < 64) {
    out.push_back(static_cast<uint8_t>(v));
  } else if (v < 16384) {
    out.push_back(static_cast<uint8_t>(0x40 | (v >> 8)));
    out.push_back(static_cast<uint8_t>(v));
  } else {
    out.push_back(static_cast<uint8_t>(0x80 | (v >> 24)));
    out.push_back(static_cast<uint8_t>(v >> 16));
    out.push_back(static_cast<uint8_t>(v >> 8));
    out.push_back(static_cast<uint8_t>(v));
  }
}

inline Bytes crypto_frame(uint64_t offset, ByteView data) {
  Bytes f{0x06};
  append_varint(f, offset);
  append_varint(f, data.size());
  append(f, data);
  return f;
}

// Applies header protection and AEAD to an unprotected packet whose header
// (ending with the pn_len packet-number bytes) is `header`.
inline Bytes protect(PacketCipher& cipher, uint64_t pn, const Bytes& header, size_t pn_len,
                     const Bytes& payload) {
  Bytes out(header);
  out.resize(header.size() + payload.size() + kAeadTagLen);
  if (!cipher.seal(pn, view(header), view(payload), out.data() + header.size())) return {};
  const size_t pn_offset = header.size() - pn_len;
  uint8_t mask[5];
  if (!cipher.header_mask(out.data() + pn_offset + 4, mask)) return {};
  out[0] ^= mask[0] & ((out[0] & 0x80) ? 0x0f : 0x1f);
  for (size_t i = 0; i < pn_len; ++i) out[pn_offset + i] ^= mask[1 + i];
  return out;
}

struct InitialSpec {
  uint32_t version = kVersion1;
  Bytes dcid;
  Bytes scid;
  Bytes token;
  uint64_t pn = 0;
  size_t pn_len = 2;
  bool server = false;
  Bytes key_dcid;       // client's original DCID (keys); defaults to dcid
  size_t pad_to = 1200;  // client Initials must fill 1200-byte datagrams
};

// A protected Initial packet carrying `frames` (PADDING appended up to pad_to).
inline Bytes build_initial(const InitialSpec& s, Bytes frames) {
  const uint8_t type_bits = s.version == kVersion2 ? 1 : 0;
  Bytes header{static_cast<uint8_t>(0xc0 | (type_bits << 4) | (s.pn_len - 1))};
  header.resize(5);
  store_be32(header.data() + 1, s.version);
  header.push_back(static_cast<uint8_t>(s.dcid.size()));
  append(header, view(s.dcid));
  header.push_back(static_cast<uint8_t>(s.scid.size()));
  append(header, view(s.scid));
  append_varint(header, s.token.size());
  append(header, view(s.token));
  // Fixed 2-byte length so the padding can be computed first.
  const size_t fixed = header.size() + 2 + s.pn_len + kAeadTagLen;
  if (fixed + frames.size() < s.pad_to) frames.resize(s.pad_to - fixed, 0x00);
  // The header-protection sample needs 4 bytes after the packet number.
  if (frames.size() + s.pn_len < 4) frames.resize(4 - s.pn_len, 0x00);
  const size_t length = s.pn_len + frames.size() + kAeadTagLen;
  header.push_back(static_cast<uint8_t>(0x40 | (length >> 8)));
  header.push_back(static_cast<uint8_t>(length));
  for (size_t i = 0; i < s.pn_len; ++i)
    header.push_back(static_cast<uint8_t>(s.pn >> (8 * (s.pn_len - 1 - i))));
  PacketKeys keys;
  PacketCipher cipher;
  const Bytes& key_dcid = s.key_dcid.empty() ? s.dcid : s.key_dcid;
  if (!derive_initial_keys(s.version, view(key_dcid), s.server, keys) || !cipher.set_keys(keys))
    return {};
  return protect(cipher, s.pn, header, s.pn_len, frames);
}

// --- pcap ------------------------------------------------------------------

struct Datagram {
  bool to_server = true;
  Bytes payload;
};

inline void put16(std::string& s, uint16_t v) {
  s += static_cast<char>(v >> 8);
  s += static_cast<char>(v);
}
inline void put32le(std::string& s, uint32_t v) {
  for (int i = 0; i < 4; ++i) s += static_cast<char>(v >> (8 * i));
}

// Ethernet/IPv4/UDP datagrams between 10.0.0.1:51000 (client) and 10.0.0.2:443.
inline bool write_pcap(const std::string& path, const std::vector<Datagram>& datagrams) {
  std::string out;
  put32le(out, 0xa1b2c3d4);
  out += std::string("\x02\x00\x04\x00", 4);
  put32le(out, 0);
  put32le(out, 0);
  put32le(out, 65535);
  put32le(out, 1);  // Ethernet
  uint32_t t = 1700000000;
  for (const Datagram& d : datagrams) {
    std::string pkt;
    pkt += std::string("\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\x08\x00", 14);
    std::string ip;
    ip += "\x45";
    ip += '\0';
    put16(ip, static_cast<uint16_t>(20 + 8 + d.payload.size()));
    put16(ip, 1);
    put16(ip, 0x4000);
    ip += '\x40';
    ip += '\x11';
    put16(ip, 0);
    const std::string a = std::string("\x0a\x00\x00\x01", 4), b = std::string("\x0a\x00\x00\x02", 4);
    ip += d.to_server ? a : b;
    ip += d.to_server ? b : a;
    uint32_t sum = 0;
    for (size_t i = 0; i < 20; i += 2)
      sum += (static_cast<uint8_t>(ip[i]) << 8) | static_cast<uint8_t>(ip[i + 1]);
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    const uint16_t csum = static_cast<uint16_t>(~sum);
    ip[10] = static_cast<char>(csum >> 8);
    ip[11] = static_cast<char>(csum);
    pkt += ip;
    put16(pkt, d.to_server ? 51000 : 443);
    put16(pkt, d.to_server ? 443 : 51000);
    put16(pkt, static_cast<uint16_t>(8 + d.payload.size()));
    put16(pkt, 0);  // no UDP checksum (IPv4)
    pkt.append(d.payload.begin(), d.payload.end());
    put32le(out, t++);
    put32le(out, 0);
    put32le(out, static_cast<uint32_t>(pkt.size()));
    put32le(out, static_cast<uint32_t>(pkt.size()));
    out += pkt;
  }
  std::ofstream f(path, std::ios::binary);
  f << out;
  return static_cast<bool>(f);
}

inline bool have_tshark() { return access("/usr/bin/tshark", X_OK) == 0; }

inline std::string run(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  pclose(p);
  return out;
}

inline std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// Feeds datagrams into a fresh state; returns it.
inline std::unique_ptr<QuicState> feed(const std::vector<Datagram>& datagrams) {
  auto state = std::make_unique<QuicState>();
  for (const Datagram& d : datagrams)
    state->parse(d.to_server ? applayer::Direction::kToServer : applayer::Direction::kToClient,
                 view(d.payload), {});
  return state;
}

// The transaction of one direction (first one), or nullptr.
inline const QuicTx* find_tx(const QuicState& state, applayer::Direction dir) {
  for (size_t i = 0; i < state.tx_count(); ++i)
    if (state.tx(i)->dir == dir) return state.tx(i);
  return nullptr;
}

inline bool has_event(const QuicTx& tx, std::string_view name) {
  for (uint8_t i = 0; i < tx.event_count; ++i)
    if (tx.events[i] == name) return true;
  return false;
}

}  // namespace seawall::quic::test
