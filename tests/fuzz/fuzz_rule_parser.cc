// libFuzzer target for the rule parser: the input is one rule's text, parsed
// with Suricata's default variables (so variable expansion, negation and
// nested groups are reached) and whatever keywords are linked in. Every
// outcome must be a rule or a failure with a reason — never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "detect/rules/rule_parser.h"

namespace {

using namespace seawall::detect;

RuleLoadContext make_context() {
  RuleLoadContext c;
  c.address_vars["HOME_NET"] = "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12,2001:db8::/32]";
  c.address_vars["EXTERNAL_NET"] = "!$HOME_NET";
  c.address_vars["HTTP_SERVERS"] = "$HOME_NET";
  c.address_vars["LOOP"] = "[$LOOP,1.2.3.4]";
  c.port_vars["HTTP_PORTS"] = "[80,8080]";
  c.port_vars["SHELLCODE_PORTS"] = "!80";
  c.port_vars["FILE_DATA_PORTS"] = "[$HTTP_PORTS,110,143]";
  c.classifications["trojan-activity"] = {"A Network Trojan was detected", 1};
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static RuleLoadContext context = make_context();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  RuleFailure failure;
  std::unique_ptr<Rule> rule = parse_rule(text, "fuzz.rules", 1, context, failure);
  if (rule == nullptr) {
    if (failure.reason.empty()) __builtin_trap();
    (void)format_failure(failure);
  } else {
    if (rule->sid == 0) __builtin_trap();
    // Exercise the compiled header sets.
    seawall::IpAddress probe = seawall::IpAddress::parse("10.1.2.3");
    (void)rule->header.src.contains(probe);
    (void)rule->header.dst.contains(probe);
    (void)rule->header.sport.contains(80);
    (void)rule->header.dport.contains(65535);
  }
  // Keep interned ids from growing without bound across inputs.
  context.flowbit_ids.clear();
  context.flowint_ids.clear();
  return 0;
}
