#include "detect/engine/fast_pattern.h"

#include <array>

#include "detect/buffers/buffer_registry.h"
#include "detect/keywords/payload/content.h"

namespace seawall::detect {

uint32_t pattern_strength(std::string_view pattern) {
  std::array<bool, 256> seen{};
  uint32_t strength = 0;
  for (char ch : pattern) {
    auto c = static_cast<unsigned char>(ch);
    if (seen[c]) {
      strength += 1;
      continue;
    }
    seen[c] = true;
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    bool print = c >= 0x20 && c < 0x7f;
    if (alpha) strength += 3;
    else if (print || c == 0x00 || c == 0x01 || c == 0xFF) strength += 4;
    else strength += 6;
  }
  return strength;
}

int buffer_fast_pattern_priority(uint16_t buffer_id) {
  if (buffer_id == kPktDataBuffer) return 1;
  if (buffer_id < buffer_count()) {
    const BufferDescriptor& d = buffer_descriptor(buffer_id);
    if (d.name == "http.method" || d.name == "http_method") return 0;  // Suricata's exception
    if (!d.app_proto.empty()) return 2;
  }
  return 1;
}

namespace {

// The inspection holding the content the fast_pattern modifier marked.
const BufferInspection* explicit_owner(const Rule& rule) {
  for (const BufferInspection& insp : rule.inspections)
    for (const auto& m : insp.matchers)
      if (const auto* c = dynamic_cast<const ContentMatcher*>(m.get()); c && c->is_fast_pattern())
        return insp.buffer_id == rule.fast_pattern.buffer_id ? &insp : nullptr;
  return nullptr;
}

}  // namespace

FastPattern select_fast_pattern(const Rule& rule, const BufferInspection** owner) {
  if (owner != nullptr) *owner = nullptr;
  if (rule.fast_pattern.present) {
    if (owner != nullptr) *owner = explicit_owner(rule);
    return rule.fast_pattern;
  }

  const ContentMatcher* best = nullptr;
  const BufferInspection* best_insp = nullptr;
  uint16_t best_buffer = 0;
  int best_priority = -1;
  uint32_t best_strength = 0;
  // Passes: positive contents in raw buffers, then in transformed buffers;
  // negated contents are considered only when there is no positive one (they
  // never become a prefilter here, but selecting them keeps the author's
  // choice visible: present stays false below).
  for (int pass = 0; pass < 3 && best == nullptr; ++pass) {
    const bool want_negated = pass == 2;
    const bool want_transformed = pass == 1;
    for (const BufferInspection& insp : rule.inspections) {
      if (!want_negated && insp.transforms.empty() == want_transformed) continue;
      if (want_negated && !insp.transforms.empty()) continue;
      const int priority = buffer_fast_pattern_priority(insp.buffer_id);
      for (const auto& m : insp.matchers) {
        const auto* c = dynamic_cast<const ContentMatcher*>(m.get());
        if (c == nullptr || c->pattern().empty() || c->negated() != want_negated) continue;
        const uint32_t strength = pattern_strength(c->pattern());
        bool better = best == nullptr || priority > best_priority ||
                      (priority == best_priority &&
                       (c->pattern().size() > best->pattern().size() ||
                        (c->pattern().size() == best->pattern().size() &&
                         strength > best_strength)));
        if (better) {
          best = c;
          best_insp = &insp;
          best_buffer = insp.buffer_id;
          best_priority = priority;
          best_strength = strength;
        }
      }
    }
  }

  FastPattern fp;
  if (best == nullptr || best->negated()) return fp;
  fp.present = true;
  if (owner != nullptr) *owner = best_insp;
  fp.buffer_id = best_buffer;
  fp.bytes = std::string(best->fast_pattern_bytes());
  fp.nocase = best->nocase();
  fp.only = false;
  fp.negated = false;
  return fp;
}

}  // namespace seawall::detect
