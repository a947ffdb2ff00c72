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
  char buf[INET6_ADDRSTRLEN];
  if (family == 4) {
    inet_ntop(AF_INET, bytes.data(), buf, sizeof buf);
  } else if (family == 6) {
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
