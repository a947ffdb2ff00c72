// Test helpers for the DNS unit tests: a wire-format message builder (RFC
// 1035 layout written out field by field), tshark/corpus access, and a small
// driver that feeds a DnsState and logs transactions the way the framework
// does for a protocol that logs per direction.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "applayer/dns/dns_eve.h"
#include "applayer/dns/dns_parser.h"
#include "output/eve/json_writer.h"

namespace seawall::applayer::dns::test {

class MsgBuilder {
 public:
  MsgBuilder(uint16_t id, uint16_t flags, uint16_t qd, uint16_t an, uint16_t ns = 0,
             uint16_t ar = 0) {
    u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
  }
  MsgBuilder& u8(uint8_t v) {
    b_.push_back(v);
    return *this;
  }
  MsgBuilder& u16(uint16_t v) { return u8(static_cast<uint8_t>(v >> 8)).u8(static_cast<uint8_t>(v)); }
  MsgBuilder& u32(uint32_t v) { return u16(static_cast<uint16_t>(v >> 16)).u16(static_cast<uint16_t>(v)); }
  MsgBuilder& bytes(std::string_view s) {
    b_.insert(b_.end(), s.begin(), s.end());
    return *this;
  }
  // Labels of a dotted name, then the root label ("" is the root alone).
  MsgBuilder& name(std::string_view dotted, bool terminate = true) {
    size_t start = 0;
    while (start < dotted.size()) {
      size_t dot = dotted.find('.', start);
      if (dot == std::string_view::npos) dot = dotted.size();
      u8(static_cast<uint8_t>(dot - start)).bytes(dotted.substr(start, dot - start));
      start = dot + 1;
    }
    if (terminate) u8(0);
    return *this;
  }
  MsgBuilder& pointer(uint16_t offset) { return u16(static_cast<uint16_t>(0xc000 | offset)); }
  MsgBuilder& question(std::string_view qname, uint16_t type, uint16_t klass = 1) {
    return name(qname).u16(type).u16(klass);
  }
  // Owner name already written; type, class, ttl and an rdlength to patch.
  MsgBuilder& rr_fixed(uint16_t type, uint32_t ttl, uint16_t klass = 1) {
    u16(type).u16(klass).u32(ttl);
    rdlen_at_ = b_.size();
    return u16(0);
  }
  MsgBuilder& rr(std::string_view owner, uint16_t type, uint32_t ttl) {
    return name(owner).rr_fixed(type, ttl);
  }
  MsgBuilder& end_rr() {
    const size_t len = b_.size() - rdlen_at_ - 2;
    b_[rdlen_at_] = static_cast<uint8_t>(len >> 8);
    b_[rdlen_at_ + 1] = static_cast<uint8_t>(len);
    return *this;
  }
  size_t size() const { return b_.size(); }
  const std::vector<uint8_t>& data() const { return b_; }
  ByteView view() const { return ByteView(b_.data(), b_.size()); }
  std::vector<uint8_t> tcp() const {
    std::vector<uint8_t> out{static_cast<uint8_t>(b_.size() >> 8), static_cast<uint8_t>(b_.size())};
    out.insert(out.end(), b_.begin(), b_.end());
    return out;
  }

 private:
  std::vector<uint8_t> b_;
  size_t rdlen_at_ = 0;
};

inline bool has_event(const Transaction& tx, std::string_view name) {
  for (uint8_t i = 0; i < tx.event_count; ++i)
    if (tx.events[i] == name) return true;
  return false;
}

inline std::string corpus_dir() { return SEAWALL_CORPUS_DIR; }
inline std::string verify_dir() { return corpus_dir() + "/suricata-verify/tests"; }
inline bool have_tshark() { return std::filesystem::exists("/usr/bin/tshark"); }
inline bool have_python() { return std::filesystem::exists("/usr/bin/python3"); }

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

inline std::vector<uint8_t> from_hex(std::string_view hex) {
  std::vector<uint8_t> out;
  auto nib = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  int hi = -1;
  for (char c : hex) {
    const int v = nib(c);
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

inline std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    const size_t at = s.find(sep, start);
    out.emplace_back(s.substr(start, at == std::string_view::npos ? s.npos : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return out;
}

// Renders one direction of a transaction as an EVE-like line:
// {"event_type":"dns","pcap_cnt":N,"dns":{...}}.
inline std::string render(const DnsState& state, const DnsTx& tx, Direction dir, uint64_t pcap_cnt,
                          LogKind kind = LogKind::kRecord) {
  std::string line;
  JsonWriter w(line);
  w.begin_object();
  w.member("event_type", kind == LogKind::kAlert ? "alert" : "dns");
  w.member_uint("pcap_cnt", pcap_cnt);
  w.key("dns");
  w.begin_object();
  log_tx(state, tx, LogContext{kind, dir}, w);
  w.end_object();
  w.end_object();
  return line;
}

// Feeds messages to one flow's DnsState and writes a line per completed
// direction (log_per_direction), as the framework does; a direction without
// a message, or one the logging options leave out (has_record), is not written.
class FlowDriver {
 public:
  void parse(Direction dir, ByteView data, bool udp, uint64_t pcap_cnt) {
    ParseContext ctx;
    ctx.udp = udp;
    if (!stopped_ && state_.parse(dir, data, ctx) == ParseResult::kError) stopped_ = true;
    flush(pcap_cnt);
  }
  void gap(Direction dir, uint32_t len) {
    if (!state_.gap(dir, len)) stopped_ = true;
  }
  void end(uint64_t pcap_cnt) {
    state_.end_of_stream(Direction::kToServer);
    state_.end_of_stream(Direction::kToClient);
    flush(pcap_cnt);
  }
  std::string& lines() { return lines_; }
  DnsState& state() { return state_; }

 private:
  void flush(uint64_t pcap_cnt) {
    for (size_t i = 0; i < state_.tx_count(); ++i) {
      auto& tx = static_cast<DnsTx&>(*state_.tx_at(i));
      for (int d = 0; d < 2; ++d) {
        const auto dir = static_cast<Direction>(d);
        if (!tx.complete[d] || tx.inspected[d]) continue;
        tx.inspected[d] = true;
        if (record_enabled(tx, dir, dns_log_options()))
          lines_ += render(state_, tx, dir, pcap_cnt) + "\n";
      }
      if (tx.inspected[0] && tx.inspected[1]) tx.logged = true;
    }
    state_.remove_done();
  }

  DnsState state_;
  std::string lines_;
  bool stopped_ = false;
};

}  // namespace seawall::applayer::dns::test
