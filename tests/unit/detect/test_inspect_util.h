// Test helper: builds a rule's payload keywords through the keyword registry
// (exactly as the rule parser does) and inspects a hand-made buffer.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "decode/packet.h"
#include "detect/buffers/buffer_registry.h"
#include "detect/engine/detect_engine.h"
#include "detect/engine/inspect.h"
#include "detect/keywords/keyword.h"

namespace seawall::detect::test {

class PayloadRule {
 public:
  PayloadRule() : builder_(rule_, context_) {}

  // Runs the keyword's setup with `value` as the parser would hand it over.
  void add(std::string_view keyword, std::string_view value = {}) {
    const KeywordDescriptor* d = find_keyword(keyword);
    if (d == nullptr || d->setup == nullptr)
      throw std::runtime_error("keyword not registered: " + std::string(keyword));
    d->setup(builder_, value);
  }

  // Inspects `payload` with the rule's inspection number `index`.
  bool match(std::string_view payload, size_t index = 0) {
    Packet p;
    p.payload = reinterpret_cast<const uint8_t*>(payload.data());
    p.payload_len = static_cast<uint32_t>(payload.size());
    return match_packet(p, index);
  }

  bool match_packet(const Packet& p, size_t index = 0) {
    vars_.assign(rule_.byte_var_count + 1, 0);
    if (index >= rule_.inspections.size()) throw std::runtime_error("no such inspection");
    const MatchContext ctx{p, nullptr, thread()};
    return inspect_buffer(ctx, rule_.inspections[index], p.payload, p.payload_len, vars_.data());
  }

  bool packet_matchers(const Packet& p) {
    const MatchContext ctx{p, nullptr, thread()};
    for (const auto& m : rule_.packet_matchers)
      if (!m->match(ctx)) return false;
    return true;
  }

  Rule& rule() { return rule_; }
  RuleBuilder& builder() { return builder_; }
  const std::vector<int64_t>& vars() const { return vars_; }

 private:
  // The payload keywords never touch the DetectThread; a typed placeholder
  // reference is enough to build a MatchContext without a whole engine.
  static DetectThread& thread() {
    alignas(DetectThread) static unsigned char storage[sizeof(DetectThread)] = {};
    return *reinterpret_cast<DetectThread*>(storage);
  }

  Rule rule_;
  RuleLoadContext context_;
  RuleBuilder builder_;
  std::vector<int64_t> vars_;
};

inline std::string bytes(std::initializer_list<int> values) {
  std::string s;
  for (int v : values) s.push_back(static_cast<char>(v));
  return s;
}

}  // namespace seawall::detect::test
