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

size_t IpAddress::format(char* out) const {
  if (family == 4) {
    // Hand-rolled: inet_ntop formats through vfprintf, costly once per record.
    char* o = out;
    for (int i = 0; i < 4; ++i) {
      unsigned v = bytes[i];
      if (v >= 100) *o++ = static_cast<char>('0' + v / 100);
      if (v >= 10) *o++ = static_cast<char>('0' + (v / 10) % 10);
      *o++ = static_cast<char>('0' + v % 10);
      if (i < 3) *o++ = '.';
    }
    return static_cast<size_t>(o - out);
  }
  char buf[INET6_ADDRSTRLEN];
  if (family == 6) {
    inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf);
  } else {
    buf[0] = '\0';
  }
  size_t n = std::strlen(buf);
  std::memcpy(out, buf, n);
  return n;
}

std::string IpAddress::to_string() const {
  char buf[64];
  return std::string(buf, format(buf));
}

}  // namespace seawall
