#include "core/counters.h"

#include <gtest/gtest.h>

namespace seawall {
namespace {

const Counter kSum = register_counter({.name = "test.sum", .help = "test"});
const Counter kMax = register_counter({.name = "test.max", .help = "test", .kind = CounterKind::kMax});

TEST(Counters, RegistrationIsIdempotentByName) {
  Counter again = register_counter({.name = "test.sum", .help = "other text"});
  EXPECT_EQ(again.index, kSum.index);
}

TEST(Counters, MergeAddsSumsAndTakesMaxOfMax) {
  ThreadCounters a, b;
  a.add(kSum, 3);
  b.add(kSum, 4);
  a.max(kMax, 10);
  b.max(kMax, 7);
  auto merged = merge_counters({&a, &b});
  EXPECT_EQ(merged_value(merged, "test.sum"), 7u);
  EXPECT_EQ(merged_value(merged, "test.max"), 10u);
  EXPECT_EQ(merged_value(merged, "no.such.counter"), 0u);
}

}  // namespace
}  // namespace seawall
