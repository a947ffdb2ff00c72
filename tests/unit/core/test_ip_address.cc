#include "core/ip_address.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <random>

namespace seawall {
namespace {

// inet_ntop is the oracle for the hand-written IPv4 formatter.
std::string reference_v4(const uint8_t* b) {
  char buf[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, b, buf, sizeof buf);
  return buf;
}

TEST(IpAddress, Ipv4FormatMatchesInetNtop) {
  const uint8_t edge[][4] = {{0, 0, 0, 0}, {255, 255, 255, 255}, {10, 0, 0, 1}, {1, 10, 100, 199},
                             {9, 99, 109, 200}};
  for (const auto& e : edge) EXPECT_EQ(IpAddress::v4(e).to_string(), reference_v4(e));
  std::mt19937 rng(7);
  for (int i = 0; i < 10000; ++i) {
    uint8_t b[4];
    for (auto& x : b) x = static_cast<uint8_t>(rng());
    ASSERT_EQ(IpAddress::v4(b).to_string(), reference_v4(b));
  }
}

TEST(IpAddress, Ipv6FormatIsRfc5952) {
  EXPECT_EQ(IpAddress::parse("2001:db8:0:0:0:0:2:1").to_string(), "2001:db8::2:1");
  EXPECT_EQ(IpAddress::parse("fe80::1").to_string(), "fe80::1");
  EXPECT_EQ(IpAddress::parse("::").to_string(), "::");
}

std::string reference_v6(const uint8_t* b) {
  char buf[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, b, buf, sizeof buf);
  return buf;
}

TEST(IpAddress, Ipv6FormatMatchesInetNtop) {
  // Words drawn mostly from {0, 1, 0xffff, random} so zero runs of every
  // length and position, ties between runs, and the IPv4-compatible
  // (::a.b.c.d) and -mapped (::ffff:a.b.c.d) forms all occur.
  std::mt19937 rng(11);
  for (int i = 0; i < 200000; ++i) {
    uint8_t b[16];
    for (int w = 0; w < 8; ++w) {
      const unsigned pick = rng() % 8;
      const unsigned v = pick < 4 ? 0 : pick == 4 ? 1 : pick == 5 ? 0xffff : rng() & 0xffff;
      b[2 * w] = static_cast<uint8_t>(v >> 8);
      b[2 * w + 1] = static_cast<uint8_t>(v);
    }
    ASSERT_EQ(IpAddress::v6(b).to_string(), reference_v6(b)) << reference_v6(b);
  }
  for (const char* text : {"::", "::1", "::ffff:10.0.0.1", "::10.0.0.1", "::0:10.0.0.1",
                           "1::", "1:0:0:1:0:0:0:1", "1:0:0:0:1:0:0:1", "0:0:1::", "2001:db8::"}) {
    const IpAddress a = IpAddress::parse(text);
    ASSERT_EQ(a.family, 6) << text;
    EXPECT_EQ(a.to_string(), reference_v6(a.bytes.data())) << text;
  }
}

TEST(IpAddress, ExpandedFormIsEightFourDigitGroups) {
  // The form of suricata-verify's expectations (e.g. decode-too-small).
  auto expanded = [](const char* text) {
    char buf[64];
    return std::string(buf, IpAddress::parse(text).format_expanded(buf));
  };
  EXPECT_EQ(expanded("::1"), "0000:0000:0000:0000:0000:0000:0000:0001");
  EXPECT_EQ(expanded("2001:db8:85a3::8a2e:370:7334"), "2001:0db8:85a3:0000:0000:8a2e:0370:7334");
  EXPECT_EQ(expanded("fd01::101:101"), "fd01:0000:0000:0000:0000:0000:0101:0101");
  EXPECT_EQ(expanded("10.1.2.3"), "10.1.2.3");
}

TEST(IpAddress, ParseRejectsGarbage) {
  EXPECT_EQ(IpAddress::parse("10.0.0.256").family, 0);
  EXPECT_EQ(IpAddress::parse("not an ip").family, 0);
  EXPECT_EQ(IpAddress::parse("192.0.2.1").family, 4);
}

TEST(IpAddress, OrderingSeparatesFamilies) {
  auto a = IpAddress::parse("10.0.0.1");
  auto b = IpAddress::parse("10.0.0.2");
  auto c = IpAddress::parse("::1");
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);  // all IPv4 before IPv6
  EXPECT_EQ(a, IpAddress::parse("10.0.0.1"));
}

}  // namespace
}  // namespace seawall
