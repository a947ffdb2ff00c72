// flow: to_server to_client from_server from_client established
// not_established stateless only_stream no_stream only_frag no_frag, with
// Suricata's conflict errors (detect-flow.c). only_stream / no_stream are
// not packet conditions: they choose how the rule's payload content is
// inspected (Rule::stream_inspection, applied by the engine).
#include "detect/keywords/flow/flow_keyword.h"

#include <memory>
#include <string>

#include "detect/keywords/keyword.h"
#include "detect/keywords/packet/uint_parse.h"
#include "flow/flow.h"

namespace seawall::detect {

bool flow_is_established(const Flow& flow) {
  return flow.state == FlowState::kEstablished || (flow.seen_toserver && flow.seen_toclient);
}

bool FlowMatcher::match(const MatchContext& ctx) const {
  using namespace flow_opt;
  const Packet& p = ctx.packet;
  const Flow* f = ctx.flow;
  bool reassembled = p.source == PacketSource::kDefrag;
  if ((options_ & kNoFrag) && reassembled) return false;
  if ((options_ & kOnlyFrag) && !reassembled) return false;
  if (options_ & (kToServer | kToClient)) {
    if (f == nullptr) return false;  // direction is a flow property
    if ((options_ & kToServer) && !ctx.to_server()) return false;
    if ((options_ & kToClient) && ctx.to_server()) return false;
  }
  if (options_ & kEstablished) {
    if (f == nullptr || !flow_is_established(*f)) return false;
  }
  if (options_ & kNotEstablished) {
    if (f != nullptr && flow_is_established(*f)) return false;
  }
  return true;
}

uint16_t parse_flow_options(std::string_view value) {
  using namespace flow_opt;
  auto parts = split_trim(value, ',');
  if (parts.size() > 3) keyword_error("flow", "at most three options are allowed");
  uint16_t opts = 0;
  // Each option with the options it conflicts with (detect-flow.c).
  struct Option {
    std::string_view name;
    uint16_t flag;
    uint16_t conflicts;
  };
  static constexpr Option kOptions[] = {
      {"established", kEstablished, kNotEstablished | kStateless},
      {"not_established", kNotEstablished, kEstablished},
      {"stateless", kStateless, kEstablished},
      {"to_client", kToClient, kToServer},
      {"from_server", kToClient, kToServer},
      {"to_server", kToServer, kToClient},
      {"from_client", kToServer, kToClient},
      {"only_stream", kOnlyStream, kNoStream},
      {"no_stream", kNoStream, kOnlyStream},
      {"only_frag", kOnlyFrag, kNoFrag},
      {"no_frag", kNoFrag, kOnlyFrag},
  };
  for (std::string_view part : parts) {
    if (part.empty()) keyword_error("flow", "empty option");
    const Option* found = nullptr;
    for (const auto& o : kOptions) {
      if (iequals(part, o.name)) found = &o;
    }
    if (found == nullptr) keyword_error("flow", "invalid flow option '" + std::string(part) + "'");
    if (opts & found->flag) keyword_error("flow", "option '" + std::string(part) + "' is already set");
    if (opts & found->conflicts) {
      keyword_error("flow", "option '" + std::string(part) + "' conflicts with an earlier option");
    }
    opts |= found->flag;
  }
  return opts;
}

namespace {

void setup_flow(RuleBuilder& b, std::string_view value) {
  for (const auto& m : b.rule().packet_matchers) {
    if (dynamic_cast<const FlowMatcher*>(m.get()) != nullptr) {
      keyword_error("flow", "a rule may have only one flow option");
    }
  }
  const uint16_t opts = parse_flow_options(value);
  if (opts & flow_opt::kOnlyStream) b.rule().stream_inspection = Rule::StreamInspection::kStreamOnly;
  if (opts & flow_opt::kNoStream) b.rule().stream_inspection = Rule::StreamInspection::kPacketOnly;
  b.add_packet(std::make_unique<FlowMatcher>(opts));
}

const bool kRegistered = register_keyword(
    {.name = "flow",
     .help = "match on flow direction and state (to_server, established, no_frag, ...)",
     .kind = KeywordKind::kPacket, .flags = kValueRequired, .setup = setup_flow});

}  // namespace
}  // namespace seawall::detect
