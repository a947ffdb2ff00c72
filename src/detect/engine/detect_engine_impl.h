// Internals of DetectEngine / DetectThread, shared by the engine's .cc files
// and its unit tests. Not part of the stage's public interface.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "detect/engine/detect_engine.h"
#include "detect/engine/ip_only.h"
#include "detect/engine/thresholds.h"
#include "detect/keywords/flow/flow_detect_state.h"
#include "detect/keywords/flow/flow_keyword.h"
#include "detect/mpm/mpm.h"

namespace seawall::detect {

// Packet protocol classes rules are grouped by.
enum class ProtoClass : uint8_t { kTcp, kUdp, kIcmp, kSctp, kOther };
inline constexpr size_t kProtoClassCount = 5;
ProtoClass proto_class_of(const Packet& p);

// A set of rules scanned together: the Vectorscan databases of their fast
// patterns (one per buffer) and the rules with no fast pattern.
struct RuleGroup {
  std::vector<uint32_t> rules;          // internal ids, sorted
  std::vector<uint32_t> non_prefilter;  // internal ids, sorted
  struct BufferDatabase {
    uint16_t buffer_id = 0;
    // Non-null: the patterns are in the buffer after this inspection's
    // transforms (dns.query; dotprefix; ...), which the scan applies first.
    const BufferInspection* transformed = nullptr;
    std::unique_ptr<MpmDatabase> db;
  };
  std::vector<BufferDatabase> databases;
};

// The groups one packet may need, for one protocol class and direction:
// rules for any port, plus per-port groups for rules with small explicit
// port lists. Candidates = any ∪ by_dport[dport] ∪ by_sport[sport].
struct DirectionGroups {
  const RuleGroup* any = nullptr;
  std::vector<uint32_t> by_dport;  // 65536 entries when used: 0 = none, else index + 1
  std::vector<uint32_t> by_sport;
  std::vector<const RuleGroup*> port_groups;
  const RuleGroup* dport_group(uint16_t port) const {
    return by_dport.empty() || by_dport[port] == 0 ? nullptr : port_groups[by_dport[port] - 1u];
  }
  const RuleGroup* sport_group(uint16_t port) const {
    return by_sport.empty() || by_sport[port] == 0 ? nullptr : port_groups[by_sport[port] - 1u];
  }
};

// Suppression from threshold.config ("suppress gen_id 1, sig_id 0, track by_src, ip ...").
struct Suppression {
  uint32_t gid = 1;
  uint32_t sid = 0;          // 0: every rule of the gid
  enum class Track : uint8_t { kNone, kBySrc, kByDst, kByEither } track = Track::kNone;
  AddressSet addresses;      // for tracked suppressions
};

// How a rule's pkt_data content meets TCP payloads (Suricata's
// SIG_FLAG_REQUIRE_STREAM / SIG_FLAG_REQUIRE_PACKET).
enum class PayloadMode : uint8_t {
  kPacket,           // the packet's payload only (no pkt_data content, UDP..., no_stream)
  kStreamAndPacket,  // TCP: the reassembled stream; the packet when not part of it
  kStreamOnly,       // flow:only_stream, tcp-stream
};

// Per-rule facts the engine derived at build time (indexed by internal id).
struct RuleInfo {
  FastPattern fast_pattern;  // present = prefiltered
  // The inspection whose transforms the prefilter applies before scanning
  // for fast_pattern; nullptr when the pattern is in the raw buffer.
  const BufferInspection* fast_pattern_transformed = nullptr;
  FlowDirection direction = FlowDirection::kBoth;
  bool has_threshold = false;  // effective: rule keyword or threshold.config
  ThresholdSpec threshold;
  bool suppressed_always = false;         // untracked suppress
  // threshold.config rate_filter: while its rate is exceeded the alert takes
  // rate_action (pass: no alert, and none after it on the packet).
  bool has_rate_filter = false;
  bool rate_changes_action = false;  // false for new_action log/sdrop, as Suricata
  Action rate_action = Action::kAlert;
  ThresholdSpec rate_filter;
  // App layer: the protocol the rule needs (header "alert http", app
  // buffers, app keywords); kAppProtoUnknown for packet rules. tx rules are
  // inspected per transaction direction (tx_dirs bit 0 to server, bit 1 to
  // client); other rules with an app protocol run on packets of flows of it.
  AppProto app_proto = kAppProtoUnknown;
  bool tx_rule = false;
  uint8_t tx_dirs = 3;
  PayloadMode payload_mode = PayloadMode::kPacket;
  // A drop/pass of this rule acts on the whole flow (see detect_engine.cc).
  bool flow_action = false;
  std::vector<const Suppression*> suppressions;  // tracked ones
};

struct DetectEngine::Impl {
  std::vector<std::unique_ptr<Rule>> rules;    // active, by internal id
  std::vector<std::unique_ptr<Rule>> skipped;  // loaded but not inspectable yet
  std::vector<RuleInfo> info;
  std::vector<std::unique_ptr<RuleGroup>> group_storage;
  std::array<std::array<DirectionGroups, 2>, kProtoClassCount> groups;  // [class][to_client]
  IpOnlyTable ip_only;
  std::vector<Suppression> suppressions;
  MpmScratch scratch_prototype;  // sized for every database; cloned per thread
  uint32_t flowbit_count = 0;
  uint32_t flowint_count = 0;
  uint32_t max_byte_vars = 0;
  uint32_t packet_alert_max = kMaxPacketAlerts;
  bool has_stream_rules = false;  // some rule inspects the reassembled stream
  // Decoder-event rules with `any` addresses and ports: the only rules for
  // packets whose IP layer could not be decoded (Suricata's decoder-event
  // group), e.g. decode-event:ipv4.pkt_too_small.
  std::vector<uint32_t> decoder_event_rules;
  // Transaction rules by app protocol and direction (0 to server, 1 to client).
  std::array<std::array<const RuleGroup*, 2>, kMaxAppProtos> tx_groups{};

  const DirectionGroups& groups_for(const Packet& p) const {
    return groups[static_cast<size_t>(proto_class_of(p))][p.to_server ? 0 : 1];
  }
};

// The engine's flow state: the keywords' FlowDetectState plus what the engine
// itself remembers per flow.
struct PooledFlowState : FlowDetectState {
  PooledFlowState(uint32_t flowbits, uint32_t flowints) : FlowDetectState(flowbits, flowints) {}
  // IP-only rules are evaluated once per flow direction, as in Suricata
  // (FLOW_TOSERVER_IPONLY_SET / FLOW_TOCLIENT_IPONLY_SET).
  bool ip_only_done[2] = {false, false};
  // Raw stream matches reported lately (rule, direction, stream offset of the
  // match's first byte): a lookback still holding one must not report it again.
  struct StreamAnchor {
    uint32_t rule = UINT32_MAX;
    uint8_t dir = 0;
    uint64_t offset = 0;
  };
  std::array<StreamAnchor, 8> stream_anchors{};
  uint8_t next_anchor = 0;
  void reset() {
    clear();
    ip_only_done[0] = ip_only_done[1] = false;
    stream_anchors.fill(StreamAnchor{});
    next_anchor = 0;
  }
};

// Pool of FlowDetectState objects for one thread. States are made in chunks
// (amortised: no allocation per packet once warm) and reused after flow end.
class FlowStatePool {
 public:
  FlowStatePool(uint32_t flowbit_count, uint32_t flowint_count, size_t max_states);
  PooledFlowState* acquire();  // nullptr when max_states are in use
  // Returns a state this pool made; false (and nothing done) otherwise.
  bool release(FlowDetectState* state);
  // The pooled view of a state this pool made, else nullptr.
  PooledFlowState* owned(FlowDetectState* state) const;
  size_t in_use() const { return in_use_; }

 private:
  uint32_t flowbit_count_, flowint_count_;
  size_t max_states_;
  size_t in_use_ = 0;
  std::deque<std::vector<PooledFlowState>> chunks_;
  std::vector<PooledFlowState*> free_;
};

struct DetectThread::Impl {
  Impl(const DetectEngine::Impl& e, ThreadCounters& c);

  const DetectEngine::Impl& engine;
  ThreadCounters& counters;
  MpmScratch scratch;
  CandidateSet candidates;
  std::vector<int64_t> byte_vars;
  ThresholdTracker thresholds;
  FlowStatePool flow_states;
  bool flow_state_exhausted_reported = false;
  // The packet being inspected: its raw stream chunk (empty when it delivered
  // no stream data) and whether pkt_data prefilter must scan its payload too.
  ByteView stream_window;
  uint32_t stream_new_offset = 0;
  uint64_t stream_offset = 0;  // of stream_window[0]
  bool scan_payload = true;
};

}  // namespace seawall::detect
