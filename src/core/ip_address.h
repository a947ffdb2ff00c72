// IPv4/IPv6 address value type used in flow keys and EVE output.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <string>

namespace seawall {

struct IpAddress {
  // IPv4 is stored in the first 4 bytes, the rest zero, so comparisons and
  // hashing work on the whole 16 bytes for both families.
  std::array<uint8_t, 16> bytes{};
  uint8_t family = 0;  // 0 = none, 4, 6

  static IpAddress v4(const uint8_t* p) {
    IpAddress a;
    std::memcpy(a.bytes.data(), p, 4);
    a.family = 4;
    return a;
  }
  static IpAddress v6(const uint8_t* p) {
    IpAddress a;
    std::memcpy(a.bytes.data(), p, 16);
    a.family = 6;
    return a;
  }
  // Parses dotted-quad or RFC 5952 text; family 0 on failure.
  static IpAddress parse(const std::string& text);

  size_t size() const { return family == 6 ? 16 : 4; }
  bool is_v4() const { return family == 4; }
  bool is_v6() const { return family == 6; }

  // Writes the textual form (no terminator); returns its length. Buffer >= 46.
  // IPv6 in RFC 5952 form ("2001:db8::1").
  size_t format(char* out) const;
  // IPv6 as eight 4-digit groups ("2001:0db8:0000:...:0001"), the form
  // Suricata writes in EVE and fast.log; IPv4 as in format().
  size_t format_expanded(char* out) const;
  std::string to_string() const;

  // Two 8-byte compares: flow lookup compares addresses on every packet, and
  // the defaulted comparison calls memcmp for the array.
  friend bool operator==(const IpAddress& a, const IpAddress& b) {
    uint64_t a0, a1, b0, b1;
    std::memcpy(&a0, a.bytes.data(), 8);
    std::memcpy(&a1, a.bytes.data() + 8, 8);
    std::memcpy(&b0, b.bytes.data(), 8);
    std::memcpy(&b1, b.bytes.data() + 8, 8);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0 && a.family == b.family;
  }
  friend std::strong_ordering operator<=>(const IpAddress& a, const IpAddress& b) {
    if (a.family != b.family) return a.family <=> b.family;
    int c = std::memcmp(a.bytes.data(), b.bytes.data(), 16);
    return c <=> 0;
  }
};

}  // namespace seawall
