// Test helpers for the SSH parser: hand-built banners and binary packets,
// TCP payloads of real captures extracted with tshark (an independent
// dissector) together with tshark's view of the same SSH fields, a driver
// that feeds a state, and a tiny JSON flattener for checking EVE objects.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <vector>

#include "applayer/ssh/ssh_parser.h"
#include "output/eve/json_writer.h"

namespace seawall::applayer::ssh::test {

inline std::string corpus_dir() { return SEAWALL_CORPUS_DIR; }

inline bool file_exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

inline bool have_tshark() { return file_exists("/usr/bin/tshark"); }

inline std::string run_command(const std::string& cmd) {
  std::string out;
  FILE* f = ::popen(cmd.c_str(), "r");
  if (f == nullptr) return out;
  char buf[65536];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) out.append(buf, n);
  ::pclose(f);
  return out;
}

inline std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  out.push_back(cur);
  return out;
}

inline std::vector<uint8_t> from_hex(std::string_view hex) {
  std::vector<uint8_t> out;
  auto nib = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    const int hi = nib(hex[i]), lo = nib(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      --i;  // skip separators such as ':'
      continue;
    }
    out.push_back(static_cast<uint8_t>(hi << 4 | lo));
  }
  return out;
}

inline std::vector<uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }

// --- hand-built SSH binary packets (RFC 4253 section 6, before encryption) ---

inline void put_u32(std::vector<uint8_t>& out, uint32_t v) {
  out.push_back(static_cast<uint8_t>(v >> 24));
  out.push_back(static_cast<uint8_t>(v >> 16));
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}

// packet_length, padding_length, payload (msg code first), padding (4..).
inline std::vector<uint8_t> record(uint8_t msg, const std::vector<uint8_t>& payload,
                                   uint8_t padding = 4) {
  std::vector<uint8_t> out;
  put_u32(out, static_cast<uint32_t>(1 + 1 + payload.size() + padding));
  out.push_back(padding);
  out.push_back(msg);
  out.insert(out.end(), payload.begin(), payload.end());
  out.insert(out.end(), padding, 0);
  return out;
}

inline std::vector<uint8_t> kexinit_payload(const std::vector<std::string>& lists) {
  std::vector<uint8_t> out(16, 0xab);  // cookie
  for (const std::string& l : lists) {
    put_u32(out, static_cast<uint32_t>(l.size()));
    out.insert(out.end(), l.begin(), l.end());
  }
  out.push_back(0);   // first_kex_packet_follows
  put_u32(out, 0);    // reserved
  return out;
}

// The ten KEXINIT name-lists used by the hand-built sessions.
inline std::vector<std::string> client_lists() {
  return {"curve25519-sha256,diffie-hellman-group14-sha256",
          "ssh-ed25519,rsa-sha2-512",
          "chacha20-poly1305@openssh.com,aes128-ctr",
          "aes256-ctr",
          "umac-64-etm@openssh.com,hmac-sha2-256",
          "hmac-sha1",
          "none,zlib@openssh.com",
          "zlib",
          "",
          ""};
}
inline std::vector<std::string> server_lists() {
  return {"diffie-hellman-group-exchange-sha256",
          "rsa-sha2-256",
          "aes192-ctr",
          "aes128-gcm@openssh.com,aes256-ctr",
          "hmac-sha2-512",
          "hmac-sha2-512-etm@openssh.com,hmac-md5",
          "none",
          "none,zlib",
          "en",
          "fr"};
}

inline std::vector<uint8_t> concat(std::initializer_list<std::vector<uint8_t>> parts) {
  std::vector<uint8_t> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// Client: banner + KEXINIT + NEWKEYS; server likewise.
inline std::vector<uint8_t> client_stream(bool newkeys = true) {
  auto s = concat({bytes("SSH-2.0-OpenSSH_9.6 Ubuntu-3\r\n"),
                   record(kMsgKexInit, kexinit_payload(client_lists()), 7)});
  if (newkeys) s = concat({s, record(kMsgNewKeys, {}, 10)});
  return s;
}
inline std::vector<uint8_t> server_stream(bool newkeys = true) {
  auto s = concat({bytes("SSH-1.99-Cisco-1.25\n"),
                   record(kMsgKexInit, kexinit_payload(server_lists()), 5)});
  if (newkeys) s = concat({s, record(kMsgNewKeys, {}, 12)});
  return s;
}

inline ParseResult feed(SshState& st, Direction dir, const std::vector<uint8_t>& data,
                        size_t chunk = 0) {
  ParseContext ctx;
  if (chunk == 0) chunk = data.size() == 0 ? 1 : data.size();
  ParseResult last = ParseResult::kOk;
  for (size_t off = 0; off < data.size(); off += chunk) {
    const size_t n = std::min(chunk, data.size() - off);
    last = st.parse(dir, ByteView(data.data() + off, n), ctx);
    if (last == ParseResult::kError) return last;
  }
  return last;
}

inline bool has_event(const Transaction& tx, std::string_view name) {
  for (uint8_t i = 0; i < tx.event_count; ++i)
    if (tx.events[i] == name) return true;
  return false;
}

// --- captures through tshark ---

struct Chunk {
  Direction dir;
  std::vector<uint8_t> data;
};

struct CaptureFlow {
  std::vector<Chunk> chunks;  // in-order stream data, in capture order
};

// What tshark's SSH dissector saw on one TCP stream.
struct TsharkSsh {
  std::string client_banner, server_banner;  // ssh.protocol
  std::string client_hassh, server_hassh;    // ssh.kex.hassh / ssh.kex.hasshserver
  std::string client_hassh_algorithms, server_hassh_algorithms;
  std::string client_kex, server_kex;        // ssh.kex_algorithms
  std::string client_host_key, server_host_key;
};

struct CaptureData {
  std::map<int, CaptureFlow> flows;  // by tcp.stream
  std::map<int, TsharkSsh> ssh;      // streams where tshark decoded SSH fields
};

// One tshark pass over a capture: the TCP payload of every stream with port
// 22, reassembled per direction by relative sequence number (retransmissions
// dropped, out-of-order data held back), and tshark's SSH fields. Cached.
inline const CaptureData& load_capture(const std::string& pcap) {
  static std::map<std::string, CaptureData> cache;
  if (auto it = cache.find(pcap); it != cache.end()) return it->second;
  CaptureData& data = cache[pcap];
  const std::string out = run_command(
      "/usr/bin/tshark -n -r '" + pcap +
      "' -o tcp.relative_sequence_numbers:TRUE -Y 'tcp.port==22 && tcp.len>0' -T fields"
      " -E occurrence=f -e tcp.stream -e tcp.srcport -e tcp.dstport -e tcp.seq -e tcp.payload"
      " -e ssh.protocol -e ssh.kex.hassh -e ssh.kex.hasshserver -e ssh.kex.hassh_algorithms"
      " -e ssh.kex.hasshserver_algorithms -e ssh.kex_algorithms"
      " -e ssh.server_host_key_algorithms 2>/dev/null");
  struct DirState {
    bool started = false;
    uint64_t next = 0;
    std::map<uint64_t, std::vector<uint8_t>> held;
  };
  std::map<std::pair<int, int>, DirState> dirs;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    const auto f = split(line, '\t');
    if (f.size() < 12 || f[0].empty() || f[4].empty()) continue;
    const int stream = std::atoi(f[0].c_str());
    const bool to_server = std::atoi(f[2].c_str()) == 22;
    // tshark's view of the SSH fields.
    if (!f[5].empty() || !f[6].empty() || !f[7].empty()) {
      TsharkSsh& t = data.ssh[stream];
      std::string& banner = to_server ? t.client_banner : t.server_banner;
      if (!f[5].empty() && banner.empty()) banner = f[5];
      if (to_server && !f[6].empty() && t.client_hassh.empty()) {
        t.client_hassh = f[6];
        t.client_hassh_algorithms = f[8];
        t.client_kex = f[10];
        t.client_host_key = f[11];
      }
      if (!to_server && !f[7].empty() && t.server_hassh.empty()) {
        t.server_hassh = f[7];
        t.server_hassh_algorithms = f[9];
        t.server_kex = f[10];
        t.server_host_key = f[11];
      }
    }
    // The stream bytes.
    const uint64_t seq = std::strtoull(f[3].c_str(), nullptr, 10);
    const Direction dir = to_server ? Direction::kToServer : Direction::kToClient;
    DirState& d = dirs[{stream, to_server ? 0 : 1}];
    CaptureFlow& flow = data.flows[stream];
    if (!d.started) {
      d.started = true;
      d.next = seq;
    }
    d.held[seq] = from_hex(f[4]);
    for (auto it = d.held.begin(); it != d.held.end();) {
      if (it->first > d.next) break;
      const uint64_t end = it->first + it->second.size();
      if (end > d.next) {
        const size_t skip = static_cast<size_t>(d.next - it->first);
        flow.chunks.push_back({dir, {it->second.begin() + static_cast<std::ptrdiff_t>(skip),
                                     it->second.end()}});
        d.next = end;
      }
      it = d.held.erase(it);
    }
  }
  return data;
}

// Feeds a captured flow (chunks re-split into `chunk` bytes when non-zero),
// stopping a direction after an error as the framework would.
inline std::unique_ptr<SshState> run_flow(const CaptureFlow& flow, size_t chunk = 0,
                                          bool eos = true) {
  auto st = std::make_unique<SshState>();
  bool stopped = false;
  for (const Chunk& c : flow.chunks) {
    if (stopped || st->no_more_inspection()) break;
    if (feed(*st, c.dir, c.data, chunk) == ParseResult::kError) stopped = true;
  }
  if (eos) {
    st->end_of_stream(Direction::kToServer);
    st->end_of_stream(Direction::kToClient);
  }
  return st;
}

// "SSH-2.0-OpenSSH_7.4 comment" -> {"2.0", "OpenSSH_7.4"} by plain string
// splitting of tshark's ssh.protocol text.
inline std::pair<std::string, std::string> split_banner(const std::string& banner) {
  std::string rest = banner.substr(banner.rfind("SSH-", 0) == 0 ? 4 : 0);
  const size_t dash = rest.find('-');
  if (dash == std::string::npos) return {rest, ""};
  std::string software = rest.substr(dash + 1);
  software = software.substr(0, software.find(' '));
  return {rest.substr(0, dash), software};
}

// --- EVE ---

inline std::string eve_object(const SshState& st) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("ssh");
  w.begin_object();
  LogContext ctx;
  log_ssh(st, st.transaction(), ctx, w);
  w.end_object();
  w.end_object();
  return out;
}

// Flattens a JSON document of objects and strings (what the SSH logger
// writes) into "a.b.c" -> value; false on anything else.
class JsonFlattener {
 public:
  bool run(std::string_view json, std::map<std::string, std::string>& out) {
    s_ = json;
    pos_ = 0;
    out_ = &out;
    ws();
    return object("") && (ws(), pos_ == s_.size());
  }

 private:
  void ws() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n')) ++pos_;
  }
  bool string(std::string& v) {
    if (pos_ >= s_.size() || s_[pos_] != '"') return false;
    ++pos_;
    while (pos_ < s_.size() && s_[pos_] != '"') {
      if (s_[pos_] == '\\') {
        if (++pos_ >= s_.size()) return false;
        if (s_[pos_] == 'u') {
          if (pos_ + 4 >= s_.size()) return false;
          v.push_back(static_cast<char>(std::strtol(std::string(s_.substr(pos_ + 1, 4)).c_str(),
                                                    nullptr, 16)));
          pos_ += 5;
          continue;
        }
        const char e = s_[pos_];
        v.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e);
        ++pos_;
        continue;
      }
      v.push_back(s_[pos_++]);
    }
    if (pos_ >= s_.size()) return false;
    ++pos_;
    return true;
  }
  bool object(const std::string& prefix) {
    if (pos_ >= s_.size() || s_[pos_] != '{') return false;
    ++pos_;
    ws();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      ws();
      std::string key;
      if (!string(key)) return false;
      ws();
      if (pos_ >= s_.size() || s_[pos_] != ':') return false;
      ++pos_;
      ws();
      const std::string path = prefix.empty() ? key : prefix + "." + key;
      if (pos_ < s_.size() && s_[pos_] == '{') {
        if (!object(path)) return false;
      } else {
        std::string v;
        if (!string(v)) return false;
        (*out_)[path] = v;
      }
      ws();
      if (pos_ < s_.size() && s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < s_.size() && s_[pos_] == '}') {
        ++pos_;
        return true;
      }
      return false;
    }
  }
  std::string_view s_;
  size_t pos_ = 0;
  std::map<std::string, std::string>* out_ = nullptr;
};

// Restores the process-wide HASSH logging switch when a test ends.
class HasshLoggingScope {
 public:
  explicit HasshLoggingScope(bool enabled) : saved_(hassh_logging_enabled()) {
    set_hassh_logging(enabled);
  }
  ~HasshLoggingScope() { set_hassh_logging(saved_); }

 private:
  bool saved_;
};

}  // namespace seawall::applayer::ssh::test
