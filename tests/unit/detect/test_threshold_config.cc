// threshold.config parsing with Suricata's documented examples.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "detect/engine/threshold_config.h"

namespace seawall::detect {
namespace {

using Kind = ThresholdConfigEntry::Kind;

TEST(ThresholdConfig, SuricataDocumentationExamples) {
  // From the Suricata user guide "Global-Thresholds" page.
  const char* text =
      "# comment\n"
      "\n"
      "threshold gen_id 1, sig_id 10, type limit, track by_src, count 1, seconds 60\n"
      "event_filter gen_id 1, sig_id 1000, type threshold, track by_dst, count 10, seconds 60\n"
      "rate_filter gen_id 1, sig_id 1000, track by_rule, count 100, seconds 60, \\\n"
      "  new_action alert, timeout 30\n"
      "suppress gen_id 1, sig_id 2002087, track by_src, ip 209.132.180.67\n"
      "suppress gen_id 1, sig_id 2003614, track by_src, ip 217.110.97.128/25\n"
      "suppress gen_id 1, sig_id 2003614, track by_src, ip $HOME_NET\n"
      "suppress gen_id 1, sig_id 2003614, track by_either, ip [192.168.0.0/16,!192.168.1.0/24]\n"
      "suppress gen_id 0, sig_id 0, track by_src, ip 10.0.0.1\n"
      "suppress gen_id 1, sig_id 2000\n"
      "rate_filter gen_id 1, sig_id 2, track by_src, count 10, seconds 1, new_action drop, "
      "timeout 10\n";
  ThresholdConfig c = parse_threshold_config(text, "threshold.config");
  ASSERT_TRUE(c.errors.empty()) << c.errors[0].message;
  ASSERT_EQ(c.entries.size(), 10u);

  const auto& t = c.entries[0];
  EXPECT_EQ(t.kind, Kind::kThreshold);
  EXPECT_EQ(t.gid, 1u);
  EXPECT_EQ(t.sid, 10u);
  EXPECT_EQ(t.spec.type, ThresholdSpec::Type::kLimit);
  EXPECT_EQ(t.spec.track, ThresholdSpec::Track::kBySrc);
  EXPECT_EQ(t.spec.count, 1u);
  EXPECT_EQ(t.spec.seconds, 60u);
  EXPECT_EQ(t.line, 3);

  EXPECT_EQ(c.entries[1].kind, Kind::kEventFilter);
  EXPECT_EQ(c.entries[1].spec.type, ThresholdSpec::Type::kThreshold);
  EXPECT_EQ(c.entries[1].spec.track, ThresholdSpec::Track::kByDst);

  const auto& rf = c.entries[2];
  EXPECT_EQ(rf.kind, Kind::kRateFilter);
  EXPECT_EQ(rf.line, 5);  // continuation keeps the first line's number
  EXPECT_EQ(rf.spec.track, ThresholdSpec::Track::kByRule);
  EXPECT_EQ(rf.spec.count, 100u);
  EXPECT_EQ(rf.new_action, Action::kAlert);
  EXPECT_EQ(rf.timeout, 30u);

  EXPECT_EQ(c.entries[3].kind, Kind::kSuppress);
  EXPECT_EQ(c.entries[3].suppress_track, ThresholdConfigEntry::SuppressTrack::kBySrc);
  EXPECT_EQ(c.entries[3].suppress_ip, "209.132.180.67");
  EXPECT_EQ(c.entries[4].suppress_ip, "217.110.97.128/25");
  EXPECT_EQ(c.entries[5].suppress_ip, "$HOME_NET");
  EXPECT_EQ(c.entries[6].suppress_track, ThresholdConfigEntry::SuppressTrack::kByEither);
  EXPECT_EQ(c.entries[6].suppress_ip, "[192.168.0.0/16,!192.168.1.0/24]");
  EXPECT_EQ(c.entries[7].gid, 0u);
  EXPECT_EQ(c.entries[7].sid, 0u);
  EXPECT_EQ(c.entries[8].suppress_track, ThresholdConfigEntry::SuppressTrack::kNone);
  EXPECT_TRUE(c.entries[8].suppress_ip.empty());
  EXPECT_EQ(c.entries[9].new_action, Action::kDrop);
  EXPECT_EQ(c.entries[9].timeout, 10u);
}

TEST(ThresholdConfig, ErrorsCarryLineNumbersAndTheRestLoads) {
  const char* text =
      "threshold gen_id 1, sig_id 1, type limit, track by_src, count 1\n"          // 1: no seconds
      "threshold gen_id 1, sig_id 2, type sometimes, track by_src, count 1, seconds 1\n"  // 2
      "suppress gen_id 1, sig_id 3, track by_src\n"                                  // 3: no ip
      "suppress gen_id 1, sig_id 4, track by_host, ip 1.2.3.4\n"                     // 4
      "rate_filter gen_id 1, sig_id 5, track by_rule, count 1, seconds 1, new_action drop\n"  // 5
      "rate_filter gen_id 1, sig_id 6, track by_rule, count 1, seconds 1, new_action kill, "
      "timeout 1\n"                                                                  // 6
      "limit gen_id 1, sig_id 7\n"                                                   // 7
      "threshold sig_id 1, gen_id 1, type limit, track by_src, count 1, seconds 1\n" // 8
      "threshold gen_id 1, sig_id x, type limit, track by_src, count 1, seconds 1\n" // 9
      "threshold gen_id 1, sig_id 1, type limit, track by_src, count 0, seconds 1\n" // 10
      "threshold gen_id 0, sig_id 5, type limit, track by_src, count 1, seconds 1\n" // 11
      "threshold gen_id 1, sig_id 9, type both, track by_both, count 3, seconds 9\n";  // 12 ok
  ThresholdConfig c = parse_threshold_config(text, "t.config");
  ASSERT_EQ(c.entries.size(), 1u);
  EXPECT_EQ(c.entries[0].sid, 9u);
  EXPECT_EQ(c.entries[0].line, 12);
  ASSERT_EQ(c.errors.size(), 11u);
  for (int i = 0; i < 11; ++i) {
    EXPECT_EQ(c.errors[i].line, i + 1);
    EXPECT_EQ(c.errors[i].message.rfind("t.config:" + std::to_string(i + 1) + ": ", 0), 0u)
        << c.errors[i].message;
  }
  EXPECT_NE(c.errors[1].message.find("sometimes"), std::string::npos);
}

TEST(ThresholdConfig, LoadsFromFile) {
  std::string path = ::testing::TempDir() + "seawall_threshold_test.config";
  {
    std::ofstream out(path);
    out << "suppress gen_id 1, sig_id 2210000\n";
  }
  ThresholdConfig c = load_threshold_config(path);
  ASSERT_EQ(c.entries.size(), 1u);
  EXPECT_EQ(c.entries[0].sid, 2210000u);
  std::remove(path.c_str());
  EXPECT_THROW(load_threshold_config(path), std::runtime_error);
}

// Every threshold.config of Suricata's verification suite loads cleanly.
TEST(ThresholdConfig, SuricataVerifyFilesParse) {
  namespace fs = std::filesystem;
  fs::path root = fs::path(SEAWALL_CORPUS_DIR) / "suricata-verify" / "tests";
  if (!fs::exists(root)) GTEST_SKIP() << "corpus not found at " << root;
  size_t files = 0, entries = 0;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.path().filename() != "threshold.config") continue;
    ThresholdConfig c = load_threshold_config(e.path().string());
    EXPECT_TRUE(c.errors.empty()) << c.errors[0].message;
    EXPECT_FALSE(c.entries.empty()) << e.path();
    ++files;
    entries += c.entries.size();
  }
  EXPECT_GE(files, 20u);
  EXPECT_GE(entries, files);
}

}  // namespace
}  // namespace seawall::detect
