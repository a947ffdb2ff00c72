// TLS/SSL app-layer state: record layer (records split across or packed into
// stream chunks), handshake reassembly across records, ClientHello/ServerHello
// with JA3/JA3S/JA4, the server certificate chain (TLS <= 1.2), session
// resumption, and Suricata's TLS events. One transaction per flow, as Suricata.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "applayer/app_layer.h"
#include "applayer/tls/tls_cert.h"
#include "applayer/tls/tls_client_hello.h"

namespace seawall::tls {

// Suricata ssl_state bits.
enum SslStateFlag : uint8_t {
  kStateClientHello = 1 << 0,
  kStateServerHello = 1 << 1,
  kStateClientKeyExchange = 1 << 2,
  kStateServerKeyExchange = 1 << 3,
  kStateUnknown = 1 << 4,
};

inline constexpr uint16_t kSsl2 = 0x0002;

struct TlsTx : applayer::Transaction {
  bool client_hello_seen = false;
  bool server_hello_seen = false;
  ClientHello client_hello;
  ServerHello server_hello;
  std::string ja3_string, ja3_hash, ja3s_string, ja3s_hash, ja4;
  uint16_t client_version = 0;  // ClientHello legacy version (or SSLv2 / record version)
  uint16_t server_version = 0;  // negotiated: supported_versions, else ServerHello/record
  uint8_t ssl_state = 0;        // SslStateFlag bits seen
  bool session_resumed = false;
  bool cert_seen = false;              // server Certificate message parsed
  bool cert_decoded = false;           // cert0 decoded successfully
  CertInfo cert0;                      // server's first certificate
  std::vector<std::vector<uint8_t>> certs;  // server chain, DER, in order
  bool client_cert_seen = false;

  // "TLS 1.2", "TLSv1", "TLS 1.3 draft-28", "UNDETERMINED" ... as Suricata's EVE.
  void version_string(std::string& out) const;
  bool tls13() const;
};

class TlsState final : public applayer::ProtocolState {
 public:
  TlsState();
  applayer::ParseResult parse(applayer::Direction dir, ByteView data,
                              const applayer::ParseContext& ctx) override;
  bool gap(applayer::Direction dir, uint32_t len) override;
  void end_of_stream(applayer::Direction dir) override;
  size_t tx_count() const override { return tx_present_ ? 1 : 0; }
  applayer::Transaction* tx_at(size_t index) override;
  void remove_done() override;
  bool no_more_inspection() const override;

  // Limits (bytes): a handshake message larger than this is dropped with an event.
  static constexpr size_t kMaxHandshakeMessage = 256 * 1024;
  static constexpr uint32_t kMaxRecordLength = 16384 + 2048;
  static constexpr uint32_t kMaxRecordsPerCall = 255;

 private:
  struct Side {
    std::array<uint8_t, 5> header{};
    uint8_t header_len = 0;
    uint8_t content_type = 0;
    uint32_t record_remaining = 0;  // body bytes still to come for the current record
    bool in_record = false;
    bool sslv2 = false;             // current record is SSLv2 (2-byte header)
    bool first_record = true;
    std::vector<uint8_t> handshake;  // partial handshake message(s)
    std::vector<uint8_t> alert;      // partial alert
    bool skip_handshake = false;     // oversize message being skipped
    uint32_t skip_remaining = 0;
    bool encrypted = false;          // CCS/app data seen: nothing more to parse
    bool dead = false;               // unrecoverable framing error
  };

  TlsTx& tx();
  void record_body(int d, ByteView body);
  void handshake_bytes(int d, ByteView bytes);
  void handshake_message(int d, uint8_t type, ByteView body);
  void on_client_hello(ByteView body);
  void on_server_hello(ByteView body);
  void on_certificate(int d, ByteView body);
  void on_change_cipher_spec(int d);
  void on_sslv2_record(int d, ByteView body);
  void finish_side(int d);

  std::array<Side, 2> sides_{};
  TlsTx tx_;
  bool tx_present_ = true;
};

// Probe: TLS record header (handshake, version 3.0-3.4) carrying a
// ClientHello/ServerHello, or an SSLv2-compatible ClientHello.
applayer::ProbeResult probe_tls(applayer::Direction dir, ByteView data);

AppProto tls_app_proto();  // cached find_app_proto("tls")

}  // namespace seawall::tls
