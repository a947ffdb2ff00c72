#include <gtest/gtest.h>

#include "test_inspect_util.h"

namespace seawall::detect {
namespace {

using test::bytes;
using test::PayloadRule;

bool rule_matches(std::initializer_list<std::pair<const char*, const char*>> kws,
                  const std::string& payload) {
  PayloadRule r;
  for (auto& [k, v] : kws) r.add(k, v);
  return r.match(payload);
}

TEST(ByteTest, BinaryOperators) {
  const std::string p = bytes({0x01, 0x02, 0x03, 0x04});
  EXPECT_TRUE(rule_matches({{"byte_test", "2,=,0x0102,0"}}, p));
  EXPECT_TRUE(rule_matches({{"byte_test", "2,=,513,0,little"}}, p));
  EXPECT_TRUE(rule_matches({{"byte_test", "4,>,16909059,0"}}, p));  // 0x01020304 > ...03
  EXPECT_FALSE(rule_matches({{"byte_test", "4,<,16909060,0"}}, p));
  EXPECT_TRUE(rule_matches({{"byte_test", "4,<=,16909060,0"}}, p));
  EXPECT_TRUE(rule_matches({{"byte_test", "1,&,2,1"}}, p));
  EXPECT_FALSE(rule_matches({{"byte_test", "1,&,1,1"}}, p));
  EXPECT_TRUE(rule_matches({{"byte_test", "1,!=,9,1"}}, p));
  EXPECT_TRUE(rule_matches({{"byte_test", "1,!&,1,1"}}, p));
  EXPECT_FALSE(rule_matches({{"byte_test", "2,=,1,3"}}, p));  // runs past the end
  EXPECT_FALSE(rule_matches({{"byte_test", "1,=,1,-1"}}, p));
}

TEST(ByteTest, StringAndBitmask) {
  EXPECT_TRUE(rule_matches({{"byte_test", "4,=,1234,0,string,dec"}}, "1234abcd"));
  EXPECT_TRUE(rule_matches({{"byte_test", "2,=,255,0,string,hex"}}, "ffzz"));
  EXPECT_TRUE(rule_matches({{"byte_test", "3,=,8,0,string,oct"}}, "010"));
  EXPECT_FALSE(rule_matches({{"byte_test", "4,=,1234,0,string,dec"}}, "abcd"));
  // 0xA5 & 0xF0 = 0xA0, shifted right by 4 -> 0x0A.
  EXPECT_TRUE(rule_matches({{"byte_test", "1,=,10,0,bitmask 0xf0"}}, bytes({0xA5})));
}

TEST(ByteTest, Relative) {
  EXPECT_TRUE(rule_matches({{"content", "\"LEN\""}, {"byte_test", "1,=,7,0,relative"}},
                           "xLEN" + bytes({7})));
  EXPECT_FALSE(rule_matches({{"content", "\"LEN\""}, {"byte_test", "1,=,7,0,relative"}},
                            bytes({7}) + "LEN"));
  // The byte after the second "LEN" passes: the content is retried.
  EXPECT_TRUE(rule_matches({{"content", "\"LEN\""}, {"byte_test", "1,=,7,0,relative"}},
                           "LEN" + bytes({1}) + "LEN" + bytes({7})));
}

TEST(ByteTest, ParseErrors) {
  PayloadRule r;
  EXPECT_THROW(r.add("byte_test", "2,=,1"), RuleError);
  EXPECT_THROW(r.add("byte_test", "9,=,1,0"), RuleError);
  EXPECT_THROW(r.add("byte_test", "2,~,1,0"), RuleError);
  EXPECT_THROW(r.add("byte_test", "2,=,1,0,hex"), RuleError);
  EXPECT_THROW(r.add("byte_test", "2,=,1,0,bogus"), RuleError);
  EXPECT_THROW(r.add("byte_test", "21,=,1,0,string,dec"), RuleError);
  EXPECT_THROW(r.add("byte_test", "2,=,1,0,dce"), RuleError);
  EXPECT_THROW(r.add("byte_test", "1,=,1,2147483648"), RuleError);  // beyond int32
}

// Suricata's detect-bytetest-02 (sid 3): an int32 offset far past the buffer
// loads (StringParseInt32) and simply does not match; relative too.
TEST(ByteTest, LargeOffsetLoadsAndDoesNotMatch) {
  const std::string p = "A" + std::string(64, 'A');
  EXPECT_FALSE(rule_matches({{"byte_test", "1,=,65,214748364"}}, p));
  EXPECT_FALSE(rule_matches({{"content", "\"A\""}, {"byte_test", "1,=,65,2147483647,relative"}}, p));
  EXPECT_FALSE(rule_matches({{"byte_test", "1,=,65,-2147483648"}}, p));
  EXPECT_TRUE(rule_matches({{"byte_test", "1,=,65,64"}}, p));
}

TEST(ByteJump, MovesTheCursor) {
  // Length byte 3, skip 3 bytes, then "ok" must follow immediately.
  const std::vector<std::pair<const char*, const char*>> kw = {
      {"byte_jump", "1,0"}, {"content", "\"ok\""}, {"within", "2"}};
  PayloadRule r;
  for (auto& [k, v] : kw) r.add(k, v);
  EXPECT_TRUE(r.match(bytes({3}) + "abcok"));
  EXPECT_FALSE(r.match(bytes({2}) + "abcok"));
  EXPECT_FALSE(r.match(bytes({200}) + "abcok"));  // jump beyond the end
}

TEST(ByteJump, Options) {
  // multiplier 2: 2*2 = 4 bytes skipped after the length byte.
  EXPECT_TRUE(rule_matches(
      {{"byte_jump", "1,0,multiplier 2"}, {"content", "\"X\""}, {"within", "1"}},
      bytes({2}) + "abcdX"));
  // align: 1 -> 4.
  EXPECT_TRUE(rule_matches({{"byte_jump", "1,0,align"}, {"content", "\"X\""}, {"within", "1"}},
                           bytes({1}) + "abcdX"));
  // from_beginning: jump to absolute 3.
  EXPECT_TRUE(rule_matches(
      {{"byte_jump", "1,0,from_beginning"}, {"content", "\"X\""}, {"within", "1"}},
      bytes({3}) + "abX"));
  // post_offset -1 after skipping 2.
  EXPECT_TRUE(rule_matches(
      {{"byte_jump", "1,0,post_offset -1"}, {"content", "\"bX\""}, {"within", "2"}},
      bytes({2}) + "abX"));
  // from_end with a negative value (0xFE as a signed jump is not possible with
  // 1 byte, so use string): jump to len-2.
  EXPECT_TRUE(rule_matches(
      {{"byte_jump", "1,0,string,dec,from_end,post_offset -2"}, {"content", "\"YZ\""},
       {"within", "2"}},
      "0abcYZ"));
  // string dec: "03" -> skip 3 after the two digits.
  EXPECT_TRUE(rule_matches(
      {{"byte_jump", "2,0,string,dec"}, {"content", "\"Q\""}, {"within", "1"}}, "03abcQ"));
  PayloadRule bad;
  EXPECT_THROW(bad.add("byte_jump", "1,0,from_end,from_beginning"), RuleError);
  EXPECT_THROW(bad.add("byte_jump", "1"), RuleError);
  EXPECT_THROW(bad.add("byte_jump", "1,0,multiplier 0"), RuleError);
}

TEST(ByteExtract, VariableFeedsLaterKeywords) {
  PayloadRule r;
  r.add("byte_extract", "1,0,len");
  r.add("byte_test", "1,=,len,0,relative");
  EXPECT_TRUE(r.match(bytes({5, 5})));
  EXPECT_FALSE(r.match(bytes({5, 6})));
  EXPECT_EQ(r.rule().byte_var_count, 1u);

  PayloadRule w;  // within from a variable
  w.add("content", "\"K\"");
  w.add("byte_extract", "1,0,n,relative");
  w.add("content", "\"Z\"");
  w.add("distance", "0");
  w.add("within", "n");
  EXPECT_TRUE(w.match("K" + bytes({3}) + "abZ"));
  EXPECT_FALSE(w.match("K" + bytes({2}) + "abZ"));

  PayloadRule dup;
  dup.add("byte_extract", "1,0,v");
  EXPECT_THROW(dup.add("byte_extract", "1,1,v"), RuleError);
  EXPECT_THROW(dup.add("byte_extract", "1,0,w,align 3"), RuleError);
}

TEST(ByteExtract, StringMultiplierAlign) {
  PayloadRule r;
  r.add("byte_extract", "2,0,v,string,dec,multiplier 3,align 4");
  r.add("byte_test", "1,=,v,0,relative");  // 07*3 = 21 -> aligned 24
  EXPECT_TRUE(r.match("07" + bytes({24})));
  EXPECT_FALSE(r.match("07" + bytes({21})));
}

TEST(ByteMath, OperatorsAndResult) {
  PayloadRule r;
  r.add("byte_math", "bytes 1, offset 0, oper *, rvalue 4, result total");
  r.add("byte_test", "1,=,total,0,relative");
  EXPECT_TRUE(r.match(bytes({3, 12})));
  EXPECT_FALSE(r.match(bytes({3, 13})));

  PayloadRule shift;
  shift.add("byte_math", "bytes 2, offset 0, oper >>, rvalue 8, result hi, bitmask 0x0f");
  shift.add("byte_test", "1,=,hi,0,relative");
  EXPECT_TRUE(shift.match(bytes({0xA7, 0x00, 0x07})));  // 0xA700>>8 = 0xA7, & 0x0f = 7

  PayloadRule div0;
  div0.add("byte_math", "bytes 1, offset 0, oper /, rvalue 0, result q");
  EXPECT_FALSE(div0.match(bytes({8})));

  PayloadRule bad;
  EXPECT_THROW(bad.add("byte_math", "bytes 1, offset 0, oper %, rvalue 1, result x"), RuleError);
  EXPECT_THROW(bad.add("byte_math", "bytes 1, offset 0, oper +, rvalue 1"), RuleError);
  EXPECT_THROW(bad.add("byte_math", "bytes 5, offset 0, oper <<, rvalue 1, result x"), RuleError);
}

}  // namespace
}  // namespace seawall::detect
