// isdataat:[!]<n>[,relative][,rawbytes] — is there data at that position?
#include <memory>
#include <string>

#include "detect/keywords/keyword.h"
#include "detect/keywords/payload/payload_keyword.h"
#include "detect/keywords/payload/payload_util.h"

namespace seawall::detect {

namespace {

class IsdataatMatcher final : public PayloadKeyword {
 public:
  NumberOrVar value;
  bool negated_flag = false;
  bool relative = false;

  bool is_relative() const override { return relative; }
  // Port of the DETECT_ISDATAAT branch of DetectEngineContentInspection.
  InspectOutcome inspect(const MatchContext&, InspectionCursor& c, uint32_t,
                         PayloadMatch& r) const override {
    r.start = r.end = c.prev_end;
    const auto hit = InspectOutcome::kMatch;
    const auto miss = value.is_var ? InspectOutcome::kNoMatch : InspectOutcome::kDiscontinue;
    uint64_t dataat = static_cast<uint64_t>(value.get(c.vars));
    if (value.is_var && dataat >= 100000000)
      return negated_flag ? hit : InspectOutcome::kNoMatch;
    if (relative) {
      if (c.prev_end + dataat > c.len) return negated_flag ? hit : miss;
      return negated_flag ? InspectOutcome::kNoMatch : hit;
    }
    if (dataat < c.len) return negated_flag ? miss : hit;
    return negated_flag ? hit : miss;
  }
};

void setup_isdataat(RuleBuilder& b, std::string_view value) {
  auto args = split_options(value);
  auto m = std::make_unique<IsdataatMatcher>();
  std::string_view v = args[0];
  if (!v.empty() && v[0] == '!') {
    m->negated_flag = true;
    v = trim_ws(v.substr(1));
  }
  m->value = parse_number_or_var(b, "isdataat", "position", v, 0, 65535);
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "relative") m->relative = true;
    else if (args[i] == "rawbytes") continue;
    else throw RuleError("isdataat: unknown option '" + std::string(args[i]) + "'");
  }
  if (m->relative) add_relative_payload(b, std::move(m));
  else b.add_payload(std::move(m));
}

const bool kRegistered = register_keyword({
    .name = "isdataat",
    .help = "is there data at <n> (absolute, or after the previous match with relative)",
    .kind = KeywordKind::kPayload,
    .flags = kValueRequired,
    .setup = setup_isdataat,
});

}  // namespace

}  // namespace seawall::detect
