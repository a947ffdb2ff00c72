// Per-worker EVE writer: renders records into a thread-local buffer and hands
// complete lines to the shared EveSink in batches.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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
  bool anomaly_stream = true;
  bool anomaly_applayer = true;
  bool stats = true;
  bool stats_totals = true;
  bool stats_threads = false;
  bool stats_deltas = false;        // not rendered yet
  bool stats_null_values = true;    // Suricata's stats.null-values: log zero counters too
  bool community_id = true;
  uint16_t community_id_seed = 0;
  bool ethernet = false;            // "ether" object with MACs
  // IPv6 addresses in RFC 5952 form (Suricata 9's ipv6-compress); Suricata 7/8
  // and this default write eight 4-digit groups.
  bool ipv6_compress = false;
  bool include_pcap_filename = false;  // "pcap_filename" on every record (set_pcap_filename)
  size_t batch_bytes = 64 * 1024;   // flush threshold per worker buffer
  // alert records (outputs.eve-log.types.alert)
  bool alert = true;
  bool alert_metadata = true;          // rule metadata as {"key":["value",...]}
  bool alert_references = false;       // "references": reference.config URL + value
  bool alert_rule = false;             // "rule": the rule text (metadata.rule.raw)
  bool alert_payload = false;          // base64 payload
  bool alert_payload_printable = false;
  bool alert_packet = false;           // base64 of the whole packet
  bool alert_tagged_packets = false;   // types.alert.tagged-packets: "packet" records
  bool alert_verdict = false;          // "verdict" object (types.alert.verdict)
  // IPS mode (--simulate-ips): a drop rule blocks ("action": "blocked").
  bool ips_mode = false;
  // drop records (types.drop), written in IPS mode only, as Suricata.
  bool drop = false;
  bool drop_alerts = false;            // the alert that caused the drop
  bool drop_flows_all = false;         // flows: all (every packet) vs start (once per direction)
  bool drop_verdict = false;
  // App-layer records (dns, http, tls, ssh, quic ...): all when no types list
  // was configured (Suricata's defaults), else the listed ones.
  bool app_all = true;
  std::vector<std::string> app_types;
  bool app_layer_enabled(std::string_view type) const {
    if (!enabled) return false;
    if (app_all) return true;
    for (const std::string& t : app_types)
      if (t == type) return true;
    return false;
  }
};

namespace detect {
struct PacketAlert;
struct PacketAlerts;
}

// The loaded rule set, as Suricata's stats "detect.engines" entry (id 0).
struct EveDetectEngineInfo {
  Timestamp last_reload;  // when the rules were loaded (wall clock)
  uint64_t rules_loaded = 0;
  uint64_t rules_failed = 0;
  uint64_t rules_skipped = 0;
};

class JsonWriter;

// An application-layer object to embed in a record ("http": {...}): the app
// layer knows how to write it, the EVE writer where. Implemented by the
// runtime over a protocol's logger.
class EveAppObject {
 public:
  virtual ~EveAppObject() = default;
  virtual std::string_view key() const = 0;  // "http", "dns", ... (also the event_type)
  virtual void write_members(JsonWriter& w) const = 0;
};

// Records follow Suricata's output-json*.c field order (see src/output/README.md).
// Not thread-safe: one EveWriter per worker; the sink is shared.
class EveWriter : public FlowEndSink {
 public:
  EveWriter(const EveConfig& config, EveSink& sink);
  ~EveWriter() override;

  // One anomaly record per decoder event on p.
  void log_anomalies(const Packet& p);
  // One alert record (Suricata's output-json-alert.c); `app` is the
  // transaction's object for app-layer alerts.
  // `verdict` is the packet's verdict so far (EVE "verdict", and "blocked"
  // for rate_filter-changed actions); nullptr: an undecided packet.
  void log_alert(const Packet& p, const detect::PacketAlert& alert,
                 const EveAppObject* app = nullptr, const detect::PacketAlerts* verdict = nullptr);
  // A drop record (Suricata's output-json-drop.c) for a dropped packet, when
  // drop records are on, in IPS mode, and (flows: start) not yet logged for
  // this flow direction unless a rule dropped it.
  void log_drop(const Packet& p, const detect::PacketAlerts& verdict);
  // A "packet" record (Suricata's tagged-packet logging in output-json-alert.c)
  // for a packet covered by a tag keyword, when types.alert.tagged-packets is on.
  void log_tagged_packet(const Packet& p);
  // An app-layer transaction record (event_type = app.key()), addressed in the
  // flow's direction (src = client) as Suricata's LOG_DIR_FLOW, or with
  // `to_client` from the server (LOG_DIR_PACKET of a response). p is the
  // packet that completed the transaction, nullptr at flow end.
  void log_app(const Flow& flow, const Packet* p, uint64_t tx_id, const EveAppObject& app,
               bool to_client = false);
  // A "fileinfo" record (Suricata's JsonBuildFileInfoRecord): the header
  // addressed in the file's direction (a file sent by the server has it as
  // src), the transaction's object (`app`, may be nullptr), app_proto, then
  // "fileinfo": {...} written by `file`.
  void log_file(const Flow& flow, const Packet* p, bool to_client, const EveAppObject* app,
                const EveAppObject& file);
  // App-layer parser anomalies of a transaction (anomaly type "applayer").
  // As Suricata's output-json-anomaly.c: addressed in the packet's direction,
  // with the transaction's tx_id.
  void log_app_events(const Flow& flow, const Packet* p, uint64_t tx_id,
                      std::string_view app_proto, const std::string_view* events, size_t count);
  void on_flow_end(const Flow& flow, FlowEndReason reason, Timestamp now) override;
  // A stats record from merged counter values (indexed like all_counters()).
  // The output.eve.* counters are taken from the sink (process-wide totals).
  void log_stats(Timestamp now, uint64_t uptime_seconds, const std::vector<uint64_t>& merged);
  // Stats records also carry "detect.engines" with this rule set from now on.
  void set_detect_engine(const EveDetectEngineInfo& info) { detect_engine_ = info; }

  // Hands buffered lines to the sink.
  void flush();

  // Current capture file, logged as "pcap_filename" when include_pcap_filename.
  void set_pcap_filename(std::string_view name) { pcap_filename_.assign(name); }

  uint64_t records_written() const { return records_; }
  // Bytes buffered and not yet handed to the sink (for tests and shutdown).
  size_t buffered_bytes() const { return buffer_.size(); }

 private:
  void begin_record();
  void end_record(JsonWriter& w);

  const EveConfig config_;  // a copy: the writer must not depend on the caller's lifetime
  EveSink& sink_;
  std::string buffer_;
  size_t record_start_ = 0;
  uint64_t pending_lines_ = 0;
  uint64_t records_ = 0;
  std::string pcap_filename_;
  std::vector<uint32_t> stats_order_;  // counter indices sorted by name, built once
  std::optional<EveDetectEngineInfo> detect_engine_;
};

}  // namespace seawall
