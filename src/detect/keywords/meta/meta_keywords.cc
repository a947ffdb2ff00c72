#include "detect/keywords/meta/meta_keywords.h"

#include <cstdint>
#include <limits>
#include <string>

#include "detect/keywords/keyword.h"
#include "detect/rules/option_value.h"

namespace seawall::detect {

namespace {

constexpr uint64_t kU32Max = std::numeric_limits<uint32_t>::max();

void setup_msg(RuleBuilder& b, std::string_view value) {
  b.rule().msg = unquote_string(value, "msg");
}

void setup_sid(RuleBuilder& b, std::string_view value) {
  if (b.rule().sid != 0) throw RuleError("sid: duplicate sid keyword");
  b.rule().sid = static_cast<uint32_t>(parse_unsigned(value, "sid", 1, kU32Max));
}

void setup_rev(RuleBuilder& b, std::string_view value) {
  b.rule().rev = static_cast<uint32_t>(parse_unsigned(value, "rev", 0, kU32Max));
}

void setup_gid(RuleBuilder& b, std::string_view value) {
  b.rule().gid = static_cast<uint32_t>(parse_unsigned(value, "gid", 0, kU32Max));
}

void setup_classtype(RuleBuilder& b, std::string_view value) {
  Rule& rule = b.rule();
  if (!rule.classtype.empty()) throw RuleError("classtype: duplicate classtype keyword");
  std::string name = to_lower_ascii(strip_optional_quotes(value));
  if (name.empty()) throw RuleError("classtype: empty value");
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) throw RuleError("classtype: invalid name '" + name + "'");
  }
  const auto& classes = b.context().classifications;
  if (!classes.empty()) {
    auto it = classes.find(name);
    if (it == classes.end()) throw RuleError("unknown classtype '" + name + "'");
    rule.category = it->second.description;
    if (!rule.explicit_priority) rule.priority = it->second.priority;
  }
  rule.classtype = std::move(name);
}

void setup_priority(RuleBuilder& b, std::string_view value) {
  b.rule().priority = static_cast<int>(
      parse_unsigned(value, "priority", 1, static_cast<uint64_t>(std::numeric_limits<int>::max())));
  b.rule().explicit_priority = true;
}

// "system,value". Unknown systems are accepted as Suricata does (it only
// warns, and fails them under --strict-rule-keywords).
void setup_reference(RuleBuilder& b, std::string_view value) {
  std::string_view v = strip_optional_quotes(value);
  size_t comma = v.find(',');
  if (comma == std::string_view::npos) {
    throw RuleError("reference: expected 'system,value' but got '" + std::string(value) + "'");
  }
  Reference ref;
  ref.system = to_lower_ascii(trim_space(v.substr(0, comma)));
  ref.value = std::string(strip_optional_quotes(v.substr(comma + 1)));
  if (ref.system.empty() || ref.value.empty()) {
    throw RuleError("reference: expected 'system,value' but got '" + std::string(value) + "'");
  }
  const auto& systems = b.context().reference_systems;
  auto known = systems.find(ref.system);
  ref.prefix = known != systems.end() ? known->second : "undefined";
  b.rule().references.push_back(std::move(ref));
}

// Comma-separated "key value" entries, kept as written (trimmed).
void setup_metadata(RuleBuilder& b, std::string_view value) {
  for (std::string_view entry : split_trimmed(value, ',')) {
    if (entry.empty()) continue;  // "a b, , c d" and a trailing comma are tolerated
    b.rule().metadata.emplace_back(entry);
  }
}

void setup_target(RuleBuilder& b, std::string_view value) {
  Rule& rule = b.rule();
  if (rule.target != Rule::Target::kNone) throw RuleError("target: duplicate target keyword");
  std::string v = to_lower_ascii(strip_optional_quotes(value));
  if (v == "src_ip") {
    rule.target = Rule::Target::kSrc;
  } else if (v == "dest_ip") {
    rule.target = Rule::Target::kDst;
  } else {
    throw RuleError("target: expected src_ip or dest_ip but got '" + std::string(value) + "'");
  }
}

// prefilter: Suricata's hint to prefilter on a non-content keyword. It only
// changes how fast a rule is found, never what matches, and Seawall picks its
// prefilters itself, so the hint is accepted and has no effect.
void setup_prefilter(RuleBuilder&, std::string_view) {}

const bool kRegistered = [] {
  bool ok = true;
  ok &= register_keyword({.name = "prefilter",
                          .help = "prefilter hint (accepted; Seawall chooses prefilters itself)",
                          .kind = KeywordKind::kMeta, .flags = kNoValue,
                          .setup = &setup_prefilter});
  // Evaluated by the parser before any other keyword (rules whose needs are
  // not met are skipped there); a rule that gets here meets them.
  ok &= register_keyword({.name = "requires",
                          .help = "engine version / features the rule needs, e.g. "
                                  "'version >= 7.0.3 < 8 | >= 8.0.1, feature hyperscan'",
                          .kind = KeywordKind::kMeta, .flags = kValueRequired,
                          .setup = [](RuleBuilder&, std::string_view) {}});
  ok &= register_keyword({.name = "msg", .help = "alert message (quoted string)",
                          .kind = KeywordKind::kMeta, .flags = kValueRequired, .setup = &setup_msg});
  ok &= register_keyword({.name = "sid", .help = "signature id (1..4294967295), required",
                          .kind = KeywordKind::kMeta, .flags = kValueRequired, .setup = &setup_sid});
  ok &= register_keyword({.name = "rev", .help = "signature revision",
                          .kind = KeywordKind::kMeta, .flags = kValueRequired, .setup = &setup_rev});
  ok &= register_keyword({.name = "gid", .help = "generator id (default 1)",
                          .kind = KeywordKind::kMeta, .flags = kValueRequired, .setup = &setup_gid});
  ok &= register_keyword({.name = "classtype",
                          .help = "classification from classification.config; sets the default "
                                  "priority",
                          .kind = KeywordKind::kMeta, .flags = kValueRequired,
                          .setup = &setup_classtype});
  ok &= register_keyword({.name = "priority", .help = "alert priority (1 = highest)",
                          .kind = KeywordKind::kMeta, .flags = kValueRequired,
                          .setup = &setup_priority});
  ok &= register_keyword({.name = "reference", .help = "external reference: system,value",
                          .kind = KeywordKind::kMeta, .flags = kValueRequired,
                          .setup = &setup_reference});
  ok &= register_keyword({.name = "metadata", .help = "comma-separated 'key value' entries",
                          .kind = KeywordKind::kMeta, .flags = kValueRequired,
                          .setup = &setup_metadata});
  ok &= register_keyword({.name = "target", .help = "which side is the target: src_ip or dest_ip",
                          .kind = KeywordKind::kMeta, .flags = kValueRequired,
                          .setup = &setup_target});
  return ok;
}();

}  // namespace

void link_meta_keywords() { (void)kRegistered; }

}  // namespace seawall::detect
