#include <gtest/gtest.h>

#include "detect/keywords/payload/base64.h"
#include "test_inspect_util.h"

namespace seawall::detect {
namespace {

using test::bytes;
using test::PayloadRule;

TEST(Isdataat, AbsoluteRelativeNegated) {
  PayloadRule a;
  a.add("isdataat", "3");
  EXPECT_TRUE(a.match("abcd"));
  EXPECT_FALSE(a.match("abc"));
  PayloadRule rel;
  rel.add("content", "\"ab\"");
  rel.add("isdataat", "2,relative");
  EXPECT_TRUE(rel.match("abcd"));
  EXPECT_FALSE(rel.match("abc"));
  EXPECT_FALSE(rel.match("xxxab"));
  PayloadRule neg;
  neg.add("content", "\"END\"");
  neg.add("isdataat", "!1,relative");
  EXPECT_TRUE(neg.match("xxEND"));
  EXPECT_FALSE(neg.match("xxENDx"));
  PayloadRule bad;
  EXPECT_THROW(bad.add("isdataat", "1,bogus"), RuleError);
}

TEST(Bsize, Ranges) {
  auto check = [](const char* expr, const std::string& data) {
    PayloadRule r;
    r.add("file.data");
    r.add("bsize", expr);
    return r.match(data);
  };
  EXPECT_TRUE(check("3", "abc"));
  EXPECT_FALSE(check("3", "abcd"));
  EXPECT_TRUE(check("<4", "abc"));
  EXPECT_FALSE(check(">4", "abc"));
  EXPECT_TRUE(check(">=3", "abc"));
  EXPECT_TRUE(check("2<>5", "abcd"));
  EXPECT_FALSE(check("2<>4", "abcd"));  // exclusive range
  EXPECT_TRUE(check("!2", "abc"));
  PayloadRule r;
  EXPECT_THROW(r.add("bsize", "3"), RuleError);  // no sticky buffer
  r.add("file.data");
  EXPECT_THROW(r.add("bsize", "5<>2"), RuleError);
  EXPECT_THROW(r.add("bsize", "x"), RuleError);
}

TEST(Dsize, PacketPayloadSize) {
  PayloadRule r;
  r.add("dsize", "10<>20");
  Packet p;
  p.payload_len = 15;
  EXPECT_TRUE(r.packet_matchers(p));
  p.payload_len = 20;
  EXPECT_FALSE(r.packet_matchers(p));
  PayloadRule e;
  e.add("dsize", "0");
  p.payload_len = 0;
  EXPECT_TRUE(e.packet_matchers(p));
  EXPECT_THROW(e.add("dsize", "70000"), RuleError);
}

// Suricata's test-dsize-values: dsize:!9 needs a payload (signature mask),
// while dsize:<10 still matches empty packets.
TEST(Dsize, NotEqualNeedsPayload) {
  PayloadRule ne;
  ne.add("dsize", "!9");
  PayloadRule lt;
  lt.add("dsize", "<10");
  Packet p;
  p.payload_len = 0;
  EXPECT_FALSE(ne.packet_matchers(p));
  EXPECT_TRUE(lt.packet_matchers(p));
  p.payload_len = 10;
  EXPECT_TRUE(ne.packet_matchers(p));
  p.payload_len = 9;
  EXPECT_FALSE(ne.packet_matchers(p));
}

TEST(Base64, DecoderMatchesRfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""}, {"Zg==", "f"}, {"Zm8=", "fo"}, {"Zm9v", "foo"}, {"Zm9vYg==", "foob"},
      {"Zm9vYmE=", "fooba"}, {"Zm9vYmFy", "foobar"}, {"Zm9v\r\nYmFy", "foobar"}};
  for (auto [in, out] : vectors) {
    std::vector<uint8_t> decoded;
    decode_base64_rfc2045(reinterpret_cast<const uint8_t*>(in),
                          static_cast<uint32_t>(strlen(in)), 1000, decoded);
    EXPECT_EQ(std::string(decoded.begin(), decoded.end()), out) << in;
  }
}

TEST(Base64, DataKeywordsInspectDecodedBytes) {
  PayloadRule r;
  r.add("content", "\"Authorization: Basic \"");
  r.add("base64_decode", "relative");
  r.add("base64_data");
  r.add("content", "\"admin:\"");
  r.add("startswith");
  EXPECT_TRUE(r.match("Authorization: Basic YWRtaW46c2VjcmV0"));   // admin:secret
  EXPECT_FALSE(r.match("Authorization: Basic dXNlcjpzZWNyZXQ="));  // user:secret
  PayloadRule opts;
  opts.add("base64_decode", "bytes 4, offset 2");
  opts.add("base64_data");
  opts.add("content", "\"foo\"");
  EXPECT_TRUE(opts.match("xxZm9vYmFy"));
  PayloadRule alone;  // base64_data without base64_decode
  EXPECT_THROW(alone.add("base64_data"), RuleError);
  EXPECT_THROW(alone.add("base64_decode", "bytes 0"), RuleError);
}

TEST(Inspect, RecursionLimitStopsPathologicalRules) {
  PayloadRule r;
  r.add("content", "\"a\"");
  r.add("content", "\"a\"");
  r.add("distance", "0");
  r.add("content", "\"a\"");
  r.add("distance", "0");
  r.add("content", "\"b\"");
  r.add("distance", "0");
  r.add("within", "1");
  // Every "a" triple is tried; the limit bounds the work.
  EXPECT_FALSE(r.match(std::string(400, 'a')));
  EXPECT_LE(last_inspection_recursion_count(), kInspectionRecursionLimit);
  EXPECT_TRUE(r.match("aaab"));
}

TEST(Inspect, AbsoluteFailureAfterMatchDoesNotBacktrack) {
  // Suricata returns "no match, discontinue" when the next keyword does not
  // depend on the previous match: one attempt each.
  PayloadRule r;
  r.add("content", "\"a\"");
  r.add("content", "\"zz\"");
  EXPECT_FALSE(r.match("aaaaaaaa"));
  EXPECT_EQ(last_inspection_recursion_count(), 2u);
}

}  // namespace
}  // namespace seawall::detect
