#include "detect/rules/rule.h"

#include <algorithm>

namespace seawall::detect {

std::string_view action_name(Action a) {
  switch (a) {
    case Action::kAlert: return "alert";
    case Action::kPass: return "pass";
    case Action::kDrop: return "drop";
    case Action::kReject: return "reject";
    case Action::kRejectSrc: return "rejectsrc";
    case Action::kRejectDst: return "rejectdst";
    case Action::kRejectBoth: return "rejectboth";
  }
  return "alert";
}

bool IpPrefix::contains(const IpAddress& a) const {
  if (a.family != address.family || a.family == 0) return false;
  const unsigned bits = std::min<unsigned>(length, a.is_v4() ? 32u : 128u);
  const unsigned full_bytes = bits / 8;
  for (unsigned i = 0; i < full_bytes; ++i) {
    if (a.bytes[i] != address.bytes[i]) return false;
  }
  const unsigned rest = bits % 8;
  if (rest == 0) return true;
  const uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a.bytes[full_bytes] & mask) == (address.bytes[full_bytes] & mask);
}

bool AddressSet::contains(const IpAddress& a) const {
  bool in = any;
  if (!in) {
    for (const IpPrefix& p : include) {
      if (p.contains(a)) {
        in = true;
        break;
      }
    }
  }
  if (!in) return false;
  for (const IpPrefix& p : exclude) {
    if (p.contains(a)) return false;
  }
  return true;
}

bool PortSet::contains(uint16_t port) const {
  bool in = any;
  if (!in) {
    for (const PortRange& r : include) {
      if (port >= r.lo && port <= r.hi) {
        in = true;
        break;
      }
    }
  }
  if (!in) return false;
  for (const PortRange& r : exclude) {
    if (port >= r.lo && port <= r.hi) return false;
  }
  return true;
}

}  // namespace seawall::detect
