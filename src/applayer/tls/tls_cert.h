// X.509 certificate fields as Suricata prints them in EVE and matches them in
// rules (tls.cert_subject, tls.cert_serial, tls_cert_notafter ...), decoded
// from DER through OpenSSL.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/byte_view.h"

namespace seawall::tls {

struct CertInfo {
  std::string subject;      // "C=US, O=Example, CN=example.com" (RDNs in certificate order)
  std::string issuer;
  std::string serial;       // "00:AB:12" uppercase colon hex of the DER INTEGER content
  std::string fingerprint;  // SHA-1 of the DER, "aa:bb:..." lowercase colon hex
  int64_t not_before = 0;   // seconds since the epoch (may be negative)
  int64_t not_after = 0;
  std::vector<std::string> san_dns;  // subjectAltName dNSName entries in order
  void clear();
};

// Decodes one DER certificate. On failure returns false and sets `event` to
// the TLS app-layer event name to raise ("certificate_invalid_der", ...).
bool decode_certificate(ByteView der, CertInfo& out, std::string_view& event);

// "2015-01-01T00:00:00" (UTC) into `out` (at least 20 bytes); returns length.
size_t format_cert_time(int64_t epoch_seconds, char* out, size_t cap);

}  // namespace seawall::tls
