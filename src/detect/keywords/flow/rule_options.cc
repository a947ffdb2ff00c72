// Rule-level flow options: noalert, threshold, detection_filter, tag,
// decode-event and stream_size (after Suricata's detect-threshold.c,
// detect-detection-filter.c, detect-tag.c, detect-engine-event.c,
// detect-stream_size.c).
#include "detect/keywords/flow/rule_options.h"

#include <memory>
#include <string>

#include "decode/decode_event.h"
#include "detect/keywords/flow/tag.h"
#include "detect/keywords/keyword.h"
#include "detect/keywords/packet/uint_parse.h"
#include "flow/flow.h"
#include "stream/tcp_reassembly.h"

namespace seawall::detect {

namespace {

// Parses "name value, name value, ..." into the spec; each name once.
ThresholdSpec parse_threshold_like(std::string_view keyword, std::string_view value,
                                   bool with_type) {
  ThresholdSpec spec;
  bool have_type = false, have_track = false, have_count = false, have_seconds = false;
  bool have_multiplier = false, have_unique = false;
  for (std::string_view part : split_trim(value, ',')) {
    size_t sp = part.find_first_of(" \t");
    if (sp == std::string_view::npos) {
      keyword_error(keyword, "expected '<name> <value>', got '" + std::string(part) + "'");
    }
    std::string_view name = part.substr(0, sp);
    std::string_view v = trim(part.substr(sp));
    auto once = [&](bool& seen) {
      if (seen) keyword_error(keyword, "'" + std::string(name) + "' given twice");
      seen = true;
    };
    if (name == "type" && with_type) {
      once(have_type);
      if (v == "limit") spec.type = ThresholdSpec::Type::kLimit;
      else if (v == "threshold") spec.type = ThresholdSpec::Type::kThreshold;
      else if (v == "both") spec.type = ThresholdSpec::Type::kBoth;
      else if (v == "backoff") spec.type = ThresholdSpec::Type::kBackoff;
      else keyword_error(keyword, "invalid type '" + std::string(v) +
                                      "' (limit, threshold, both, backoff)");
    } else if (name == "track") {
      once(have_track);
      if (v == "by_src") spec.track = ThresholdSpec::Track::kBySrc;
      else if (v == "by_dst") spec.track = ThresholdSpec::Track::kByDst;
      else if (v == "by_rule") spec.track = ThresholdSpec::Track::kByRule;
      else if (v == "by_both") spec.track = ThresholdSpec::Track::kByBoth;
      else if (v == "by_flow") spec.track = ThresholdSpec::Track::kByFlow;
      else keyword_error(keyword, "invalid track '" + std::string(v) +
                                      "' (by_src, by_dst, by_rule, by_both, by_flow)");
    } else if (name == "count" || name == "seconds" || (name == "multiplier" && with_type)) {
      bool& seen = name == "count" ? have_count : name == "seconds" ? have_seconds : have_multiplier;
      once(seen);
      uint64_t n = 0;
      if (!parse_u64(v, 0xffffffffu, n) || n == 0) {
        keyword_error(keyword, "invalid " + std::string(name) + " '" + std::string(v) +
                                   "' (expected 1..4294967295)");
      }
      uint32_t& field =
          name == "count" ? spec.count : name == "seconds" ? spec.seconds : spec.multiplier;
      field = static_cast<uint32_t>(n);
    } else if (name == "unique_on" && !with_type) {
      once(have_unique);
      if (v == "src_port") spec.unique_on = ThresholdSpec::UniqueOn::kSrcPort;
      else if (v == "dst_port") spec.unique_on = ThresholdSpec::UniqueOn::kDstPort;
      else keyword_error(keyword, "invalid unique_on '" + std::string(v) + "' (src_port, dst_port)");
    } else {
      keyword_error(keyword, "unknown option '" + std::string(name) + "'");
    }
  }
  if (spec.type == ThresholdSpec::Type::kBackoff) {
    // threshold: type backoff, track by_flow, count N, multiplier M
    if (!have_track || !have_count || !have_multiplier || have_seconds) {
      keyword_error(keyword, "type backoff needs track, count and multiplier (and no seconds)");
    }
    if (spec.track != ThresholdSpec::Track::kByFlow) {
      keyword_error(keyword, "type backoff only supports track by_flow");
    }
    return spec;
  }
  if (have_multiplier) keyword_error(keyword, "multiplier is only valid with type backoff");
  if ((with_type && !have_type) || !have_track || !have_count || !have_seconds) {
    keyword_error(keyword, with_type ? "type, track, count and seconds are all required"
                                     : "track, count and seconds are all required");
  }
  if (!with_type) spec.type = ThresholdSpec::Type::kDetectionFilter;
  return spec;
}

void set_rule_threshold(RuleBuilder& b, std::string_view keyword, const ThresholdSpec& spec) {
  if (b.rule().has_threshold) {
    keyword_error(keyword, b.rule().threshold.type == ThresholdSpec::Type::kDetectionFilter
                               ? "detection_filter and threshold cannot both be used in one rule"
                               : "only one threshold or detection_filter per rule");
  }
  b.rule().has_threshold = true;
  b.rule().threshold = spec;
}

void setup_threshold(RuleBuilder& b, std::string_view value) {
  set_rule_threshold(b, "threshold", parse_threshold_option(value));
}

void setup_detection_filter(RuleBuilder& b, std::string_view value) {
  ThresholdSpec spec = parse_detection_filter_option(value);
  if (spec.unique_on != ThresholdSpec::UniqueOn::kNone) {
    // Suricata refuses unique_on for protocols without ports.
    switch (b.rule().header.proto) {
      case RuleProto::kTcp:
      case RuleProto::kTcpPkt:
      case RuleProto::kTcpStream:
      case RuleProto::kUdp:
      case RuleProto::kSctp:
      case RuleProto::kApp:
        break;
      default:
        keyword_error("detection_filter",
                      "unique_on needs a protocol with ports (tcp, udp or sctp rules)");
    }
  }
  set_rule_threshold(b, "detection_filter", spec);
}

void setup_noalert(RuleBuilder& b, std::string_view value) {
  if (!trim(value).empty()) keyword_error("noalert", "takes no value");
  b.rule().noalert = true;
}

void setup_tag(RuleBuilder& b, std::string_view value) {
  b.add_post(std::make_unique<TagAction>(parse_tag_option(value)));
}

// decode-event:<event> — a decoder anomaly recorded on this packet.
class DecodeEventMatcher final : public PacketMatcher {
 public:
  explicit DecodeEventMatcher(DecodeEvent e) : event_(e) {}
  bool match(const MatchContext& ctx) const override { return ctx.packet.has_event(event_); }

 private:
  DecodeEvent event_;
};

void setup_decode_event(RuleBuilder& b, std::string_view value) {
  std::string_view name = strip_quotes(value);
  DecodeEvent e = decode_event_by_name(name);
  if (e == DecodeEvent::kCount) {
    // Suricata has events this decoder never raises (defrag overlap, CHDLC,
    // AF_PACKET ...): the rule is refused rather than loaded to never match.
    keyword_error("decode-event", "decoder event '" + std::string(name) +
                                      "' is not raised by this decoder");
  }
  b.rule().decode_event = true;
  b.add_packet(std::make_unique<DecodeEventMatcher>(e));
}

// stream_size: compares the session's sequence-number span of a side
// (Suricata's next_seq - isn; "server" is what the server sent). No session
// (UDP, app layer off, session not picked up) never matches.
class StreamSizeMatcher final : public PacketMatcher {
 public:
  explicit StreamSizeMatcher(StreamSizeSpec spec) : spec_(spec) {}
  bool match(const MatchContext& ctx) const override {
    if (ctx.flow == nullptr || !ctx.packet.is_tcp()) return false;
    using Side = StreamSizeSpec::Side;
    uint32_t client = 0, server = 0;
    if (!stream::stream_size(*ctx.flow, stream::StreamDirection::kToServer, client) ||
        !stream::stream_size(*ctx.flow, stream::StreamDirection::kToClient, server))
      return false;
    switch (spec_.side) {
      case Side::kServer: return compare(server);
      case Side::kClient: return compare(client);
      case Side::kBoth: return compare(server) && compare(client);
      case Side::kEither: return compare(server) || compare(client);
    }
    return false;
  }

 private:
  bool compare(uint32_t v) const {
    using Op = StreamSizeSpec::Op;
    switch (spec_.op) {
      case Op::kLt: return v < spec_.size;
      case Op::kLe: return v <= spec_.size;
      case Op::kEq: return v == spec_.size;
      case Op::kNe: return v != spec_.size;
      case Op::kGe: return v >= spec_.size;
      case Op::kGt: return v > spec_.size;
    }
    return false;
  }
  StreamSizeSpec spec_;
};

void setup_stream_size(RuleBuilder& b, std::string_view value) {
  b.add_packet(std::make_unique<StreamSizeMatcher>(parse_stream_size_option(value)));
}

const bool kRegistered = [] {
  register_keyword({.name = "noalert", .help = "the rule never alerts (flowbits setters)",
                    .kind = KeywordKind::kMeta, .flags = kNoValue, .setup = setup_noalert});
  register_keyword({.name = "threshold",
                    .help = "alert thresholding: type limit|threshold|both, track, count, "
                            "seconds; or type backoff, track by_flow, count, multiplier",
                    .kind = KeywordKind::kMeta, .flags = kValueRequired,
                    .setup = setup_threshold});
  register_keyword({.name = "detection_filter",
                    .help = "alert only after count matches in seconds: track, count, seconds"
                            "[, unique_on src_port|dst_port]",
                    .kind = KeywordKind::kMeta, .flags = kValueRequired,
                    .setup = setup_detection_filter});
  register_keyword({.name = "tag",
                    .help = "tag follow-up packets of the session/host: session|host[,<count>,"
                            "packets|bytes|seconds[,src|dst]] (EVE packet records)",
                    .kind = KeywordKind::kPost, .flags = kValueRequired, .setup = setup_tag});
  register_keyword({.name = "decode-event", .help = "match on a decoder anomaly event",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired,
                    .setup = setup_decode_event});
  register_keyword({.name = "stream_size",
                    .help = "match on the stream's byte count by sequence numbers",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired,
                    .setup = setup_stream_size});
  return true;
}();

}  // namespace

ThresholdSpec parse_threshold_option(std::string_view value) {
  return parse_threshold_like("threshold", value, true);
}

ThresholdSpec parse_detection_filter_option(std::string_view value) {
  return parse_threshold_like("detection_filter", value, false);
}

TagSpec parse_tag_option(std::string_view value) {
  auto parts = split_trim(value, ',');
  TagSpec spec;
  if (parts[0] == "session") spec.type = TagSpec::Type::kSession;
  else if (parts[0] == "host") spec.type = TagSpec::Type::kHost;
  else keyword_error("tag", "expected 'session' or 'host', got '" + std::string(parts[0]) + "'");
  if (parts.size() == 1) {
    if (spec.type == TagSpec::Type::kHost) keyword_error("tag", "host needs <count>,<metric>");
    return spec;
  }
  if (parts.size() < 3 || parts.size() > 4) {
    keyword_error("tag", "expected <session|host>[,<count>,<packets|bytes|seconds>[,<src|dst>]]");
  }
  uint64_t n = 0;
  if (!parse_u64(parts[1], 0xffffffffu, n)) {
    keyword_error("tag", "invalid count '" + std::string(parts[1]) + "'");
  }
  spec.count = static_cast<uint32_t>(n);
  if (parts[2] == "packets") spec.metric = TagSpec::Metric::kPackets;
  else if (parts[2] == "bytes") spec.metric = TagSpec::Metric::kBytes;
  else if (parts[2] == "seconds") spec.metric = TagSpec::Metric::kSeconds;
  else keyword_error("tag", "invalid metric '" + std::string(parts[2]) + "' (packets, bytes, seconds)");
  if (parts.size() == 4) {
    if (parts[3] == "src") spec.direction = TagSpec::Direction::kSrc;
    else if (parts[3] == "dst") spec.direction = TagSpec::Direction::kDst;
    else keyword_error("tag", "invalid direction '" + std::string(parts[3]) + "' (src, dst)");
    // Suricata ignores (with a warning) a direction on a session tag.
  }
  return spec;
}

StreamSizeSpec parse_stream_size_option(std::string_view value) {
  auto parts = split_trim(value, ',');
  if (parts.size() != 3) keyword_error("stream_size", "expected <side>,<operator>,<bytes>");
  StreamSizeSpec spec;
  if (parts[0] == "server") spec.side = StreamSizeSpec::Side::kServer;
  else if (parts[0] == "client") spec.side = StreamSizeSpec::Side::kClient;
  else if (parts[0] == "both") spec.side = StreamSizeSpec::Side::kBoth;
  else if (parts[0] == "either") spec.side = StreamSizeSpec::Side::kEither;
  else keyword_error("stream_size", "invalid side '" + std::string(parts[0]) +
                                        "' (server, client, both, either)");
  using Op = StreamSizeSpec::Op;
  if (parts[1] == "<") spec.op = Op::kLt;
  else if (parts[1] == "<=") spec.op = Op::kLe;
  else if (parts[1] == "=") spec.op = Op::kEq;
  else if (parts[1] == "!=") spec.op = Op::kNe;
  else if (parts[1] == ">=") spec.op = Op::kGe;
  else if (parts[1] == ">") spec.op = Op::kGt;
  else keyword_error("stream_size", "invalid operator '" + std::string(parts[1]) + "'");
  uint64_t n = 0;
  if (!parse_u64(parts[2], 0xffffffffu, n)) {
    keyword_error("stream_size", "invalid size '" + std::string(parts[2]) + "'");
  }
  spec.size = static_cast<uint32_t>(n);
  return spec;
}

void TagAction::apply(const MatchContext& ctx) const { tag_start(spec_, ctx); }

}  // namespace seawall::detect
