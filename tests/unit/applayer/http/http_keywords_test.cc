// Sticky buffers and keywords through the real rule parser, inspected with a
// MatchContext that carries an HTTP transaction.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "applayer/http/http_parser.h"
#include "decode/packet.h"
#include "detect/buffers/buffer_registry.h"
#include "detect/engine/detect_engine.h"
#include "detect/engine/inspect.h"
#include "detect/keywords/keyword.h"
#include "detect/rules/rule_parser.h"
#include "http_test_util.h"

namespace seawall::applayer::http {
namespace {

using namespace seawall::detect;

DetectThread& no_thread() {
  // Buffer getters and payload keywords never touch the thread.
  alignas(DetectThread) static unsigned char storage[sizeof(DetectThread)] = {};
  return *reinterpret_cast<DetectThread*>(storage);
}

std::unique_ptr<Rule> parse(const std::string& options) {
  RuleLoadContext context;
  RuleFailure failure;
  const std::string text = "alert http any any -> any any (msg:\"t\"; " + options + " sid:1;)";
  auto rule = parse_rule(text, "test.rules", 1, context, failure);
  EXPECT_NE(rule, nullptr) << text << ": " << format_failure(failure);
  return rule;
}

// Every inspection of the rule must match the transaction in direction `dir`.
bool matches(const std::string& options, const HttpTx& tx, uint8_t dir) {
  auto rule = parse(options);
  if (!rule) return false;
  Packet p;
  MatchContext ctx{p, nullptr, no_thread()};
  ctx.tx = &tx;
  ctx.tx_proto = find_app_proto("http");
  ctx.tx_dir = dir;
  std::vector<int64_t> vars(rule->byte_var_count + 1, 0);
  for (const BufferInspection& insp : rule->inspections) {
    const BufferDescriptor& d = buffer_descriptor(insp.buffer_id);
    EXPECT_TRUE(d.unsupported_reason.empty()) << d.name;
    if (d.get_multi != nullptr) {
      bool any = false;
      ByteView b;
      for (uint32_t i = 0; !any && d.get_multi(ctx, i, b); ++i)
        any = inspect_buffer(ctx, insp, b.data(), static_cast<uint32_t>(b.size()), vars.data());
      if (!any) return false;
      continue;
    }
    ByteView b;
    if (d.get == nullptr || !d.get(ctx, b)) return false;
    if (!inspect_buffer(ctx, insp, b.data(), static_cast<uint32_t>(b.size()), vars.data()))
      return false;
  }
  return true;
}

class HttpKeywords : public ::testing::Test {
 protected:
  void SetUp() override {
    test::feed(st_, Direction::kToServer,
               "POST /dir/./a%2Fb/../page.php?id=1 HTTP/1.1\r\n"
               "Host: WWW.Example.com:8080\r\n"
               "User-Agent: Mozilla/5.0 test\r\n"
               "Accept: text/html\r\n"
               "Accept-Encoding: gzip\r\n"
               "Accept-Language: en\r\n"
               "Referer: http://ref.example/\r\n"
               "Cookie: session=abc\r\n"
               "Connection: keep-alive\r\n"
               "Content-Type: application/x-www-form-urlencoded\r\n"
               "Content-Length: 9\r\n"
               "\r\n"
               "user=evil");
    test::feed(st_, Direction::kToClient,
               "HTTP/1.1 302 Found\r\n"
               "Server: nginx\r\n"
               "Location: http://other.example/\r\n"
               "Set-Cookie: id=42\r\n"
               "Content-Type: text/html\r\n"
               "Content-Length: 14\r\n"
               "\r\n"
               "<html>x</html>");
    ASSERT_EQ(st_.tx_count(), 1u);
    tx_ = st_.http_tx(0);
  }
  HttpState st_;
  const HttpTx* tx_ = nullptr;
};

TEST_F(HttpKeywords, RequestBuffers) {
  EXPECT_TRUE(matches("http.uri; content:\"/dir/a/page.php?id=1\"; startswith; endswith;", *tx_, 0));
  EXPECT_TRUE(matches("content:\"/dir/a/page.php\"; http_uri;", *tx_, 0));
  EXPECT_TRUE(matches("http.uri.raw; content:\"/./a%2Fb/../\";", *tx_, 0));
  EXPECT_TRUE(matches("content:\"%2F\"; http_raw_uri;", *tx_, 0));
  EXPECT_FALSE(matches("http.uri; content:\"%2F\";", *tx_, 0));
  EXPECT_TRUE(matches("http.method; content:\"POST\"; bsize:4;", *tx_, 0));
  EXPECT_TRUE(matches("content:\"POST\"; http_method;", *tx_, 0));
  EXPECT_TRUE(matches("http.host; content:\"www.example.com\"; bsize:15;", *tx_, 0));
  EXPECT_TRUE(matches("http.host.raw; content:\"WWW.Example.com:8080\";", *tx_, 0));
  EXPECT_TRUE(matches("http.user_agent; content:\"Mozilla\"; startswith;", *tx_, 0));
  EXPECT_TRUE(matches("http.request_line; content:\"POST /dir/./a%2Fb/../page.php?id=1 HTTP/1.1\"; "
                      "bsize:43;", *tx_, 0));
  EXPECT_TRUE(matches("http.request_body; content:\"user=evil\";", *tx_, 0));
  EXPECT_TRUE(matches("content:\"evil\"; http_client_body;", *tx_, 0));
  EXPECT_TRUE(matches("http.referer; content:\"ref.example\";", *tx_, 0));
  EXPECT_TRUE(matches("http.accept; content:\"text/html\"; bsize:9;", *tx_, 0));
  EXPECT_TRUE(matches("http.accept_enc; content:\"gzip\";", *tx_, 0));
  EXPECT_TRUE(matches("http.accept_lang; content:\"en\"; bsize:2;", *tx_, 0));
  EXPECT_TRUE(matches("http.cookie; content:\"session=abc\";", *tx_, 0));
  EXPECT_TRUE(matches("http.connection; content:\"keep-alive\";", *tx_, 0));
  EXPECT_TRUE(matches("http.content_type; content:\"urlencoded\";", *tx_, 0));
  EXPECT_TRUE(matches("http.content_len; content:\"9\"; bsize:1;", *tx_, 0));
  EXPECT_TRUE(matches("http.protocol; content:\"HTTP/1.1\";", *tx_, 0));
  EXPECT_TRUE(matches("http.request_header; content:\"User-Agent: Mozilla\"; startswith;", *tx_, 0));
  EXPECT_TRUE(matches("file.data; content:\"user=evil\";", *tx_, 0));
}

TEST_F(HttpKeywords, HeaderBuffersFollowSuricataFormats) {
  // http.header: "Name: value\r\n" per header, Cookie left out, no final CRLF.
  EXPECT_TRUE(matches("http.header; content:\"Host: WWW.Example.com:8080|0d 0a|User-Agent\"; "
                      "startswith;", *tx_, 0));
  EXPECT_FALSE(matches("http.header; content:\"Cookie\";", *tx_, 0));
  EXPECT_TRUE(matches("http.header; content:\"Content-Length: 9|0d 0a|\"; endswith;", *tx_, 0));
  EXPECT_TRUE(matches("http.header.raw; content:\"Cookie: session=abc|0d 0a|\";", *tx_, 0));
  EXPECT_TRUE(matches("http.header_names; content:\"|0d 0a|Host|0d 0a|User-Agent|0d 0a|\"; "
                      "startswith; content:\"|0d 0a|Content-Length|0d 0a 0d 0a|\"; endswith;",
                      *tx_, 0));
  EXPECT_TRUE(matches("http.start; content:\"POST /dir\"; startswith; content:\"Cookie: "
                      "session=abc\"; content:\"|0d 0a 0d 0a|\"; endswith;", *tx_, 0));
}

TEST_F(HttpKeywords, ResponseBuffersAndDirection) {
  EXPECT_TRUE(matches("http.stat_code; content:\"302\"; bsize:3;", *tx_, 1));
  EXPECT_TRUE(matches("content:\"302\"; http_stat_code;", *tx_, 1));
  EXPECT_TRUE(matches("http.stat_msg; content:\"Found\";", *tx_, 1));
  EXPECT_TRUE(matches("http.response_line; content:\"HTTP/1.1 302 Found\"; bsize:18;", *tx_, 1));
  EXPECT_TRUE(matches("http.response_body; content:\"<html>x</html>\";", *tx_, 1));
  EXPECT_TRUE(matches("content:\"<html>\"; http_server_body;", *tx_, 1));
  EXPECT_TRUE(matches("http.location; content:\"other.example\";", *tx_, 1));
  EXPECT_TRUE(matches("http.server; content:\"nginx\";", *tx_, 1));
  EXPECT_TRUE(matches("http.response_header; content:\"Server: nginx\"; bsize:13;", *tx_, 1));
  // Both-direction buffers pick the message by the inspected direction.
  EXPECT_TRUE(matches("http.cookie; content:\"id=42\";", *tx_, 1));
  EXPECT_FALSE(matches("http.cookie; content:\"id=42\";", *tx_, 0));
  EXPECT_TRUE(matches("http.content_type; content:\"text/html\"; bsize:9;", *tx_, 1));
  EXPECT_TRUE(matches("http.header; content:\"Location: http://other.example/\";", *tx_, 1));
  EXPECT_FALSE(matches("http.header; content:\"Set-Cookie\";", *tx_, 1));
  EXPECT_TRUE(matches("file.data; content:\"<html>x</html>\";", *tx_, 1));
  EXPECT_TRUE(matches("file_data; content:\"<html>\";", *tx_, 1));
}

TEST_F(HttpKeywords, UrilenAndUricontent) {
  // Normalized URI "/dir/a/page.php?id=1" is 20 bytes, the raw one 29.
  EXPECT_TRUE(matches("urilen:20;", *tx_, 0));
  EXPECT_TRUE(matches("urilen:>19;", *tx_, 0));
  EXPECT_FALSE(matches("urilen:<20;", *tx_, 0));
  EXPECT_TRUE(matches("urilen:19<>21;", *tx_, 0));
  EXPECT_TRUE(matches("urilen:29,raw;", *tx_, 0));
  EXPECT_TRUE(matches("urilen:20, norm;", *tx_, 0));
  EXPECT_FALSE(matches("urilen:20,raw;", *tx_, 0));
  EXPECT_TRUE(matches("uricontent:\"page.php\";", *tx_, 0));
  EXPECT_TRUE(matches("uricontent:\"PAGE.PHP\"; nocase;", *tx_, 0));
  EXPECT_FALSE(matches("uricontent:\"%2F\";", *tx_, 0));
  EXPECT_TRUE(matches("uricontent:\"/dir\"; urilen:20; http.method; content:\"POST\";", *tx_, 0));
  // A different protocol's transaction is never read as HTTP.
  Packet p;
  MatchContext ctx{p, nullptr, no_thread()};
  ctx.tx = tx_;
  ctx.tx_proto = kAppProtoUnknown;
  ByteView b;
  EXPECT_FALSE(find_buffer("http.uri")->get(ctx, b));
}

// Packet matchers of the rule (filesize ...) on the transaction too.
bool matches_all(const std::string& options, const HttpTx& tx, uint8_t dir) {
  if (!matches(options, tx, dir)) return false;
  auto rule = parse(options);
  Packet p;
  MatchContext ctx{p, nullptr, no_thread()};
  ctx.tx = &tx;
  ctx.tx_proto = find_app_proto("http");
  ctx.tx_dir = dir;
  for (const auto& m : rule->packet_matchers)
    if (!m->match(ctx)) return false;
  return true;
}

TEST(HttpFileKeywords, FilenameFileextFilesizeOnTheTransactionFiles) {
  HttpState st;
  test::feed(st, Direction::kToServer, "GET /dl/get.php?id=1 HTTP/1.1\r\nHost: a\r\n\r\n");
  test::feed(st, Direction::kToClient,
             "HTTP/1.1 200 OK\r\nContent-Disposition: attachment; filename=\"Report.PDF\"\r\n"
             "Content-Length: 2000\r\n\r\n" + std::string(2000, 'x'));
  ASSERT_EQ(st.tx_count(), 1u);
  const HttpTx& tx = *st.http_tx(0);
  // Suricata: filename and fileext assume nocase; fileext is the whole extension.
  EXPECT_TRUE(matches_all("filename:\"report.pdf\";", tx, 1));
  EXPECT_TRUE(matches_all("filename:\"port\";", tx, 1));
  EXPECT_FALSE(matches_all("filename:\"other\";", tx, 1));
  EXPECT_TRUE(matches_all("fileext:\"pdf\";", tx, 1));
  EXPECT_FALSE(matches_all("fileext:\"pd\";", tx, 1));
  EXPECT_FALSE(matches_all("fileext:\"PDF.x\";", tx, 1));
  // file.name is the sticky buffer: case-sensitive unless nocase.
  EXPECT_TRUE(matches_all("file.name; content:\"Report\"; startswith;", tx, 1));
  EXPECT_FALSE(matches_all("file.name; content:\"report\";", tx, 1));
  // filesize with units (1 KB = 1024).
  EXPECT_TRUE(matches_all("filesize:2000;", tx, 1));
  EXPECT_TRUE(matches_all("filesize:>1KB;", tx, 1));
  EXPECT_FALSE(matches_all("filesize:<1KB;", tx, 1));
  EXPECT_TRUE(matches_all("filesize:1000<>3000;", tx, 1));
  // The request carries no file.
  EXPECT_FALSE(matches_all("filename:\"report\";", tx, 0));
  EXPECT_FALSE(matches_all("filesize:>0;", tx, 0));
}

TEST(HttpFileKeywords, TruncatedFileOnlyKnownToBeBigger) {
  HttpState st;
  test::feed(st, Direction::kToServer, "GET /big.iso HTTP/1.1\r\nHost: a\r\n\r\n");
  test::feed(st, Direction::kToClient,
             "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + std::string(3000, 'x'));
  st.end_of_stream(Direction::kToClient);
  const HttpTx& tx = *st.http_tx(0);
  EXPECT_TRUE(matches_all("filesize:>2KB;", tx, 1));
  EXPECT_FALSE(matches_all("filesize:3000;", tx, 1));
  EXPECT_FALSE(matches_all("filesize:<4000;", tx, 1));
}

TEST(HttpKeywordsRegistry, PlaceholdersAreReplaced) {
  for (const char* name :
       {"http.uri", "http.uri.raw", "http.method", "http.host", "http.host.raw", "http.user_agent",
        "http.header", "http.header.raw", "http.header_names", "http.cookie", "http.request_line",
        "http.request_body", "http.stat_code", "http.stat_msg", "http.response_line",
        "http.response_body", "http.content_type", "http.content_len", "http.protocol",
        "http.start", "http.referer", "http.accept", "http.accept_enc", "http.accept_lang",
        "http.connection", "http.location", "http.server", "http.request_header",
        "http.response_header", "file.data", "file_data", "http_header_names", "http_start"}) {
    const BufferDescriptor* d = find_buffer(name);
    ASSERT_NE(d, nullptr) << name;
    EXPECT_TRUE(d->unsupported_reason.empty()) << name;
    EXPECT_TRUE(d->get != nullptr || d->get_multi != nullptr) << name;
    const KeywordDescriptor* k = find_keyword(name);
    ASSERT_NE(k, nullptr) << name;
    EXPECT_TRUE(k->unsupported_reason.empty()) << name;
  }
  for (const char* modifier : {"http_uri", "http_raw_uri", "http_method", "http_host",
                               "http_raw_host", "http_user_agent", "http_header",
                               "http_raw_header", "http_cookie", "http_client_body",
                               "http_stat_code", "http_stat_msg", "http_server_body"}) {
    const KeywordDescriptor* k = find_keyword(modifier);
    ASSERT_NE(k, nullptr) << modifier;
    EXPECT_EQ(k->kind, KeywordKind::kModifier) << modifier;
    EXPECT_TRUE(k->unsupported_reason.empty()) << modifier;
  }
  for (const char* kw : {"urilen", "uricontent", "filename", "fileext", "filesize", "file.name"}) {
    const KeywordDescriptor* k = find_keyword(kw);
    ASSERT_NE(k, nullptr);
    EXPECT_TRUE(k->unsupported_reason.empty()) << kw;
  }
}

}  // namespace
}  // namespace seawall::applayer::http
