#include <gtest/gtest.h>

#include <string>

#include "applayer/http/http_uri.h"

namespace seawall::applayer::http {
namespace {

std::string dots(std::string s) {
  remove_dot_segments(s);
  return s;
}

std::string decoded(std::string_view path) {
  std::string out;
  bool invalid = false;
  decode_path(path, out, invalid);
  return out;
}

std::string norm(std::string_view uri) {
  std::string out;
  normalize_uri(uri, out);
  return out;
}

// libhtp test_utils.cpp Util.NormalizeUriPath (RFC 3986 5.2.4 examples).
TEST(HttpUri, LibhtpNormalizeUriPathVectors) {
  EXPECT_EQ(dots("/a/b/c/./../../g"), "/a/g");
  EXPECT_EQ(dots("mid/content=5/../6"), "mid/6");
  EXPECT_EQ(dots("./one"), "one");
  EXPECT_EQ(dots("../one"), "one");
  EXPECT_EQ(dots("."), "");
  EXPECT_EQ(dots(".."), "");
  EXPECT_EQ(dots("one/."), "one");
  EXPECT_EQ(dots("one/.."), "");
  EXPECT_EQ(dots("one/../"), "");
  EXPECT_EQ(dots("/../../../images.gif"), "/images.gif");
}

// libhtp test_utils.cpp UrlencodedParser.UrlDecode1 with %u decoding on and
// PRESERVE_PERCENT for invalid sequences (libhtp's default handling).
TEST(HttpUri, LibhtpUrlDecodeVectors) {
  EXPECT_EQ(decoded("/one/tw%u006f/three/%u123"), "/one/two/three/%u123");
  EXPECT_EQ(decoded("/one/tw%u006f/three/%uXXXX"), "/one/two/three/%uXXXX");
  EXPECT_EQ(decoded("/one/tw%u006f/three/%3"), "/one/two/three/%3");
}

TEST(HttpUri, IdsPersonalityPathDecoding) {
  EXPECT_EQ(decoded("/%41%42c"), "/ABc");
  EXPECT_EQ(decoded("/a%2fb%5cc"), "/a/b/c");       // encoded separators decoded
  EXPECT_EQ(decoded("/a\\b"), "/a/b");             // backslash is a separator
  EXPECT_EQ(decoded("//a///b"), "/a/b");           // separators compressed
  EXPECT_EQ(decoded("/%KK"), "/%KK");              // invalid: percent preserved
  EXPECT_EQ(decoded("/%uff0e%uff0e/x"), "/../x");  // full-width dots best-fit to ASCII
  EXPECT_EQ(decoded("/caf%C3%A9"), "/caf\xE9");    // UTF-8 to its Latin-1 byte
  EXPECT_EQ(decoded("/%E2%82%AC"), "/?");          // U+20AC has no single byte here
  EXPECT_EQ(decoded("/Mixed/Case"), "/Mixed/Case"); // Suricata turns lowercasing off
}

TEST(HttpUri, NormalizedUriKeepsQueryRaw) {
  EXPECT_EQ(norm("/a/%2e%2e/b?q=%2e%2e/x#frag"), "/b?q=%2e%2e/x#frag");
  EXPECT_EQ(norm("http://Host.example:8080/x/./y?z"), "/x/y?z");
  EXPECT_EQ(norm("/"), "/");
  EXPECT_EQ(norm("*"), "*");
}

TEST(HttpUri, SplitAndHostPort) {
  UriParts p = split_uri("http://user@h.example:81/p?q#f");
  EXPECT_EQ(p.scheme, "http");
  EXPECT_EQ(p.authority, "user@h.example:81");
  EXPECT_EQ(p.path, "/p");
  EXPECT_EQ(p.query, "q");
  EXPECT_EQ(p.fragment, "f");
  HostPort hp = parse_host_port("[::1]:8000");
  EXPECT_EQ(hp.host, "[::1]");
  EXPECT_EQ(hp.port, 8000);
  hp = parse_host_port("www.example.com");
  EXPECT_EQ(hp.host, "www.example.com");
  EXPECT_EQ(hp.port, -1);
  EXPECT_TRUE(parse_host_port("x:0").port_invalid);
  EXPECT_TRUE(parse_host_port("x:65536").port_invalid);
  EXPECT_TRUE(parse_host_port("x:8a").port_invalid);
  std::string h;
  normalize_hostname("WWW.Example.COM.", h);
  EXPECT_EQ(h, "www.example.com");
}

}  // namespace
}  // namespace seawall::applayer::http
