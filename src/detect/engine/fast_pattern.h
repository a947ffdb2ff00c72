// Fast-pattern selection (Suricata's RetrieveFPForSig): the one content per
// rule the Vectorscan prefilter searches for.
#pragma once

#include <cstdint>
#include <string_view>

#include "detect/rules/rule.h"

namespace seawall::detect {

// Suricata's PatternStrength: byte diversity score, the tie-break between
// contents of equal length.
uint32_t pattern_strength(std::string_view pattern);

// Prefilter priority of a buffer (higher wins): application-layer buffers
// before pkt_data, as in Suricata's default buffer priorities.
int buffer_fast_pattern_priority(uint16_t buffer_id);

// The rule's fast pattern: the author's (rule.fast_pattern, set by the
// fast_pattern modifier) when present; otherwise the longest positive content
// of the highest-priority buffer (ties: pattern strength, then first
// written), preferring buffers without transforms and falling back to
// transformed ones (the prefilter then scans the transformed buffer).
// Returns present=false when nothing can prefilter (no content, or only
// negated ones): the rule is then checked on every packet of its group.
// `owner`, when given, receives the inspection holding the pattern (its
// transforms are the ones the prefilter applies), or nullptr when unknown.
FastPattern select_fast_pattern(const Rule& rule, const BufferInspection** owner = nullptr);

}  // namespace seawall::detect
