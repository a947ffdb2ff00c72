// TLS sticky buffers (tls.sni, tls.cert_*, tls.certs, ja3.hash ...) and the
// TLS/SSL rule keywords (tls.version, tls.subject, tls_cert_notafter,
// ssl_state, ssl_version ...), after Suricata's detect-tls-*.c/detect-ssl-*.c.
#include <cctype>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>

#include "applayer/tls/tls_parser.h"
#include "detect/buffers/buffer_registry.h"
#include "detect/keywords/keyword.h"
#include "detect/keywords/packet/uint_parse.h"

namespace seawall::tls {
namespace {

using detect::BufferDirection;
using detect::MatchContext;
using detect::RuleBuilder;
using detect::RuleError;

const TlsTx* tls_tx(const MatchContext& ctx) {
  if (ctx.tx == nullptr || ctx.tx_proto != tls_app_proto()) return nullptr;
  return static_cast<const TlsTx*>(ctx.tx);
}

bool view_of(const std::string& s, ByteView& out) {
  if (s.empty()) return false;
  out = ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  return true;
}

// ---- sticky buffers ----

bool get_sni(const MatchContext& ctx, ByteView& out) {
  const TlsTx* tx = tls_tx(ctx);
  return tx != nullptr && tx->client_hello_seen && view_of(tx->client_hello.sni, out);
}
bool get_subject(const MatchContext& ctx, ByteView& out) {
  const TlsTx* tx = tls_tx(ctx);
  return tx != nullptr && tx->cert_decoded && view_of(tx->cert0.subject, out);
}
bool get_issuer(const MatchContext& ctx, ByteView& out) {
  const TlsTx* tx = tls_tx(ctx);
  return tx != nullptr && tx->cert_decoded && view_of(tx->cert0.issuer, out);
}
bool get_serial(const MatchContext& ctx, ByteView& out) {
  const TlsTx* tx = tls_tx(ctx);
  return tx != nullptr && tx->cert_decoded && view_of(tx->cert0.serial, out);
}
bool get_fingerprint(const MatchContext& ctx, ByteView& out) {
  const TlsTx* tx = tls_tx(ctx);
  return tx != nullptr && tx->cert_decoded && view_of(tx->cert0.fingerprint, out);
}
bool get_certs(const MatchContext& ctx, uint32_t index, ByteView& out) {
  const TlsTx* tx = tls_tx(ctx);
  if (tx == nullptr || index >= tx->certs.size()) return false;
  out = ByteView(tx->certs[index]);
  return true;
}
bool get_san(const MatchContext& ctx, uint32_t index, ByteView& out) {
  const TlsTx* tx = tls_tx(ctx);
  if (tx == nullptr || !tx->cert_decoded || index >= tx->cert0.san_dns.size()) return false;
  return view_of(tx->cert0.san_dns[index], out);
}
// The client's offered protocols to the server, the server's choice to the client.
bool get_alpn(const MatchContext& ctx, uint32_t index, ByteView& out) {
  const TlsTx* tx = tls_tx(ctx);
  if (tx == nullptr) return false;
  if (ctx.tx_dir == 0) {
    if (!tx->client_hello_seen || index >= tx->client_hello.alpn.size()) return false;
    return view_of(tx->client_hello.alpn[index], out);
  }
  return index == 0 && tx->server_hello_seen && view_of(tx->server_hello.alpn, out);
}
bool get_ja3_hash(const MatchContext& ctx, ByteView& out) {
  const TlsTx* tx = tls_tx(ctx);
  return tx != nullptr && tx->client_hello_seen && view_of(tx->ja3_hash, out);
}
bool get_ja3_string(const MatchContext& ctx, ByteView& out) {
  const TlsTx* tx = tls_tx(ctx);
  return tx != nullptr && tx->client_hello_seen && view_of(tx->ja3_string, out);
}
bool get_ja3s_hash(const MatchContext& ctx, ByteView& out) {
  const TlsTx* tx = tls_tx(ctx);
  return tx != nullptr && tx->server_hello_seen && view_of(tx->ja3s_hash, out);
}
bool get_ja3s_string(const MatchContext& ctx, ByteView& out) {
  const TlsTx* tx = tls_tx(ctx);
  return tx != nullptr && tx->server_hello_seen && view_of(tx->ja3s_string, out);
}
bool get_ja4(const MatchContext& ctx, ByteView& out) {
  const TlsTx* tx = tls_tx(ctx);
  return tx != nullptr && tx->client_hello_seen && view_of(tx->ja4, out);
}

// ---- keywords ----

// tls.version:1.2 / 1.3 / 1.0 / 1.1 / 3.0 / 0x0303 — the version the
// inspected side announced (server: negotiated, client: ClientHello).
class TlsVersionMatcher final : public detect::PacketMatcher {
 public:
  explicit TlsVersionMatcher(uint16_t version) : version_(version) {}
  bool match(const MatchContext& ctx) const override {
    const TlsTx* tx = tls_tx(ctx);
    if (tx == nullptr) return false;
    const uint16_t v = ctx.tx_dir == 0 ? tx->client_version : tx->server_version;
    if (v == version_) return true;
    // "1.3" also covers the TLS 1.3 drafts.
    return version_ == 0x0304 && ((v >> 8) == 0x7f || (v >> 8) == 0xfb);
  }

 private:
  uint16_t version_;
};

void setup_tls_version(RuleBuilder& b, std::string_view value) {
  const std::string_view v = detect::strip_quotes(value);
  uint16_t version = 0;
  if (v == "1.0") version = 0x0301;
  else if (v == "1.1") version = 0x0302;
  else if (v == "1.2") version = 0x0303;
  else if (v == "1.3") version = 0x0304;
  else if (v == "3.0") version = 0x0300;
  else if (v == "2.0") version = kSsl2;
  else {
    uint64_t raw = 0;
    if (!detect::parse_u64(v, 0xffff, raw, true))
      throw RuleError("tls.version: expected 1.0, 1.1, 1.2, 1.3 or a hex version, got '" +
                      std::string(v) + "'");
    version = static_cast<uint16_t>(raw);
  }
  b.require_app_proto("tls", 0);
  b.add_packet(std::make_unique<TlsVersionMatcher>(version));
}

// Legacy string keywords: [!]"text", a substring test on a certificate field.
std::string parse_negatable_string(std::string_view value, bool& negated,
                                   std::string_view keyword) {
  std::string_view v = detect::trim(value);
  negated = false;
  if (!v.empty() && v.front() == '!') {
    negated = true;
    v = detect::trim(v.substr(1));
  }
  v = detect::strip_quotes(v);
  if (!v.empty() && v.front() == '!') {  // "!text" inside the quotes
    negated = true;
    v = v.substr(1);
  }
  if (v.empty()) throw RuleError(std::string(keyword) + ": empty value");
  return std::string(v);
}

enum class CertField : uint8_t { kSubject, kIssuer, kFingerprint };

class CertStringMatcher final : public detect::PacketMatcher {
 public:
  CertStringMatcher(CertField field, std::string text, bool negated)
      : field_(field), text_(std::move(text)), negated_(negated) {}
  bool match(const MatchContext& ctx) const override {
    const TlsTx* tx = tls_tx(ctx);
    if (tx == nullptr || !tx->cert_decoded) return false;
    const std::string& s = field_ == CertField::kSubject  ? tx->cert0.subject
                           : field_ == CertField::kIssuer ? tx->cert0.issuer
                                                          : tx->cert0.fingerprint;
    const bool found = s.find(text_) != std::string::npos;
    return found != negated_;
  }

 private:
  CertField field_;
  std::string text_;
  bool negated_;
};

template <CertField kField>
void setup_cert_string(RuleBuilder& b, std::string_view value) {
  const char* name = kField == CertField::kSubject  ? "tls.subject"
                     : kField == CertField::kIssuer ? "tls.issuerdn"
                                                    : "tls.fingerprint";
  bool negated = false;
  std::string text = parse_negatable_string(value, negated, name);
  if (kField == CertField::kFingerprint) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  b.require_app_proto("tls", 2);
  b.add_packet(std::make_unique<CertStringMatcher>(kField, std::move(text), negated));
}

// Dates for tls_cert_notbefore/notafter: "2015", "2015-01", "2015-01-01",
// "2015-01-01T10", "2015-01-01T10:20", "2015-01-01T10:20:30" (UTC) or epoch.
int64_t parse_cert_date(std::string_view text, std::string_view keyword) {
  const std::string s(detect::trim(text));
  struct tm tm {};
  tm.tm_mday = 1;
  int year = 0, mon = 1, day = 1, hour = 0, min = 0, sec = 0;
  char tail = 0;
  int n = 0;
  const bool has_dash = s.find('-') != std::string::npos;
  if (!has_dash && s.size() > 4) {
    uint64_t epoch = 0;
    if (detect::parse_u64(s, UINT32_MAX, epoch)) return static_cast<int64_t>(epoch);
    throw RuleError(std::string(keyword) + ": invalid date '" + s + "'");
  }
  n = std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &year, &mon, &day, &hour, &min, &sec,
                  &tail);
  if (n < 1 || n > 6 || year < 1900 || mon < 1 || mon > 12 || day < 1 || day > 31 ||
      hour > 23 || min > 59 || sec > 60) {
    throw RuleError(std::string(keyword) + ": invalid date '" + s + "'");
  }
  tm.tm_year = year - 1900;
  tm.tm_mon = mon - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = min;
  tm.tm_sec = sec;
  return static_cast<int64_t>(timegm(&tm));
}

class CertDateMatcher final : public detect::PacketMatcher {
 public:
  enum class Mode : uint8_t { kEqual, kBefore, kAfter, kRange, kExpired, kValid };
  CertDateMatcher(bool not_after, Mode mode, int64_t a, int64_t b)
      : not_after_(not_after), mode_(mode), a_(a), b_(b) {}
  bool match(const MatchContext& ctx) const override {
    const TlsTx* tx = tls_tx(ctx);
    if (tx == nullptr || !tx->cert_decoded) return false;
    const int64_t now = ctx.packet.ts.sec;
    const int64_t t = not_after_ ? tx->cert0.not_after : tx->cert0.not_before;
    switch (mode_) {
      case Mode::kEqual: return t == a_;
      case Mode::kBefore: return t < a_;
      case Mode::kAfter: return t > a_;
      case Mode::kRange: return t >= a_ && t <= b_;
      case Mode::kExpired: return tx->cert0.not_after < now;
      case Mode::kValid: return tx->cert0.not_before <= now && now <= tx->cert0.not_after;
    }
    return false;
  }

 private:
  bool not_after_;
  Mode mode_;
  int64_t a_;
  int64_t b_;
};

template <bool kNotAfter>
void setup_cert_date(RuleBuilder& b, std::string_view value) {
  const std::string_view name = kNotAfter ? "tls_cert_notafter" : "tls_cert_notbefore";
  std::string_view v = detect::strip_quotes(value);
  using Mode = CertDateMatcher::Mode;
  Mode mode = Mode::kEqual;
  int64_t a = 0, c = 0;
  const size_t range = v.find("<>");
  if (range != std::string_view::npos) {
    mode = Mode::kRange;
    a = parse_cert_date(v.substr(0, range), name);
    c = parse_cert_date(v.substr(range + 2), name);
    if (c < a) throw RuleError(std::string(name) + ": range end before its start");
  } else if (!v.empty() && (v.front() == '<' || v.front() == '>')) {
    mode = v.front() == '<' ? Mode::kBefore : Mode::kAfter;
    a = parse_cert_date(v.substr(1), name);
  } else {
    a = parse_cert_date(v, name);
  }
  b.require_app_proto("tls", 2);
  b.add_packet(std::make_unique<CertDateMatcher>(kNotAfter, mode, a, c));
}

template <bool kExpired>
void setup_cert_validity(RuleBuilder& b, std::string_view /*value*/) {
  using Mode = CertDateMatcher::Mode;
  b.require_app_proto("tls", 2);
  b.add_packet(std::make_unique<CertDateMatcher>(true, kExpired ? Mode::kExpired : Mode::kValid,
                                                 0, 0));
}

class ChainLenMatcher final : public detect::PacketMatcher {
 public:
  explicit ChainLenMatcher(detect::UintCondition c) : cond_(c) {}
  bool match(const MatchContext& ctx) const override {
    const TlsTx* tx = tls_tx(ctx);
    return tx != nullptr && tx->cert_seen && cond_.match(tx->certs.size());
  }

 private:
  detect::UintCondition cond_;
};

void setup_chain_len(RuleBuilder& b, std::string_view value) {
  const auto cond =
      detect::parse_uint_condition(detect::strip_quotes(value), UINT32_MAX, "tls.cert_chain_len");
  b.require_app_proto("tls", 2);
  b.add_packet(std::make_unique<ChainLenMatcher>(cond));
}

// ssl_state:client_hello|server_hello, "!client_hello": (flags & seen) ^ mask.
class SslStateMatcher final : public detect::PacketMatcher {
 public:
  SslStateMatcher(uint8_t flags, uint8_t mask) : flags_(flags), mask_(mask) {}
  bool match(const MatchContext& ctx) const override {
    const TlsTx* tx = tls_tx(ctx);
    if (tx == nullptr) return false;
    return ((flags_ & tx->ssl_state) ^ mask_) != 0;
  }

 private:
  uint8_t flags_;
  uint8_t mask_;
};

void setup_ssl_state(RuleBuilder& b, std::string_view value) {
  uint8_t flags = 0;
  uint8_t mask = 0;
  std::string_view rest = detect::strip_quotes(value);
  while (true) {
    const size_t sep = rest.find_first_of("|,");
    std::string_view item = detect::trim(rest.substr(0, sep));
    bool negated = false;
    if (!item.empty() && item.front() == '!') {
      negated = true;
      item = detect::trim(item.substr(1));
    }
    uint8_t flag = 0;
    if (item == "client_hello") flag = kStateClientHello;
    else if (item == "server_hello") flag = kStateServerHello;
    else if (item == "client_keyx") flag = kStateClientKeyExchange;
    else if (item == "server_keyx") flag = kStateServerKeyExchange;
    else if (item == "unknown") flag = kStateUnknown;
    else throw RuleError("ssl_state: unknown state '" + std::string(item) + "'");
    flags |= flag;
    if (negated) mask |= flag;
    if (sep == std::string_view::npos) break;
    rest = rest.substr(sep + 1);
  }
  b.require_app_proto("tls", 0);
  b.add_packet(std::make_unique<SslStateMatcher>(flags, mask));
}

// ssl_version:sslv3,tls1.0 — any listed version; a '!' anywhere negates the
// whole list (Suricata: suricata-verify ssl_version_negated).
class SslVersionMatcher final : public detect::PacketMatcher {
 public:
  SslVersionMatcher(std::vector<uint16_t> versions, bool negated)
      : versions_(std::move(versions)), negated_(negated) {}
  bool match(const MatchContext& ctx) const override {
    const TlsTx* tx = tls_tx(ctx);
    if (tx == nullptr) return false;
    uint16_t v = ctx.tx_dir == 0 ? tx->client_version : tx->server_version;
    if (v == 0) return false;
    if ((v >> 8) == 0x7f || (v >> 8) == 0xfb) v = 0x0304;
    bool listed = false;
    for (uint16_t x : versions_) listed = listed || x == v;
    return listed != negated_;
  }

 private:
  std::vector<uint16_t> versions_;
  bool negated_;
};

void setup_ssl_version(RuleBuilder& b, std::string_view value) {
  std::vector<uint16_t> versions;
  bool negated = false;
  for (std::string_view item : detect::split_trim(detect::strip_quotes(value), ',')) {
    if (!item.empty() && item.front() == '!') {
      negated = true;
      item = detect::trim(item.substr(1));
    }
    uint16_t v = 0;
    if (detect::iequals(item, "sslv2")) v = kSsl2;
    else if (detect::iequals(item, "sslv3")) v = 0x0300;
    else if (detect::iequals(item, "tls1.0")) v = 0x0301;
    else if (detect::iequals(item, "tls1.1")) v = 0x0302;
    else if (detect::iequals(item, "tls1.2")) v = 0x0303;
    else if (detect::iequals(item, "tls1.3")) v = 0x0304;
    else throw RuleError("ssl_version: unknown version '" + std::string(item) + "'");
    versions.push_back(v);
  }
  if (versions.empty()) throw RuleError("ssl_version: no version given");
  b.require_app_proto("tls", 0);
  b.add_packet(std::make_unique<SslVersionMatcher>(std::move(versions), negated));
}

const bool kRegistered = [] {
  using D = BufferDirection;
  auto buffer = [](std::string_view name, std::vector<std::string_view> aliases, D dir,
                   std::string_view help, detect::BufferGetter get,
                   detect::MultiBufferGetter multi = nullptr) {
    detect::register_buffer({.name = name,
                             .help = help,
                             .aliases = std::move(aliases),
                             .app_proto = "tls",
                             .direction = dir,
                             .get = get,
                             .get_multi = multi});
  };
  buffer("tls.sni", {"tls_sni"}, D::kToServer, "TLS ClientHello server name", get_sni);
  buffer("tls.cert_subject", {"tls_cert_subject"}, D::kToClient,
         "subject of the server certificate", get_subject);
  buffer("tls.cert_issuer", {"tls_cert_issuer"}, D::kToClient,
         "issuer of the server certificate", get_issuer);
  buffer("tls.cert_serial", {"tls_cert_serial"}, D::kToClient,
         "serial of the server certificate (\"00:AB:...\")", get_serial);
  buffer("tls.cert_fingerprint", {"tls_cert_fingerprint"}, D::kToClient,
         "SHA-1 fingerprint of the server certificate (\"aa:bb:...\")", get_fingerprint);
  buffer("tls.certs", {}, D::kToClient, "each DER certificate of the server chain", nullptr,
         get_certs);
  buffer("tls.subjectaltname", {}, D::kToClient,
         "each DNS subjectAltName of the server certificate", nullptr, get_san);
  buffer("tls.alpn", {}, D::kBoth, "each ALPN protocol (client offers / server choice)",
         nullptr, get_alpn);
  buffer("ja3.hash", {"ja3_hash"}, D::kToServer, "JA3 MD5 of the ClientHello", get_ja3_hash);
  buffer("ja3.string", {"ja3_string"}, D::kToServer, "JA3 string of the ClientHello",
         get_ja3_string);
  buffer("ja3s.hash", {}, D::kToClient, "JA3S MD5 of the ServerHello", get_ja3s_hash);
  buffer("ja3s.string", {}, D::kToClient, "JA3S string of the ServerHello", get_ja3s_string);
  buffer("ja4.hash", {}, D::kToServer, "JA4 fingerprint of the ClientHello", get_ja4);

  using detect::KeywordKind;
  using detect::register_keyword;
  register_keyword({.name = "tls.version",
                    .help = "TLS version: 1.0, 1.1, 1.2, 1.3, 3.0 or hex (0x0303)",
                    .kind = KeywordKind::kPacket, .flags = detect::kValueRequired,
                    .setup = setup_tls_version});
  register_keyword({.name = "tls.subject",
                    .help = "server certificate subject contains [!]\"text\"",
                    .kind = KeywordKind::kPacket, .flags = detect::kValueRequired,
                    .setup = setup_cert_string<CertField::kSubject>});
  register_keyword({.name = "tls.issuerdn",
                    .help = "server certificate issuer contains [!]\"text\"",
                    .kind = KeywordKind::kPacket, .flags = detect::kValueRequired,
                    .setup = setup_cert_string<CertField::kIssuer>});
  register_keyword({.name = "tls.fingerprint",
                    .help = "server certificate SHA-1 fingerprint [!]\"aa:bb:...\"",
                    .kind = KeywordKind::kPacket, .flags = detect::kValueRequired,
                    .setup = setup_cert_string<CertField::kFingerprint>});
  register_keyword({.name = "tls_cert_notbefore",
                    .help = "certificate notBefore: [<|>]date or date<>date",
                    .kind = KeywordKind::kPacket, .flags = detect::kValueRequired,
                    .setup = setup_cert_date<false>});
  register_keyword({.name = "tls_cert_notafter",
                    .help = "certificate notAfter: [<|>]date or date<>date",
                    .kind = KeywordKind::kPacket, .flags = detect::kValueRequired,
                    .setup = setup_cert_date<true>});
  register_keyword({.name = "tls_cert_expired",
                    .help = "server certificate expired at the packet's time",
                    .kind = KeywordKind::kPacket, .flags = detect::kNoValue,
                    .setup = setup_cert_validity<true>});
  register_keyword({.name = "tls_cert_valid",
                    .help = "server certificate valid at the packet's time",
                    .kind = KeywordKind::kPacket, .flags = detect::kNoValue,
                    .setup = setup_cert_validity<false>});
  register_keyword({.name = "tls.cert_chain_len",
                    .help = "number of certificates in the server chain (integer condition)",
                    .kind = KeywordKind::kPacket, .flags = detect::kValueRequired,
                    .setup = setup_chain_len});
  register_keyword({.name = "ssl_state",
                    .help = "handshake states seen: client_hello|server_hello|client_keyx|"
                            "server_keyx|unknown, '!' negates",
                    .kind = KeywordKind::kPacket, .flags = detect::kValueRequired,
                    .setup = setup_ssl_state});
  register_keyword({.name = "ssl_version",
                    .help = "SSL/TLS version: sslv2,sslv3,tls1.0,tls1.1,tls1.2,tls1.3; '!' "
                            "negates the list",
                    .kind = KeywordKind::kPacket, .flags = detect::kValueRequired,
                    .setup = setup_ssl_version});
  register_keyword({.name = "tls.store",
                    .help = "store the server certificate chain to disk",
                    .kind = KeywordKind::kPost,
                    .unsupported_reason = "storing TLS certificates to disk is not implemented"});
  return true;
}();

}  // namespace
}  // namespace seawall::tls
