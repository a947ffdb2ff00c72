#include "output/eve/json_writer.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace seawall {
namespace {

constexpr char kHex[] = "0123456789abcdef";

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
  JsonWriter w(out);
  w.escape(s, len);
}

void JsonWriter::grow(size_t n) {
  const size_t used = cur_ != nullptr ? static_cast<size_t>(cur_ - out_.data()) : out_.size();
  // Modest slack: resize() zero-fills it, and most records are under 1 KiB.
  constexpr size_t kSlack = 1024;
  out_.resize(used + (n > kSlack ? n : kSlack));
  base_ = out_.data();
  cur_ = base_ + used;
  end_ = base_ + out_.size();
}

void JsonWriter::escape(const uint8_t* s, size_t len) {
  // At most 6 output bytes per input byte (\u00XX); long inputs go in slices
  // so the slack asked for stays small.
  constexpr size_t kSlice = 4096;
  while (len > 0) {
    size_t n = len < kSlice ? len : kSlice;
    // Never split a UTF-8 sequence: end the slice before the lead byte of one
    // that would straddle it (continuation bytes are 10xxxxxx, at most 3).
    if (n < len) {
      size_t cut = n;
      for (int k = 0; k < 3 && cut > 0 && (s[cut] & 0xc0) == 0x80; ++k) --cut;
      if (cut > 0 && (s[cut] & 0xc0) != 0x80) n = cut;
    }
    char* p = room(6 * n);
    size_t i = 0;
    while (i < n) {
      const uint8_t c = s[i];
      if (json_detail::kPlainByte[c]) {
        *p++ = static_cast<char>(c);
        ++i;
        continue;
      }
      if (c < 0x80) {
        *p++ = '\\';
        switch (c) {
          case '"': *p++ = '"'; break;
          case '\\': *p++ = '\\'; break;
          case '\b': *p++ = 'b'; break;
          case '\f': *p++ = 'f'; break;
          case '\n': *p++ = 'n'; break;
          case '\r': *p++ = 'r'; break;
          case '\t': *p++ = 't'; break;
          default:  // remaining control characters
            *p++ = 'u'; *p++ = '0'; *p++ = '0';
            *p++ = kHex[c >> 4]; *p++ = kHex[c & 0xf];
            break;
        }
        ++i;
        continue;
      }
      const size_t seq = utf8_sequence_length(s + i, n - i);
      if (seq == 0) {
        // Not UTF-8: keep the byte's value visible and the line valid JSON.
        *p++ = '\\'; *p++ = 'u'; *p++ = '0'; *p++ = '0';
        *p++ = kHex[c >> 4]; *p++ = kHex[c & 0xf];
        ++i;
      } else {
        std::memcpy(p, s + i, seq);
        p += seq;
        i += seq;
      }
    }
    cur_ = p;
    s += n;
    len -= n;
  }
}

void JsonWriter::escaped_key(std::string_view name) {
  separator();
  put('"');
  escape(reinterpret_cast<const uint8_t*>(name.data()), name.size());
  put("\":", 2);
  after_key_ = true;
}

void JsonWriter::begin_object() {
  separator();
  put('{');
  ++depth_;
  has_element_ &= ~(uint64_t{1} << (depth_ < 64 ? depth_ : 63));
}

void JsonWriter::end_object() {
  put('}');
  --depth_;
}

void JsonWriter::begin_array() {
  separator();
  put('[');
  ++depth_;
  has_element_ &= ~(uint64_t{1} << (depth_ < 64 ? depth_ : 63));
}

void JsonWriter::end_array() {
  put(']');
  --depth_;
}

void JsonWriter::string(std::string_view value) {
  string_bytes(reinterpret_cast<const uint8_t*>(value.data()), value.size());
}

void JsonWriter::string_bytes(const uint8_t* data, size_t len) {
  separator();
  put('"');
  escape(data, len);
  put('"');
}

void JsonWriter::string_concat(std::string_view first, std::string_view second) {
  separator();
  put('"');
  escape(reinterpret_cast<const uint8_t*>(first.data()), first.size());
  escape(reinterpret_cast<const uint8_t*>(second.data()), second.size());
  put('"');
}

void JsonWriter::integer(int64_t value) {
  separator();
  char* p = room(24);
  cur_ = std::to_chars(p, p + 24, value).ptr;
}

void JsonWriter::uinteger(uint64_t value) {
  separator();
  char* p = room(24);
  cur_ = std::to_chars(p, p + 24, value).ptr;
}

void JsonWriter::number(double value) {
  separator();
  if (!std::isfinite(value)) {  // JSON has no NaN/Infinity
    put("null", 4);
    return;
  }
  char* p = room(32);
  cur_ = std::to_chars(p, p + 32, value).ptr;
}

void JsonWriter::boolean(bool value) {
  separator();
  if (value) put("true", 4);
  else put("false", 5);
}

void JsonWriter::null() {
  separator();
  put("null", 4);
}

void JsonWriter::raw(std::string_view json) {
  separator();
  put(json.data(), json.size());
}

}  // namespace seawall
