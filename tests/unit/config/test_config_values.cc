#include <gtest/gtest.h>

#include <cmath>

#include "config/config.h"
#include "config/config_value.h"
#include "test_helpers.h"

namespace seawall {
namespace {

using config_test::data_path;
using config_test::error_of;

TEST(ConfigValue, BoolWordsAreSuricatas) {
  for (const char* yes : {"1", "yes", "YES", "Yes", "true", "True", "on", "ON"}) {
    EXPECT_EQ(parse_config_bool(yes), std::optional<bool>(true)) << yes;
  }
  for (const char* no : {"0", "no", "NO", "false", "FALSE", "off", "Off"}) {
    EXPECT_EQ(parse_config_bool(no), std::optional<bool>(false)) << no;
  }
  for (const char* bad : {"", "y", "n", "2", "enabled", "yes ", "truee", "-1"}) {
    EXPECT_FALSE(parse_config_bool(bad).has_value()) << bad;
  }
}

TEST(ConfigValue, IntUsesStrtoimaxBaseZeroLikeConfGetInt) {
  EXPECT_EQ(parse_config_int("42"), 42);
  EXPECT_EQ(parse_config_int("-7"), -7);
  EXPECT_EQ(parse_config_int("+7"), 7);
  EXPECT_EQ(parse_config_int("0x10"), 16);
  EXPECT_EQ(parse_config_int("010"), 8);  // octal, as in Suricata
  EXPECT_EQ(parse_config_int("0"), 0);
  EXPECT_EQ(parse_config_int("9223372036854775807"), INT64_MAX);
  for (const char* bad : {"", "12a", "1.5", "0x", "ten", "99999999999999999999", "4 "}) {
    EXPECT_FALSE(parse_config_int(bad).has_value()) << bad;
  }
}

TEST(ConfigValue, SizeFollowsParseSizeString) {
  // Expectations from Suricata's own UtilMiscParseSizeStringTest01.
  EXPECT_EQ(parse_config_size("10"), 10u);
  EXPECT_EQ(parse_config_size("10kb"), 10u * 1024);
  EXPECT_EQ(parse_config_size("10Kb"), 10u * 1024);
  EXPECT_EQ(parse_config_size("10KB"), 10u * 1024);
  EXPECT_EQ(parse_config_size("10mb"), 10u * 1024 * 1024);
  EXPECT_EQ(parse_config_size("10gb"), 10737418240u);
  EXPECT_EQ(parse_config_size(" 10 kb "), 10u * 1024);
  EXPECT_EQ(parse_config_size("10 gb"), 10737418240u);
  EXPECT_EQ(parse_config_size("10.5kb"), static_cast<uint64_t>(10.5 * 1024));
  EXPECT_EQ(parse_config_size("10.5 mb"), static_cast<uint64_t>(10.5 * 1024 * 1024));
  EXPECT_EQ(parse_config_size("128mb"), 134217728u);
  EXPECT_EQ(parse_config_size("1gb"), 1073741824u);
  EXPECT_EQ(parse_config_size("0"), 0u);
  for (const char* bad : {"", "12xb", "1k", "1kib", "kb", "-1", "1.kb", "1 2", "1e3", "mb10",
                          "20000000000gb"}) {
    EXPECT_FALSE(parse_config_size(bad).has_value()) << bad;
  }
}

TEST(ConfigValue, Double) {
  EXPECT_EQ(parse_config_double("1.0"), 1.0);
  EXPECT_EQ(parse_config_double("0.25"), 0.25);
  EXPECT_EQ(parse_config_double("-3"), -3.0);
  EXPECT_EQ(parse_config_double("1e3"), 1000.0);
  for (const char* bad : {"", "fast", "1.0x", "nan", "inf", " 1"}) {
    EXPECT_FALSE(parse_config_double(bad).has_value()) << bad;
  }
}

constexpr const char* kValues = R"(%YAML 1.1
---
a:
  yes-word: yes
  off-word: Off
  one: 1
  count: 42
  hex: 0x20
  negative: -5
  size-plain: 4096
  size-mb: 128mb
  ratio: 1.5
  list: [x, y, z]
  single: only
  empty:
  quoted-null: "null"
)";

TEST(ConfigGetters, AcceptedForms) {
  Config c = Config::from_string(kValues, "values.yaml");
  EXPECT_TRUE(c.get_bool("a.yes-word", false));
  EXPECT_FALSE(c.get_bool("a.off-word", true));
  EXPECT_TRUE(c.get_bool("a.one", false));
  EXPECT_EQ(c.get_int("a.count", 0), 42);
  EXPECT_EQ(c.get_int("a.hex", 0), 32);
  EXPECT_EQ(c.get_int("a.negative", 0), -5);
  EXPECT_EQ(c.get_int("a.count", 0, 42, 42), 42);  // bounds are inclusive
  EXPECT_EQ(c.get_size("a.size-plain", 0), 4096u);
  EXPECT_EQ(c.get_size("a.size-mb", 0), 128u * 1024 * 1024);
  EXPECT_EQ(c.get_size("a.count", 0), 42u);
  EXPECT_DOUBLE_EQ(c.get_double("a.ratio", 0), 1.5);
  EXPECT_DOUBLE_EQ(c.get_double("a.count", 0), 42.0);
  EXPECT_EQ(c.get_string("a.quoted-null"), "null");
  EXPECT_EQ(c.get_string_list("a.list"), (std::vector<std::string>{"x", "y", "z"}));
  EXPECT_EQ(c.get_string_list("a.single"), (std::vector<std::string>{"only"}));
  EXPECT_TRUE(c.get_string_list("a.empty").empty());
  EXPECT_TRUE(c.get_string_list("a.missing").empty());
}

TEST(ConfigGetters, MissingAndNullGiveTheDefault) {
  Config c = Config::from_string(kValues, "values.yaml");
  EXPECT_TRUE(c.get_bool("a.missing", true));
  EXPECT_FALSE(c.get_bool("a.empty", false));
  EXPECT_EQ(c.get_int("a.empty", 9), 9);
  EXPECT_EQ(c.get_size("a.missing", 77), 77u);
  EXPECT_DOUBLE_EQ(c.get_double("a.empty", 2.5), 2.5);
  EXPECT_EQ(c.get_string("a.empty", "d"), "d");
  // The default is not range-checked: it is the caller's own constant.
  EXPECT_EQ(c.get_int("a.missing", -1, 0, 10), -1);
}

TEST(ConfigGetters, RejectedFormsNameFileLineAndKey) {
  Config c = Config::load_file(data_path("bad_values.yaml"));
  const std::string file = data_path("bad_values.yaml");
  EXPECT_EQ(error_of([&] { c.get_size("flow.memcap", 0); }),
            file + ":4: flow.memcap: invalid size '12xb' (expected e.g. 128mb)");
  EXPECT_EQ(error_of([&] { c.get_int("flow.hash-size", 0, 1, 65535); }),
            file + ":5: flow.hash-size: value 70000 out of range [1, 65535]");
  EXPECT_EQ(error_of([&] { c.get_int("flow.prealloc", 0); }),
            file + ":6: flow.prealloc: invalid integer 'lots'");
  EXPECT_EQ(error_of([&] { c.get_bool("vlan.use-for-tracking", true); }),
            file + ":8: vlan.use-for-tracking: invalid boolean 'maybe' "
                   "(expected yes/no, true/false, on/off or 1/0)");
  EXPECT_EQ(error_of([&] { c.get_double("threading.detect-thread-ratio", 1.0); }),
            file + ":10: threading.detect-thread-ratio: invalid number 'fast'");
  // Through a node handle the key is still reported in full.
  EXPECT_EQ(error_of([&] { c.find("flow")->get_size("memcap", 0); }),
            file + ":4: flow.memcap: invalid size '12xb' (expected e.g. 128mb)");
}

TEST(ConfigGetters, WrongShapes) {
  Config c = Config::from_string(kValues, "values.yaml");
  EXPECT_EQ(error_of([&] { c.get_string_list("a"); }),
            "values.yaml:3: a: expected a list, found a mapping");
  EXPECT_EQ(error_of([&] { c.get_int("a.list", 0); }),
            "values.yaml:13: a.list: expected a single value, found a list");
  Config nested = Config::from_string("l:\n  - a\n  - b: c\n", "n.yaml");
  EXPECT_EQ(error_of([&] { nested.get_string_list("l"); }),
            "n.yaml:3: l.1: expected a single value in the list, found a mapping");
}

TEST(ConfigGetters, FailLocatesCallerChecks) {
  Config c = Config::from_string("outputs:\n  - eve-log:\n      filetype: redis\n", "o.yaml");
  auto filetype = c.find("outputs.eve-log.filetype");
  ASSERT_TRUE(filetype.has_value());
  EXPECT_EQ(error_of([&] { filetype->fail("filetype 'redis' is not supported"); }),
            "o.yaml:3: outputs.eve-log.filetype: filetype 'redis' is not supported");
}

}  // namespace
}  // namespace seawall
