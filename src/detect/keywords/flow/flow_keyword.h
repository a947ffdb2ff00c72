// The `flow` keyword's compiled form. The engine reads direction() to put a
// rule in the to-server or to-client group, as Suricata sets
// SIG_FLAG_TOSERVER/TOCLIENT from it.
#pragma once

#include <cstdint>

#include "detect/keywords/matcher.h"

namespace seawall::detect {

namespace flow_opt {
inline constexpr uint16_t kToServer = 1u << 0, kToClient = 1u << 1, kEstablished = 1u << 2,
                          kNotEstablished = 1u << 3, kStateless = 1u << 4,
                          kOnlyStream = 1u << 5, kNoStream = 1u << 6, kOnlyFrag = 1u << 7,
                          kNoFrag = 1u << 8;
}

enum class FlowDirection : uint8_t { kBoth, kToServer, kToClient };

class FlowMatcher final : public PacketMatcher {
 public:
  explicit FlowMatcher(uint16_t options) : options_(options) {}
  bool match(const MatchContext& ctx) const override;
  uint16_t options() const { return options_; }
  FlowDirection direction() const {
    if (options_ & flow_opt::kToServer) return FlowDirection::kToServer;
    if (options_ & flow_opt::kToClient) return FlowDirection::kToClient;
    return FlowDirection::kBoth;
  }

 private:
  uint16_t options_;
};

// Suricata's FLOW_PKT_ESTABLISHED: the flow reached the established state,
// or packets were seen both ways (for TCP too, e.g. the SYN/ACK).
bool flow_is_established(const Flow& flow);

// Parses a flow option list ("to_server,established"); throws RuleError.
uint16_t parse_flow_options(std::string_view value);

}  // namespace seawall::detect
