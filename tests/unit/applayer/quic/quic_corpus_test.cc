// Real QUIC traffic from the corpus (bench/ndpi-mix.pcap, bench/zeek-mix.pcap:
// IETF drafts, v1, Q050 and gQUIC Q024..Q046 captures): every UDP stream that
// tshark dissects as QUIC is fed datagram by datagram into a QuicState, and
// the server name we extract must equal tshark's (it decrypts Initials with
// its own implementation) wherever the version is one we parse.
#include <gtest/gtest.h>

#include <unistd.h>

#include <map>

#include "applayer/quic/quic_parser.h"
#include "quic_test_util.h"

namespace seawall::quic {
namespace {

using applayer::Direction;

struct Stream {
  uint16_t client_port = 0;
  std::vector<std::pair<bool, test::Bytes>> datagrams;  // (to_server, payload)
  std::string tshark_sni;
  uint32_t first_version = 0;
  bool has_version = false;
};

// Versions whose client hello we are expected to read: decryptable IETF
// Initials and unencrypted gQUIC CHLOs.
bool readable(uint32_t version) {
  InitialParams params;
  return initial_params(version, params) || is_gquic_version(version);
}

void check_capture(const std::string& pcap, int& compared) {
  const std::string out = test::run(
      "tshark -r " + pcap +
      " -Y 'quic || gquic' -T fields -E separator=/t -e udp.stream -e udp.srcport"
      " -e udp.dstport -e quic.version -e gquic.version -e tls.handshake.extensions_server_name"
      " -e gquic.tag.sni -e udp.payload 2>/dev/null");
  std::map<int, Stream> streams;
  for (const std::string& line : test::split(out, '\n')) {
    std::vector<std::string> f = test::split(line + "\t", '\t');
    if (f.size() < 8 || f[7].empty()) continue;
    Stream& s = streams[std::stoi(f[0])];
    const auto sport = static_cast<uint16_t>(std::stoi(f[1]));
    if (s.datagrams.empty()) s.client_port = sport;
    s.datagrams.emplace_back(sport == s.client_port, test::hex(f[7]));
    if (!s.has_version && sport == s.client_port) {
      if (!f[3].empty()) {
        s.first_version = static_cast<uint32_t>(std::stoul(test::split(f[3], ',')[0], nullptr, 16));
        s.has_version = true;
      } else if (f[4].size() == 4) {
        s.first_version = load_be32(reinterpret_cast<const uint8_t*>(f[4].data()));
        s.has_version = true;
      }
    }
    if (s.tshark_sni.empty() && sport == s.client_port) {
      s.tshark_sni = !f[5].empty() ? test::split(f[5], ',')[0] : f[6];
    }
  }
  for (const auto& [id, s] : streams) {
    if (s.tshark_sni.empty() || !s.has_version || !readable(s.first_version)) continue;
    QuicState state;
    for (const auto& [to_server, payload] : s.datagrams)
      state.parse(to_server ? Direction::kToServer : Direction::kToClient, test::view(payload),
                  {});
    std::string ours;
    for (size_t i = 0; i < state.tx_count(); ++i)
      if (state.tx(i)->dir == Direction::kToServer && !state.tx(i)->sni.empty()) {
        ours = state.tx(i)->sni;
        break;
      }
    char v[12];
    EXPECT_EQ(ours, s.tshark_sni) << pcap << " udp.stream " << id << " version "
                                  << std::string(v, version_string(s.first_version, v));
    ++compared;
  }
}

TEST(QuicCorpus, ServerNamesMatchTshark) {
  if (!test::have_tshark()) GTEST_SKIP() << "tshark not installed";
  const std::string dir = std::string(SEAWALL_CORPUS_DIR) + "/bench/";
  int compared = 0;
  for (const char* name : {"ndpi-mix.pcap", "zeek-mix.pcap"}) {
    const std::string pcap = dir + name;
    if (access(pcap.c_str(), R_OK) == 0) check_capture(pcap, compared);
  }
  if (compared == 0) GTEST_SKIP() << "corpus not found at " << dir;
  std::printf("compared %d QUIC streams with tshark\n", compared);
  EXPECT_GE(compared, 20);
}

}  // namespace
}  // namespace seawall::quic
