// Load-time helpers shared by the payload keywords: option splitting, number
// and byte-variable parsing, the RELATIVE_NEXT bookkeeping, and the
// bounds-checked number extraction used at match time by byte_test/jump/extract/math.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "detect/keywords/keyword.h"

namespace seawall::detect {

class PayloadKeyword;

std::string_view trim_ws(std::string_view s);
// "a, b ,c" -> {"a","b","c"}; empty fields are kept (and usually rejected by callers).
std::vector<std::string_view> split_options(std::string_view s, char sep = ',');
// Decimal or 0x-hex (when allow_hex), optional leading '-' for signed.
bool parse_u64(std::string_view s, uint64_t& out, bool allow_hex = true);
bool parse_i64(std::string_view s, int64_t& out, bool allow_hex = true);
// Suricata's rule: an argument starting with a letter names a byte variable.
bool names_variable(std::string_view s);

// A number written in the rule or a byte_extract/byte_math variable slot.
struct NumberOrVar {
  bool is_var = false;
  uint32_t slot = 0;
  int64_t value = 0;
  int64_t get(const int64_t* vars) const { return is_var ? (vars ? vars[slot] : 0) : value; }
};
// Throws RuleError("<keyword>: ...") for a bad number, an out-of-range value or
// an unknown variable.
NumberOrVar parse_number_or_var(RuleBuilder& builder, std::string_view keyword,
                                std::string_view what, std::string_view text, int64_t min,
                                int64_t max);

// Marks the last content/pcre of the current buffer as having a relative
// keyword after it (Suricata's RELATIVE_NEXT), so the engine backtracks into it.
void mark_relative_next(RuleBuilder& builder);
// Same, for a matcher that lives in `insp` (legacy modifiers move contents).
void mark_relative_next_before(BufferInspection& insp, size_t index);

// Adds a relative byte_test/byte_jump/byte_extract/byte_math/isdataat/pcre
// and marks the content/pcre before it. With a sticky buffer set it goes to
// that buffer; otherwise, as Suricata's DetectGetLastSMFromLists, to the
// buffer of the last payload keyword of the rule (`uricontent:"a";
// byte_extract:...,relative;` reads the URI, not the packet payload).
void add_relative_payload(RuleBuilder& builder, std::unique_ptr<PayloadMatcher> matcher);

// Number extraction for byte_test/byte_jump/byte_extract/byte_math.
enum class NumberBase : uint8_t { kNone, kDec, kHex, kOct };
struct ExtractSpec {
  uint32_t nbytes = 0;
  bool string = false;
  NumberBase base = NumberBase::kDec;
  bool little_endian = false;
};
// Reads the number at data[pos, pos+nbytes). Returns the bytes consumed (>0),
// or 0 on failure (out of bounds, no digits, overflow).
uint32_t extract_number(const uint8_t* data, uint32_t len, uint64_t pos, const ExtractSpec& spec,
                        uint64_t& value);

}  // namespace seawall::detect

namespace seawall::detect {

// Suricata's unsigned-integer expressions (bsize, dsize): "N", "=N", "!N",
// "!=N", "<N", "<=N", ">N", ">=N", "A-B" and "A<>B" (exclusive range).
struct UintRange {
  enum class Mode : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe, kRange } mode = Mode::kEq;
  uint64_t a = 0, b = 0;
  bool match(uint64_t v) const;
};
UintRange parse_uint_range(std::string_view keyword, std::string_view text, uint64_t max);

}  // namespace seawall::detect
