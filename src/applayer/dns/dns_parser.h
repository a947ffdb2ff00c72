// DNS over UDP and TCP (RFC 1035, 3596, 2782, 4255, 6891, 9460, 8659):
// message parsing with name decompression, per-flow state with one
// transaction per DNS id (request + matching response), the content probe.
// Names and rdata are decoded into a per-message byte arena whose capacity is
// reused, so steady-state parsing does not allocate.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "applayer/app_layer.h"
#include "core/byte_view.h"

namespace seawall::applayer::dns {

// Suricata's limits: longer names are truncated (event name_too_long), more
// than 255 labels/pointers stop decoding (event too_many_labels).
inline constexpr size_t kMaxNameLength = 1025;
inline constexpr int kMaxLabels = 255;
// Bytes decoded per message (names expanded by compression pointers can
// outgrow the message); past it the rest of the message is malformed_data.
inline constexpr size_t kMaxArenaBytes = 256 * 1024;
inline constexpr size_t kHeaderSize = 12;

// Record types with decoded rdata.
namespace rrtype {
inline constexpr uint16_t kA = 1, kNs = 2, kCname = 5, kSoa = 6, kNull = 10, kPtr = 12,
                          kMx = 15, kTxt = 16, kAaaa = 28, kSrv = 33, kOpt = 41, kSshfp = 44,
                          kSvcb = 64, kHttps = 65, kCaa = 257;
}

// Suricata's event names (rules/dns-events.rules).
namespace event {
inline constexpr std::string_view kMalformedData = "malformed_data";
inline constexpr std::string_view kNotRequest = "not_request";
inline constexpr std::string_view kNotResponse = "not_response";
inline constexpr std::string_view kZFlagSet = "z_flag_set";
inline constexpr std::string_view kInvalidOpcode = "invalid_opcode";
inline constexpr std::string_view kNameTooLong = "name_too_long";
inline constexpr std::string_view kInfiniteLoop = "infinite_loop";
inline constexpr std::string_view kTooManyLabels = "too_many_labels";
inline constexpr std::string_view kInvalidAdditionals = "invalid_additionals";
inline constexpr std::string_view kInvalidAuthorities = "invalid_authorities";
}  // namespace event

// Bytes in Message::arena.
struct Span {
  uint32_t offset = 0;
  uint32_t length = 0;
};

struct Name {
  Span text;  // labels joined with '.', "" for the root
  bool truncated = false;
};

struct Query {
  Name name;
  uint16_t rrtype = 0;
  uint16_t rrclass = 0;
};

enum class RDataKind : uint8_t {
  kNone,     // type not decoded (logged as its number, no rdata)
  kAddress,  // A / AAAA: raw address bytes in `data`
  kName,     // CNAME NS PTR MX (exchange): `name`
  kTxt,      // strings [list_first, list_first + list_count) of Message::strings
  kBytes,    // NULL: raw bytes in `data`
  kSoa,      // `name` = mname, `name2` = rname, soa[] numbers
  kSrv,      // priority weight port, `name` = target
  kSshfp,    // algo fp_type, fingerprint in `data`
  kOpt,      // options [list_first, +list_count) of Message::options
  kSvcb,     // HTTPS / SVCB: priority, `name` = target (parameters not decoded)
  kCaa,      // flags, `name2.text` = tag, `data` = value
};

struct Record {
  Name name;
  uint16_t rrtype = 0;
  uint16_t rrclass = 0;
  uint32_t ttl = 0;
  RDataKind kind = RDataKind::kNone;
  Name rdata_name;   // kName / kSoa mname / kSrv / kSvcb target
  Name rdata_name2;  // kSoa rname / kCaa tag
  Span data;
  uint32_t soa[5] = {};  // serial refresh retry expire minimum
  uint16_t priority = 0, weight = 0, port = 0;
  uint8_t algo = 0, fp_type = 0;
  uint32_t list_first = 0, list_count = 0;
};

struct OptEntry {
  uint16_t code = 0;
  Span data;
};

// One parsed DNS message; vectors and arena keep their capacity on clear().
struct Message {
  bool present = false;
  uint16_t id = 0;
  uint16_t flags = 0;
  std::vector<Query> queries;
  std::vector<Record> answers;
  std::vector<Record> authorities;
  std::vector<Record> additionals;
  std::vector<Span> strings;  // TXT character-strings
  std::vector<OptEntry> options;
  std::string arena;

  void clear();
  std::string_view text(Span s) const { return std::string_view(arena).substr(s.offset, s.length); }
  std::string_view text(const Name& n) const { return text(n.text); }
  uint8_t opcode() const { return static_cast<uint8_t>((flags >> 11) & 0xf); }
  uint8_t rcode() const { return static_cast<uint8_t>(flags & 0xf); }
  bool is_response() const { return (flags & 0x8000) != 0; }
};

// Anomalies met while parsing one message (Suricata event names above).
struct ParseEvents {
  std::string_view names[8];
  uint8_t count = 0;
  void add(std::string_view name);
};

enum class MessageStatus : uint8_t {
  kOk,
  kTooShort,  // not even a header: nothing parsed
  kMalformed, // header parsed; queries/answers incomplete (malformed_data)
};

// Parses one whole message (without the TCP length prefix) into `out`.
// Authorities/additionals that fail to parse keep what was read and raise
// invalid_authorities / invalid_additionals.
MessageStatus parse_message(ByteView data, Message& out, ParseEvents& events);

// Header plausibility as Suricata's probe checks it: opcode < 7, the counts
// fit in `message_len`, at least one question.
bool plausible_header(ByteView header, size_t message_len);

// One DNS message (Suricata 7/8 numbering: a request and its response are
// two transactions); exactly one of request/response is set.
struct DnsTx : Transaction {
  uint16_t dns_id = 0;
  Message request;   // the to-server message, when this transaction is one
  Message response;  // the to-client message, when this transaction is one
  const Message& message(Direction d) const { return d == Direction::kToServer ? request : response; }
};

class DnsState final : public ProtocolState {
 public:
  ParseResult parse(Direction dir, ByteView data, const ParseContext& ctx) override;
  bool gap(Direction dir, uint32_t len) override;
  void end_of_stream(Direction dir) override;
  size_t tx_count() const override { return active_.size(); }
  Transaction* tx_at(size_t index) override {
    return index < active_.size() ? active_[index].get() : nullptr;
  }
  void remove_done() override;

  const DnsTx* dns_tx_at(size_t index) const {
    return index < active_.size() ? active_[index].get() : nullptr;
  }

 private:
  void handle_message(Direction dir, ByteView message);
  DnsTx& new_tx();

  // UDP flow whose first datagram was a response (the flow table took the
  // server for the client): directions are swapped from then on, as
  // Suricata's UDP probing reverses such flows.
  bool reversed_ = false;
  bool first_seen_ = false;
  std::vector<std::unique_ptr<DnsTx>> active_;
  std::vector<std::unique_ptr<DnsTx>> spare_;
  uint64_t next_tx_id_ = 0;
  // TCP: a partial length-prefixed message per direction (at most 2 + 65535 bytes).
  std::string pending_[2];
  bool resync_[2] = {false, false};  // after a gap: wait for a plausible message start
  ParseEvents scratch_events_;
};

ProbeResult probe(Direction dir, ByteView data);
std::unique_ptr<ProtocolState> create_state();

// Suricata's names: "A", "AAAA", ... or the number as text in `buf`.
std::string_view rrtype_name(uint16_t type, char (&buf)[8]);
// "NOERROR", "NXDOMAIN", ... or the number as text in `buf`.
std::string_view rcode_name(uint8_t rcode, char (&buf)[8]);
// Reverse lookups for rule options (case-insensitive); false when unknown.
bool rrtype_from_name(std::string_view name, uint16_t& out);
bool rcode_from_name(std::string_view name, uint16_t& out);

// The AppProto id of "dns" (looked up once).
AppProto dns_app_proto();

// EVE "dns" object members for one direction of a transaction (dns_eve.cc).
void log_tx(const ProtocolState& state, const Transaction& tx, const LogContext& ctx,
            JsonWriter& w);
// Suricata's set_string_from_bytes: valid UTF-8 as is, else bytes >= 0x80 as
// the four characters "\xNN".
void write_bytes_string(JsonWriter& w, std::string_view bytes);

}  // namespace seawall::applayer::dns
