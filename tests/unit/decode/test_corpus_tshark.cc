// Cross-check against an independent decoder: every packet of a few corpus
// captures without tunnels is decoded and its addresses, protocol and ports
// are compared with what tshark reports for the same frame.
#include "decode/decoder.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "base_test_util.h"
#include "core/byte_view.h"

namespace seawall::test {
namespace {

struct PcapRecord {
  Bytes data;
};

// Classic pcap (not pcapng): 24-byte global header, 16-byte record headers,
// either byte order, micro- or nanosecond magic.
bool read_pcap(const std::string& path, uint32_t& linktype, std::vector<PcapRecord>& out) {
  std::ifstream in(path, std::ios::binary);
  Bytes file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (file.size() < 24) return false;
  uint32_t magic_le = load_le32(file.data());
  bool swapped;
  if (magic_le == 0xa1b2c3d4 || magic_le == 0xa1b23c4d) {
    swapped = false;
  } else if (load_be32(file.data()) == 0xa1b2c3d4 || load_be32(file.data()) == 0xa1b23c4d) {
    swapped = true;
  } else {
    return false;
  }
  auto u32 = [&](size_t at) { return swapped ? load_be32(&file[at]) : load_le32(&file[at]); };
  linktype = u32(20) & 0x0fffffff;
  size_t off = 24;
  while (off + 16 <= file.size()) {
    uint32_t incl = u32(off + 8);
    off += 16;
    if (off + incl > file.size()) return false;
    out.push_back({Bytes(file.begin() + off, file.begin() + off + incl)});
    off += incl;
  }
  return true;
}

LayerKind link_for(uint32_t linktype) {
  switch (linktype) {
    case 1: return LayerKind::kEthernet;
    case 0: return LayerKind::kNull;
    case 108: return LayerKind::kLoop;
    case 9: case 50: return LayerKind::kPpp;
    case 101: case 228: case 229: return LayerKind::kIpRaw;
    case 113: return LayerKind::kSll;
    case 276: return LayerKind::kSll2;
    default: return LayerKind::kUnknown;
  }
}

struct TsharkRow {
  std::string src, dst, proto, sport, dport;
};

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : line) {
    if (c == '\t') {
      out.push_back(cur);
      cur.clear();
    } else if (c != '\n' && c != '\r') {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

bool run_tshark(const std::string& path, std::vector<TsharkRow>& rows) {
  std::string cmd =
      "tshark -r '" + path +
      "' -n -o ip.defragment:FALSE -o ipv6.defragment:FALSE -T fields -E occurrence=f"
      " -e ip.src -e ip.dst -e ipv6.src -e ipv6.dst -e ip.proto -e ipv6.nxt"
      " -e tcp.srcport -e tcp.dstport -e udp.srcport -e udp.dstport 2>/dev/null";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return false;
  char buf[4096];
  while (fgets(buf, sizeof(buf), pipe)) {
    auto f = split_tabs(buf);
    f.resize(10);
    TsharkRow r;
    r.src = !f[0].empty() ? f[0] : f[2];
    r.dst = !f[1].empty() ? f[1] : f[3];
    r.proto = !f[4].empty() ? f[4] : f[5];
    r.sport = !f[6].empty() ? f[6] : f[8];
    r.dport = !f[7].empty() ? f[7] : f[9];
    rows.push_back(r);
  }
  return pclose(pipe) == 0;
}

using CorpusTsharkTest = DecodeFixture;

TEST_F(CorpusTsharkTest, MatchesTsharkOnVlanMplsPppoeCaptures) {
  const std::string dir = std::string(SEAWALL_CORPUS_DIR) + "/pcaps/tunnels/";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "corpus not found at " << dir;
  if (std::system("tshark -v >/dev/null 2>&1") != 0) GTEST_SKIP() << "tshark not installed";

  const char* files[] = {"zeek__vlan-qinqinq.pcap",   "zeek__mpls-in-vlan.pcap",
                         "zeek__pppoe-over-qinq.pcap", "zeek__vntag.pcap",
                         "tcpdump__802.1ad_QinQ.pcap", "arkime__mpls-basic.pcap",
                         "zeek__mixed-vlan-mpls.pcap", "arkime__twovlan.pcap",
                         "zeek__http-qinq-0.pcap",     "tcpdump__mpls-traceroute.pcap"};
  size_t compared = 0, with_ports = 0;
  for (const char* name : files) {
    const std::string path = dir + name;
    SCOPED_TRACE(name);
    uint32_t linktype = 0;
    std::vector<PcapRecord> records;
    ASSERT_TRUE(read_pcap(path, linktype, records));
    ASSERT_NE(link_for(linktype), LayerKind::kUnknown) << "linktype " << linktype;
    std::vector<TsharkRow> rows;
    ASSERT_TRUE(run_tshark(path, rows));
    ASSERT_EQ(rows.size(), records.size());
    for (size_t i = 0; i < records.size(); ++i) {
      SCOPED_TRACE("frame " + std::to_string(i + 1));
      decode(records[i].data, link_for(linktype));
      const TsharkRow& r = rows[i];
      if (r.src.empty()) {
        EXPECT_EQ(p.ip_version, 0);
        continue;
      }
      ASSERT_NE(p.ip_version, 0);
      EXPECT_EQ(p.src.to_string(), r.src);
      EXPECT_EQ(p.dst.to_string(), r.dst);
      EXPECT_EQ(std::to_string(p.ip_proto), r.proto);
      if (!r.sport.empty() && (p.ip_proto == 6 || p.ip_proto == 17)) {
        ASSERT_TRUE(p.has_ports);
        EXPECT_EQ(std::to_string(p.sport), r.sport);
        EXPECT_EQ(std::to_string(p.dport), r.dport);
        ++with_ports;
      }
      EXPECT_FALSE(p.invalid);
      ++compared;
    }
  }
  EXPECT_GT(compared, 200u);
  EXPECT_GT(with_ports, 150u);
  std::printf("[ info ] %zu frames compared with tshark, %zu with ports\n", compared, with_ports);
}

}  // namespace
}  // namespace seawall::test
