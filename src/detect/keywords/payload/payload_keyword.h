// Base class of the payload keywords (content, pcre, byte_*, isdataat, bsize,
// base64_decode): PayloadMatcher plus what the backtracking inspection engine
// (engine/inspect.cc) needs to reproduce Suricata's DetectEngineContentInspection:
// a three-way outcome and the RELATIVE_NEXT flag.
#pragma once

#include <atomic>
#include <cstdint>

#include "detect/keywords/matcher.h"

namespace seawall::detect {

enum class InspectOutcome : uint8_t {
  kNoMatch,      // this attempt failed; an earlier content/pcre may retry
  kMatch,
  kDiscontinue,  // failed, and no retry of an earlier keyword can change that
};

enum class PayloadKind : uint8_t {
  kContent,       // retried from its next occurrence when a later relative keyword fails
  kPcre,          // idem
  kOther,         // byte_*, isdataat, bsize ...: evaluated once
  kBase64Decode,  // runs the base64_data keywords on the decoded bytes
  kBase64Data,    // marker: keywords after it inspect the decoded bytes
};

class PayloadKeyword : public PayloadMatcher {
 public:
  PayloadKeyword() : order_(next_order()) {}

  // Creation order across all buffers of a rule: a relative keyword with no
  // sticky buffer set goes to the buffer of the last keyword created before it
  // (legacy modifiers such as http_uri move contents after the fact).
  uint64_t order() const { return order_; }
  // One attempt. `search_from` is 0 on the first attempt and the restart
  // position (previous match start + 1) on retries. Writes the match range into
  // `result` and moves cursor.prev_end when the keyword moves the cursor.
  virtual InspectOutcome inspect(const MatchContext& ctx, InspectionCursor& cursor,
                                 uint32_t search_from, PayloadMatch& result) const = 0;
  virtual PayloadKind kind() const { return PayloadKind::kOther; }
  // A negated content/pcre matches by absence: nothing to retry.
  virtual bool negated() const { return false; }

  PayloadMatch match(const MatchContext& ctx, InspectionCursor& cursor,
                     uint32_t search_from) const override {
    PayloadMatch result;
    result.matched = inspect(ctx, cursor, search_from, result) == InspectOutcome::kMatch;
    return result;
  }
  bool can_retry() const override {
    return kind() == PayloadKind::kContent || kind() == PayloadKind::kPcre;
  }

  // Suricata's RELATIVE_NEXT: a later keyword is relative to this content/pcre,
  // so when it fails a later occurrence of this one is worth trying.
  bool relative_next() const { return relative_next_; }
  void set_relative_next(bool on) { relative_next_ = on; }

 private:
  static uint64_t next_order() {
    static std::atomic<uint64_t> counter{0};
    return ++counter;
  }

  uint64_t order_;
  bool relative_next_ = false;
};

}  // namespace seawall::detect
