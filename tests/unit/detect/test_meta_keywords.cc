// Meta keywords (msg sid rev gid classtype priority reference metadata target)
// and the classification.config / reference.config loaders, checked against
// Suricata's shipped config files.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "detect/rules/rule_parser.h"

namespace seawall::detect {
namespace {

const std::string kEtc = std::string(SEAWALL_CORPUS_DIR) + "/suricata-etc";

std::unique_ptr<Rule> parse_ok(std::string_view options, RuleLoadContext& c) {
  RuleFailure f;
  auto rule = parse_rule("alert tcp any any -> any any (" + std::string(options) + ")", "m.rules",
                         3, c, f);
  EXPECT_NE(rule, nullptr) << format_failure(f);
  return rule;
}

std::string failure_of(std::string_view options, RuleLoadContext& c) {
  RuleFailure f;
  auto rule = parse_rule("alert tcp any any -> any any (" + std::string(options) + ")", "m.rules",
                         3, c, f);
  EXPECT_EQ(rule, nullptr) << options;
  return rule ? "" : format_failure(f);
}

TEST(MetaKeywords, Registered) {
  for (const char* name : {"msg", "sid", "rev", "gid", "classtype", "priority", "reference",
                           "metadata", "target"}) {
    RuleLoadContext c;
    (void)parse_ok("sid:1;", c);  // makes sure the meta object is linked
    const KeywordDescriptor* d = find_keyword(name);
    ASSERT_NE(d, nullptr) << name;
    EXPECT_EQ(d->kind, KeywordKind::kMeta);
    EXPECT_FALSE(d->help.empty());
    EXPECT_TRUE(d->unsupported_reason.empty());
  }
}

TEST(MetaKeywords, IdentityFields) {
  RuleLoadContext c;
  auto r = parse_ok("msg:\"ET POLICY a \\\"quoted\\\" word\\; and more\"; sid: 2024001 ; rev:3; "
                    "gid:\"5\";", c);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->msg, "ET POLICY a \"quoted\" word; and more");
  EXPECT_EQ(r->sid, 2024001u);
  EXPECT_EQ(r->rev, 3u);
  EXPECT_EQ(r->gid, 5u);
  auto quoted = parse_ok("sid:\"42\";", c);
  ASSERT_NE(quoted, nullptr);
  EXPECT_EQ(quoted->sid, 42u);
  EXPECT_TRUE(quoted->msg.empty());  // msg is optional

  EXPECT_EQ(failure_of("msg:unquoted; sid:1;", c),
            "m.rules:3: sid 1: msg: value must be a double-quoted string");
  EXPECT_EQ(failure_of("sid:0;", c),
            "m.rules:3: sid ?: sid: invalid value '0' (expected 1..4294967295)");
  EXPECT_EQ(failure_of("sid:4294967296;", c),
            "m.rules:3: sid ?: sid: invalid value '4294967296' (expected 1..4294967295)");
  EXPECT_EQ(failure_of("sid:12abc;", c),
            "m.rules:3: sid ?: sid: invalid value '12abc' (expected 1..4294967295)");
  EXPECT_EQ(failure_of("sid:1; sid:2;", c), "m.rules:3: sid 1: sid: duplicate sid keyword");
  EXPECT_EQ(failure_of("rev:-1; sid:7;", c),
            "m.rules:3: sid 7: rev: invalid value '-1' (expected 0..4294967295)");
}

TEST(MetaKeywords, ClasstypeAndPriority) {
  RuleLoadContext c;
  c.classifications["trojan-activity"] = {"A Network Trojan was detected", 1};
  c.classifications["misc-activity"] = {"Misc activity", 3};
  auto r = parse_ok("classtype:Trojan-Activity; sid:1;", c);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->classtype, "trojan-activity");
  EXPECT_EQ(r->category, "A Network Trojan was detected");
  EXPECT_EQ(r->priority, 1);

  // An explicit priority wins whatever the order.
  auto before = parse_ok("priority:4; classtype:trojan-activity; sid:2;", c);
  ASSERT_NE(before, nullptr);
  EXPECT_EQ(before->priority, 4);
  auto after = parse_ok("classtype:trojan-activity; priority:2; sid:3;", c);
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(after->priority, 2);

  EXPECT_EQ(failure_of("classtype:no-such-class; sid:4;", c),
            "m.rules:3: sid 4: unknown classtype 'no-such-class'");
  EXPECT_EQ(failure_of("classtype:misc-activity; classtype:trojan-activity; sid:5;", c),
            "m.rules:3: sid 5: classtype: duplicate classtype keyword");
  EXPECT_EQ(failure_of("priority:0; sid:6;", c),
            "m.rules:3: sid 6: priority: invalid value '0' (expected 1..2147483647)");

  // Without a classification file any well-formed name is accepted.
  RuleLoadContext empty;
  auto loose = parse_ok("classtype:whatever; sid:7;", empty);
  ASSERT_NE(loose, nullptr);
  EXPECT_EQ(loose->classtype, "whatever");
  EXPECT_TRUE(loose->category.empty());
  EXPECT_EQ(loose->priority, 3);
}

TEST(MetaKeywords, ReferenceMetadataTarget) {
  RuleLoadContext c;
  auto r = parse_ok(
      "reference:url,doc.emergingthreats.net/2001219; reference: CVE , 2021-44228; "
      "reference:md5,0123abc; reference:madeup,xyz; "
      "metadata: former_category POLICY, created_at 2010_07_30 ,updated_at 2019_07_26,; "
      "metadata:signature_severity Major; target:dest_ip; sid:10;",
      c);
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->references.size(), 4u);
  EXPECT_EQ(r->references[0].system, "url");
  EXPECT_EQ(r->references[0].value, "doc.emergingthreats.net/2001219");
  EXPECT_EQ(r->references[1].system, "cve");
  EXPECT_EQ(r->references[1].value, "2021-44228");
  EXPECT_EQ(r->references[3].system, "madeup");  // unknown systems accepted, as Suricata does
  ASSERT_EQ(r->metadata.size(), 4u);
  EXPECT_EQ(r->metadata[0], "former_category POLICY");
  EXPECT_EQ(r->metadata[1], "created_at 2010_07_30");
  EXPECT_EQ(r->metadata[2], "updated_at 2019_07_26");
  EXPECT_EQ(r->metadata[3], "signature_severity Major");
  EXPECT_EQ(r->target, Rule::Target::kDst);
  auto src = parse_ok("target:src_ip; sid:11;", c);
  ASSERT_NE(src, nullptr);
  EXPECT_EQ(src->target, Rule::Target::kSrc);

  EXPECT_EQ(failure_of("reference:nocomma; sid:12;", c),
            "m.rules:3: sid 12: reference: expected 'system,value' but got 'nocomma'");
  EXPECT_EQ(failure_of("reference:url,; sid:13;", c),
            "m.rules:3: sid 13: reference: expected 'system,value' but got 'url,'");
  EXPECT_EQ(failure_of("target:both; sid:14;", c),
            "m.rules:3: sid 14: target: expected src_ip or dest_ip but got 'both'");
  EXPECT_EQ(failure_of("metadata; sid:15;", c),
            "m.rules:3: sid 15: keyword 'metadata' needs a value");
}

TEST(ConfigFiles, SuricataClassificationConfig) {
  const std::string path = kEtc + "/classification.config";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "corpus not found at " << path;
  RuleLoadContext c;
  load_classification_file(path, c);
  // Count the definitions independently of our parser.
  std::ifstream in(path);
  std::string line;
  size_t expected = 0;
  while (std::getline(in, line)) {
    if (line.rfind("config classification:", 0) == 0) ++expected;
  }
  EXPECT_EQ(c.classifications.size(), expected);
  ASSERT_EQ(c.classifications.count("trojan-activity"), 1u);
  EXPECT_EQ(c.classifications["trojan-activity"].description, "A Network Trojan was detected");
  EXPECT_EQ(c.classifications["trojan-activity"].priority, 1);
  EXPECT_EQ(c.classifications["bad-unknown"].description, "Potentially Bad Traffic");
  EXPECT_EQ(c.classifications["bad-unknown"].priority, 2);
  EXPECT_EQ(c.classifications["tcp-connection"].priority, 4);
}

TEST(ConfigFiles, SuricataReferenceConfig) {
  const std::string path = kEtc + "/reference.config";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "corpus not found at " << path;
  RuleLoadContext c;
  load_reference_file(path, c);
  EXPECT_EQ(c.reference_systems["cve"], "https://cve.mitre.org/cgi-bin/cvename.cgi?name=");
  EXPECT_EQ(c.reference_systems["url"], "https://");
  EXPECT_EQ(c.reference_systems["mcafee"], "https://vil.nai.com/vil/content/v_");  // "McAfee"
  EXPECT_EQ(c.reference_systems["arachnids"], "https://www.whitehats.com/info/IDS");
}

TEST(ConfigFiles, ReferencesTakeTheirUrlPrefixFromReferenceConfig) {
  const std::string path = kEtc + "/reference.config";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "corpus not found at " << path;
  RuleLoadContext c;
  load_reference_file(path, c);
  // The ET Open style rule of Suricata's thresholding docs (sid 2002087).
  auto r = parse_ok(
      "reference:url,doc.emergingthreats.net/2002087; reference:CVE,2014-0160; "
      "reference:nosuchsystem,abc; sid:2002087;",
      c);
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->references.size(), 3u);
  // Suricata's EVE "references": key URL from reference.config + value.
  EXPECT_EQ(r->references[0].prefix + r->references[0].value,
            "https://doc.emergingthreats.net/2002087");
  EXPECT_EQ(r->references[1].prefix + r->references[1].value,
            "https://cve.mitre.org/cgi-bin/cvename.cgi?name=2014-0160");
  // Unknown systems: Suricata registers them as "<system> undefined".
  EXPECT_EQ(r->references[2].prefix + r->references[2].value, "undefinedabc");
}

TEST(ConfigFiles, MalformedLinesSkippedAndMissingFileThrows) {
  const std::string path = ::testing::TempDir() + "rulestest_classification.config";
  std::ofstream(path) << "# comment\n"
                         "config classification: good,Good one, with comma,2\n"
                         "config classification: bad line without priority\n"
                         "config classification: badprio,Text,x\n"
                         "config classification:tight,Tight,5\n";
  RuleLoadContext c;
  load_classification_file(path, c);
  std::remove(path.c_str());
  ASSERT_EQ(c.classifications.size(), 2u);
  EXPECT_EQ(c.classifications["good"].description, "Good one, with comma");
  EXPECT_EQ(c.classifications["good"].priority, 2);
  EXPECT_EQ(c.classifications["tight"].priority, 5);
  EXPECT_THROW(load_classification_file("/nonexistent/classification.config", c), RuleError);
  EXPECT_THROW(load_reference_file("/nonexistent/reference.config", c), RuleError);
}

}  // namespace
}  // namespace seawall::detect

namespace seawall::detect {
namespace {

// Suricata 8 spellings and hints that ET/suricata-verify rules use.
TEST(KeywordSpellings, TcpFlagsAliasPrefilterAndUdpHdrAreKnown) {
  const KeywordDescriptor* flags = find_keyword("flags");
  ASSERT_NE(flags, nullptr);
  EXPECT_EQ(find_keyword("tcp.flags"), flags);
  const KeywordDescriptor* prefilter = find_keyword("prefilter");
  ASSERT_NE(prefilter, nullptr);
  EXPECT_TRUE(prefilter->unsupported_reason.empty());
  const KeywordDescriptor* udp_hdr = find_keyword("udp.hdr");
  ASSERT_NE(udp_hdr, nullptr);
  EXPECT_EQ(udp_hdr->kind, KeywordKind::kStickyBuffer);
}

}  // namespace
}  // namespace seawall::detect
