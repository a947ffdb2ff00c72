// Replays the DNS traffic of a capture through DnsState: tshark (an
// independent decoder) extracts each UDP datagram / TCP segment payload on
// the DNS port with its frame number, ports, addresses and sequence numbers;
// TCP segments are put in order per direction (retransmissions trimmed, holes
// reported as gaps) before they reach the parser.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "dns_test_util.h"

namespace seawall::applayer::dns::test {

struct CapturedPacket {
  uint64_t frame = 0;
  bool udp = true;
  std::string src, dst;
  uint32_t sport = 0, dport = 0;
  int64_t seq = 0;
  std::vector<uint8_t> payload;
};

inline std::string last_of(const std::string& field) {
  const size_t comma = field.rfind(',');
  return comma == std::string::npos ? field : field.substr(comma + 1);
}

inline uint32_t to_u32(const std::string& s) {
  return s.empty() ? 0 : static_cast<uint32_t>(std::stoul(s));
}

// DNS-port packets with a payload, in capture order.
inline std::vector<CapturedPacket> dns_packets(const std::string& pcap, uint32_t port) {
  const std::string p = std::to_string(port);
  const std::string cmd =
      "tshark -r '" + pcap + "' -Y 'udp.port==" + p + " || (tcp.port==" + p +
      " && tcp.len>0)' -T fields -E separator=/t -e frame.number -e ip.src -e ip.dst "
      "-e ipv6.src -e ipv6.dst -e udp.srcport -e udp.dstport -e udp.payload -e tcp.srcport "
      "-e tcp.dstport -e tcp.seq -e tcp.payload 2>/dev/null";
  std::vector<CapturedPacket> out;
  std::istringstream in(run_command(cmd));
  std::string line;
  while (std::getline(in, line)) {
    const auto f = split(line, '\t');
    if (f.size() < 12) continue;
    CapturedPacket pk;
    pk.frame = std::stoull(f[0]);
    pk.src = last_of(f[1].empty() ? f[3] : f[1]);
    pk.dst = last_of(f[2].empty() ? f[4] : f[2]);
    if (!f[11].empty()) {
      pk.udp = false;
      pk.sport = to_u32(last_of(f[8]));
      pk.dport = to_u32(last_of(f[9]));
      pk.seq = std::stoll(last_of(f[10]));
      pk.payload = from_hex(last_of(f[11]));
    } else {
      pk.sport = to_u32(last_of(f[5]));
      pk.dport = to_u32(last_of(f[6]));
      pk.payload = from_hex(last_of(f[7]));
    }
    out.push_back(std::move(pk));
  }
  return out;
}

// Flows keyed by transport and both endpoints; the first packet's sender is
// the client.
class CaptureReplay {
 public:
  void feed(const CapturedPacket& p) {
    const auto fwd = std::make_tuple(p.udp, p.src, p.sport, p.dst, p.dport);
    const auto rev = std::make_tuple(p.udp, p.dst, p.dport, p.src, p.sport);
    ReplayFlow* flow = nullptr;
    Direction dir = Direction::kToServer;
    if (auto it = flows_.find(fwd); it != flows_.end()) {
      flow = &it->second;
    } else if (auto rit = flows_.find(rev); rit != flows_.end()) {
      flow = &rit->second;
      dir = Direction::kToClient;
    } else {
      flow = &flows_[fwd];
      order_.push_back(fwd);
    }
    last_frame_ = p.frame;
    if (p.udp) {
      flow->driver.parse(dir, ByteView(p.payload.data(), p.payload.size()), true, p.frame);
      return;
    }
    const int d = dir_index(dir);
    int64_t& next = flow->next_seq[d];
    if (!flow->seq_known[d]) {
      flow->seq_known[d] = true;
      next = p.seq;
    }
    const int64_t end = p.seq + static_cast<int64_t>(p.payload.size());
    if (end <= next) return;  // retransmission
    size_t skip = 0;
    if (p.seq < next) skip = static_cast<size_t>(next - p.seq);
    if (p.seq > next) flow->driver.gap(dir, static_cast<uint32_t>(p.seq - next));
    flow->driver.parse(dir, ByteView(p.payload.data() + skip, p.payload.size() - skip), false,
                       p.frame);
    next = end;
  }

  // Ends every flow and returns all lines, flow by flow.
  std::string finish() {
    std::string all;
    for (const auto& key : order_) {
      ReplayFlow& f = flows_[key];
      f.driver.end(last_frame_);
      all += f.driver.lines();
    }
    return all;
  }

 private:
  struct ReplayFlow {
    FlowDriver driver;
    int64_t next_seq[2] = {0, 0};
    bool seq_known[2] = {false, false};
  };
  using Key = std::tuple<bool, std::string, uint32_t, std::string, uint32_t>;
  std::map<Key, ReplayFlow> flows_;
  std::vector<Key> order_;
  uint64_t last_frame_ = 0;
};

// The capture a suricata-verify case runs on: its test.yaml "pcap:" entry or
// the one .pcap in its directory.
inline std::string case_pcap(const std::filesystem::path& dir) {
  std::ifstream yaml(dir / "test.yaml");
  std::string line;
  while (std::getline(yaml, line)) {
    if (line.rfind("pcap:", 0) == 0) {
      std::string rel = line.substr(5);
      rel.erase(0, rel.find_first_not_of(" \t"));
      while (!rel.empty() && (rel.back() == ' ' || rel.back() == '\r')) rel.pop_back();
      return (dir / rel).lexically_normal().string();
    }
  }
  if (!std::filesystem::exists(dir)) return {};
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".pcap" || e.path().extension() == ".pcapng") return e.path().string();
  return {};
}

}  // namespace seawall::applayer::dns::test
