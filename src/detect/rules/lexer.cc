#include "detect/rules/lexer.h"

#include <string>

#include "detect/keywords/keyword.h"
#include "detect/rules/option_value.h"

namespace seawall::detect {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Next whitespace-separated field; '[' ... ']' keeps spaces inside one field.
std::string_view next_field(std::string_view& rest, const char* what) {
  size_t i = 0;
  while (i < rest.size() && is_space(rest[i])) ++i;
  size_t start = i;
  int depth = 0;
  for (; i < rest.size(); ++i) {
    char c = rest[i];
    if (c == '[') ++depth;
    if (c == ']') --depth;
    if (depth <= 0 && (is_space(c) || c == '(')) break;
  }
  if (depth > 0) throw RuleError(std::string("unbalanced '[' in ") + what);
  std::string_view field = rest.substr(start, i - start);
  rest.remove_prefix(i);
  if (field.empty()) throw RuleError(std::string("rule header has no ") + what);
  return field;
}

}  // namespace

std::vector<RuleOption> lex_options(std::string_view text) {
  std::vector<RuleOption> options;
  size_t pos = 0;
  while (true) {
    while (pos < text.size() && is_space(text[pos])) ++pos;
    if (pos >= text.size()) break;
    // The option ends at the first ';' not preceded by a backslash (Suricata's
    // rule: so "\\;" also continues the value, matching its msg unit test).
    size_t end = pos;
    while (true) {
      end = text.find(';', end);
      if (end == std::string_view::npos) {
        throw RuleError("no terminating ';' after option '" +
                        std::string(trim_space(text.substr(pos))) + "'");
      }
      if (end > pos && text[end - 1] == '\\') {
        ++end;
        continue;
      }
      break;
    }
    std::string_view option = text.substr(pos, end - pos);
    pos = end + 1;
    RuleOption o;
    size_t colon = option.find(':');
    if (colon == std::string_view::npos) {
      o.name = trim_space(option);
    } else {
      o.name = trim_space(option.substr(0, colon));
      o.value = trim_space(option.substr(colon + 1));
      o.has_value = true;
    }
    if (o.name.empty()) throw RuleError("empty option (stray ';' or ':')");
    for (char c : o.name) {
      if (is_space(c)) {
        throw RuleError("malformed option '" + std::string(trim_space(option)) +
                        "' (missing ';'?)");
      }
    }
    options.push_back(o);
  }
  return options;
}

RuleTokens lex_rule(std::string_view text) {
  RuleTokens t;
  std::string_view rest = trim_space(text);
  t.action = next_field(rest, "action");
  t.proto = next_field(rest, "protocol");
  t.src = next_field(rest, "source address");
  t.sport = next_field(rest, "source port");
  t.direction = next_field(rest, "direction");
  t.dst = next_field(rest, "destination address");
  t.dport = next_field(rest, "destination port");
  rest = trim_space(rest);
  if (rest.empty()) throw RuleError("rule has no options");
  if (rest.front() != '(') {
    throw RuleError("unexpected '" + std::string(rest.substr(0, rest.find_first_of(" \t("))) +
                    "' after the rule header (options must be in parentheses)");
  }
  if (rest.back() != ')') throw RuleError("rule options are not closed by ')'");
  t.options = lex_options(rest.substr(1, rest.size() - 2));
  return t;
}

}  // namespace seawall::detect
