// pcrexform:"<regex>": the buffer becomes the regex's first capture group
// (unchanged when the regex does not match).
#include <memory>
#include <string>

#include "detect/keywords/keyword.h"
#include "detect/keywords/payload/pcre.h"
#include "detect/keywords/payload/payload_util.h"
#include "detect/keywords/transforms/transform_util.h"

namespace seawall::detect {

namespace {

class Pcrexform final : public Transform {
 public:
  explicit Pcrexform(std::string_view pattern) : regex_("pcrexform", pattern, 0, false) {
    if (regex_.capture_count() == 0)
      throw RuleError("pcrexform: regex needs at least one capture group");
  }
  void apply(std::span<const uint8_t> in, std::vector<uint8_t>& out) const override {
    out.clear();
    const int rc = regex_.match(in.data(), static_cast<uint32_t>(in.size()), 0);
    const PCRE2_SIZE* ov = CompiledRegex::ovector();
    if (rc >= 2 || rc == 0) {
      if (ov[2] != PCRE2_UNSET && ov[3] >= ov[2] && ov[3] <= in.size()) {
        out.assign(in.begin() + static_cast<std::ptrdiff_t>(ov[2]),
                   in.begin() + static_cast<std::ptrdiff_t>(ov[3]));
        return;
      }
    }
    out.assign(in.begin(), in.end());
  }
  std::string_view name() const override { return "pcrexform"; }

 private:
  CompiledRegex regex_;
};

void setup_pcrexform(RuleBuilder& b, std::string_view value) {
  std::string_view v = trim_ws(value);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  if (v.empty()) throw RuleError("pcrexform: empty regex");
  add_checked_transform(b, "pcrexform", std::make_shared<Pcrexform>(v));
}

const bool kRegistered = register_keyword({
    .name = "pcrexform",
    .help = "replace the buffer by the first capture of a regex",
    .kind = KeywordKind::kTransform,
    .flags = kValueRequired,
    .setup = setup_pcrexform,
});

}  // namespace

}  // namespace seawall::detect
