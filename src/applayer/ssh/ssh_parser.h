// SSH: identification banners ("SSH-protoversion-softwareversion comments")
// and the cleartext binary packets of the key exchange, per direction, up to
// SSH_MSG_NEWKEYS; the rest of the connection is encrypted and not inspected.
// One transaction per flow (Suricata's SSHTransaction): the client and server
// banners, their KEXINIT algorithm lists and the HASSH / HASSH-server
// fingerprints computed from them.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "applayer/app_layer.h"
#include "applayer/md5_hex.h"
#include "core/byte_view.h"

namespace seawall::applayer::ssh {

// Suricata's SSH_MAX_BANNER_LEN: a banner line this long raises long_banner.
inline constexpr size_t kMaxBannerLen = 256;
// Bytes of other lines a server may send before its banner (RFC 4253
// section 4.2: greetings, legal notices, ASCII art); more is an invalid
// banner rather than an unbounded wait. Each line is at most kMaxBannerLen.
inline constexpr size_t kMaxPreBannerBytes = 16384;
// Suricata's SSH_MAX_REASSEMBLED_RECORD_LEN: the largest KEXINIT buffered.
inline constexpr uint32_t kMaxKexRecordLen = 65535;
inline constexpr size_t kRecordHeaderLen = 6;  // packet_length u32, padding_length, msg code

inline constexpr uint8_t kMsgKexInit = 20;
inline constexpr uint8_t kMsgNewKeys = 21;

// Event names (rules/ssh-events.rules: app-layer-event:ssh.<name>).
inline constexpr std::string_view kEventInvalidBanner = "invalid_banner";
inline constexpr std::string_view kEventLongBanner = "long_banner";
inline constexpr std::string_view kEventInvalidRecord = "invalid_record";
inline constexpr std::string_view kEventLongKexRecord = "long_kex_record";

// The name-lists of one SSH_MSG_KEXINIT (RFC 4253 section 7.1).
struct KexInit {
  std::string kex_algorithms;
  std::string server_host_key_algorithms;
  std::string encryption_client_to_server;
  std::string encryption_server_to_client;
  std::string mac_client_to_server;
  std::string mac_server_to_client;
  std::string compression_client_to_server;
  std::string compression_server_to_client;
  std::string languages_client_to_server;
  std::string languages_server_to_client;
  bool first_kex_packet_follows = false;
};

// Parses a KEXINIT payload after the message code (cookie, ten name-lists,
// boolean, reserved u32); trailing padding is ignored. False when truncated.
bool parse_kexinit(ByteView body, KexInit& out);

// "SSH-protoversion-softwareversion[ comments]" (terminator already removed).
// Suricata's ssh_parse_banner: protoversion runs up to the first '-' and is
// not empty; softwareversion runs up to the first space (may be empty).
struct Banner {
  std::string_view proto_version;
  std::string_view software_version;
};
bool parse_banner(std::string_view line, Banner& out);

// HASSH (salesforce/hassh, Suricata's generate_hassh): the string
// "kex;encryption;mac;compression" using the client-to-server lists for the
// client and the server-to-client lists for the server; the hash is its
// md5_hex (applayer/md5_hex.h).
void hassh_string(const KexInit& kex, bool server, std::string& out);

// One direction of the connection (Suricata's SshHeader).
struct SshSide {
  std::string proto_version;
  std::string software_version;
  bool banner_done = false;
  bool kexinit_seen = false;   // the first KEXINIT record was seen (parsed or not)
  bool kexinit_parsed = false; // ... and its lists are in `kex`
  bool newkeys_seen = false;   // what follows in this direction is encrypted
  KexInit kex;
  std::string hassh;           // 32 lowercase hex digits, empty without a parsed KEXINIT
  std::string hassh_string;
};

struct SshTransaction : Transaction {
  SshSide client;  // to server
  SshSide server;  // to client
  const SshSide& side(Direction dir) const { return dir == Direction::kToServer ? client : server; }
  SshSide& side(Direction dir) { return dir == Direction::kToServer ? client : server; }
};

class SshState final : public ProtocolState {
 public:
  SshState();

  ParseResult parse(Direction dir, ByteView data, const ParseContext& ctx) override;
  bool gap(Direction dir, uint32_t len) override;
  void end_of_stream(Direction dir) override;
  size_t tx_count() const override { return tx_removed_ ? 0 : 1; }
  Transaction* tx_at(size_t index) override {
    return index == 0 && !tx_removed_ ? &tx_ : nullptr;
  }
  void remove_done() override;
  bool no_more_inspection() const override {
    return tx_.client.newkeys_seen && tx_.server.newkeys_seen;
  }

  // The flow's one transaction (also after remove_done, for tests).
  const SshTransaction& transaction() const { return tx_; }

 private:
  enum class Stage : uint8_t {
    kBanner,         // reading the identification line (server: maybe lines before it)
    kBannerWaitEol,  // banner longer than kMaxBannerLen: skipping to its end
    kRecordHeader,   // collecting the 6-byte binary packet header
    kKexBody,        // buffering a KEXINIT payload
    kSkipBody,       // skipping the rest of another record
    kDone,           // encrypted, SSH-1, or an error: nothing more to read here
  };

  // Per-direction reader; independent of how the stream is split.
  struct Reader {
    Stage stage = Stage::kBanner;
    bool failed = false;      // invalid banner/record: the direction stopped with an error
    bool pending_cr = false;  // a '\r' ended the previous byte run: "\r\n" or a bare '\r'
    size_t pre_banner_bytes = 0;
    std::string line;         // banner bytes so far (at most kMaxBannerLen)
    std::array<uint8_t, kRecordHeaderLen> header{};
    size_t header_len = 0;
    uint32_t body_left = 0;
    std::vector<uint8_t> kex_body;
  };

  // Each returns the number of bytes consumed, or kFailed to stop the direction.
  static constexpr size_t kFailed = static_cast<size_t>(-1);
  size_t read_banner(Direction dir, const uint8_t* p, size_t n);
  size_t skip_to_eol(Direction dir, const uint8_t* p, size_t n);
  size_t read_records(Direction dir, const uint8_t* p, size_t n);
  // A complete line (without its terminator) in the banner stage.
  bool on_banner_line(Direction dir, std::string_view line, bool long_line);
  bool on_record_header(Direction dir);  // false: invalid record
  void on_kexinit(Direction dir, ByteView body);
  void finish_direction(Direction dir) { tx_.complete[dir_index(dir)] = true; }
  void update_completion(Direction dir);
  bool peer_is_ssh1(Direction dir) const;

  SshTransaction tx_;
  std::array<Reader, 2> readers_;
  bool tx_removed_ = false;
};

// EVE: logging the HASSH fingerprints is off by default, as Suricata's
// app-layer.protocols.ssh.hassh. Set at load time (configuration or a loaded
// rule using an ssh.hassh* buffer), read by the logger.
void set_hassh_logging(bool enabled);
bool hassh_logging_enabled();

// The content probe: "SSH-" (any case, as Suricata's pattern) at the start
// of either direction.
ProbeResult probe_ssh(Direction dir, ByteView data);

// The EVE "ssh" object (Suricata's rust/src/ssh/logger.rs).
void log_ssh(const ProtocolState& state, const Transaction& tx, const LogContext& ctx,
             JsonWriter& w);

// AppProto id of "ssh" (kAppProtoUnknown before registration).
AppProto ssh_app_proto();

}  // namespace seawall::applayer::ssh
