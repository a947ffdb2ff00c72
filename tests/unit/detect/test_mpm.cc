// Vectorscan literal prefilter: results checked against a naive substring
// search (std::search with optional ASCII case folding) as the oracle.
#include "detect/mpm/mpm.h"

#include <gtest/gtest.h>
#include <hs/hs.h>

#include <algorithm>
#include <cctype>
#include <random>
#include <set>
#include <stdexcept>
#include <string>

namespace seawall::detect {
namespace {

ByteView view(const std::string& s) {
  return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

std::set<uint32_t> scan(const MpmDatabase& db, const std::string& data) {
  MpmScratch scratch;
  scratch.grow_for(db);
  CandidateSet out;
  out.resize(1024);
  EXPECT_TRUE(db.scan(view(data), scratch.get(), out));
  return {out.ids().begin(), out.ids().end()};
}

bool naive_contains(const std::string& hay, const std::string& needle, bool nocase) {
  auto eq = [nocase](char a, char b) {
    if (!nocase) return a == b;
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  };
  return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), eq) != hay.end();
}

TEST(Mpm, LiteralAndNocase) {
  MpmDatabase db({{"GET /", false, 1}, {"user-agent", true, 2}, {"Host:", false, 3}});
  EXPECT_EQ(scan(db, "GET /index.html HTTP/1.1\r\nUser-Agent: x\r\n"),
            (std::set<uint32_t>{1, 2}));
  EXPECT_EQ(scan(db, "get / host: x"), (std::set<uint32_t>{}));  // case-sensitive ones miss
  EXPECT_EQ(scan(db, "USER-AGENT"), (std::set<uint32_t>{2}));
}

TEST(Mpm, BinaryPatternsWithNulAndRegexMetacharacters) {
  const std::string nul_pattern("\x00\x01\xff", 3);
  MpmDatabase db({{nul_pattern, false, 7}, {"a.b*(c)", false, 8}, {"\\x41", false, 9}});
  EXPECT_EQ(scan(db, std::string("zz\x00\x01\xffzz", 7)), (std::set<uint32_t>{7}));
  EXPECT_EQ(scan(db, "xxa.b*(c)"), (std::set<uint32_t>{8}));
  EXPECT_EQ(scan(db, "aXbbbc"), (std::set<uint32_t>{}));  // metacharacters are literal
  EXPECT_EQ(scan(db, "A"), (std::set<uint32_t>{}));       // "\x41" is four literal bytes
  EXPECT_EQ(scan(db, "\\x41"), (std::set<uint32_t>{9}));
}

TEST(Mpm, SharedLiteralReportsEveryRuleOnce) {
  MpmDatabase db({{"evil", false, 1}, {"evil", false, 5}, {"EVIL", true, 6}});
  EXPECT_EQ(db.pattern_count(), 2u);
  EXPECT_EQ(scan(db, "evil evil evil"), (std::set<uint32_t>{1, 5, 6}));
  EXPECT_EQ(scan(db, "EvIl"), (std::set<uint32_t>{6}));
}

TEST(Mpm, EmptyPatternSetMatchesNothing) {
  MpmDatabase db({});
  EXPECT_TRUE(db.empty());
  EXPECT_TRUE(scan(db, "anything").empty());
}

TEST(Mpm, EmptyPatternIsALoadError) {
  EXPECT_THROW(MpmDatabase({{"", false, 1}}), std::runtime_error);
}

TEST(Mpm, CandidateSetDeduplicatesAcrossScansAndClears) {
  MpmDatabase a({{"abc", false, 1}, {"xyz", false, 2}});
  MpmDatabase b({{"abc", false, 1}, {"def", false, 3}});
  MpmScratch scratch;
  scratch.grow_for(a);
  scratch.grow_for(b);
  CandidateSet out;
  out.resize(8);
  ASSERT_TRUE(a.scan(view("abcdef"), scratch.get(), out));
  ASSERT_TRUE(b.scan(view("abcdef"), scratch.get(), out));
  std::vector<uint32_t> ids(out.ids().begin(), out.ids().end());
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<uint32_t>{1, 3}));
  out.clear();
  EXPECT_EQ(out.size(), 0u);
  EXPECT_FALSE(out.contains(1));
  out.insert(100);  // out of range: ignored, no growth
  EXPECT_EQ(out.size(), 0u);
}

TEST(Mpm, ClonedScratchWorks) {
  MpmDatabase db({{"needle", false, 4}});
  MpmScratch proto;
  proto.grow_for(db);
  MpmScratch copy = proto.clone();
  CandidateSet out;
  out.resize(8);
  ASSERT_TRUE(db.scan(view("hayneedlehay"), copy.get(), out));
  EXPECT_TRUE(out.contains(4));
}

// Many random patterns (binary, mixed case) against random haystacks. With a
// leading NUL somewhere the set compiles through the regex path, without
// through the literal API: both are checked.
void many_patterns_agree(bool allow_leading_nul) {
  std::mt19937 rng(allow_leading_nul ? 1234 : 99);
  const std::string alphabet("abcABC\x00\x01\xfe\xff-", 11);
  auto random_string = [&](size_t len) {
    std::string s;
    for (size_t i = 0; i < len; ++i) s.push_back(alphabet[rng() % 11]);
    return s;
  };
  std::vector<MpmPattern> patterns;
  for (uint32_t id = 0; id < 3000; ++id) {
    std::string p = random_string(2 + rng() % 6);
    if (!allow_leading_nul && p[0] == '\0') p[0] = 'x';
    patterns.push_back({p, (rng() % 3) == 0, id});
  }
  MpmDatabase db(patterns);
  MpmScratch scratch;
  scratch.grow_for(db);
  CandidateSet out;
  out.resize(patterns.size());
  for (int round = 0; round < 50; ++round) {
    std::string hay = random_string(rng() % 300);
    out.clear();
    ASSERT_TRUE(db.scan(view(hay), scratch.get(), out));
    for (const MpmPattern& p : patterns)
      ASSERT_EQ(out.contains(p.rule_id), naive_contains(hay, p.bytes, p.nocase))
          << "pattern id " << p.rule_id << " round " << round;
  }
}

TEST(Mpm, ManyPatternsAgreeWithNaiveSearchRegexPath) { many_patterns_agree(true); }
TEST(Mpm, ManyPatternsAgreeWithNaiveSearchLiteralPath) { many_patterns_agree(false); }

}  // namespace
}  // namespace seawall::detect
