// Shared by the transform keywords.
#pragma once

#include <memory>
#include <string_view>

#include "detect/keywords/keyword.h"

namespace seawall::detect {

// RuleBuilder::add_transform enforces Suricata's rules (a transform must
// follow a sticky buffer other than pkt_data; at most 16 per buffer).
inline void add_checked_transform(RuleBuilder& b, std::string_view,
                                  std::shared_ptr<const Transform> t) {
  b.add_transform(std::move(t));
}

}  // namespace seawall::detect
