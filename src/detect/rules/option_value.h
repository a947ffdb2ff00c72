// Helpers for keyword setup functions. The parser hands each setup its option
// value exactly as written between ':' and the terminating ';', with
// surrounding whitespace trimmed: quotes and backslash escapes are left for
// the keyword, because their meaning differs per keyword (content hex, pcre).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace seawall::detect {

// Whitespace (space, tab, CR, LF) trimmed from both ends.
std::string_view trim_space(std::string_view s);

// A double-quoted string value: quotes removed and every "\x" turned into
// "x" (Suricata's msg rule: \" \; \\ \: and any other escaped character).
// Throws RuleError("<keyword>: ...") when the value is not quoted.
std::string unquote_string(std::string_view value, std::string_view keyword);

// Removes one pair of surrounding double quotes when present (no unescape):
// numeric keywords accept both `sid:1;` and `sid:"1";`.
std::string_view strip_optional_quotes(std::string_view value);

// Decimal unsigned integer in [min, max] (optional quotes, surrounding spaces).
// Throws RuleError("<keyword>: invalid value '...'") otherwise.
uint64_t parse_unsigned(std::string_view value, std::string_view keyword, uint64_t min,
                        uint64_t max);

// Splits on `separator`, trimming each item; empty items are kept so callers
// can reject them.
std::vector<std::string_view> split_trimmed(std::string_view value, char separator = ',');

// ASCII lowercase copy (keyword, protocol and classtype names are case-insensitive).
std::string to_lower_ascii(std::string_view s);

}  // namespace seawall::detect
