// EVE "dns" records. Version 3 (Suricata 8, rust/src/dns/log.rs log_json):
// one record per message, "type" request or response, header flags,
// "queries", then "answers" + "grouped" (formats detailed / grouped),
// "authorities" and "additionals". Version 2 (Suricata 7's
// dns_log_query / dns_log_json_answer): a "query" record with the first
// enabled query's rrname/rrtype, an "answer" record with the header flags,
// the first query, answers/grouped and authorities. Alerts always carry the
// version 3 object for the alert's direction.
#include "applayer/dns/dns_eve.h"

#include "applayer/dns/dns_parser.h"

#include <string>

#include "output/eve/json_writer.h"

namespace seawall::applayer::dns {

namespace {

constexpr char kHex[] = "0123456789abcdef";

// Strict UTF-8 (no overlongs, surrogates or code points past U+10FFFF), as
// Rust's str::from_utf8 checks it.
bool valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned char lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      if (c == 0xe0) lo = 0xa0;
      if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      if (c == 0xf0) lo = 0x90;
      if (c == 0xf4) hi = 0x8f;
    } else {
      return false;
    }
    if (n - i < len) return false;
    if (p[i + 1] < lo || p[i + 1] > hi) return false;
    for (size_t k = 2; k < len; ++k)
      if (p[i + k] < 0x80 || p[i + k] > 0xbf) return false;
    i += len;
  }
  return true;
}

std::string& scratch() {
  thread_local std::string s;
  s.clear();
  return s;
}

void write_name(JsonWriter& w, const Message& m, const Name& n) { write_bytes_string(w, m.text(n)); }

// dns_print_addr: dotted IPv4, IPv6 as eight zero-padded groups, else "".
void write_address(JsonWriter& w, std::string_view a) {
  char buf[40];
  size_t n = 0;
  if (a.size() == 4) {
    for (size_t i = 0; i < 4; ++i) {
      unsigned v = static_cast<unsigned char>(a[i]);
      if (i != 0) buf[n++] = '.';
      if (v >= 100) buf[n++] = static_cast<char>('0' + v / 100);
      if (v >= 10) buf[n++] = static_cast<char>('0' + v / 10 % 10);
      buf[n++] = static_cast<char>('0' + v % 10);
    }
  } else if (a.size() == 16) {
    for (size_t i = 0; i < 16; ++i) {
      if (i != 0 && i % 2 == 0) buf[n++] = ':';
      const auto v = static_cast<unsigned char>(a[i]);
      buf[n++] = kHex[v >> 4];
      buf[n++] = kHex[v & 0xf];
    }
  }
  w.string(std::string_view(buf, n));
}

void write_soa(JsonWriter& w, const Message& m, const Record& r) {
  w.begin_object();
  w.key("mname");
  write_name(w, m, r.rdata_name);
  if (r.rdata_name.truncated) w.member_bool("mname_truncated", true);
  w.key("rname");
  write_name(w, m, r.rdata_name2);
  if (r.rdata_name2.truncated) w.member_bool("rname_truncated", true);
  w.member_uint("serial", r.soa[0]);
  w.member_uint("refresh", r.soa[1]);
  w.member_uint("retry", r.soa[2]);
  w.member_uint("expire", r.soa[3]);
  w.member_uint("minimum", r.soa[4]);
  w.end_object();
}

void write_sshfp(JsonWriter& w, const Message& m, const Record& r) {
  std::string& hex = scratch();
  for (const char c : m.text(r.data)) {
    if (!hex.empty()) hex.push_back(':');
    hex.push_back(kHex[static_cast<unsigned char>(c) >> 4]);
    hex.push_back(kHex[static_cast<unsigned char>(c) & 0xf]);
  }
  w.begin_object();
  w.member("fingerprint", std::string_view(hex));
  w.member_uint("algo", r.algo);
  w.member_uint("type", r.fp_type);
  w.end_object();
}

void write_srv(JsonWriter& w, const Message& m, const Record& r) {
  w.begin_object();
  w.member_uint("priority", r.priority);
  w.member_uint("weight", r.weight);
  w.member_uint("port", r.port);
  w.key("name");
  write_name(w, m, r.rdata_name);
  w.end_object();
}

void write_opt_list(JsonWriter& w, const Message& m, const Record& r) {
  w.begin_array();
  for (uint32_t i = 0; i < r.list_count; ++i) {
    const OptEntry& o = m.options[r.list_first + i];
    std::string& hex = scratch();
    for (const char c : m.text(o.data)) {
      hex.push_back(kHex[static_cast<unsigned char>(c) >> 4]);
      hex.push_back(kHex[static_cast<unsigned char>(c) & 0xf]);
    }
    w.begin_object();
    w.member_uint("code", o.code);
    w.member("data", std::string_view(hex));
    w.end_object();
  }
  w.end_array();
}

// One entry of answers/authorities/additionals; `txt_index` picks the TXT
// string (Suricata writes one entry per character-string).
void write_record(JsonWriter& w, const Message& m, const Record& r, uint32_t txt_index) {
  char num[8];
  w.begin_object();
  w.key("rrname");
  write_name(w, m, r.name);
  if (r.name.truncated) w.member_bool("rrname_truncated", true);
  w.member("rrtype", rrtype_name(r.rrtype, num));
  w.member_uint("ttl", r.ttl);
  switch (r.kind) {
    case RDataKind::kAddress:
      w.key("rdata");
      write_address(w, m.text(r.data));
      break;
    case RDataKind::kName:
      w.key("rdata");
      write_name(w, m, r.rdata_name);
      if (r.rdata_name.truncated) w.member_bool("rdata_truncated", true);
      break;
    case RDataKind::kTxt:
      w.key("rdata");
      write_bytes_string(w, m.text(m.strings[r.list_first + txt_index]));
      break;
    case RDataKind::kBytes:
      w.key("rdata");
      write_bytes_string(w, m.text(r.data));
      break;
    case RDataKind::kSoa:
      w.key("soa");
      write_soa(w, m, r);
      break;
    case RDataKind::kSshfp:
      w.key("sshfp");
      write_sshfp(w, m, r);
      break;
    case RDataKind::kSrv:
      w.key("srv");
      write_srv(w, m, r);
      break;
    case RDataKind::kOpt:
      w.key("opt");
      write_opt_list(w, m, r);
      break;
    case RDataKind::kNone:
    case RDataKind::kSvcb:  // Suricata does not log HTTPS/SVCB or CAA rdata
    case RDataKind::kCaa:
      break;
  }
  w.end_object();
}

void write_records(JsonWriter& w, const Message& m, const Record& r) {
  if (r.kind == RDataKind::kTxt) {
    for (uint32_t i = 0; i < r.list_count; ++i) write_record(w, m, r, i);
  } else {
    write_record(w, m, r, 0);
  }
}

bool groupable(RDataKind k) {
  return k != RDataKind::kNone && k != RDataKind::kOpt && k != RDataKind::kSvcb &&
         k != RDataKind::kCaa;
}

void write_grouped_value(JsonWriter& w, const Message& m, const Record& r) {
  switch (r.kind) {
    case RDataKind::kAddress: write_address(w, m.text(r.data)); break;
    case RDataKind::kName: write_name(w, m, r.rdata_name); break;
    case RDataKind::kTxt:
      for (uint32_t i = 0; i < r.list_count; ++i)
        write_bytes_string(w, m.text(m.strings[r.list_first + i]));
      break;
    case RDataKind::kBytes: write_bytes_string(w, m.text(r.data)); break;
    case RDataKind::kSoa: write_soa(w, m, r); break;
    case RDataKind::kSshfp: write_sshfp(w, m, r); break;
    case RDataKind::kSrv: write_srv(w, m, r); break;
    default: break;
  }
}

// "grouped": rdata by type name, types in order of first appearance.
void write_grouped(JsonWriter& w, const Message& m) {
  char num[8];
  w.key("grouped");
  w.begin_object();
  const auto& answers = m.answers;
  for (size_t i = 0; i < answers.size(); ++i) {
    if (!groupable(answers[i].kind)) continue;
    bool seen = false;
    for (size_t j = 0; j < i && !seen; ++j)
      seen = answers[j].rrtype == answers[i].rrtype && groupable(answers[j].kind);
    if (seen) continue;
    w.key(rrtype_name(answers[i].rrtype, num));
    w.begin_array();
    for (size_t j = i; j < answers.size(); ++j)
      if (answers[j].rrtype == answers[i].rrtype && groupable(answers[j].kind))
        write_grouped_value(w, m, answers[j]);
    w.end_array();
  }
  w.end_object();
}

void write_answers(JsonWriter& w, const Message& m, const DnsLogOptions& options) {
  if (m.answers.empty()) return;
  if (options.detailed) {
    w.key("answers");
    w.begin_array();
    for (const Record& r : m.answers) write_records(w, m, r);
    w.end_array();
  }
  if (options.grouped) write_grouped(w, m);
}

void write_flags_hex(JsonWriter& w, uint16_t flags) {
  char buf[4];
  size_t n = 0;
  bool started = false;
  for (int shift = 12; shift >= 0; shift -= 4) {
    const unsigned nibble = (flags >> shift) & 0xf;
    if (nibble != 0 || started || shift == 0) {
      buf[n++] = kHex[nibble];
      started = true;
    }
  }
  w.member("flags", std::string_view(buf, n));
}

}  // namespace

void write_bytes_string(JsonWriter& w, std::string_view bytes) {
  if (valid_utf8(bytes)) {
    w.string(bytes);
    return;
  }
  std::string& s = scratch();
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x80) {
      s.push_back(c);
    } else {
      s.append("\\x");
      s.push_back(kHex[b >> 4]);
      s.push_back(kHex[b & 0xf]);
    }
  }
  w.string(s);
}

namespace {

DnsLogOptions& options_storage() {
  static DnsLogOptions options;
  return options;
}

bool type_enabled(uint16_t rrtype, const DnsLogOptions& options) {
  if (options.types.empty()) return true;
  for (const uint16_t t : options.types)
    if (t == rrtype) return true;
  return false;
}

const Query* first_enabled_query(const Message& m, const DnsLogOptions& options) {
  for (const Query& q : m.queries)
    if (type_enabled(q.rrtype, options)) return &q;
  return nullptr;
}

// Version 2 "query" record: one per enabled query in Suricata 7; we write the
// first (a framework record is one object).
void log_query_v2(const DnsTx& tx, const Message& m, const DnsLogOptions& options, JsonWriter& w) {
  char num[8];
  w.member_int("version", 2);  // the schema requires it on every dns object
  w.member("type", "query");
  w.member_uint("id", m.id);
  if (const Query* q = first_enabled_query(m, options)) {
    w.key("rrname");
    write_name(w, m, q->name);
    w.member("rrtype", rrtype_name(q->rrtype, num));
  }
  w.member_uint("tx_id", tx.id);
  if ((m.flags & 0x0040) != 0) w.member_bool("z", true);
  w.member_uint("opcode", m.opcode());
}

void write_flag_bools(JsonWriter& w, uint16_t f) {
  if ((f & 0x8000) != 0) w.member_bool("qr", true);
  if ((f & 0x0400) != 0) w.member_bool("aa", true);
  if ((f & 0x0200) != 0) w.member_bool("tc", true);
  if ((f & 0x0100) != 0) w.member_bool("rd", true);
  if ((f & 0x0080) != 0) w.member_bool("ra", true);
  if ((f & 0x0040) != 0) w.member_bool("z", true);
}

// Version 2 "answer" record.
void log_answer_v2(const Message& m, const DnsLogOptions& options, JsonWriter& w) {
  char num[8];
  w.member_int("version", 2);
  w.member("type", "answer");
  w.member_uint("id", m.id);
  write_flags_hex(w, m.flags);
  write_flag_bools(w, m.flags);
  w.member_uint("opcode", m.opcode());
  if (!m.queries.empty()) {
    w.key("rrname");
    write_name(w, m, m.queries.front().name);
    w.member("rrtype", rrtype_name(m.queries.front().rrtype, num));
  }
  w.member("rcode", rcode_name(m.rcode(), num));
  write_answers(w, m, options);
  if (!m.authorities.empty()) {
    w.key("authorities");
    w.begin_array();
    for (const Record& r : m.authorities) write_records(w, m, r);
    w.end_array();
  }
}

}  // namespace

const DnsLogOptions& dns_log_options() { return options_storage(); }
void set_dns_log_options(const DnsLogOptions& options) { options_storage() = options; }

bool record_enabled(const DnsTx& tx, Direction dir, const DnsLogOptions& options) {
  const Message& m = tx.message(dir);
  if (!m.present) return false;
  if (!(dir == Direction::kToServer ? options.requests : options.responses)) return false;
  if (options.types.empty()) return true;
  return first_enabled_query(m, options) != nullptr;
}

void log_tx(const ProtocolState& /*state*/, const Transaction& base, const LogContext& ctx,
            JsonWriter& w) {
  const auto& tx = static_cast<const DnsTx&>(base);
  const Message& m = tx.message(ctx.dir);
  // Alerts always carry the version 3 object with both formats.
  static const DnsLogOptions kAlertOptions{};
  const DnsLogOptions& options = ctx.kind == LogKind::kAlert ? kAlertOptions : dns_log_options();
  if (options.version == 2 && m.present) {
    if (ctx.dir == Direction::kToServer) log_query_v2(tx, m, options, w);
    else log_answer_v2(m, options, w);
    return;
  }
  w.member_int("version", 3);
  w.member("type", ctx.dir == Direction::kToServer ? "request" : "response");
  w.member_uint("tx_id", tx.id);
  w.member_uint("id", m.present ? m.id : tx.dns_id);
  if (!m.present) return;  // this direction carried no parsable message

  write_flags_hex(w, m.flags);
  write_flag_bools(w, m.flags);
  w.member_uint("opcode", m.opcode());
  char num[8];
  w.member("rcode", rcode_name(m.rcode(), num));

  if (!m.queries.empty()) {
    w.key("queries");
    w.begin_array();
    for (const Query& q : m.queries) {
      w.begin_object();
      w.key("rrname");
      write_name(w, m, q.name);
      w.member("rrtype", rrtype_name(q.rrtype, num));
      if (q.name.truncated) w.member_bool("rrname_truncated", true);
      w.end_object();
    }
    w.end_array();
  }
  write_answers(w, m, options);
  if (!m.authorities.empty()) {
    w.key("authorities");
    w.begin_array();
    for (const Record& r : m.authorities) write_records(w, m, r);
    w.end_array();
  }
  bool additionals_open = false;
  for (const Record& r : m.additionals) {
    // An EDNS OPT record without options is not logged.
    if (r.kind == RDataKind::kOpt && r.list_count == 0) continue;
    if (!additionals_open) {
      w.key("additionals");
      w.begin_array();
      additionals_open = true;
    }
    write_records(w, m, r);
  }
  if (additionals_open) w.end_array();
}

}  // namespace seawall::applayer::dns
