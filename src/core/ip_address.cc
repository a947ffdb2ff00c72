#include "core/ip_address.h"

#include <arpa/inet.h>

namespace seawall {

IpAddress IpAddress::parse(const std::string& text) {
  IpAddress a;
  if (inet_pton(AF_INET, text.c_str(), a.bytes.data()) == 1) {
    a.family = 4;
  } else if (inet_pton(AF_INET6, text.c_str(), a.bytes.data()) == 1) {
    a.family = 6;
  } else {
    a = IpAddress{};
  }
  return a;
}

namespace {

char* format_v4(const uint8_t* b, char* o) {
  for (int i = 0; i < 4; ++i) {
    unsigned v = b[i];
    if (v >= 100) *o++ = static_cast<char>('0' + v / 100);
    if (v >= 10) *o++ = static_cast<char>('0' + (v / 10) % 10);
    *o++ = static_cast<char>('0' + v % 10);
    if (i < 3) *o++ = '.';
  }
  return o;
}

char* format_hex_word(unsigned w, char* o) {
  static constexpr char kHex[] = "0123456789abcdef";
  bool started = false;
  for (int shift = 12; shift >= 0; shift -= 4) {
    const unsigned nibble = (w >> shift) & 0xf;
    if (nibble != 0 || started || shift == 0) {
      *o++ = kHex[nibble];
      started = true;
    }
  }
  return o;
}

// The text glibc's inet_ntop gives (RFC 5952 style: lowercase, the first
// longest run of two or more zero words as "::", IPv4-compatible and
// -mapped addresses with a dotted quad), without its sprintf per word.
char* format_v6(const uint8_t* b, char* o) {
  unsigned words[8];
  for (int i = 0; i < 8; ++i) words[i] = static_cast<unsigned>(b[2 * i]) << 8 | b[2 * i + 1];
  int best_base = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (words[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && words[j] == 0) ++j;
    if (j - i > best_len) {
      best_base = i;
      best_len = j - i;
    }
    i = j;
  }
  if (best_len < 2) best_base = -1;
  for (int i = 0; i < 8; ++i) {
    if (best_base != -1 && i >= best_base && i < best_base + best_len) {
      if (i == best_base) *o++ = ':';
      continue;
    }
    if (i != 0) *o++ = ':';
    if (i == 6 && best_base == 0 && (best_len == 6 || (best_len == 5 && words[5] == 0xffff))) {
      return format_v4(b + 12, o);
    }
    o = format_hex_word(words[i], o);
  }
  if (best_base != -1 && best_base + best_len == 8) *o++ = ':';
  return o;
}

}  // namespace

size_t IpAddress::format_expanded(char* out) const {
  if (family != 6) return format(out);
  static constexpr char kHex[] = "0123456789abcdef";
  char* o = out;
  for (int i = 0; i < 16; ++i) {
    if (i != 0 && i % 2 == 0) *o++ = ':';
    *o++ = kHex[bytes[i] >> 4];
    *o++ = kHex[bytes[i] & 0xf];
  }
  return static_cast<size_t>(o - out);
}

size_t IpAddress::format(char* out) const {
  // Hand-rolled: inet_ntop formats through sprintf, costly once per record.
  if (family == 4) return static_cast<size_t>(format_v4(bytes.data(), out) - out);
  if (family == 6) return static_cast<size_t>(format_v6(bytes.data(), out) - out);
  return 0;
}

std::string IpAddress::to_string() const {
  char buf[64];
  return std::string(buf, format(buf));
}

}  // namespace seawall
