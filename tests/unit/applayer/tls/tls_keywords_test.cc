// Every ET Open rule using a TLS/SSL/JA3 keyword or buffer parses, and the
// keyword options reject malformed values.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "detect/buffers/buffer_registry.h"
#include "detect/keywords/keyword.h"
#include "detect/rules/rule_parser.h"

namespace seawall::tls {
namespace {

using detect::RuleFailure;
using detect::RuleLoadContext;

const char* const kOurKeywords[] = {
    "tls.sni", "tls_sni", "tls.cert_subject", "tls_cert_subject", "tls.cert_issuer",
    "tls_cert_issuer", "tls.cert_serial", "tls_cert_serial", "tls.cert_fingerprint",
    "tls_cert_fingerprint", "tls.certs", "tls.subjectaltname", "tls.alpn", "ja3.hash",
    "ja3_hash", "ja3.string", "ja3_string", "ja3s.hash", "ja3s.string", "ja4.hash",
    "tls.version", "tls.subject", "tls.issuerdn", "tls.fingerprint", "tls_cert_notbefore",
    "tls_cert_notafter", "tls_cert_expired", "tls_cert_valid", "tls.cert_chain_len",
    "ssl_state", "ssl_version"};

RuleLoadContext context() {
  RuleLoadContext c;
  for (const char* v : {"HOME_NET", "HTTP_SERVERS", "SMTP_SERVERS", "SQL_SERVERS", "DNS_SERVERS",
                        "TELNET_SERVERS", "AIM_SERVERS", "DC_SERVERS", "SIP_SERVERS"})
    c.address_vars[v] = "[10.0.0.0/8,192.168.0.0/16]";
  c.address_vars["EXTERNAL_NET"] = "!$HOME_NET";
  for (const char* v : {"HTTP_PORTS", "SHELLCODE_PORTS", "ORACLE_PORTS", "SSH_PORTS",
                        "FILE_DATA_PORTS", "FTP_PORTS", "SIP_PORTS", "DNP3_PORTS", "MODBUS_PORTS"})
    c.port_vars[v] = "[80,8080]";
  return c;
}

bool uses_our_keyword(const std::string& line) {
  for (const char* k : kOurKeywords) {
    const std::string key(k);
    if (line.find(key + ";") != std::string::npos || line.find(key + ":") != std::string::npos)
      return true;
  }
  return false;
}

TEST(TlsKeywords, RegisteredAsRealBuffers) {
  for (const char* name : {"tls.sni", "tls.cert_subject", "tls.certs", "ja3.hash", "ja4.hash",
                           "tls.alpn", "tls.subjectaltname", "ja3s.string"}) {
    const auto* d = detect::find_buffer(name);
    ASSERT_NE(d, nullptr) << name;
    EXPECT_TRUE(d->unsupported_reason.empty()) << name;
    EXPECT_TRUE(d->get != nullptr || d->get_multi != nullptr) << name;
  }
  EXPECT_EQ(detect::find_buffer("ja3_hash"), detect::find_buffer("ja3.hash"));
  EXPECT_EQ(detect::find_buffer("tls_sni"), detect::find_buffer("tls.sni"));
}

TEST(TlsKeywords, EtOpenRulesParse) {
  const std::string dir = std::string(SEAWALL_CORPUS_DIR) + "/rules/et-open/rules";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "corpus not found at " << dir;
  RuleLoadContext ctx = context();
  int checked = 0;
  int loaded = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".rules") continue;
    std::ifstream in(entry.path());
    std::string line;
    int lineno = 0;
    while (std::getline(in, line)) {
      ++lineno;
      if (line.empty() || line[0] == '#' || !uses_our_keyword(line)) continue;
      ++checked;
      RuleFailure failure;
      auto rule = detect::parse_rule(line, entry.path().filename().string(), lineno, ctx, failure);
      if (rule) {
        ++loaded;
        continue;
      }
      // Other keywords (dataset, ...) may be unsupported; ours must never be the cause.
      for (const char* k : kOurKeywords) {
        EXPECT_NE(failure.keyword, k) << detect::format_failure(failure);
        EXPECT_EQ(failure.reason.find(std::string(k) + ":"), std::string::npos)
            << detect::format_failure(failure);
      }
      EXPECT_EQ(failure.reason.find("TLS parser"), std::string::npos)
          << detect::format_failure(failure);
    }
  }
  EXPECT_GT(checked, 2000);  // active (uncommented) rules; 2529 in the current snapshot
  EXPECT_GT(loaded, checked * 9 / 10);
  std::printf("ET rules with TLS keywords: %d checked, %d loaded\n", checked, loaded);
}

TEST(TlsKeywords, SyntaxAcceptedAndRejected) {
  RuleLoadContext ctx = context();
  auto parses = [&](const std::string& opts) {
    RuleFailure failure;
    auto rule = detect::parse_rule("alert tls any any -> any any (" + opts + " sid:1;)", "t", 1,
                                   ctx, failure);
    return rule != nullptr;
  };
  EXPECT_TRUE(parses("tls.version:1.2;"));
  EXPECT_TRUE(parses("tls.version:0x0303;"));
  EXPECT_FALSE(parses("tls.version:banana;"));
  EXPECT_TRUE(parses("tls.subject:\"CN=evil\";"));
  EXPECT_TRUE(parses("tls.issuerdn:!\"CN=Let's Encrypt\";"));
  EXPECT_TRUE(parses("tls_cert_notbefore:<2015;"));
  EXPECT_TRUE(parses("tls_cert_notafter:2015-01-01<>2016-06-30T12:00;"));
  EXPECT_TRUE(parses("tls_cert_notafter:>2015-01-01T00:00:00;"));
  EXPECT_FALSE(parses("tls_cert_notafter:2015-13-01;"));
  EXPECT_FALSE(parses("tls_cert_notafter:2016<>2015;"));
  EXPECT_TRUE(parses("tls_cert_expired;"));
  EXPECT_TRUE(parses("tls_cert_valid;"));
  EXPECT_TRUE(parses("tls.cert_chain_len:>2;"));
  EXPECT_TRUE(parses("ssl_state:client_hello|server_hello;"));
  EXPECT_TRUE(parses("ssl_state:!client_keyx;"));
  EXPECT_FALSE(parses("ssl_state:hello;"));
  EXPECT_TRUE(parses("ssl_version:!tls1.3,tls1.2;"));
  EXPECT_FALSE(parses("ssl_version:tls9;"));
  EXPECT_TRUE(parses("tls.sni; content:\"example.com\"; endswith;") ||
              parses("tls.sni; content:\"example.com\";"));
  EXPECT_TRUE(parses("tls.certs; content:\"|30 82|\";"));
  EXPECT_TRUE(parses("ja4.hash; content:\"t13d\"; startswith;") ||
              parses("ja4.hash; content:\"t13d\";"));
  // Certificates are not written to disk: reported unsupported, not misread.
  RuleFailure failure;
  EXPECT_EQ(detect::parse_rule("alert tls any any -> any any (tls.store; sid:2;)", "t", 1, ctx,
                               failure),
            nullptr);
  EXPECT_TRUE(failure.unsupported);
}

}  // namespace
}  // namespace seawall::tls
