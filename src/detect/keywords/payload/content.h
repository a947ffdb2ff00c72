// content and its modifiers (nocase depth offset distance within startswith
// endswith fast_pattern rawbytes). ContentMatcher is shared with the engine's
// fast-pattern selection and with the legacy content modifiers (http_uri ...).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "detect/keywords/keyword.h"
#include "detect/keywords/payload/payload_keyword.h"
#include "detect/keywords/payload/payload_util.h"

namespace seawall::detect {

// Decodes a content value as written in a rule: optional '!', the quoted
// pattern with |hex| blocks and \; \" \\ \: escapes. Throws RuleError.
std::string parse_content_pattern(std::string_view value, std::string_view keyword,
                                  bool& negated);

class ContentMatcher final : public PayloadKeyword {
 public:
  ContentMatcher(std::string pattern, bool negated);

  InspectOutcome inspect(const MatchContext& ctx, InspectionCursor& cursor, uint32_t search_from,
                         PayloadMatch& result) const override;
  PayloadKind kind() const override { return PayloadKind::kContent; }
  bool negated() const override { return negated_; }
  bool is_relative() const override { return has_distance_ || has_within_; }

  // --- what the engine's fast-pattern selection reads ---
  const std::string& pattern() const { return pattern_; }
  bool nocase() const { return nocase_; }
  bool is_fast_pattern() const { return fast_pattern_; }
  bool fast_pattern_only() const { return fast_pattern_only_; }
  bool has_chop() const { return chop_; }
  uint16_t chop_offset() const { return chop_offset_; }
  uint16_t chop_length() const { return chop_length_; }
  // The bytes the prefilter should search for (the chop when there is one).
  std::string_view fast_pattern_bytes() const;
  bool rawbytes() const { return rawbytes_; }
  bool startswith() const { return startswith_; }
  bool endswith() const { return endswith_; }
  bool has_offset() const { return has_offset_; }
  bool has_depth() const { return has_depth_; }
  bool has_distance() const { return has_distance_; }
  bool has_within() const { return has_within_; }
  // Absolute limits (depth is stored as offset+depth like Suricata); only
  // meaningful when the modifier is present and not a variable.
  uint32_t offset() const { return static_cast<uint32_t>(offset_.value); }
  uint32_t depth() const { return static_cast<uint32_t>(depth_.value); }
  int32_t distance() const { return static_cast<int32_t>(distance_.value); }
  int32_t within() const { return static_cast<int32_t>(within_.value); }
  bool uses_variables() const {
    return offset_.is_var || depth_.is_var || distance_.is_var || within_.is_var;
  }
  // Monotonic creation number: modifiers apply to the most recent content.
  uint64_t sequence() const { return sequence_; }

  // --- load-time mutation by the modifier keywords (validate first) ---
  void set_nocase();
  void set_rawbytes() { rawbytes_ = true; }
  void set_offset(const NumberOrVar& v);
  void set_depth(const NumberOrVar& v);
  void set_distance(const NumberOrVar& v) { distance_ = v; has_distance_ = true; }
  void set_within(const NumberOrVar& v) { within_ = v; has_within_ = true; }
  void set_startswith();
  void set_endswith() { endswith_ = true; }
  void set_fast_pattern(bool only, bool chop, uint16_t chop_offset, uint16_t chop_length);

 private:
  const uint8_t* search(const uint8_t* hay, uint32_t hay_len) const;

  std::string pattern_;
  std::string folded_;  // lowercase copy for nocase search
  // nocase search anchor: the first pattern byte that is not a letter (one
  // memchr finds its candidates), else 0 (candidates of either case).
  uint32_t anchor_ = 0;
  bool negated_ = false;
  bool nocase_ = false;
  bool rawbytes_ = false;
  bool startswith_ = false;
  bool endswith_ = false;
  bool fast_pattern_ = false;
  bool fast_pattern_only_ = false;
  bool chop_ = false;
  uint16_t chop_offset_ = 0;
  uint16_t chop_length_ = 0;
  bool has_offset_ = false, has_depth_ = false, has_distance_ = false, has_within_ = false;
  NumberOrVar offset_, depth_, distance_, within_;
  uint64_t sequence_ = 0;
};

// The most recently added content of the rule (any buffer), or nullptr.
ContentMatcher* last_content(RuleBuilder& builder);
// The inspection holding `m` (nullptr if none) and its index there.
BufferInspection* owner_inspection(Rule& rule, const PayloadMatcher* m, size_t* index = nullptr);
// Copies the content's fast-pattern view into rule.fast_pattern (after any
// modifier that changes it: nocase, a legacy buffer move).
void sync_fast_pattern(RuleBuilder& builder, const ContentMatcher& content);

}  // namespace seawall::detect
