// The detection engine: rules loaded and compiled into groups with Vectorscan
// prefilter databases (immutable, shared by all workers), and the per-worker
// DetectThread that inspects packets.
//   group (proto/port/direction) -> prefilter (Vectorscan on fast patterns,
//   IP-only prefix lookup) -> verify (header, packet matchers, buffers) ->
//   post-rule (thresholds, suppression, pass, action order, alert queue).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/counters.h"
#include "decode/packet.h"
#include "detect/engine/alert.h"
#include "detect/engine/rule_order.h"
#include "detect/keywords/keyword.h"
#include "detect/rules/rule.h"
#include "stream/tcp_reassembly.h"

namespace seawall::detect {

struct DetectConfig {
  std::vector<std::string> rule_files;      // as given (-S/-s or rule-files:)
  std::vector<std::string> rule_texts;      // rules given as text (tests, tools): "<inline>":N
  std::string default_rule_path;            // rule files without '/' resolve here
  std::string classification_file;          // "" = none
  std::string reference_file;               // "" = none
  std::string threshold_file;               // "" = none
  std::map<std::string, std::string> address_vars;
  std::map<std::string, std::string> port_vars;
  bool stats_per_rule = false;
  // Suricata's packet-alert-max; clamped to [1, kMaxPacketAlerts].
  uint32_t packet_alert_max = kMaxPacketAlerts;
  // Suricata's action-order: which matching rule's action wins.
  ActionOrder action_order;
};

// One rule that did not load, reported as "file:line: sid N: reason".
struct RuleFailure {
  std::string file;
  int line = 0;
  uint32_t sid = 0;
  std::string reason;
  std::string keyword;  // the unsupported keyword, when that is the reason
  bool unsupported = false;  // known keyword/protocol not available yet (vs. a rule error)
  // Not an error: the rule's `requires` is not met, so it is skipped silently
  // (as Suricata does), or a duplicate sid gave way to a newer revision.
  bool skipped = false;
  std::string text;
};

struct LoadReport {
  size_t files = 0;
  size_t rules_seen = 0;
  size_t loaded = 0;
  size_t failed = 0;        // syntax / semantic errors
  size_t unsupported = 0;   // valid rules needing something not built yet
  // Not errors, not in the failed-rules file: `requires` not met, or an
  // earlier revision replaced by a later rule with the same gid:sid.
  size_t skipped = 0;
  size_t duplicates = 0;    // failed: same gid:sid and not a newer rev than the rule kept
  std::map<std::string, size_t> unsupported_keywords;  // keyword -> rules
  std::vector<RuleFailure> failures;
  double load_seconds = 0;     // parsing + building, wall clock
  double build_seconds = 0;    // of which: grouping, fast patterns, Vectorscan compiles
  size_t ip_only_rules = 0;
  size_t prefilter_rules = 0;      // rules with a fast pattern in a Vectorscan database
  size_t non_prefilter_rules = 0;  // checked on every packet of their group
  size_t app_layer_skipped = 0;    // app-layer rules that cannot match without the app layer
  std::map<std::string, size_t> app_layer_skipped_protocols;  // protocol -> rules
  size_t tx_rules = 0;             // rules inspected per app-layer transaction
  size_t stream_rules = 0;         // rules whose pkt_data content inspects the TCP stream
  size_t groups = 0;               // distinct rule groups (proto x direction x port)
  size_t mpm_databases = 0;
  size_t mpm_patterns = 0;         // distinct literals over all databases
  size_t mpm_bytes = 0;            // compiled database size
  size_t threshold_entries = 0;    // threshold.config entries applied
  std::vector<std::string> warnings;  // threshold.config problems, ignored entries
};

class DetectEngine {
 public:
  // Loads and compiles every rule file. Throws std::runtime_error only when
  // nothing can work (a rule file that cannot be read is a failure entry).
  static std::unique_ptr<DetectEngine> load(const DetectConfig& config, LoadReport& report);
  ~DetectEngine();

  // The active rules in internal-id order (Suricata's signature order:
  // action, flowbits setters before checkers, priority, sid). Rules skipped
  // at build time (app-layer rules without their app layer) are not here.
  const std::vector<std::unique_ptr<Rule>>& rules() const;

  // Whether some rule inspects the reassembled TCP stream (the stream stage
  // then collects raw chunks: stream::StreamConfig::raw_inspection).
  bool inspects_raw_stream() const;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  DetectEngine();
  std::unique_ptr<Impl> impl_;
};

// Per-worker detection state: Vectorscan scratch, buffers, counters.
class DetectThread {
 public:
  DetectThread(const DetectEngine& engine, ThreadCounters& counters);
  ~DetectThread();
  DetectThread(const DetectThread&) = delete;
  DetectThread& operator=(const DetectThread&) = delete;

  // Runs every stage on p (and its flow); fills `alerts`. `raw` is the
  // reassembled stream data p delivered (TCP, stream stage on), if any.
  void inspect(Packet& p, PacketAlerts& alerts, const stream::RawStreamChunk* raw = nullptr);

  // App-layer detection: direction `dir` (0 to server, 1 to client) of a
  // transaction of protocol `proto` on p's flow is complete. p is the packet
  // that completed it (or a pseudo packet of the flow at flow end).
  void inspect_tx(Packet& p, AppProto proto, const applayer::Transaction& tx, uint64_t tx_id,
                  uint8_t dir, PacketAlerts& alerts);

  // Flow ended: return its detection state (flowbits, flowints) to this
  // thread's pool. The flow table resets the Flow afterwards.
  void on_flow_end(const Flow& flow);

  // A packet of a flow a drop/pass rule already decided (Suricata's
  // FLOW_ACTION_DROP / FLOW_ACTION_PASS): records the verdict in `alerts`
  // (drop with reason "flow drop", or pass) and returns true — the packet is
  // then not inspected. False for flows still undecided.
  static bool apply_flow_action(const Packet& p, PacketAlerts& alerts);

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace seawall::detect
