#include "detect/keywords/payload/pcre.h"

#include <memory>
#include <string>

#include "detect/buffers/buffer_registry.h"
#include "detect/keywords/keyword.h"
#include "detect/keywords/payload/payload_keyword.h"
#include "detect/keywords/payload/payload_util.h"

namespace seawall::detect {

namespace {

// Suricata's defaults (pcre.match-limit / pcre.match-limit-recursion).
constexpr uint32_t kMatchLimit = 3500;
constexpr uint32_t kDepthLimit = 1500;
constexpr uint32_t kOvectorPairs = 32;

struct MatchDataHolder {
  pcre2_match_data* data = nullptr;
  ~MatchDataHolder() { pcre2_match_data_free(data); }
};

}  // namespace

pcre2_match_data* thread_match_data() {
  thread_local MatchDataHolder holder;
  if (!holder.data) holder.data = pcre2_match_data_create(kOvectorPairs, nullptr);
  return holder.data;
}

CompiledRegex::CompiledRegex(std::string_view keyword, std::string_view pattern, uint32_t options,
                             bool unlimited) {
  int error = 0;
  PCRE2_SIZE error_offset = 0;
  code_ = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), options,
                        &error, &error_offset, nullptr);
  if (!code_) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error, message, sizeof(message));
    throw RuleError(std::string(keyword) + ": regex '" + std::string(pattern) +
                    "' does not compile at offset " + std::to_string(error_offset) + ": " +
                    reinterpret_cast<const char*>(message));
  }
  jit_ = pcre2_jit_compile(code_, PCRE2_JIT_COMPLETE) == 0;
  if (!unlimited) {
    context_ = pcre2_match_context_create(nullptr);
    pcre2_set_match_limit(context_, kMatchLimit);
    pcre2_set_depth_limit(context_, kDepthLimit);
  }
}

CompiledRegex::~CompiledRegex() {
  pcre2_match_context_free(context_);
  pcre2_code_free(code_);
}

int CompiledRegex::match(const uint8_t* data, uint32_t len, uint32_t start_offset) const {
  pcre2_match_data* md = thread_match_data();
  if (!md) return PCRE2_ERROR_NOMEMORY;
  static const uint8_t kEmpty = 0;
  return pcre2_match(code_, data ? data : &kEmpty, len, start_offset, 0, md, context_);
}

const PCRE2_SIZE* CompiledRegex::ovector() {
  return pcre2_get_ovector_pointer(thread_match_data());
}

uint32_t CompiledRegex::capture_count() const {
  uint32_t n = 0;
  pcre2_pattern_info(code_, PCRE2_INFO_CAPTURECOUNT, &n);
  return n;
}

namespace {

class PcreMatcher final : public PayloadKeyword {
 public:
  PcreMatcher(std::string_view pattern, uint32_t options, bool unlimited, bool negated,
              bool relative)
      : regex_("pcre", pattern, options, unlimited), negated_(negated), relative_(relative) {}

  PayloadKind kind() const override { return PayloadKind::kPcre; }
  bool negated() const override { return negated_; }
  bool is_relative() const override { return relative_; }

  // Port of Suricata's DetectPcrePayloadMatch.
  InspectOutcome inspect(const MatchContext&, InspectionCursor& cursor, uint32_t search_from,
                         PayloadMatch& result) const override {
    uint32_t base = 0;
    if (relative_) {
      if (cursor.prev_end > cursor.len) return InspectOutcome::kNoMatch;
      base = cursor.prev_end;
    }
    const uint32_t len = cursor.len - base;
    if (cursor.data == nullptr || len == 0) return InspectOutcome::kNoMatch;
    uint32_t start = 0;
    if (search_from != 0) {
      if (search_from < base) return InspectOutcome::kNoMatch;
      start = search_from - base;
      if (start > len) return negated_ ? InspectOutcome::kMatch : InspectOutcome::kNoMatch;
    }
    const int rc = regex_.match(cursor.data + base, len, start);
    if (rc == PCRE2_ERROR_NOMATCH)
      return negated_ ? InspectOutcome::kMatch : InspectOutcome::kNoMatch;
    if (rc < 0) return InspectOutcome::kNoMatch;  // match/depth limit hit, or error
    if (negated_) return InspectOutcome::kNoMatch;
    const PCRE2_SIZE* ov = CompiledRegex::ovector();
    result.start = base + static_cast<uint32_t>(ov[0]);
    result.end = base + static_cast<uint32_t>(ov[1]);
    cursor.prev_end = result.end;
    return InspectOutcome::kMatch;
  }

 private:
  CompiledRegex regex_;
  bool negated_;
  bool relative_;
};

// Suricata's HTTP buffer flags on pcre (/U /I /P ...).
std::string_view buffer_for_flag(char f) {
  switch (f) {
    case 'U': return "http.uri";
    case 'I': return "http.uri.raw";
    case 'P': return "http.request_body";
    case 'Q': return "http.response_body";
    case 'H': return "http.header";
    case 'D': return "http.header.raw";
    case 'M': return "http.method";
    case 'C': return "http.cookie";
    case 'S': return "http.stat_code";
    case 'Y': return "http.stat_msg";
    case 'V': return "http.user_agent";
    case 'W': return "http.host";
    case 'Z': return "http.host.raw";
    default: return {};
  }
}

[[noreturn]] void fail(const std::string& why) { throw RuleError("pcre: " + why); }

void setup_pcre(RuleBuilder& b, std::string_view value) {
  std::string_view v = trim_ws(value);
  bool negated = false;
  if (!v.empty() && v.front() == '!') {
    negated = true;
    v = trim_ws(v.substr(1));
  }
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  if (v.size() < 2 || v.front() != '/') fail("regex must be written /pattern/flags");
  const size_t close = v.rfind('/');
  if (close == 0) fail("missing closing '/' in " + std::string(value));
  const std::string_view pattern = v.substr(1, close - 1);
  const std::string_view flags = v.substr(close + 1);

  uint32_t options = 0;
  bool relative = false, unlimited = false;
  std::string_view buffer_name;
  for (char f : flags) {
    switch (f) {
      case 'i': options |= PCRE2_CASELESS; break;
      case 's': options |= PCRE2_DOTALL; break;
      case 'm': options |= PCRE2_MULTILINE; break;
      case 'x': options |= PCRE2_EXTENDED; break;
      case 'A': options |= PCRE2_ANCHORED; break;
      case 'E': options |= PCRE2_DOLLAR_ENDONLY; break;
      case 'G': options |= PCRE2_UNGREEDY; break;
      case 'R':
        if (relative) fail("multiple relative modifiers");
        relative = true;
        break;
      case 'O':
        if (unlimited) fail("multiple O modifiers");
        unlimited = true;
        break;
      case 'B': break;  // rawbytes: no-op, as in Suricata
      default: {
        std::string_view name = buffer_for_flag(f);
        if (name.empty()) fail(std::string("unknown regex modifier '") + f + "'");
        if (!buffer_name.empty()) fail("regex modifiers for two different buffers");
        buffer_name = name;
      }
    }
  }
  // Suricata (DetectPcreSetup) refuses a modifier naming another buffer than
  // the sticky one; naming the sticky buffer itself is fine (http.uri; pcre:"/x/U").
  const BufferDescriptor* modifier_buffer =
      buffer_name.empty() ? nullptr : find_buffer(buffer_name);
  if (!buffer_name.empty() && b.has_explicit_buffer() &&
      b.current_inspection().buffer_id != kPktDataBuffer &&
      (modifier_buffer == nullptr ||
       buffer_id(*modifier_buffer) != b.current_inspection().buffer_id))
    fail(std::string("regex buffer modifier for ") + std::string(buffer_name) +
         " used while a sticky buffer is set");

  auto matcher = std::make_unique<PcreMatcher>(pattern, options, unlimited, negated, relative);
  if (buffer_name.empty()) {
    if (relative) add_relative_payload(b, std::move(matcher));
    else b.add_payload(std::move(matcher));
    return;
  }
  // Legacy-modifier style: the pcre inspects that buffer, the sticky buffer is unchanged.
  const BufferDescriptor* d = find_buffer(buffer_name);
  if (!d) fail(std::string(buffer_name) + " buffer is not registered");
  const uint16_t id = buffer_id(*d);
  Rule& rule = b.rule();
  BufferInspection* target = nullptr;
  for (auto& insp : rule.inspections)
    if (insp.buffer_id == id) target = &insp;
  if (!target) {
    rule.inspections.emplace_back();
    target = &rule.inspections.back();
    target->buffer_id = id;
  }
  if (relative) mark_relative_next_before(*target, target->matchers.size());
  target->matchers.push_back(std::move(matcher));
}

const bool kRegistered = register_keyword({
    .name = "pcre",
    .help = "Perl-compatible regex on the current buffer: \"/re/flags\" (i s m x A E G R O, "
            "HTTP buffer flags U I P Q H D M C S Y V W Z)",
    .kind = KeywordKind::kPayload,
    .flags = kValueRequired,
    .setup = setup_pcre,
});

}  // namespace

}  // namespace seawall::detect
