#include "config/config_value.h"

#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdlib>
#include <string>

namespace seawall {
namespace {

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

std::optional<bool> parse_config_bool(std::string_view text) {
  for (std::string_view word : {"1", "yes", "true", "on"}) {
    if (equals_ignore_case(text, word)) return true;
  }
  for (std::string_view word : {"0", "no", "false", "off"}) {
    if (equals_ignore_case(text, word)) return false;
  }
  return std::nullopt;
}

std::optional<int64_t> parse_config_int(std::string_view text) {
  if (text.empty()) return std::nullopt;
  const std::string copy(text);  // strtoimax needs a terminated string
  char* end = nullptr;
  errno = 0;
  const intmax_t value = std::strtoimax(copy.c_str(), &end, 0);
  if (end == copy.c_str() || *end != '\0' || errno == ERANGE) return std::nullopt;
  return static_cast<int64_t>(value);
}

std::optional<uint64_t> parse_config_size(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && is_space(text[i])) ++i;
  const size_t number_start = i;
  while (i < text.size() && is_digit(text[i])) ++i;
  if (i == number_start) return std::nullopt;
  if (i + 1 < text.size() && text[i] == '.' && is_digit(text[i + 1])) {
    ++i;
    while (i < text.size() && is_digit(text[i])) ++i;
  }
  const std::string number(text.substr(number_start, i - number_start));
  while (i < text.size() && is_space(text[i])) ++i;
  const size_t unit_start = i;
  while (i < text.size() && is_alpha(text[i])) ++i;
  const std::string_view unit = text.substr(unit_start, i - unit_start);
  while (i < text.size() && is_space(text[i])) ++i;
  if (i != text.size()) return std::nullopt;

  double multiplier = 1;
  if (unit.empty()) {
    multiplier = 1;
  } else if (equals_ignore_case(unit, "kb")) {
    multiplier = 1024.0;
  } else if (equals_ignore_case(unit, "mb")) {
    multiplier = 1024.0 * 1024.0;
  } else if (equals_ignore_case(unit, "gb")) {
    multiplier = 1024.0 * 1024.0 * 1024.0;
  } else {
    return std::nullopt;
  }
  errno = 0;
  const double value = std::strtod(number.c_str(), nullptr) * multiplier;
  if (errno == ERANGE || !std::isfinite(value)) return std::nullopt;
  // 2^64 is exactly representable; anything at or above it does not fit.
  if (value >= 18446744073709551616.0) return std::nullopt;
  return static_cast<uint64_t>(value);
}

std::optional<double> parse_config_double(std::string_view text) {
  if (text.empty() || is_space(text.front())) return std::nullopt;
  const std::string copy(text);
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(copy.c_str(), &end);
  if (end == copy.c_str() || *end != '\0' || errno == ERANGE || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

}  // namespace seawall
