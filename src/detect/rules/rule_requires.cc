#include "detect/rules/rule_requires.h"

#include <array>
#include <charconv>
#include <vector>

#include "detect/keywords/keyword.h"

namespace seawall::detect {
namespace {

// Features Suricata names that this engine has.
constexpr std::string_view kFeatures[] = {"hyperscan"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    const size_t at = s.find(sep, start);
    parts.push_back(trim(s.substr(start, at == std::string_view::npos ? s.npos : at - start)));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

// "7", "7.0" or "7.0.3": missing parts are 0.
std::array<int, 3> parse_version(std::string_view text) {
  std::array<int, 3> v{0, 0, 0};
  const std::vector<std::string_view> parts = split(text, '.');
  if (parts.size() > 3) throw RuleError("requires: bad version '" + std::string(text) + "'");
  for (size_t i = 0; i < parts.size(); ++i) {
    const auto r = std::from_chars(parts[i].data(), parts[i].data() + parts[i].size(), v[i]);
    if (parts[i].empty() || r.ec != std::errc{} || r.ptr != parts[i].data() + parts[i].size())
      throw RuleError("requires: bad version '" + std::string(text) + "'");
  }
  return v;
}

// One alternative: "OP VERSION [OP VERSION ...]", every comparison must hold.
bool version_alternative_holds(std::string_view alt) {
  const std::array<int, 3> ours{kRuleLanguageVersion[0], kRuleLanguageVersion[1],
                                kRuleLanguageVersion[2]};
  bool any = false;
  while (!(alt = trim(alt)).empty()) {
    size_t op_len = 0;
    while (op_len < alt.size() && (alt[op_len] == '<' || alt[op_len] == '>' || alt[op_len] == '='))
      ++op_len;
    const std::string_view op = alt.substr(0, op_len);
    alt = trim(alt.substr(op_len));
    size_t ver_len = 0;
    while (ver_len < alt.size() && alt[ver_len] != ' ' && alt[ver_len] != '\t') ++ver_len;
    if (ver_len == 0) throw RuleError("requires: version comparison without a version");
    const std::array<int, 3> theirs = parse_version(alt.substr(0, ver_len));
    alt = alt.substr(ver_len);
    bool holds;
    if (op == ">=") holds = ours >= theirs;
    else if (op == ">") holds = ours > theirs;
    else if (op == "<=") holds = ours <= theirs;
    else if (op == "<") holds = ours < theirs;
    else if (op == "=" || op == "==") holds = ours == theirs;
    else throw RuleError("requires: unknown version operator '" + std::string(op) + "'");
    if (!holds) return false;
    any = true;
  }
  if (!any) throw RuleError("requires: 'version' needs a comparison");
  return true;
}

}  // namespace

RequiresVerdict evaluate_requires(std::string_view value) {
  RequiresVerdict verdict;
  for (std::string_view item : split(value, ',')) {
    if (item.empty()) throw RuleError("requires: empty requirement");
    const size_t space = item.find_first_of(" \t");
    const std::string_view kind = item.substr(0, space);
    const std::string_view rest = space == std::string_view::npos ? "" : trim(item.substr(space));
    bool met;
    if (kind == "feature") {
      if (rest.empty()) throw RuleError("requires: 'feature' needs a name");
      met = false;
      for (std::string_view f : kFeatures) met |= f == rest;
    } else if (kind == "version") {
      met = false;
      for (std::string_view alt : split(rest, '|')) met |= version_alternative_holds(alt);
    } else {
      throw RuleError("requires: unknown requirement '" + std::string(kind) +
                      "' (expected feature or version)");
    }
    if (!met && verdict.met) {
      verdict.met = false;
      verdict.unmet = std::string(item);
    }
  }
  return verdict;
}

}  // namespace seawall::detect
