#include "detect/engine/thresholds.h"

#include <algorithm>

#include "core/hash.h"

namespace seawall::detect {
namespace {

constexpr size_t kMaxProbe = 16;

uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h;
}

uint64_t hash_address(uint64_t h, const IpAddress& a) {
  uint64_t w0 = 0, w1 = 0;
  for (int i = 0; i < 8; ++i) {
    w0 = (w0 << 8) | a.bytes[static_cast<size_t>(i)];
    w1 = (w1 << 8) | a.bytes[static_cast<size_t>(i + 8)];
  }
  return mix(mix(mix(h, w0), w1), a.family);
}

}  // namespace

bool ThresholdTracker::backoff_step(Entry& e, const ThresholdSpec& spec) {
  if (e.count != e.next_alert) return false;
  // Next: count * multiplier^k; past the counter's range there is no next.
  const uint64_t next = e.next_alert * std::max<uint64_t>(spec.multiplier, 1);
  e.next_alert = next > e.next_alert && next <= UINT32_MAX ? next : uint64_t{UINT32_MAX} + 1;
  return true;
}

ThresholdTracker::ThresholdTracker(size_t capacity) : table_(capacity < 16 ? 16 : capacity) {}

ThresholdTracker::Entry& ThresholdTracker::lookup(uint32_t rule_id, uint8_t key,
                                                  ThresholdSpec::Track track,
                                                  const IpAddress& src, const IpAddress& dst,
                                                  uint64_t flow_key, int64_t t, bool& created) {
  // The tracked key: which addresses (or flow) the counter belongs to.
  IpAddress a, b;
  uint64_t flow = 0;
  switch (track) {
    case ThresholdSpec::Track::kBySrc: a = src; break;
    case ThresholdSpec::Track::kByDst: a = dst; break;
    case ThresholdSpec::Track::kByRule: break;
    case ThresholdSpec::Track::kByBoth:  // an address pair, either direction
      a = src < dst ? src : dst;
      b = src < dst ? dst : src;
      break;
    case ThresholdSpec::Track::kByFlow: flow = flow_key; break;
  }
  uint64_t h = mix(mix(mix(rule_id, key), flow), 0);
  h = mix64(hash_address(hash_address(h, a), b));

  Entry* slot = nullptr;
  Entry* oldest = nullptr;
  for (size_t i = 0; i < kMaxProbe; ++i) {
    Entry& e = table_[(h + i) % table_.size()];
    if (!e.used) {
      if (!slot) slot = &e;
      break;
    }
    if (e.rule_id == rule_id && e.track == key && e.flow == flow && e.a == a && e.b == b) {
      created = false;
      return e;
    }
    if (!oldest || e.window_start < oldest->window_start) oldest = &e;
  }
  if (slot == nullptr) slot = oldest;  // table full around here: recycle the stalest
  else ++used_;
  *slot = Entry{};
  slot->used = true;
  slot->rule_id = rule_id;
  slot->track = key;
  slot->a = a;
  slot->b = b;
  slot->flow = flow;
  slot->window_start = t;
  created = true;
  return *slot;
}

bool ThresholdTracker::first_sighting(const Entry& e, uint16_t port) {
  // Sized once per thread, the first time a unique_on rule matches: 4 MiB of
  // (entry, window, port) slots shared by every tracked window.
  constexpr size_t kSeenSlots = size_t{1} << 18;
  constexpr size_t kSeenProbe = 32;
  if (seen_.empty()) seen_.resize(kSeenSlots);
  const auto entry = static_cast<uint32_t>(&e - table_.data());
  const uint64_t h = mix64(mix(mix(entry, e.generation), port));
  SeenPort* free_slot = nullptr;
  for (size_t i = 0; i < kSeenProbe; ++i) {
    SeenPort& s = seen_[(h + i) % seen_.size()];
    const bool live = s.generation != 0 && s.entry < table_.size() &&
                      table_[s.entry].used && table_[s.entry].generation == s.generation;
    if (!live) {
      if (free_slot == nullptr) free_slot = &s;
      continue;
    }
    if (s.entry == entry && s.generation == e.generation && s.port == port) return false;
  }
  // A crowded run loses its first slot: that port may later count twice.
  if (free_slot == nullptr) free_slot = &seen_[h % seen_.size()];
  *free_slot = SeenPort{entry, e.generation, port};
  return true;
}

bool ThresholdTracker::event(uint32_t rule_id, const ThresholdSpec& spec, const IpAddress& src,
                             const IpAddress& dst, uint64_t flow_key, Timestamp now,
                             uint16_t sport, uint16_t dport) {
  // Suricata 7: an event is in the window while ts <= window start + seconds.
  const int64_t t = now.micros();
  const int64_t seconds = static_cast<int64_t>(spec.seconds) * 1000000;
  bool created = false;
  Entry& e = lookup(rule_id, static_cast<uint8_t>(spec.track), spec.track, src, dst, flow_key, t,
                    created);
  if (spec.unique_on != ThresholdSpec::UniqueOn::kNone) {
    // detection_filter counting distinct ports: alerts while more than
    // `count` distinct values were seen in the window; an expired window
    // restarts with this packet's port as its first value.
    const uint16_t port = spec.unique_on == ThresholdSpec::UniqueOn::kSrcPort ? sport : dport;
    if (created || t - e.window_start > seconds) {
      e.window_start = t;
      e.count = 0;
      new_window(e);
    }
    if (first_sighting(e, port) && e.count < UINT32_MAX) ++e.count;
    return e.count > spec.count;
  }
  if (created) {
    e.count = 1;
    switch (spec.type) {
      case ThresholdSpec::Type::kLimit: return true;
      case ThresholdSpec::Type::kThreshold:
        if (spec.count <= 1) e.count = 0;
        return spec.count <= 1;
      case ThresholdSpec::Type::kBoth: return spec.count <= 1;
      case ThresholdSpec::Type::kDetectionFilter: return spec.count == 0;
      case ThresholdSpec::Type::kRate: return true;  // rate filters go through rate_exceeded
      case ThresholdSpec::Type::kBackoff:
        e.next_alert = spec.count;
        return backoff_step(e, spec);
    }
    return true;
  }

  const bool in_window = t - e.window_start <= seconds;
  switch (spec.type) {
    case ThresholdSpec::Type::kLimit:
      if (in_window) return ++e.count <= spec.count;
      e.window_start = t;
      e.count = 1;
      return true;
    case ThresholdSpec::Type::kThreshold:
      if (in_window) {
        if (++e.count >= spec.count) {
          e.count = 0;
          return true;
        }
        return false;
      }
      e.window_start = t;
      e.count = 1;
      if (spec.count <= 1) {
        e.count = 0;
        return true;
      }
      return false;
    case ThresholdSpec::Type::kBoth:
      if (in_window) return ++e.count == spec.count;
      e.window_start = t;
      e.count = 1;
      return spec.count <= 1;
    case ThresholdSpec::Type::kDetectionFilter:
      if (in_window) return ++e.count > spec.count;
      e.window_start = t;
      e.count = 1;
      return spec.count == 0;
    case ThresholdSpec::Type::kRate: return true;
    case ThresholdSpec::Type::kBackoff:
      // No time window: the count runs for the life of the entry (the flow).
      if (e.count < UINT32_MAX) ++e.count;
      return backoff_step(e, spec);
  }
  return true;
}

bool ThresholdTracker::rate_exceeded(uint32_t rule_id, const ThresholdSpec& spec,
                                     const IpAddress& src, const IpAddress& dst,
                                     uint64_t flow_key, Timestamp now) {
  const int64_t t = now.micros();
  bool created = false;
  Entry& e = lookup(rule_id, static_cast<uint8_t>(static_cast<uint8_t>(spec.track) | kRateKey),
                    spec.track, src, dst, flow_key, t, created);
  if (created) {
    e.count = 1;  // the first match only starts the window
    return false;
  }
  if (e.timeout_active) {
    // Suricata compares whole seconds here; the match that ends the
    // timeout is not counted.
    if (now.sec - e.timeout_start > static_cast<int64_t>(spec.timeout)) {
      e.timeout_active = false;
      return false;
    }
    return true;
  }
  if (t - e.window_start <= static_cast<int64_t>(spec.seconds) * 1000000) {
    if (++e.count > spec.count) {
      e.timeout_active = true;
      e.timeout_start = now.sec;
      return true;
    }
    return false;
  }
  e.window_start = t;
  e.count = 1;
  return false;
}

}  // namespace seawall::detect
