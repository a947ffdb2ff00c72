// HTTP file tracking: which bodies become files, their names, sizes, gap and
// truncation state, and the EVE "fileinfo" members. Expectations follow
// Suricata's app-layer-htp.c (HTPFileOpen callers, HTTPParseContentDispositionHeader)
// and libhtp's chunk-length parsing, as recorded in suricata-verify cases.
#include <zlib.h>

#include <cstdio>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "applayer/http/http_eve.h"
#include "applayer/http/http_parser.h"
#include "output/eve/json_writer.h"
#include "http_test_util.h"

namespace seawall::applayer::http {
namespace {

using test::feed;
using test::gzip_of;

constexpr Direction kReq = Direction::kToServer;
constexpr Direction kResp = Direction::kToClient;

std::string fileinfo_json(const HttpTx& tx, size_t index) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  log_http_file(tx, index, w);
  w.end_object();
  return out;
}

TEST(HttpFiles, ContentDispositionFilenameAsSuricataParsesIt) {
  std::string_view name;
  ASSERT_TRUE(content_disposition_filename("attachment; filename=\"eicar.txt\"", name));
  EXPECT_EQ(name, "eicar.txt");
  ASSERT_TRUE(content_disposition_filename("attachment;filename=a.bin", name));
  EXPECT_EQ(name, "a.bin");
  // A ';' inside quotes does not split the token.
  ASSERT_TRUE(content_disposition_filename("attachment; filename=\"a;b.txt\"; size=3", name));
  EXPECT_EQ(name, "a;b.txt");
  ASSERT_TRUE(content_disposition_filename("form-data; name=\"f\"; FILENAME=\"up.exe\"", name));
  EXPECT_EQ(name, "up.exe");
  // Suricata only looks for "filename=": RFC 5987's filename*= is not one.
  EXPECT_FALSE(content_disposition_filename("attachment; filename*=UTF-8''x.txt", name));
  EXPECT_FALSE(content_disposition_filename("inline", name));
  EXPECT_FALSE(content_disposition_filename("   ", name));
}

TEST(HttpFiles, ResponseFileNamedByContentDispositionElseUriPath) {
  HttpState st;
  feed(st, kReq, "GET /dl/x.php?id=7 HTTP/1.1\r\nHost: a\r\n\r\n"
                 "GET /a%20b/../c/report.pdf?q=1 HTTP/1.1\r\nHost: a\r\n\r\n");
  feed(st, kResp,
       "HTTP/1.1 200 OK\r\nContent-Disposition: attachment; filename=\"eicar.txt\"\r\n"
       "Content-Length: 5\r\n\r\nhello"
       "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc");
  ASSERT_EQ(st.tx_count(), 2u);
  const HttpTx& t0 = *st.http_tx(0);
  ASSERT_EQ(http_file_count(t0), 1u);
  EXPECT_EQ(http_file(t0, 0)->name, "eicar.txt");
  EXPECT_EQ(http_file_direction(t0, 0), kResp);
  const HttpTx& t1 = *st.http_tx(1);
  ASSERT_EQ(http_file_count(t1), 1u);
  // libhtp's normalized path, without the query (Suricata: parsed_uri->path).
  EXPECT_EQ(http_file(t1, 0)->name, "/c/report.pdf");
  EXPECT_EQ(http_file(t1, 0)->size, 3u);
  EXPECT_EQ(http_file(t1, 0)->state, FileState::kClosed);
}

TEST(HttpFiles, NoFileWithoutBody) {
  HttpState st;
  feed(st, kReq, "GET /a HTTP/1.1\r\nHost: a\r\n\r\nHEAD /b HTTP/1.1\r\nHost: a\r\n\r\n");
  feed(st, kResp, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
                  "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n");
  ASSERT_EQ(st.tx_count(), 2u);
  EXPECT_EQ(http_file_count(*st.http_tx(0)), 0u);
  EXPECT_EQ(http_file_count(*st.http_tx(1)), 0u);
}

TEST(HttpFiles, SizeIsDechunkedAndDecompressed) {
  const std::string plain(5000, 'Z');
  const std::string gz = gzip_of(plain);
  ASSERT_LT(gz.size(), 200u);
  std::string resp = "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (size_t i = 0; i < gz.size(); i += 7) {
    const std::string part = gz.substr(i, 7);
    char len[16];
    std::snprintf(len, sizeof(len), "%zx\r\n", part.size());
    resp += len + part + "\r\n";
  }
  resp += "0\r\n\r\n";
  for (size_t chunk : {size_t{0}, size_t{1}, size_t{13}}) {
    HttpState st;
    feed(st, kReq, "GET /z.bin HTTP/1.1\r\nHost: a\r\n\r\n");
    feed(st, kResp, resp, chunk);
    ASSERT_EQ(st.tx_count(), 1u);
    const HttpTx& tx = *st.http_tx(0);
    ASSERT_EQ(http_file_count(tx), 1u) << chunk;
    EXPECT_EQ(http_file(tx, 0)->size, plain.size()) << chunk;
    EXPECT_EQ(http_file(tx, 0)->state, FileState::kClosed);
    EXPECT_EQ(tx.response.message_len, gz.size());
  }
}

TEST(HttpFiles, PutAndPostBodiesAreFilesNamedByPath) {
  HttpState st;
  feed(st, kReq,
       "PUT /upload/new.bin HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nabcd"
       "POST /form?x=1 HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\n"
       "Content-Length: 3\r\n\r\na=b");
  feed(st, kResp, "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"
                  "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  ASSERT_EQ(st.tx_count(), 2u);
  ASSERT_EQ(http_file_count(*st.http_tx(0)), 1u);
  EXPECT_EQ(http_file(*st.http_tx(0), 0)->name, "/upload/new.bin");
  EXPECT_EQ(http_file(*st.http_tx(0), 0)->size, 4u);
  EXPECT_EQ(http_file_direction(*st.http_tx(0), 0), kReq);
  ASSERT_EQ(http_file_count(*st.http_tx(1)), 1u);
  EXPECT_EQ(http_file(*st.http_tx(1), 0)->name, "/form");
}

TEST(HttpFiles, MultipartUploadHasOneFilePerPartWithFilename) {
  const std::string body =
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"comment\"\r\n\r\n"
      "not a file\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"f1\"; filename=\"one.txt\"\r\n"
      "Content-Type: text/plain\r\n\r\n"
      "first file\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"f2\"; filename=\"two.exe\"\r\n\r\n"
      "MZ\r\n--XyZ-\r\nstill two\r\n"  // a near-delimiter inside the data
      "--XyZ--\r\n";
  const std::string req = "POST /up HTTP/1.1\r\nHost: a\r\n"
                          "Content-Type: multipart/form-data; boundary=XyZ\r\n"
                          "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  for (size_t chunk : {size_t{0}, size_t{1}, size_t{17}}) {
    HttpState st;
    feed(st, kReq, req, chunk);
    ASSERT_EQ(st.tx_count(), 1u);
    const HttpTx& tx = *st.http_tx(0);
    ASSERT_EQ(http_file_count(tx), 2u) << chunk;
    EXPECT_EQ(http_file(tx, 0)->name, "one.txt");
    EXPECT_EQ(http_file(tx, 0)->size, std::string_view("first file").size());
    EXPECT_EQ(http_file(tx, 1)->name, "two.exe");
    EXPECT_EQ(http_file(tx, 1)->size, std::string_view("MZ\r\n--XyZ-\r\nstill two").size());
    EXPECT_EQ(http_file(tx, 1)->state, FileState::kClosed);
  }
}

TEST(HttpFiles, MultipartBoundaryFromContentType) {
  std::string_view b;
  ASSERT_TRUE(multipart_boundary("multipart/form-data; boundary=\"ab cd\"", b));
  EXPECT_EQ(b, "ab cd");
  ASSERT_TRUE(multipart_boundary("Multipart/Form-Data;BOUNDARY=----x;charset=utf-8", b));
  EXPECT_EQ(b, "----x");
  EXPECT_FALSE(multipart_boundary("text/plain; boundary=x", b));
  EXPECT_FALSE(multipart_boundary("multipart/form-data", b));
}

TEST(HttpFiles, BodyCutShortAtEndOfStreamIsTruncated) {
  HttpState st;
  feed(st, kReq, "GET /big.iso HTTP/1.1\r\nHost: a\r\n\r\n");
  feed(st, kResp, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
  st.end_of_stream(kResp);
  ASSERT_EQ(st.tx_count(), 1u);
  const HttpTx& tx = *st.http_tx(0);
  ASSERT_EQ(http_file_count(tx), 1u);
  EXPECT_EQ(http_file(tx, 0)->size, 10u);
  EXPECT_EQ(http_file(tx, 0)->state, FileState::kTruncated);
  EXPECT_FALSE(http_file(tx, 0)->gaps);
  // What arrived is still inspected.
  EXPECT_TRUE(tx.complete[1]);
  EXPECT_EQ(tx.response.body, "0123456789");
}

TEST(HttpFiles, ConnectionCloseBodyIsClosedAtEndOfStream) {
  HttpState st;
  feed(st, kReq, "GET /f HTTP/1.0\r\n\r\n");
  feed(st, kResp, "HTTP/1.0 200 OK\r\n\r\nabcdef");
  st.end_of_stream(kResp);
  const HttpTx& tx = *st.http_tx(0);
  ASSERT_EQ(http_file_count(tx), 1u);
  EXPECT_EQ(http_file(tx, 0)->size, 6u);
  EXPECT_EQ(http_file(tx, 0)->state, FileState::kClosed);
}

TEST(HttpFiles, GapInBodyCountsAndTruncates) {
  // suricata-verify http-gap-simple: Content-Length 70 with 14 bytes lost
  // gives size 70, gaps true, state TRUNCATED.
  HttpState st;
  feed(st, kReq, "GET /2 HTTP/1.0\r\n\r\n");
  feed(st, kResp, "HTTP/1.0 200 OK\r\nContent-Length: 70\r\n\r\n" + std::string(14, 'A'));
  ASSERT_TRUE(st.gap(kResp, 14));
  feed(st, kResp, std::string(42, 'A'));
  const HttpTx& tx = *st.http_tx(0);
  EXPECT_TRUE(tx.complete[1]);
  ASSERT_EQ(http_file_count(tx), 1u);
  EXPECT_EQ(http_file(tx, 0)->size, 70u);
  EXPECT_TRUE(http_file(tx, 0)->gaps);
  EXPECT_EQ(http_file(tx, 0)->state, FileState::kTruncated);
}

TEST(HttpFiles, LineAfterContentLengthBodyIsStillBodyUnlessAStatusLine) {
  // suricata-verify http-gap-simple: "Content-Length: 12" then
  // "Hello World!\r\n" in one segment gives a 14-byte file (libhtp-rs
  // response_finalize); a following status line starts the next response.
  HttpState st;
  feed(st, kReq, "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
  feed(st, kResp,
       "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nHello World!\r\n"
       "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc");
  ASSERT_EQ(st.tx_count(), 2u);
  EXPECT_EQ(st.http_tx(0)->response.body, "Hello World!\r\n");
  EXPECT_EQ(http_file(*st.http_tx(0), 0)->size, 14u);
  EXPECT_EQ(st.http_tx(1)->status, 200);
  EXPECT_EQ(http_file(*st.http_tx(1), 0)->size, 3u);
}

TEST(HttpFiles, GapPastContentLengthBodyResumesAtNextResponse) {
  // suricata-verify http-gap-whole-body: the 14-byte segment holding a
  // 12-byte body is lost; the next responses still parse.
  HttpState st;
  feed(st, kReq, "GET /1 HTTP/1.0\r\n\r\nGET /2 HTTP/1.0\r\n\r\n");
  feed(st, kResp, "HTTP/1.0 200 OK\r\nContent-Length: 12\r\n\r\n");
  ASSERT_TRUE(st.gap(kResp, 14));
  feed(st, kResp, "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok");
  ASSERT_EQ(st.tx_count(), 2u);
  const HttpFile* first = http_file(*st.http_tx(0), 0);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->size, 12u);
  EXPECT_TRUE(first->gaps);
  EXPECT_EQ(first->state, FileState::kTruncated);
  EXPECT_EQ(st.http_tx(1)->response.body, "ok");
  EXPECT_EQ(http_file(*st.http_tx(1), 0)->state, FileState::kClosed);
}

TEST(HttpFiles, ChunkLengthLinesAsLibhtpReadsThem) {
  // http-evader cases: leading control characters, trailing junk after the
  // hex digits, and a body that is not chunked after all.
  struct Case {
    std::string body;
    std::string want;
  } cases[] = {
      {"\rf\r\nX5O!P%@AP[4\\PZX\r\n0\r\n\r\n", "X5O!P%@AP[4\\PZX"},
      {"\x0b" "5\r\nabcde\r\n0\r\n\r\n", "abcde"},
      {"5,\r\nabcde\r\n5 x\r\nfghij\r\n0\r\n\r\n", "abcdefghij"},
      {"\r\n\r\n3\r\nabc\r\n0\r\n\r\n", "abc"},
  };
  for (const Case& c : cases) {
    HttpState st;
    feed(st, kReq, "GET /e HTTP/1.1\r\nHost: a\r\n\r\n");
    feed(st, kResp, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + c.body);
    const HttpTx& tx = *st.http_tx(0);
    EXPECT_TRUE(tx.complete[1]) << c.want;
    EXPECT_EQ(tx.response.body, c.want);
  }
  // Not chunked: the whole rest is body until the connection closes.
  HttpState st;
  feed(st, kReq, "GET /e HTTP/1.1\r\nHost: a\r\n\r\n");
  feed(st, kResp, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nX5O!P%@AP[4 no line end");
  st.end_of_stream(kResp);
  const HttpTx& tx = *st.http_tx(0);
  EXPECT_EQ(tx.response.body, "X5O!P%@AP[4 no line end");
  ASSERT_EQ(http_file_count(tx), 1u);
  EXPECT_EQ(http_file(tx, 0)->state, FileState::kClosed);
}

TEST(HttpFiles, FileinfoMembersInSuricataOrder) {
  HttpState st;
  feed(st, kReq, "GET /dir/a.txt HTTP/1.1\r\nHost: a\r\n\r\n");
  feed(st, kResp, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nabcd");
  const HttpTx& tx = *st.http_tx(0);
  // EveFileInfo: filename, (sid only when non-empty), gaps, state, stored, size, tx_id.
  EXPECT_EQ(fileinfo_json(tx, 0),
            "{\"filename\":\"/dir/a.txt\",\"gaps\":false,\"state\":\"CLOSED\","
            "\"stored\":false,\"size\":4,\"tx_id\":0}");
}

TEST(HttpFiles, ForceHashDigestsOfClosedFiles) {
  // FIPS 180 / RFC 1321 vectors for "abc".
  HttpConfig config;
  config.file_hashes = {.md5 = true, .sha1 = true, .sha256 = true};
  HttpState st(config);
  feed(st, kReq, "GET /abc HTTP/1.1\r\nHost: a\r\n\r\nGET /cut HTTP/1.1\r\nHost: a\r\n\r\n");
  feed(st, kResp, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n");
  const std::string gz = gzip_of("abc");
  const std::string chunk1 = gz.substr(0, 5), chunk2 = gz.substr(5);
  char l1[16], l2[16];
  std::snprintf(l1, sizeof(l1), "%zx\r\n", chunk1.size());
  std::snprintf(l2, sizeof(l2), "%zx\r\n", chunk2.size());
  feed(st, kResp, l1 + chunk1 + "\r\n" + l2 + chunk2 + "\r\n0\r\n\r\n", 1);
  feed(st, kResp, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
  st.end_of_stream(kResp);
  ASSERT_EQ(st.tx_count(), 2u);
  EXPECT_EQ(fileinfo_json(*st.http_tx(0), 0),
            "{\"filename\":\"/abc\",\"gaps\":false,\"state\":\"CLOSED\","
            "\"md5\":\"900150983cd24fb0d6963f7d28e17f72\","
            "\"sha1\":\"a9993e364706816aba3e25717850c26c9cd0d89d\","
            "\"sha256\":\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\","
            "\"stored\":false,\"size\":3,\"tx_id\":0}");
  // A TRUNCATED file has no digests.
  EXPECT_EQ(fileinfo_json(*st.http_tx(1), 0),
            "{\"filename\":\"/cut\",\"gaps\":false,\"state\":\"TRUNCATED\","
            "\"stored\":false,\"size\":3,\"tx_id\":1}");
}

TEST(HttpFiles, ForceHashOfMultipartParts) {
  HttpConfig config;
  config.file_hashes = {.md5 = true};
  HttpState st(config);
  const std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.txt\"\r\n\r\nabc\r\n--b--\r\n";
  feed(st, kReq, "POST /up HTTP/1.1\r\nHost: a\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                 "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  const HttpTx& tx = *st.http_tx(0);
  ASSERT_EQ(http_file_count(tx), 1u);
  EXPECT_NE(fileinfo_json(tx, 0).find("\"md5\":\"900150983cd24fb0d6963f7d28e17f72\""),
            std::string::npos);
}

TEST(HttpFiles, LongFilenameIsCapped) {
  HttpState st;
  const std::string path = "/" + std::string(6000, 'p');
  feed(st, kReq, "GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
  feed(st, kResp, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx");
  const HttpTx& tx = *st.http_tx(0);
  ASSERT_EQ(http_file_count(tx), 1u);
  EXPECT_EQ(http_file(tx, 0)->name.size(), kMaxFileName);
}

}  // namespace
}  // namespace seawall::applayer::http
