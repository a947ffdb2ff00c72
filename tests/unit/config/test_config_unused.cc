#include <gtest/gtest.h>

#include "config/config.h"
#include "test_helpers.h"

namespace seawall {
namespace {

constexpr const char* kConfig = R"(flow:
  memcap: 128mb
  managers: 1
app-layer:
  protocols:
    http:
      enabled: yes
    dns:
      enabled: yes
outputs:
  - fast:
      enabled: yes
      filename: fast.log
  - eve-log:
      enabled: yes
      types:
        - alert:
            tagged-packets: yes
        - flow
        - ssh
rule-files:
  - a.rules
  - b.rules
)";

std::vector<std::string> keys_of(const std::vector<UnusedKey>& unused) {
  std::vector<std::string> out;
  for (const UnusedKey& k : unused) out.push_back(k.key);
  return out;
}

TEST(ConfigUnused, EverythingIsUnusedBeforeReading) {
  Config c = Config::from_string(kConfig, "u.yaml");
  EXPECT_EQ(c.unused_keys().size(), 12u);
  EXPECT_EQ(keys_of(c.unused_subtrees()),
            (std::vector<std::string>{"flow", "app-layer", "outputs", "rule-files"}));
}

TEST(ConfigUnused, ReadKeysDisappear) {
  Config c = Config::from_string(kConfig, "u.yaml");
  c.get_size("flow.memcap", 0);
  c.get_bool("outputs.eve-log.enabled", false);
  c.find("outputs.eve-log.types.flow");
  c.get_bool("app-layer.protocols.dns.enabled", false);
  c.get_bool("flow.not-there", false);  // a missing key marks nothing

  EXPECT_EQ(keys_of(c.unused_keys()),
            (std::vector<std::string>{"flow.managers", "app-layer.protocols.http.enabled",
                                      "outputs.fast.enabled", "outputs.fast.filename",
                                      "outputs.eve-log.types.alert.tagged-packets",
                                      "outputs.eve-log.types.ssh", "rule-files.0",
                                      "rule-files.1"}));
  const std::vector<UnusedKey> groups = c.unused_subtrees();
  EXPECT_EQ(keys_of(groups),
            (std::vector<std::string>{"flow.managers", "app-layer.protocols.http",
                                      "outputs.fast", "outputs.eve-log.types.alert",
                                      "outputs.eve-log.types.ssh", "rule-files"}));
  EXPECT_EQ(groups[0].location, "u.yaml:3");
  EXPECT_EQ(groups[2].location, "u.yaml:11");
  EXPECT_EQ(groups[2].leaves, 2u);
  EXPECT_EQ(groups[5].leaves, 2u);
}

TEST(ConfigUnused, WarningIsOneCappedLine) {
  Config c = Config::from_string(kConfig, "u.yaml");
  c.get_size("flow.memcap", 0);
  c.get_bool("outputs.eve-log.enabled", false);
  c.find("outputs.eve-log.types.flow");
  c.find("outputs.eve-log.types.ssh");
  c.get_bool("outputs.eve-log.types.alert.tagged-packets", false);
  EXPECT_EQ(c.format_unused_warning(),
            "7 configuration values are not used by Seawall and have no effect: "
            "flow.managers (u.yaml:3), app-layer (u.yaml:4, 2 values), "
            "outputs.fast (u.yaml:11, 2 values), rule-files (u.yaml:21, 2 values)");
  EXPECT_EQ(c.format_unused_warning(2),
            "7 configuration values are not used by Seawall and have no effect: "
            "flow.managers (u.yaml:3), app-layer (u.yaml:4, 2 values) and 2 more");
  c.get_string_list("rule-files");
  c.get_int("flow.managers", 0);
  c.get_bool("app-layer.protocols.http.enabled", true);
  c.get_bool("app-layer.protocols.dns.enabled", true);
  c.find("outputs.fast.enabled")->scalar();
  EXPECT_EQ(c.format_unused_warning(),
            "1 configuration value is not used by Seawall and has no effect: "
            "outputs.fast.filename (u.yaml:13)");
  c.get_string("outputs.fast.filename");
  EXPECT_EQ(c.format_unused_warning(), "");
}

TEST(ConfigUnused, SiblingsShareOneWarningEntry) {
  Config c = Config::from_string(
      "flow-timeouts:\n  tcp:\n    new: 60\n    closed: 60\n    bypassed: 100\n"
      "  udp:\n    new: 30\n",
      "t.yaml");
  c.get_int("flow-timeouts.tcp.new", 0);
  EXPECT_EQ(c.format_unused_warning(),
            "3 configuration values are not used by Seawall and have no effect: "
            "flow-timeouts.tcp.{closed, bypassed} (t.yaml:4, 2 values), "
            "flow-timeouts.udp (t.yaml:6)");
  EXPECT_EQ(c.unused_subtrees().size(), 3u);
}

TEST(ConfigUnused, DuplicateListNamesUseIndices) {
  Config c = Config::from_string(
      "outputs:\n  - eve-log:\n      a: 1\n  - eve-log:\n      b: 2\n", "d.yaml");
  c.get_int("outputs.eve-log.a", 0);  // the first eve-log
  EXPECT_EQ(keys_of(c.unused_keys()), (std::vector<std::string>{"outputs.1.eve-log.b"}));
  EXPECT_EQ(c.get_int("outputs.1.eve-log.b", 0), 2);
  EXPECT_TRUE(c.unused_keys().empty());
}

TEST(ConfigUnused, SetValuesAreTrackedToo) {
  Config c = Config::from_string("flow:\n  memcap: 1mb\n", "s.yaml");
  c.set("flow.hash-size", "1024");
  c.get_size("flow.memcap", 0);
  const auto unused = c.unused_keys();
  ASSERT_EQ(unused.size(), 1u);
  EXPECT_EQ(unused[0].key, "flow.hash-size");
  EXPECT_EQ(unused[0].location, "--set flow.hash-size=1024");
}

}  // namespace
}  // namespace seawall
