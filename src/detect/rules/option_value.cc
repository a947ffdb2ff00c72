#include "detect/rules/option_value.h"

#include <charconv>

#include "detect/keywords/keyword.h"

namespace seawall::detect {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

std::string_view trim_space(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string unquote_string(std::string_view value, std::string_view keyword) {
  value = trim_space(value);
  if (!value.empty() && value.front() == '"' && (value.size() < 2 || value.back() != '"')) {
    throw RuleError(std::string(keyword) + ": string not closed by '\"' (missing ';'?)");
  }
  if (value.size() < 2 || value.front() != '"' || value.back() != '"') {
    throw RuleError(std::string(keyword) + ": value must be a double-quoted string");
  }
  value = value.substr(1, value.size() - 2);
  std::string out;
  out.reserve(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c == '\\') {
      if (i + 1 == value.size()) {
        throw RuleError(std::string(keyword) + ": dangling '\\' at end of string");
      }
      out.push_back(value[++i]);
    } else if (c == '"') {
      throw RuleError(std::string(keyword) + ": unescaped '\"' inside string");
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string_view strip_optional_quotes(std::string_view value) {
  value = trim_space(value);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = trim_space(value.substr(1, value.size() - 2));
  }
  return value;
}

uint64_t parse_unsigned(std::string_view value, std::string_view keyword, uint64_t min,
                        uint64_t max) {
  std::string_view digits = strip_optional_quotes(value);
  uint64_t result = 0;
  const char* end = digits.data() + digits.size();
  auto [ptr, ec] = std::from_chars(digits.data(), end, result);
  if (digits.empty() || ec != std::errc() || ptr != end || result < min || result > max) {
    throw RuleError(std::string(keyword) + ": invalid value '" + std::string(value) +
                    "' (expected " + std::to_string(min) + ".." + std::to_string(max) + ")");
  }
  return result;
}

std::vector<std::string_view> split_trimmed(std::string_view value, char separator) {
  std::vector<std::string_view> items;
  size_t start = 0;
  while (true) {
    size_t pos = value.find(separator, start);
    if (pos == std::string_view::npos) {
      items.push_back(trim_space(value.substr(start)));
      break;
    }
    items.push_back(trim_space(value.substr(start, pos - start)));
    start = pos + 1;
  }
  return items;
}

std::string to_lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace seawall::detect
