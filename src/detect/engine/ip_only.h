// IP-only rules (protocol ip, header addresses only: the CINS, compromised and
// Tor lists of ET Open) matched by prefix lookup instead of a scan over lists.
// Each address family and side (source, destination) is a sorted interval map:
// elementary address ranges -> a bitset of IP-only entries containing them.
// A packet costs one binary search per side and an AND of two bitsets.
#pragma once

#include <cstdint>
#include <vector>

#include "core/ip_address.h"
#include "detect/mpm/mpm.h"
#include "detect/rules/rule.h"

namespace seawall::detect {

// 128-bit address key (IPv4 in the low 32 bits) with ordering.
struct AddressKey {
  uint64_t hi = 0, lo = 0;
  friend bool operator==(const AddressKey&, const AddressKey&) = default;
  friend auto operator<=>(const AddressKey&, const AddressKey&) = default;
};
AddressKey address_key(const IpAddress& a);

// Inclusive address range of one family.
struct AddressInterval {
  AddressKey first, last;
};

// The disjoint, sorted intervals of `family` (4 or 6) an AddressSet matches:
// includes (or everything when `any`) minus excludes.
std::vector<AddressInterval> address_set_intervals(const AddressSet& set, uint8_t family);

class IpOnlyTable {
 public:
  // One (source, destination) pair of a rule; a bidirectional rule adds a
  // second entry with the sides swapped.
  struct Entry {
    const AddressSet* src = nullptr;
    const AddressSet* dst = nullptr;
    uint32_t rule_id = 0;
  };

  void build(const std::vector<Entry>& entries);

  // Inserts every rule with an entry matching (src, dst) into out.
  void match(const IpAddress& src, const IpAddress& dst, CandidateSet& out) const;

  size_t entry_count() const { return rule_of_entry_.size(); }
  size_t segment_count() const;        // elementary ranges over both sides and families
  size_t distinct_bitsets() const;     // after sharing identical bitsets
  size_t memory_bytes() const;

 private:
  // One side of one family: breakpoints[i] starts segment i, which maps to
  // bitset index segment_bitset[i] (into bitsets_, words_ words each).
  struct Side {
    std::vector<AddressKey> breakpoints;
    std::vector<uint32_t> segment_bitset;
    const uint64_t* lookup(const AddressKey& key, const std::vector<uint64_t>& bitsets,
                           size_t words) const;
  };
  Side& side(uint8_t family, bool source) { return sides_[(family == 6 ? 2 : 0) + (source ? 0 : 1)]; }
  const Side& side(uint8_t family, bool source) const {
    return sides_[(family == 6 ? 2 : 0) + (source ? 0 : 1)];
  }
  void build_side(uint8_t family, bool source, const std::vector<Entry>& entries);

  Side sides_[4];  // v4 src, v4 dst, v6 src, v6 dst
  size_t words_ = 0;
  std::vector<uint64_t> bitsets_;  // deduplicated, words_ each; bitset 0 is all-zero
  std::vector<uint32_t> rule_of_entry_;
};

}  // namespace seawall::detect
