// Keyword registry: every rule keyword registers itself once with a
// descriptor (name, aliases, help, what it needs) and a setup function that
// turns its option text into compiled matchers on the rule being built.
// --list-keywords and the -T "unsupported keyword" report come from here.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "detect/keywords/matcher.h"
#include "detect/rules/rule.h"

namespace seawall::detect {

class RuleBuilder;

// Thrown by setup functions: the parser adds file:line and sid.
class RuleError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Thrown by setup functions for a valid value that needs something not built
// yet (e.g. an event of a protocol without a parser): the rule is reported
// unsupported rather than failed.
class RuleUnsupported : public RuleError {
 public:
  using RuleError::RuleError;
};

enum class KeywordKind : uint8_t {
  kMeta,          // msg sid rev classtype reference metadata priority target ...
  kPayload,       // content pcre byte_* isdataat bsize ... (need a current buffer)
  kModifier,      // nocase depth offset distance within fast_pattern ... (modify the last content)
  kStickyBuffer,  // http.uri dns.query pkt_data file.data ... (switch the current buffer)
  kTransform,     // to_lowercase url_decode ... (apply to the current buffer)
  kPacket,        // ttl flags flow dsize itype ... (packet/flow conditions)
  kPost,          // flowbits set, flowint, tag ... (after a match)
};

enum KeywordFlags : uint32_t {
  kNoValue = 1u << 0,        // "nocase;" — a value is an error
  kValueRequired = 1u << 1,  // "content:..." — no value is an error
  kDeprecated = 1u << 2,
};

using KeywordSetup = void (*)(RuleBuilder& builder, std::string_view value);

struct KeywordDescriptor {
  std::string_view name;
  std::string_view help;
  KeywordKind kind = KeywordKind::kPacket;
  uint32_t flags = 0;
  KeywordSetup setup = nullptr;
  std::vector<std::string_view> aliases;
  // Why a known keyword cannot be used yet (e.g. "needs the HTTP parser");
  // empty when supported. The rule is reported unsupported with this reason.
  std::string_view unsupported_reason;
};

// Registers at static-init time: `const bool kReg = register_keyword({...});`
// A supported keyword (no unsupported_reason) replaces a placeholder of the
// same name whatever the registration order.
bool register_keyword(const KeywordDescriptor& descriptor);
const KeywordDescriptor* find_keyword(std::string_view name);
std::vector<const KeywordDescriptor*> all_keywords();  // sorted by name

// Load-time context shared by all rules of a ruleset.
struct RuleLoadContext {
  std::map<std::string, std::string> address_vars;  // HOME_NET -> "[...]"
  std::map<std::string, std::string> port_vars;     // HTTP_PORTS -> "[80,8080]"
  struct Classification {
    std::string description;
    int priority = 3;
  };
  std::map<std::string, Classification> classifications;  // classtype -> ...
  std::map<std::string, std::string> reference_systems;   // "cve" -> url prefix
  // Names interned to dense ids (flowbits, flowints, xbits, byte_extract vars).
  std::map<std::string, uint32_t> flowbit_ids;
  std::map<std::string, uint32_t> flowint_ids;
};

// The rule under construction, handed to keyword setup functions.
class RuleBuilder {
 public:
  RuleBuilder(Rule& rule, RuleLoadContext& context) : rule_(rule), context_(context) {}

  Rule& rule() { return rule_; }
  RuleLoadContext& context() { return context_; }

  // Current sticky buffer (pkt_data by default for payload keywords).
  void set_buffer(uint16_t buffer_id);
  BufferInspection& current_inspection();  // creates the default pkt_data one if needed
  bool has_explicit_buffer() const { return explicit_buffer_; }

  void add_payload(std::unique_ptr<PayloadMatcher> m);
  void add_packet(std::unique_ptr<PacketMatcher> m) { rule_.packet_matchers.push_back(std::move(m)); }
  void add_post(std::unique_ptr<PostMatcher> m) { rule_.post_matchers.push_back(std::move(m)); }
  void add_transform(std::shared_ptr<const Transform> t);
  // An app-layer keyword that is not a sticky buffer (dns.opcode, tls.version,
  // ssh.proto ...): the rule inspects transactions of `proto` ("dns").
  // dir: 0 any, 1 to server, 2 to client. Throws RuleError on a conflict.
  void require_app_proto(std::string_view proto, uint8_t dir = 0);

  // The last payload matcher added to the current buffer (modifiers apply to
  // it); nullptr if none. Modifiers dynamic_cast to the type they modify.
  PayloadMatcher* last_payload();

  // byte_extract / byte_math variables, by name, to a slot index (per rule).
  uint32_t define_byte_var(std::string_view name);
  bool find_byte_var(std::string_view name, uint32_t& slot) const;
  uint32_t byte_var_count() const { return static_cast<uint32_t>(byte_vars_.size()); }

 private:
  Rule& rule_;
  RuleLoadContext& context_;
  int current_ = -1;  // index into rule_.inspections
  bool explicit_buffer_ = false;
  std::vector<std::string> byte_vars_;
};

}  // namespace seawall::detect
