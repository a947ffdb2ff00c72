// A worker owns everything on one packet's path: decoder state, its flows,
// detection state, its EVE buffer and counters. Nothing here is shared with
// another worker except the (immutable) detection engine and the output sinks.
#pragma once

#include <array>
#include <cstdint>
#include <memory>

#include "applayer/app_layer_flow.h"
#include "core/counters.h"
#include "decode/decoder.h"
#include "detect/engine/alert.h"
#include "detect/engine/detect_engine.h"
#include "flow/flow_table.h"
#include "output/eve/eve_writer.h"
#include "output/fast_log.h"
#include "stream/defrag.h"
#include "stream/tcp_reassembly.h"

namespace seawall {

struct WorkerConfig {
  const DecodeOptions* decode = nullptr;
  FlowConfig flow;           // memcap already divided among workers
  const EveConfig* eve = nullptr;
  const detect::DetectEngine* detect = nullptr;  // nullptr: detection disabled
  EveSink* fast_log = nullptr;                   // nullptr: no fast.log
  stream::StreamConfig stream;                   // memcaps already divided among workers
  stream::DefragConfig defrag;
  applayer::AppLayerConfig app_layer;
  bool defrag_enabled = true;                    // defrag.enabled
  bool app_layer_enabled = true;                 // app-layer parsing (and TCP reassembly for it)
  // IPS mode (--simulate-ips): packets of dropped flows are not reassembled
  // nor parsed, and the ips.* counters count the verdicts.
  bool ips_mode = false;
};

class Worker : private FlowEndSink,
               private stream::StreamSink,
               private applayer::AppLayerSink {
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
  // Flow ended (timeout, eviction, shutdown): flush its stream and app-layer
  // state, release detection state, log it.
  void on_flow_end(const Flow& flow, FlowEndReason reason, Timestamp now) override;

  // stream::StreamSink: reassembled bytes go to the app layer.
  void on_stream_data(Flow& flow, Packet* p, stream::StreamDirection dir, ByteView data) override;
  void on_stream_gap(Flow& flow, Packet* p, stream::StreamDirection dir, uint32_t len) override;
  void on_stream_end(Flow& flow, Packet* p, stream::StreamDirection dir) override;

  // applayer::AppLayerSink: transactions to detection and EVE.
  void inspect_tx(Flow& flow, Packet* p, AppProto proto, const applayer::ProtocolState& state,
                  const applayer::Transaction& tx, applayer::Direction dir) override;
  void log_tx(Flow& flow, Packet* p, AppProto proto, const applayer::ProtocolState& state,
              const applayer::Transaction& tx, const applayer::LogContext& ctx) override;
  void tx_events(Flow& flow, Packet* p, AppProto proto, const applayer::Transaction& tx) override;
  void log_files(Flow& flow, Packet* p, AppProto proto, const applayer::ProtocolState& state,
                 const applayer::Transaction& tx) override;

  // The packet a transaction direction is inspected and logged on: p when it
  // travels that way, else a pseudo packet built from the flow (flow end, or
  // completion triggered by the other side), as Suricata's pseudo packets.
  Packet& packet_for(Flow& flow, Packet* p, bool to_server);
  void log_alerts(const Packet& p, const EveAppObject* app, const detect::PacketAlerts& verdict);
  // The packet's verdict is final: drop record and ips.* counters.
  void finish_verdict(const Packet& p);

  ThreadCounters counters_;
  DecodeContext decode_;
  FlowTable flows_;
  EveWriter eve_;
  const EveConfig& eve_config_;
  std::unique_ptr<detect::DetectThread> detect_;
  detect::PacketAlerts alerts_;
  // The verdict of the packet being handled, over its transactions and
  // itself; skip_detect_: its flow was already dropped or passed.
  detect::PacketAlerts verdict_;
  bool skip_detect_ = false;
  bool ips_mode_ = false;
  std::unique_ptr<FastLogWriter> fast_log_;
  // One slot per tunnel level, plus one for a reassembled datagram (at most
  // one defragmentation per frame).
  std::array<Packet, kMaxTunnelDepth + 1> packets_{};
  Packet pseudo_{};
  std::unique_ptr<stream::Defragmenter> defrag_;
  std::unique_ptr<stream::TcpReassembler> reassembler_;
  std::unique_ptr<applayer::AppLayer> app_layer_;
};

}  // namespace seawall
