// A worker owns everything on one packet's path: decoder state, its flows,
// detection state, its EVE buffer and counters. Nothing here is shared with
// another worker except the (immutable) detection engine and the output sinks.
#pragma once

#include <array>
#include <cstdint>
#include <memory>

#include "core/counters.h"
#include "decode/decoder.h"
#include "detect/engine/alert.h"
#include "detect/engine/detect_engine.h"
#include "flow/flow_table.h"
#include "output/eve/eve_writer.h"
#include "output/fast_log.h"

namespace seawall {

struct WorkerConfig {
  const DecodeOptions* decode = nullptr;
  FlowConfig flow;           // memcap already divided among workers
  const EveConfig* eve = nullptr;
  const detect::DetectEngine* detect = nullptr;  // nullptr: detection disabled
  EveSink* fast_log = nullptr;                   // nullptr: no fast.log
};

class Worker : private FlowEndSink {
 public:
  Worker(const WorkerConfig& config, EveSink& sink);
  ~Worker() override;
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Decodes one captured frame and every tunnel payload inside it, tracks
  // their flows, runs detection and logs alerts and anomalies.
  void process_frame(Timestamp ts, uint64_t pcap_cnt, const uint8_t* data, uint32_t caplen,
                     uint32_t wirelen, LayerKind link);
  // The packet clock moved on: expire idle flows.
  void tick(Timestamp now);
  // End of input: end all flows, flush output.
  void finish(Timestamp now);

  const ThreadCounters& counters() const { return counters_; }
  void flush_output();

 private:
  void handle_packet(Packet& p);
  // Flow ended (timeout, eviction, shutdown): release detection state, log it.
  void on_flow_end(const Flow& flow, FlowEndReason reason, Timestamp now) override;

  ThreadCounters counters_;
  DecodeContext decode_;
  FlowTable flows_;
  EveWriter eve_;
  const EveConfig& eve_config_;
  std::unique_ptr<detect::DetectThread> detect_;
  detect::PacketAlerts alerts_;
  std::unique_ptr<FastLogWriter> fast_log_;
  std::array<Packet, kMaxTunnelDepth> packets_{};
};

}  // namespace seawall
