// Per-worker EVE writer: renders records into a thread-local buffer and hands
// complete lines to the shared EveSink in batches.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/timestamp.h"
#include "decode/packet.h"
#include "flow/flow.h"
#include "flow/flow_table.h"
#include "output/eve/eve_sink.h"

namespace seawall {

struct EveConfig {
  bool enabled = true;
  bool flow = true;
  bool anomaly = true;
  bool anomaly_decode = true;
  bool stats = true;
  bool stats_totals = true;
  bool stats_threads = false;
  bool stats_deltas = false;
  bool community_id = true;
  uint16_t community_id_seed = 0;
  bool ethernet = false;            // "ether" object with MACs
  bool include_pcap_filename = false;
  size_t batch_bytes = 64 * 1024;   // flush threshold per worker buffer
};

class EveWriter : public FlowEndSink {
 public:
  EveWriter(const EveConfig& config, EveSink& sink);
  ~EveWriter() override;

  // One anomaly record per decoder event on p.
  void log_anomalies(const Packet& p);
  void on_flow_end(const Flow& flow, FlowEndReason reason, Timestamp now) override;
  // A stats record from merged counter values (indexed like all_counters()).
  void log_stats(Timestamp now, uint64_t uptime_seconds, const std::vector<uint64_t>& merged);

  // Hands buffered lines to the sink.
  void flush();

  uint64_t records_written() const { return records_; }

 private:
  void begin_record();
  void end_record();

  const EveConfig& config_;
  EveSink& sink_;
  std::string buffer_;
  size_t record_start_ = 0;
  uint64_t pending_lines_ = 0;
  uint64_t records_ = 0;
};

}  // namespace seawall
