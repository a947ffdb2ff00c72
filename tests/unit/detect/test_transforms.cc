#include <gtest/gtest.h>

#include "test_inspect_util.h"

namespace seawall::detect {
namespace {

using test::PayloadRule;

// Builds "file.data; <transform>" and returns what the transform produced.
std::string transformed(const char* keyword, const char* value, const std::string& input) {
  PayloadRule r;
  r.add("file.data");
  r.add(keyword, value);
  const BufferInspection& insp = r.rule().inspections.back();
  ByteView out = transform_buffer(insp, reinterpret_cast<const uint8_t*>(input.data()),
                                  static_cast<uint32_t>(input.size()));
  return std::string(reinterpret_cast<const char*>(out.data()), out.size());
}

std::string hex(const std::string& s) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

TEST(Transforms, CaseAndWhitespace) {
  EXPECT_EQ(transformed("to_lowercase", "", "AbC1"), "abc1");
  EXPECT_EQ(transformed("to_uppercase", "", "AbC1"), "ABC1");
  EXPECT_EQ(transformed("strip_whitespace", "", " a \t b\r\n"), "ab");
  EXPECT_EQ(transformed("compress_whitespace", "", "a \t\n b  c"), "a b c");
  EXPECT_EQ(transformed("compress_whitespace", "", "a\t  b"), "a\tb");  // first byte kept
  EXPECT_EQ(transformed("dotprefix", "", "example.com"), ".example.com");
}

TEST(Transforms, UrlDecode) {
  EXPECT_EQ(transformed("url_decode", "", "%41%42+c%2"), "AB c%2");
  EXPECT_EQ(transformed("url_decode", "", "%zz%4a"), "%zzJ");
  EXPECT_EQ(transformed("url_decode", "", "%41"), "A");
}

TEST(Transforms, Xor) {
  EXPECT_EQ(transformed("xor", "\"0102\"", std::string("\x41\x41\x41", 3)), "@C@");
  PayloadRule r;
  r.add("file.data");
  EXPECT_THROW(r.add("xor", "\"123\""), RuleError);
  EXPECT_THROW(r.add("xor", "\"zz\""), RuleError);
}

// FIPS 180 / RFC 1321 test vectors.
TEST(Transforms, Digests) {
  EXPECT_EQ(hex(transformed("to_md5", "", "")), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(hex(transformed("to_md5", "", "abc")), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(hex(transformed("to_sha1", "", "abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(hex(transformed("to_sha256", "", "abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Transforms, HeadersAndPcrexform) {
  EXPECT_EQ(transformed("header_lowercase", "", "Host: Example\r\nX-A: B\r\n"),
            "host: Example\r\nx-a: B\r\n");
  EXPECT_EQ(transformed("strip_pseudo_headers", "", ":method: GET\r\nhost: a\r\n:path: /\r\n"),
            "host: a\r\n");
  EXPECT_EQ(transformed("pcrexform", "\"id=([0-9]+)\"", "x?id=1234&y"), "1234");
  EXPECT_EQ(transformed("pcrexform", "\"id=([0-9]+)\"", "nothing"), "nothing");
  PayloadRule r;
  r.add("file.data");
  EXPECT_THROW(r.add("pcrexform", "\"nocapture\""), RuleError);
}

TEST(Transforms, ChainAndPlacement) {
  PayloadRule r;
  r.add("file.data");
  r.add("strip_whitespace");
  r.add("to_uppercase");
  r.add("content", "\"ABC\"");
  r.add("endswith");
  const size_t idx = r.rule().inspections.size() - 1;
  EXPECT_TRUE(r.match("x a b c", idx));
  EXPECT_FALSE(r.match("x a b c d", idx));
  PayloadRule payload;
  EXPECT_THROW(payload.add("to_lowercase"), RuleError);  // needs a sticky buffer
  payload.add("pkt_data");
  EXPECT_THROW(payload.add("to_lowercase"), RuleError);
}

// Suricata's from_base64-02 vectors: "Zm 9v Ym Fy" is "foobar" only in
// RFC 2045 mode (bytes outside the alphabet skipped); RFC 4648 stops at the
// space, strict fails. RFC 4648 section 10 vectors for the plain case.
TEST(Transforms, FromBase64Modes) {
  const std::string uri = "/?arg=Zm 9v Ym Fy";
  EXPECT_EQ(transformed("from_base64", "offset 6, mode rfc2045", uri), "foobar");
  EXPECT_EQ(transformed("from_base64", "offset 6, mode rfc4648", uri), "f");
  EXPECT_EQ(transformed("from_base64", "offset 6, mode strict", uri), "");
  EXPECT_EQ(transformed("from_base64", "", "Zm9vYmFy"), "foobar");
  EXPECT_EQ(transformed("from_base64", "", "Zm9vYg=="), "foob");
  EXPECT_EQ(transformed("from_base64", "mode strict", "Zm9vYg=="), "foob");
  EXPECT_EQ(transformed("from_base64", "mode strict", "Zm9v=Yg"), "");
  EXPECT_EQ(transformed("from_base64", "bytes 4", "Zm9vYmFy"), "foo");
  // An offset or length reaching the end leaves the buffer unchanged.
  EXPECT_EQ(transformed("from_base64", "offset 8", "Zm9vYmFy"), "Zm9vYmFy");
  EXPECT_EQ(transformed("from_base64", "bytes 8", "Zm9vYmFy"), "Zm9vYmFy");
  PayloadRule r;
  r.add("file.data");
  EXPECT_THROW(r.add("from_base64", "mode unknown"), RuleError);
  EXPECT_THROW(r.add("from_base64", "offset 70000"), RuleError);
  EXPECT_THROW(r.add("from_base64", "bytes 4, bytes 5"), RuleError);
  EXPECT_THROW(r.add("from_base64", "bogus"), RuleError);
}

}  // namespace
}  // namespace seawall::detect
