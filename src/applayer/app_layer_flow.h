// The per-worker app-layer driver: identifies each flow's protocol from its
// first bytes (ports first, then every protocol's probe, both directions),
// feeds the protocol's parser with reassembled TCP data or UDP datagrams, and
// hands transactions on as they progress: detection once a direction of a
// transaction is complete, the EVE record once the transaction is complete
// (or per direction), both at flow end for whatever is left.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "applayer/app_layer.h"
#include "core/byte_view.h"
#include "core/counters.h"
#include "decode/packet.h"
#include "flow/flow.h"

namespace seawall::applayer {

struct AppLayerConfig {
  // Protocols switched off (app-layer.protocols.<name>.enabled: no).
  std::vector<std::string> disabled;
  // Bytes buffered per direction while the protocol is unknown; past this the
  // flow's protocol is "failed".
  uint32_t probe_limit = 4096;
};

// What the app layer produces, implemented by the worker.
class AppLayerSink {
 public:
  virtual ~AppLayerSink() = default;
  // Direction `dir` of `tx` is complete: run app-layer detection. `p` is the
  // packet that completed it, or nullptr at flow end.
  virtual void inspect_tx(Flow& flow, Packet* p, AppProto proto, const ProtocolState& state,
                          const Transaction& tx, Direction dir) = 0;
  // Write the EVE record of `tx` (for `ctx.dir` when the protocol logs per direction).
  virtual void log_tx(Flow& flow, Packet* p, AppProto proto, const ProtocolState& state,
                      const Transaction& tx, const LogContext& ctx) = 0;
  // App-layer anomaly events of `tx` (EVE anomaly type "applayer").
  virtual void tx_events(Flow& flow, Packet* p, AppProto proto, const Transaction& tx) = 0;
  // The files of `tx` (protocols with ProtocolDescriptor::file_count), once,
  // when the transaction's record is due.
  virtual void log_files(Flow& /*flow*/, Packet* /*p*/, AppProto /*proto*/,
                         const ProtocolState& /*state*/, const Transaction& /*tx*/) {}
};

// Per-flow app-layer state (Flow::app), from a per-worker pool.
struct FlowAppState {
  std::unique_ptr<ProtocolState> parser;
  std::string probe_buffer[2];  // bytes seen while the protocol is unknown
  bool probe_failed[2] = {false, false};
  bool parse_stopped = false;    // parser error, gap it could not handle, or encrypted
  bool ended[2] = {false, false};
  void reset();
};

class AppLayer {
 public:
  AppLayer(const AppLayerConfig& config, ThreadCounters& counters);
  ~AppLayer();
  AppLayer(const AppLayer&) = delete;
  AppLayer& operator=(const AppLayer&) = delete;

  // In-order TCP bytes of one direction (from the reassembler).
  void on_stream_data(Flow& flow, Packet* p, Direction dir, ByteView data, AppLayerSink& sink);
  void on_stream_gap(Flow& flow, Packet* p, Direction dir, uint32_t len, AppLayerSink& sink);
  void on_stream_end(Flow& flow, Packet* p, Direction dir, AppLayerSink& sink);
  // One UDP datagram of a flow.
  void on_udp(Flow& flow, Packet& p, AppLayerSink& sink);
  // Flow end: finishes, inspects and logs every transaction left, then frees
  // the flow's state.
  void end_flow(Flow& flow, AppLayerSink& sink);

  bool enabled(AppProto proto) const;

 private:
  FlowAppState& state_for(Flow& flow);
  // Tries to identify the protocol; true once flow.app_proto is known (not failed).
  bool detect(Flow& flow, Direction dir, bool udp, ByteView data, uint16_t server_port);
  void parse(Flow& flow, Packet* p, Direction dir, ByteView data, bool udp, AppLayerSink& sink);
  void start_parser(Flow& flow, AppProto proto);
  // No protocol could be identified: app_proto "failed", counted.
  void fail_detection(Flow& flow);
  // Hands completed transaction directions on; `force` at flow end.
  void progress(Flow& flow, Packet* p, AppLayerSink& sink, bool force);

  const AppLayerConfig config_;
  ThreadCounters& counters_;
  std::vector<bool> enabled_;                 // by AppProto id
  // The enabled protocols with a probe, by transport (0 TCP, 1 UDP), in id
  // order: detection walks these instead of the whole registry.
  struct Prober {
    AppProto id;
    const ProtocolDescriptor* descriptor;
  };
  std::vector<Prober> probers_[2];
  std::vector<FlowAppState*> free_states_;
  std::vector<std::unique_ptr<FlowAppState>> all_states_;
};

}  // namespace seawall::applayer
