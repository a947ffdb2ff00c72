// Response framing evasions from the http-evader suite (suricata-verify
// tests/http-evader, pcaps of redmine issue 1656): Suricata decodes each of
// these bodies (its alert on the EICAR string inside the body is the
// expectation), so the decoded body must come out whole here too. The rules
// are libhtp-rs's: response line ends (CR, LF CR, deformed ends), header
// names (NUL bytes, whitespace, folding), and status codes with bodies.
#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <string_view>

#include "applayer/http/http_eve.h"
#include "applayer/http/http_parser.h"
#include "http_test_util.h"

namespace seawall::applayer::http {
namespace {

using test::feed;
using test::gzip_of;

constexpr Direction kReq = Direction::kToServer;
constexpr Direction kResp = Direction::kToClient;

// "abcdEFGH" in two chunks.
constexpr std::string_view kChunked = "4\r\nabcd\r\n4\r\nEFGH\r\n0\r\n\r\n";

// Feeds one GET and `head` + `body` as its response, whole and byte by byte;
// returns the response body (both ways must agree). Rules that look ahead
// within the data at hand (libhtp-rs's deformed line ends and stray-line skip
// do the same) are checked on whole data only (`splits` 1).
std::string response_body(std::string_view head, std::string_view body, int splits = 2) {
  std::string seen[2];
  for (int split = 0; split < splits; ++split) {
    HttpState st;
    feed(st, kReq, "GET /e HTTP/1.1\r\nHost: a\r\n\r\n");
    feed(st, kResp, std::string(head) + std::string(body), split == 0 ? 0 : 1);
    st.end_of_stream(kResp);
    if (st.tx_count() == 0) return "<no tx>";
    seen[split] = st.http_tx(0)->response.body;
  }
  if (splits == 2) {
    EXPECT_EQ(seen[0], seen[1]) << head;
  }
  return seen[0];
}

TEST(HttpEvasion, ResponseLinesEndAtBareCrAndLfCr) {
  // evader 382: status line ended by a bare CR.
  EXPECT_EQ(response_body("HTTP/1.1 200\rTransfer-Encoding:chunked\r\n\r\n", kChunked), "abcdEFGH");
  // evader 094: a bare CR between two headers.
  EXPECT_EQ(response_body("HTTP/1.1 200 ok\r\nX-A: 1\rTransfer-Encoding: chunked\r\n\r\n",
                          kChunked),
            "abcdEFGH");
  // evader 405: every line ended by LF CR.
  EXPECT_EQ(response_body("HTTP/1.1 200 ok\n\rX-A: 1\n\rTransfer-Encoding: chunked\n\rX-B: 2\r\n\r\n",
                          kChunked),
            "abcdEFGH");
}

TEST(HttpEvasion, DeformedLineEndsDoNotEndTheHeaders) {
  // evader 284: "CR LF CR CR LF" is one line end.
  EXPECT_EQ(response_body("HTTP/1.1 200 ok\r\nConnection: close\r\n\r\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n",
                          kChunked, 1),
            "abcdEFGH");
  // evader 415: "LF CR CR LF" then CRLF ends the headers; the body follows.
  EXPECT_EQ(response_body("HTTP/1.1 200 ok\r\nContent-length: 4\n\r\r\n\r\n", "wxyz", 1), "wxyz");
}

TEST(HttpEvasion, HeaderNamesAsLibhtpRsReadsThem) {
  // evader 291 / 316: a NUL inside the name; 290: inside the chunked token.
  EXPECT_EQ(response_body(std::string("HTTP/1.1 200 ok\r\nTransfer\0-encoding:chunked\r\n\r\n", 47),
                          kChunked),
            "abcdEFGH");
  EXPECT_EQ(response_body(std::string("HTTP/1.1 200 ok\r\nTransfer-Encoding:chu\0nked\r\n\r\n", 47),
                          kChunked),
            "abcdEFGH");
  // evader 294 / 340: vertical tab, form feed before the colon.
  EXPECT_EQ(response_body("HTTP/1.1 200 ok\r\nTransfer-Encoding\v:chunked\r\n\r\n", kChunked),
            "abcdEFGH");
  // evader 296 / 298: the name continued on a folded line.
  EXPECT_EQ(response_body("HTTP/1.1 200 ok\r\nTransfer-Encoding\r\n :chunked\r\n\r\n", kChunked),
            "abcdEFGH");
  // evader 299: name, colon and value on three folded lines.
  EXPECT_EQ(response_body("HTTP/1.1 200 ok\r\nTransfer-Encoding\r\n :\r\n chunked\r\n\r\n",
                          kChunked),
            "abcdEFGH");
  // evader 274: an indented "name:" line is a header, not a continuation.
  EXPECT_EQ(response_body("HTTP/1.1 200 ok\r\nX-Foo: bar\r\n Transfer-Encoding: chunked\r\n\r\n",
                          kChunked),
            "abcdEFGH");
}

TEST(HttpEvasion, StatusCodesWithAFramedBody) {
  // evader 447: a 100 with a Content-Length above 0 is a response with a body.
  EXPECT_EQ(response_body("HTTP/1.1 100 ok\r\nContent-length: 4\r\n\r\n", "wxyz"), "wxyz");
  // evader 448: a 101 with a Content-Length is no protocol switch.
  EXPECT_EQ(response_body("HTTP/1.1 101 ok\r\nContent-length: 4\r\n\r\n", "wxyz"), "wxyz");
  // evader 476: a 204 with Transfer-Encoding.
  EXPECT_EQ(response_body("HTTP/1.1 204 ok\r\nTransfer-Encoding: chunked\r\n\r\n", kChunked),
            "abcdEFGH");
  // A plain 100 is still interim.
  EXPECT_EQ(response_body("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 ok\r\nContent-length: 4\r\n\r\n",
                          "wxyz"),
            "wxyz");
}

TEST(HttpEvasion, ContentEncodingOddities) {
  const std::string plain = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
  std::string gz = gzip_of(plain);
  const std::string cl = "Content-Length: " + std::to_string(gz.size()) + "\r\n";
  // evader 315: a NUL inside "gzip".
  EXPECT_EQ(response_body("HTTP/1.1 200 ok\r\n" + std::string("Content-Encoding:gz\0ip\r\n", 24) +
                              cl + "\r\n",
                          gz),
            plain);
  // evader 201 / 217 / 232: reserved bits set in the gzip flag byte.
  for (uint8_t bits : {uint8_t{0x20}, uint8_t{0x40}, uint8_t{0x80}}) {
    std::string odd = gz;
    odd[3] = static_cast<char>(static_cast<uint8_t>(odd[3]) | bits);
    EXPECT_EQ(response_body("HTTP/1.1 200 ok\r\nContent-Encoding: gzip\r\n" + cl + "\r\n", odd),
              plain)
        << int{bits};
  }
}

TEST(HttpEvasion, BlankLineOfOneSpaceEndsTheHeaders) {
  // evader 416 / 428: " \n" (or "\t\n") ends the headers...
  EXPECT_EQ(response_body("HTTP/1.1 200 ok\r\nContent-length: 4\n \n", "wxyz"), "wxyz");
  EXPECT_EQ(response_body("HTTP/1.1 200 ok\r\nContent-length: 4\n\t\n", "wxyz"), "wxyz");
  // ...unless an LF follows right away (evader 423): then that LF does.
  EXPECT_EQ(response_body("HTTP/1.1 200 ok\r\nContent-length: 4\n \n\n", "wxyz", 1), "wxyz");
}

TEST(HttpEvasion, HeadersCutByTheCloseAreStillHeaders) {
  // suricata-verify http-close-headers: "HTTP/1.0 200 OK\nServer:ng1nx\r\n", then FIN.
  HttpState st;
  feed(st, kReq, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  feed(st, kResp, "HTTP/1.0 200 OK\nServer:ng1nx\r\nX-Last: cut");
  st.end_of_stream(kResp);
  const HttpTx& tx = *st.http_tx(0);
  EXPECT_TRUE(tx.complete[1]);
  EXPECT_TRUE(tx.response.headers_done);
  EXPECT_EQ(tx.response.header_value("server"), "ng1nx");
  EXPECT_EQ(tx.response.header_value("x-last"), "cut");
  EXPECT_NE(tx.response.header_buf.find("Server: ng1nx\r\n"), std::string::npos);
}

TEST(HttpEvasion, StrayLineBeforeTheStatusLineIsSkipped) {
  // evader 485 / 488: a junk line directly followed by "HTTP/..." in the same data.
  EXPECT_EQ(response_body("foobar\r\nHTTP/1.1 200 ok\r\nTransfer-Encoding: chunked\r\n\r\n",
                          kChunked, 1),
            "abcdEFGH");
  // Without a following status line the junk starts a body until close (0.9).
  HttpState st;
  feed(st, kReq, "GET /e HTTP/1.1\r\nHost: a\r\n\r\n");
  feed(st, kResp, "just text\r\nmore");
  st.end_of_stream(kResp);
  EXPECT_EQ(st.http_tx(0)->response.body, "just text\r\nmore");
}

}  // namespace
}  // namespace seawall::applayer::http
