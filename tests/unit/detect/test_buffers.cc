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

}  // namespace
}  // namespace seawall::detect
