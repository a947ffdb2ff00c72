#include "detect/keywords/payload/content.h"

#include <array>
#include <atomic>
#include <cstring>
#include <string>

#include "detect/buffers/buffer_registry.h"

namespace seawall::detect {

namespace {

std::atomic<uint64_t> g_content_sequence{0};

// ASCII case folding (the C locale's tolower), as a table: the nocase search
// folds every byte it compares.
constexpr std::array<uint8_t, 256> kFold = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[static_cast<size_t>(c)] = static_cast<uint8_t>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
  return t;
}();

uint8_t fold(uint8_t c) { return kFold[c]; }

bool is_lower_letter(uint8_t c) { return c >= 'a' && c <= 'z'; }

bool equal_folded(const uint8_t* hay, const uint8_t* folded_pattern, size_t n) {
  for (size_t k = 0; k < n; ++k)
    if (kFold[hay[k]] != folded_pattern[k]) return false;
  return true;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

[[noreturn]] void fail(std::string_view keyword, const std::string& why) {
  throw RuleError(std::string(keyword) + ": " + why);
}

}  // namespace

std::string parse_content_pattern(std::string_view value, std::string_view keyword,
                                  bool& negated) {
  std::string_view v = trim_ws(value);
  negated = false;
  if (!v.empty() && v.front() == '!') {
    negated = true;
    v = trim_ws(v.substr(1));
  }
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
    v = v.substr(1, v.size() - 2);
  } else if (!v.empty() && (v.front() == '"' || v.back() == '"')) {
    fail(keyword, "unbalanced quotes in '" + std::string(value) + "'");
  }
  std::string out;
  out.reserve(v.size());
  bool hex = false, escape = false;
  int pending = -1;
  for (char c : v) {
    if (hex) {
      if (c == '|') {
        if (pending >= 0) fail(keyword, "odd number of hex digits in '" + std::string(value) + "'");
        hex = false;
      } else if (c == ' ' || c == '\t') {
        continue;
      } else {
        const int d = hex_digit(c);
        if (d < 0) fail(keyword, std::string("invalid hex character '") + c + "'");
        if (pending < 0) {
          pending = d;
        } else {
          out.push_back(static_cast<char>(pending * 16 + d));
          pending = -1;
        }
      }
    } else if (escape) {
      if (c != ';' && c != '"' && c != '\\' && c != ':')
        fail(keyword, std::string("invalid escape '\\") + c + "'");
      out.push_back(c);
      escape = false;
    } else if (c == '\\') {
      escape = true;
    } else if (c == '|') {
      hex = true;
    } else if (c == '"') {
      fail(keyword, "unescaped '\"' in pattern");
    } else {
      out.push_back(c);
    }
  }
  if (hex) fail(keyword, "unterminated |hex| block");
  if (escape) fail(keyword, "trailing backslash");
  if (out.empty()) fail(keyword, "empty pattern");
  return out;
}

ContentMatcher::ContentMatcher(std::string pattern, bool negated)
    : pattern_(std::move(pattern)), negated_(negated), sequence_(++g_content_sequence) {
  folded_.resize(pattern_.size());
  for (size_t i = 0; i < pattern_.size(); ++i)
    folded_[i] = static_cast<char>(fold(static_cast<uint8_t>(pattern_[i])));
  for (size_t i = 0; i < folded_.size(); ++i) {
    if (!is_lower_letter(static_cast<uint8_t>(folded_[i]))) {
      anchor_ = static_cast<uint32_t>(i);
      break;
    }
  }
}

void ContentMatcher::set_nocase() { nocase_ = true; }

void ContentMatcher::set_offset(const NumberOrVar& v) {
  offset_ = v;
  has_offset_ = true;
  // depth counts from the offset: keep the stored depth an absolute end.
  if (has_depth_ && !depth_.is_var && !v.is_var) depth_.value += v.value;
}

void ContentMatcher::set_depth(const NumberOrVar& v) {
  depth_ = v;
  has_depth_ = true;
  if (!v.is_var && has_offset_ && !offset_.is_var) depth_.value += offset_.value;
}

void ContentMatcher::set_startswith() {
  startswith_ = true;
  has_depth_ = true;
  depth_ = NumberOrVar{};
  depth_.value = static_cast<int64_t>(pattern_.size());
}

void ContentMatcher::set_fast_pattern(bool only, bool chop, uint16_t chop_offset,
                                      uint16_t chop_length) {
  fast_pattern_ = true;
  fast_pattern_only_ = only;
  chop_ = chop;
  chop_offset_ = chop_offset;
  chop_length_ = chop_length;
}

std::string_view ContentMatcher::fast_pattern_bytes() const {
  std::string_view p(pattern_);
  return chop_ ? p.substr(chop_offset_, chop_length_) : p;
}

const uint8_t* ContentMatcher::search(const uint8_t* hay, uint32_t hay_len) const {
  const size_t n = pattern_.size();
  if (n > hay_len) return nullptr;
  if (n == 0) return hay;  // the parser rejects empty patterns
  if (!nocase_) {
    return static_cast<const uint8_t*>(memmem(hay, hay_len, pattern_.data(), n));
  }
  // Candidates are the positions of the anchor byte (memchr), checked left
  // to right, so the first occurrence is found as by a plain scan. A byte
  // that is not a letter folds only from itself; a letter from two bytes.
  const auto* pat = reinterpret_cast<const uint8_t*>(folded_.data());
  const size_t k = anchor_;
  const uint8_t lower = pat[k];
  const uint8_t upper = is_lower_letter(lower) ? static_cast<uint8_t>(lower - ('a' - 'A')) : lower;
  const uint8_t* first = hay + k;
  const uint8_t* end = hay + (hay_len - n) + k + 1;  // past the last anchor position
  auto next = [end](const uint8_t* from, uint8_t c) -> const uint8_t* {
    if (from >= end) return nullptr;
    return static_cast<const uint8_t*>(memchr(from, c, static_cast<size_t>(end - from)));
  };
  if (lower == upper) {
    for (const uint8_t* p = next(first, lower); p != nullptr; p = next(p + 1, lower))
      if (equal_folded(p - k, pat, n)) return p - k;
    return nullptr;
  }
  const uint8_t* next_lower = next(first, lower);
  const uint8_t* next_upper = next(first, upper);
  while (next_lower != nullptr || next_upper != nullptr) {
    const bool take_lower =
        next_upper == nullptr || (next_lower != nullptr && next_lower < next_upper);
    const uint8_t* p = take_lower ? next_lower : next_upper;
    if (equal_folded(p - k, pat, n)) return p - k;
    if (take_lower) next_lower = next(p + 1, lower);
    else next_upper = next(p + 1, upper);
  }
  return nullptr;
}

// Port of the DETECT_CONTENT branch of Suricata's DetectEngineContentInspection.
InspectOutcome ContentMatcher::inspect(const MatchContext&, InspectionCursor& cursor,
                                       uint32_t search_from, PayloadMatch& result) const {
  const uint8_t* buffer = cursor.data;
  const uint32_t buffer_len = cursor.len;
  const bool relative = has_distance_ || has_within_;
  const bool single = !(relative || has_depth_ || has_offset_ || relative_next());
  const uint32_t prev_buffer_offset = cursor.prev_end;
  uint32_t prev_offset = search_from;

  for (;;) {
    int64_t depth = buffer_len;
    int64_t offset = 0;
    if (relative) {
      offset = prev_buffer_offset;
      int64_t distance = 0;
      if (has_distance_) {
        distance = static_cast<int32_t>(distance_.get(cursor.vars));
        if (distance < 0 && -distance > offset) offset = 0;
        else offset += distance;
      }
      if (has_within_) {
        const int64_t limit = prev_buffer_offset + static_cast<int32_t>(within_.get(cursor.vars)) +
                              distance;
        if (limit >= 0 && depth > limit) depth = limit;
      }
      if (has_depth_) {
        const int64_t d = depth_.get(cursor.vars);
        if (d != 0 && d + prev_buffer_offset < depth) depth = prev_buffer_offset + d;
      }
      if (has_offset_) {
        const int64_t o = offset_.get(cursor.vars);
        if (o > offset) offset = o;
      }
    } else {
      if (has_depth_) {
        const int64_t d = depth_.get(cursor.vars);
        if (depth_.is_var || d != 0) depth = d;
      }
      if (has_offset_) offset = offset_.get(cursor.vars);
    }
    if (offset_.is_var || depth_.is_var) depth += offset;
    if (prev_offset != 0) offset = prev_offset;
    if (depth > buffer_len) depth = buffer_len;
    if (offset < 0) offset = 0;
    if (offset > depth || depth <= 0)
      return negated_ ? InspectOutcome::kMatch : InspectOutcome::kNoMatch;

    const uint8_t* sbuffer = buffer + offset;
    const uint32_t sbuffer_len = static_cast<uint32_t>(depth - offset);
    const uint8_t* found = nullptr;
    if (!(endswith_ && depth < buffer_len)) found = search(sbuffer, sbuffer_len);

    if (found == nullptr) {
      if (negated_) return InspectOutcome::kMatch;
      return relative ? InspectOutcome::kNoMatch : InspectOutcome::kDiscontinue;
    }
    const uint32_t start = static_cast<uint32_t>(found - buffer);
    const uint32_t match_offset = start + static_cast<uint32_t>(pattern_.size());
    if (negated_) {
      // Suricata compares the window length with the absolute end here.
      if (endswith_ && sbuffer_len != match_offset) return InspectOutcome::kMatch;
      return single ? InspectOutcome::kDiscontinue : InspectOutcome::kNoMatch;
    }
    if (!endswith_ || match_offset == buffer_len) {
      cursor.prev_end = match_offset;
      result.start = start;
      result.end = match_offset;
      return InspectOutcome::kMatch;
    }
    // endswith but not at the end: look for a later occurrence.
    prev_offset = start + 1;
  }
}

ContentMatcher* last_content(RuleBuilder& builder) {
  ContentMatcher* best = nullptr;
  for (auto& insp : builder.rule().inspections)
    for (auto& m : insp.matchers)
      if (auto* c = dynamic_cast<ContentMatcher*>(m.get()))
        if (!best || c->sequence() > best->sequence()) best = c;
  return best;
}

BufferInspection* owner_inspection(Rule& rule, const PayloadMatcher* m, size_t* index) {
  for (auto& insp : rule.inspections)
    for (size_t i = 0; i < insp.matchers.size(); ++i)
      if (insp.matchers[i].get() == m) {
        if (index) *index = i;
        return &insp;
      }
  return nullptr;
}

void sync_fast_pattern(RuleBuilder& builder, const ContentMatcher& content) {
  if (!content.is_fast_pattern()) return;
  FastPattern& fp = builder.rule().fast_pattern;
  fp.present = true;
  const BufferInspection* insp = owner_inspection(builder.rule(), &content);
  fp.buffer_id = insp ? insp->buffer_id : kPktDataBuffer;
  fp.bytes = std::string(content.fast_pattern_bytes());
  fp.nocase = content.nocase();
  fp.only = content.fast_pattern_only();
  fp.negated = content.negated();
}

namespace {

ContentMatcher& modifier_target(RuleBuilder& b, std::string_view kw) {
  ContentMatcher* c = last_content(b);
  if (!c) fail(kw, "needs a preceding content option");
  return *c;
}

// Checks shared by depth/offset/distance/within/startswith (Suricata wording).
void check_position_modifier(const ContentMatcher& c, std::string_view kw) {
  if (c.negated() && c.is_fast_pattern())
    fail(kw, "can't have a relative negated keyword set along with 'fast_pattern'");
  if (!c.negated() && c.fast_pattern_only())
    fail(kw, "can't have a relative keyword set along with 'fast_pattern:only;'");
}

void check_absolute(const ContentMatcher& c, std::string_view kw) {
  check_position_modifier(c, kw);
  if (c.has_distance() || c.has_within())
    fail(kw, "can't use a relative keyword like within/distance with an absolute keyword like "
             "depth/offset for the same content");
}

void check_relative(RuleBuilder& b, ContentMatcher& c, std::string_view kw) {
  check_position_modifier(c, kw);
  if (c.has_depth() || c.has_offset())
    fail(kw, "can't use a relative keyword like within/distance with an absolute keyword like "
             "depth/offset for the same content");
  size_t index = 0;
  BufferInspection* insp = owner_inspection(b.rule(), &c, &index);
  if (!insp) return;
  // The previous content/pcre of that buffer now has a relative keyword after it.
  for (size_t i = index; i-- > 0;) {
    auto* kwm = dynamic_cast<PayloadKeyword*>(insp->matchers[i].get());
    if (!kwm || (kwm->kind() != PayloadKind::kContent && kwm->kind() != PayloadKind::kPcre))
      continue;
    if (auto* prev = dynamic_cast<ContentMatcher*>(kwm); prev && prev->fast_pattern_only())
      fail(kw, "previous keyword has a fast_pattern:only; set. Can't have relative keywords "
               "around a fast_pattern only content");
    kwm->set_relative_next(true);
    break;
  }
}

constexpr int64_t kContentValueMax = 1024 * 1024;

void setup_content(RuleBuilder& b, std::string_view value) {
  bool negated = false;
  std::string pattern = parse_content_pattern(value, "content", negated);
  if (pattern.size() > 65535) fail("content", "pattern longer than 65535 bytes");
  b.add_payload(std::make_unique<ContentMatcher>(std::move(pattern), negated));
}

void setup_uricontent(RuleBuilder& b, std::string_view value) {
  bool negated = false;
  std::string pattern = parse_content_pattern(value, "uricontent", negated);
  const BufferDescriptor* uri = find_buffer("http.uri");
  if (!uri) fail("uricontent", "http.uri buffer is not registered");
  const uint16_t id = buffer_id(*uri);
  Rule& rule = b.rule();
  BufferInspection* target = nullptr;
  for (auto& insp : rule.inspections)
    if (insp.buffer_id == id) target = &insp;
  if (!target) {
    rule.inspections.emplace_back();
    target = &rule.inspections.back();
    target->buffer_id = id;
  }
  target->matchers.push_back(std::make_unique<ContentMatcher>(std::move(pattern), negated));
}

void setup_nocase(RuleBuilder& b, std::string_view) {
  ContentMatcher& c = modifier_target(b, "nocase");
  if (c.nocase()) fail("nocase", "can't use multiple nocase modifiers with the same content");
  c.set_nocase();
  sync_fast_pattern(b, c);
}

void setup_rawbytes(RuleBuilder& b, std::string_view) {
  if (b.has_explicit_buffer() && b.current_inspection().buffer_id != kPktDataBuffer)
    fail("rawbytes", "cannot be combined with a sticky buffer");
  ContentMatcher& c = modifier_target(b, "rawbytes");
  if (c.rawbytes()) fail("rawbytes", "can't use multiple rawbytes modifiers for the same content");
  c.set_rawbytes();
}

void setup_depth(RuleBuilder& b, std::string_view value) {
  ContentMatcher& c = modifier_target(b, "depth");
  check_absolute(c, "depth");
  if (c.has_depth()) {
    fail("depth", c.startswith() ? "can't use depth with startswith"
                                 : "can't use multiple depths for the same content");
  }
  NumberOrVar v = parse_number_or_var(b, "depth", "depth", value, 0, 65535);
  if (!v.is_var && v.value < static_cast<int64_t>(c.pattern().size()))
    fail("depth", "depth " + std::to_string(v.value) + " smaller than content length " +
                      std::to_string(c.pattern().size()));
  c.set_depth(v);
}

void setup_offset(RuleBuilder& b, std::string_view value) {
  ContentMatcher& c = modifier_target(b, "offset");
  check_absolute(c, "offset");
  if (c.has_offset()) fail("offset", "can't use multiple offsets for the same content");
  if (c.startswith()) fail("offset", "can't mix offset with startswith");
  c.set_offset(parse_number_or_var(b, "offset", "offset", value, 0, 65535));
}

void setup_distance(RuleBuilder& b, std::string_view value) {
  ContentMatcher& c = modifier_target(b, "distance");
  if (c.startswith()) fail("distance", "can't use distance with startswith");
  check_relative(b, c, "distance");
  if (c.has_distance()) fail("distance", "can't use multiple distances for the same content");
  c.set_distance(
      parse_number_or_var(b, "distance", "distance", value, -kContentValueMax, kContentValueMax));
}

void setup_within(RuleBuilder& b, std::string_view value) {
  ContentMatcher& c = modifier_target(b, "within");
  if (c.startswith()) fail("within", "can't use within with startswith");
  check_relative(b, c, "within");
  if (c.has_within()) fail("within", "can't use multiple withins for the same content");
  NumberOrVar v =
      parse_number_or_var(b, "within", "within", value, -kContentValueMax, kContentValueMax);
  if (!v.is_var && v.value < static_cast<int64_t>(c.pattern().size()))
    fail("within", "within argument " + std::to_string(v.value) +
                       " is less than the content length " + std::to_string(c.pattern().size()) +
                       ", which can never match");
  c.set_within(v);
}

void setup_startswith(RuleBuilder& b, std::string_view) {
  ContentMatcher& c = modifier_target(b, "startswith");
  if (c.has_depth()) fail("startswith", "can't use multiple depth/startswith settings for the same content");
  if (c.has_offset()) fail("startswith", "can't mix offset with startswith");
  check_absolute(c, "startswith");
  c.set_startswith();
}

void setup_endswith(RuleBuilder& b, std::string_view) {
  ContentMatcher& c = modifier_target(b, "endswith");
  if (c.endswith()) fail("endswith", "can't use multiple endswith for the same content");
  c.set_endswith();
}

void setup_fast_pattern(RuleBuilder& b, std::string_view value) {
  ContentMatcher& c = modifier_target(b, "fast_pattern");
  if (c.is_fast_pattern())
    fail("fast_pattern", "can't use multiple fast_pattern options for the same content");
  for (auto& insp : b.rule().inspections)
    for (auto& m : insp.matchers)
      if (auto* other = dynamic_cast<ContentMatcher*>(m.get()); other && other->is_fast_pattern())
        fail("fast_pattern", "can be used on only one content in a rule");
  if (c.negated() && (c.has_distance() || c.has_within() || c.has_offset() || c.has_depth()))
    fail("fast_pattern", "cannot be used on negated content along with relative modifiers");
  value = trim_ws(value);
  if (value.empty()) {
    c.set_fast_pattern(false, false, 0, 0);
  } else if (value == "only") {
    if (c.negated()) fail("fast_pattern", "fast_pattern:only cannot be used on negated content");
    if (c.has_distance() || c.has_within())
      fail("fast_pattern", "fast_pattern:only cannot be used with relative modifiers");
    c.set_fast_pattern(true, false, 0, 0);
  } else {
    auto parts = split_options(value);
    uint64_t off = 0, len = 0;
    if (parts.size() != 2 || !parse_u64(parts[0], off, false) || !parse_u64(parts[1], len, false) ||
        off > 65535 || len > 65535)
      fail("fast_pattern", "invalid value '" + std::string(value) +
                               "' (expected only or <offset>,<length>)");
    if (len == 0) fail("fast_pattern", "chop length must be greater than 0");
    if (off + len > c.pattern().size())
      fail("fast_pattern", "fast pattern (length + offset) (" + std::to_string(len) + " + " +
                               std::to_string(off) + ") exceeds length of content");
    c.set_fast_pattern(false, true, static_cast<uint16_t>(off), static_cast<uint16_t>(len));
  }
  sync_fast_pattern(b, c);
}

const bool kRegistered = [] {
  register_keyword({.name = "content",
                    .help = "match a byte pattern in the current buffer (!\"...\" negates)",
                    .kind = KeywordKind::kPayload,
                    .flags = kValueRequired,
                    .setup = setup_content});
  register_keyword({.name = "uricontent",
                    .help = "deprecated: content on http.uri",
                    .kind = KeywordKind::kPayload,
                    .flags = kValueRequired | kDeprecated,
                    .setup = setup_uricontent,
                    .unsupported_reason = "needs the HTTP parser — not yet available"});
  register_keyword({.name = "nocase", .help = "case-insensitive content",
                    .kind = KeywordKind::kModifier, .flags = kNoValue, .setup = setup_nocase});
  register_keyword({.name = "rawbytes", .help = "content on raw packet bytes (no-op)",
                    .kind = KeywordKind::kModifier, .flags = kNoValue, .setup = setup_rawbytes});
  register_keyword({.name = "depth", .help = "content must end within N bytes of the offset",
                    .kind = KeywordKind::kModifier, .flags = kValueRequired, .setup = setup_depth});
  register_keyword({.name = "offset", .help = "content search starts N bytes into the buffer",
                    .kind = KeywordKind::kModifier, .flags = kValueRequired,
                    .setup = setup_offset});
  register_keyword({.name = "distance", .help = "content starts N bytes after the previous match",
                    .kind = KeywordKind::kModifier, .flags = kValueRequired,
                    .setup = setup_distance});
  register_keyword({.name = "within", .help = "content ends within N bytes of the previous match",
                    .kind = KeywordKind::kModifier, .flags = kValueRequired,
                    .setup = setup_within});
  register_keyword({.name = "startswith", .help = "content at the start of the buffer",
                    .kind = KeywordKind::kModifier, .flags = kNoValue,
                    .setup = setup_startswith});
  register_keyword({.name = "endswith", .help = "content at the end of the buffer",
                    .kind = KeywordKind::kModifier, .flags = kNoValue, .setup = setup_endswith});
  register_keyword({.name = "fast_pattern",
                    .help = "use this content for the prefilter (only | <offset>,<length>)",
                    .kind = KeywordKind::kModifier, .setup = setup_fast_pattern});
  return true;
}();

}  // namespace

}  // namespace seawall::detect
