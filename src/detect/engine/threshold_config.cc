#include "detect/engine/threshold_config.h"

#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace seawall::detect {

namespace {

std::string_view trim_ws(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

struct LineError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(const std::string& message) { throw LineError(message); }

uint32_t parse_number(std::string_view name, std::string_view v, bool allow_zero) {
  if (v.empty() || v.size() > 10) fail("invalid " + std::string(name) + " '" + std::string(v) + "'");
  uint64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') fail("invalid " + std::string(name) + " '" + std::string(v) + "'");
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  if (n > 0xffffffffu) fail(std::string(name) + " out of range");
  if (n == 0 && !allow_zero) fail(std::string(name) + " must be greater than 0");
  return static_cast<uint32_t>(n);
}

// Splits "name value, name value" into ordered pairs. The ip value of a
// suppress may be a bracketed list containing commas.
std::vector<std::pair<std::string_view, std::string_view>> split_options(std::string_view s) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  size_t i = 0;
  while (i <= s.size()) {
    int depth = 0;
    size_t j = i;
    for (; j < s.size(); ++j) {
      if (s[j] == '[') ++depth;
      else if (s[j] == ']') --depth;
      else if (s[j] == ',' && depth == 0) break;
    }
    std::string_view part = trim_ws(s.substr(i, j - i));
    if (part.empty()) fail("empty option");
    size_t sp = 0;
    while (sp < part.size() && !std::isspace(static_cast<unsigned char>(part[sp]))) ++sp;
    std::string_view name = part.substr(0, sp);
    std::string_view value = trim_ws(part.substr(sp));
    if (value.empty()) fail("option '" + std::string(name) + "' needs a value");
    out.emplace_back(name, value);
    if (j >= s.size()) break;
    i = j + 1;
  }
  return out;
}

ThresholdSpec::Track parse_track(std::string_view v) {
  if (v == "by_src") return ThresholdSpec::Track::kBySrc;
  if (v == "by_dst") return ThresholdSpec::Track::kByDst;
  if (v == "by_rule") return ThresholdSpec::Track::kByRule;
  if (v == "by_both") return ThresholdSpec::Track::kByBoth;
  if (v == "by_flow") return ThresholdSpec::Track::kByFlow;
  fail("invalid track '" + std::string(v) + "'");
}

ThresholdConfigEntry parse_line(std::string_view line) {
  ThresholdConfigEntry e;
  size_t sp = 0;
  while (sp < line.size() && !std::isspace(static_cast<unsigned char>(line[sp]))) ++sp;
  std::string_view directive = line.substr(0, sp);
  if (directive == "threshold") e.kind = ThresholdConfigEntry::Kind::kThreshold;
  else if (directive == "event_filter") e.kind = ThresholdConfigEntry::Kind::kEventFilter;
  else if (directive == "suppress") e.kind = ThresholdConfigEntry::Kind::kSuppress;
  else if (directive == "rate_filter") e.kind = ThresholdConfigEntry::Kind::kRateFilter;
  else fail("unknown directive '" + std::string(directive) +
            "' (expected threshold, event_filter, suppress, rate_filter)");

  auto opts = split_options(trim_ws(line.substr(sp)));
  if (opts.size() < 2 || opts[0].first != "gen_id" || opts[1].first != "sig_id") {
    fail("expected 'gen_id <n>, sig_id <n>' first");
  }
  e.gid = parse_number("gen_id", opts[0].second, true);
  e.sid = parse_number("sig_id", opts[1].second, true);

  bool have_type = false, have_track = false, have_count = false, have_seconds = false;
  bool have_ip = false, have_action = false, have_timeout = false;
  auto once = [](bool& seen, std::string_view name) {
    if (seen) fail("'" + std::string(name) + "' given twice");
    seen = true;
  };
  using Kind = ThresholdConfigEntry::Kind;
  for (size_t i = 2; i < opts.size(); ++i) {
    auto [name, v] = opts[i];
    bool is_threshold = e.kind == Kind::kThreshold || e.kind == Kind::kEventFilter;
    if (name == "type" && is_threshold) {
      once(have_type, name);
      if (v == "limit") e.spec.type = ThresholdSpec::Type::kLimit;
      else if (v == "threshold") e.spec.type = ThresholdSpec::Type::kThreshold;
      else if (v == "both") e.spec.type = ThresholdSpec::Type::kBoth;
      else fail("invalid type '" + std::string(v) + "' (limit, threshold, both)");
    } else if (name == "track") {
      once(have_track, name);
      if (e.kind == Kind::kSuppress) {
        if (v == "by_src") e.suppress_track = ThresholdConfigEntry::SuppressTrack::kBySrc;
        else if (v == "by_dst") e.suppress_track = ThresholdConfigEntry::SuppressTrack::kByDst;
        else if (v == "by_either") e.suppress_track = ThresholdConfigEntry::SuppressTrack::kByEither;
        else fail("invalid suppress track '" + std::string(v) + "' (by_src, by_dst, by_either)");
      } else {
        e.spec.track = parse_track(v);
      }
    } else if (name == "count" && e.kind != Kind::kSuppress) {
      once(have_count, name);
      e.spec.count = parse_number(name, v, false);
    } else if (name == "seconds" && e.kind != Kind::kSuppress) {
      once(have_seconds, name);
      e.spec.seconds = parse_number(name, v, false);
    } else if (name == "ip" && e.kind == Kind::kSuppress) {
      once(have_ip, name);
      e.suppress_ip = std::string(v);
    } else if (name == "new_action" && e.kind == Kind::kRateFilter) {
      once(have_action, name);
      if (v == "alert") e.new_action = Action::kAlert;
      else if (v == "drop") e.new_action = Action::kDrop;
      else if (v == "pass") e.new_action = Action::kPass;
      else if (v == "reject") e.new_action = Action::kReject;
      else if (v == "log" || v == "sdrop") e.keeps_rule_action = true;
      else fail("invalid new_action '" + std::string(v) + "' (alert, drop, sdrop, pass, reject, log)");
    } else if (name == "timeout" && e.kind == Kind::kRateFilter) {
      once(have_timeout, name);
      e.timeout = parse_number(name, v, false);
    } else {
      fail("unexpected option '" + std::string(name) + "' for " + std::string(directive));
    }
  }
  switch (e.kind) {
    case Kind::kThreshold:
    case Kind::kEventFilter:
      if (!have_type || !have_track || !have_count || !have_seconds) {
        fail(std::string(directive) + " needs type, track, count and seconds");
      }
      break;
    case Kind::kRateFilter:
      if (!have_track || !have_count || !have_seconds || !have_action || !have_timeout) {
        fail("rate_filter needs track, count, seconds, new_action and timeout");
      }
      e.spec.type = ThresholdSpec::Type::kRate;
      e.spec.timeout = e.timeout;
      break;
    case Kind::kSuppress:
      if (have_track != have_ip) fail("suppress needs both track and ip, or neither");
      break;
  }
  if (e.gid == 0 && e.sid != 0) fail("gen_id 0 is only valid with sig_id 0");
  return e;
}

}  // namespace

ThresholdConfig parse_threshold_config(std::string_view text, std::string_view file) {
  ThresholdConfig out;
  std::string pending;
  int pending_line = 0;
  int line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view raw = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos
                                                                         : nl - pos);
    ++line_no;
    std::string_view line = trim_ws(raw);
    bool continues = !line.empty() && line.back() == '\\';
    if (continues) line = trim_ws(line.substr(0, line.size() - 1));
    if (pending.empty()) pending_line = line_no;
    if (!(pending.empty() && (line.empty() || line.front() == '#'))) {
      if (!pending.empty()) pending += ' ';
      pending.append(line);
    }
    if (!continues && !pending.empty()) {
      try {
        ThresholdConfigEntry e = parse_line(pending);
        e.line = pending_line;
        out.entries.push_back(std::move(e));
      } catch (const LineError& err) {
        out.errors.push_back({pending_line, std::string(file) + ":" +
                                                std::to_string(pending_line) + ": " + err.what()});
      }
      pending.clear();
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  if (!pending.empty()) {
    out.errors.push_back({pending_line, std::string(file) + ":" + std::to_string(pending_line) +
                                            ": line continuation at end of file"});
  }
  return out;
}

ThresholdConfig load_threshold_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read threshold file " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_threshold_config(ss.str(), path);
}

}  // namespace seawall::detect
