// `requires` (rules for other engine versions are skipped, not failed) and
// duplicate gid:sid handling (a newer rev replaces, anything else is refused),
// as Suricata 8 does.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "detect/engine/detect_engine.h"
#include "detect/keywords/keyword.h"
#include "detect/rules/rule_requires.h"

namespace seawall::detect {
namespace {

LoadReport load(std::vector<std::string> rules, std::unique_ptr<DetectEngine>* out = nullptr) {
  DetectConfig config;
  config.rule_texts = std::move(rules);
  LoadReport report;
  auto engine = DetectEngine::load(config, report);
  if (out != nullptr) *out = std::move(engine);
  return report;
}

TEST(Requires, VersionComparisonsAgainstRuleLanguage802) {
  EXPECT_TRUE(evaluate_requires("version >= 8").met);
  EXPECT_TRUE(evaluate_requires("version >= 7.0.3").met);
  EXPECT_TRUE(evaluate_requires("version = 8.0.2").met);
  EXPECT_FALSE(evaluate_requires("version = 8.0.0").met);
  EXPECT_FALSE(evaluate_requires("version >= 8.0.3").met);
  EXPECT_FALSE(evaluate_requires("version < 8").met);
  // A range, and alternatives: any alternative may hold.
  EXPECT_FALSE(evaluate_requires("version >= 7.0.3 < 8").met);
  EXPECT_TRUE(evaluate_requires("version >= 7.0.3 < 8 | >= 8.0.0").met);
  EXPECT_TRUE(evaluate_requires("version >= 7, feature hyperscan").met);
}

TEST(Requires, UnknownFeatureIsUnmetAndNamed) {
  const RequiresVerdict v = evaluate_requires("version >= 7, feature geoip");
  EXPECT_FALSE(v.met);
  EXPECT_EQ(v.unmet, "feature geoip");
}

TEST(Requires, BadSyntaxIsAnError) {
  EXPECT_THROW(evaluate_requires("version"), RuleError);
  EXPECT_THROW(evaluate_requires("version >= 8.x"), RuleError);
  EXPECT_THROW(evaluate_requires("version ~ 8"), RuleError);
  EXPECT_THROW(evaluate_requires("colour blue"), RuleError);
  EXPECT_THROW(evaluate_requires("feature"), RuleError);
}

TEST(Requires, UnmetRuleIsSkippedEvenWithUnknownKeywords) {
  const LoadReport r = load({
      R"(alert tcp any any -> any any (msg:"future"; requires: version >= 9; frobnicate; sid:1;))",
      R"(alert tcp any any -> any any (msg:"now"; requires: version >= 8; content:"a"; sid:2;))",
      R"(alert tcp any any -> any any (msg:"bad"; requires: version >> 8; sid:3;))"});
  EXPECT_EQ(r.loaded, 1u);
  EXPECT_EQ(r.skipped, 1u);
  EXPECT_EQ(r.failed, 1u);  // the syntax error
  EXPECT_EQ(r.unsupported, 0u);
  ASSERT_EQ(r.failures.size(), 2u);
  EXPECT_TRUE(r.failures[0].skipped);
  EXPECT_EQ(r.failures[0].sid, 1u);
  EXPECT_FALSE(r.failures[1].skipped);
  EXPECT_EQ(r.failures[1].keyword, "requires");
}

TEST(DuplicateSid, HigherRevisionWinsWhicheverComesFirst) {
  std::unique_ptr<DetectEngine> engine;
  const LoadReport r = load({R"(alert tcp any any -> any any (msg:"old"; sid:7; rev:1;))",
                             R"(alert tcp any any -> any any (msg:"new"; sid:7; rev:3;))",
                             R"(alert tcp any any -> any any (msg:"older"; sid:7; rev:2;))",
                             R"(alert tcp any any -> any any (msg:"other gid"; gid:2; sid:7;))"},
                            &engine);
  // rev 1 is replaced by rev 3 (skipped, as Suricata only warns); rev 2
  // after rev 3 is refused as a duplicate (an error).
  EXPECT_EQ(r.loaded, 2u);
  EXPECT_EQ(r.duplicates, 1u);
  EXPECT_EQ(r.failed, 1u);
  EXPECT_EQ(r.skipped, 1u);
  EXPECT_EQ(r.rules_seen, 4u);
  ASSERT_EQ(engine->rules().size(), 2u);
  for (const auto& rule : engine->rules()) {
    if (rule->gid == 1) {
      EXPECT_EQ(rule->rev, 3u);
      EXPECT_EQ(rule->msg, "new");
    }
  }
}

TEST(DuplicateSid, EqualRevisionKeepsTheFirst) {
  std::unique_ptr<DetectEngine> engine;
  const LoadReport r = load({R"(alert tcp any any -> any any (msg:"first"; sid:9;))",
                             R"(alert tcp any any -> any any (msg:"second"; sid:9;))"},
                            &engine);
  EXPECT_EQ(r.loaded, 1u);
  ASSERT_EQ(engine->rules().size(), 1u);
  EXPECT_EQ(engine->rules()[0]->msg, "first");
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_EQ(r.failures[0].line, 2);
  EXPECT_NE(r.failures[0].reason.find("duplicate signature"), std::string::npos);
}

}  // namespace
}  // namespace seawall::detect
