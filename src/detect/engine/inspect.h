// Payload inspection of one buffer: the rule's transforms, then its content /
// pcre / byte_* / isdataat / bsize / base64 keywords in rule order with
// Suricata's recursive backtracking (DetectEngineContentInspection).
#pragma once

#include <cstdint>

#include "core/byte_view.h"
#include "detect/keywords/matcher.h"
#include "detect/rules/rule.h"

namespace seawall::detect {

// Suricata's detect.inspection-recursion-limit default.
inline constexpr uint32_t kInspectionRecursionLimit = 3000;

// True when every keyword of `insp` matches data[0,len). `vars` holds the
// rule's byte_extract/byte_math slots (rule.byte_var_count entries; may be
// null when the rule has none). No allocation once the per-thread transform
// scratch has grown to the largest buffer seen.
bool inspect_buffer(const MatchContext& ctx, const BufferInspection& insp, const uint8_t* data,
                    uint32_t len, int64_t* vars);

// Applies insp.transforms to data[0,len) into per-thread scratch; returns the
// bytes to inspect (data itself when there are no transforms). The view stays
// valid until the calling thread's next call.
ByteView transform_buffer(const BufferInspection& insp, const uint8_t* data, uint32_t len);

// Raw stream inspection: window position of the first byte of the match this
// thread's last successful stream-window inspect_buffer() call accepted.
uint32_t last_stream_match_start();

// Recursion count of this thread's last inspect_buffer() call (for tests and
// profiling).
uint32_t last_inspection_recursion_count();

}  // namespace seawall::detect
