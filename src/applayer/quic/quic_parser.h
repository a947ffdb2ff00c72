// QUIC (RFC 9000/9001/9369 and Google QUIC): packet headers, protocol probe,
// and the per-flow state that opens Initial packets, reassembles their CRYPTO
// frames and parses the TLS ClientHello / ServerHello they carry (or the gQUIC
// CHLO). One transaction per direction's handshake: the client's (SNI, JA3,
// JA4, extensions, gQUIC UA and CYU) and the server's (JA3S, extensions).
// 1-RTT (short header) packets are opaque and skipped.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "applayer/app_layer.h"
#include "applayer/quic/quic_crypto.h"
#include "applayer/tls/tls_client_hello.h"
#include "core/byte_view.h"
#include "flow/app_proto.h"

namespace seawall::quic {

inline constexpr uint32_t kVersionNegotiationVersion = 0x00000000;
inline constexpr uint32_t kVersion1 = 0x00000001;
inline constexpr uint32_t kVersion2 = 0x6b3343cf;
inline constexpr uint32_t kVersionDraft29 = 0xff00001d;
inline constexpr size_t kMaxConnectionIdLen = 20;  // RFC 9000 v1 limit

enum class PacketType : uint8_t {
  kInitial,
  kZeroRtt,
  kHandshake,
  kRetry,
  kVersionNegotiation,
  kShort,
};

// One packet's header. Views point into the datagram.
struct PacketHeader {
  PacketType type = PacketType::kShort;
  bool long_header = false;
  bool has_version = false;
  // Google QUIC framing (Q046 and older): not encrypted, frames at payload_offset.
  bool gquic = false;
  uint8_t first = 0;
  uint32_t version = 0;
  ByteView dcid;
  ByteView scid;
  ByteView token;             // Initial (IETF) / Retry
  size_t pn_offset = 0;       // IETF Initial / 0-RTT / Handshake: protected packet number
  size_t payload_offset = 0;  // gQUIC: first frame
  size_t packet_len = 0;      // bytes of this packet; coalesced packets follow it
};

// RFC 9000 section 16 variable-length integer at data[pos]; advances pos.
bool read_varint(ByteView data, size_t& pos, uint64_t& out);
// Parses the packet at the start of `data`; false when malformed or truncated.
bool parse_packet_header(ByteView data, PacketHeader& out);

// "Q0dd": a Google QUIC version.
bool is_gquic_version(uint32_t version);
// Versions the probe accepts: 1, 2, drafts 23..34, Google Q0dd.
bool is_known_version(uint32_t version);
// The EVE spelling of a version (Suricata's): "Q043" .. "Q046" and "Q039" by
// name, otherwise lowercase hex without leading zeros ("1", "6b3343cf").
// Returns the length written to out.
size_t version_string(uint32_t version, char out[12]);

applayer::ProbeResult probe(applayer::Direction dir, ByteView data);

// CRYPTO frame data of one direction, reassembled by offset (bounded).
class CryptoReassembly {
 public:
  static constexpr uint32_t kLimit = 64 * 1024;
  static constexpr int kMaxRanges = 16;
  enum class AddResult : uint8_t { kOk, kTooLong, kTooFragmented };

  AddResult add(uint64_t offset, ByteView data);
  // Bytes available from offset 0 without a hole.
  ByteView contiguous() const;
  void reset();

 private:
  struct Range {
    uint32_t begin = 0;
    uint32_t end = 0;
  };
  std::vector<uint8_t> data_;
  std::array<Range, kMaxRanges> ranges_{};
  int range_count_ = 0;
};

struct QuicTx : applayer::Transaction {
  applayer::Direction dir = applayer::Direction::kToServer;
  bool has_version = false;
  uint32_t version = 0;
  std::array<uint8_t, 4> version_bytes{};  // quic.version buffer (wire order)
  std::string sni;
  std::string ua;         // gQUIC UAID tag
  std::string ja3;        // client: JA3 string; server: JA3S string ("" if none)
  std::string ja3_hash;
  std::string ja4;        // client only
  struct Extension {
    uint16_t type = 0;
    std::vector<std::string> values;  // server_name / alpn entries
  };
  std::vector<Extension> extensions;
  struct Cyu {
    std::string string;
    std::string hash;
  };
  std::vector<Cyu> cyu;
};

class QuicState : public applayer::ProtocolState {
 public:
  QuicState() = default;

  applayer::ParseResult parse(applayer::Direction dir, ByteView data,
                              const applayer::ParseContext& ctx) override;
  bool gap(applayer::Direction, uint32_t) override { return true; }
  void end_of_stream(applayer::Direction dir) override;
  size_t tx_count() const override { return txs_.size(); }
  applayer::Transaction* tx_at(size_t index) override {
    return index < txs_.size() ? txs_[index].get() : nullptr;
  }
  void remove_done() override;
  bool no_more_inspection() const override;

  const QuicTx* tx(size_t index) const {
    return index < txs_.size() ? txs_[index].get() : nullptr;
  }

 private:
  struct DirectionState {
    PacketCipher cipher;
    bool keys_ok = false;
    uint32_t key_version = 0;
    CryptoReassembly crypto;
    uint64_t largest_pn = 0;
    bool any_pn = false;
    QuicTx* tx = nullptr;     // open transaction of this direction
    bool hello_done = false;  // handshake message parsed (or given up): stop parsing
  };

  QuicTx& open_tx(int d, const PacketHeader* header);
  void complete_tx(int d);
  void add_event(int d, std::string_view event);
  // One packet; false stops processing the rest of the datagram.
  bool handle_packet(int d, ByteView packet, const PacketHeader& header);
  bool handle_initial(int d, ByteView packet, const PacketHeader& header);
  bool ensure_keys(int d, uint32_t version);
  bool parse_frames(int d, ByteView payload, uint32_t version);
  void handle_crypto(int d, uint64_t offset, ByteView data, uint32_t version);
  void try_handshake_message(int d, uint32_t version);
  void handle_gquic(int d, ByteView packet, const PacketHeader& header);
  void record_client_hello(QuicTx& tx, ByteView body);
  void record_server_hello(QuicTx& tx, ByteView body);
  void reset_client_handshake();

  std::array<DirectionState, 2> dirs_;
  std::array<uint8_t, kMaxConnectionIdLen> original_dcid_{};
  size_t original_dcid_len_ = 0;
  bool have_original_dcid_ = false;
  bool retry_seen_ = false;
  std::vector<std::unique_ptr<QuicTx>> txs_;
  uint64_t next_tx_id_ = 0;
  std::vector<uint8_t> plain_;  // decrypted payload (grows to the largest packet)
  tls::ClientHello client_hello_;
  tls::ServerHello server_hello_;
};

// The gQUIC CHLO message (tag/value map) from a stream or CRYPTO frame: fills
// sni, ua and (for Q043..Q046) cyu. `consumed` = the message length. false when
// `data` is not a complete CHLO.
bool parse_chlo(ByteView data, uint32_t version, QuicTx& tx, size_t& consumed);
// Total length of the CHLO message at the start of data, 0 when it cannot be
// known yet (fewer than the header bytes) or data is not a CHLO.
size_t chlo_length(ByteView data);

// EVE "quic" object members (quic_eve.cc).
void log_tx(const applayer::ProtocolState& state, const applayer::Transaction& tx,
            const applayer::LogContext& ctx, JsonWriter& w);

// The registered id of "quic" (looked up once).
AppProto app_proto_id();

}  // namespace seawall::quic
