// Helpers for end-to-end engine tests on crafted packets: rule text (and an
// optional threshold.config) -> DetectEngine::load -> DetectThread::inspect.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "core/counters.h"
#include "detect/engine/detect_engine.h"
#include "flow/flow.h"

namespace seawall::detect::testing {

struct BuiltEngine {
  std::unique_ptr<DetectEngine> engine;
  LoadReport report;
};

inline BuiltEngine build_engine(std::vector<std::string> rules,
                                const std::string& threshold_config = "",
                                bool expect_all_loaded = true) {
  DetectConfig config;
  config.rule_texts = std::move(rules);
  config.address_vars["HOME_NET"] = "[10.0.0.0/8]";
  config.address_vars["EXTERNAL_NET"] = "!$HOME_NET";
  std::string path;
  if (!threshold_config.empty()) {
    path = ::testing::TempDir() + "seawall_engine_util_threshold.config";
    std::ofstream(path) << threshold_config;
    config.threshold_file = path;
  }
  BuiltEngine b;
  b.engine = DetectEngine::load(config, b.report);
  if (expect_all_loaded) {
    for (const RuleFailure& f : b.report.failures)
      ADD_FAILURE() << "rule failed: " << f.file << ":" << f.line << ": " << f.reason;
  }
  if (!path.empty()) std::remove(path.c_str());
  return b;
}

// A decoded IPv4 TCP/UDP/ICMP packet as the decoder would leave it.
struct CraftedPacket {
  std::string payload;
  Packet p;
  CraftedPacket(uint8_t proto, const char* src, uint16_t sport, const char* dst, uint16_t dport,
                std::string data, int64_t sec = 1700000000, Flow* flow = nullptr)
      : payload(std::move(data)) {
    p.ip_version = 4;
    p.src = IpAddress::parse(src);
    p.dst = IpAddress::parse(dst);
    p.ip_proto = proto;
    p.ttl = 64;
    p.has_ports = proto == 6 || proto == 17;
    p.sport = sport;
    p.dport = dport;
    p.has_icmp = proto == 1;
    if (proto == 6) p.tcp_flags = tcp_flag::kAck | tcp_flag::kPsh;
    p.payload = reinterpret_cast<const uint8_t*>(payload.data());
    p.payload_len = static_cast<uint32_t>(payload.size());
    p.flow = flow;
    p.to_server = true;
    p.ts = Timestamp{sec, 0};
  }
};

struct EngineRunner {
  BuiltEngine built;
  ThreadCounters counters;
  DetectThread thread;
  PacketAlerts last;
  explicit EngineRunner(std::vector<std::string> rules, const std::string& threshold = "")
      : built(build_engine(std::move(rules), threshold)), thread(*built.engine, counters) {}
  // sids of the alerts raised on the packet, in queue order
  std::vector<uint32_t> run(CraftedPacket& cp) {
    thread.inspect(cp.p, last);
    std::vector<uint32_t> out;
    for (uint8_t i = 0; i < last.count; ++i) out.push_back(last.alerts[i].rule->sid);
    return out;
  }
};

inline uint64_t counter_value(const ThreadCounters& c, std::string_view name) {
  const auto& all = all_counters();
  for (size_t i = 0; i < all.size(); ++i)
    if (all[i].name == name) return c.get_index(i);
  ADD_FAILURE() << "no counter " << name;
  return 0;
}

}  // namespace seawall::detect::testing
