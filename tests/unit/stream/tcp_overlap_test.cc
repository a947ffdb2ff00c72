// Overlap policies against Suricata's own expectations: the step sequences
// and final buffers of OverlapBSD/VISTA/LINUX/LINUXOLD/SOLARIS/LAST (+ the
// Before/Same/After variants) and StreamTcpReassembleTest30-32 in Suricata's
// src/tests/stream-tcp-list.c (after Novak & Sturges' target-based reassembly
// patterns). Positions are Suricata's relative sequence numbers (1 = first
// byte after the ISN); holes are shown as NUL bytes, which our sink renders
// from on_stream_gap.
//
// Policies without their own Suricata vectors use those of the policy with
// identical rules in Suricata's DoHandleDataOverlap: windows, macos, irix and
// hpux10 share bsd's; hpux11 shares solaris'; first shares vista's (both keep
// the old bytes in every case).
//
// Our reassembler delivers in-order bytes at once, so each case is shifted by
// one byte: a filler at position 0 arrives last, keeping every step waiting
// (as in Suricata's buffer) until the whole case is in.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "stream/tcp_reassembly.h"
#include "tcp_test_util.h"

namespace seawall::stream {
namespace {

using testing::kAck;
using testing::TcpHarness;

#define BYTES(s) std::string(s, sizeof(s) - 1)

struct Step {
  uint32_t rseq;
  const char* data;
};

const std::vector<Step> kMain = {
    {2, "AAA"}, {6, "BB"},   {8, "CCC"},  {12, "D"},   {15, "EE"}, {17, "FFF"},
    {20, "GG"}, {22, "HH"},  {24, "I"},   {3, "JJJJ"}, {8, "KKK"}, {11, "LLL"},
    {14, "MMM"}, {18, "N"},  {21, "O"},   {22, "P"},   {24, "QQ"}, {1, "0"},
};
const std::vector<Step> kBefore = {
    {3, "B"}, {9, "D"}, {12, "EE"}, {2, "AA"}, {1, "JJJJ"}, {8, "LLL"}, {11, "MMM"},
};
const std::vector<Step> kSame = {
    {1, "CCC"}, {15, "HH"}, {17, "II"}, {1, "KKK"}, {1, "LLLL"}, {15, "P"}, {15, "QQ"},
};
const std::vector<Step> kAfter = {
    {1, "AA"}, {16, "FFF"}, {19, "GG"}, {2, "JJ"}, {20, "O"}, {17, "N"},
};

struct Expected {
  std::string main, before, same, after;
};

const Expected kBsdRules = {
    "0AAAJJBCCCLLLMMMFFFGGHHIQ",
    BYTES("JJJJ\0\0\0LLLMMM"),
    BYTES("CCCL\0\0\0\0\0\0\0\0\0\0HHII"),
    BYTES("AAJ\0\0\0\0\0\0\0\0\0\0\0\0FFFGG"),
};
const Expected kVistaRules = {
    "0AAAJBBCCCLDLMEEFFFGGHHIQ",
    BYTES("JABJ\0\0\0LDLMEE"),
    BYTES("CCCL\0\0\0\0\0\0\0\0\0\0HHII"),
    BYTES("AAJ\0\0\0\0\0\0\0\0\0\0\0\0FFFGG"),
};
const Expected kLinuxRules = {
    "0AAAJJBCCCLLLMMMFFFGGHHQQ",
    BYTES("JJJJ\0\0\0LLLMMM"),
    BYTES("LLLL\0\0\0\0\0\0\0\0\0\0HHII"),
    BYTES("AAJ\0\0\0\0\0\0\0\0\0\0\0\0FFFGG"),
};
const Expected kOldLinuxRules = {
    "0AAAJJBKKKLLLMMMFFFGGHHQQ",
    BYTES("JJJJ\0\0\0LLLMMM"),
    BYTES("LLLL\0\0\0\0\0\0\0\0\0\0QQII"),
    BYTES("AAJ\0\0\0\0\0\0\0\0\0\0\0\0FFFGG"),
};
const Expected kSolarisRules = {
    "0AJJJBBKKKLLLMMMFFFGGHHQQ",
    BYTES("JJJJ\0\0\0LLLMMM"),
    BYTES("LLLL\0\0\0\0\0\0\0\0\0\0QQII"),
    BYTES("AJJ\0\0\0\0\0\0\0\0\0\0\0\0FFFGG"),
};
const Expected kLastRules = {
    "0AJJJJBKKKLLLMMMFNFGOPHQQ",
    BYTES("JJJJ\0\0\0LLLMMM"),
    BYTES("LLLL\0\0\0\0\0\0\0\0\0\0QQII"),
    BYTES("AJJ\0\0\0\0\0\0\0\0\0\0\0\0FNFGO"),
};

// Replays `steps` as client segments after a handshake with ISN `isn`,
// then the filler, and returns the to-server stream seen by the sink.
std::string replay(OverlapPolicy policy, uint32_t isn, const std::vector<Step>& steps,
                   uint32_t* ends = nullptr) {
  StreamConfig config;
  config.policy = policy;
  TcpHarness h(config);
  h.handshake(isn, 77);
  for (const Step& s : steps) h.send(true, kAck, isn + 1 + s.rseq, 78, s.data);
  h.send(true, kAck, isn + 1, 78, "#");
  h.end();
  if (ends != nullptr) *ends = h.sink.ends[0];
  const std::string out = h.sink.stream[0];
  return out.empty() ? out : out.substr(1);  // drop the filler
}

struct PolicyCase {
  OverlapPolicy policy;
  const Expected* expected;
};

class OverlapPolicyTest : public ::testing::TestWithParam<PolicyCase> {};

TEST_P(OverlapPolicyTest, MatchesSuricataBuffers) {
  const PolicyCase& c = GetParam();
  // Suricata runs the same cases around the sequence wrap.
  for (uint32_t isn : {0u, 1u, 1000u, 0xFFFFFFF5u, 0xFFFFFFFFu}) {
    SCOPED_TRACE(::testing::Message() << overlap_policy_name(c.policy) << " isn " << isn);
    EXPECT_EQ(replay(c.policy, isn, kMain), c.expected->main);
    EXPECT_EQ(replay(c.policy, isn, kBefore), c.expected->before);
    EXPECT_EQ(replay(c.policy, isn, kSame), c.expected->same);
    EXPECT_EQ(replay(c.policy, isn, kAfter), c.expected->after);
  }
}

std::string policy_test_name(const ::testing::TestParamInfo<PolicyCase>& param) {
  std::string name(overlap_policy_name(param.param.policy));
  for (char& ch : name)
    if (ch == '-') ch = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(
    Suricata, OverlapPolicyTest,
    ::testing::Values(PolicyCase{OverlapPolicy::kBsd, &kBsdRules},
                      PolicyCase{OverlapPolicy::kWindows, &kBsdRules},
                      PolicyCase{OverlapPolicy::kMacos, &kBsdRules},
                      PolicyCase{OverlapPolicy::kIrix, &kBsdRules},
                      PolicyCase{OverlapPolicy::kHpux10, &kBsdRules},
                      PolicyCase{OverlapPolicy::kVista, &kVistaRules},
                      PolicyCase{OverlapPolicy::kFirst, &kVistaRules},
                      PolicyCase{OverlapPolicy::kLinux, &kLinuxRules},
                      PolicyCase{OverlapPolicy::kOldLinux, &kOldLinuxRules},
                      PolicyCase{OverlapPolicy::kSolaris, &kSolarisRules},
                      PolicyCase{OverlapPolicy::kHpux11, &kSolarisRules},
                      PolicyCase{OverlapPolicy::kLast, &kLastRules}),
    policy_test_name);

TEST(OverlapSuricataCases, Test30Test31Test32) {
  EXPECT_EQ(replay(OverlapPolicy::kBsd, 9, {{3, "BBB"}, {1, "AA"}}), "AABBB");
  EXPECT_EQ(replay(OverlapPolicy::kBsd, 9, {{1, "AA"}, {3, "BBB"}}), "AABBB");
  EXPECT_EQ(replay(OverlapPolicy::kBsd, 0,
                   {{11, "AAAAAAAAAA"},
                    {21, "BBBBBBBBBB"},
                    {41, "CCCCCCCCCC"},
                    {6, "aaaaaaaaaaaaaaaaaaaa"},
                    {1, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}}),
            std::string(50, 'x'));
}

TEST(OverlapEvents, DifferentWaitingDataRaisesEventAndCounters) {
  StreamConfig config;
  config.policy = OverlapPolicy::kFirst;
  TcpHarness h(config);
  h.handshake(0, 0);
  h.send(true, kAck, 5, 1, "bbbb");
  Packet same = h.send(true, kAck, 5, 1, "bbbb");
  EXPECT_FALSE(has_stream_event(same, StreamEvent::kReassemblyOverlapDifferentData));
  Packet diff = h.send(true, kAck, 6, 1, "XXXXX");
  EXPECT_TRUE(has_stream_event(diff, StreamEvent::kReassemblyOverlapDifferentData));
  EXPECT_EQ(h.counter("tcp.overlap"), 2u);
  EXPECT_EQ(h.counter("tcp.overlap_diff_data"), 1u);
  h.send(true, kAck, 1, 1, "aaaa");
  EXPECT_EQ(h.sink.bytes[0], "aaaabbbbXX");  // first: old bytes kept, new tail added
}

TEST(OverlapEvents, InOrderSegmentOverlappingWaitingDataUsesPolicy) {
  for (auto [policy, expected] : {std::pair{OverlapPolicy::kFirst, "aaaaBBaa"},
                                  std::pair{OverlapPolicy::kLast, "aaaaaaaa"}}) {
    StreamConfig config;
    config.policy = policy;
    TcpHarness h(config);
    h.handshake(0, 0);
    h.send(true, kAck, 5, 1, "BB");
    h.send(true, kAck, 1, 1, "aaaaaaaa");  // in order, covers the waiting segment
    EXPECT_EQ(h.sink.bytes[0], expected) << overlap_policy_name(policy);
  }
}

}  // namespace
}  // namespace seawall::stream
