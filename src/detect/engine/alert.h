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
};

// Suricata's packet-alert-max (default 15): beyond it the lowest-priority
// alerts are dropped and counted (detect.alert_queue_overflow).
inline constexpr size_t kMaxPacketAlerts = 15;

struct PacketAlerts {
  std::array<PacketAlert, kMaxPacketAlerts> alerts{};
  uint8_t count = 0;
  uint32_t overflow = 0;
  bool pass = false;  // a pass rule matched: no further alerts for the packet
  void clear() { count = 0; overflow = 0; pass = false; }
};

}  // namespace seawall::detect
