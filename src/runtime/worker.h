// A worker owns everything on one packet's path: decoder state, its flows, its
// EVE buffer and counters. Nothing here is shared with another worker.
#pragma once

#include <array>
#include <cstdint>

#include "core/counters.h"
#include "decode/decoder.h"
#include "flow/flow_table.h"
#include "output/eve/eve_writer.h"

namespace seawall {

struct WorkerConfig {
  const DecodeOptions* decode = nullptr;
  FlowConfig flow;           // memcap already divided among workers
  const EveConfig* eve = nullptr;
};

class Worker {
 public:
  Worker(const WorkerConfig& config, EveSink& sink);
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Decodes one captured frame and every tunnel payload inside it, tracks
  // their flows and logs their anomalies.
  void process_frame(Timestamp ts, uint64_t pcap_cnt, const uint8_t* data, uint32_t caplen,
                     uint32_t wirelen, LayerKind link);
  // The packet clock moved on: expire idle flows.
  void tick(Timestamp now);
  // End of input: end all flows, flush output.
  void finish(Timestamp now);

  const ThreadCounters& counters() const { return counters_; }
  void flush_output() { eve_.flush(); }

 private:
  void handle_packet(Packet& p);

  ThreadCounters counters_;
  DecodeContext decode_;
  FlowTable flows_;
  EveWriter eve_;
  const EveConfig& eve_config_;
  std::array<Packet, kMaxTunnelDepth> packets_{};
};

}  // namespace seawall
