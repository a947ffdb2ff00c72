// Splits one rule's text into its header fields and its options, with
// Suricata's rules: header fields are whitespace separated (brackets may hold
// spaces), options are "name[:value];" where only a ';' preceded by '\' is
// escaped. Values stay raw (see option_value.h); nothing is interpreted here.
#pragma once

#include <string_view>
#include <vector>

namespace seawall::detect {

struct RuleOption {
  std::string_view name;   // trimmed, as written
  std::string_view value;  // trimmed, raw; empty when absent
  bool has_value = false;  // a ':' was present
};

struct RuleTokens {
  std::string_view action, proto, src, sport, direction, dst, dport;
  std::vector<RuleOption> options;
};

// Throws RuleError with the reason on malformed text.
RuleTokens lex_rule(std::string_view text);

// Just the options part "name:value; name; ..." (without parentheses).
std::vector<RuleOption> lex_options(std::string_view options);

}  // namespace seawall::detect
