#include <gtest/gtest.h>

#include "detect/keywords/payload/content.h"
#include "test_inspect_util.h"

namespace seawall::detect {
namespace {

using test::PayloadRule;

TEST(Buffers, PktDataIsIdZeroWithGetter) {
  const BufferDescriptor* d = find_buffer("pkt_data");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(buffer_id(*d), kPktDataBuffer);
  EXPECT_EQ(buffer_descriptor(kPktDataBuffer).name, "pkt_data");
  ASSERT_NE(d->get, nullptr);
  const std::string payload = "hello";
  Packet p;
  p.payload = reinterpret_cast<const uint8_t*>(payload.data());
  p.payload_len = 5;
  alignas(DetectThread) static unsigned char storage[sizeof(DetectThread)] = {};
  const MatchContext ctx{p, nullptr, *reinterpret_cast<DetectThread*>(storage)};
  ByteView out;
  ASSERT_TRUE(d->get(ctx, out));
  EXPECT_EQ(out.size(), 5u);
  EXPECT_EQ(out.data(), p.payload);
}

TEST(Buffers, AliasesAndPlaceholders) {
  const BufferDescriptor* q = find_buffer("dns_query");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->name, "dns.query");
  EXPECT_NE(q->unsupported_reason.find("DNS parser"), std::string_view::npos);
  const BufferDescriptor* f = find_buffer("file_data");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->name, "file.data");
  EXPECT_NE(f->unsupported_reason.find("file extraction"), std::string_view::npos);
  for (const char* name : {"http.uri", "http.uri.raw", "http.header_names", "tls.sni",
                           "tls.cert_subject", "ja3.hash", "ja3s.hash", "ja4.hash", "ssh.proto",
                           "ssh.hassh.server.string", "quic.sni", "sip.method", "http.start",
                           "tls.certs", "http.request_body", "dns.queries.rrname"}) {
    const BufferDescriptor* b = find_buffer(name);
    ASSERT_NE(b, nullptr) << name;
    EXPECT_FALSE(b->unsupported_reason.empty()) << name;
    const KeywordDescriptor* k = find_keyword(name);
    ASSERT_NE(k, nullptr) << name;
    EXPECT_EQ(k->kind, KeywordKind::kStickyBuffer) << name;
    EXPECT_EQ(k->unsupported_reason, b->unsupported_reason) << name;
  }
  const KeywordDescriptor* m = find_keyword("http_uri");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->kind, KeywordKind::kModifier);
  EXPECT_NE(find_keyword("http_client_body"), nullptr);
  EXPECT_NE(find_keyword("tls_sni"), nullptr);
}

TEST(Buffers, ETOpenStickyBuffersAreKnown) {
  // Every sticky buffer ET Open uses (list from the ruleset) is a keyword.
  for (const char* name :
       {"http.uri", "http.method", "dns.query", "http.host", "http.request_body", "tls.sni",
        "http.user_agent", "file.data", "http.stat_code", "http.header", "http.header_names",
        "tls.certs", "http.content_type", "tls.cert_subject", "http.cookie", "http.request_line",
        "http.response_body", "http.uri.raw", "http.referer", "tls.cert_issuer", "http.start",
        "http.location", "http.content_len", "http.accept", "http.server", "http.accept_enc",
        "ja3.hash", "http.accept_lang", "http.connection", "http.response_line",
        "http.header.raw", "ja3s.hash", "http.protocol", "http.stat_msg", "tls.cert_serial",
        "ja3.string", "http.host.raw"})
    EXPECT_NE(find_keyword(name), nullptr) << name;
}

TEST(Buffers, StickyBufferSwitchesInspection) {
  PayloadRule r;
  r.add("content", "\"a\"");
  r.add("dns.query");
  r.add("content", "\"b\"");
  r.add("pkt_data");
  r.add("content", "\"c\"");
  ASSERT_EQ(r.rule().inspections.size(), 2u);
  EXPECT_EQ(r.rule().inspections[0].buffer_id, kPktDataBuffer);
  EXPECT_EQ(r.rule().inspections[0].matchers.size(), 2u);
  EXPECT_EQ(r.rule().inspections[1].buffer_id, buffer_id(*find_buffer("dns.query")));
}

TEST(Buffers, LegacyModifierMovesLastContent) {
  PayloadRule r;
  r.add("content", "\"GET\"");
  r.add("http_method");
  r.add("content", "\"/x\"");
  r.add("fast_pattern");
  r.add("http_uri");
  r.add("content", "\"payload\"");
  const uint16_t method = buffer_id(*find_buffer("http.method"));
  const uint16_t uri = buffer_id(*find_buffer("http.uri"));
  size_t seen = 0;
  for (const auto& insp : r.rule().inspections) {
    if (insp.buffer_id == method || insp.buffer_id == uri) {
      ASSERT_EQ(insp.matchers.size(), 1u);
      ++seen;
    }
    if (insp.buffer_id == kPktDataBuffer) {
      ASSERT_EQ(insp.matchers.size(), 1u);
      auto* c = dynamic_cast<ContentMatcher*>(insp.matchers[0].get());
      ASSERT_NE(c, nullptr);
      EXPECT_EQ(c->pattern(), "payload");
    }
  }
  EXPECT_EQ(seen, 2u);
  EXPECT_EQ(r.rule().fast_pattern.buffer_id, uri);  // moved with its content
  EXPECT_EQ(r.rule().fast_pattern.bytes, "/x");

  PayloadRule sticky;
  sticky.add("http.host");
  sticky.add("content", "\"x\"");
  EXPECT_THROW(sticky.add("http_uri"), RuleError);
  PayloadRule none;
  EXPECT_THROW(none.add("http_uri"), RuleError);
}

// Suricata's UriTestSig28-32: with no sticky buffer, a relative byte_extract
// after uricontent goes to the URI buffer (the list of the last payload
// keyword), so the later uricontent can use the extracted distance.
TEST(Buffers, RelativeByteKeywordFollowsLegacyContentBuffer) {
  PayloadRule r;
  r.add("uricontent", "\"this\"");
  r.add("byte_extract", "1,2,one,string,dec,relative");
  r.add("uricontent", "\"ring\"");
  r.add("distance", "one");
  const uint16_t uri = buffer_id(*find_buffer("http.uri"));
  size_t uri_index = r.rule().inspections.size();
  for (size_t i = 0; i < r.rule().inspections.size(); ++i) {
    const BufferInspection& insp = r.rule().inspections[i];
    if (insp.buffer_id == uri) uri_index = i;
    else EXPECT_TRUE(insp.matchers.empty()) << "buffer " << insp.buffer_id;
  }
  ASSERT_LT(uri_index, r.rule().inspections.size());
  EXPECT_EQ(r.rule().inspections[uri_index].matchers.size(), 3u);
  // "this" ends at 5; the digit 2 bytes later is 2; "ring" must start >= 8 + 2.
  EXPECT_TRUE(r.match("/this_b2xxring", uri_index));
  EXPECT_FALSE(r.match("/this_b2ring", uri_index));
  EXPECT_FALSE(r.match("/this_b9xxring", uri_index));

  // content + http_uri moved after the fact: a relative pcre follows it too.
  PayloadRule moved;
  moved.add("content", "\"/a\"");
  moved.add("http_uri");
  moved.add("pcre", "\"/^b/R\"");
  for (const auto& insp : moved.rule().inspections)
    EXPECT_EQ(insp.matchers.size(), insp.buffer_id == uri ? 2u : 0u);

  // A non-relative keyword, or a later pkt_data content, keeps the payload.
  PayloadRule payload;
  payload.add("uricontent", "\"this\"");
  payload.add("content", "\"x\"");
  payload.add("byte_test", "1,=,0x41,0,relative");
  for (const auto& insp : payload.rule().inspections)
    EXPECT_EQ(insp.matchers.size(), insp.buffer_id == uri ? 1u : 2u);
  EXPECT_TRUE(payload.match("xA", payload.rule().inspections[0].buffer_id == kPktDataBuffer ? 0 : 1));
}

}  // namespace
}  // namespace seawall::detect
