#include <gtest/gtest.h>

#include "test_inspect_util.h"

namespace seawall::detect {
namespace {

using test::PayloadRule;

TEST(Pcre, FlagsAndNegation) {
  PayloadRule r;
  r.add("pcre", "\"/ab+c/\"");
  EXPECT_TRUE(r.match("xxabbbcxx"));
  EXPECT_FALSE(r.match("xxABBCxx"));
  PayloadRule i;
  i.add("pcre", "\"/ab+c/i\"");
  EXPECT_TRUE(i.match("xxABBCxx"));
  PayloadRule neg;
  neg.add("pcre", "!\"/evil/\"");
  EXPECT_TRUE(neg.match("good"));
  EXPECT_FALSE(neg.match("so evil"));
  PayloadRule dotall;
  dotall.add("pcre", "\"/a.b/s\"");
  EXPECT_TRUE(dotall.match("a\nb"));
  PayloadRule nodotall;
  nodotall.add("pcre", "\"/a.b/\"");
  EXPECT_FALSE(nodotall.match("a\nb"));
  PayloadRule multi;
  multi.add("pcre", "\"/^b$/m\"");
  EXPECT_TRUE(multi.match("a\nb\nc"));
  PayloadRule anchored;
  anchored.add("pcre", "\"/b/A\"");
  EXPECT_FALSE(anchored.match("ab"));
  EXPECT_TRUE(anchored.match("ba"));
  PayloadRule ungreedy;  // G: a+ takes one 'a', so the relative content finds "aab"
  ungreedy.add("pcre", "\"/xa+/G\"");
  ungreedy.add("content", "\"aab\"");
  ungreedy.add("within", "3");
  EXPECT_TRUE(ungreedy.match("xaaab"));
}

TEST(Pcre, RelativeRetriesEarlierContent) {
  PayloadRule r;
  r.add("content", "\"a\"");
  r.add("pcre", "\"/^b/R\"");
  EXPECT_TRUE(r.match("aab"));   // second "a" is followed by "b"
  EXPECT_FALSE(r.match("aacb"));
}

TEST(Pcre, ContentRelativeToPcreRetriesPcre) {
  PayloadRule r;
  r.add("pcre", "\"/x[0-9]/\"");
  r.add("content", "\"!\"");
  r.add("within", "1");
  EXPECT_TRUE(r.match("x1 x2!"));
  EXPECT_FALSE(r.match("x1 x2 !"));
}

TEST(Pcre, ErrorsAndBufferFlags) {
  PayloadRule r;
  EXPECT_THROW(r.add("pcre", "\"/a(/\""), RuleError);
  EXPECT_THROW(r.add("pcre", "\"/a/q\""), RuleError);
  EXPECT_THROW(r.add("pcre", "\"abc\""), RuleError);
  EXPECT_THROW(r.add("pcre", "\"/a/UH\""), RuleError);
  PayloadRule u;
  u.add("pcre", "\"/admin/U\"");
  ASSERT_EQ(u.rule().inspections.size(), 1u);
  EXPECT_EQ(u.rule().inspections[0].buffer_id, buffer_id(*find_buffer("http.uri")));
  PayloadRule sticky;
  sticky.add("dns.query");
  EXPECT_THROW(sticky.add("pcre", "\"/x/U\""), RuleError);
}

TEST(Pcre, MatchLimitStopsCatastrophicBacktracking) {
  PayloadRule r;
  r.add("pcre", "\"/(a+)+b/\"");
  EXPECT_FALSE(r.match(std::string(40, 'a')));  // fails fast instead of hanging
  PayloadRule ok;
  ok.add("pcre", "\"/(a+)+b/\"");
  EXPECT_TRUE(ok.match("aaab"));
}

}  // namespace
}  // namespace seawall::detect
