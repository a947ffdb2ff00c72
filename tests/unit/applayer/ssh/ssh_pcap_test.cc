// Real SSH sessions from the corpus captures, checked against tshark's SSH
// dissector: banners (ssh.protocol), KEXINIT lists (ssh.kex_algorithms,
// ssh.server_host_key_algorithms), HASSH strings and hashes
// (ssh.kex.hassh[server][_algorithms]).
#include <gtest/gtest.h>

#include "applayer/ssh/ssh_parser.h"
#include "ssh_test_util.h"

namespace seawall::applayer::ssh {
namespace {

using namespace test;

struct Capture {
  const char* path;      // under the corpus
  size_t min_sessions;   // streams with both banners expected at least
};

constexpr Capture kCaptures[] = {
    {"suricata-verify/tests/ssh-banner-only/input.pcap", 1},
    {"suricata-verify/tests/ssh-hassh/input.pcap", 1},
    {"suricata-verify/tests/ssh-hassh-incomplete/input.pcap", 1},
    {"suricata-verify/tests/bug-5633-gre-02/gre-sample.pcap", 1},
    {"suricata-verify/tests/vxlan-decoder-03/vxlan.pcap", 1},
    {"suricata-verify/tests/bug-4903/bug-4903-02/input.pcap", 0},
    {"suricata-verify/tests/output-eve-anomaly-02/input.pcap", 0},
    {"pcaps/tunnels/zeek__gre-sample.pcap", 1},
    {"bench/zeek-mix.pcap", 30},
    {"bench/ndpi-mix.pcap", 1},
};

struct Totals {
  size_t banners = 0;
  size_t hassh = 0;
  size_t sessions = 0;
  size_t not_ssh_clients = 0;
};

void compare_capture(const Capture& cap, Totals& totals) {
  const std::string path = corpus_dir() + "/" + cap.path;
  if (!file_exists(path)) {
    ADD_FAILURE() << "capture listed but missing: " << path;
    return;
  }
  const CaptureData& data = load_capture(path);
  const auto& flows = data.flows;
  const auto& oracle = data.ssh;
  size_t sessions = 0;
  for (const auto& [stream, expect] : oracle) {
    SCOPED_TRACE(std::string(cap.path) + " tcp.stream " + std::to_string(stream));
    auto it = flows.find(stream);
    ASSERT_NE(it, flows.end());
    const auto st = run_flow(it->second);
    const SshTransaction& tx = st->transaction();
    // A client that does not speak SSH (curl to port 22 in two captures)
    // stops the flow with invalid_banner, as the framework stops parsing.
    const Chunk* first_client = nullptr;
    for (const Chunk& c : it->second.chunks)
      if (c.dir == Direction::kToServer && first_client == nullptr) first_client = &c;
    if (first_client != nullptr && expect.client_banner.empty() &&
        std::string(first_client->data.begin(), first_client->data.end()).rfind("SSH-", 0) != 0) {
      EXPECT_TRUE(has_event(tx, kEventInvalidBanner));
      ++totals.not_ssh_clients;
      continue;
    }
    if (!expect.client_banner.empty()) {
      const auto [proto, software] = split_banner(expect.client_banner);
      EXPECT_EQ(tx.client.proto_version, proto);
      EXPECT_EQ(tx.client.software_version, software);
      ++totals.banners;
    }
    if (!expect.server_banner.empty()) {
      const auto [proto, software] = split_banner(expect.server_banner);
      EXPECT_EQ(tx.server.proto_version, proto);
      EXPECT_EQ(tx.server.software_version, software);
      ++totals.banners;
    }
    if (!expect.client_banner.empty() && !expect.server_banner.empty()) ++sessions;
    if (!expect.client_hassh.empty()) {
      EXPECT_EQ(tx.client.hassh, expect.client_hassh);
      EXPECT_EQ(tx.client.hassh_string, expect.client_hassh_algorithms);
      EXPECT_EQ(tx.client.kex.kex_algorithms, expect.client_kex);
      EXPECT_EQ(tx.client.kex.server_host_key_algorithms, expect.client_host_key);
      ++totals.hassh;
    }
    if (!expect.server_hassh.empty()) {
      EXPECT_EQ(tx.server.hassh, expect.server_hassh);
      EXPECT_EQ(tx.server.hassh_string, expect.server_hassh_algorithms);
      EXPECT_EQ(tx.server.kex.kex_algorithms, expect.server_kex);
      EXPECT_EQ(tx.server.kex.server_host_key_algorithms, expect.server_host_key);
      ++totals.hassh;
    }
    // Well-formed sessions raise no anomaly.
    if (!expect.client_hassh.empty() && !expect.server_hassh.empty()) {
      for (uint8_t i = 0; i < tx.event_count; ++i) ADD_FAILURE() << "event " << tx.events[i];
      EXPECT_TRUE(tx.complete[0] && tx.complete[1]);
    }
  }
  EXPECT_GE(sessions, cap.min_sessions) << cap.path;
  totals.sessions += sessions;
}

TEST(SshCaptures, MatchTshark) {
  if (!file_exists(corpus_dir())) GTEST_SKIP() << "corpus not found at " << corpus_dir();
  if (!have_tshark()) GTEST_SKIP() << "tshark not found at /usr/bin/tshark";
  Totals totals;
  for (const Capture& cap : kCaptures) compare_capture(cap, totals);
  std::printf("compared %zu banners, %zu HASSH fingerprints, %zu sessions with tshark; "
              "%zu non-SSH clients\n",
              totals.banners, totals.hassh, totals.sessions, totals.not_ssh_clients);
  EXPECT_GE(totals.hassh, 60u);
}

TEST(SshCaptures, ResultDoesNotDependOnSegmentation) {
  const std::string path = corpus_dir() + "/suricata-verify/tests/ssh-hassh/input.pcap";
  if (!file_exists(path)) GTEST_SKIP() << "corpus not found at " << path;
  if (!have_tshark()) GTEST_SKIP() << "tshark not found at /usr/bin/tshark";
  const auto& flows = load_capture(path).flows;
  ASSERT_FALSE(flows.empty());
  for (const auto& [stream, flow] : flows) {
    const auto whole = run_flow(flow);
    for (size_t chunk : {1, 2, 3, 7, 64, 1000}) {
      const auto split = run_flow(flow, chunk);
      const SshTransaction& a = whole->transaction();
      const SshTransaction& b = split->transaction();
      EXPECT_EQ(a.client.hassh, b.client.hassh) << chunk;
      EXPECT_EQ(a.server.hassh, b.server.hassh) << chunk;
      EXPECT_EQ(a.client.software_version, b.client.software_version) << chunk;
      EXPECT_EQ(a.server.software_version, b.server.software_version) << chunk;
      EXPECT_EQ(a.client.newkeys_seen, b.client.newkeys_seen) << chunk;
      EXPECT_EQ(a.server.newkeys_seen, b.server.newkeys_seen) << chunk;
      EXPECT_EQ(a.event_count, b.event_count) << chunk;
    }
    // Both sides reach NEWKEYS in this capture: the rest is not inspected.
    EXPECT_TRUE(whole->no_more_inspection());
  }
}

}  // namespace
}  // namespace seawall::applayer::ssh
