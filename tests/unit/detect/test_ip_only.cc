// IP-only prefix structure vs. a naive reference: every (rule, direction)
// checked with a bit-by-bit prefix comparison on random addresses and rules.
#include "detect/engine/ip_only.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace seawall::detect {
namespace {

// Independent oracle: compare the first `length` bits directly.
bool naive_prefix_contains(const IpPrefix& p, const IpAddress& a) {
  if (p.address.family != a.family) return false;
  for (unsigned bit = 0; bit < p.length; ++bit) {
    unsigned byte = bit / 8, shift = 7 - bit % 8;
    if (((p.address.bytes[byte] >> shift) & 1) != ((a.bytes[byte] >> shift) & 1)) return false;
  }
  return true;
}

bool naive_set_contains(const AddressSet& s, const IpAddress& a) {
  bool in = s.any;
  for (const IpPrefix& p : s.include) in = in || naive_prefix_contains(p, a);
  if (!in) return false;
  for (const IpPrefix& p : s.exclude)
    if (naive_prefix_contains(p, a)) return false;
  return true;
}

IpPrefix prefix(const char* text, uint8_t len) { return {IpAddress::parse(text), len}; }

struct TestRule {
  AddressSet src, dst;
  bool bidirectional = false;
};

std::set<uint32_t> table_match(const IpOnlyTable& t, const IpAddress& s, const IpAddress& d,
                               size_t rules) {
  CandidateSet out;
  out.resize(rules);
  t.match(s, d, out);
  return {out.ids().begin(), out.ids().end()};
}

std::set<uint32_t> naive_match(const std::vector<TestRule>& rules, const IpAddress& s,
                               const IpAddress& d) {
  std::set<uint32_t> hits;
  for (uint32_t i = 0; i < rules.size(); ++i) {
    const TestRule& r = rules[i];
    if ((naive_set_contains(r.src, s) && naive_set_contains(r.dst, d)) ||
        (r.bidirectional && naive_set_contains(r.src, d) && naive_set_contains(r.dst, s)))
      hits.insert(i);
  }
  return hits;
}

IpOnlyTable build(const std::vector<TestRule>& rules) {
  std::vector<IpOnlyTable::Entry> entries;
  for (uint32_t i = 0; i < rules.size(); ++i) {
    entries.push_back({&rules[i].src, &rules[i].dst, i});
    if (rules[i].bidirectional) entries.push_back({&rules[i].dst, &rules[i].src, i});
  }
  IpOnlyTable t;
  t.build(entries);
  return t;
}

TEST(IpOnly, IntervalsOfIncludeMinusExclude) {
  AddressSet s;
  s.any = false;
  s.include = {prefix("10.0.0.0", 8)};
  s.exclude = {prefix("10.1.0.0", 16), prefix("10.255.255.255", 32)};
  auto v = address_set_intervals(s, 4);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].first.lo, 0x0A000000u);
  EXPECT_EQ(v[0].last.lo, 0x0A00FFFFu);
  EXPECT_EQ(v[1].first.lo, 0x0A020000u);
  EXPECT_EQ(v[1].last.lo, 0x0AFFFFFEu);
  EXPECT_TRUE(address_set_intervals(s, 6).empty());
  AddressSet any;  // any: whole space of both families
  EXPECT_EQ(address_set_intervals(any, 6).size(), 1u);
}

TEST(IpOnly, HandWrittenRules) {
  std::vector<TestRule> rules(3);
  rules[0].src.any = false;  // [1.2.3.4, 5.6.0.0/16] -> any
  rules[0].src.include = {prefix("1.2.3.4", 32), prefix("5.6.0.0", 16)};
  rules[1].src.any = true;   // !$HOME_NET -> 192.168.0.0/16
  rules[1].src.exclude = {prefix("192.168.0.0", 16)};
  rules[1].dst.any = false;
  rules[1].dst.include = {prefix("192.168.0.0", 16)};
  rules[2].src.any = false;  // 2001:db8::/32 <> any
  rules[2].src.include = {prefix("2001:db8::", 32)};
  rules[2].bidirectional = true;
  IpOnlyTable t = build(rules);
  auto ip = [](const char* s) { return IpAddress::parse(s); };
  EXPECT_EQ(table_match(t, ip("1.2.3.4"), ip("9.9.9.9"), 3), (std::set<uint32_t>{0}));
  EXPECT_EQ(table_match(t, ip("5.6.7.8"), ip("192.168.1.1"), 3), (std::set<uint32_t>{0, 1}));
  EXPECT_EQ(table_match(t, ip("192.168.2.2"), ip("192.168.1.1"), 3), (std::set<uint32_t>{}));
  EXPECT_EQ(table_match(t, ip("::1"), ip("2001:db8::5"), 3), (std::set<uint32_t>{2}));
  EXPECT_EQ(table_match(t, ip("2001:db8:1::"), ip("::1"), 3), (std::set<uint32_t>{2}));
  EXPECT_EQ(table_match(t, ip("2001:db9::"), ip("::1"), 3), (std::set<uint32_t>{}));
}

TEST(IpOnly, RandomRulesAgreeWithNaiveReference) {
  std::mt19937_64 rng(42);
  // Addresses drawn from a few small neighbourhoods so prefixes overlap often.
  auto random_address = [&](uint8_t family) {
    uint8_t b[16] = {};
    if (family == 4) {
      b[0] = static_cast<uint8_t>(10 + rng() % 3);
      b[1] = static_cast<uint8_t>(rng() % 4);
      b[2] = static_cast<uint8_t>(rng() % 4);
      b[3] = static_cast<uint8_t>(rng() % 256);
      if (rng() % 16 == 0) b[3] = 255;
      return IpAddress::v4(b);
    }
    b[0] = 0x20;
    b[1] = 0x01;
    b[2] = static_cast<uint8_t>(rng() % 2);
    b[15] = static_cast<uint8_t>(rng() % 256);
    b[7] = static_cast<uint8_t>(rng() % 2 ? 0xff : 0);
    return IpAddress::v6(b);
  };
  auto random_prefix = [&]() {
    uint8_t family = rng() % 4 == 0 ? 6 : 4;
    IpAddress a = random_address(family);
    uint8_t max = family == 4 ? 32 : 128;
    uint8_t len = static_cast<uint8_t>(rng() % 3 == 0 ? max : rng() % (max + 1));
    // host bits to zero, as the parser stores network addresses
    for (unsigned bit = len; bit < max; ++bit) a.bytes[bit / 8] &= ~(1u << (7 - bit % 8));
    return IpPrefix{a, len};
  };
  auto random_set = [&]() {
    AddressSet s;
    s.any = rng() % 4 == 0;
    if (!s.any)
      for (int i = 0, n = 1 + static_cast<int>(rng() % 30); i < n; ++i)
        s.include.push_back(random_prefix());
    for (int i = 0, n = static_cast<int>(rng() % 3 == 0 ? rng() % 4 : 0); i < n; ++i)
      s.exclude.push_back(random_prefix());
    return s;
  };
  for (int trial = 0; trial < 5; ++trial) {
    std::vector<TestRule> rules(150);
    for (TestRule& r : rules) {
      r.src = random_set();
      r.dst = random_set();
      r.bidirectional = rng() % 4 == 0;
    }
    IpOnlyTable t = build(rules);
    for (int i = 0; i < 3000; ++i) {
      uint8_t family = rng() % 4 == 0 ? 6 : 4;
      IpAddress s = random_address(family), d = random_address(family);
      ASSERT_EQ(table_match(t, s, d, rules.size()), naive_match(rules, s, d))
          << "trial " << trial << " src " << s.to_string() << " dst " << d.to_string();
    }
  }
}

TEST(IpOnly, EmptyTableMatchesNothing) {
  IpOnlyTable t;
  t.build({});
  EXPECT_TRUE(table_match(t, IpAddress::parse("1.1.1.1"), IpAddress::parse("2.2.2.2"), 1).empty());
}

}  // namespace
}  // namespace seawall::detect
