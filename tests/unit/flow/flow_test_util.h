// Helpers shared by the flow unit tests: synthetic packets, a recording sink
// and counter lookup by name.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/counters.h"
#include "decode/packet.h"
#include "flow/flow.h"
#include "flow/flow_table.h"

namespace seawall::test {

inline Timestamp at(int64_t sec, int32_t usec = 0) { return Timestamp{sec, usec}; }

inline Packet ip_packet(const char* src, const char* dst, uint8_t proto, Timestamp ts) {
  Packet p;
  p.ts = ts;
  p.ip_version = 4;
  p.src = IpAddress::parse(src);
  p.dst = IpAddress::parse(dst);
  if (p.src.is_v6()) p.ip_version = 6;
  p.ip_proto = proto;
  p.caplen = p.wirelen = 100;
  return p;
}

inline Packet tcp_packet(const char* src, uint16_t sport, const char* dst, uint16_t dport,
                         uint8_t flags, Timestamp ts) {
  Packet p = ip_packet(src, dst, 6, ts);
  p.has_ports = true;
  p.sport = sport;
  p.dport = dport;
  p.tcp_flags = flags;
  return p;
}

inline Packet udp_packet(const char* src, uint16_t sport, const char* dst, uint16_t dport,
                         Timestamp ts) {
  Packet p = ip_packet(src, dst, 17, ts);
  p.has_ports = true;
  p.sport = sport;
  p.dport = dport;
  return p;
}

inline Packet icmp_packet(const char* src, const char* dst, uint8_t type, uint8_t code,
                          uint16_t id, Timestamp ts) {
  Packet p = ip_packet(src, dst, 1, ts);
  p.has_icmp = true;
  p.icmp_type = type;
  p.icmp_code = code;
  p.icmp_id = id;
  return p;
}

struct EndedFlow {
  Flow flow;
  FlowEndReason reason;
  Timestamp now;
};

class RecordingSink : public FlowEndSink {
 public:
  void on_flow_end(const Flow& flow, FlowEndReason reason, Timestamp now) override {
    ended.push_back({flow, reason, now});
  }
  std::vector<EndedFlow> ended;
};

// Value of a registered counter by name; fails the test if it does not exist.
inline uint64_t counter_value(const ThreadCounters& tc, std::string_view name) {
  const auto& all = all_counters();
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].name == name) return tc.get_index(i);
  }
  ADD_FAILURE() << "no counter named " << name;
  return 0;
}

}  // namespace seawall::test
