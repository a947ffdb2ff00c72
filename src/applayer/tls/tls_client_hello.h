// TLS ClientHello / ServerHello parsing and the fingerprints computed from
// them (JA3, JA3S, JA4). Shared by the TLS parser and by QUIC, whose Initial
// packets carry a ClientHello in CRYPTO frames.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "applayer/md5_hex.h"
#include "core/byte_view.h"

namespace seawall::tls {

struct ClientHello {
  uint16_t legacy_version = 0;          // client_version field
  std::vector<uint16_t> cipher_suites;  // in order, GREASE included
  std::vector<uint16_t> extensions;     // extension types in order, GREASE included
  std::vector<uint16_t> groups;         // supported_groups (elliptic curves)
  std::vector<uint8_t> ec_point_formats;
  std::vector<uint16_t> signature_algorithms;
  std::vector<uint16_t> supported_versions;  // supported_versions extension
  std::vector<std::string> alpn;        // protocol names in order
  std::string sni;                      // server_name host_name, "" if none
  std::vector<uint8_t> session_id;
  bool has_session_ticket = false;      // session_ticket extension with data
};

struct ServerHello {
  uint16_t legacy_version = 0;
  uint16_t cipher_suite = 0;
  std::vector<uint16_t> extensions;     // in order
  uint16_t selected_version = 0;        // supported_versions extension, 0 if none
  std::string alpn;
  std::vector<uint8_t> session_id;
};

// Parses a handshake message body (after the 4-byte handshake header: type
// client_hello(1) / server_hello(2) and the 24-bit length). Bounds-checked;
// false on malformed input.
bool parse_client_hello(ByteView body, ClientHello& out);
bool parse_server_hello(ByteView body, ServerHello& out);

bool is_grease(uint16_t value);  // RFC 8701 values (0x0a0a, 0x1a1a, ...)

// JA3 (salesforce/ja3): "version,ciphers,extensions,curves,point_formats"
// with GREASE removed; the hash is MD5 in lowercase hex.
void ja3_string(const ClientHello& ch, std::string& out);
void ja3s_string(const ServerHello& sh, std::string& out);
using applayer::md5_hex;  // 32 lowercase hex chars (applayer/md5_hex.h)

// JA4 TLS client fingerprint (FoxIO JA4 spec): "t13d1516h2_8daaf6152771_e5627efa2ab1".
// `quic`: 'q' instead of 't' as the first character.
void ja4(const ClientHello& ch, bool quic, std::string& out);

}  // namespace seawall::tls
