// bsize: size of the current sticky buffer ("=N", "<N", ">N", "A<>B", ...).
#include <memory>
#include <string>

#include "detect/buffers/buffer_registry.h"
#include "detect/keywords/keyword.h"
#include "detect/keywords/payload/payload_keyword.h"
#include "detect/keywords/payload/payload_util.h"

namespace seawall::detect {

namespace {

class BsizeMatcher final : public PayloadKeyword {
 public:
  explicit BsizeMatcher(UintRange r) : range_(r) {}
  // The whole buffer is known here, so a failure is final (Suricata's -1).
  InspectOutcome inspect(const MatchContext&, InspectionCursor& c, uint32_t,
                         PayloadMatch& r) const override {
    r.start = r.end = c.prev_end;
    return range_.match(c.len) ? InspectOutcome::kMatch : InspectOutcome::kDiscontinue;
  }

 private:
  UintRange range_;
};

void setup_bsize(RuleBuilder& b, std::string_view value) {
  if (!b.has_explicit_buffer() || b.current_inspection().buffer_id == kPktDataBuffer)
    throw RuleError("bsize: needs a sticky buffer");
  b.add_payload(std::make_unique<BsizeMatcher>(parse_uint_range("bsize", value, UINT64_MAX)));
}

const bool kRegistered = register_keyword({
    .name = "bsize",
    .help = "size of the current sticky buffer: N, <N, >N, <=N, >=N, !N, A<>B",
    .kind = KeywordKind::kPayload,
    .flags = kValueRequired,
    .setup = setup_bsize,
});

}  // namespace

}  // namespace seawall::detect
