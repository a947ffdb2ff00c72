// Loads the whole Emerging Threats Open ruleset with Suricata's default vars
// and classification.config. Keywords not built yet are expected (and
// reported); what must never happen is a rule failing inside the header
// grammar or inside a keyword that is registered and supported: that is a
// misparse of valid Suricata syntax.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>

#include "detect/rules/rule_parser.h"

namespace seawall::detect {
namespace {

const std::string kEtRules = std::string(SEAWALL_CORPUS_DIR) + "/rules/et-open/rules";

RuleLoadContext suricata_default_context() {
  RuleLoadContext c;
  const std::string home = "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]";
  c.address_vars["HOME_NET"] = home;
  c.address_vars["EXTERNAL_NET"] = "!$HOME_NET";
  for (const char* v : {"HTTP_SERVERS", "SMTP_SERVERS", "SQL_SERVERS", "DNS_SERVERS",
                        "TELNET_SERVERS", "AIM_SERVERS", "DC_SERVERS", "DNP3_SERVER",
                        "DNP3_CLIENT", "MODBUS_CLIENT", "MODBUS_SERVER", "ENIP_CLIENT",
                        "ENIP_SERVER"}) {
    c.address_vars[v] = "$HOME_NET";
  }
  c.port_vars["HTTP_PORTS"] = "80";
  c.port_vars["SHELLCODE_PORTS"] = "!80";
  c.port_vars["ORACLE_PORTS"] = "1521";
  c.port_vars["SSH_PORTS"] = "22";
  c.port_vars["DNP3_PORTS"] = "20000";
  c.port_vars["MODBUS_PORTS"] = "502";
  c.port_vars["FILE_DATA_PORTS"] = "[$HTTP_PORTS,110,143]";
  c.port_vars["FTP_PORTS"] = "21";
  c.port_vars["GENEVE_PORTS"] = "6081";
  c.port_vars["VXLAN_PORTS"] = "4789";
  c.port_vars["TEREDO_PORTS"] = "3544";
  return c;
}

bool is_unknown_keyword(const RuleFailure& f) {
  return !f.unsupported && !f.keyword.empty() && find_keyword(f.keyword) == nullptr;
}

void print_top(const char* title, const std::map<std::string, size_t>& counts, size_t limit) {
  std::vector<std::pair<std::string, size_t>> v(counts.begin(), counts.end());
  std::sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.second > b.second; });
  std::printf("%s (%zu distinct):\n", title, v.size());
  for (size_t i = 0; i < v.size() && i < limit; ++i) {
    std::printf("  %7zu  %s\n", v[i].second, v[i].first.c_str());
  }
}

TEST(EtOpenLoad, EveryRuleLoadsOrIsReportedWithItsKeyword) {
  if (!std::filesystem::is_directory(kEtRules)) GTEST_SKIP() << "corpus not found at " << kEtRules;
  RuleLoadContext context = suricata_default_context();
  const std::string classification = kEtRules + "/classification.config";
  load_classification_file(std::filesystem::exists(classification)
                               ? classification
                               : std::string(SEAWALL_CORPUS_DIR) +
                                     "/suricata-etc/classification.config",
                           context);

  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(kEtRules)) {
    if (e.path().extension() == ".rules") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty());

  std::vector<std::unique_ptr<Rule>> rules;
  std::vector<RuleFailure> failures;
  auto start = std::chrono::steady_clock::now();
  for (const std::string& f : files) EXPECT_TRUE(load_rule_file(f, context, rules, failures)) << f;
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::map<std::string, size_t> unsupported, unknown;
  std::vector<const RuleFailure*> misparses;
  size_t unsupported_rules = 0, unknown_rules = 0;
  for (const RuleFailure& f : failures) {
    if (f.unsupported) {
      ++unsupported_rules;
      ++unsupported[f.keyword.empty() ? f.reason : f.keyword];
    } else if (is_unknown_keyword(f)) {
      ++unknown_rules;
      ++unknown[f.keyword];
    } else {
      misparses.push_back(&f);  // header error, or a registered keyword rejecting valid syntax
    }
  }
  const size_t total = rules.size() + failures.size();
  std::printf("ET Open: %zu files, %zu rules in %.2f s (%.0f rules/s)\n", files.size(), total,
              seconds, seconds > 0 ? static_cast<double>(total) / seconds : 0.0);
  std::printf("  loaded %zu, unknown keyword %zu, unsupported %zu, failed %zu\n", rules.size(),
              unknown_rules, unsupported_rules, misparses.size());
  print_top("unknown keywords (first one per rule)", unknown, 40);
  print_top("unsupported keywords", unsupported, 40);
  for (size_t i = 0; i < misparses.size() && i < 50; ++i) {
    ADD_FAILURE() << "misparse: " << format_failure(*misparses[i]) << "\n  " << misparses[i]->text;
  }
  EXPECT_TRUE(misparses.empty()) << misparses.size() << " valid ET Open rules misparsed";
  EXPECT_GT(total, 20000u);
}

}  // namespace
}  // namespace seawall::detect
