// Cross-checks against tshark, which decrypts QUIC Initial packets on its
// own: the RFC 9001/9369 sample packets, and real ClientHellos taken from TLS
// captures in the corpus, carried in Initial packets built here (CRYPTO split
// over several packets, sent out of order). Version, SNI, JA3 and JA3S must
// agree with tshark's dissection of the same pcap.
#include <gtest/gtest.h>

#include <unistd.h>

#include <set>

#include "applayer/quic/quic_parser.h"
#include "quic_test_util.h"

namespace seawall::quic {

extern const char kV1ClientInitial[];
extern const char kV1ServerInitial[];
extern const char kV2ClientInitial[];
extern const char kV2ServerInitial[];

namespace {

using applayer::Direction;
using test::Bytes;
using test::Datagram;
using test::hex;
using test::view;

struct TsharkView {
  std::set<uint32_t> versions;
  std::vector<std::string> snis;
  std::vector<std::string> ja3;
  std::vector<std::string> ja3s;
};

void add_values(const std::string& field, std::vector<std::string>& out) {
  for (const std::string& v : test::split(field, ','))
    if (!v.empty()) out.push_back(v);
}

TsharkView tshark(const std::string& pcap) {
  TsharkView t;
  const std::string out = test::run(
      "tshark -r " + pcap +
      " -Y quic -T fields -E separator=/t -e quic.version -e tls.handshake.extensions_server_name"
      " -e tls.handshake.ja3_full -e tls.handshake.ja3s_full 2>/dev/null");
  for (const std::string& line : test::split(out, '\n')) {
    std::vector<std::string> f = test::split(line + "\t", '\t');
    f.resize(4);
    for (const std::string& v : test::split(f[0], ','))
      if (!v.empty()) t.versions.insert(static_cast<uint32_t>(std::stoul(v, nullptr, 16)));
    add_values(f[1], t.snis);
    // JA3 strings contain commas themselves: one per packet is enough here.
    if (!f[2].empty()) t.ja3.push_back(f[2]);
    if (!f[3].empty()) t.ja3s.push_back(f[3]);
  }
  return t;
}

struct Ours {
  std::set<uint32_t> versions;
  std::vector<std::string> snis;
  std::vector<std::string> ja3;
  std::vector<std::string> ja3s;
};

Ours ours(const std::vector<Datagram>& datagrams) {
  Ours o;
  auto state = test::feed(datagrams);
  for (size_t i = 0; i < state->tx_count(); ++i) {
    const QuicTx& tx = *state->tx(i);
    EXPECT_EQ(tx.event_count, 0) << tx.events[0];
    if (tx.has_version) o.versions.insert(tx.version);
    if (!tx.sni.empty()) o.snis.push_back(tx.sni);
    if (!tx.ja3.empty()) (tx.dir == Direction::kToServer ? o.ja3 : o.ja3s).push_back(tx.ja3);
  }
  return o;
}

std::string pcap_path(std::string name) {
  for (char& c : name)
    if (c == '/' || c == '.') c = '_';
  return ::testing::TempDir() + "seawall_quic_" + name + "_" + std::to_string(getpid()) + ".pcap";
}

void compare(const std::string& name, const std::vector<Datagram>& datagrams,
             bool expect_server) {
  const std::string path = pcap_path(name);
  ASSERT_TRUE(test::write_pcap(path, datagrams));
  const TsharkView t = tshark(path);
  std::remove(path.c_str());
  const Ours o = ours(datagrams);
  EXPECT_EQ(o.versions, t.versions) << name;
  ASSERT_FALSE(t.snis.empty()) << name << ": tshark decrypted nothing";
  // tshark reports the SNI once per packet carrying (part of) the ClientHello.
  ASSERT_EQ(o.snis.size(), 1u) << name;
  EXPECT_EQ(o.snis[0], t.snis.back()) << name;
  ASSERT_FALSE(t.ja3.empty()) << name;
  ASSERT_EQ(o.ja3.size(), 1u) << name;
  EXPECT_EQ(o.ja3[0], t.ja3.back()) << name;
  if (expect_server) {
    ASSERT_FALSE(t.ja3s.empty()) << name;
    ASSERT_EQ(o.ja3s.size(), 1u) << name;
    EXPECT_EQ(o.ja3s[0], t.ja3s.back()) << name;
  }
}

TEST(QuicTshark, Rfc9001Packets) {
  if (!test::have_tshark()) GTEST_SKIP() << "tshark not installed";
  compare("rfc9001", {{true, hex(kV1ClientInitial)}, {false, hex(kV1ServerInitial)}}, true);
}

TEST(QuicTshark, Rfc9369Packets) {
  if (!test::have_tshark()) GTEST_SKIP() << "tshark not installed";
  const std::string path = pcap_path("v2probe");
  ASSERT_TRUE(test::write_pcap(path, {{true, hex(kV2ClientInitial)}}));
  const bool decrypts = !tshark(path).snis.empty();
  std::remove(path.c_str());
  if (!decrypts) GTEST_SKIP() << "this tshark does not decrypt QUIC v2 Initials";
  compare("rfc9369", {{true, hex(kV2ClientInitial)}, {false, hex(kV2ServerInitial)}}, true);
}

// Real ClientHellos (TLS over TCP captures in the corpus) in QUIC Initials.
TEST(QuicTshark, CorpusClientHellosInFragmentedInitials) {
  if (!test::have_tshark()) GTEST_SKIP() << "tshark not installed";
  const std::string root = std::string(SEAWALL_CORPUS_DIR) + "/suricata-verify/tests/";
  const char* captures[] = {"tls/tls-fingerprint-alert/input.pcap",
                            "bug-2646-01/input.pcap",
                            "tls/tls13-draft28/tls13_draft28.pcap",
                            "tls/tls-certs-alert/input.pcap"};
  int compared = 0;
  for (const char* capture : captures) {
    const std::string pcap = root + capture;
    if (access(pcap.c_str(), R_OK) != 0) continue;
    const Bytes record = hex(test::run("tshark -r " + pcap +
                                       " -Y 'tls.handshake.type==1' -T fields -e tcp.payload"
                                       " 2>/dev/null | head -n 1"));
    // TLS record header (5 bytes), then the handshake message (4-byte header + body).
    ASSERT_GT(record.size(), 9u) << capture;
    const size_t msg_len = 4 + load_be24(record.data() + 6);
    ASSERT_LE(5 + msg_len, record.size()) << capture;
    const Bytes hello(record.begin() + 5, record.begin() + 5 + msg_len);

    test::InitialSpec spec;
    spec.dcid = hex("0011223344556677");
    spec.scid = hex("a1a2a3a4");
    const size_t third = hello.size() / 3;
    std::vector<Datagram> datagrams;
    const size_t cuts[] = {0, third, 2 * third, hello.size()};
    for (int part : {2, 0, 1}) {  // out of order
      spec.pn = static_cast<uint64_t>(part);
      datagrams.push_back(
          {true, test::build_initial(
                     spec, test::crypto_frame(cuts[part], view(hello).subspan(
                                                              cuts[part], cuts[part + 1] - cuts[part])))});
    }
    compare(capture, datagrams, false);
    ++compared;
  }
  if (compared == 0) GTEST_SKIP() << "corpus not found at " << root;
}

}  // namespace
}  // namespace seawall::quic
