#include "detect/keywords/keyword.h"

#include <algorithm>
#include <deque>

#include "detect/buffers/buffer_registry.h"
#include "detect/rules/option_value.h"
#include "detect/rules/rule_parser.h"

namespace seawall::detect {

namespace {

// Function-local statics: keywords register from other translation units'
// static initializers, whose order relative to this file is unspecified.
struct Registry {
  std::deque<KeywordDescriptor> descriptors;                 // stable addresses
  std::map<std::string, const KeywordDescriptor*> by_name;  // lowercase names and aliases
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

bool register_keyword(const KeywordDescriptor& descriptor) {
  Registry& r = registry();
  std::string name = to_lower_ascii(descriptor.name);
  if (name.empty()) return false;
  if (auto it = r.by_name.find(name); it != r.by_name.end()) {
    // A real keyword replaces a placeholder ("needs the X parser"); the
    // descriptor is rewritten in place so pointers handed out stay valid.
    auto* existing = const_cast<KeywordDescriptor*>(it->second);
    if (existing->unsupported_reason.empty() || !descriptor.unsupported_reason.empty())
      return false;
    *existing = descriptor;
    for (std::string_view alias : descriptor.aliases)
      r.by_name.emplace(to_lower_ascii(alias), existing);
    return true;
  }
  for (std::string_view alias : descriptor.aliases) {
    if (r.by_name.count(to_lower_ascii(alias)) != 0) return false;
  }
  r.descriptors.push_back(descriptor);
  const KeywordDescriptor* stored = &r.descriptors.back();
  r.by_name.emplace(std::move(name), stored);
  for (std::string_view alias : descriptor.aliases) r.by_name.emplace(to_lower_ascii(alias), stored);
  return true;
}

const KeywordDescriptor* find_keyword(std::string_view name) {
  const Registry& r = registry();
  auto it = r.by_name.find(to_lower_ascii(name));
  return it == r.by_name.end() ? nullptr : it->second;
}

std::vector<const KeywordDescriptor*> all_keywords() {
  std::vector<const KeywordDescriptor*> out;
  for (const KeywordDescriptor& d : registry().descriptors) out.push_back(&d);
  std::sort(out.begin(), out.end(), [](const KeywordDescriptor* a, const KeywordDescriptor* b) {
    return a->name < b->name;
  });
  return out;
}

// --- RuleBuilder ---

void RuleBuilder::set_buffer(uint16_t buffer_id) {
  // pkt_data resets to the default payload list (Suricata's DETECT_SM_LIST_NOTSET):
  // legacy content modifiers are allowed again and transforms are not.
  explicit_buffer_ = buffer_id != kPktDataBuffer;
  // Returning to a buffer seen before appends to its untransformed inspection,
  // as Suricata appends to the same list.
  for (size_t i = 0; i < rule_.inspections.size(); ++i) {
    const BufferInspection& b = rule_.inspections[i];
    if (b.buffer_id == buffer_id && b.transforms.empty()) {
      current_ = static_cast<int>(i);
      return;
    }
  }
  BufferInspection inspection;
  inspection.buffer_id = buffer_id;
  rule_.inspections.push_back(std::move(inspection));
  current_ = static_cast<int>(rule_.inspections.size()) - 1;
}

BufferInspection& RuleBuilder::current_inspection() {
  if (current_ < 0) {
    set_buffer(kPktDataBuffer);
  }
  return rule_.inspections[static_cast<size_t>(current_)];
}

void RuleBuilder::add_payload(std::unique_ptr<PayloadMatcher> m) {
  current_inspection().matchers.push_back(std::move(m));
}

void RuleBuilder::add_transform(std::shared_ptr<const Transform> t) {
  if (!t) throw RuleError("transform: missing transform");
  if (!explicit_buffer_ || current_ < 0) {
    throw RuleError(std::string(t->name()) +
                    ": transforms must directly follow a sticky buffer");
  }
  constexpr size_t kMaxTransforms = 16;  // Suricata's DETECT_TRANSFORMS_MAX
  BufferInspection* current = &rule_.inspections[static_cast<size_t>(current_)];
  if (current->transforms.size() >= kMaxTransforms) {
    throw RuleError(std::string(t->name()) + ": no more than 16 transforms per buffer");
  }
  if (!current->matchers.empty()) {
    // Matches already made on this buffer see it untransformed: the
    // transformed buffer is a separate inspection (a separate list in Suricata).
    BufferInspection split;
    split.buffer_id = current->buffer_id;
    split.transforms = current->transforms;
    rule_.inspections.push_back(std::move(split));
    current_ = static_cast<int>(rule_.inspections.size()) - 1;
    current = &rule_.inspections.back();
  }
  current->transforms.push_back(std::move(t));
}

void RuleBuilder::require_app_proto(std::string_view proto, uint8_t dir) {
  Rule& r = rule_;
  proto = canonical_app_proto(proto);
  if (!r.app_keyword_proto.empty() && r.app_keyword_proto != proto)
    throw RuleError("rule mixes " + r.app_keyword_proto + " and " + std::string(proto) +
                    " keywords");
  if (r.header.proto == RuleProto::kApp && !r.header.app_proto.empty() &&
      canonical_app_proto(r.header.app_proto) != proto)
    throw RuleError(std::string(proto) + " keyword in a rule for protocol " + r.header.app_proto);
  if (dir != 0 && r.app_keyword_dir != 0 && r.app_keyword_dir != dir)
    throw RuleError(std::string(proto) + " keywords of both directions in one rule");
  r.app_keyword_proto = std::string(proto);
  if (dir != 0) r.app_keyword_dir = dir;
}

PayloadMatcher* RuleBuilder::last_payload() {
  if (current_ < 0) return nullptr;
  auto& matchers = rule_.inspections[static_cast<size_t>(current_)].matchers;
  return matchers.empty() ? nullptr : matchers.back().get();
}

uint32_t RuleBuilder::define_byte_var(std::string_view name) {
  uint32_t slot = 0;
  if (find_byte_var(name, slot)) return slot;
  byte_vars_.emplace_back(name);
  rule_.byte_var_count = byte_var_count();
  return byte_var_count() - 1;
}

bool RuleBuilder::find_byte_var(std::string_view name, uint32_t& slot) const {
  for (size_t i = 0; i < byte_vars_.size(); ++i) {
    if (byte_vars_[i] == name) {
      slot = static_cast<uint32_t>(i);
      return true;
    }
  }
  return false;
}

}  // namespace seawall::detect
