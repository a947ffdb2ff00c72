#include "core/timestamp.h"

#include <gtest/gtest.h>

#include <string>

namespace seawall {
namespace {

std::string eve(Timestamp ts) {
  char buf[kEveTimestampLen];
  return std::string(buf, format_eve_timestamp(ts, buf));
}

TEST(Timestamp, EveFormatUtc) {
  set_eve_timestamps_utc(true);
  // 2012-04-03 13:14:10 UTC, as in Suricata's EVE records.
  EXPECT_EQ(eve({1333458850, 364667}), "2012-04-03T13:14:10.364667+0000");
  EXPECT_EQ(eve({0, 0}), "1970-01-01T00:00:00.000000+0000");
  EXPECT_EQ(eve({1333458850, 7}), "2012-04-03T13:14:10.000007+0000");
  set_eve_timestamps_utc(false);
}

TEST(Timestamp, OrderingUsesMicroseconds) {
  EXPECT_LT((Timestamp{10, 5}), (Timestamp{10, 6}));
  EXPECT_LT((Timestamp{9, 999999}), (Timestamp{10, 0}));
  EXPECT_EQ((Timestamp{10, 5}).micros(), 10000005);
}

}  // namespace
}  // namespace seawall
