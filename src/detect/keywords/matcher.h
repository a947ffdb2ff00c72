// What compiled rule options are at match time. One small class per keyword
// (keywords/<group>/<keyword>.cc), created by the keyword's setup function.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/byte_view.h"
#include "decode/packet.h"
#include "flow/app_proto.h"
#include "flow/flow.h"

namespace seawall::applayer {
struct Transaction;
}

namespace seawall::detect {

class DetectThread;

// Raw stream inspection: tells whether a match starting at a window position
// was already reported for the rule being verified (it is then still in the
// lookback and must not alert again).
class StreamMatchGuard {
 public:
  virtual ~StreamMatchGuard() = default;
  virtual bool already_reported(uint32_t window_pos) const = 0;
};

// Everything a matcher may look at for one packet.
struct MatchContext {
  const Packet& packet;
  Flow* flow;            // nullptr when the packet has no flow
  DetectThread& thread;  // per-thread scratch (byte_extract values, flow vars, buffers)
  // App-layer inspection: the transaction being inspected, its protocol and
  // the direction (0 to server, 1 to client) whose part just completed.
  // tx == nullptr for packet inspection. Buffer getters and app keywords
  // check tx_proto before casting tx to their protocol's type.
  const applayer::Transaction* tx = nullptr;
  AppProto tx_proto = kAppProtoUnknown;
  uint8_t tx_dir = 0;
  // Raw stream inspection: pkt_data is this window of the reassembled stream
  // instead of the packet's payload.
  const uint8_t* stream_data = nullptr;
  uint32_t stream_len = 0;
  uint32_t stream_new_offset = 0;  // window bytes before this were inspected before
  bool in_stream = false;
  const StreamMatchGuard* stream_guard = nullptr;
  // Direction for flow:to_server/to_client: the transaction's direction when
  // inspecting one, else the packet's.
  bool to_server() const { return tx != nullptr ? tx_dir == 0 : packet.to_server; }
  // The pkt_data buffer: the stream window or the packet payload.
  ByteView pkt_data() const {
    if (in_stream) return ByteView(stream_data, stream_len);
    return ByteView(packet.payload, packet.payload != nullptr ? packet.payload_len : 0);
  }
};

// Packet- and flow-level conditions (ttl, flags, dsize, flow, flowbits isset...).
class PacketMatcher {
 public:
  virtual ~PacketMatcher() = default;
  virtual bool match(const MatchContext& ctx) const = 0;
};

// Where a payload matcher is in a buffer: Suricata's content-inspection state.
struct InspectionCursor {
  const uint8_t* data = nullptr;
  uint32_t len = 0;
  uint32_t prev_end = 0;  // end of the previous match (relative keywords start here)
  // Values stored by byte_extract / byte_math for later keywords (by slot index).
  int64_t* vars = nullptr;
};

// Result of trying a payload matcher once.
struct PayloadMatch {
  bool matched = false;
  uint32_t start = 0;  // where the match began (for retries: next search starts after it)
  uint32_t end = 0;    // becomes prev_end for the next keyword
};

// content, pcre, byte_test, byte_jump, byte_extract, byte_math, isdataat, bsize,
// base64_decode ... evaluated in rule order over one buffer, with Suricata's
// backtracking: when a later relative keyword fails, an earlier content/pcre is
// retried from its next occurrence (see engine/inspect.cc).
class PayloadMatcher {
 public:
  virtual ~PayloadMatcher() = default;
  // Tries to match with the search starting no earlier than `search_from`
  // (absolute offset in the buffer). Negated matchers report matched=true
  // when the pattern is absent.
  virtual PayloadMatch match(const MatchContext& ctx, InspectionCursor& cursor,
                             uint32_t search_from) const = 0;
  // content and pcre can match again further on; byte_* and isdataat cannot.
  virtual bool can_retry() const { return false; }
  // Relative to the previous match (distance/within, /R, relative flag).
  virtual bool is_relative() const { return false; }
};

// Transforms (to_lowercase, url_decode, to_sha256, ...) rewrite a buffer
// before inspection; output goes to a per-thread scratch buffer.
class Transform {
 public:
  virtual ~Transform() = default;
  virtual void apply(std::span<const uint8_t> in, std::vector<uint8_t>& out) const = 0;
  virtual std::string_view name() const = 0;
};

// Run after a rule matched (flowbits set/unset/toggle, flowint +=, xbits, tag).
// Returns false to suppress the alert (noalert-like behaviour stays in Rule).
class PostMatcher {
 public:
  virtual ~PostMatcher() = default;
  virtual void apply(const MatchContext& ctx) const = 0;
};

}  // namespace seawall::detect
