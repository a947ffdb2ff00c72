// Named counters: registered once (name + help), incremented per thread
// without locks, merged for the `stats` EVE record and --list-counters.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace seawall {

enum class CounterKind : uint8_t {
  kSum,    // totals: merged by adding thread values
  kMax,    // high-water marks: merged by taking the maximum
  kGauge,  // current levels (flows active, memuse): added across threads
};

struct CounterDescriptor {
  std::string_view name;  // dotted path as in Suricata's stats, e.g. "decoder.pkts"
  std::string_view help;
  CounterKind kind = CounterKind::kSum;
};

// Handle to a registered counter. Register at namespace scope (static init),
// before any ThreadCounters is created.
struct Counter {
  uint32_t index = 0;
};

Counter register_counter(const CounterDescriptor& descriptor);
const std::vector<CounterDescriptor>& all_counters();

// Per-thread counter values. Only the owning thread writes; a stats thread may
// read concurrently, hence relaxed atomics (plain loads/stores on x86).
class ThreadCounters {
 public:
  ThreadCounters();

  void add(Counter c, uint64_t n = 1) {
    auto& v = values_[c.index];
    v.store(v.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  void set(Counter c, uint64_t n) { values_[c.index].store(n, std::memory_order_relaxed); }
  void max(Counter c, uint64_t n) {
    auto& v = values_[c.index];
    if (n > v.load(std::memory_order_relaxed)) v.store(n, std::memory_order_relaxed);
  }
  uint64_t get(Counter c) const { return values_[c.index].load(std::memory_order_relaxed); }
  size_t size() const { return count_; }
  uint64_t get_index(size_t i) const { return values_[i].load(std::memory_order_relaxed); }

 private:
  size_t count_;
  std::unique_ptr<std::atomic<uint64_t>[]> values_;
};

// Merged view over several threads, indexed like all_counters().
std::vector<uint64_t> merge_counters(const std::vector<const ThreadCounters*>& threads);

// Value of a counter by name in a merged vector; 0 if unknown.
uint64_t merged_value(const std::vector<uint64_t>& merged, std::string_view name);

}  // namespace seawall
