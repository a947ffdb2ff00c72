// The EVE "quic" object, with the members and order of Suricata's QUIC
// logger: version, sni, ua, cyu[], ja3 (client) / ja3s (server), ja4,
// extensions[].
#include "applayer/quic/quic_parser.h"

#include "output/eve/json_writer.h"

namespace seawall::quic {
namespace {

// TLS ExtensionType names (IANA registry) as Suricata logs them.
std::string_view extension_name(uint16_t type) {
  static constexpr std::string_view kNames[] = {
      "server_name",            // 0
      "max_fragment_length",    // 1
      "client_certificate_url", // 2
      "trusted_ca_keys",        // 3
      "truncated_hmac",         // 4
      "status_request",         // 5
      "user_mapping",           // 6
      "client_authz",           // 7
      "server_authz",           // 8
      "cert_type",              // 9
      "supported_groups",       // 10
      "ec_point_formats",       // 11
      "srp",                    // 12
      "signature_algorithms",   // 13
      "use_srtp",               // 14
      "heartbeat",              // 15
      "alpn",                   // 16
      "status_request_v2",      // 17
      "signed_certificate_timestamp",  // 18
      "client_certificate_type",       // 19
      "server_certificate_type",       // 20
      "padding",                       // 21
      "encrypt_then_mac",              // 22
      "extended_master_secret",        // 23
      "token_binding",                 // 24
      "cached_info",                   // 25
      "tls_lts",                       // 26
      "compress_certificate",          // 27
      "record_size_limit",             // 28
      "pwd_protect",                   // 29
      "pwd_clear",                     // 30
      "password_salt",                 // 31
      "ticket_pinning",                // 32
      "tls_cert_with_extern_psk",      // 33
      "delegated_credentials",         // 34
      "session_ticket",                // 35
      "tlmsp",                         // 36
      "tlmsp_proxying",                // 37
      "tlmsp_delegate",                // 38
      "supported_ekt_ciphers",         // 39
      "",                              // 40 (unassigned)
      "pre_shared_key",                // 41
      "early_data",                    // 42
      "supported_versions",            // 43
      "cookie",                        // 44
      "psk_key_exchange_modes",        // 45
      "",                              // 46 (unassigned)
      "certificate_authorities",       // 47
      "oid_filters",                   // 48
      "post_handshake_auth",           // 49
      "signature_algorithms_cert",     // 50
      "key_share",                     // 51
      "transparency_info",             // 52
      "connection_id_deprecated",      // 53
      "connection_id",                 // 54
      "external_id_hash",              // 55
      "external_session_id",           // 56
      "quic_transport_parameters",     // 57
      "ticket_request",                // 58
      "dnssec_chain",                  // 59
  };
  if (type < sizeof(kNames) / sizeof(kNames[0])) return kNames[type];
  if (type == 13172) return "next_protocol_negotiation";
  if (type == 65281) return "renegotiation_info";
  return {};
}

}  // namespace

void log_tx(const applayer::ProtocolState& /*state*/, const applayer::Transaction& base,
            const applayer::LogContext& /*ctx*/, JsonWriter& w) {
  const auto& tx = static_cast<const QuicTx&>(base);
  if (tx.has_version) {
    char version[12];
    w.member("version", std::string_view(version, version_string(tx.version, version)));
  }
  if (!tx.sni.empty()) {
    w.key("sni");
    w.string_bytes(reinterpret_cast<const uint8_t*>(tx.sni.data()), tx.sni.size());
  }
  if (!tx.ua.empty()) {
    w.key("ua");
    w.string_bytes(reinterpret_cast<const uint8_t*>(tx.ua.data()), tx.ua.size());
  }
  if (!tx.cyu.empty()) {
    w.key("cyu");
    w.begin_array();
    for (const QuicTx::Cyu& cyu : tx.cyu) {
      w.begin_object();
      w.member("hash", cyu.hash);
      w.member("string", cyu.string);
      w.end_object();
    }
    w.end_array();
  }
  if (!tx.ja3.empty()) {
    w.key(tx.dir == applayer::Direction::kToServer ? "ja3" : "ja3s");
    w.begin_object();
    w.member("hash", tx.ja3_hash);
    w.member("string", tx.ja3);
    w.end_object();
  }
  if (!tx.ja4.empty()) w.member("ja4", tx.ja4);
  if (!tx.extensions.empty()) {
    w.key("extensions");
    w.begin_array();
    for (const QuicTx::Extension& e : tx.extensions) {
      w.begin_object();
      const std::string_view name = extension_name(e.type);
      if (!name.empty()) w.member("name", name);
      w.member_uint("type", e.type);
      if (!e.values.empty()) {
        w.key("values");
        w.begin_array();
        for (const std::string& v : e.values)
          w.string_bytes(reinterpret_cast<const uint8_t*>(v.data()), v.size());
        w.end_array();
      }
      w.end_object();
    }
    w.end_array();
  }
}

}  // namespace seawall::quic
