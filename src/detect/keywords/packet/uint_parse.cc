#include "detect/keywords/packet/uint_parse.h"

#include <cctype>
#include <limits>

#include "detect/keywords/keyword.h"

namespace seawall::detect {

namespace {

// A cursor over the option text; every step either consumes or leaves it.
struct Cursor {
  std::string_view s;
  size_t i = 0;
  void skip_spaces() {
    while (i < s.size() && s[i] == ' ') ++i;
  }
  bool eat(std::string_view tok) {
    if (s.substr(i, tok.size()) == tok) {
      i += tok.size();
      return true;
    }
    return false;
  }
  bool eat_nocase(std::string_view tok) {
    if (i + tok.size() <= s.size() && iequals(s.substr(i, tok.size()), tok)) {
      i += tok.size();
      return true;
    }
    return false;
  }
  bool done() const { return i >= s.size(); }
};

// Value: 0x<hex> | <decimal>[kb|kib|mb|mib|gb|gib]. Fails on overflow of max.
bool parse_value(Cursor& c, uint64_t max, uint64_t& out) {
  if (c.eat("0x") || c.eat("0X")) {
    size_t start = c.i;
    while (c.i < c.s.size() && std::isxdigit(static_cast<unsigned char>(c.s[c.i]))) ++c.i;
    return parse_u64(std::string("0x").append(c.s.substr(start, c.i - start)), max, out, true) &&
           c.i > start;
  }
  size_t start = c.i;
  while (c.i < c.s.size() && std::isdigit(static_cast<unsigned char>(c.s[c.i]))) ++c.i;
  if (c.i == start) return false;
  uint64_t v = 0;
  if (!parse_u64(c.s.substr(start, c.i - start), max, v)) return false;
  uint64_t unit = 1;
  if (c.eat_nocase("kib") || c.eat_nocase("kb")) unit = 1024;
  else if (c.eat_nocase("mib") || c.eat_nocase("mb")) unit = 1024ull * 1024;
  else if (c.eat_nocase("gib") || c.eat_nocase("gb")) unit = 1024ull * 1024 * 1024;
  if (unit != 1 && v != 0) {
    if (max / unit < v) return false;
    v *= unit;
  }
  out = v;
  return true;
}

bool at_end(Cursor c) {
  c.skip_spaces();
  return c.done();
}

// "&mask[!]=value"
bool try_bitmask(Cursor c, uint64_t max, UintCondition& out, std::string& err) {
  c.skip_spaces();
  if (!c.eat("&")) return false;
  c.skip_spaces();
  uint64_t mask = 0, value = 0;
  if (!parse_value(c, max, mask)) return false;
  c.skip_spaces();
  bool neg = c.eat("!");
  if (!c.eat("=")) return false;
  c.skip_spaces();
  if (!parse_value(c, max, value) || !at_end(c)) return false;
  if ((value & mask) != value) {
    err = "bitmask value has bits outside the mask (can never match)";
    return false;
  }
  out = {neg ? UintCondition::Mode::kNotBitmask : UintCondition::Mode::kBitmask, mask, value};
  return true;
}

// "[!]a-b" or "[!]a<>b"
bool try_range(Cursor c, uint64_t max, UintCondition& out, std::string& err) {
  c.skip_spaces();
  bool neg = c.eat("!");
  uint64_t lo = 0, hi = 0;
  if (!parse_value(c, max, lo)) return false;
  c.skip_spaces();
  if (!c.eat("-") && !c.eat("<>")) return false;
  c.skip_spaces();
  if (!parse_value(c, max, hi) || !at_end(c)) return false;
  if (!(hi > lo && hi - lo > 1)) {
    err = "range " + std::to_string(lo) + "-" + std::to_string(hi) +
          " is empty (bounds are exclusive: the second must exceed the first by 2 or more)";
    return false;
  }
  out = {neg ? UintCondition::Mode::kNotRange : UintCondition::Mode::kRange, lo, hi};
  return true;
}

// "[=]value"
bool try_equal(Cursor c, uint64_t max, UintCondition& out) {
  c.skip_spaces();
  c.eat("=");
  c.skip_spaces();
  uint64_t v = 0;
  if (!parse_value(c, max, v) || !at_end(c)) return false;
  out = {UintCondition::Mode::kEqual, v, 0};
  return true;
}

// ">=v" "<=v" ">v" "<v" "!=v" "!v"
bool try_symbol(Cursor c, uint64_t max, UintCondition& out, std::string& err) {
  using Mode = UintCondition::Mode;
  c.skip_spaces();
  Mode mode;
  if (c.eat(">=")) mode = Mode::kGreaterEqual;
  else if (c.eat("<=")) mode = Mode::kLessEqual;
  else if (c.eat(">")) mode = Mode::kGreater;
  else if (c.eat("<")) mode = Mode::kLess;
  else if (c.eat("!=") || c.eat("!")) mode = Mode::kNotEqual;
  else return false;
  c.skip_spaces();
  uint64_t v = 0;
  if (!parse_value(c, max, v) || !at_end(c)) return false;
  // Conditions that can never (or always) be true are rejected, as Suricata does.
  if ((mode == Mode::kLess && v == 0) || (mode == Mode::kGreaterEqual && v == 0) ||
      (mode == Mode::kLessEqual && v == max) || (mode == Mode::kGreater && v == max)) {
    err = "condition is always or never true for the value range";
    return false;
  }
  out = {mode, v, 0};
  return true;
}

}  // namespace

UintCondition parse_uint_condition(std::string_view text, uint64_t max, std::string_view keyword) {
  std::string_view s = trim(text);
  if (s.empty()) keyword_error(keyword, "empty value");
  Cursor c{s};
  UintCondition out;
  std::string err;
  if (try_bitmask(c, max, out, err) || try_range(c, max, out, err) || try_equal(c, max, out) ||
      try_symbol(c, max, out, err)) {
    return out;
  }
  if (err.empty()) {
    err = "invalid value '" + std::string(s) + "' (expected N, <N, >N, <=N, >=N, !N, N-M or "
          "N<>M with N in 0.." + std::to_string(max) + ")";
  }
  keyword_error(keyword, err);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string_view strip_quotes(std::string_view s) {
  s = trim(s);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = trim(s.substr(1, s.size() - 2));
  return s;
}

std::vector<std::string_view> split_trim(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      parts.push_back(trim(s.substr(start)));
      break;
    }
    parts.push_back(trim(s.substr(start, pos - start)));
    start = pos + 1;
  }
  return parts;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool parse_u64(std::string_view text, uint64_t max, uint64_t& out, bool allow_hex) {
  int base = 10;
  if (allow_hex && text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  if (text.empty()) return false;
  uint64_t v = 0;
  for (char ch : text) {
    int d;
    if (ch >= '0' && ch <= '9') d = ch - '0';
    else if (base == 16 && ch >= 'a' && ch <= 'f') d = ch - 'a' + 10;
    else if (base == 16 && ch >= 'A' && ch <= 'F') d = ch - 'A' + 10;
    else return false;
    if (v > (std::numeric_limits<uint64_t>::max() - static_cast<uint64_t>(d)) /
                static_cast<uint64_t>(base)) {
      return false;
    }
    v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
    if (v > max) return false;
  }
  out = v;
  return true;
}

void keyword_error(std::string_view keyword, const std::string& message) {
  throw RuleError(std::string(keyword) + ": " + message);
}

}  // namespace seawall::detect
