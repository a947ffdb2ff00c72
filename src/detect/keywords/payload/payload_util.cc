#include "detect/keywords/payload/payload_util.h"

#include <cctype>
#include <limits>
#include <string>

#include "detect/keywords/payload/payload_keyword.h"

namespace seawall::detect {

std::string_view trim_ws(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_options(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(trim_ws(s.substr(start, i - start)));
      start = i + 1;
    }
  }
  return out;
}

bool parse_u64(std::string_view s, uint64_t& out, bool allow_hex) {
  s = trim_ws(s);
  if (s.empty()) return false;
  unsigned base = 10;
  if (allow_hex && s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  uint64_t v = 0;
  for (char c : s) {
    unsigned d;
    if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
    else if (base == 16 && c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
    else if (base == 16 && c >= 'A' && c <= 'F') d = static_cast<unsigned>(c - 'A' + 10);
    else return false;
    if (v > (std::numeric_limits<uint64_t>::max() - d) / base) return false;
    v = v * base + d;
  }
  out = v;
  return true;
}

bool parse_i64(std::string_view s, int64_t& out, bool allow_hex) {
  s = trim_ws(s);
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  uint64_t v;
  if (!parse_u64(s, v, allow_hex)) return false;
  if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
  out = neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  return true;
}

bool names_variable(std::string_view s) {
  s = trim_ws(s);
  return !s.empty() && s[0] != '-' && std::isalpha(static_cast<unsigned char>(s[0]));
}

NumberOrVar parse_number_or_var(RuleBuilder& builder, std::string_view keyword,
                                std::string_view what, std::string_view text, int64_t min,
                                int64_t max) {
  NumberOrVar r;
  text = trim_ws(text);
  if (names_variable(text)) {
    if (!builder.find_byte_var(text, r.slot))
      throw RuleError(std::string(keyword) + ": unknown byte_extract/byte_math variable '" +
                      std::string(text) + "' for " + std::string(what));
    r.is_var = true;
    return r;
  }
  int64_t v = 0;
  if (!parse_i64(text, v)) {
    throw RuleError(std::string(keyword) + ": invalid " + std::string(what) + " '" +
                    std::string(text) + "'");
  }
  if (v < min || v > max)
    throw RuleError(std::string(keyword) + ": " + std::string(what) + " " + std::to_string(v) +
                    " out of range [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  r.value = v;
  return r;
}

void mark_relative_next_before(BufferInspection& insp, size_t index) {
  for (size_t i = index; i-- > 0;) {
    auto* kw = dynamic_cast<PayloadKeyword*>(insp.matchers[i].get());
    if (kw && (kw->kind() == PayloadKind::kContent || kw->kind() == PayloadKind::kPcre)) {
      kw->set_relative_next(true);
      return;
    }
  }
}

void mark_relative_next(RuleBuilder& builder) {
  BufferInspection& insp = builder.current_inspection();
  mark_relative_next_before(insp, insp.matchers.size());
}

void add_relative_payload(RuleBuilder& builder, std::unique_ptr<PayloadMatcher> matcher) {
  BufferInspection* target = nullptr;
  if (!builder.has_explicit_buffer()) {
    uint64_t last = 0;
    for (BufferInspection& insp : builder.rule().inspections) {
      if (!insp.transforms.empty()) continue;  // legacy modifiers never transform
      for (const auto& m : insp.matchers) {
        const auto* kw = dynamic_cast<const PayloadKeyword*>(m.get());
        if (kw && kw->order() > last) {
          last = kw->order();
          target = &insp;
        }
      }
    }
  }
  if (target == nullptr) target = &builder.current_inspection();
  mark_relative_next_before(*target, target->matchers.size());
  target->matchers.push_back(std::move(matcher));
}

namespace {

int digit_value(uint8_t c, NumberBase base) {
  int d = -1;
  if (c >= '0' && c <= '9') d = c - '0';
  else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
  else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
  const int radix = base == NumberBase::kHex ? 16 : base == NumberBase::kOct ? 8 : 10;
  return d < radix ? d : -1;
}

}  // namespace

uint32_t extract_number(const uint8_t* data, uint32_t len, uint64_t pos, const ExtractSpec& spec,
                        uint64_t& value) {
  if (spec.nbytes == 0 || pos > len || len - pos < spec.nbytes) return 0;
  const uint8_t* p = data + pos;
  if (!spec.string) {
    if (spec.nbytes > 8) return 0;
    uint64_t v = 0;
    for (uint32_t i = 0; i < spec.nbytes; ++i) {
      const uint8_t b = spec.little_endian ? p[spec.nbytes - 1 - i] : p[i];
      v = (v << 8) | b;
    }
    value = v;
    return spec.nbytes;
  }
  // Like strtoull on the nbytes characters: optional leading spaces and sign,
  // optional 0x for hex; digits stop at the first non-digit (Suricata's
  // non-strict ByteExtractString).
  uint32_t i = 0;
  while (i < spec.nbytes && std::isspace(p[i])) ++i;
  bool neg = false;
  if (i < spec.nbytes && (p[i] == '+' || p[i] == '-')) {
    neg = p[i] == '-';
    ++i;
  }
  NumberBase base = spec.base;
  if (base == NumberBase::kNone) {  // strtoull base 0: 0x -> hex, leading 0 -> octal
    if (i + 1 < spec.nbytes && p[i] == '0' && (p[i + 1] == 'x' || p[i + 1] == 'X'))
      base = NumberBase::kHex;
    else if (i < spec.nbytes && p[i] == '0')
      base = NumberBase::kOct;
    else
      base = NumberBase::kDec;
  }
  if (base == NumberBase::kHex && i + 1 < spec.nbytes && p[i] == '0' &&
      (p[i + 1] == 'x' || p[i + 1] == 'X') && i + 2 < spec.nbytes &&
      digit_value(p[i + 2], NumberBase::kHex) >= 0)
    i += 2;
  const uint32_t digits_start = i;
  const uint64_t radix = base == NumberBase::kHex ? 16 : base == NumberBase::kOct ? 8 : 10;
  uint64_t v = 0;
  for (; i < spec.nbytes; ++i) {
    const int d = digit_value(p[i], base);
    if (d < 0) break;
    if (v > (std::numeric_limits<uint64_t>::max() - static_cast<uint64_t>(d)) / radix) return 0;
    v = v * radix + static_cast<uint64_t>(d);
  }
  if (i == digits_start) return 0;
  value = neg ? (~v + 1) : v;
  return i;
}

}  // namespace seawall::detect

namespace seawall::detect {

bool UintRange::match(uint64_t v) const {
  switch (mode) {
    case Mode::kEq: return v == a;
    case Mode::kNe: return v != a;
    case Mode::kLt: return v < a;
    case Mode::kLe: return v <= a;
    case Mode::kGt: return v > a;
    case Mode::kGe: return v >= a;
    case Mode::kRange: return v > a && v < b;
  }
  return false;
}

UintRange parse_uint_range(std::string_view keyword, std::string_view text, uint64_t max) {
  const std::string kw(keyword);
  std::string_view t = trim_ws(text);
  UintRange r;
  auto number = [&](std::string_view s) {
    uint64_t v;
    if (!parse_u64(trim_ws(s), v, false) || v > max)
      throw RuleError(kw + ": invalid value '" + std::string(text) + "'");
    return v;
  };
  if (const size_t p = t.find("<>"); p != std::string_view::npos) {
    r.mode = UintRange::Mode::kRange;
    r.a = number(t.substr(0, p));
    r.b = number(t.substr(p + 2));
  } else if (const size_t d = t.find('-'); d != std::string_view::npos && d > 0) {
    r.mode = UintRange::Mode::kRange;
    r.a = number(t.substr(0, d));
    r.b = number(t.substr(d + 1));
  } else if (t.substr(0, 2) == "<=") {
    r.mode = UintRange::Mode::kLe;
    r.a = number(t.substr(2));
  } else if (t.substr(0, 2) == ">=") {
    r.mode = UintRange::Mode::kGe;
    r.a = number(t.substr(2));
  } else if (t.substr(0, 2) == "!=") {
    r.mode = UintRange::Mode::kNe;
    r.a = number(t.substr(2));
  } else if (!t.empty() && (t[0] == '<' || t[0] == '>' || t[0] == '!' || t[0] == '=')) {
    r.mode = t[0] == '<'   ? UintRange::Mode::kLt
             : t[0] == '>' ? UintRange::Mode::kGt
             : t[0] == '!' ? UintRange::Mode::kNe
                           : UintRange::Mode::kEq;
    r.a = number(t.substr(1));
  } else {
    r.a = number(t);
  }
  if (r.mode == UintRange::Mode::kRange && r.a >= r.b)
    throw RuleError(kw + ": range '" + std::string(text) + "' is empty (min must be below max)");
  return r;
}

}  // namespace seawall::detect
