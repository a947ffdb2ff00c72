// Shared value parsing for keyword options: Suricata's unsigned-integer
// conditions (DetectU8/U16/U32 parsing: "5", "=5", "<5", "<=5", ">5", ">=5",
// "!5", "!=5", "1-10" / "1<>10" exclusive ranges, "!1-10", "&0xf0=0x10"
// bitmasks, hex "0x.." and kb/mb/gb units) plus small text helpers. Written
// once here and used by every header/flow keyword; load time only (throws).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace seawall::detect {

// A compiled "value <op> argument" test, evaluated with no allocation.
struct UintCondition {
  enum class Mode : uint8_t {
    kEqual, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual,
    kRange,         // arg1 < v < arg2 (Suricata ranges are exclusive)
    kNotRange,      // v <= arg1 || v >= arg2
    kBitmask,       // (v & arg1) == arg2
    kNotBitmask,    // (v & arg1) != arg2
  };
  Mode mode = Mode::kEqual;
  uint64_t arg1 = 0;
  uint64_t arg2 = 0;

  bool match(uint64_t v) const {
    switch (mode) {
      case Mode::kEqual: return v == arg1;
      case Mode::kNotEqual: return v != arg1;
      case Mode::kLess: return v < arg1;
      case Mode::kLessEqual: return v <= arg1;
      case Mode::kGreater: return v > arg1;
      case Mode::kGreaterEqual: return v >= arg1;
      case Mode::kRange: return v > arg1 && v < arg2;
      case Mode::kNotRange: return v <= arg1 || v >= arg2;
      case Mode::kBitmask: return (v & arg1) == arg2;
      case Mode::kNotBitmask: return (v & arg1) != arg2;
    }
    return false;
  }
};

// Parses a condition whose values must fit in [0, max] (255, 65535,
// 4294967295 ...). Errors throw RuleError("<keyword>: <reason>").
UintCondition parse_uint_condition(std::string_view text, uint64_t max, std::string_view keyword);

// ---- small text helpers shared by the packet and flow keyword files ----

std::string_view trim(std::string_view s);
// Removes one pair of surrounding double quotes (after trimming), if present.
std::string_view strip_quotes(std::string_view s);
// Splits on `sep` and trims each piece (empty pieces kept).
std::vector<std::string_view> split_trim(std::string_view s, char sep);
bool iequals(std::string_view a, std::string_view b);
// Decimal (or 0x hex when allow_hex) with an upper bound; false on any junk.
bool parse_u64(std::string_view text, uint64_t max, uint64_t& out, bool allow_hex = false);
// "keyword: message" as a RuleError.
[[noreturn]] void keyword_error(std::string_view keyword, const std::string& message);

}  // namespace seawall::detect
