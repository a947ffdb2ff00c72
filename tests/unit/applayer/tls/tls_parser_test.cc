#include "applayer/tls/tls_parser.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "applayer/tls/tls_cert.h"
#include "applayer/tls/tls_eve.h"
#include "output/eve/json_writer.h"
#include "tls_test_util.h"

namespace seawall::tls {
namespace {

using applayer::Direction;
using applayer::ParseContext;

std::string verify_pcap(const std::string& rel) { return test::verify_dir() + "/" + rel; }

#define REQUIRE_CAPTURE(path)                                                          \
  do {                                                                                 \
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "corpus not found at " << path; \
    if (!test::have_tshark()) GTEST_SKIP() << "tshark not installed";                  \
  } while (0)

// Feeds the segments of one stream (as tshark saw them, or re-chunked to
// `chunk` bytes when non-zero) through a TlsState.
void drive(TlsState& state, const std::vector<test::Segment>& segs, size_t chunk = 0) {
  ParseContext ctx;
  for (const auto& s : segs) {
    const Direction dir = s.dir == 0 ? Direction::kToServer : Direction::kToClient;
    if (state.no_more_inspection()) break;
    if (chunk == 0) {
      state.parse(dir, ByteView(s.data), ctx);
      continue;
    }
    for (size_t off = 0; off < s.data.size(); off += chunk) {
      const size_t n = std::min(chunk, s.data.size() - off);
      state.parse(dir, ByteView(s.data.data() + off, n), ctx);
    }
  }
}

std::string eve_object(TlsState& state) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  log_tls_tx(state, *state.tx_at(0), {}, w);
  w.end_object();
  w.sync();
  return out;
}

std::string member(std::string_view key, std::string_view value) {
  return "\"" + std::string(key) + "\":\"" + std::string(value) + "\"";
}

// suricata-verify tls/tls-pre-1970 expects this record (all its tls.* keys).
TEST(TlsParser, EveMatchesSuricataVerifyPre1970) {
  const std::string pcap = verify_pcap("tls/tls-pre-1970/input.pcap");
  REQUIRE_CAPTURE(pcap);
  TlsState state;
  drive(state, test::follow_stream(pcap, 0));
  ASSERT_EQ(state.tx_count(), 1u);
  const std::string eve = eve_object(state);
  EXPECT_NE(eve.find(member("fingerprint",
                            "71:cd:fe:08:7f:3d:2a:18:32:69:38:fa:bd:64:7b:c6:cf:cc:44:8e")),
            std::string::npos) << eve;
  EXPECT_NE(eve.find(member("issuerdn", "C=KR, ST=Kyunggido, L=Suwon, O=Samsung Electronics, "
                                        "OU=SW2 SISC, CN=ROOT CA SISC FKP2_PLUS")),
            std::string::npos) << eve;
  EXPECT_NE(eve.find(member("notafter", "2038-12-31T00:10:03")), std::string::npos) << eve;
  EXPECT_NE(eve.find(member("notbefore", "1969-12-31T00:00:00")), std::string::npos) << eve;
  EXPECT_NE(eve.find(member("serial", "32")), std::string::npos) << eve;
  EXPECT_NE(eve.find(member("sni", "fkp.samsungcloudsolution.com")), std::string::npos) << eve;
  EXPECT_NE(eve.find(member("subject", "OU=vd, CN=fkp.samsungcloudsolution.com")),
            std::string::npos) << eve;
  EXPECT_NE(eve.find(member("version", "TLSv1")), std::string::npos) << eve;
  // Suricata's member order: subject, issuerdn, serial, fingerprint, sni, version, notbefore.
  const char* order[] = {"\"subject\"", "\"issuerdn\"", "\"serial\"", "\"fingerprint\"",
                         "\"sni\"", "\"version\"", "\"notbefore\"", "\"notafter\"", "\"ja3\"",
                         "\"ja3s\"", "\"ja4\""};
  size_t last = 0;
  for (const char* key : order) {
    const size_t at = eve.find(key);
    ASSERT_NE(at, std::string::npos) << key;
    EXPECT_GT(at, last) << key;
    last = at;
  }
  const TlsTx& tx = *static_cast<const TlsTx*>(state.tx_at(0));
  EXPECT_TRUE(tx.complete[0]);
  EXPECT_TRUE(tx.complete[1]);
  EXPECT_EQ(tx.event_count, 0);
}

// suricata-verify tls/tls-cert-issuer: four flows with the Stamus certificate
// (serial 00:97:E6:47:09:8E:EA:C9:B4) and one resumed session.
TEST(TlsParser, CertIssuerAndSessionResumption) {
  const std::string pcap = verify_pcap("tls/tls-cert-issuer/tls.pcap");
  REQUIRE_CAPTURE(pcap);
  int with_cert = 0;
  int resumed = 0;
  for (int stream = 0; stream < 5; ++stream) {
    TlsState state;
    drive(state, test::follow_stream(pcap, stream));
    const std::string eve = eve_object(state);
    if (eve.find(member("serial", "00:97:E6:47:09:8E:EA:C9:B4")) != std::string::npos &&
        eve.find(member("issuerdn", "C=FR, ST=IDF, L=Paris, O=Stamus, CN=SELKS")) !=
            std::string::npos) {
      ++with_cert;
    }
    if (eve.find("\"session_resumed\":true") != std::string::npos) ++resumed;
  }
  EXPECT_EQ(with_cert, 4);
  EXPECT_EQ(resumed, 1);
}

struct VersionCase {
  const char* pcap;
  int stream;
  const char* version;
  const char* ja3;  // "" to skip
};

// tls.version values from suricata-verify expectations.
TEST(TlsParser, VersionStringsMatchSuricataVerify) {
  const VersionCase cases[] = {
      {"tls/tls13-draft28/tls13_draft28.pcap", 1, "TLS 1.3 draft-28",
       "d00857e0c8e7a7f35e446508c6233460"},
      {"tls/tls13-draft28/tls13_draft28.pcap", 0, "TLS 1.3 draft-28",
       "43202faa1c8c1760d6f7f4bd9adde4ab"},
      {"tls/tls13-draft14/tls13_draft14.pcap", 0, "TLS 1.3 draft-<16",
       "65825469c473e48f3ee2571129256ab0"},
      {"tls/tls13-draft18/tls13_draft18.pcap", 0, "TLS 1.3 draft-18", ""},
      {"tls/tls13-draft19/tls13_draft19.pcap", 0, "TLS 1.3 draft-19", ""},
      {"bug-5713-01/TLSv1-Extracted-MaliciousC2.pcap", 0, "TLSv1", ""},
  };
  for (const auto& c : cases) {
    const std::string pcap = verify_pcap(c.pcap);
    REQUIRE_CAPTURE(pcap);
    TlsState state;
    drive(state, test::follow_stream(pcap, c.stream));
    const std::string eve = eve_object(state);
    EXPECT_NE(eve.find(member("version", c.version)), std::string::npos) << c.pcap << eve;
    if (*c.ja3 != 0) {
      EXPECT_NE(eve.find(member("hash", c.ja3)), std::string::npos) << eve;
    }
  }
}

// The same stream cut into 1..7-byte chunks yields the same record.
TEST(TlsParser, AnySplitGivesTheSameResult) {
  const std::string pcap = verify_pcap("tls/tls-pre-1970/input.pcap");
  REQUIRE_CAPTURE(pcap);
  const auto segs = test::follow_stream(pcap, 0);
  TlsState whole;
  drive(whole, segs);
  const std::string expected = eve_object(whole);
  for (size_t chunk = 1; chunk <= 7; ++chunk) {
    TlsState state;
    drive(state, segs, chunk);
    EXPECT_EQ(eve_object(state), expected) << chunk;
  }
  // All records of both directions coalesced into one call per direction.
  TlsState coalesced;
  ParseContext ctx;
  auto client = test::direction_bytes(segs, 0);
  auto server = test::direction_bytes(segs, 1);
  coalesced.parse(Direction::kToServer, client, ctx);
  coalesced.parse(Direction::kToClient, server, ctx);
  EXPECT_EQ(eve_object(coalesced), expected);
}

// Every capture's SNI and JA3 through the full record layer (fragmented
// ClientHello in tls-client-hello-frag-01) against tshark.
TEST(TlsParser, RecordLayerSniAndJa3MatchTshark) {
  const std::pair<const char*, int> cases[] = {
      {"tls/tls-client-hello-frag-01/dump_mtu300.pcap", 0},
      {"tls/tls-subjectaltname/input.pcap", 0},
      {"tls/tls-fingerprint-alert/input.pcap", 0},
      {"community-id-ipv4/input.pcap", 0},
      {"tls/tls-store-02/tls-client-auth.pcap", 0},
  };
  for (const auto& [rel, stream] : cases) {
    const std::string pcap = verify_pcap(rel);
    REQUIRE_CAPTURE(pcap);
    std::string fields = test::run_command(
        "tshark -r '" + pcap + "' -Y 'tls.handshake.type==1 && tcp.stream==" +
        std::to_string(stream) +
        "' -T fields -E separator='|' -e tls.handshake.ja3 -e tls.handshake.extensions_server_name"
        " 2>/dev/null | head -1");
    auto expected = test::split(fields.substr(0, fields.find('\n')), '|');
    ASSERT_EQ(expected.size(), 2u);
    TlsState state;
    drive(state, test::follow_stream(pcap, stream), 3);
    const auto& tx = *static_cast<const TlsTx*>(state.tx_at(0));
    EXPECT_EQ(tx.ja3_hash, expected[0]) << rel;
    EXPECT_EQ(tx.client_hello.sni, expected[1]) << rel;
  }
}

// Certificate chain and fields against tshark's x509 dissector.
TEST(TlsParser, CertificateChainMatchesTshark) {
  const std::string pcap = verify_pcap("tls/tls-subjectaltname/input.pcap");
  REQUIRE_CAPTURE(pcap);
  std::string out = test::run_command(
      "tshark -r '" + pcap + "' -Y 'tls.handshake.type==11 && tcp.stream==4' -T fields "
      "-E separator='|' -E aggregator=';' -e tls.handshake.certificate "
      "-e x509ce.dNSName 2>/dev/null | head -1");
  auto fields = test::split(out.substr(0, out.find('\n')), '|');
  ASSERT_EQ(fields.size(), 2u);
  auto certs_hex = test::split(fields[0], ';');
  TlsState state;
  drive(state, test::follow_stream(pcap, 4));
  const auto& tx = *static_cast<const TlsTx*>(state.tx_at(0));
  ASSERT_EQ(tx.certs.size(), certs_hex.size());
  for (size_t i = 0; i < certs_hex.size(); ++i) {
    EXPECT_EQ(tx.certs[i], test::from_hex(certs_hex[i])) << i;
  }
  ASSERT_TRUE(tx.cert_decoded);
  // tshark lists the dNSNames of every certificate; the leaf's come first.
  auto dns = test::split(fields[1], ';');
  ASSERT_GE(dns.size(), tx.cert0.san_dns.size());
  ASSERT_FALSE(tx.cert0.san_dns.empty());
  for (size_t i = 0; i < tx.cert0.san_dns.size(); ++i) EXPECT_EQ(tx.cert0.san_dns[i], dns[i]);
  // SHA-1 of the leaf DER, computed by openssl's command-line tool.
  std::string hex;
  for (uint8_t b : tx.certs[0]) {
    char buf[3];
    std::snprintf(buf, sizeof buf, "%02x", b);
    hex += buf;
  }
  std::string sha1 = test::run_command("printf '%s' " + hex +
                                       " | xxd -r -p | openssl sha1 -r 2>/dev/null");
  sha1 = sha1.substr(0, 40);
  std::string colon;
  for (size_t i = 0; i < sha1.size(); i += 2) {
    if (i) colon += ':';
    colon += sha1.substr(i, 2);
  }
  ASSERT_EQ(sha1.size(), 40u) << "openssl sha1 failed";
  EXPECT_EQ(tx.cert0.fingerprint, colon);
}

// Decoding is cached per thread by the whole DER: a repeat gives the same
// fields, and a certificate of the same length differing in one signature
// byte is decoded on its own, never served the cached entry.
TEST(TlsParser, CertificateDecodingRepeatsAndNearDuplicates) {
  const std::string pcap = verify_pcap("tls/tls-subjectaltname/input.pcap");
  REQUIRE_CAPTURE(pcap);
  TlsState state;
  drive(state, test::follow_stream(pcap, 4));
  ASSERT_GT(state.tx_count(), 0u);
  const std::vector<uint8_t> der = static_cast<const TlsTx*>(state.tx_at(0))->certs.at(0);
  auto decode = [](const std::vector<uint8_t>& bytes, CertInfo& info) {
    std::string_view event;
    const bool ok = decode_certificate(ByteView(bytes.data(), bytes.size()), info, event);
    return ok ? std::string() : std::string(event.empty() ? "?" : event);
  };
  CertInfo first, again, other;
  ASSERT_EQ(decode(der, first), "");
  ASSERT_EQ(decode(der, again), "");
  EXPECT_EQ(again.subject, first.subject);
  EXPECT_EQ(again.issuer, first.issuer);
  EXPECT_EQ(again.serial, first.serial);
  EXPECT_EQ(again.fingerprint, first.fingerprint);
  EXPECT_EQ(again.not_before, first.not_before);
  EXPECT_EQ(again.not_after, first.not_after);
  EXPECT_EQ(again.san_dns, first.san_dns);
  std::vector<uint8_t> changed = der;
  changed.back() ^= 0x01;  // last byte of the signature BIT STRING
  ASSERT_EQ(decode(changed, other), "");
  EXPECT_EQ(other.subject, first.subject);
  EXPECT_NE(other.fingerprint, first.fingerprint);
  std::vector<uint8_t> truncated(der.begin(), der.end() - 1);
  EXPECT_EQ(decode(truncated, other), "certificate_invalid_der");
  ASSERT_EQ(decode(der, again), "");
  EXPECT_EQ(again.fingerprint, first.fingerprint);
}

// TLS 1.3: no certificate, both sides encrypted after the handshake.
TEST(TlsParser, Tls13StopsInspection) {
  const std::string pcap = verify_pcap("tls/tls-fin-close-data-01/debug-s13.pcap");
  REQUIRE_CAPTURE(pcap);
  TlsState state;
  drive(state, test::follow_stream(pcap, 0));
  const auto& tx = *static_cast<const TlsTx*>(state.tx_at(0));
  EXPECT_TRUE(tx.client_hello_seen);
  EXPECT_TRUE(tx.server_hello_seen);
  EXPECT_TRUE(tx.complete[0]);
  EXPECT_TRUE(tx.complete[1]);
  EXPECT_TRUE(state.no_more_inspection());
}

// ---- synthetic records for every event ----

std::vector<uint8_t> record(uint8_t type, std::vector<uint8_t> body, uint16_t version = 0x0303) {
  std::vector<uint8_t> r = {type, static_cast<uint8_t>(version >> 8),
                            static_cast<uint8_t>(version), static_cast<uint8_t>(body.size() >> 8),
                            static_cast<uint8_t>(body.size())};
  r.insert(r.end(), body.begin(), body.end());
  return r;
}

std::vector<uint8_t> handshake(uint8_t type, const std::vector<uint8_t>& body) {
  std::vector<uint8_t> h = {type, static_cast<uint8_t>(body.size() >> 16),
                            static_cast<uint8_t>(body.size() >> 8),
                            static_cast<uint8_t>(body.size())};
  h.insert(h.end(), body.begin(), body.end());
  return h;
}

// A ClientHello body with the given extension block bytes.
std::vector<uint8_t> client_hello_body(const std::vector<uint8_t>& extensions) {
  std::vector<uint8_t> b = {0x03, 0x03};
  b.insert(b.end(), 32, 0x11);
  b.push_back(0);                               // session id
  b.insert(b.end(), {0x00, 0x02, 0x13, 0x01});  // one cipher
  b.insert(b.end(), {0x01, 0x00});              // null compression
  b.push_back(static_cast<uint8_t>(extensions.size() >> 8));
  b.push_back(static_cast<uint8_t>(extensions.size()));
  b.insert(b.end(), extensions.begin(), extensions.end());
  return b;
}

std::vector<uint8_t> sni_ext(uint8_t name_type, std::string name, int length_delta = 0) {
  const size_t name_len = name.size() + static_cast<size_t>(length_delta);
  std::vector<uint8_t> list = {name_type, static_cast<uint8_t>(name_len >> 8),
                               static_cast<uint8_t>(name_len)};
  list.insert(list.end(), name.begin(), name.end());
  std::vector<uint8_t> e = {0x00, 0x00, static_cast<uint8_t>((list.size() + 2) >> 8),
                            static_cast<uint8_t>(list.size() + 2),
                            static_cast<uint8_t>(list.size() >> 8),
                            static_cast<uint8_t>(list.size())};
  e.insert(e.end(), list.begin(), list.end());
  return e;
}

bool has_event(TlsState& state, std::string_view name) {
  const auto* tx = state.tx_at(0);
  for (uint8_t i = 0; i < tx->event_count; ++i)
    if (tx->events[i] == name) return true;
  return false;
}

TlsState feed(Direction dir, const std::vector<uint8_t>& bytes) {
  TlsState state;
  state.parse(dir, bytes, ParseContext{});
  return state;
}

TEST(TlsEvents, RecordLayer) {
  {
    auto s = feed(Direction::kToServer, {0x30, 0x03, 0x03, 0x00, 0x01, 0x00});
    EXPECT_TRUE(has_event(s, "invalid_record_type"));
  }
  {
    auto s = feed(Direction::kToServer, record(22, {1, 0, 0, 0}, 0x0903));
    EXPECT_TRUE(has_event(s, "invalid_record_version"));
  }
  {
    auto s = feed(Direction::kToServer, {22, 0x03, 0x03, 0x50, 0x00});
    EXPECT_TRUE(has_event(s, "invalid_record_length"));
  }
  {
    auto s = feed(Direction::kToServer, record(22, handshake(99, {1, 2, 3})));
    EXPECT_TRUE(has_event(s, "invalid_handshake_message"));
  }
  {
    auto s = feed(Direction::kToServer, record(22, handshake(1, {1, 2, 3})));
    EXPECT_TRUE(has_event(s, "invalid_handshake_message"));  // truncated ClientHello
  }
  {
    auto s = feed(Direction::kToClient, record(21, {2, 40, 0}));
    EXPECT_TRUE(has_event(s, "invalid_alert_message"));
    auto ok = feed(Direction::kToClient, record(21, {2, 40}));
    EXPECT_EQ(ok.tx_at(0)->event_count, 0);
  }
  {
    auto s = feed(Direction::kToServer, record(24, {1, 0, 16}));
    EXPECT_TRUE(has_event(s, "heartbeat_message"));
  }
  {
    std::vector<uint8_t> many;
    for (int i = 0; i < 300; ++i) {
      auto r = record(20, {1});
      many.insert(many.end(), r.begin(), r.end());
    }
    auto s = feed(Direction::kToServer, many);
    EXPECT_TRUE(has_event(s, "too_many_records_in_packet"));
  }
  {
    // A handshake message announcing 16 MiB.
    auto s = feed(Direction::kToServer, record(22, {1, 0xff, 0xff, 0xff}));
    EXPECT_TRUE(has_event(s, "handshake_invalid_length"));
  }
}

TEST(TlsEvents, Sni) {
  {
    auto ext = sni_ext(0, "a.example");
    auto twice = ext;
    twice.insert(twice.end(), ext.begin(), ext.end());
    auto s = feed(Direction::kToServer, record(22, handshake(1, client_hello_body(twice))));
    EXPECT_TRUE(has_event(s, "multiple_sni_extensions"));
    EXPECT_EQ(static_cast<const TlsTx*>(s.tx_at(0))->client_hello.sni, "a.example");
  }
  {
    auto s = feed(Direction::kToServer,
                  record(22, handshake(1, client_hello_body(sni_ext(7, "a.example")))));
    EXPECT_TRUE(has_event(s, "invalid_sni_type"));
  }
  {
    auto s = feed(Direction::kToServer,
                  record(22, handshake(1, client_hello_body(sni_ext(0, "a.example", 5)))));
    EXPECT_TRUE(has_event(s, "invalid_sni_length"));
  }
  {
    auto s = feed(Direction::kToServer,
                  record(22, handshake(1, client_hello_body(sni_ext(0, "a.example")))));
    EXPECT_EQ(s.tx_at(0)->event_count, 0);
    EXPECT_EQ(static_cast<const TlsTx*>(s.tx_at(0))->client_hello.sni, "a.example");
  }
}

TEST(TlsEvents, Certificate) {
  {
    // Chain length says 100 bytes, 5 present.
    auto s = feed(Direction::kToClient, record(22, handshake(11, {0, 0, 100, 0, 0, 1, 0x30, 0})));
    EXPECT_TRUE(has_event(s, "certificate_invalid_length"));
  }
  {
    // One 4-byte "certificate" that is not DER.
    auto s = feed(Direction::kToClient,
                  record(22, handshake(11, {0, 0, 7, 0, 0, 4, 0x30, 0x02, 0x01, 0x01})));
    EXPECT_TRUE(has_event(s, "certificate_invalid_der"));
    EXPECT_TRUE(has_event(s, "invalid_certificate"));
    EXPECT_EQ(static_cast<const TlsTx*>(s.tx_at(0))->certs.size(), 1u);
  }
}

TEST(TlsProbe, Recognises) {
  using applayer::ProbeResult;
  const uint8_t ch[] = {22, 3, 1, 0, 100, 1};
  const uint8_t sh[] = {22, 3, 3, 0, 100, 2};
  const uint8_t bad_version[] = {22, 3, 9, 0, 100, 1};
  const uint8_t app[] = {23, 3, 3, 0, 100, 1};
  const uint8_t http[] = {'G', 'E', 'T', ' ', '/', ' '};
  const uint8_t sslv2[] = {0x80, 0x2e, 0x01, 0x00, 0x02};
  EXPECT_EQ(probe_tls(Direction::kToServer, ch), ProbeResult::kYes);
  EXPECT_EQ(probe_tls(Direction::kToClient, sh), ProbeResult::kYes);
  EXPECT_EQ(probe_tls(Direction::kToServer, bad_version), ProbeResult::kNo);
  EXPECT_EQ(probe_tls(Direction::kToServer, app), ProbeResult::kNo);
  EXPECT_EQ(probe_tls(Direction::kToServer, http), ProbeResult::kNo);
  EXPECT_EQ(probe_tls(Direction::kToServer, ByteView(ch, 3)), ProbeResult::kNeedMore);
  EXPECT_EQ(probe_tls(Direction::kToServer, sslv2), ProbeResult::kYes);
}

// SSLv2-compatible ClientHello followed by a TLS ServerHello (suricata-verify
// sslv2-tls-upgrade-01).
TEST(TlsParser, Sslv2UpgradeHello) {
  const std::string pcap = verify_pcap("sslv2-tls-upgrade-01/ssl-v2-s1.pcap");
  REQUIRE_CAPTURE(pcap);
  TlsState state;
  drive(state, test::follow_stream(pcap, 0));
  const auto& tx = *static_cast<const TlsTx*>(state.tx_at(0));
  EXPECT_TRUE(tx.ssl_state & kStateClientHello);
  EXPECT_NE(tx.client_version, 0);
  EXPECT_NE(tx.server_version, 0);
}

}  // namespace
}  // namespace seawall::tls

namespace seawall::tls {
namespace {

// Byte flips over a real handshake, fed in odd chunk sizes: no crash, no
// out-of-bounds read (run under ASan/UBSan), bounded buffering.
TEST(TlsParser, MutatedCaptureIsSafe) {
  const std::string pcap = test::verify_dir() + "/tls/tls-pre-1970/input.pcap";
  if (!std::filesystem::exists(pcap)) GTEST_SKIP() << "corpus not found at " << pcap;
  if (!test::have_tshark()) GTEST_SKIP() << "tshark not installed";
  const auto segs = test::follow_stream(pcap, 0);
  uint32_t seed = 12345;
  auto next = [&] {
    seed = seed * 1103515245u + 12345u;
    return seed >> 8;
  };
  for (int round = 0; round < 300; ++round) {
    TlsState state;
    for (auto seg : segs) {
      for (int flips = 0; flips < 3 && !seg.data.empty(); ++flips)
        seg.data[next() % seg.data.size()] = static_cast<uint8_t>(next());
      const auto dir = seg.dir == 0 ? applayer::Direction::kToServer
                                    : applayer::Direction::kToClient;
      size_t off = 0;
      while (off < seg.data.size()) {
        const size_t n = std::min<size_t>(1 + next() % 200, seg.data.size() - off);
        state.parse(dir, ByteView(seg.data.data() + off, n), applayer::ParseContext{});
        off += n;
      }
    }
    state.end_of_stream(applayer::Direction::kToServer);
    state.end_of_stream(applayer::Direction::kToClient);
    ASSERT_EQ(state.tx_count(), 1u);
    std::string out;
    JsonWriter w(out);
    w.begin_object();
    log_tls_tx(state, *state.tx_at(0), {}, w);
    w.end_object();
    w.sync();
    EXPECT_FALSE(out.empty());
  }
}

}  // namespace
}  // namespace seawall::tls
