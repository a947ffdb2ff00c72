// Streaming JSON writer into a caller-owned, reused buffer: no DOM, no
// per-record allocation once the buffer has grown to its working size.
// It writes through a raw cursor into slack it adds to the string (appending
// piece by piece through std::string cost more than the JSON itself); the
// string holds exactly the JSON again after buffer(), sync() or destruction.
// Strings are escaped per RFC 8259; control characters become \u00XX and bytes
// that are not valid UTF-8 are written as \u00XX of the byte (Suricata does the
// same), so every line is valid JSON whatever the packet held.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace seawall {

namespace json_detail {
// Bytes copied as-is inside a JSON string: printable ASCII other than '"'
// and '\\', plus DEL.
struct PlainTable {
  bool plain[256] = {};
  constexpr PlainTable() {
    for (int c = 0x20; c < 0x80; ++c) plain[c] = c != '"' && c != '\\';
  }
  constexpr bool operator[](uint8_t c) const { return plain[c]; }
};
inline constexpr PlainTable kPlainByte{};
}  // namespace json_detail

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}
  ~JsonWriter() { sync(); }
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();

  // Object member name; must be followed by exactly one value.
  void key(std::string_view name) {
    if (name.size() > kMaxPlainKey || !plain_key(name)) return escaped_key(name);
    char* p = room(name.size() + 4);
    if (needs_comma()) *p++ = ',';
    *p++ = '"';
    std::memcpy(p, name.data(), name.size());
    p += name.size();
    *p++ = '"';
    *p++ = ':';
    cur_ = p;
    after_key_ = true;
  }

  void string(std::string_view value);
  void string_bytes(const uint8_t* data, size_t len);
  // One string value made of two parts (e.g. "decoder." + event name), no temporary.
  void string_concat(std::string_view first, std::string_view second);
  void integer(int64_t value);
  void uinteger(uint64_t value);
  void number(double value);
  void boolean(bool value);
  void null();
  // Pre-rendered JSON value (caller guarantees validity), e.g. a timestamp.
  void raw(std::string_view json);

  // Convenience members.
  void member(std::string_view name, std::string_view value) { key(name); string(value); }
  void member(std::string_view name, const char* value) { key(name); string(value); }
  void member_int(std::string_view name, int64_t value) { key(name); integer(value); }
  void member_uint(std::string_view name, uint64_t value) { key(name); uinteger(value); }
  void member_bool(std::string_view name, bool value) { key(name); boolean(value); }

  // The underlying string, holding exactly what was written so far; callers
  // may append to it directly before writing through the writer again.
  std::string& buffer() {
    sync();
    return out_;
  }
  // Trims the string back to the JSON written (the destructor does it too).
  void sync() {
    // A string moved or reallocated behind the writer's back is left alone.
    if (cur_ != nullptr && out_.data() == base_) out_.resize(static_cast<size_t>(cur_ - base_));
    cur_ = end_ = base_ = nullptr;
  }

 private:
  static constexpr size_t kMaxPlainKey = 60;
  static bool plain_key(std::string_view name) {
    // A table lookup per byte: keys are written often enough for the usual
    // chain of range compares to show.
    bool plain = true;
    for (char c : name) plain &= json_detail::kPlainByte[static_cast<uint8_t>(c)];
    return plain;
  }
  void escaped_key(std::string_view name);
  // A cursor with at least n writable bytes after it.
  char* room(size_t n) {
    if (static_cast<size_t>(end_ - cur_) < n) [[unlikely]] grow(n);
    return cur_;
  }
  void grow(size_t n);
  void put(char c) { *room(1) = c; ++cur_; }
  void put(const char* s, size_t n) {
    if (n == 0) return;  // also keeps null pointers away from memcpy
    std::memcpy(room(n), s, n);
    cur_ += n;
  }
  void escape(const uint8_t* s, size_t len);
  friend void json_escape_append(std::string& out, const uint8_t* s, size_t len);
  void separator() {
    if (needs_comma()) put(',');
  }
  // Updates the nesting state for a new element; true when a ',' must precede it.
  bool needs_comma() {
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

  std::string& out_;
  char* base_ = nullptr;  // out_.data() while the writer holds slack in it
  char* cur_ = nullptr;  // next byte to write inside out_, or null when in sync
  char* end_ = nullptr;  // end of out_'s current slack
  // Bit per nesting level: whether the current container already has an element.
  uint64_t has_element_ = 0;
  int depth_ = 0;
  bool after_key_ = false;
};

// Appends the JSON-escaped form of `s` (without quotes) to out.
void json_escape_append(std::string& out, const uint8_t* s, size_t len);

}  // namespace seawall
