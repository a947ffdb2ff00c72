// stream-event, app-layer-protocol and app-layer-event: conditions on what
// the stream stage and the app layer found for the packet's flow.
#include <memory>
#include <string>

#include "applayer/app_layer.h"
#include "detect/keywords/keyword.h"
#include "detect/keywords/packet/uint_parse.h"
#include "detect/rules/option_value.h"
#include "detect/rules/rule_parser.h"
#include "stream/stream_event.h"

namespace seawall::detect {
namespace {

class StreamEventMatcher final : public PacketMatcher {
 public:
  explicit StreamEventMatcher(stream::StreamEvent e) : event_(e) {}
  bool match(const MatchContext& ctx) const override {
    return stream::has_stream_event(ctx.packet, event_);
  }

 private:
  stream::StreamEvent event_;
};

void setup_stream_event(RuleBuilder& b, std::string_view value) {
  const std::string name(strip_quotes(value));
  const stream::StreamEvent e = stream::stream_event_by_name(name);
  if (e == stream::StreamEvent::kCount)
    throw RuleError("stream-event: unknown stream event '" + name + "'");
  b.add_packet(std::make_unique<StreamEventMatcher>(e));
}

// app-layer-protocol:[!]<proto>[,<mode>]: the flow's protocol (final), the
// first one detected (original), either, or the one of the packet's direction.
class AppProtoMatcher final : public PacketMatcher {
 public:
  enum class Mode : uint8_t { kFinal, kOriginal, kEither, kDirection, kToServer, kToClient };
  AppProtoMatcher(std::string name, bool negated, Mode mode)
      : name_(std::move(name)), negated_(negated), mode_(mode) {}
  bool match(const MatchContext& ctx) const override {
    if (ctx.flow == nullptr) return false;
    const Flow& f = *ctx.flow;
    // Resolved at match time: protocols register at static init, rules may
    // be parsed before every protocol library's initialisers ran.
    const AppProto id = find_app_proto(name_);
    if (id == kAppProtoUnknown) return negated_ && f.app_proto != kAppProtoUnknown;
    bool hit = false;
    const AppProto original = f.app_proto_orig != kAppProtoUnknown ? f.app_proto_orig : f.app_proto;
    switch (mode_) {
      case Mode::kFinal: hit = f.app_proto == id; break;
      case Mode::kOriginal: hit = original == id; break;
      case Mode::kEither: hit = f.app_proto == id || original == id; break;
      case Mode::kDirection:
        hit = (ctx.to_server() ? f.app_proto_ts : f.app_proto_tc) == id;
        break;
      case Mode::kToServer: hit = f.app_proto_ts == id; break;
      case Mode::kToClient: hit = f.app_proto_tc == id; break;
    }
    // A negated match needs a decision: nothing is known before detection.
    if (negated_) return f.app_proto != kAppProtoUnknown && !hit;
    return hit;
  }

 private:
  std::string name_;
  bool negated_;
  Mode mode_;
};

void setup_app_layer_protocol(RuleBuilder& b, std::string_view value) {
  auto parts = split_trim(value, ',');
  std::string_view proto = parts.empty() ? std::string_view{} : parts[0];
  bool negated = false;
  if (!proto.empty() && proto.front() == '!') {
    negated = true;
    proto = trim(proto.substr(1));
  }
  if (proto.empty() || parts.size() > 2)
    throw RuleError("app-layer-protocol: expected [!]<protocol>[,<mode>]");
  AppProtoMatcher::Mode mode = AppProtoMatcher::Mode::kFinal;
  if (parts.size() == 2) {
    const std::string_view m = parts[1];
    if (m == "final") mode = AppProtoMatcher::Mode::kFinal;
    else if (m == "original") mode = AppProtoMatcher::Mode::kOriginal;
    else if (m == "either") mode = AppProtoMatcher::Mode::kEither;
    else if (m == "direction") mode = AppProtoMatcher::Mode::kDirection;
    else if (m == "to_server") mode = AppProtoMatcher::Mode::kToServer;
    else if (m == "to_client") mode = AppProtoMatcher::Mode::kToClient;
    else throw RuleError("app-layer-protocol: invalid mode '" + std::string(m) + "'");
  }
  std::string name(canonical_app_proto(to_lower_ascii(proto)));
  b.add_packet(std::make_unique<AppProtoMatcher>(std::move(name), negated, mode));
}

// app-layer-event:<proto>.<event>: the transaction being inspected raised it.
class AppEventMatcher final : public PacketMatcher {
 public:
  explicit AppEventMatcher(std::string event) : event_(std::move(event)) {}
  bool match(const MatchContext& ctx) const override {
    if (ctx.tx == nullptr) return false;
    for (uint8_t i = 0; i < ctx.tx->event_count; ++i) {
      const std::string_view e = ctx.tx->events[i];
      if (e.size() != event_.size()) continue;
      bool same = true;
      for (size_t k = 0; k < e.size() && same; ++k)
        same = (e[k] | 0x20) == (event_[k] | 0x20);
      if (same) return true;
    }
    return false;
  }

 private:
  std::string event_;
};

void setup_app_layer_event(RuleBuilder& b, std::string_view value) {
  const std::string text(strip_quotes(value));
  const size_t dot = text.find('.');
  if (text.empty() || text.find_first_of(" ,") != std::string::npos)
    throw RuleError("app-layer-event: invalid event name '" + text + "'");
  if (dot == std::string::npos) {
    // Protocol-detection events (applayer_mismatch_protocol_both_directions,
    // ...) are not raised by this engine.
    throw RuleUnsupported("app-layer-event: protocol-detection event '" + text +
                          "' is not raised yet");
  }
  const std::string proto(canonical_app_proto(to_lower_ascii(text.substr(0, dot))));
  if (find_app_proto(proto) == kAppProtoUnknown)
    throw RuleUnsupported("app-layer-event: no " + proto + " parser");
  b.require_app_proto(proto);
  b.add_packet(std::make_unique<AppEventMatcher>(text.substr(dot + 1)));
}

const bool kRegistered = [] {
  register_keyword({.name = "stream-event", .help = "match on a TCP stream engine event",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired,
                    .setup = setup_stream_event});
  register_keyword({.name = "app-layer-protocol",
                    .help = "match on the detected application protocol: [!]proto[,mode]",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired,
                    .setup = setup_app_layer_protocol});
  register_keyword({.name = "app-layer-event",
                    .help = "match on an application-layer parser event: proto.event",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired,
                    .setup = setup_app_layer_event});
  return true;
}();

}  // namespace
}  // namespace seawall::detect
