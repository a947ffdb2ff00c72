// Suricata's conventions for configuration scalars, shared by the config tree and by any
// other place that takes such values (command-line options, rule options).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace seawall {

// ConfValIsTrue / ConfValIsFalse words, case-insensitive: yes/true/on/1, no/false/off/0.
std::optional<bool> parse_config_bool(std::string_view text);

// strtoimax with base 0, as ConfGetInt: "42", "-7", "0x1f" (hex), "010" (octal = 8).
std::optional<int64_t> parse_config_int(std::string_view text);

// ParseSizeString: optional spaces, a number with an optional fraction, optional spaces,
// an optional two-letter unit kb/mb/gb in any case (binary: 1024, 1024^2, 1024^3).
// "4096", "64kb", "1.5 MB" are accepted; "12xb", "1k", "-1" and values over 2^64-1 are not.
std::optional<uint64_t> parse_config_size(std::string_view text);

// A finite decimal floating-point number ("0.5", "1e3").
std::optional<double> parse_config_double(std::string_view text);

}  // namespace seawall
