// dsize: size of the packet payload (a packet-level condition).
#include <memory>
#include <string>

#include "detect/keywords/keyword.h"
#include "detect/keywords/payload/payload_util.h"

namespace seawall::detect {

namespace {

class DsizeMatcher final : public PacketMatcher {
 public:
  explicit DsizeMatcher(UintRange r) : range_(r) {}
  bool match(const MatchContext& ctx) const override {
    // Suricata's signature mask: dsize !N, >N, >=N and A<>B need a payload
    // (SIG_MASK_REQUIRE_PAYLOAD), so `dsize:!9` skips empty packets.
    if (ctx.packet.payload_len == 0 && range_.mode == UintRange::Mode::kNe) return false;
    return range_.match(ctx.packet.payload_len);
  }

 private:
  UintRange range_;
};

void setup_dsize(RuleBuilder& b, std::string_view value) {
  // A packet's size: its content is inspected in the packet (Suricata sets
  // SIG_FLAG_REQUIRE_PACKET for dsize).
  if (b.rule().stream_inspection == Rule::StreamInspection::kDefault)
    b.rule().stream_inspection = Rule::StreamInspection::kPacketOnly;
  b.add_packet(std::make_unique<DsizeMatcher>(parse_uint_range("dsize", value, 65535)));
}

const bool kRegistered = register_keyword({
    .name = "dsize",
    .help = "packet payload size: N, <N, >N, <=N, >=N, !N, A<>B",
    .kind = KeywordKind::kPacket,
    .flags = kValueRequired,
    .setup = setup_dsize,
});

}  // namespace

}  // namespace seawall::detect
