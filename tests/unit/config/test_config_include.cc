#include <gtest/gtest.h>

#include "config/config.h"
#include "test_helpers.h"

namespace seawall {
namespace {

using config_test::data_path;
using config_test::error_of;

TEST(ConfigInclude, TopLevelNestedAndInsideAMapping) {
  Config c = Config::load_file(data_path("include_main.yaml"));
  // The main file sets flow.memcap after the include: it wins; the child's other keys stay.
  EXPECT_EQ(c.get_size("flow.memcap", 0), 64u * 1024 * 1024);
  EXPECT_EQ(c.get_int("flow.hash-size", 0), 1024);
  // inc/child.yaml includes nested/grandchild.yaml relative to its own directory.
  EXPECT_EQ(c.get_int("stats.interval", 0), 16);
  // `include:` inside the eve-log mapping merges eve-extra.yaml's keys there.
  EXPECT_EQ(c.get_string("outputs.eve-log.filename"), "extra.json");
  EXPECT_TRUE(c.get_bool("outputs.eve-log.community-id", false));
  EXPECT_TRUE(c.get_bool("outputs.eve-log.enabled", false));
  EXPECT_FALSE(c.find("include").has_value());
  EXPECT_FALSE(c.find("outputs.eve-log.include").has_value());
}

TEST(ConfigInclude, ValuesRememberTheirOwnFile) {
  Config c = Config::load_file(data_path("include_main.yaml"));
  EXPECT_EQ(c.find("flow.hash-size")->location(), data_path("inc/child.yaml") + ":3");
  EXPECT_EQ(c.find("stats.interval")->location(), data_path("inc/nested/grandchild.yaml") + ":2");
  EXPECT_EQ(c.find("flow.memcap")->location(), data_path("include_main.yaml") + ":7");
  EXPECT_EQ(c.find("outputs.eve-log.filename")->location(), data_path("eve-extra.yaml") + ":1");
  EXPECT_EQ(error_of([&] { c.get_bool("outputs.eve-log.filename", false); }),
            data_path("eve-extra.yaml") +
                ":1: outputs.eve-log.filename: invalid boolean 'extra.json' (expected yes/no, "
                "true/false, on/off or 1/0)");
}

TEST(ConfigInclude, ListOfFilesMergesInOrder) {
  Config c = Config::load_file(data_path("include_list.yaml"));
  EXPECT_EQ(c.get_int("flow.prealloc", 0), 7);            // list_b after list_a
  EXPECT_EQ(c.get_int("flow.emergency-recovery", 0), 40);
  EXPECT_EQ(c.get_string("runmode"), "workers");           // main file after both
}

TEST(ConfigInclude, IncludeTagReplacesTheValue) {
  Config c = Config::load_file(data_path("include_tag.yaml"));
  EXPECT_FALSE(c.get_bool("decoder.vxlan.enabled", true));
}

TEST(ConfigInclude, MissingFileIsNamedWithTheIncludeLine) {
  const std::string message =
      error_of([] { Config::load_file(data_path("include_missing.yaml")); });
  EXPECT_EQ(message, data_path("include_missing.yaml") + ":3: include: cannot open '" +
                         data_path("does-not-exist.yaml") + "': No such file or directory");
}

TEST(ConfigInclude, MissingMainFile) {
  EXPECT_EQ(error_of([] { Config::load_file("/nonexistent/seawall.yaml"); }),
            "configuration file: cannot open '/nonexistent/seawall.yaml': "
            "No such file or directory");
  EXPECT_EQ(error_of([] { Config::load_file(data_path("inc")); }),
            "configuration file: cannot read '" + data_path("inc") + "': is a directory");
}

TEST(ConfigInclude, CycleIsReported) {
  const std::string message =
      error_of([] { Config::load_file(data_path("include_cycle_a.yaml")); });
  EXPECT_NE(message.find("include cycle"), std::string::npos) << message;
  EXPECT_NE(message.find("include_cycle_b.yaml"), std::string::npos) << message;
}

TEST(ConfigInclude, FromStringResolvesAgainstTheCurrentDirectory) {
  const std::string text = "include: " + data_path("inc/list_b.yaml") + "\n";
  Config c = Config::from_string(text, "inline");
  EXPECT_EQ(c.get_int("flow.prealloc", 0), 7);
  EXPECT_EQ(error_of([] { Config::from_string("include: [a, {b: c}]\n", "inline"); }),
            "inline:1: include: expected a file name");
}

TEST(ConfigSyntax, ErrorGivesFileLineAndColumn) {
  // PyYAML places this error at line 5, column 2 as well (the mis-indented key).
  EXPECT_EQ(error_of([] { Config::load_file(data_path("syntax_error.yaml")); }),
            data_path("syntax_error.yaml") + ":5:2: end of map not found");
  EXPECT_EQ(error_of([] { Config::from_string("a: [1, 2\nb: 3\n", "flow.yaml"); }).rfind(
                "flow.yaml:", 0),
            0u);
  EXPECT_EQ(error_of([] { Config::from_string("- a\n- b\n", "list.yaml"); }),
            "list.yaml:1: the top level must be a mapping of keys");
}

TEST(ConfigSyntax, HeaderAndEmptyDocument) {
  Config c = Config::from_string("%YAML 1.1\n---\nrunmode: single\n", "h.yaml");
  EXPECT_EQ(c.get_string("runmode"), "single");
  Config empty = Config::from_string("# nothing\n", "e.yaml");
  EXPECT_TRUE(empty.root().is_map());
  EXPECT_EQ(empty.root().size(), 0u);
  EXPECT_TRUE(empty.unused_keys().empty());
}

}  // namespace
}  // namespace seawall
