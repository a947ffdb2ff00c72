// Parsers of the rule-level flow options, exposed for the engine and tests:
// threshold / detection_filter (into Rule::threshold) and tag.
#pragma once

#include <cstdint>
#include <string_view>

#include "detect/keywords/matcher.h"
#include "detect/rules/rule.h"

namespace seawall::detect {

// "type limit, track by_src, count 1, seconds 60" (all four, any order).
ThresholdSpec parse_threshold_option(std::string_view value);
// "track by_src, count 10, seconds 60" (all three, any order), optionally
// "unique_on src_port|dst_port" (count distinct ports, Suricata 9).
ThresholdSpec parse_detection_filter_option(std::string_view value);

// tag:session[,<count>,<metric>] | tag:host,<count>,<metric>[,src|dst]
struct TagSpec {
  enum class Type : uint8_t { kSession, kHost } type = Type::kSession;
  enum class Metric : uint8_t { kPackets, kBytes, kSeconds } metric = Metric::kPackets;
  enum class Direction : uint8_t { kSrc, kDst } direction = Direction::kDst;  // host only
  uint32_t count = 256;  // Suricata's default: 256 packets
};
TagSpec parse_tag_option(std::string_view value);

// Starts (or restarts) the tag of the session or host (keywords/flow/tag.h);
// DetectThread::inspect marks the follow-up packets it covers.
class TagAction final : public PostMatcher {
 public:
  explicit TagAction(TagSpec spec) : spec_(spec) {}
  void apply(const MatchContext& ctx) const override;
  const TagSpec& spec() const { return spec_; }

 private:
  TagSpec spec_;
};

// stream_size:<server|client|both|either>,<op>,<bytes>.
struct StreamSizeSpec {
  enum class Side : uint8_t { kServer, kClient, kBoth, kEither } side = Side::kServer;
  enum class Op : uint8_t { kLt, kLe, kEq, kNe, kGe, kGt } op = Op::kEq;
  uint32_t size = 0;
};
StreamSizeSpec parse_stream_size_option(std::string_view value);

}  // namespace seawall::detect
