// The EVE "tls" object, in the member order of Suricata's output-json-tls.c
// (extended mode): subject, issuerdn, session_resumed, serial, fingerprint,
// sni, version, notbefore, notafter, ja3, ja3s, ja4, client_alpns, server_alpns.
#include "applayer/tls/tls_eve.h"

#include "output/eve/json_writer.h"

namespace seawall::tls {

void log_tls_tx(const applayer::ProtocolState& /*state*/, const applayer::Transaction& base,
                const applayer::LogContext& /*ctx*/, JsonWriter& w) {
  const auto& tx = static_cast<const TlsTx&>(base);
  const bool have_cert = tx.cert_decoded;
  if (have_cert) {
    w.member("subject", tx.cert0.subject);
    w.member("issuerdn", tx.cert0.issuer);
  }
  // As Suricata: "resumed" only when no certificate was seen, the server
  // answered, and the version is not TLS 1.3 (whose certificates are hidden).
  if (tx.session_resumed && !have_cert && tx.server_hello_seen && !tx.tls13()) {
    w.member_bool("session_resumed", true);
  }
  if (have_cert) {
    if (!tx.cert0.serial.empty()) w.member("serial", tx.cert0.serial);
    w.member("fingerprint", tx.cert0.fingerprint);
  }
  if (tx.client_hello_seen && !tx.client_hello.sni.empty()) w.member("sni", tx.client_hello.sni);
  thread_local std::string version;
  tx.version_string(version);
  w.member("version", version);
  if (have_cert) {
    char buf[32];
    size_t n = format_cert_time(tx.cert0.not_before, buf, sizeof buf);
    if (tx.cert0.not_before != 0 && n > 0) w.member("notbefore", std::string_view(buf, n));
    n = format_cert_time(tx.cert0.not_after, buf, sizeof buf);
    if (tx.cert0.not_after != 0 && n > 0) w.member("notafter", std::string_view(buf, n));
  }
  if (tx.client_hello_seen) {
    w.key("ja3");
    w.begin_object();
    w.member("hash", tx.ja3_hash);
    w.member("string", tx.ja3_string);
    w.end_object();
  }
  if (tx.server_hello_seen && !tx.ja3s_hash.empty()) {
    w.key("ja3s");
    w.begin_object();
    w.member("hash", tx.ja3s_hash);
    w.member("string", tx.ja3s_string);
    w.end_object();
  }
  if (tx.client_hello_seen) w.member("ja4", tx.ja4);
  if (tx.client_hello_seen && !tx.client_hello.alpn.empty()) {
    w.key("client_alpns");
    w.begin_array();
    for (const auto& a : tx.client_hello.alpn) w.string(a);
    w.end_array();
  }
  if (tx.server_hello_seen && !tx.server_hello.alpn.empty()) {
    w.key("server_alpns");
    w.begin_array();
    w.string(tx.server_hello.alpn);
    w.end_array();
  }
}

}  // namespace seawall::tls
