// A PacketMatcher that reads one numeric header field and tests it with a
// UintCondition: the shape of ttl, id, window, itype, icode, tcp.mss ...
#pragma once

#include <cstdint>

#include "detect/keywords/matcher.h"
#include "detect/keywords/packet/uint_parse.h"

namespace seawall::detect {

// Reads the field; false when the packet does not have it (wrong protocol,
// truncated header): the keyword then does not match.
using FieldGetter = bool (*)(const Packet& p, uint64_t& value);

class FieldMatcher final : public PacketMatcher {
 public:
  FieldMatcher(FieldGetter get, UintCondition cond) : get_(get), cond_(cond) {}
  bool match(const MatchContext& ctx) const override {
    uint64_t v = 0;
    return get_(ctx.packet, v) && cond_.match(v);
  }
  const UintCondition& condition() const { return cond_; }

 private:
  FieldGetter get_;
  UintCondition cond_;
};

}  // namespace seawall::detect
