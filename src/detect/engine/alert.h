// Alerts raised on one packet, in the order the post-rule stage settled.
#pragma once

#include <array>
#include <cstdint>

#include "detect/rules/rule.h"

namespace seawall::detect {

struct PacketAlert {
  const Rule* rule = nullptr;
  Action action = Action::kAlert;
  uint64_t tx_id = 0;
  bool has_tx = false;
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
