// Alerts raised on one packet, in the order the post-rule stage settled.
#pragma once

#include <array>
#include <cstdint>

#include "detect/rules/rule.h"
#include "flow/app_proto.h"

namespace seawall::applayer {
struct Transaction;
}

namespace seawall::detect {

struct PacketAlert {
  const Rule* rule = nullptr;
  Action action = Action::kAlert;
  uint64_t tx_id = 0;
  bool has_tx = false;
  // The transaction an app-layer rule matched on (valid while the alert is
  // being logged) and the direction of its inspection, for the alert's
  // app-layer object.
  const applayer::Transaction* tx = nullptr;
  AppProto app_proto = kAppProtoUnknown;
  uint8_t tx_dir = 0;
  // Matched in the reassembled stream: the window inspected (valid while the
  // alert is being logged; EVE "stream": 1 and its payload).
  bool stream_match = false;
  const uint8_t* stream_data = nullptr;
  uint32_t stream_len = 0;
  // A threshold.config rate_filter changed the action: EVE then reports what
  // happened to the packet rather than the alert's own action.
  bool rate_modified = false;
};

// Suricata's packet-alert-max (default 15): beyond it the lowest-priority
// alerts are dropped and counted (detect.alert_queue_overflow).
inline constexpr size_t kMaxPacketAlerts = 15;

// Alerts of one inspection plus the packet's verdict (Suricata's
// PacketAlertFinalize / PacketApplySignatureActions).
struct PacketAlerts {
  std::array<PacketAlert, kMaxPacketAlerts> alerts{};
  uint8_t count = 0;
  uint32_t overflow = 0;    // matched, but the queue was full (alert_queue_overflow)
  uint32_t suppressed = 0;  // matched, not logged: suppress, noalert (alerts_suppressed)

  // ---- verdict ----
  bool pass = false;       // a pass rule matched (or the flow is passed): nothing after it
  bool drop = false;       // a drop/reject rule matched, or the flow is dropped
  bool flow_drop = false;  // dropped because its flow was (EVE drop reason "flow drop")
  bool threshold_drop = false;  // the first drop came from a rate_filter new_action
  Action reject = Action::kAlert;  // the first reject* rule's action; kAlert: none
  PacketAlert drop_alert;          // the first drop/reject rule (rule nullptr: none)
  // A tag (tag:session / tag:host) of an earlier alert covers this packet:
  // EVE logs it as an event_type "packet" record (alert.tagged-packets).
  bool tagged = false;

  void clear() {
    count = 0;
    overflow = suppressed = 0;
    pass = drop = flow_drop = threshold_drop = tagged = false;
    reject = Action::kAlert;
    drop_alert = PacketAlert{};
  }
  // Folds the verdict of another inspection of the same packet (its
  // transactions, then the packet itself) into this one; the first drop wins.
  void merge_verdict(const PacketAlerts& o) {
    pass = pass || o.pass;
    drop = drop || o.drop;
    flow_drop = flow_drop || o.flow_drop;
    if (reject == Action::kAlert) reject = o.reject;
    if (drop_alert.rule == nullptr) {
      drop_alert = o.drop_alert;
      threshold_drop = o.threshold_drop;
    }
  }
};

inline bool is_reject(Action a) {
  return a == Action::kReject || a == Action::kRejectSrc || a == Action::kRejectDst ||
         a == Action::kRejectBoth;
}
inline bool drops_packet(Action a) { return a == Action::kDrop || is_reject(a); }

}  // namespace seawall::detect
