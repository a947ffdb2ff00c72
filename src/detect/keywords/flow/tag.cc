#include "detect/keywords/flow/tag.h"

#include <memory>

#include "core/hash.h"
#include "detect/keywords/flow/flow_detect_state.h"
#include "flow/flow.h"

namespace seawall::detect {

namespace {

// A tag's budget: packets, bytes (whole packets) or seconds since it started.
struct Budget {
  uint8_t metric = 0;
  uint64_t limit = 0;
  uint64_t seen = 0;
  int64_t start_us = 0;
};

Budget start_budget(const TagSpec& spec, const Packet& p) {
  Budget b;
  b.metric = static_cast<uint8_t>(spec.metric);
  b.start_us = p.ts.micros();
  switch (spec.metric) {
    case TagSpec::Metric::kPackets: b.limit = spec.count; b.seen = 1; break;
    case TagSpec::Metric::kBytes: b.limit = spec.count; b.seen = p.caplen; break;
    case TagSpec::Metric::kSeconds: b.limit = uint64_t{spec.count} * 1000000u; b.seen = 0; break;
  }
  return b;
}

// Counts p against the budget; true while the budget covers it.
bool spend(Budget& b, const Packet& p) {
  switch (static_cast<TagSpec::Metric>(b.metric)) {
    case TagSpec::Metric::kPackets: b.seen += 1; break;
    case TagSpec::Metric::kBytes: b.seen += p.caplen; break;
    case TagSpec::Metric::kSeconds: {
      const int64_t elapsed = p.ts.micros() - b.start_us;
      b.seen = elapsed > 0 ? static_cast<uint64_t>(elapsed) : 0;
      break;
    }
  }
  return b.seen <= b.limit;
}

// Host tags: open addressing over a fixed table, allocated once per thread.
constexpr size_t kHostSlots = 4096;
constexpr size_t kProbe = 8;

struct HostEntry {
  bool used = false;
  IpAddress host;
  Budget budget;
};

thread_local std::unique_ptr<HostEntry[]> t_hosts;

HostEntry* hosts() {
  if (!t_hosts) t_hosts = std::make_unique<HostEntry[]>(kHostSlots);
  return t_hosts.get();
}

size_t slot_of(const IpAddress& a) {
  return static_cast<size_t>(hash_bytes(a.bytes.data(), a.bytes.size(), 0x74616773)) % kHostSlots;
}

HostEntry* find_host(const IpAddress& a) {
  if (!t_hosts) return nullptr;
  HostEntry* table = t_hosts.get();
  const size_t base = slot_of(a);
  for (size_t i = 0; i < kProbe; ++i) {
    HostEntry& e = table[(base + i) % kHostSlots];
    if (e.used && e.host == a) return &e;
  }
  return nullptr;
}

void start_host_tag(const TagSpec& spec, const Packet& p) {
  const IpAddress& host = spec.direction == TagSpec::Direction::kSrc ? p.src : p.dst;
  if (find_host(host) != nullptr) return;
  HostEntry* table = hosts();
  const size_t base = slot_of(host);
  HostEntry* victim = &table[base];
  for (size_t i = 0; i < kProbe; ++i) {
    HostEntry& e = table[(base + i) % kHostSlots];
    if (!e.used) {
      victim = &e;
      break;
    }
    // Table pressure: replace the oldest tag of the probe window.
    if (e.budget.start_us < victim->budget.start_us) victim = &e;
  }
  victim->used = true;
  victim->host = host;
  victim->budget = start_budget(spec, p);
}

bool host_tagged(const IpAddress& a, const Packet& p) {
  HostEntry* e = find_host(a);
  if (e == nullptr) return false;
  if (spend(e->budget, p)) return true;
  e->used = false;  // budget spent: the tag ends
  return false;
}

}  // namespace

void tag_start(const TagSpec& spec, const MatchContext& ctx) {
  const Packet& p = ctx.packet;
  if (p.ip_version == 0) return;
  if (spec.type == TagSpec::Type::kHost) {
    start_host_tag(spec, p);
    return;
  }
  FlowDetectState* state = ensure_flow_state(ctx);
  if (state == nullptr || state->session_tag.active) return;
  const Budget b = start_budget(spec, p);
  state->session_tag = {true, b.metric, b.limit, b.seen, b.start_us};
}

bool tag_packet(const Packet& p) {
  bool tagged = false;
  if (p.flow != nullptr && p.flow->detect != nullptr && p.flow->detect->session_tag.active) {
    auto& st = p.flow->detect->session_tag;
    Budget b{st.metric, st.limit, st.seen, st.start_us};
    if (spend(b, p)) tagged = true;
    else st.active = false;
    st.seen = b.seen;
  }
  if (t_hosts && p.ip_version != 0) {
    // Each tagged host counts the packet, as Suricata's per-host tag lists.
    if (host_tagged(p.src, p)) tagged = true;
    if (!(p.dst == p.src) && host_tagged(p.dst, p)) tagged = true;
  }
  return tagged;
}

void tag_reset_thread_table() { t_hosts.reset(); }

}  // namespace seawall::detect
