// Real configuration files: Seawall's shipped default and Suricata's own test configs.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>

#include "config/config.h"

namespace seawall {
namespace {

namespace fs = std::filesystem;

TEST(ShippedConfig, LoadsWithSuricatasDefaults) {
  Config c = Config::load_file(std::string(SEAWALL_SOURCE_DIR) + "/etc/seawall.yaml");
  EXPECT_TRUE(c.warnings().empty());

  const auto addresses = c.address_groups();
  EXPECT_EQ(addresses.at("HOME_NET"), "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]");
  EXPECT_EQ(addresses.at("EXTERNAL_NET"), "!$HOME_NET");
  EXPECT_EQ(addresses.at("HTTP_SERVERS"), "$HOME_NET");
  EXPECT_EQ(c.port_groups().at("HTTP_PORTS"), "80");
  EXPECT_EQ(c.port_groups().at("SSH_PORTS"), "22");

  EXPECT_TRUE(c.get_bool("stats.enabled", false));
  EXPECT_EQ(c.get_int("stats.interval", 0), 8);
  EXPECT_TRUE(c.get_bool("outputs.eve-log.enabled", false));
  EXPECT_EQ(c.get_string("outputs.eve-log.filetype"), "regular");
  EXPECT_EQ(c.get_string("outputs.eve-log.filename"), "eve.json");
  EXPECT_TRUE(c.get_bool("outputs.eve-log.community-id", false));
  EXPECT_EQ(c.get_int("outputs.eve-log.community-id-seed", -1, 0, 65535), 0);
  EXPECT_TRUE(c.find("outputs.eve-log.types.alert").has_value());
  EXPECT_TRUE(c.find("outputs.eve-log.types.flow").has_value());
  EXPECT_TRUE(c.get_bool("outputs.eve-log.types.anomaly.types.stream", false));
  EXPECT_TRUE(c.get_bool("outputs.eve-log.types.stats.totals", false));
  EXPECT_FALSE(c.get_bool("outputs.eve-log.types.stats.threads", true));

  EXPECT_EQ(c.get_size("flow.memcap", 0), 128u * 1024 * 1024);
  EXPECT_EQ(c.get_int("flow.hash-size", 0), 65536);
  EXPECT_EQ(c.get_int("flow.prealloc", 0), 10000);
  EXPECT_EQ(c.get_int("flow.emergency-recovery", 0), 30);
  EXPECT_TRUE(c.get_bool("vlan.use-for-tracking", false));

  // Suricata's suricata.yaml.in flow-timeouts.
  struct Timeout {
    const char* key;
    int64_t seconds;
  };
  for (const Timeout& t : {Timeout{"default.new", 30}, Timeout{"default.established", 300},
                           Timeout{"default.closed", 0}, Timeout{"default.bypassed", 100},
                           Timeout{"default.emergency-new", 10},
                           Timeout{"default.emergency-established", 100},
                           Timeout{"default.emergency-bypassed", 50},
                           Timeout{"tcp.new", 60}, Timeout{"tcp.established", 600},
                           Timeout{"tcp.closed", 60}, Timeout{"tcp.emergency-new", 5},
                           Timeout{"tcp.emergency-closed", 10}, Timeout{"udp.new", 30},
                           Timeout{"udp.established", 300}, Timeout{"icmp.bypassed", 100},
                           Timeout{"icmp.emergency-established", 100}}) {
    EXPECT_EQ(c.get_int(std::string("flow-timeouts.") + t.key, -1), t.seconds) << t.key;
  }
  EXPECT_FALSE(c.find("flow-timeouts.udp.closed").has_value());

  struct Tunnel {
    const char* name;
    const char* port;
  };
  for (const Tunnel& t : {Tunnel{"teredo", "3544"}, Tunnel{"vxlan", "4789"},
                          Tunnel{"geneve", "6081"}, Tunnel{"gtpu", "2152"},
                          Tunnel{"mpls-over-udp", "6635"}, Tunnel{"gre-over-udp", "4754"}}) {
    const std::string base = std::string("decoder.") + t.name;
    EXPECT_TRUE(c.get_bool(base + ".enabled", false)) << t.name;
    EXPECT_EQ(c.get_string(base + ".ports"), t.port) << t.name;
  }
  EXPECT_EQ(c.get_string("pcap-file.checksum-checks"), "auto");
  EXPECT_EQ(c.get_string("runmode"), "autofp");
  EXPECT_DOUBLE_EQ(c.get_double("threading.detect-thread-ratio", 0), 1.0);
  // Only keys the engine reads are shipped (no unused-key warning on our own file).
  EXPECT_FALSE(c.find("max-pending-packets").has_value());
  EXPECT_EQ(c.get_string("default-rule-path"), "../rules");
  EXPECT_EQ(c.get_string_list("rule-files"), std::vector<std::string>{"seawall.rules"});
}

// Every suricata.yaml of Suricata's verification suite loads; the keys Seawall reads are
// typed correctly, and what is left unread is reported.
TEST(SuricataConfigs, SuricataVerifyConfigsLoad) {
  const fs::path tests = fs::path(SEAWALL_CORPUS_DIR) / "suricata-verify" / "tests";
  if (!fs::is_directory(tests)) GTEST_SKIP() << "corpus not found at " << tests;

  size_t loaded = 0;
  size_t missing_include = 0;
  size_t with_unused = 0;
  for (const auto& entry : fs::recursive_directory_iterator(tests)) {
    if (entry.path().filename() != "suricata.yaml") continue;
    const std::string path = entry.path().string();
    try {
      Config c = Config::load_file(path);
      ++loaded;
      // Reading a few keys Seawall uses must not throw on Suricata's own values.
      (void)c.get_bool("outputs.eve-log.enabled", true);
      (void)c.get_string("outputs.eve-log.filetype", "regular");
      (void)c.get_bool("stats.enabled", true);
      (void)c.get_int("stats.interval", 8, 0, 86400);
      (void)c.address_groups();
      (void)c.port_groups();
      const auto unused = c.unused_subtrees();
      if (!unused.empty()) ++with_unused;
      for (const UnusedKey& key : unused) {
        EXPECT_FALSE(key.key.empty()) << path;
        EXPECT_NE(key.location.find(path + ":"), std::string::npos) << key.location;
        EXPECT_GE(key.leaves, 1u);
      }
    } catch (const ConfigError& e) {
      // A few tests include ../../etc/suricata-4.0.3.yaml, which the split does not ship.
      const std::string message = e.what();
      EXPECT_NE(message.find(": include: cannot open '"), std::string::npos) << message;
      ++missing_include;
    }
  }
  std::cout << "suricata-verify configs: " << loaded << " loaded, " << missing_include
            << " with a missing include, " << with_unused << " with unused keys\n";
  EXPECT_GT(loaded, 100u);
  EXPECT_LE(missing_include, 3u);
  EXPECT_GT(with_unused, 50u);
}

TEST(SuricataConfigs, UnusedReportOnARealConfig) {
  const fs::path path = fs::path(SEAWALL_CORPUS_DIR) /
                        "suricata-verify/tests/dns/dns-eve/suricata.yaml";
  if (!fs::exists(path)) GTEST_SKIP() << "corpus not found at " << path;
  Config c = Config::load_file(path.string());
  EXPECT_TRUE(c.get_bool("stats.enabled", false));
  EXPECT_EQ(c.get_int("stats.interval", 0), 8);
  EXPECT_TRUE(c.get_bool("outputs.eve-log.enabled", false));
  EXPECT_EQ(c.get_string("outputs.eve-log.filename"), "eve.json");
  EXPECT_EQ(c.get_string("outputs.eve-log.filetype"), "regular");
  (void)c.find("outputs.eve-log.types.dns");

  std::vector<std::string> keys;
  for (const UnusedKey& k : c.unused_subtrees()) keys.push_back(k.key);
  // alert's xff block, http/tls/files/smtp options and the `- ssh` item are not read.
  const std::vector<std::string> expected = {
      "outputs.eve-log.types.alert", "outputs.eve-log.types.http",
      "outputs.eve-log.types.tls",   "outputs.eve-log.types.files",
      "outputs.eve-log.types.smtp",  "outputs.eve-log.types.ssh"};
  EXPECT_EQ(keys, expected);
  const std::string warning = c.format_unused_warning();
  EXPECT_EQ(warning.rfind("10 configuration values are not used by Seawall", 0), 0u) << warning;
}

}  // namespace
}  // namespace seawall
