#include "detect/engine/ip_only.h"

#include <algorithm>
#include <bit>
#include <map>

#include "core/byte_view.h"

namespace seawall::detect {
namespace {

AddressKey family_max(uint8_t family) {
  return family == 6 ? AddressKey{~uint64_t{0}, ~uint64_t{0}} : AddressKey{0, 0xFFFFFFFFu};
}

// key + 1; false when key is the family's last address.
bool next_key(const AddressKey& key, uint8_t family, AddressKey& out) {
  if (key == family_max(family)) return false;
  out = key;
  if (++out.lo == 0) ++out.hi;
  return true;
}

AddressKey prev_key(const AddressKey& key) {
  AddressKey out = key;
  if (out.lo-- == 0) --out.hi;
  return out;
}

AddressInterval prefix_interval(const IpPrefix& prefix) {
  AddressKey first = address_key(prefix.address);
  AddressKey last = first;
  if (prefix.address.is_v4()) {
    unsigned host_bits = 32u - std::min<unsigned>(prefix.length, 32u);
    uint64_t mask = host_bits >= 32 ? 0xFFFFFFFFu : ((uint64_t{1} << host_bits) - 1);
    first.lo &= ~mask & 0xFFFFFFFFu;
    last.lo = first.lo | mask;
  } else {
    unsigned host_bits = 128u - std::min<unsigned>(prefix.length, 128u);
    uint64_t lo_mask = host_bits >= 64 ? ~uint64_t{0} : ((uint64_t{1} << host_bits) - 1);
    uint64_t hi_mask = host_bits <= 64 ? 0
                       : host_bits >= 128 ? ~uint64_t{0}
                                          : ((uint64_t{1} << (host_bits - 64)) - 1);
    first.lo &= ~lo_mask;
    first.hi &= ~hi_mask;
    last.lo = first.lo | lo_mask;
    last.hi = first.hi | hi_mask;
  }
  return {first, last};
}

std::vector<AddressInterval> merge_intervals(std::vector<AddressInterval> v, uint8_t family) {
  std::sort(v.begin(), v.end(),
            [](const AddressInterval& a, const AddressInterval& b) { return a.first < b.first; });
  std::vector<AddressInterval> out;
  for (const AddressInterval& i : v) {
    AddressKey after_last;
    if (!out.empty() && (!next_key(out.back().last, family, after_last) || i.first <= after_last)) {
      out.back().last = std::max(out.back().last, i.last);
    } else {
      out.push_back(i);
    }
  }
  return out;
}

}  // namespace

AddressKey address_key(const IpAddress& a) {
  if (a.is_v4()) return {0, load_be32(a.bytes.data())};
  return {load_be64(a.bytes.data()), load_be64(a.bytes.data() + 8)};
}

std::vector<AddressInterval> address_set_intervals(const AddressSet& set, uint8_t family) {
  std::vector<AddressInterval> include, exclude;
  if (set.any) {
    include.push_back({AddressKey{}, family_max(family)});
  } else {
    for (const IpPrefix& p : set.include)
      if (p.address.family == family) include.push_back(prefix_interval(p));
  }
  for (const IpPrefix& p : set.exclude)
    if (p.address.family == family) exclude.push_back(prefix_interval(p));
  include = merge_intervals(std::move(include), family);
  exclude = merge_intervals(std::move(exclude), family);
  if (exclude.empty()) return include;

  // Sweep: cut each include interval by the sorted excludes.
  std::vector<AddressInterval> out;
  size_t e = 0;
  for (AddressInterval cur : include) {
    while (e < exclude.size() && exclude[e].last < cur.first) ++e;
    size_t k = e;
    bool alive = true;
    while (alive && k < exclude.size() && exclude[k].first <= cur.last) {
      if (exclude[k].first > cur.first) out.push_back({cur.first, prev_key(exclude[k].first)});
      AddressKey resume;
      if (exclude[k].last >= cur.last || !next_key(exclude[k].last, family, resume)) {
        alive = false;
      } else {
        cur.first = resume;
      }
      ++k;
    }
    if (alive) out.push_back(cur);
  }
  return out;
}

const uint64_t* IpOnlyTable::Side::lookup(const AddressKey& key,
                                          const std::vector<uint64_t>& bitsets,
                                          size_t words) const {
  if (breakpoints.empty()) return nullptr;
  auto it = std::upper_bound(breakpoints.begin(), breakpoints.end(), key);
  size_t segment = static_cast<size_t>(it - breakpoints.begin()) - 1;  // breakpoints[0] == 0
  return bitsets.data() + size_t{segment_bitset[segment]} * words;
}

void IpOnlyTable::build(const std::vector<Entry>& entries) {
  rule_of_entry_.clear();
  for (const Entry& e : entries) rule_of_entry_.push_back(e.rule_id);
  words_ = (entries.size() + 63) / 64;
  bitsets_.assign(words_, 0);  // bitset 0: no entry
  for (auto& s : sides_) s = Side{};
  if (entries.empty()) return;
  for (uint8_t family : {uint8_t{4}, uint8_t{6}}) {
    build_side(family, true, entries);
    build_side(family, false, entries);
  }
}

void IpOnlyTable::build_side(uint8_t family, bool source, const std::vector<Entry>& entries) {
  std::vector<std::vector<AddressInterval>> intervals(entries.size());
  std::vector<AddressKey> points{AddressKey{}};
  for (size_t i = 0; i < entries.size(); ++i) {
    intervals[i] = address_set_intervals(source ? *entries[i].src : *entries[i].dst, family);
    for (const AddressInterval& iv : intervals[i]) {
      points.push_back(iv.first);
      AddressKey after;
      if (next_key(iv.last, family, after)) points.push_back(after);
    }
  }
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());

  const size_t segments = points.size();
  std::vector<uint64_t> bits(segments * words_, 0);
  auto index_of = [&](const AddressKey& k) {
    return static_cast<size_t>(std::lower_bound(points.begin(), points.end(), k) - points.begin());
  };
  for (size_t i = 0; i < entries.size(); ++i) {
    for (const AddressInterval& iv : intervals[i]) {
      size_t from = index_of(iv.first);
      AddressKey after;
      size_t to = next_key(iv.last, family, after) ? index_of(after) : segments;
      for (size_t s = from; s < to; ++s) bits[s * words_ + i / 64] |= uint64_t{1} << (i % 64);
    }
  }

  // Merge neighbours with equal bitsets, then share identical bitsets globally.
  Side& out = side(family, source);
  std::map<std::vector<uint64_t>, uint32_t> known;
  for (size_t b = 0; b * words_ < bitsets_.size(); ++b)
    known.emplace(std::vector<uint64_t>(bitsets_.begin() + static_cast<long>(b * words_),
                                        bitsets_.begin() + static_cast<long>((b + 1) * words_)),
                  static_cast<uint32_t>(b));
  for (size_t s = 0; s < segments; ++s) {
    auto first = bits.begin() + static_cast<long>(s * words_);
    if (s > 0 && std::equal(first, first + static_cast<long>(words_),
                            first - static_cast<long>(words_)))
      continue;
    std::vector<uint64_t> key(first, first + static_cast<long>(words_));
    auto [it, inserted] = known.emplace(std::move(key), static_cast<uint32_t>(bitsets_.size() / words_));
    if (inserted) bitsets_.insert(bitsets_.end(), it->first.begin(), it->first.end());
    out.breakpoints.push_back(points[s]);
    out.segment_bitset.push_back(it->second);
  }
}

void IpOnlyTable::match(const IpAddress& src, const IpAddress& dst, CandidateSet& out) const {
  if (words_ == 0 || src.family != dst.family || (src.family != 4 && src.family != 6)) return;
  const uint64_t* a = side(src.family, true).lookup(address_key(src), bitsets_, words_);
  const uint64_t* b = side(src.family, false).lookup(address_key(dst), bitsets_, words_);
  if (!a || !b) return;
  for (size_t w = 0; w < words_; ++w) {
    uint64_t m = a[w] & b[w];
    while (m) {
      size_t entry = w * 64 + static_cast<size_t>(std::countr_zero(m));
      m &= m - 1;
      out.insert(rule_of_entry_[entry]);
    }
  }
}

size_t IpOnlyTable::segment_count() const {
  size_t n = 0;
  for (const Side& s : sides_) n += s.breakpoints.size();
  return n;
}

size_t IpOnlyTable::distinct_bitsets() const { return words_ ? bitsets_.size() / words_ : 0; }

size_t IpOnlyTable::memory_bytes() const {
  size_t n = bitsets_.size() * sizeof(uint64_t) + rule_of_entry_.size() * sizeof(uint32_t);
  for (const Side& s : sides_)
    n += s.breakpoints.size() * sizeof(AddressKey) + s.segment_bitset.size() * sizeof(uint32_t);
  return n;
}

}  // namespace seawall::detect
