// The application-layer contract every protocol folder implements
// (src/applayer/<proto>/): a ProtocolDescriptor registered once at static-init
// time, a per-flow ProtocolState that parses in-order bytes per direction and
// holds Transactions, and an EVE logger for a transaction.
//
// The framework (app_layer_flow.h) owns protocol detection, calls parse()
// with reassembled TCP data or one UDP datagram at a time, runs detection on a
// transaction's direction once that direction is complete (or the flow ends),
// writes the EVE record once the transaction is complete, and then lets the
// protocol drop it.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "core/byte_view.h"
#include "core/timestamp.h"
#include "flow/app_proto.h"

namespace seawall {
class JsonWriter;
struct Flow;
}  // namespace seawall

namespace seawall::applayer {

enum class Direction : uint8_t { kToServer = 0, kToClient = 1 };
constexpr int dir_index(Direction d) { return static_cast<int>(d); }

inline constexpr int kMaxTxEvents = 8;

// Base of every protocol's transaction (struct HttpTx : Transaction { ... }).
// A protocol sets `complete[dir]` when that direction's part is parsed (e.g.
// request line + headers + body), and adds events for anomalies it met.
struct Transaction {
  virtual ~Transaction() = default;
  uint64_t id = 0;                    // 0-based per flow, in creation order (EVE tx_id)
  std::array<bool, 2> complete{};     // per Direction: this direction's part is done
  // Framework bookkeeping: the EVE record was written / detection ran per direction.
  bool logged = false;
  std::array<bool, 2> inspected{};
  // App-layer anomalies (protocol's own event names, e.g. "request_header_invalid";
  // EVE anomaly type "applayer", event "<proto>.<name>", keyword app-layer-event).
  std::array<std::string_view, kMaxTxEvents> events{};
  uint8_t event_count = 0;

  void add_event(std::string_view name) {
    for (uint8_t i = 0; i < event_count; ++i)
      if (events[i] == name) return;
    if (event_count < kMaxTxEvents) events[event_count++] = name;
  }
  bool done() const { return logged && inspected[0] && inspected[1]; }
  // Resets the base fields (for protocols that recycle transaction objects).
  void reset_base(uint64_t new_id) {
    id = new_id;
    complete = {};
    logged = false;
    inspected = {};
    event_count = 0;
  }
};

struct ParseContext {
  Timestamp ts;
  bool udp = false;          // data is one datagram (else a TCP stream chunk)
  const Flow* flow = nullptr;
};

enum class ParseResult : uint8_t {
  kOk,
  kError,  // not this protocol / unrecoverable: the framework stops parsing the flow
};

// Per-flow state of one protocol, created when the flow's protocol is known.
// Allocation here is per flow/transaction, never per packet in steady state:
// recycle transaction objects and keep string capacity.
class ProtocolState {
 public:
  virtual ~ProtocolState() = default;
  // In-order bytes of one direction. TCP: any split (a request may arrive one
  // byte at a time, or several pipelined requests in one call). UDP: one datagram.
  virtual ParseResult parse(Direction dir, ByteView data, const ParseContext& ctx) = 0;
  // `len` bytes of `dir` are missing; return false to stop parsing the flow.
  virtual bool gap(Direction /*dir*/, uint32_t /*len*/) { return false; }
  // No more data in `dir` (FIN/RST/flow end): finish what can be finished.
  virtual void end_of_stream(Direction /*dir*/) {}
  // Transactions, oldest first.
  virtual size_t tx_count() const = 0;
  virtual Transaction* tx_at(size_t index) = 0;
  // Drop (or recycle) transactions whose done() is true.
  virtual void remove_done() = 0;
  // Encrypted/opaque payload follows in both directions (TLS after the
  // handshake, SSH after NEWKEYS): the framework stops handing data over.
  virtual bool no_more_inspection() const { return false; }
};

// Content probe: decides from the first bytes of one direction.
enum class ProbeResult : uint8_t { kNo, kNeedMore, kYes };
using ProbeFn = ProbeResult (*)(Direction dir, ByteView data);
using CreateStateFn = std::unique_ptr<ProtocolState> (*)();

// What the logger is writing for.
enum class LogKind : uint8_t { kRecord, kAlert };
struct LogContext {
  LogKind kind = LogKind::kRecord;
  Direction dir = Direction::kToServer;  // per-direction logging / the alert's direction
};
// Writes the members of the protocol's EVE object (the framework has already
// written `"<eve_type>": {` and closes it).
using LogTxFn = void (*)(const ProtocolState& state, const Transaction& tx, const LogContext& ctx,
                         JsonWriter& w);

struct ProtocolDescriptor {
  std::string_view name;                    // "http": EVE app_proto and rule header name
  std::vector<std::string_view> aliases;    // "http1"
  std::string_view help;
  bool tcp = false;
  bool udp = false;
  std::vector<uint16_t> ports;              // ports probed for this protocol first
  ProbeFn probe = nullptr;                  // content probe (any port, both directions)
  // Probing pass for this protocol needs at least this many bytes to say kNo.
  uint32_t probe_min_bytes = 1;
  CreateStateFn create = nullptr;
  std::string_view eve_type;                // "http": EVE event_type and alert object key
  LogTxFn log = nullptr;                    // nullptr: no EVE record
  // true: one EVE record per direction as each completes (DNS request and
  // response), LogContext::dir says which; false: one record per transaction
  // once both directions are complete or the flow ends.
  bool log_per_direction = false;
  // Whether `dir` of `tx` has something to log (a DNS response without its
  // request has no request side; an SSH side without a banner). Per-direction
  // logging skips such a side; per-transaction logging skips a transaction
  // with neither. nullptr: always.
  bool (*has_record)(const Transaction& tx, Direction dir) = nullptr;
  // Files carried by transactions (HTTP bodies and uploads): how many `tx`
  // has, the direction file `index` travels in, and the members of its EVE
  // "fileinfo" object. nullptr: the protocol carries no files. Files are
  // logged with their transaction's record; one still open then is TRUNCATED.
  size_t (*file_count)(const Transaction& tx) = nullptr;
  Direction (*file_direction)(const Transaction& tx, size_t index) = nullptr;
  void (*log_file)(const Transaction& tx, size_t index, JsonWriter& w) = nullptr;
  // Whether the record of `dir` is addressed in that direction (src = the
  // sender, Suricata's LOG_DIR_PACKET: DNS version 3 responses) rather than
  // the flow's (src = client). nullptr: the flow's.
  bool (*log_in_packet_direction)(Direction dir) = nullptr;
};

// Registers a protocol (and its name/aliases as an AppProto id). Static init:
//   const AppProto kHttp = applayer::register_protocol({.name = "http", ...});
AppProto register_protocol(const ProtocolDescriptor& descriptor);
// nullptr for unknown/failed ids.
const ProtocolDescriptor* protocol_descriptor(AppProto id);

}  // namespace seawall::applayer
