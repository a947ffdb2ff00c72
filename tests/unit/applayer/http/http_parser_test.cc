#include <gtest/gtest.h>

#include <string>

#include "applayer/http/http_parser.h"
#include "http_test_util.h"

namespace seawall::applayer::http {
namespace {

using test::feed;
using test::feed_split;
using test::has_event;
using test::summarize;

constexpr Direction kReq = Direction::kToServer;
constexpr Direction kResp = Direction::kToClient;

const std::string kRequest =
    "POST /a/./b/../c%2fd?x=1&y=%41 HTTP/1.1\r\n"
    "Host: Example.COM:8080\r\n"
    "User-Agent: test-agent\r\n"
    "X-Folded: first\r\n"
    "  second\r\n"
    "Accept: a\r\n"
    "accept: b\r\n"
    "Content-Length: 11\r\n"
    "\r\n"
    "hello world";

const std::string kResponse =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "Transfer-Encoding: chunked\r\n"
    "\r\n"
    "5;ext=1\r\nHello\r\n"
    "7\r\n, world\r\n"
    "0\r\n"
    "X-Trailer: yes\r\n"
    "\r\n";

TEST(HttpParser, RequestAndResponseFields) {
  HttpState st;
  feed(st, kReq, kRequest);
  ASSERT_EQ(st.tx_count(), 1u);
  const HttpTx& tx = *st.http_tx(0);
  EXPECT_TRUE(tx.complete[0]);
  EXPECT_FALSE(tx.complete[1]);
  EXPECT_EQ(tx.method, "POST");
  EXPECT_EQ(tx.uri_raw, "/a/./b/../c%2fd?x=1&y=%41");
  // Path decoded (%2f is a separator in the IDS personality), dot segments
  // removed, query kept as sent.
  EXPECT_EQ(tx.uri_norm, "/a/c/d?x=1&y=%41");
  EXPECT_EQ(tx.request.protocol, "HTTP/1.1");
  EXPECT_EQ(tx.hostname, "example.com");
  EXPECT_EQ(tx.port, 8080);
  EXPECT_EQ(tx.request.header_value("x-folded"), "first  second");
  EXPECT_EQ(tx.request.header_value("ACCEPT"), "a, b");
  EXPECT_EQ(tx.request.body, "hello world");
  EXPECT_EQ(tx.request.header_buf,
            "Host: Example.COM:8080\r\nUser-Agent: test-agent\r\nX-Folded: first  second\r\n"
            "Accept: a, b\r\nContent-Length: 11\r\n");
  EXPECT_EQ(tx.request.names_buf,
            "\r\nHost\r\nUser-Agent\r\nX-Folded\r\nAccept\r\nContent-Length\r\n\r\n");

  feed(st, kResp, kResponse);
  EXPECT_TRUE(tx.complete[1]);
  EXPECT_EQ(tx.status, 200);
  EXPECT_EQ(tx.status_code, "200");
  EXPECT_EQ(tx.status_msg, "OK");
  EXPECT_EQ(tx.response.body, "Hello, world");
  EXPECT_EQ(tx.response.message_len, 12u);
  // Trailers join the header table, as in libhtp.
  EXPECT_EQ(tx.response.header_value("x-trailer"), "yes");
  EXPECT_NE(tx.response.header_buf.find("X-Trailer: yes\r\n"), std::string::npos);
  EXPECT_EQ(tx.event_count, 0);
}

// The request of suricata-verify detect-http-uri/UriTestSig17 (Suricata's
// UriTestSig17 unit test): the capture ends before the blank line. Suricata
// inspects http.uri from the request-line progress, so the request side is
// complete (inspected) at flow end; the normalised URI is already there.
TEST(HttpParser, RequestCutOffInHeadersCompletesAtEndOfStream) {
  HttpState st;
  feed(st, kReq,
       "POST /now_this_is_is_big_big_string_now HTTP/1.0\r\nUser-Agent: Mozilla/1.0\r\n");
  ASSERT_EQ(st.tx_count(), 1u);
  EXPECT_FALSE(st.http_tx(0)->complete[0]);
  st.end_of_stream(kReq);
  EXPECT_TRUE(st.http_tx(0)->complete[0]);
  EXPECT_EQ(st.http_tx(0)->uri_norm, "/now_this_is_is_big_big_string_now");
  // Only the request line: no headers yet, still a request to inspect.
  HttpState line_only;
  feed(line_only, kReq, "GET /normalized%20uri HTTP/1.0\r\n");
  line_only.end_of_stream(kReq);
  ASSERT_EQ(line_only.tx_count(), 1u);
  EXPECT_TRUE(line_only.http_tx(0)->complete[0]);
  EXPECT_EQ(line_only.http_tx(0)->uri_norm, "/normalized uri");
  // A partial request line is no transaction at all.
  HttpState partial;
  feed(partial, kReq, "GET /unfinish");
  partial.end_of_stream(kReq);
  EXPECT_EQ(partial.tx_count(), 0u);
}

TEST(HttpParser, EverySplitPointGivesTheSameTransactions) {
  HttpState whole;
  feed(whole, kReq, kRequest);
  feed(whole, kResp, kResponse);
  const std::string expected = summarize(whole);
  for (size_t at = 0; at <= kRequest.size(); ++at) {
    HttpState st;
    feed_split(st, kReq, kRequest, at);
    feed(st, kResp, kResponse);
    ASSERT_EQ(summarize(st), expected) << "request split at " << at;
  }
  for (size_t at = 0; at <= kResponse.size(); ++at) {
    HttpState st;
    feed(st, kReq, kRequest);
    feed_split(st, kResp, kResponse, at);
    ASSERT_EQ(summarize(st), expected) << "response split at " << at;
  }
  HttpState bytewise;
  feed(bytewise, kReq, kRequest, 1);
  feed(bytewise, kResp, kResponse, 1);
  EXPECT_EQ(summarize(bytewise), expected);
}

TEST(HttpParser, PipelinedRequestsMatchResponsesInOrder) {
  const std::string reqs =
      "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n"
      "HEAD /2 HTTP/1.1\r\nHost: a\r\n\r\n"
      "\r\n"  // stray CRLF between requests is skipped
      "GET /3 HTTP/1.1\r\nHost: a\r\n\r\n";
  const std::string resps =
      "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none"
      "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"  // HEAD: no body despite C-L
      "HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\n\r\nthree";
  for (size_t chunk : {size_t{0}, size_t{1}, size_t{7}}) {
    HttpState st;
    feed(st, kReq, reqs, chunk);
    feed(st, kResp, resps, chunk);
    ASSERT_EQ(st.tx_count(), 3u);
    EXPECT_EQ(st.http_tx(0)->uri_raw, "/1");
    EXPECT_EQ(st.http_tx(0)->response.body, "one");
    EXPECT_EQ(st.http_tx(1)->method, "HEAD");
    EXPECT_EQ(st.http_tx(1)->status, 200);
    EXPECT_EQ(st.http_tx(1)->response.body, "");
    EXPECT_EQ(st.http_tx(2)->uri_raw, "/3");
    EXPECT_EQ(st.http_tx(2)->status, 404);
    EXPECT_EQ(st.http_tx(2)->response.body, "three");
    for (size_t i = 0; i < 3; ++i) {
      EXPECT_TRUE(st.http_tx(i)->complete[0]);
      EXPECT_TRUE(st.http_tx(i)->complete[1]);
      EXPECT_EQ(st.http_tx(i)->id, i);
    }
  }
}

TEST(HttpParser, ChunkedRequestWithExtensionsAndTrailers) {
  const std::string req =
      "POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
      "4;name=value;other\r\nWiki\r\n"
      "5 \r\npedia\r\n"
      "E\r\n in\r\n\r\nchunks.\r\n"
      "0;last\r\n"
      "Expires: never\r\n"
      "\r\n";
  HttpState st;
  feed(st, kReq, req, 3);
  ASSERT_EQ(st.tx_count(), 1u);
  const HttpTx& tx = *st.http_tx(0);
  EXPECT_TRUE(tx.complete[0]);
  // The RFC 7230 / Wikipedia example body.
  EXPECT_EQ(tx.request.body, "Wikipedia in\r\n\r\nchunks.");
  EXPECT_EQ(tx.request.header_value("expires"), "never");
  // Extensions are legal but flagged, as libhtp does (suricata-verify http-event-chunk).
  ASSERT_EQ(tx.event_count, 1);
  EXPECT_EQ(tx.events[0], "request_chunk_extension");
}

TEST(HttpParser, InterimResponsesAndContinue) {
  HttpState st;
  feed(st, kReq, "PUT /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
  feed(st, kResp, "HTTP/1.1 100 Continue\r\n\r\n");
  feed(st, kReq, "ok");
  feed(st, kResp, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s>\r\n\r\n"
                  "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
  ASSERT_EQ(st.tx_count(), 1u);
  const HttpTx& tx = *st.http_tx(0);
  EXPECT_EQ(tx.request.body, "ok");
  EXPECT_EQ(tx.status, 201);
  EXPECT_TRUE(tx.complete[1]);
  EXPECT_EQ(tx.response.header_count, 1u);  // interim headers dropped
  EXPECT_TRUE(has_event(tx, "100_continue_already_seen"));
}

TEST(HttpParser, NoBodyStatusesAndBodyUntilClose) {
  HttpState st;
  feed(st, kReq, "GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n"
                 "GET /c HTTP/1.0\r\n\r\n");
  // A 304 without framing headers has no body. (With a Content-Length or
  // Transfer-Encoding, libhtp-rs reads a body anyway: see HttpFiles tests.)
  feed(st, kResp, "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n"
                  "\r\nHTTP/1.0 200 OK\r\n\r\nuntil");
  feed(st, kResp, " close");
  ASSERT_EQ(st.tx_count(), 3u);
  EXPECT_TRUE(st.http_tx(0)->complete[1]);
  EXPECT_TRUE(st.http_tx(1)->complete[1]);
  EXPECT_FALSE(st.http_tx(2)->complete[1]);
  st.end_of_stream(kResp);
  EXPECT_TRUE(st.http_tx(2)->complete[1]);
  EXPECT_EQ(st.http_tx(2)->response.body, "until close");
  EXPECT_FALSE(has_event(*st.http_tx(2), "missing_host_header"));  // HTTP/1.0
}

TEST(HttpParser, ConnectTunnelStopsParsing) {
  HttpState st;
  feed(st, kReq, "CONNECT secure.example.com:443 HTTP/1.1\r\nHost: secure.example.com:443\r\n\r\n");
  feed(st, kResp, "HTTP/1.1 200 Connection established\r\n\r\n");
  ASSERT_EQ(st.tx_count(), 1u);
  const HttpTx& tx = *st.http_tx(0);
  EXPECT_TRUE(tx.complete[0]);
  EXPECT_TRUE(tx.complete[1]);
  EXPECT_EQ(tx.uri_raw, "secure.example.com:443");
  EXPECT_EQ(tx.hostname, "secure.example.com");
  EXPECT_EQ(tx.port, 443);
  EXPECT_TRUE(st.no_more_inspection());
  feed(st, kReq, "\x16\x03\x01 binary tls");
  EXPECT_EQ(st.tx_count(), 1u);
}

TEST(HttpParser, Http09SimpleRequestAndHeadersAfterMissingProtocol) {
  HttpState st;
  feed(st, kReq, "GET /\r\n");
  ASSERT_EQ(st.tx_count(), 1u);
  EXPECT_TRUE(st.http_tx(0)->complete[0]);
  EXPECT_TRUE(st.http_tx(0)->request.protocol.empty());
  feed(st, kResp, "<html>0.9 body</html>");
  st.end_of_stream(kResp);
  EXPECT_EQ(st.http_tx(0)->response.body, "<html>0.9 body</html>");
  EXPECT_EQ(st.http_tx(0)->status, -1);

  // suricata-verify http-not09: lines after "GET /" are still headers.
  HttpState st2;
  feed(st2, kReq, "GET /\r\nFakeHeader\r\nHost: localhost\r\nUser-Agent: myscript\r\n\r\n");
  ASSERT_EQ(st2.tx_count(), 1u);
  EXPECT_EQ(st2.http_tx(0)->request.header_value("user-agent"), "myscript");
  EXPECT_TRUE(has_event(*st2.http_tx(0), "request_field_missing_colon"));
}

TEST(HttpParser, UnmatchedResponseOpensTransaction) {
  HttpState st;
  feed(st, kResp, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  ASSERT_EQ(st.tx_count(), 1u);
  EXPECT_TRUE(has_event(*st.http_tx(0), "unable_to_match_response_to_request"));
  EXPECT_TRUE(st.http_tx(0)->complete[1]);
}

struct EventCase {
  const char* name;
  Direction dir;
  std::string data;
  const char* event;
};

TEST(HttpParser, EveryEventIsRaised) {
  const std::string long_line(20000, 'a');
  const std::vector<EventCase> cases = {
      {"missing host", kReq, "GET / HTTP/1.1\r\n\r\n", "missing_host_header"},
      {"header invalid", kReq, "GET / HTTP/1.1\r\nHo st: x\r\n\r\n", "request_header_invalid"},
      {"lws before colon", kReq, "GET / HTTP/1.1\r\nHost : x\r\n\r\n", "request_header_invalid"},
      {"missing colon", kReq, "GET / HTTP/1.1\r\nHost: x\r\nnocolon\r\n\r\n",
       "request_field_missing_colon"},
      {"folding first", kReq, "GET / HTTP/1.1\r\n folded: x\r\nHost: x\r\n\r\n",
       "invalid_request_field_folding"},
      {"bad chunk", kReq, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
       "invalid_request_chunk_len"},
      {"bad te", kReq, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
       "invalid_transfer_encoding_value_in_request"},
      {"bad cl", kReq, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n",
       "invalid_content_length_field_in_request"},
      {"dup cl", kReq,
       "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx",
       "duplicate_content_length_field_in_request"},
      {"long line", kReq, "GET /" + long_line + " HTTP/1.1\r\nHost: x\r\n\r\n",
       "request_field_too_long"},
      {"long header", kReq, "GET / HTTP/1.1\r\nHost: x\r\nX: " + long_line + "\r\n\r\n",
       "request_field_too_long"},
      {"host ambiguous", kReq, "GET http://a.example/ HTTP/1.1\r\nHost: b.example\r\n\r\n",
       "host_header_ambiguous"},
      {"host invalid", kReq, "GET / HTTP/1.1\r\nHost: x:99999\r\n\r\n",
       "request_header_host_invalid"},
      {"uri host invalid", kReq, "GET http://:80/ HTTP/1.1\r\nHost: x\r\n\r\n",
       "request_uri_host_invalid"},
      {"leading ws", kReq, " GET / HTTP/1.1\r\nHost: x\r\n\r\n", "request_line_leading_whitespace"},
      {"method delim", kReq, "GET\t/ HTTP/1.1\r\nHost: x\r\n\r\n", "method_delim_non_compliant"},
      {"uri delim", kReq, "GET /\tHTTP/1.1\r\nHost: x\r\n\r\n", "uri_delim_non_compliant"},
      {"incomplete", kReq, "GET\r\n", "request_line_incomplete"},
      {"invalid protocol", kReq, "GET / HTTP/2.5\r\nHost: x\r\n\r\n", "request_line_invalid"},
      {"resp missing colon", kResp, "HTTP/1.1 200 OK\r\nbroken\r\nContent-Length: 0\r\n\r\n",
       "response_field_missing_colon"},
      {"resp header invalid", kResp, "HTTP/1.1 200 OK\r\nA b: c\r\nContent-Length: 0\r\n\r\n",
       "response_header_invalid"},
      {"resp folding", kResp, "HTTP/1.1 200 OK\r\n x: y\r\nContent-Length: 0\r\n\r\n",
       "invalid_response_field_folding"},
      {"resp bad chunk", kResp, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n",
       "invalid_response_chunk_len"},
      {"resp bad te", kResp, "HTTP/1.1 200 OK\r\nTransfer-Encoding: foo\r\n\r\n",
       "invalid_transfer_encoding_value_in_response"},
      {"resp bad cl", kResp, "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n",
       "invalid_content_length_field_in_response"},
      {"resp dup cl", kResp, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 3\r\n\r\nx",
       "duplicate_content_length_field_in_response"},
      {"resp long", kResp, "HTTP/1.1 200 OK\r\nX: " + long_line + "\r\nContent-Length: 0\r\n\r\n",
       "response_field_too_long"},
      {"resp invalid protocol", kResp, "HTTP/9 200 OK\r\nContent-Length: 0\r\n\r\n",
       "response_invalid_protocol"},
      {"resp invalid status", kResp, "HTTP/1.1 2XX OK\r\nContent-Length: 0\r\n\r\n",
       "response_invalid_status"},
      {"abnormal te", kResp, "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
       "response_abnormal_transfer_encoding"},
      {"chunked old proto", kResp, "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
       "response_chunked_old_proto"},
  };
  for (const EventCase& c : cases) {
    HttpState st;
    if (c.dir == kResp) feed(st, kReq, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    feed(st, c.dir, c.data);
    ASSERT_GE(st.tx_count(), 1u) << c.name;
    EXPECT_TRUE(has_event(*st.http_tx(0), c.event)) << c.name << ": " << summarize(st);
    // And byte by byte too.
    HttpState st1;
    if (c.dir == kResp) feed(st1, kReq, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    feed(st1, c.dir, c.data, 1);
    EXPECT_TRUE(has_event(*st1.http_tx(0), c.event)) << c.name << " (byte by byte)";
  }
}

TEST(HttpParser, HeaderRepetitionIsCapped) {
  std::string req = "GET / HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 100; ++i) req += "X-Rep: v\r\n";
  req += "\r\n";
  HttpState st;
  feed(st, kReq, req);
  const HttpTx& tx = *st.http_tx(0);
  EXPECT_TRUE(has_event(tx, "request_header_repetition"));
  EXPECT_EQ(tx.request.header(std::string_view("x-rep"))->repetitions, 64u);
}

TEST(HttpParser, EndlessFoldingIsBounded) {
  HttpConfig config;
  config.max_line = 100;
  std::string req = "GET / HTTP/1.1\r\nHost: x\r\nX: v\r\n";
  for (int i = 0; i < 1000; ++i) req += " continued\r\n";
  req += "\r\n";
  HttpState st(config);
  feed(st, kReq, req, 17);
  const HttpTx& tx = *st.http_tx(0);
  EXPECT_TRUE(tx.complete[0]);
  EXPECT_TRUE(has_event(tx, "request_field_too_long"));
  EXPECT_LE(tx.request.header_value("x").size(), 100u);
}

TEST(HttpParser, BodyLimitKeepsTheFirstBytes) {
  HttpConfig config;
  config.request_body_limit = 10;
  HttpState st(config);
  const std::string body(100, 'b');
  feed(st, kReq, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + body, 9);
  const HttpTx& tx = *st.http_tx(0);
  EXPECT_TRUE(tx.complete[0]);
  EXPECT_EQ(tx.request.body, std::string(10, 'b'));
  EXPECT_EQ(tx.request.message_len, 100u);
  EXPECT_TRUE(tx.request.body_truncated);
}

TEST(HttpParser, GapInBodyKeepsFraming) {
  HttpState st;
  feed(st, kReq, "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n");
  feed(st, kResp, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab");
  EXPECT_TRUE(st.gap(kResp, 6));
  feed(st, kResp, "yzHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nq");
  ASSERT_EQ(st.tx_count(), 2u);
  EXPECT_TRUE(st.http_tx(0)->complete[1]);
  EXPECT_TRUE(st.http_tx(0)->response.body_truncated);
  EXPECT_EQ(st.http_tx(1)->response.body, "q");
  // A gap in the headers cannot be recovered.
  HttpState st2;
  feed(st2, kReq, "GET / HTTP/1.1\r\nHo");
  EXPECT_FALSE(st2.gap(kReq, 5));
}

TEST(HttpParser, RemoveDoneRecyclesTransactions) {
  HttpState st;
  feed(st, kReq, "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n");
  feed(st, kResp, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  Transaction* t0 = st.tx_at(0);
  t0->logged = true;
  t0->inspected = {true, true};
  st.remove_done();
  ASSERT_EQ(st.tx_count(), 1u);
  EXPECT_EQ(st.http_tx(0)->uri_raw, "/2");
  feed(st, kResp, "HTTP/1.1 500 Err\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(st.http_tx(0)->status, 500);
  feed(st, kReq, "GET /3 HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(st.tx_count(), 2u);
  EXPECT_EQ(st.http_tx(1)->id, 2u);
  EXPECT_EQ(st.http_tx(1)->uri_raw, "/3");
  EXPECT_EQ(st.http_tx(1)->status, -1);  // recycled object starts clean
}

TEST(HttpParser, Probe) {
  auto probe = [](std::string_view s, Direction d = Direction::kToServer) {
    return probe_http(d, test::bytes_of(s));
  };
  EXPECT_EQ(probe("GET / HTTP/1.1\r\n"), ProbeResult::kYes);
  EXPECT_EQ(probe("PROPFIND /x"), ProbeResult::kYes);
  EXPECT_EQ(probe("HTTP/1.1 200 OK", Direction::kToClient), ProbeResult::kYes);
  EXPECT_EQ(probe("GE"), ProbeResult::kNeedMore);
  EXPECT_EQ(probe("HTTP/"), ProbeResult::kNeedMore);
  EXPECT_EQ(probe("GETX /"), ProbeResult::kNo);
  EXPECT_EQ(probe("\x16\x03\x01\x02\x00"), ProbeResult::kNo);
  EXPECT_EQ(probe("SSH-2.0-OpenSSH"), ProbeResult::kNo);
}

}  // namespace
}  // namespace seawall::applayer::http
