// The one rule parser: lexer + header grammar + option splitting, then each
// option handed to its keyword's setup (keywords/keyword.h). One error path:
// every problem becomes a RuleFailure "file:line: sid N: reason" naming the
// exact unsupported keyword, and the rest of the file still loads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "detect/engine/detect_engine.h"
#include "detect/keywords/keyword.h"
#include "detect/rules/rule.h"

namespace seawall::detect {

// Parses one rule. On success returns the rule; on failure returns nullptr and
// fills `failure` (file/line/sid/reason/keyword/unsupported).
std::unique_ptr<Rule> parse_rule(std::string_view text, std::string_view file, int line,
                                 RuleLoadContext& context, RuleFailure& failure);

// Reads a rules file: comments, blank lines, multi-line rules ending in '\'.
// Appends loaded rules and failures; returns false if the file cannot be read
// (then one failure entry says why).
bool load_rule_file(const std::string& path, RuleLoadContext& context,
                    std::vector<std::unique_ptr<Rule>>& rules, std::vector<RuleFailure>& failures);

// "<file>:<line>: sid <N>: <reason>" ("sid ?" when the sid is not known).
std::string format_failure(const RuleFailure& failure);

// An application-protocol name as rules spell it, folded to the one name
// the engine uses ("http1" -> "http"); other names unchanged.
std::string_view canonical_app_proto(std::string_view name);

// Header pieces, exposed for tests and for threshold.config / vars. Both throw
// RuleError with the reason for a malformed expression, an unknown or looping
// variable, or an expression that matches nothing ("!any").
// Address expression with variables: "[$HOME_NET,!10.0.0.0/8]", "any", "!1.2.3.4".
AddressSet parse_address_set(std::string_view text, const RuleLoadContext& context);
PortSet parse_port_set(std::string_view text, const RuleLoadContext& context);

// classification.config: "config classification: name,description,priority".
// reference.config: "config reference: system url-prefix".
// Names are stored lowercase. Malformed lines are skipped with a warning on the
// process log; a file that cannot be read throws RuleError.
void load_classification_file(const std::string& path, RuleLoadContext& context);
void load_reference_file(const std::string& path, RuleLoadContext& context);

}  // namespace seawall::detect
