#include "detect/rules/rule_parser.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include "core/log.h"
#include "detect/buffers/buffer_registry.h"
#include "detect/keywords/meta/meta_keywords.h"
#include "detect/rules/lexer.h"
#include "detect/rules/option_value.h"
#include "detect/rules/rule_requires.h"

namespace seawall::detect {

namespace {

struct ProtoName {
  std::string_view name;
  RuleProto proto;
  uint8_t family;
};

constexpr ProtoName kPacketProtos[] = {
    {"ip", RuleProto::kIp, 0},         {"pkthdr", RuleProto::kIp, 0},
    {"ipv4", RuleProto::kIp, 4},       {"ip4", RuleProto::kIp, 4},
    {"ipv6", RuleProto::kIp, 6},       {"ip6", RuleProto::kIp, 6},
    {"tcp", RuleProto::kTcp, 0},       {"tcp-pkt", RuleProto::kTcpPkt, 0},
    {"tcp-stream", RuleProto::kTcpStream, 0},
    {"udp", RuleProto::kUdp, 0},       {"sctp", RuleProto::kSctp, 0},
    {"icmp", RuleProto::kIcmp, 0},     {"icmpv4", RuleProto::kIcmp, 4},
    {"icmpv6", RuleProto::kIcmp, 6},
};

// Suricata's application-layer protocol names usable in a rule header.
constexpr std::string_view kAppProtos[] = {
    "http",   "http1", "http2",   "dns",     "tls",  "ssh",   "smtp",  "ftp",    "ftp-data",
    "smb",    "dcerpc", "dhcp",   "nfs",     "ntp",  "krb5",  "ike",   "ikev2",  "snmp",
    "sip",    "rfb",   "mqtt",    "modbus",  "dnp3", "enip",  "pgsql", "quic",   "ldap",
    "tftp",   "imap",  "pop3",    "telnet",  "rdp",  "websocket", "doh2", "bittorrent-dht",
    "mdns",   "irc",   "jabber",  "template",
};

Action parse_action(std::string_view text) {
  std::string a = to_lower_ascii(text);
  if (a == "alert") return Action::kAlert;
  if (a == "pass") return Action::kPass;
  if (a == "drop") return Action::kDrop;
  if (a == "reject") return Action::kReject;
  if (a == "rejectsrc") return Action::kRejectSrc;
  if (a == "rejectdst") return Action::kRejectDst;
  if (a == "rejectboth") return Action::kRejectBoth;
  throw RuleError("invalid action '" + std::string(text) + "'");
}

void parse_proto(std::string_view text, RuleHeader& header) {
  std::string p = to_lower_ascii(text);
  for (const ProtoName& n : kPacketProtos) {
    if (p == n.name) {
      header.proto = n.proto;
      header.ip_family = n.family;
      return;
    }
  }
  for (std::string_view app : kAppProtos) {
    if (p == app) {
      header.proto = RuleProto::kApp;
      header.app_proto = p;
      return;
    }
  }
  throw RuleError("unknown protocol '" + std::string(text) + "'");
}

// Wraps address/port errors with the header field they came from.
template <typename Fn>
auto header_field(const char* field, Fn fn) {
  try {
    return fn();
  } catch (const RuleError& e) {
    throw RuleError(std::string(field) + ": " + e.what());
  }
}

// Best-effort sid for reports about rules that fail before (or without) their
// sid keyword being set up: the first "sid:<digits>" in the text.
uint32_t guess_sid(std::string_view text) {
  size_t pos = 0;
  while ((pos = text.find("sid", pos)) != std::string_view::npos) {
    bool boundary = pos == 0 || text[pos - 1] == ';' || text[pos - 1] == '(' ||
                    text[pos - 1] == ' ' || text[pos - 1] == '\t';
    size_t i = pos + 3;
    pos = i;
    if (!boundary) continue;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i >= text.size() || text[i] != ':') continue;
    ++i;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '"')) ++i;
    uint64_t v = 0;
    size_t digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && digits < 10) {
      v = v * 10 + static_cast<uint64_t>(text[i] - '0');
      ++i;
      ++digits;
    }
    bool ends = i == text.size() || text[i] == ';' || text[i] == '"' || text[i] == ')' ||
                text[i] == ' ' || text[i] == '\t';
    if (digits > 0 && ends && v <= 0xffffffffu) return static_cast<uint32_t>(v);
  }
  return 0;
}

// Failure raised while applying one option: carries the keyword and whether
// the rule is valid but needs something not built yet.
struct OptionFailure {
  std::string reason;
  std::string keyword;
  bool unsupported = false;
};

void apply_option(const RuleOption& option, RuleBuilder& builder) {
  const KeywordDescriptor* d = find_keyword(option.name);
  if (d == nullptr) {
    std::string name(option.name);
    throw OptionFailure{"unknown keyword '" + name + "'", name, false};
  }
  std::string name(d->name);
  if (!d->unsupported_reason.empty()) {
    throw OptionFailure{"keyword '" + name + "' not supported yet: " +
                            std::string(d->unsupported_reason),
                        name, true};
  }
  const bool has_value = option.has_value && !option.value.empty();
  if ((d->flags & kNoValue) && has_value) {
    throw OptionFailure{"keyword '" + name + "' takes no value", name, false};
  }
  if ((d->flags & kValueRequired) && !has_value) {
    throw OptionFailure{"keyword '" + name + "' needs a value", name, false};
  }
  if (d->setup == nullptr) {
    throw OptionFailure{"keyword '" + name + "' not supported yet: no setup", name, true};
  }
  try {
    d->setup(builder, option.value);
  } catch (const RuleUnsupported& e) {
    throw OptionFailure{e.what(), name, true};
  } catch (const RuleError& e) {
    throw OptionFailure{e.what(), name, false};
  } catch (const std::exception& e) {
    throw OptionFailure{name + ": " + e.what(), name, false};
  }
}

}  // namespace

std::string_view canonical_app_proto(std::string_view name) {
  return name == "http1" ? std::string_view("http") : name;
}

std::string format_failure(const RuleFailure& f) {
  std::string out = f.file + ":" + std::to_string(f.line) + ": sid ";
  out += f.sid == 0 ? std::string("?") : std::to_string(f.sid);
  out += ": ";
  out += f.reason;
  return out;
}

std::unique_ptr<Rule> parse_rule(std::string_view text, std::string_view file, int line,
                                 RuleLoadContext& context, RuleFailure& failure) {
  link_meta_keywords();
  text = trim_space(text);
  failure = RuleFailure{};
  failure.file = std::string(file);
  failure.line = line;
  failure.text = std::string(text);

  auto rule = std::make_unique<Rule>();
  rule->file = failure.file;
  rule->line = line;
  rule->text = failure.text;

  RuleTokens tokens;
  try {
    tokens = lex_rule(text);
  } catch (const RuleError& e) {
    failure.sid = guess_sid(text);
    failure.reason = e.what();
    return nullptr;
  }
  for (const RuleOption& o : tokens.options) {
    if (to_lower_ascii(o.name) != "sid") continue;
    try {
      failure.sid = static_cast<uint32_t>(parse_unsigned(o.value, "sid", 1, 0xffffffffu));
    } catch (const RuleError&) {
    }
    break;
  }
  if (failure.sid == 0) failure.sid = guess_sid(text);

  // `requires` first: a rule written for another engine version may use
  // keywords this one does not know, and must then be skipped, not failed.
  for (const RuleOption& o : tokens.options) {
    if (to_lower_ascii(o.name) != "requires") continue;
    try {
      const RequiresVerdict verdict = evaluate_requires(o.value);
      if (!verdict.met) {
        failure.skipped = true;
        failure.reason = "requires '" + verdict.unmet + "' not met: rule skipped";
        return nullptr;
      }
    } catch (const RuleError& e) {
      failure.reason = e.what();
      failure.keyword = "requires";
      return nullptr;
    }
  }

  try {
    RuleHeader& h = rule->header;
    h.action = parse_action(tokens.action);
    parse_proto(tokens.proto, h);
    if (tokens.direction == "<>") {
      h.bidirectional = true;
    } else if (tokens.direction != "->") {
      throw RuleError("invalid direction '" + std::string(tokens.direction) +
                      "' (expected -> or <>)");
    }
    h.src = header_field("source address",
                         [&] { return parse_address_set(tokens.src, context); });
    h.sport = header_field("source port", [&] { return parse_port_set(tokens.sport, context); });
    h.dst = header_field("destination address",
                         [&] { return parse_address_set(tokens.dst, context); });
    h.dport = header_field("destination port",
                           [&] { return parse_port_set(tokens.dport, context); });
  } catch (const RuleError& e) {
    failure.reason = e.what();
    return nullptr;
  }

  RuleBuilder builder(*rule, context);
  try {
    for (const RuleOption& o : tokens.options) apply_option(o, builder);
  } catch (const OptionFailure& f) {
    failure.reason = f.reason;
    failure.keyword = f.keyword;
    failure.unsupported = f.unsupported;
    return nullptr;
  }

  if (rule->sid == 0) {
    failure.reason = "rule has no sid";
    return nullptr;
  }
  failure.sid = rule->sid;
  auto& inspections = rule->inspections;
  for (size_t i = 0; i < inspections.size();) {
    if (!inspections[i].matchers.empty()) {
      ++i;
    } else if (inspections[i].buffer_id == kPktDataBuffer && inspections[i].transforms.empty()) {
      // Left empty when legacy modifiers (http_uri ...) moved its contents away.
      inspections.erase(inspections.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      // Suricata rejects a sticky buffer (or transform) with nothing matched in it.
      failure.reason = "a sticky buffer is selected but no payload keyword inspects it";
      return nullptr;
    }
  }
  rule->byte_var_count = builder.byte_var_count();
  return rule;
}

bool load_rule_file(const std::string& path, RuleLoadContext& context,
                    std::vector<std::unique_ptr<Rule>>& rules,
                    std::vector<RuleFailure>& failures) {
  std::ifstream in(path);
  if (!in) {
    RuleFailure f;
    f.file = path;
    f.reason = std::string("cannot read rule file: ") + std::strerror(errno);
    failures.push_back(std::move(f));
    return false;
  }
  std::string line, pending;
  int line_number = 0, rule_line = 0;
  bool continuing = false;
  auto flush = [&] {
    RuleFailure failure;
    if (auto rule = parse_rule(pending, path, rule_line, context, failure)) {
      rules.push_back(std::move(rule));
    } else {
      failures.push_back(std::move(failure));
    }
    pending.clear();
    continuing = false;
  };
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!continuing) {
      std::string_view t = trim_space(line);
      if (t.empty() || t.front() == '#') continue;
      rule_line = line_number;
    }
    // A trailing backslash joins the next line directly (Suricata drops the
    // backslash and the line break, nothing else).
    std::string_view v = line;
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    if (!v.empty() && v.back() == '\\') {
      v.remove_suffix(1);
      pending.append(v);
      continuing = true;
      continue;
    }
    pending.append(line);
    flush();
  }
  if (continuing && !trim_space(pending).empty()) flush();
  return true;
}

namespace {

// "config <kind>:" prefix; returns the rest or false.
bool config_line(std::string_view line, std::string_view kind, std::string_view& rest) {
  line = trim_space(line);
  if (line.substr(0, 6) != "config") return false;
  line = trim_space(line.substr(6));
  if (line.substr(0, kind.size()) != kind) return false;
  line = trim_space(line.substr(kind.size()));
  if (line.empty() || line.front() != ':') return false;
  rest = trim_space(line.substr(1));
  return true;
}

template <typename Fn>
void for_each_config_line(const std::string& path, const char* what, Fn fn) {
  std::ifstream in(path);
  if (!in) {
    throw RuleError(std::string("cannot read ") + what + " file '" + path +
                    "': " + std::strerror(errno));
  }
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    std::string_view t = trim_space(line);
    if (t.empty() || t.front() == '#') continue;
    if (!fn(t)) {
      log_warning(path + ":" + std::to_string(number) + ": invalid " + what + " line skipped");
    }
  }
}

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

void load_classification_file(const std::string& path, RuleLoadContext& context) {
  for_each_config_line(path, "classification", [&](std::string_view line) {
    std::string_view rest;
    if (!config_line(line, "classification", rest)) return false;
    size_t first = rest.find(','), last = rest.rfind(',');
    if (first == std::string_view::npos || first == last) return false;
    std::string_view name = trim_space(rest.substr(0, first));
    std::string_view description = trim_space(rest.substr(first + 1, last - first - 1));
    std::string_view priority_text = trim_space(rest.substr(last + 1));
    if (!valid_name(name) || description.empty()) return false;
    uint64_t priority = 0;
    try {
      priority = parse_unsigned(priority_text, "priority", 0, 0x7fffffff);
    } catch (const RuleError&) {
      return false;
    }
    context.classifications[to_lower_ascii(name)] =
        RuleLoadContext::Classification{std::string(description), static_cast<int>(priority)};
    return true;
  });
}

void load_reference_file(const std::string& path, RuleLoadContext& context) {
  for_each_config_line(path, "reference", [&](std::string_view line) {
    std::string_view rest;
    if (!config_line(line, "reference", rest)) return false;
    size_t space = rest.find_first_of(" \t");
    if (space == std::string_view::npos) return false;
    std::string_view system = rest.substr(0, space);
    std::string_view url = trim_space(rest.substr(space));
    if (!valid_name(system) || url.empty()) return false;
    context.reference_systems[to_lower_ascii(system)] = std::string(url);
    return true;
  });
}

}  // namespace seawall::detect
