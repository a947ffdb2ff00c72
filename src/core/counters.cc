#include "core/counters.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace seawall {
namespace {
std::vector<CounterDescriptor>& registry() {
  static std::vector<CounterDescriptor> r;
  return r;
}
}  // namespace

Counter register_counter(const CounterDescriptor& descriptor) {
  auto& r = registry();
  for (size_t i = 0; i < r.size(); ++i) {
    if (r[i].name == descriptor.name) return Counter{static_cast<uint32_t>(i)};
  }
  r.push_back(descriptor);
  return Counter{static_cast<uint32_t>(r.size() - 1)};
}

const std::vector<CounterDescriptor>& all_counters() { return registry(); }

ThreadCounters::ThreadCounters()
    : count_(registry().size()), values_(new std::atomic<uint64_t>[registry().size() + 1]) {
  for (size_t i = 0; i <= count_; ++i) values_[i].store(0, std::memory_order_relaxed);
}

std::vector<uint64_t> merge_counters(const std::vector<const ThreadCounters*>& threads) {
  const auto& r = registry();
  std::vector<uint64_t> out(r.size(), 0);
  for (const ThreadCounters* t : threads) {
    size_t n = std::min(out.size(), t->size());
    for (size_t i = 0; i < n; ++i) {
      uint64_t v = t->get_index(i);
      if (r[i].kind == CounterKind::kMax) out[i] = std::max(out[i], v);
      else out[i] += v;
    }
  }
  return out;
}

uint64_t merged_value(const std::vector<uint64_t>& merged, std::string_view name) {
  const auto& r = registry();
  for (size_t i = 0; i < r.size() && i < merged.size(); ++i) {
    if (r[i].name == name) return merged[i];
  }
  return 0;
}

}  // namespace seawall
