#include "detect/buffers/buffer_registry.h"

#include <array>
#include <deque>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>

#include "detect/keywords/keyword.h"
#include "detect/keywords/payload/content.h"
#include "detect/keywords/payload/payload_util.h"

namespace seawall::detect {

namespace {

// Keyword setup functions are plain function pointers, so each buffer id gets
// its own instantiation that knows the id.
constexpr size_t kMaxBuffers = 256;

bool pkt_data_getter(const MatchContext& ctx, ByteView& out) {
  out = ctx.pkt_data();
  return true;
}

template <uint16_t Id>
void sticky_setup(RuleBuilder& builder, std::string_view) {
  builder.set_buffer(Id);
}

BufferInspection& inspection_for(Rule& rule, uint16_t id) {
  for (auto& insp : rule.inspections)
    if (insp.buffer_id == id) return insp;
  rule.inspections.emplace_back();
  rule.inspections.back().buffer_id = id;
  return rule.inspections.back();
}

// Suricata's DetectEngineContentModifierBufferSetup: the last content of the
// payload list moves to the modifier's buffer; the sticky buffer is unchanged.
void move_last_content(RuleBuilder& b, uint16_t id, std::string_view value) {
  const BufferDescriptor& d = buffer_descriptor(id);
  const std::string kw(d.content_modifiers.empty() ? d.name : d.content_modifiers.front());
  if (!trim_ws(value).empty()) throw RuleError(kw + ": takes no argument");
  if (b.has_explicit_buffer() && b.current_inspection().buffer_id != kPktDataBuffer)
    throw RuleError(kw + ": seen with a sticky buffer still set; reset it with pkt_data first");
  BufferInspection& from = b.current_inspection();
  size_t index = from.matchers.size();
  while (index-- > 0)
    if (dynamic_cast<ContentMatcher*>(from.matchers[index].get())) break;
  if (index >= from.matchers.size())
    throw RuleError(kw + ": needs a preceding content option");
  auto* content = static_cast<ContentMatcher*>(from.matchers[index].get());
  if (content->rawbytes()) throw RuleError(kw + ": can not be used with rawbytes");
  const bool relative = content->is_relative();
  if (relative) {
    // The content no longer follows the payload list's previous content/pcre.
    for (size_t i = index; i-- > 0;) {
      auto* prev = dynamic_cast<PayloadKeyword*>(from.matchers[i].get());
      if (prev && (prev->kind() == PayloadKind::kContent || prev->kind() == PayloadKind::kPcre)) {
        prev->set_relative_next(false);
        break;
      }
    }
  }
  std::unique_ptr<PayloadMatcher> moved = std::move(from.matchers[index]);
  from.matchers.erase(from.matchers.begin() + static_cast<std::ptrdiff_t>(index));
  BufferInspection& to = inspection_for(b.rule(), id);
  if (relative) mark_relative_next_before(to, to.matchers.size());
  to.matchers.push_back(std::move(moved));
  sync_fast_pattern(b, *content);
}

template <uint16_t Id>
void modifier_setup(RuleBuilder& builder, std::string_view value) {
  move_last_content(builder, Id, value);
}

template <size_t... I>
constexpr std::array<KeywordSetup, sizeof...(I)> sticky_table(std::index_sequence<I...>) {
  return {&sticky_setup<static_cast<uint16_t>(I)>...};
}
template <size_t... I>
constexpr std::array<KeywordSetup, sizeof...(I)> modifier_table(std::index_sequence<I...>) {
  return {&modifier_setup<static_cast<uint16_t>(I)>...};
}

constexpr auto kStickySetups = sticky_table(std::make_index_sequence<kMaxBuffers>{});
constexpr auto kModifierSetups = modifier_table(std::make_index_sequence<kMaxBuffers>{});

class Registry {
 public:
  // pkt_data is registered first so that it is id 0 whatever the static-init
  // order of the files registering the other buffers.
  Registry() {
    add({.name = "pkt_data",
         .help = "the packet payload (resets the sticky buffer)",
         .get = pkt_data_getter});
  }

  uint16_t add(const BufferDescriptor& d) {
    if (buffers_.size() >= kMaxBuffers)
      throw std::logic_error("too many detection buffers (max 256)");
    uint16_t id = 0;
    if (auto it = by_name_.find(d.name); it != by_name_.end()) {
      // A real buffer replaces a placeholder of the same name (static-init
      // order between the two files is unspecified); otherwise first wins.
      id = it->second;
      const bool real = d.unsupported_reason.empty() && (d.get || d.get_multi);
      if (buffers_[id].unsupported_reason.empty() || !real) return id;
      buffers_[id] = d;
    } else {
      id = static_cast<uint16_t>(buffers_.size());
      buffers_.push_back(d);
      by_name_.emplace(std::string(d.name), id);
    }
    for (auto alias : d.aliases) by_name_.emplace(std::string(alias), id);
    const BufferDescriptor& stored = buffers_[id];
    auto sticky = [&](std::string_view name) {
      register_keyword({.name = name,
                        .help = stored.help,
                        .kind = KeywordKind::kStickyBuffer,
                        .flags = kNoValue,
                        .setup = kStickySetups[id],
                        .unsupported_reason = stored.unsupported_reason});
    };
    sticky(stored.name);
    for (auto alias : stored.aliases) sticky(alias);
    for (auto modifier : stored.content_modifiers) {
      register_keyword({.name = modifier,
                        .help = stored.help,
                        .kind = KeywordKind::kModifier,
                        .flags = kNoValue,
                        .setup = kModifierSetups[id],
                        .unsupported_reason = stored.unsupported_reason});
    }
    return id;
  }

  const BufferDescriptor* find(std::string_view name) const {
    auto it = by_name_.find(name);
    return it == by_name_.end() ? nullptr : &buffers_[it->second];
  }
  const BufferDescriptor& at(uint16_t id) const { return buffers_.at(id); }
  uint16_t id_of(const BufferDescriptor& d) const {
    auto it = by_name_.find(d.name);
    if (it == by_name_.end()) throw std::out_of_range("unregistered buffer");
    return it->second;
  }
  size_t size() const { return buffers_.size(); }

 private:
  std::deque<BufferDescriptor> buffers_;  // deque: descriptor addresses stay valid
  std::map<std::string, uint16_t, std::less<>> by_name_;
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

uint16_t register_buffer(const BufferDescriptor& descriptor) { return registry().add(descriptor); }
const BufferDescriptor* find_buffer(std::string_view name_or_alias) {
  return registry().find(name_or_alias);
}
const BufferDescriptor& buffer_descriptor(uint16_t id) { return registry().at(id); }
uint16_t buffer_id(const BufferDescriptor& descriptor) { return registry().id_of(descriptor); }
size_t buffer_count() { return registry().size(); }

}  // namespace seawall::detect
