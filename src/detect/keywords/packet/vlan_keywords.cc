// VLAN keywords (Suricata 8's detect-vlan.c, docs rules/vlan-keywords):
//   vlan.id:[op]id[,layer]  16-bit condition on the VLAN ids (0..4095); by
//       default any layer may match; layer 0..2 picks one (outermost first),
//       -1..-3 counts from the innermost, "all" needs every layer to match,
//       "any" is the default. Packets without VLAN never match.
//   vlan.layers:[op]n       8-bit condition on the number of VLAN layers (0..3).
#include <memory>
#include <string>

#include "detect/keywords/keyword.h"
#include "detect/keywords/packet/field_matcher.h"
#include "detect/keywords/packet/uint_parse.h"

namespace seawall::detect {
namespace {

constexpr uint64_t kMaxVlanId = 4095;

class VlanIdMatcher final : public PacketMatcher {
 public:
  // layer: 0..2, -1..-3, or kAny / kAll.
  static constexpr int kAny = 100, kAll = 101;
  VlanIdMatcher(UintCondition cond, int layer) : cond_(cond), layer_(layer) {}

  bool match(const MatchContext& ctx) const override {
    const Packet& p = ctx.packet;
    const int count = p.vlan_count < kMaxVlanLayers ? p.vlan_count : kMaxVlanLayers;
    if (count == 0) return false;
    switch (layer_) {
      case kAny:
        for (int i = 0; i < count; ++i)
          if (cond_.match(p.vlan[static_cast<size_t>(i)])) return true;
        return false;
      case kAll:
        for (int i = 0; i < count; ++i)
          if (!cond_.match(p.vlan[static_cast<size_t>(i)])) return false;
        return true;
      default: {
        const int index = layer_ < 0 ? count + layer_ : layer_;
        if (index < 0 || index >= count) return false;
        return cond_.match(p.vlan[static_cast<size_t>(index)]);
      }
    }
  }

 private:
  UintCondition cond_;
  int layer_;
};

void setup_vlan_id(RuleBuilder& b, std::string_view value) {
  std::vector<std::string_view> parts = split_trim(strip_quotes(value), ',');
  if (parts.empty() || parts.size() > 2 || parts[0].empty()) {
    keyword_error("vlan.id", "expected '[op]id[,layer]' but got '" + std::string(value) + "'");
  }
  UintCondition cond = parse_uint_condition(parts[0], kMaxVlanId, "vlan.id");
  int layer = VlanIdMatcher::kAny;
  if (parts.size() == 2) {
    std::string_view l = parts[1];
    if (iequals(l, "any")) {
      layer = VlanIdMatcher::kAny;
    } else if (iequals(l, "all")) {
      layer = VlanIdMatcher::kAll;
    } else {
      const bool negative = !l.empty() && l.front() == '-';
      uint64_t n = 0;
      const uint64_t limit = negative ? kMaxVlanLayers : kMaxVlanLayers - 1;
      if (!parse_u64(negative ? l.substr(1) : l, limit, n) || (negative && n == 0)) {
        keyword_error("vlan.id", "invalid layer '" + std::string(l) +
                                     "' (expected 0..2, -1..-3, any or all)");
      }
      layer = negative ? -static_cast<int>(n) : static_cast<int>(n);
    }
  }
  b.add_packet(std::make_unique<VlanIdMatcher>(cond, layer));
}

void setup_vlan_layers(RuleBuilder& b, std::string_view value) {
  UintCondition cond = parse_uint_condition(strip_quotes(value), kMaxVlanLayers, "vlan.layers");
  b.add_packet(std::make_unique<FieldMatcher>(
      [](const Packet& p, uint64_t& v) {
        v = p.vlan_count;
        return true;
      },
      cond));
}

const bool kRegistered = [] {
  register_keyword({.name = "vlan.id",
                    .help = "match on VLAN ids: [op]id[,layer] (layer 0..2, -1..-3, any, all)",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired,
                    .setup = setup_vlan_id});
  register_keyword({.name = "vlan.layers", .help = "match on the number of VLAN layers (0..3)",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired,
                    .setup = setup_vlan_layers});
  return true;
}();

}  // namespace
}  // namespace seawall::detect
