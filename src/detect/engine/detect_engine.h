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
#include "detect/keywords/keyword.h"
#include "detect/rules/rule.h"

namespace seawall::detect {

struct DetectConfig {
  std::vector<std::string> rule_files;      // as given (-S/-s or rule-files:)
  std::string default_rule_path;            // rule files without '/' resolve here
  std::string classification_file;          // "" = none
  std::string reference_file;               // "" = none
  std::string threshold_file;               // "" = none
  std::map<std::string, std::string> address_vars;
  std::map<std::string, std::string> port_vars;
  bool stats_per_rule = false;
};

// One rule that did not load, reported as "file:line: sid N: reason".
struct RuleFailure {
  std::string file;
  int line = 0;
  uint32_t sid = 0;
  std::string reason;
  std::string keyword;  // the unsupported keyword, when that is the reason
  bool unsupported = false;  // known keyword/protocol not available yet (vs. a rule error)
  std::string text;
};

struct LoadReport {
  size_t files = 0;
  size_t rules_seen = 0;
  size_t loaded = 0;
  size_t failed = 0;        // syntax / semantic errors
  size_t unsupported = 0;   // valid rules needing something not built yet
  std::map<std::string, size_t> unsupported_keywords;  // keyword -> rules
  std::vector<RuleFailure> failures;
  double load_seconds = 0;
  size_t ip_only_rules = 0;
  size_t prefilter_rules = 0;
  size_t groups = 0;
};

class DetectEngine {
 public:
  // Loads and compiles every rule file. Throws std::runtime_error only when
  // nothing can work (a rule file that cannot be read is a failure entry).
  static std::unique_ptr<DetectEngine> load(const DetectConfig& config, LoadReport& report);
  ~DetectEngine();

  const std::vector<std::unique_ptr<Rule>>& rules() const;

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

  // Runs every stage on p (and its flow); fills `alerts`.
  void inspect(Packet& p, PacketAlerts& alerts);

  // Flow ended: release its detection state (flowbits, flowints).
  void on_flow_end(Flow& flow);

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace seawall::detect
