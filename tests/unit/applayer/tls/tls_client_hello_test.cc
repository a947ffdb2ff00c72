#include "applayer/tls/tls_client_hello.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tls_test_util.h"

namespace seawall::tls {
namespace {

using test::Segment;

// The JA4 specification's worked example (FoxIO technical_details/JA4.md).
ClientHello spec_example() {
  ClientHello ch;
  ch.legacy_version = 0x0303;
  ch.cipher_suites = {0x0a0a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9,
                      0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
  ch.extensions = {0x2a2a, 0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d,
                   0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015, 0x3a3a};
  ch.signature_algorithms = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601};
  ch.supported_versions = {0x7a7a, 0x0304, 0x0303};
  ch.alpn = {"h2", "http/1.1"};
  ch.sni = "example.com";
  return ch;
}

TEST(TlsClientHello, Ja4SpecExample) {
  std::string out;
  ja4(spec_example(), false, out);
  EXPECT_EQ(out, "t13d1516h2_8daaf6152771_e5627efa2ab1");
  ja4(spec_example(), true, out);
  EXPECT_EQ(out, "q13d1516h2_8daaf6152771_e5627efa2ab1");
}

// Without signature algorithms the FoxIO text hashes the extension list with no
// trailing '_' (6d807ffa2a79); Suricata keeps the '_' (see Ja4MatchesSuricataVerify)
// and we follow Suricata: sha256("0005,...,ff01_") = 9381a8ef4792.
TEST(TlsClientHello, Ja4NoSignatureAlgorithmsAsSuricata) {
  ClientHello ch = spec_example();
  ch.signature_algorithms.clear();
  std::string out;
  ja4(ch, false, out);
  EXPECT_EQ(out.substr(out.size() - 12), "9381a8ef4792");
}

TEST(TlsClientHello, Ja4AlpnRulesFromSpec) {
  ClientHello ch = spec_example();
  std::string out;
  auto alpn_part = [&](std::string alpn) {
    ch.alpn = {alpn};
    ja4(ch, false, out);
    return out.substr(8, 2);
  };
  EXPECT_EQ(alpn_part("http/1.1"), "h1");
  EXPECT_EQ(alpn_part("h"), "hh");
  EXPECT_EQ(alpn_part(""), "00");
  EXPECT_EQ(alpn_part("\xab"), "ab");
  EXPECT_EQ(alpn_part("\xab\xcd"), "ad");
  EXPECT_EQ(alpn_part("0\xab"), "3b");
  EXPECT_EQ(alpn_part("01\xab\xcd"), "3d");
  EXPECT_EQ(alpn_part("0\xab\xcd" "1"), "01");
  ch.alpn.clear();
  ja4(ch, false, out);
  EXPECT_EQ(out.substr(8, 2), "00");
  ch.cipher_suites = {0x0a0a};
  ch.extensions = {0x0a0a};
  ja4(ch, false, out);
  EXPECT_EQ(out, "t13i000000_000000000000_000000000000");
}

TEST(TlsClientHello, Grease) {
  for (unsigned hi = 0; hi < 16; ++hi) {
    auto v = static_cast<uint16_t>((hi << 12) | 0x0a00 | (hi << 4) | 0x0a);
    EXPECT_TRUE(is_grease(v)) << std::hex << v;
  }
  EXPECT_FALSE(is_grease(0x0a1a));
  EXPECT_FALSE(is_grease(0x1301));
  EXPECT_FALSE(is_grease(0x0000));
}

TEST(TlsClientHello, Md5KnownVector) {
  std::string out;
  md5_hex("", out);
  EXPECT_EQ(out, "d41d8cd98f00b204e9800998ecf8427e");  // RFC 1321
  md5_hex("abc", out);
  EXPECT_EQ(out, "900150983cd24fb0d6963f7d28e17f72");
}

TEST(TlsClientHello, RejectsTruncatedInput) {
  ClientHello ch;
  ServerHello sh;
  std::vector<uint8_t> body(40, 0);
  body[34] = 0;  // session id length
  // version(2) random(32) sid_len(1)=0 then cipher length needs 2 bytes + data.
  body[35] = 0x00;
  body[36] = 0x40;  // 64 bytes of ciphers, not present
  EXPECT_FALSE(parse_client_hello(body, ch));
  for (size_t n = 0; n < 38; ++n) {
    EXPECT_FALSE(parse_client_hello(ByteView(body.data(), n), ch)) << n;
    EXPECT_FALSE(parse_server_hello(ByteView(body.data(), n), sh)) << n;
  }
  std::vector<uint8_t> sid_too_long(80, 0);
  sid_too_long[34] = 33;
  EXPECT_FALSE(parse_client_hello(sid_too_long, ch));
}

// Suricata's expected JA4 for a TLS 1.0 ClientHello without SNI/ALPN
// (suricata-verify bug-5713-02-ja4 expects tls.ja4 for this capture).
TEST(TlsClientHello, Ja4MatchesSuricataVerify) {
  std::string pcap = test::verify_dir() + "/bug-5713-01/TLSv1-Extracted-MaliciousC2.pcap";
  if (!std::filesystem::exists(pcap)) GTEST_SKIP() << "corpus not found at " << pcap;
  if (!test::have_tshark()) GTEST_SKIP() << "tshark not installed";
  auto segs = test::follow_stream(pcap, 0);
  auto body = test::handshake_body(test::direction_bytes(segs, 0), 1);
  ASSERT_FALSE(body.empty());
  ClientHello ch;
  ASSERT_TRUE(parse_client_hello(body, ch));
  std::string out;
  ja4(ch, false, out);
  EXPECT_EQ(out, "t10i070600_c50f5591e341_ce66f3b797c1");
}

struct CaptureCase {
  const char* pcap;  // relative to suricata-verify/tests
  int stream;
};

// Every ClientHello of these captures: JA3 string/hash and SNI against tshark's
// dissector, plus ServerHello JA3S against tshark.
TEST(TlsClientHello, Ja3AndSniMatchTshark) {
  if (!test::have_tshark()) GTEST_SKIP() << "tshark not installed";
  const CaptureCase cases[] = {
      {"bug-2646-01/input.pcap", 0},
      {"bug-5713-01/TLSv1-Extracted-MaliciousC2.pcap", 0},
      {"tls-duplicate-hello/input.pcap", 1},
      {"app-layer-protocol-prefilter/input.pcap", 0},
      {"bug-5881-01/input.pcap", 0},
      {"base64-decode-5885/input.pcap", 3},
      {"tls-extra-alert/input.pcap", 0},
      {"bug-8336-01-default-track-only/input.pcap", 0},
      {"community-id-ipv4/input.pcap", 0},
      {"ssl_version_negated/input.pcap", 2},
      {"tls/tls-certs-alert/input.pcap", 0},
      {"tls/tls-cert-noissuer/tls.pcap", 0},
      {"tls/tls-cert-issuer/tls.pcap", 1},
      {"tls/tls-fin-close-data-01/debug-s13.pcap", 0},
      {"tls/tls-client-hello-frag-01/dump_mtu300.pcap", 0},
      {"tls/tls13-draft18/tls13_draft18.pcap", 0},
      {"tls/tls13-draft28/tls13_draft28.pcap", 1},
      {"tls/tls-store-02/tls-client-auth.pcap", 0},
      {"tls/tls13-draft14/tls13_draft14.pcap", 0},
      {"tls/tls-subjectaltname/input.pcap", 4},
      {"tls/tls-pre-1970/input.pcap", 0},
      {"tls/tls-fingerprint-alert/input.pcap", 0},
      {"tls/tls13-draft19/tls13_draft19.pcap", 1},
      {"linktype-228/flow-test-01.pcap", 0},
  };
  int compared = 0;
  int compared_server = 0;
  for (const auto& c : cases) {
    std::string pcap = test::verify_dir() + "/" + c.pcap;
    if (!std::filesystem::exists(pcap)) GTEST_SKIP() << "corpus not found at " << pcap;
    std::string filter = "tcp.stream==" + std::to_string(c.stream);
    std::string fields = test::run_command(
        "tshark -r '" + pcap + "' -Y 'tls.handshake.type==1 && " + filter +
        "' -T fields -E separator='|' -e tls.handshake.ja3 -e tls.handshake.ja3_full "
        "-e tls.handshake.extensions_server_name 2>/dev/null | head -1");
    auto expected = test::split(fields.substr(0, fields.find('\n')), '|');
    ASSERT_EQ(expected.size(), 3u) << c.pcap;
    auto segs = test::follow_stream(pcap, c.stream);
    auto body = test::handshake_body(test::direction_bytes(segs, 0), 1);
    ASSERT_FALSE(body.empty()) << c.pcap;
    ClientHello ch;
    ASSERT_TRUE(parse_client_hello(body, ch)) << c.pcap;
    std::string ja3;
    std::string hash;
    ja3_string(ch, ja3);
    md5_hex(ja3, hash);
    EXPECT_EQ(ja3, expected[1]) << c.pcap;
    EXPECT_EQ(hash, expected[0]) << c.pcap;
    EXPECT_EQ(ch.sni, expected[2]) << c.pcap;
    ++compared;

    std::string sfields = test::run_command(
        "tshark -r '" + pcap + "' -Y 'tls.handshake.type==2 && " + filter +
        "' -T fields -E separator='|' -e tls.handshake.ja3s -e tls.handshake.ja3s_full "
        "2>/dev/null | head -1");
    auto sexpected = test::split(sfields.substr(0, sfields.find('\n')), '|');
    auto sbody = test::handshake_body(test::direction_bytes(segs, 1), 2);
    if (sexpected.size() != 2 || sexpected[0].empty() || sbody.empty()) continue;
    // Draft-14 ServerHello (0x0304 without session id): tshark misreads it as
    // a 192-byte session id; parse_server_hello rightly refuses it.
    if (std::string(c.pcap).find("draft14") != std::string::npos) continue;
    ServerHello sh;
    ASSERT_TRUE(parse_server_hello(sbody, sh)) << c.pcap;
    ja3s_string(sh, ja3);
    md5_hex(ja3, hash);
    EXPECT_EQ(ja3, sexpected[1]) << c.pcap;
    EXPECT_EQ(hash, sexpected[0]) << c.pcap;
    ++compared_server;
  }
  EXPECT_EQ(compared, 24);
  EXPECT_GE(compared_server, 15);
}

// Every prefix of a real ClientHello is rejected or parsed without reading
// out of bounds (ASan run), and the full body still parses.
TEST(TlsClientHello, EveryTruncationIsSafe) {
  std::string pcap = test::verify_dir() + "/tls/tls-fingerprint-alert/input.pcap";
  if (!std::filesystem::exists(pcap)) GTEST_SKIP() << "corpus not found at " << pcap;
  if (!test::have_tshark()) GTEST_SKIP() << "tshark not installed";
  auto body = test::handshake_body(test::direction_bytes(test::follow_stream(pcap, 0), 0), 1);
  ASSERT_FALSE(body.empty());
  ClientHello ch;
  for (size_t n = 0; n < body.size(); ++n) {
    std::vector<uint8_t> prefix(body.begin(), body.begin() + static_cast<long>(n));
    bool ok = parse_client_hello(prefix, ch);
    // Only a cut exactly at the end of the compression methods is a valid hello.
    if (ok) {
      EXPECT_TRUE(ch.extensions.empty()) << n;
    }
  }
  EXPECT_TRUE(parse_client_hello(body, ch));
  EXPECT_EQ(ch.sni, "www.google.com");
}

}  // namespace
}  // namespace seawall::tls
