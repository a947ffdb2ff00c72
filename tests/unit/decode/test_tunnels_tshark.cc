// Oracle test: for every classic-pcap capture of the tunnel and GTP corpus,
// the innermost (src, dst, IP protocol, ports) we reach through
// decode_packet + decode_tunnel_payload must equal tshark's innermost values.
// Disagreements that come from tshark doing something we deliberately do not
// are excluded one by one with the reason (see tshark_only_reason).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "decode/decoder.h"
#include "pcap_test_reader.h"
#include "tunnel_test_util.h"

namespace seawall {
namespace {

namespace fs = std::filesystem;

struct Innermost {
  bool has_ip = false;
  std::string src, dst;
  int proto = -1;  // -1: not known
  bool has_ports = false;
  uint16_t sport = 0, dport = 0;

  std::string str() const {
    if (!has_ip) return "(no IP)";
    std::ostringstream o;
    o << src << " -> " << dst << " proto " << proto;
    if (has_ports) o << " ports " << sport << " -> " << dport;
    return o.str();
  }
};

struct TsharkFrame {
  std::vector<std::string> protocols;  // frame.protocols, outermost first
  Innermost inner;
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

bool has_protocol(const std::vector<std::string>& protocols, const std::string& name) {
  for (const auto& p : protocols)
    if (p == name) return true;
  return false;
}

std::optional<std::string> find_tshark() {
  if (const char* env = std::getenv("TSHARK"); env && fs::exists(env)) return std::string(env);
  for (const char* path : {"/usr/bin/tshark", "/usr/local/bin/tshark"}) {
    if (fs::exists(path)) return std::string(path);
  }
  return std::nullopt;
}

int protocol_number(const std::string& name) {
  static const std::map<std::string, int> numbers = {
      {"icmp", 1}, {"igmp", 2},   {"ip", 4},     {"tcp", 6},    {"udp", 17},  {"ipv6", 41},
      {"gre", 47}, {"esp", 50},   {"ah", 51},    {"icmpv6", 58}, {"eigrp", 88}, {"ospf", 89},
      {"pim", 103}, {"vrrp", 112}, {"sctp", 132}};
  auto it = numbers.find(name);
  return it == numbers.end() ? -1 : it->second;
}

// Fields, in order, requested from tshark with all occurrences.
const char* const kFields[] = {"frame.protocols", "ip.src",      "ip.dst",      "ip.proto",
                               "ipv6.src",        "ipv6.dst",    "ipv6.nxt",    "tcp.srcport",
                               "tcp.dstport",     "udp.srcport", "udp.dstport", "sctp.srcport",
                               "sctp.dstport"};
enum Field { kProtocols, kIpSrc, kIpDst, kIpProto, kIp6Src, kIp6Dst, kIp6Nxt, kTcpSport,
             kTcpDport, kUdpSport, kUdpDport, kSctpSport, kSctpDport, kFieldCount };

std::string field_at(const std::vector<std::vector<std::string>>& f, int field, size_t index) {
  const auto& values = f[static_cast<size_t>(field)];
  return index < values.size() ? values[index] : std::string();
}

// tshark's innermost IP header that is a real packet: ICMP errors quote an
// IP header, which tshark lists after the ICMP layer; those do not count.
Innermost tshark_innermost(const std::vector<std::string>& protocols,
                           const std::vector<std::vector<std::string>>& f) {
  Innermost in;
  size_t end = protocols.size();
  for (size_t i = 0; i < protocols.size(); ++i) {
    if (protocols[i] == "icmp" || protocols[i] == "icmpv6") {
      end = i + 1;
      break;
    }
  }
  std::optional<size_t> ip_at;
  for (size_t i = 0; i < end; ++i)
    if (protocols[i] == "ip" || protocols[i] == "ipv6") ip_at = i;
  if (!ip_at) return in;
  const bool v6 = protocols[*ip_at] == "ipv6";
  size_t ordinal = 0;
  for (size_t i = 0; i < *ip_at; ++i) ordinal += protocols[i] == protocols[*ip_at];
  in.has_ip = true;
  in.src = field_at(f, v6 ? kIp6Src : kIpSrc, ordinal);
  in.dst = field_at(f, v6 ? kIp6Dst : kIpDst, ordinal);

  // The layer after the IP header (and IPv6 extension headers).
  size_t l4 = *ip_at + 1;
  bool ext_headers = false;
  while (l4 < protocols.size() && protocols[l4].rfind("ipv6.", 0) == 0) ++l4, ext_headers = true;
  const std::string next = l4 < protocols.size() ? protocols[l4] : std::string();
  if (!v6) {
    const std::string proto = field_at(f, kIpProto, ordinal);
    in.proto = proto.empty() ? -1 : std::stoi(proto);
  } else if (protocol_number(next) >= 0) {
    in.proto = protocol_number(next);
  } else if (!ext_headers) {
    const std::string nxt = field_at(f, kIp6Nxt, ordinal);
    in.proto = nxt.empty() ? -1 : std::stoi(nxt);
  }
  int sport_field = -1;
  if (next == "tcp") sport_field = kTcpSport;
  if (next == "udp") sport_field = kUdpSport;
  if (next == "sctp") sport_field = kSctpSport;
  if (sport_field >= 0) {
    size_t l4_ordinal = 0;
    for (size_t i = 0; i < l4; ++i) l4_ordinal += protocols[i] == next;
    const std::string sport = field_at(f, sport_field, l4_ordinal);
    const std::string dport = field_at(f, sport_field + 1, l4_ordinal);
    if (!sport.empty() && !dport.empty()) {
      in.has_ports = true;
      in.sport = static_cast<uint16_t>(std::stoi(sport));
      in.dport = static_cast<uint16_t>(std::stoi(dport));
    }
  }
  return in;
}

std::vector<TsharkFrame> run_tshark(const std::string& tshark, const std::string& pcap) {
  // No IP reassembly: we compare packet by packet, as the decoder sees them.
  std::string cmd = "'" + tshark + "' -n -r '" + pcap +
                    "' -o ip.defragment:FALSE -o ipv6.defragment:FALSE"
                    " -T fields -E occurrence=a -E aggregator=, -E separator=/t";
  for (const char* field : kFields) cmd += std::string(" -e ") + field;
  cmd += " 2>/dev/null";
  std::vector<TsharkFrame> frames;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return frames;
  std::string output;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) output.append(buf, n);
  pclose(pipe);
  for (const std::string& line : split(output, '\n')) {
    if (line.empty()) continue;
    const auto columns = split(line, '\t');
    std::vector<std::vector<std::string>> f(kFieldCount);
    for (size_t i = 0; i < columns.size() && i < kFieldCount; ++i) {
      if (!columns[i].empty()) f[i] = split(columns[i], i == kProtocols ? ':' : ',');
    }
    TsharkFrame frame;
    frame.protocols = f[kProtocols];
    frame.inner = tshark_innermost(frame.protocols, f);
    frames.push_back(std::move(frame));
  }
  return frames;
}

Innermost our_innermost(const std::vector<Packet>& chain, size_t n) {
  Innermost in;
  for (size_t i = n; i-- > 0;) {
    const Packet& p = chain[i];
    if (p.ip_version == 0) continue;
    in.has_ip = true;
    in.src = p.src.to_string();
    in.dst = p.dst.to_string();
    in.proto = p.ip_proto;
    in.has_ports = p.has_ports;
    in.sport = p.sport;
    in.dport = p.dport;
    break;
  }
  return in;
}

bool same(const Innermost& ours, const Innermost& theirs) {
  if (ours.has_ip != theirs.has_ip) return false;
  if (!ours.has_ip) return true;
  if (ours.src != theirs.src || ours.dst != theirs.dst) return false;
  if (theirs.proto >= 0 && ours.proto != theirs.proto) return false;
  if (ours.has_ports != theirs.has_ports) return false;
  return !ours.has_ports || (ours.sport == theirs.sport && ours.dport == theirs.dport);
}

// A disagreement that is tshark's doing, with the reason; nullopt otherwise.
std::optional<std::string> tshark_only_reason(const TsharkFrame& t,
                                              const std::vector<Packet>& chain, size_t n) {
  // GTP' (charging data transfer, UDP 3386) is not a tunnel; tshark still
  // dissects IP packets found inside its records.
  if (has_protocol(t.protocols, "gtpprime")) return "GTP' payload";
  // Tunnels inside IP fragments are decoded after reassembly by the defrag
  // stage; tshark (with reassembly off) dissects what the first fragment holds.
  for (size_t i = 0; i < n; ++i) {
    if (chain[i].is_fragment && !chain[i].tunnel.present()) return "tunnel inside an IP fragment";
  }
  // An IP header claiming more bytes than were captured is not decoded
  // (ipv4/ipv6.trunc_pkt, as in Suricata); tshark shows the partial packet.
  for (size_t i = 0; i < n; ++i) {
    if (chain[i].has_event(DecodeEvent::kIpv4TruncPkt) ||
        chain[i].has_event(DecodeEvent::kIpv6TruncPkt)) {
      return "truncated IP packet";
    }
  }
  // tshark takes all of UDP 3544 as Teredo; like Suricata's DecodeTeredo we
  // reject an "IPv6 header" with hop limit 0 as a misdetection.
  if (has_protocol(t.protocols, "teredo")) {
    const Packet& last = chain[n - 1];
    if (last.is_udp() && !last.tunnel.present() && last.payload != nullptr) {
      uint32_t off = 0;
      if (last.payload_len >= 2 && last.payload[0] == 0 && last.payload[1] == 0) off = 8;
      if (last.payload_len >= off + 40 && (last.payload[off] >> 4) == 6 &&
          last.payload[off + 7] == 0) {
        return "Teredo candidate with IPv6 hop limit 0";
      }
    }
  }
  return std::nullopt;
}

struct CaptureResult {
  std::string name;
  size_t packets = 0, agree = 0, excluded = 0, mismatched = 0;
  std::map<std::string, size_t> exclusions;
  std::map<std::string, size_t> tunnel_events;  // events of the tunnel decoders
  std::vector<std::string> mismatch_details;
};

bool is_tunnel_event(std::string_view name) {
  for (std::string_view prefix :
       {"gre.", "erspan.", "vxlan.", "geneve.", "gtpu.", "teredo.", "nsh."}) {
    if (name.starts_with(prefix)) return true;
  }
  return false;
}

CaptureResult compare_capture(const std::string& tshark, const fs::path& path) {
  CaptureResult r;
  r.name = path.parent_path().filename().string() + "/" + path.filename().string();
  const pcap_test::File file = pcap_test::read_file(path.string());
  if (!file.ok) {
    r.name += " (skipped: " + file.error + ")";
    return r;
  }
  const LayerKind link = pcap_test::layer_for_link_type(file.link_type);
  if (link == LayerKind::kUnknown) {
    r.name += " (skipped: link type " + std::to_string(file.link_type) + ")";
    return r;
  }
  const std::vector<TsharkFrame> frames = run_tshark(tshark, path.string());
  if (frames.size() != file.records.size()) {
    r.mismatch_details.push_back("tshark listed " + std::to_string(frames.size()) +
                                 " frames, the file has " +
                                 std::to_string(file.records.size()));
    r.mismatched = 1;
    return r;
  }
  tunnel_test::Harness h;
  for (size_t i = 0; i < file.records.size(); ++i) {
    const pcap_test::Record& rec = file.records[i];
    std::vector<Packet> chain(kMaxTunnelDepth + 1);
    Packet& outer = chain[0];
    outer.pcap_cnt = i + 1;
    outer.data = rec.data.data();
    outer.caplen = static_cast<uint32_t>(rec.data.size());
    outer.wirelen = rec.wirelen;
    outer.link = link;
    decode_packet(h.ctx, outer);
    size_t n = 1;
    while (n < chain.size() && chain[n - 1].tunnel.present() &&
           decode_tunnel_payload(h.ctx, chain[n - 1], chain[n])) {
      ++n;
    }
    ++r.packets;
    for (size_t k = 0; k < n; ++k) {
      for (uint8_t e = 0; e < chain[k].event_count; ++e) {
        const std::string_view name = decode_event_name(chain[k].events[e]);
        if (is_tunnel_event(name)) ++r.tunnel_events[std::string(name)];
      }
    }
    const Innermost ours = our_innermost(chain, n);
    const Innermost& theirs = frames[i].inner;
    if (same(ours, theirs)) {
      ++r.agree;
    } else if (auto reason = tshark_only_reason(frames[i], chain, n)) {
      ++r.excluded;
      ++r.exclusions[*reason];
    } else {
      ++r.mismatched;
      if (r.mismatch_details.size() < 5) {
        std::string protos;
        for (const auto& p : frames[i].protocols) protos += (protos.empty() ? "" : ":") + p;
        r.mismatch_details.push_back("frame " + std::to_string(i + 1) + " [" + protos +
                                     "]: ours " + ours.str() + " | tshark " + theirs.str());
      }
    }
  }
  return r;
}

TEST(TunnelsTsharkOracle, InnermostPacketsAgreeWithTshark) {
  const fs::path corpus = fs::path(SEAWALL_CORPUS_DIR) / "pcaps";
  if (!fs::exists(corpus / "tunnels") || !fs::exists(corpus / "gtp")) {
    GTEST_SKIP() << "corpus not found at " << corpus.string();
  }
  const auto tshark = find_tshark();
  if (!tshark) GTEST_SKIP() << "tshark not found (set TSHARK=/path/to/tshark)";

  std::vector<fs::path> captures;
  for (const char* dir : {"tunnels", "gtp"}) {
    for (const auto& entry : fs::directory_iterator(corpus / dir)) {
      if (entry.path().extension() == ".pcap") captures.push_back(entry.path());
    }
  }
  std::sort(captures.begin(), captures.end());
  ASSERT_FALSE(captures.empty());

  size_t total = 0, total_agree = 0, total_excluded = 0;
  for (const fs::path& path : captures) {
    const CaptureResult r = compare_capture(*tshark, path);
    total += r.packets;
    total_agree += r.agree;
    total_excluded += r.excluded;
    std::cout << "[ tshark   ] " << r.name << ": " << r.agree << "/" << r.packets << " agree";
    for (const auto& [reason, count] : r.exclusions)
      std::cout << ", " << count << " excluded (" << reason << ")";
    for (const auto& [event, count] : r.tunnel_events)
      std::cout << ", event " << event << " x" << count;
    std::cout << "\n";
    EXPECT_EQ(r.mismatched, 0u) << r.name;
    for (const std::string& detail : r.mismatch_details) ADD_FAILURE() << r.name << ": " << detail;
  }
  std::cout << "[ tshark   ] total: " << total_agree << "/" << total << " agree, " << total_excluded
            << " excluded\n";
  EXPECT_GT(total_agree, 0u);
}

}  // namespace
}  // namespace seawall
