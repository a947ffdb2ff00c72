// Test helpers: TCP stream payloads of corpus captures extracted with tshark
// (an independent decoder), and TLS handshake message extraction.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace seawall::tls::test {

inline std::string corpus_dir() { return SEAWALL_CORPUS_DIR; }
inline std::string verify_dir() { return corpus_dir() + "/suricata-verify/tests"; }
inline bool have_tshark() { return std::filesystem::exists("/usr/bin/tshark"); }

inline std::string run_command(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

inline std::vector<uint8_t> from_hex(const std::string& hex) {
  std::vector<uint8_t> out;
  auto nib = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  int hi = -1;
  for (char c : hex) {
    int v = nib(c);
    if (v < 0) continue;
    if (hi < 0) {
      hi = v;
    } else {
      out.push_back(static_cast<uint8_t>(hi << 4 | v));
      hi = -1;
    }
  }
  return out;
}

// One TCP segment's payload as tshark's "follow,tcp,raw" prints it.
struct Segment {
  int dir;  // 0 = first talker (client), 1 = the other side
  std::vector<uint8_t> data;
};

inline std::vector<Segment> follow_stream(const std::string& pcap, int stream) {
  std::string text = run_command("tshark -r '" + pcap + "' -q -z follow,tcp,raw," +
                                 std::to_string(stream) + " 2>/dev/null");
  std::vector<Segment> segs;
  size_t pos = 0;
  int separators = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.rfind("=====", 0) == 0) {
      ++separators;
      continue;
    }
    if (separators != 1 || line.empty()) continue;
    if (line.rfind("Follow:", 0) == 0 || line.rfind("Filter:", 0) == 0 ||
        line.rfind("Node ", 0) == 0) {
      continue;
    }
    int dir = line[0] == '\t' ? 1 : 0;
    segs.push_back({dir, from_hex(line)});
  }
  return segs;
}

inline std::vector<uint8_t> direction_bytes(const std::vector<Segment>& segs, int dir) {
  std::vector<uint8_t> out;
  for (const auto& s : segs)
    if (s.dir == dir) out.insert(out.end(), s.data.begin(), s.data.end());
  return out;
}

// Body of the first handshake message of `type` in a TLS byte stream
// (reassembling handshake messages across records).
inline std::vector<uint8_t> handshake_body(const std::vector<uint8_t>& stream, uint8_t type) {
  std::vector<uint8_t> hs;
  size_t pos = 0;
  while (pos + 5 <= stream.size()) {
    uint8_t ct = stream[pos];
    size_t len = size_t{stream[pos + 3]} << 8 | stream[pos + 4];
    if (pos + 5 + len > stream.size()) break;
    if (ct == 22) hs.insert(hs.end(), stream.begin() + pos + 5, stream.begin() + pos + 5 + len);
    pos += 5 + len;
  }
  size_t p = 0;
  while (p + 4 <= hs.size()) {
    size_t len = size_t{hs[p + 1]} << 16 | size_t{hs[p + 2]} << 8 | hs[p + 3];
    if (p + 4 + len > hs.size()) break;
    if (hs[p] == type) return {hs.begin() + p + 4, hs.begin() + p + 4 + len};
    p += 4 + len;
  }
  return {};
}

inline std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t end = s.find(sep, start);
    out.push_back(s.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

}  // namespace seawall::tls::test
