#include <gtest/gtest.h>

#include <cctype>
#include <random>
#include <string>
#include <vector>

#include "detect/keywords/payload/content.h"
#include "test_inspect_util.h"

namespace seawall::detect {
namespace {

using test::PayloadRule;

TEST(ContentParse, HexEscapesAndNegation) {
  bool neg = false;
  EXPECT_EQ(parse_content_pattern("\"a|41 42|b\"", "content", neg), "aABb");
  EXPECT_FALSE(neg);
  EXPECT_EQ(parse_content_pattern("!\"x\\;y\\\"z\\\\\"", "content", neg), "x;y\"z\\");
  EXPECT_TRUE(neg);
  EXPECT_EQ(parse_content_pattern("\"|00|\"", "content", neg), std::string(1, '\0'));
  EXPECT_EQ(parse_content_pattern("\"|4142|\"", "content", neg), "AB");
  EXPECT_THROW(parse_content_pattern("\"\"", "content", neg), RuleError);
  EXPECT_THROW(parse_content_pattern("\"|414|\"", "content", neg), RuleError);
  EXPECT_THROW(parse_content_pattern("\"|4G|\"", "content", neg), RuleError);
  EXPECT_THROW(parse_content_pattern("\"|41\"", "content", neg), RuleError);
  EXPECT_THROW(parse_content_pattern("\"a\\nb\"", "content", neg), RuleError);
  EXPECT_THROW(parse_content_pattern("\"abc", "content", neg), RuleError);
}

// The nocase search against a plain scan with the C library's tolower (the C
// locale folds A-Z only) over random data of a small alphabet, so matches,
// near misses and overlapping candidates are frequent. Patterns cover the
// search's anchors: all letters, a non-letter first, a non-letter later.
TEST(Content, NocaseSearchFindsTheFirstOccurrenceLikeAPlainScan) {
  auto plain_first = [](const std::string& hay, const std::string& pat) -> int64_t {
    for (size_t i = 0; i + pat.size() <= hay.size(); ++i) {
      size_t k = 0;
      while (k < pat.size() && std::tolower(static_cast<unsigned char>(hay[i + k])) ==
                                   std::tolower(static_cast<unsigned char>(pat[k])))
        ++k;
      if (k == pat.size()) return static_cast<int64_t>(i);
    }
    return -1;
  };
  const std::string alphabet("aAbB.<\xc4\xe4\0", 9);  // Latin-1 letters do not fold
  std::mt19937 rng(12345);
  auto random_text = [&](size_t len) {
    std::string s;
    for (size_t i = 0; i < len; ++i) s.push_back(alphabet[rng() % alphabet.size()]);
    return s;
  };
  // ContentMatcher::inspect never touches the DetectThread.
  alignas(DetectThread) static unsigned char storage[sizeof(DetectThread)] = {};
  const Packet packet;
  const MatchContext ctx{packet, nullptr, *reinterpret_cast<DetectThread*>(storage)};
  const std::vector<std::string> patterns = {
      "a", "Ab", "aBa", ".a", "<Ab", "ab.", "b<.A", "\xc4" "a", "\xe4", "aB.aBa<bA",
      "abababababababababAB", std::string("a\0b", 3), std::string(1, '\0')};
  for (const std::string& pattern : patterns) {
    ContentMatcher m(pattern, false);
    m.set_nocase();
    for (int round = 0; round < 400; ++round) {
      // Up to 80 bytes: many anchor candidates and near misses per search.
      const std::string hay = random_text(rng() % 80);
      int64_t vars[1] = {0};
      InspectionCursor cursor{reinterpret_cast<const uint8_t*>(hay.data()),
                              static_cast<uint32_t>(hay.size()), 0, vars};
      PayloadMatch result;
      const bool found = m.inspect(ctx, cursor, 0, result) == InspectOutcome::kMatch;
      const int64_t expected = plain_first(hay, pattern);
      ASSERT_EQ(found, expected >= 0) << pattern << " in " << hay;
      if (found) {
        EXPECT_EQ(result.start, static_cast<uint32_t>(expected)) << pattern << " in " << hay;
      }
    }
  }
}

TEST(Content, MatchAndNocase) {
  PayloadRule r;
  r.add("content", "\"ABC\"");
  EXPECT_TRUE(r.match("xxABCxx"));
  EXPECT_FALSE(r.match("xxabcxx"));
  EXPECT_FALSE(r.match("AB"));
  EXPECT_FALSE(r.match(""));
  PayloadRule n;
  n.add("content", "\"ABC\"");
  n.add("nocase");
  EXPECT_TRUE(n.match("xxaBcxx"));
  EXPECT_THROW(n.add("nocase"), RuleError);
}

TEST(Content, BinaryPatternWithNulBytes) {
  PayloadRule r;
  r.add("content", "\"|00 01|A\"");
  EXPECT_TRUE(r.match(test::bytes({9, 0, 1, 'A'})));
  EXPECT_FALSE(r.match(test::bytes({0, 1, 'B'})));
}

TEST(Content, OffsetAndDepth) {
  PayloadRule r;
  r.add("content", "\"abc\"");
  r.add("offset", "2");
  r.add("depth", "3");
  EXPECT_TRUE(r.match("xxabc"));
  EXPECT_FALSE(r.match("xxxabc"));  // ends beyond offset+depth
  EXPECT_FALSE(r.match("abcxx"));   // starts before the offset
  auto* c = dynamic_cast<ContentMatcher*>(r.rule().inspections[0].matchers[0].get());
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->depth(), 5u);  // stored as an absolute end, like Suricata
}

TEST(Content, DepthSmallerThanPatternIsAnError) {
  PayloadRule r;
  r.add("content", "\"abcd\"");
  EXPECT_THROW(r.add("depth", "3"), RuleError);
  PayloadRule w;
  w.add("content", "\"a\"");
  w.add("content", "\"abcd\"");
  EXPECT_THROW(w.add("within", "2"), RuleError);
}

TEST(Content, ConflictingModifiersAreErrors) {
  PayloadRule r;
  r.add("content", "\"a\"");
  r.add("content", "\"b\"");
  r.add("distance", "0");
  EXPECT_THROW(r.add("depth", "4"), RuleError);
  EXPECT_THROW(r.add("offset", "1"), RuleError);
  EXPECT_THROW(r.add("distance", "1"), RuleError);
  PayloadRule s;
  s.add("content", "\"a\"");
  s.add("offset", "1");
  EXPECT_THROW(s.add("within", "3"), RuleError);
  EXPECT_THROW(s.add("startswith"), RuleError);
  PayloadRule none;
  EXPECT_THROW(none.add("nocase"), RuleError);
  EXPECT_THROW(none.add("depth", "3"), RuleError);
}

// Suricata's classic backtracking case: the first "a" is not followed by "b",
// the engine must retry "a" at later occurrences.
TEST(Content, DistanceWithinBacktracks) {
  PayloadRule r;
  r.add("content", "\"a\"");
  r.add("content", "\"b\"");
  r.add("distance", "0");
  r.add("within", "1");
  EXPECT_TRUE(r.match("aaab"));
  EXPECT_FALSE(r.match("aaaxb"));
  EXPECT_GT(last_inspection_recursion_count(), 3u);
}

TEST(Content, NegativeDistance) {
  PayloadRule r;
  r.add("content", "\"def\"");
  r.add("content", "\"cd\"");
  r.add("distance", "-4");
  r.add("within", "2");
  EXPECT_TRUE(r.match("abcdef"));
  EXPECT_FALSE(r.match("abxdef"));
}

TEST(Content, NegatedSingleAndRelative) {
  PayloadRule single;
  single.add("content", "!\"evil\"");
  EXPECT_TRUE(single.match("good stuff"));
  EXPECT_FALSE(single.match("an evil thing"));

  PayloadRule rel;
  rel.add("content", "\"a\"");
  rel.add("content", "!\"b\"");
  rel.add("distance", "0");
  rel.add("within", "1");
  EXPECT_FALSE(rel.match("ab"));
  EXPECT_TRUE(rel.match("abac"));  // second "a" is not followed by "b"
  EXPECT_TRUE(rel.match("a"));     // nothing after: negated content absent
}

TEST(Content, StartsWithEndsWith) {
  PayloadRule s;
  s.add("content", "\"GET\"");
  s.add("startswith");
  EXPECT_TRUE(s.match("GET /"));
  EXPECT_FALSE(s.match(" GET /"));
  PayloadRule e;
  e.add("content", "\"ab\"");
  e.add("endswith");
  EXPECT_TRUE(e.match("abxab"));  // first occurrence is not at the end: keep looking
  EXPECT_FALSE(e.match("abx"));
  PayloadRule both;
  both.add("content", "\"exact\"");
  both.add("startswith");
  both.add("endswith");
  EXPECT_TRUE(both.match("exact"));
  EXPECT_FALSE(both.match("exact!"));
}

TEST(Content, FastPatternRecordedOnRule) {
  PayloadRule r;
  r.add("content", "\"first\"");
  r.add("content", "\"second-long\"");
  r.add("fast_pattern", "2,4");
  r.add("nocase");
  const FastPattern& fp = r.rule().fast_pattern;
  EXPECT_TRUE(fp.present);
  EXPECT_EQ(fp.bytes, "cond");
  EXPECT_TRUE(fp.nocase);
  EXPECT_FALSE(fp.only);
  EXPECT_EQ(fp.buffer_id, kPktDataBuffer);
  EXPECT_THROW(r.add("fast_pattern"), RuleError);  // one per content
  PayloadRule o;
  o.add("content", "\"x\"");
  o.add("fast_pattern", "only");
  EXPECT_TRUE(o.rule().fast_pattern.only);
  o.add("content", "\"y\"");
  EXPECT_THROW(o.add("fast_pattern"), RuleError);  // one per rule
  PayloadRule bad;
  bad.add("content", "\"abc\"");
  EXPECT_THROW(bad.add("fast_pattern", "2,2"), RuleError);
  PayloadRule neg;
  neg.add("content", "!\"abc\"");
  EXPECT_THROW(neg.add("fast_pattern", "only"), RuleError);
}

TEST(Content, ByteVariableAsOffset) {
  PayloadRule r;
  r.add("byte_extract", "1,0,off");
  r.add("content", "\"hit\"");
  r.add("offset", "off");
  EXPECT_TRUE(r.match(test::bytes({3, 'x', 'x', 'h', 'i', 't'})));
  EXPECT_FALSE(r.match(test::bytes({4, 'x', 'h', 'i', 't', 'x'})));
  PayloadRule unknown;
  unknown.add("content", "\"hit\"");
  EXPECT_THROW(unknown.add("offset", "nosuchvar"), RuleError);
}

}  // namespace
}  // namespace seawall::detect
