#include <gtest/gtest.h>
#include <zlib.h>

#include <memory>
#include <string>

#include "applayer/http/http_body.h"
#include "applayer/http/http_parser.h"
#include "http_test_util.h"

namespace seawall::applayer::http {
namespace {

using test::feed;
using test::compress;
using test::has_event;

std::string text(size_t n) {
  std::string s;
  while (s.size() < n) s += "The quick brown fox jumps over the lazy dog. ";
  s.resize(n);
  return s;
}

std::unique_ptr<HttpState> respond(std::string_view encoding, const std::string& body,
                                   size_t chunk, const HttpConfig& config = HttpConfig{}) {
  auto state = std::make_unique<HttpState>(config);
  HttpState& st = *state;
  feed(st, Direction::kToServer, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string resp = "HTTP/1.1 200 OK\r\nContent-Encoding: " + std::string(encoding) +
                     "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  feed(st, Direction::kToClient, resp, chunk);
  return state;
}

TEST(HttpBody, GzipZlibAndRawDeflateBodiesAreDecompressed) {
  const std::string plain = text(5000);
  struct Case {
    const char* encoding;
    int bits;
  } cases[] = {{"gzip", 15 + 16}, {"x-gzip", 15 + 16}, {"deflate", 15}, {"deflate", -15}};
  for (const Case& c : cases) {
    for (size_t chunk : {size_t{0}, size_t{1}, size_t{13}}) {
      auto st = respond(c.encoding, compress(plain, c.bits), chunk);
      const HttpTx& tx = *st->http_tx(0);
      EXPECT_TRUE(tx.complete[1]) << c.encoding << " " << c.bits;
      EXPECT_EQ(tx.response.body, plain) << c.encoding << " " << c.bits << " chunk " << chunk;
      EXPECT_EQ(tx.response.message_len, compress(plain, c.bits).size());
      EXPECT_EQ(tx.event_count, 0);
    }
  }
}

TEST(HttpBody, ChunkedGzip) {
  const std::string plain = text(3000);
  const std::string gz = compress(plain, 31);
  std::string chunked;
  for (size_t i = 0; i < gz.size(); i += 100) {
    const std::string part = gz.substr(i, 100);
    char size[16];
    std::snprintf(size, sizeof(size), "%zx", part.size());
    chunked += std::string(size) + "\r\n" + part + "\r\n";
  }
  chunked += "0\r\n\r\n";
  HttpState st;
  feed(st, Direction::kToServer, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  feed(st, Direction::kToClient,
       "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked,
       7);
  EXPECT_EQ(st.http_tx(0)->response.body, plain);
  EXPECT_TRUE(st.http_tx(0)->complete[1]);
}

TEST(HttpBody, ResponseBodyLimitAppliesToDecompressedBytes) {
  HttpConfig config;
  config.response_body_limit = 1000;
  const std::string plain = text(50000);
  auto st = respond("gzip", compress(plain, 31), 0, config);
  EXPECT_EQ(st->http_tx(0)->response.body, plain.substr(0, 1000));
  EXPECT_TRUE(st->http_tx(0)->response.body_truncated);
}

TEST(HttpBody, CompressionBombIsCappedWithEvent) {
  const std::string zeros(8 * 1024 * 1024, '\0');  // ~8 KiB of gzip: ratio ~1000:1
  const std::string gz = compress(zeros, 31);
  HttpConfig config;
  config.decompress.max_output = 1024 * 1024;
  config.decompress.bomb_ratio = 100;
  auto st = respond("gzip", gz, 0, config);
  const HttpTx& tx = *st->http_tx(0);
  EXPECT_TRUE(has_event(tx, "compression_bomb"));
  EXPECT_EQ(tx.response.body.size(), config.response_body_limit);
  EXPECT_TRUE(tx.complete[1]);  // framing by Content-Length still holds

  // Cap without a suspicious ratio: output stops, no event.
  config.decompress.bomb_ratio = 100000;
  auto st2 = respond("gzip", gz, 0, config);
  EXPECT_FALSE(has_event(*st2->http_tx(0), "compression_bomb"));
}

TEST(HttpBody, UndecodableBodyPassesThroughWithEvent) {
  auto st = respond("gzip", "this is not gzip at all", 0);
  const HttpTx& tx = *st->http_tx(0);
  EXPECT_TRUE(has_event(tx, "gzip_decompression_failed"));
  EXPECT_EQ(tx.response.body, "this is not gzip at all");
}

TEST(HttpBody, ContentEncodingNames) {
  EXPECT_EQ(parse_content_encoding(" GZIP "), ContentEncoding::kGzip);
  EXPECT_EQ(parse_content_encoding("x-deflate"), ContentEncoding::kDeflate);
  EXPECT_EQ(parse_content_encoding("br"), ContentEncoding::kIdentity);
  EXPECT_EQ(parse_content_encoding("identity"), ContentEncoding::kIdentity);
}

}  // namespace
}  // namespace seawall::applayer::http

namespace seawall::applayer::http {
namespace {

// Content-Encoding lists as libhtp-rs reads them (http-evader 122..167).
TEST(HttpBody, ContentEncodingLayersAreUndoneLastFirst) {
  EncodingLayers l = parse_content_encodings("gzip", 2);
  ASSERT_EQ(l.count, 1);
  EXPECT_EQ(l.decode[0], ContentEncoding::kGzip);
  l = parse_content_encodings("deflate, gzip", 2);
  ASSERT_EQ(l.count, 2);
  EXPECT_EQ(l.decode[0], ContentEncoding::kGzip);  // applied last, undone first
  EXPECT_EQ(l.decode[1], ContentEncoding::kDeflate);
  // Every token counts against the limit, identity and unknown ones included.
  l = parse_content_encodings("identity,gzip,deflate", 2);
  EXPECT_TRUE(l.too_many);
  ASSERT_EQ(l.count, 1);
  EXPECT_EQ(l.decode[0], ContentEncoding::kGzip);
  l = parse_content_encodings("gzip x", 3);
  ASSERT_EQ(l.count, 1);
  EXPECT_FALSE(l.too_many);
  l = parse_content_encodings(": deflate", 3);
  ASSERT_EQ(l.count, 1);
  EXPECT_EQ(l.decode[0], ContentEncoding::kDeflate);
  l = parse_content_encodings("identity", 2);
  EXPECT_EQ(l.count, 0);
}

TEST(HttpBody, TwoEncodingLayersDecodeToThePlainBody) {
  const std::string plain = text(3000);
  // deflate applied first, then gzip: "Content-Encoding: deflate, gzip".
  const std::string twice = compress(compress(plain, -15), 15 + 16);
  HttpConfig config;
  config.decompress_layer_limit = 3;
  for (size_t chunk : {size_t{0}, size_t{1}, size_t{7}}) {
    auto st = respond("deflate, gzip", twice, chunk, config);
    const HttpTx& tx = *st->http_tx(0);
    EXPECT_EQ(tx.response.body.size(), plain.size()) << chunk;
    EXPECT_EQ(tx.response.body, plain) << chunk;
    EXPECT_FALSE(has_event(tx, "gzip_decompression_failed"));
  }
  // Past the layer limit only the first layers are undone.
  config.decompress_layer_limit = 1;
  auto st = respond("deflate, gzip", twice, 0, config);
  EXPECT_NE(st->http_tx(0)->response.body, plain);
  EXPECT_TRUE(has_event(*st->http_tx(0), "too_many_encoding_layers"));
}

}  // namespace
}  // namespace seawall::applayer::http
