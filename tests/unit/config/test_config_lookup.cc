#include <gtest/gtest.h>

#include "config/config.h"
#include "test_helpers.h"

namespace seawall {
namespace {

using config_test::error_of;

// Shape of Suricata's suricata.yaml outputs section.
constexpr const char* kSuricataStyle = R"(%YAML 1.1
---
outputs:
  - fast:
      enabled: yes
      filename: fast.log
  - eve-log:
      enabled: yes
      filetype: regular
      types:
        - alert:
            tagged-packets: yes
        - dns:
        - tls:
            extended: yes
        - ssh
        - flow
  - eve-log:
      enabled: no
      filename: second.json
rule-files:
  - a.rules
  - b.rules
flow:
  memcap: 128mb
)";

TEST(ConfigLookup, MapPathsAndMissingKeys) {
  Config c = Config::from_string(kSuricataStyle, "test.yaml");
  EXPECT_EQ(c.get_string("flow.memcap"), "128mb");
  EXPECT_FALSE(c.find("flow.nope").has_value());
  EXPECT_FALSE(c.find("nope.memcap").has_value());
  EXPECT_FALSE(c.find("flow.memcap.deeper").has_value());  // a scalar has no children
  EXPECT_FALSE(c.find("flow..memcap").has_value());
  EXPECT_EQ(c.get_string("flow.nope", "dflt"), "dflt");
  ASSERT_TRUE(c.find("flow").has_value());
  EXPECT_TRUE(c.find("flow")->is_map());
  EXPECT_EQ(c.find("flow")->path(), "flow");
}

TEST(ConfigLookup, ListOfSingleKeyMapsByName) {
  Config c = Config::from_string(kSuricataStyle, "test.yaml");
  auto eve = c.find("outputs.eve-log");
  ASSERT_TRUE(eve.has_value());
  EXPECT_TRUE(eve->is_map());
  EXPECT_EQ(eve->path(), "outputs.eve-log");
  // The first item with that name wins, as in Suricata.
  EXPECT_EQ(eve->get_string("filetype"), "regular");
  EXPECT_TRUE(c.get_bool("outputs.eve-log.enabled", false));
  EXPECT_EQ(c.get_string("outputs.fast.filename"), "fast.log");
  EXPECT_TRUE(c.get_bool("outputs.eve-log.types.alert.tagged-packets", false));
  EXPECT_TRUE(c.get_bool("outputs.eve-log.types.tls.extended", false));
  // `- dns:` is present with a null value; `- flow` is a plain item found by its text.
  ASSERT_TRUE(c.find("outputs.eve-log.types.dns").has_value());
  EXPECT_TRUE(c.find("outputs.eve-log.types.dns")->is_null());
  ASSERT_TRUE(c.find("outputs.eve-log.types.flow").has_value());
  EXPECT_EQ(c.find("outputs.eve-log.types.flow")->scalar(), "flow");
  EXPECT_FALSE(c.find("outputs.eve-log.types.http").has_value());
  EXPECT_FALSE(c.find("outputs.unified2-alert").has_value());
}

TEST(ConfigLookup, ListIndices) {
  Config c = Config::from_string(kSuricataStyle, "test.yaml");
  EXPECT_EQ(c.get_string("outputs.2.eve-log.filename"), "second.json");
  EXPECT_FALSE(c.get_bool("outputs.2.eve-log.enabled", true));
  EXPECT_TRUE(c.find("outputs.1.eve-log.types.2")->is_map());
  EXPECT_TRUE(c.get_bool("outputs.1.eve-log.types.2.tls.extended", false));
  EXPECT_EQ(c.get_string("outputs.1.eve-log.types.3"), "ssh");
  EXPECT_EQ(c.get_string("rule-files.1"), "b.rules");
  EXPECT_FALSE(c.find("rule-files.2").has_value());
  EXPECT_FALSE(c.find("outputs.3").has_value());
  EXPECT_EQ(c.find("outputs.1")->path(), "outputs.1");
}

TEST(ConfigLookup, NodeNavigation) {
  Config c = Config::from_string(kSuricataStyle, "test.yaml");
  auto outputs = c.find("outputs");
  ASSERT_TRUE(outputs && outputs->is_sequence());
  EXPECT_EQ(outputs->size(), 3u);
  EXPECT_EQ(outputs->keys(), (std::vector<std::string>{"fast", "eve-log", "eve-log"}));
  auto types = c.find("outputs.eve-log.types");
  EXPECT_EQ(types->keys(),
            (std::vector<std::string>{"alert", "dns", "tls", "ssh", "flow"}));
  ConfigNode second = outputs->item(2);
  EXPECT_EQ(second.path(), "outputs.2");
  EXPECT_EQ(second.get_string("eve-log.filename"), "second.json");
  EXPECT_EQ(c.find("flow")->keys(), (std::vector<std::string>{"memcap"}));
  EXPECT_EQ(c.find("flow.memcap")->location(), "test.yaml:25");
  EXPECT_EQ(error_of([&] { outputs->item(3); }), "test.yaml:3: outputs: no list item 3");
  EXPECT_EQ(c.get_string_list("rule-files"), (std::vector<std::string>{"a.rules", "b.rules"}));
}

TEST(ConfigLookup, ScalarOfMapIsAnError) {
  Config c = Config::from_string(kSuricataStyle, "test.yaml");
  EXPECT_EQ(error_of([&] { c.get_string("flow"); }),
            "test.yaml:24: flow: expected a single value, found a mapping");
  EXPECT_EQ(error_of([&] { c.get_bool("outputs.eve-log.types", true); }),
            "test.yaml:10: outputs.eve-log.types: expected a single value, found a list");
}

TEST(ConfigLookup, UnderscoreKeysAreReadWithDashesLikeSuricata) {
  Config c = Config::from_string(
      "flow_timeouts:\n  tcp:\n    new: 5\nvars:\n  address-groups:\n    HOME_NET: any\n",
      "old.yaml");
  EXPECT_EQ(c.get_int("flow-timeouts.tcp.new", 0), 5);
  EXPECT_FALSE(c.find("flow_timeouts").has_value());
  // Rule variable names keep their underscores.
  EXPECT_EQ(c.get_string("vars.address-groups.HOME_NET"), "any");
  ASSERT_EQ(c.warnings().size(), 1u);
  EXPECT_EQ(c.warnings()[0],
            "old.yaml:1: key 'flow_timeouts' is deprecated, read as 'flow-timeouts'");
}

TEST(ConfigLookup, LaterDuplicateKeysWin) {
  Config c = Config::from_string("flow:\n  memcap: 1mb\n  prealloc: 3\nflow:\n  memcap: 2mb\n",
                                 "dup.yaml");
  EXPECT_EQ(c.get_size("flow.memcap", 0), 2u * 1024 * 1024);
  EXPECT_EQ(c.get_int("flow.prealloc", 0), 3);  // maps merge key by key
  EXPECT_EQ(c.find("flow.memcap")->location(), "dup.yaml:5");
}

TEST(ConfigLookup, VarsGroups) {
  Config c = Config::from_string(R"(vars:
  address-groups:
    HOME_NET: "[10.0.0.0/8]"
    EXTERNAL_NET: "!$HOME_NET"
  port-groups:
    HTTP_PORTS: "80"
    SSH_PORTS: 22
)",
                                 "vars.yaml");
  const auto addresses = c.address_groups();
  EXPECT_EQ(addresses.size(), 2u);
  EXPECT_EQ(addresses.at("HOME_NET"), "[10.0.0.0/8]");
  EXPECT_EQ(addresses.at("EXTERNAL_NET"), "!$HOME_NET");
  const auto ports = c.port_groups();
  EXPECT_EQ(ports.at("HTTP_PORTS"), "80");
  EXPECT_EQ(ports.at("SSH_PORTS"), "22");
  EXPECT_TRUE(c.unused_keys().empty());
  EXPECT_TRUE(Config::from_string("a: 1\n").address_groups().empty());

  Config bad =
      Config::from_string("vars:\n  address-groups:\n    HOME_NET: [10.0.0.0/8]\n", "v.yaml");
  EXPECT_EQ(error_of([&] { bad.address_groups(); }),
            "v.yaml:3: vars.address-groups.HOME_NET: expected a single value, found a list");
}

}  // namespace
}  // namespace seawall
