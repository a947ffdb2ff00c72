// base64_decode / base64_data. base64_decode decodes part of the current buffer
// into per-thread scratch; the keywords after base64_data (a marker matcher in
// the same inspection) are then run on the decoded bytes by the engine
// (engine/inspect.cc). As in Suricata the base64_data keywords end the rule's
// inspection of that buffer: keywords between base64_decode and base64_data
// are never evaluated, and base64_decode without base64_data never matches.
#pragma once

#include <cstdint>
#include <vector>

#include "detect/keywords/payload/payload_keyword.h"

namespace seawall::detect {

// RFC 2045 decoding as Suricata's DecodeBase64(BASE64_MODE_RFC2045): bytes
// outside the alphabet are skipped, '=' ends the data, a trailing partial
// quantum yields its whole bytes. Appends at most max_out bytes to out.
void decode_base64_rfc2045(const uint8_t* in, uint32_t len, uint32_t max_out,
                           std::vector<uint8_t>& out);

class Base64DecodeMatcher final : public PayloadKeyword {
 public:
  Base64DecodeMatcher(uint32_t bytes, uint32_t offset, bool relative)
      : bytes_(bytes), offset_(offset), relative_(relative) {}
  PayloadKind kind() const override { return PayloadKind::kBase64Decode; }
  bool is_relative() const override { return relative_; }
  // Decodes into the calling thread's scratch; kMatch when bytes came out.
  InspectOutcome inspect(const MatchContext& ctx, InspectionCursor& cursor, uint32_t search_from,
                         PayloadMatch& result) const override;
  // The decoded bytes of this thread's last successful inspect().
  static const std::vector<uint8_t>& decoded();

 private:
  uint32_t bytes_;
  uint32_t offset_;
  bool relative_;
};

class Base64DataMarker final : public PayloadKeyword {
 public:
  PayloadKind kind() const override { return PayloadKind::kBase64Data; }
  InspectOutcome inspect(const MatchContext&, InspectionCursor&, uint32_t,
                         PayloadMatch&) const override {
    return InspectOutcome::kMatch;
  }
};

}  // namespace seawall::detect
