#include "capture/pcap_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace seawall {
namespace {

const std::string kSample = std::string(SEAWALL_SOURCE_DIR) + "/samples/demo.pcap";

struct FrameRecord {
  uint64_t pcap_cnt;
  Timestamp ts;
  uint32_t caplen;
  std::string bytes;
  bool operator==(const FrameRecord&) const = default;
};

std::vector<FrameRecord> read_all(CaptureSource& source) {
  std::vector<FrameRecord> frames;
  RawFrame f;
  while (source.next(f) == ReadStatus::kFrame) {
    frames.push_back({f.pcap_cnt, f.ts, f.caplen,
                      std::string(reinterpret_cast<const char*>(f.data), f.caplen)});
  }
  return frames;
}

TEST(PcapFileSource, ReplicaReadsTheSameFramesIndependently) {
  ASSERT_TRUE(std::filesystem::exists(kSample)) << kSample;
  PcapFileSource source(kSample, "");
  // Opened before the original is read, read after: the two share no state.
  std::unique_ptr<CaptureSource> replica = source.open_replica();
  ASSERT_NE(replica, nullptr);
  const std::vector<FrameRecord> original = read_all(source);
  const std::vector<FrameRecord> copy = read_all(*replica);
  ASSERT_GT(original.size(), 10u);
  EXPECT_EQ(original, copy);
  EXPECT_EQ(original.front().pcap_cnt, 1u);
  EXPECT_EQ(original.back().pcap_cnt, original.size());
}

TEST(PcapFileSource, ReplicaKeepsTheFilter) {
  PcapFileSource source(kSample, "udp");
  std::unique_ptr<CaptureSource> replica = source.open_replica();
  const std::vector<FrameRecord> original = read_all(source);
  ASSERT_FALSE(original.empty());
  EXPECT_EQ(original, read_all(*replica));
  PcapFileSource unfiltered(kSample, "");
  EXPECT_LT(original.size(), read_all(unfiltered).size());
}

TEST(PcapFileSource, BadFilterIsRefusedBeforeReading) {
  try {
    PcapFileSource source(kSample, "tcp and ((");
    FAIL() << "a filter that does not compile was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("invalid BPF filter 'tcp and (('"), std::string::npos)
        << e.what();
  }
}

TEST(PcapFileSource, ReplicaCountsUnreadableFilesButStaysQuiet) {
  const std::string dir = ::testing::TempDir() + "/seawall-replica-dir";
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(kSample, dir + "/a.pcap",
                             std::filesystem::copy_options::overwrite_existing);
  {
    std::FILE* junk = std::fopen((dir + "/b.pcap").c_str(), "wb");
    ASSERT_NE(junk, nullptr);
    std::fputs("not a capture at all", junk);
    std::fclose(junk);
  }
  PcapFileSource source(dir, "");
  std::unique_ptr<CaptureSource> replica = source.open_replica();
  testing::internal::CaptureStderr();
  EXPECT_EQ(read_all(*replica).size(), read_all(source).size());
  const std::string logged = testing::internal::GetCapturedStderr();
  EXPECT_EQ(source.open_failures(), 1u);
  EXPECT_EQ(replica->open_failures(), 1u);
  // Only the original names the bad file.
  size_t mentions = 0;
  for (size_t at = logged.find("b.pcap"); at != std::string::npos; at = logged.find("b.pcap", at + 1))
    ++mentions;
  EXPECT_EQ(mentions, 1u) << logged;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace seawall
