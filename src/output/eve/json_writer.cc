#include "output/eve/json_writer.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace seawall {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// Bytes that can be copied as-is inside a JSON string: printable ASCII other
// than '"' and '\\', plus DEL (RFC 8259 only requires escaping U+0000..U+001F).
constexpr bool is_plain_ascii(uint8_t c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

void append_u00(std::string& out, uint8_t byte) {
  const char esc[6] = {'\\', 'u', '0', '0', kHex[byte >> 4], kHex[byte & 0xf]};
  out.append(esc, 6);
}

// Length of the well-formed UTF-8 sequence starting at s[0] (a byte >= 0x80),
// or 0 if it is not well-formed per RFC 3629 (overlong forms, UTF-16 surrogates
// and code points above U+10FFFF are all rejected).
size_t utf8_sequence_length(const uint8_t* s, size_t avail) {
  const uint8_t b0 = s[0];
  auto cont = [&](size_t i, uint8_t lo = 0x80, uint8_t hi = 0xbf) {
    return i < avail && s[i] >= lo && s[i] <= hi;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 == 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;          // no overlongs
  if (b0 == 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;    // no surrogates
  if (b0 >= 0xe1 && b0 <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b0 == 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 == 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;  // <= U+10FFFF
  return 0;  // continuation byte without a lead, C0/C1, F5..FF
}

}  // namespace

void json_escape_append(std::string& out, const uint8_t* s, size_t len) {
  size_t i = 0;
  while (i < len) {
    // Copy the longest run of bytes that need no escaping in one append.
    size_t run = i;
    while (run < len && is_plain_ascii(s[run])) ++run;
    if (run > i) {
      out.append(reinterpret_cast<const char*>(s + i), run - i);
      i = run;
      if (i == len) break;
    }
    const uint8_t c = s[i];
    if (c < 0x80) {
      switch (c) {
        case '"': out.append("\\\"", 2); break;
        case '\\': out.append("\\\\", 2); break;
        case '\b': out.append("\\b", 2); break;
        case '\f': out.append("\\f", 2); break;
        case '\n': out.append("\\n", 2); break;
        case '\r': out.append("\\r", 2); break;
        case '\t': out.append("\\t", 2); break;
        default: append_u00(out, c); break;  // remaining control characters
      }
      ++i;
      continue;
    }
    const size_t n = utf8_sequence_length(s + i, len - i);
    if (n == 0) {
      // Not UTF-8: keep the byte's value visible and the line valid JSON.
      append_u00(out, c);
      ++i;
    } else {
      out.append(reinterpret_cast<const char*>(s + i), n);
      i += n;
    }
  }
}

bool JsonWriter::needs_comma() {
  if (after_key_) {
    after_key_ = false;
    return false;
  }
  if (depth_ <= 0) return false;
  const uint64_t bit = uint64_t{1} << (depth_ < 64 ? depth_ : 63);
  const bool comma = (has_element_ & bit) != 0;
  has_element_ |= bit;
  return comma;
}

void JsonWriter::separator() {
  if (needs_comma()) out_.push_back(',');
}

void JsonWriter::begin_object() {
  separator();
  out_.push_back('{');
  ++depth_;
  has_element_ &= ~(uint64_t{1} << (depth_ < 64 ? depth_ : 63));
}

void JsonWriter::end_object() {
  out_.push_back('}');
  --depth_;
}

void JsonWriter::begin_array() {
  separator();
  out_.push_back('[');
  ++depth_;
  has_element_ &= ~(uint64_t{1} << (depth_ < 64 ? depth_ : 63));
}

void JsonWriter::end_array() {
  out_.push_back(']');
  --depth_;
}

void JsonWriter::key(std::string_view name) {
  // Keys are field names from the code (or counter names): nearly always
  // short plain ASCII, so the whole `,"name":` goes out in one append.
  bool plain = name.size() <= 60;
  for (char c : name) plain &= is_plain_ascii(static_cast<uint8_t>(c));
  if (!plain) {
    separator();
    out_.push_back('"');
    json_escape_append(out_, reinterpret_cast<const uint8_t*>(name.data()), name.size());
    out_.append("\":", 2);
    after_key_ = true;
    return;
  }
  char buf[64];
  size_t n = 0;
  if (needs_comma()) buf[n++] = ',';
  buf[n++] = '"';
  std::memcpy(buf + n, name.data(), name.size());
  n += name.size();
  buf[n++] = '"';
  buf[n++] = ':';
  out_.append(buf, n);
  after_key_ = true;
}

void JsonWriter::string(std::string_view value) {
  string_bytes(reinterpret_cast<const uint8_t*>(value.data()), value.size());
}

void JsonWriter::string_bytes(const uint8_t* data, size_t len) {
  separator();
  out_.push_back('"');
  json_escape_append(out_, data, len);
  out_.push_back('"');
}

void JsonWriter::string_concat(std::string_view first, std::string_view second) {
  separator();
  out_.push_back('"');
  json_escape_append(out_, reinterpret_cast<const uint8_t*>(first.data()), first.size());
  json_escape_append(out_, reinterpret_cast<const uint8_t*>(second.data()), second.size());
  out_.push_back('"');
}

void JsonWriter::integer(int64_t value) {
  separator();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, static_cast<size_t>(r.ptr - buf));
}

void JsonWriter::uinteger(uint64_t value) {
  separator();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, static_cast<size_t>(r.ptr - buf));
}

void JsonWriter::number(double value) {
  separator();
  if (!std::isfinite(value)) {  // JSON has no NaN/Infinity
    out_.append("null", 4);
    return;
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, static_cast<size_t>(r.ptr - buf));
}

void JsonWriter::boolean(bool value) {
  separator();
  if (value) out_.append("true", 4);
  else out_.append("false", 5);
}

void JsonWriter::null() {
  separator();
  out_.append("null", 4);
}

void JsonWriter::raw(std::string_view json) {
  separator();
  out_.append(json.data(), json.size());
}

}  // namespace seawall
