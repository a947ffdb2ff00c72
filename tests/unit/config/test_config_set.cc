#include <gtest/gtest.h>

#include "config/config.h"
#include "test_helpers.h"

namespace seawall {
namespace {

using config_test::error_of;

constexpr const char* kBase = R"(flow:
  memcap: 128mb
outputs:
  - eve-log:
      enabled: yes
      types:
        - alert
        - flow
)";

TEST(ConfigSet, OverridesAnExistingKey) {
  Config c = Config::from_string(kBase, "base.yaml");
  c.set("flow.memcap", "256mb");
  EXPECT_EQ(c.get_size("flow.memcap", 0), 256u * 1024 * 1024);
  EXPECT_EQ(c.find("flow.memcap")->location(), "--set flow.memcap=256mb");
}

TEST(ConfigSet, CreatesNewKeysAndIntermediateNodes) {
  Config c = Config::from_string(kBase, "base.yaml");
  c.set("flow-timeouts.tcp.established", "3600");
  EXPECT_EQ(c.get_int("flow-timeouts.tcp.established", 0), 3600);
  c.set_option("stats.interval=30");
  EXPECT_EQ(c.get_int("stats.interval", 0), 30);
  Config empty;
  empty.set("a.b.c", "x");
  EXPECT_EQ(empty.get_string("a.b.c"), "x");
}

TEST(ConfigSet, ListIndexAndListName) {
  Config c = Config::from_string(kBase, "base.yaml");
  c.set("outputs.0.eve-log.filename", "alerts.json");
  EXPECT_EQ(c.get_string("outputs.eve-log.filename"), "alerts.json");
  c.set("outputs.eve-log.types.1", "dns");  // replaces `- flow`
  EXPECT_EQ(c.get_string_list("outputs.eve-log.types"),
            (std::vector<std::string>{"alert", "dns"}));
  c.set("outputs.eve-log.types.2", "tls");  // index == size appends
  EXPECT_EQ(c.get_string("outputs.eve-log.types.2"), "tls");
  EXPECT_EQ(error_of([&] { c.set("outputs.eve-log.types.9", "x"); }),
            "--set outputs.eve-log.types.9=x: list index 9 out of range (the list has 3 items)");
  // A plain `- alert` item gains settings the way Suricata writes them.
  c.set("outputs.eve-log.types.alert.tagged-packets", "yes");
  EXPECT_TRUE(c.get_bool("outputs.eve-log.types.alert.tagged-packets", false));
  // A list item that does not exist yet is added by name.
  c.set("outputs.stats.enabled", "yes");
  EXPECT_TRUE(c.get_bool("outputs.stats.enabled", false));
  EXPECT_EQ(c.find("outputs")->keys(), (std::vector<std::string>{"eve-log", "stats"}));
}

TEST(ConfigSet, ValueIsOneScalar) {
  Config c;
  c.set("vars.address-groups.HOME_NET", "[10.0.0.0/8,192.168.0.0/16]");
  EXPECT_EQ(c.address_groups().at("HOME_NET"), "[10.0.0.0/8,192.168.0.0/16]");
  c.set("a", "\"quoted value\"");
  EXPECT_EQ(c.get_string("a"), "quoted value");
  c.set("b", "'it''s'");
  EXPECT_EQ(c.get_string("b"), "it's");
  c.set("c", "");
  EXPECT_TRUE(c.find("c")->is_null());
  EXPECT_EQ(c.get_int("c", 5), 5);
  c.set("d", "x: y");
  EXPECT_EQ(c.get_string("d"), "x: y");
}

TEST(ConfigSet, ReplacesASubtree) {
  Config c = Config::from_string(kBase, "base.yaml");
  c.set("flow", "off");
  EXPECT_EQ(c.get_string("flow"), "off");
  EXPECT_FALSE(c.find("flow.memcap").has_value());
}

TEST(ConfigSet, ErrorsNameTheOption) {
  Config c = Config::from_string(kBase, "base.yaml");
  c.set("flow.memcap", "12xb");
  EXPECT_EQ(error_of([&] { c.get_size("flow.memcap", 0); }),
            "--set flow.memcap=12xb: invalid size '12xb' (expected e.g. 128mb)");
  c.set_option("flow.hash-size=0");
  EXPECT_EQ(error_of([&] { c.get_int("flow.hash-size", 1, 1, 100); }),
            "--set flow.hash-size=0: value 0 out of range [1, 100]");
  EXPECT_EQ(error_of([&] { c.set_option("flow.memcap"); }),
            "--set flow.memcap: expected key=value");
  EXPECT_EQ(error_of([&] { c.set("flow..memcap", "1"); }),
            "--set flow..memcap=1: empty part in key 'flow..memcap'");
  EXPECT_EQ(error_of([&] { c.set("", "1"); }), "--set =1: empty key");
}

}  // namespace
}  // namespace seawall
