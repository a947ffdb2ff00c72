// Streaming JSON writer into a caller-owned, reused buffer: no DOM, no
// per-record allocation once the buffer has grown to its working size.
// Strings are escaped per RFC 8259; control characters become \u00XX and bytes
// that are not valid UTF-8 are written as \u00XX of the byte (Suricata does the
// same), so every line is valid JSON whatever the packet held.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace seawall {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();

  // Object member name; must be followed by exactly one value.
  void key(std::string_view name);

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

  std::string& buffer() { return out_; }

 private:
  void separator();
  // Updates the nesting state for a new element; true when a ',' must precede it.
  bool needs_comma();

  std::string& out_;
  // Bit per nesting level: whether the current container already has an element.
  uint64_t has_element_ = 0;
  int depth_ = 0;
  bool after_key_ = false;
};

// Appends the JSON-escaped form of `s` (without quotes) to out.
void json_escape_append(std::string& out, const uint8_t* s, size_t len);

}  // namespace seawall
