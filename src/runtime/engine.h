// Runs a capture through the pipeline in one of Suricata's runmodes:
//   single  — one thread reads and processes;
//   autofp  — one reader hashes frames by symmetric flow hash onto N workers;
//   workers — for files, N workers each read the whole input and keep the
//             frames that hash to them (no reader thread, no queues); for
//             libpcap interfaces, which cannot be read twice, as autofp.
// The reader also broadcasts the packet clock to every worker, so flow
// timeouts, and therefore the events produced, do not depend on thread count.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "applayer/app_layer_flow.h"
#include "capture/source.h"
#include "decode/decoder.h"
#include "detect/engine/detect_engine.h"
#include "flow/flow_table.h"
#include "output/eve/eve_sink.h"
#include "output/eve/eve_writer.h"
#include "stream/defrag.h"
#include "stream/tcp_reassembly.h"

namespace seawall {

enum class RunMode { kSingle, kAutofp, kWorkers };

struct EngineConfig {
  RunMode runmode = RunMode::kAutofp;
  unsigned threads = 0;  // 0 = detect_thread_ratio x CPU cores
  double detect_thread_ratio = 1.0;
  DecodeOptions decode;
  FlowConfig flow;
  stream::StreamConfig stream;       // memcaps for the whole engine (divided among workers)
  stream::DefragConfig defrag;
  bool defrag_enabled = true;
  applayer::AppLayerConfig app_layer;
  bool app_layer_enabled = true;
  bool ips_mode = false;  // --simulate-ips: drop/reject rules block packets
  EveConfig eve;
  EveSinkConfig eve_sink;
  bool stats_enabled = true;
  uint32_t stats_interval_seconds = 8;
  size_t ring_bytes_per_worker = 16u << 20;
  const detect::DetectEngine* detect = nullptr;  // nullptr: no rules / --disable-detection
  std::optional<EveDetectEngineInfo> detect_info;  // stats "detect.engines" (with rules)
  bool fast_log = true;                          // outputs.fast (written only with rules)
  EveSinkConfig fast_log_sink;                   // path set by the caller
};

struct RunSummary {
  uint64_t frames = 0;
  uint64_t bytes = 0;
  std::vector<uint64_t> counters;  // merged, indexed like all_counters()
  EveSinkStats eve;
  double seconds = 0;
};

class Engine {
 public:
  explicit Engine(const EngineConfig& config);
  ~Engine();

  // Processes the whole source; returns what happened.
  RunSummary run(CaptureSource& source);
  // Signal-safe stop request (SIGINT/SIGTERM).
  void request_stop() { stop_.store(true, std::memory_order_relaxed); }

 private:
  struct Impl;
  const EngineConfig& config_;
  std::atomic<bool> stop_{false};
};

unsigned effective_worker_count(const EngineConfig& config);

}  // namespace seawall
