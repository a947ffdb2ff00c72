// Loads the whole ET Open ruleset through DetectEngine::load (Suricata's
// default vars) and inspects a few packets: a smoke test of grouping,
// Vectorscan compilation and the IP-only table at real scale. Prints the
// load report (counts, timings) used for the engine's measurements.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "detect/engine/detect_engine.h"
#include "detect/engine/detect_engine_impl.h"
#include "flow/flow.h"

namespace seawall::detect {
namespace {

namespace fs = std::filesystem;

DetectConfig et_open_config(const fs::path& dir) {
  DetectConfig config;
  for (const auto& entry : fs::directory_iterator(dir / "rules"))
    if (entry.path().extension() == ".rules") config.rule_files.push_back(entry.path().string());
  std::sort(config.rule_files.begin(), config.rule_files.end());
  if (fs::exists(dir / "rules" / "classification.config"))
    config.classification_file = (dir / "rules" / "classification.config").string();
  // Suricata's default suricata.yaml vars (etc/seawall.yaml carries the same).
  config.address_vars = {
      {"HOME_NET", "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]"},
      {"EXTERNAL_NET", "!$HOME_NET"},
      {"HTTP_SERVERS", "$HOME_NET"},   {"SMTP_SERVERS", "$HOME_NET"},
      {"SQL_SERVERS", "$HOME_NET"},    {"DNS_SERVERS", "$HOME_NET"},
      {"TELNET_SERVERS", "$HOME_NET"}, {"AIM_SERVERS", "$EXTERNAL_NET"},
      {"DC_SERVERS", "$HOME_NET"},     {"DNP3_SERVER", "$HOME_NET"},
      {"DNP3_CLIENT", "$HOME_NET"},    {"MODBUS_CLIENT", "$HOME_NET"},
      {"MODBUS_SERVER", "$HOME_NET"},  {"ENIP_CLIENT", "$HOME_NET"},
      {"ENIP_SERVER", "$HOME_NET"}};
  config.port_vars = {{"HTTP_PORTS", "80"},        {"SHELLCODE_PORTS", "!80"},
                      {"ORACLE_PORTS", "1521"},    {"SSH_PORTS", "22"},
                      {"DNP3_PORTS", "20000"},     {"MODBUS_PORTS", "502"},
                      {"FILE_DATA_PORTS", "[$HTTP_PORTS,110,143]"},
                      {"FTP_PORTS", "21"},         {"GENEVE_PORTS", "6081"},
                      {"VXLAN_PORTS", "4789"},     {"TEREDO_PORTS", "3544"}};
  return config;
}

// "VmRSS: 1234 kB" style lines of /proc/self/status (Linux), for the report.
std::string memory_line() {
  std::ifstream status("/proc/self/status");
  std::string line, out;
  while (std::getline(status, line))
    if (line.rfind("VmRSS", 0) == 0 || line.rfind("VmHWM", 0) == 0) out += line + "  ";
  return out;
}

TEST(EngineEtOpen, LoadsAndInspects) {
  const fs::path dir = fs::path(SEAWALL_CORPUS_DIR) / "rules" / "et-open";
  if (!fs::exists(dir / "rules")) GTEST_SKIP() << "corpus not found at " << dir;
  LoadReport report;
  auto engine = DetectEngine::load(et_open_config(dir), report);
  ASSERT_NE(engine, nullptr);

  std::cout << "ET Open: files " << report.files << ", rules seen " << report.rules_seen
            << ", loaded " << report.loaded << ", failed " << report.failed << ", unsupported "
            << report.unsupported << "\n  active " << engine->rules().size()
            << ", app-layer skipped " << report.app_layer_skipped << ", ip-only "
            << report.ip_only_rules << ", prefilter " << report.prefilter_rules
            << ", non-prefilter " << report.non_prefilter_rules << "\n  groups " << report.groups
            << ", mpm databases " << report.mpm_databases << ", literals " << report.mpm_patterns
            << ", mpm bytes " << report.mpm_bytes << ", ip-only segments "
            << engine->impl().ip_only.segment_count() << " (bitsets "
            << engine->impl().ip_only.distinct_bitsets() << ", "
            << engine->impl().ip_only.memory_bytes() << " bytes)"
            << "\n  load " << report.load_seconds << " s (build " << report.build_seconds
            << " s)\n  memory after load: " << memory_line() << "\n";
  std::map<size_t, std::string> top;
  for (const auto& [k, n] : report.unsupported_keywords) top[n] += k + " ";
  int shown = 0;
  for (auto it = top.rbegin(); it != top.rend() && shown < 12; ++it, ++shown)
    std::cout << "  unsupported " << it->first << ": " << it->second << "\n";

  EXPECT_GT(report.loaded, 1000u);
  EXPECT_EQ(report.loaded, engine->rules().size() + report.app_layer_skipped);
  EXPECT_EQ(report.ip_only_rules + report.prefilter_rules + report.non_prefilter_rules,
            engine->rules().size());
  // Internal ids follow rule order and are dense.
  for (size_t i = 0; i < engine->rules().size(); ++i)
    ASSERT_EQ(engine->rules()[i]->internal_id, i);

  // A few packets through the whole pipeline (no crash; counts are printed).
  ThreadCounters counters;
  DetectThread thread(*engine, counters);
  const std::string http = "GET /index.php?id=1 HTTP/1.1\r\nHost: example.com\r\n"
                           "User-Agent: Mozilla/4.0 (compatible; MSIE 6.0)\r\n\r\n";
  Packet p;
  p.ip_version = 4;
  p.src = IpAddress::parse("192.168.1.10");
  p.dst = IpAddress::parse("93.184.216.34");
  p.ip_proto = 6;
  p.has_ports = true;
  p.sport = 40000;
  p.dport = 80;
  p.tcp_flags = 0x18;
  p.payload = reinterpret_cast<const uint8_t*>(http.data());
  p.payload_len = static_cast<uint32_t>(http.size());
  PacketAlerts alerts;
  thread.inspect(p, alerts);
  std::cout << "  http packet: " << int{alerts.count} << " alerts\n";
}

}  // namespace
}  // namespace seawall::detect
