#include "core/timestamp.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <random>
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

// The C library's localtime_r + strftime is the oracle for local time.
std::string libc_eve(Timestamp ts, bool utc) {
  time_t t = static_cast<time_t>(ts.sec);
  struct tm tm_buf {};
  if (utc) gmtime_r(&t, &tm_buf); else localtime_r(&t, &tm_buf);
  char date[32], zone[8], usec[8];
  strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm_buf);
  strftime(zone, sizeof zone, "%z", &tm_buf);
  std::snprintf(usec, sizeof usec, "%06d", ts.usec);
  return std::string(date) + "." + usec + zone;
}

class ZoneGuard {
 public:
  explicit ZoneGuard(const char* zone) {
    if (const char* old = std::getenv("TZ")) saved_ = old, had_ = true;
    setenv("TZ", zone, 1);
    set_eve_timestamps_utc(false);
  }
  ~ZoneGuard() {
    if (had_) setenv("TZ", saved_.c_str(), 1); else unsetenv("TZ");
    set_eve_timestamps_utc(false);
  }

 private:
  std::string saved_;
  bool had_ = false;
};

TEST(Timestamp, MatchesLibcAcrossZonesAndDstChanges) {
  // POSIX TZ strings need no tzdata: US Eastern and Lord Howe (a 30-minute
  // DST shift) rules, a half-hour zone without DST, and plain UTC.
  const char* zones[] = {"EST5EDT,M3.2.0,M11.1.0", "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
                         "<+0530>-5:30", "UTC0"};
  std::mt19937_64 rng(20261125);
  std::uniform_int_distribution<int64_t> secs(0, 4102444800);  // 1970..2100
  for (const char* zone : zones) {
    ZoneGuard guard(zone);
    for (int i = 0; i < 20000; ++i) {
      const Timestamp ts{secs(rng), static_cast<int32_t>(rng() % 1000000)};
      ASSERT_EQ(eve(ts), libc_eve(ts, false)) << zone << " at " << ts.sec;
    }
    // Every second around the 2024 transitions of the zones with DST.
    for (int64_t base : {int64_t{1710054000}, int64_t{1730613600}, int64_t{1712413800},
                         int64_t{1727623800}}) {
      for (int64_t s = base - 5400; s < base + 5400; ++s) {
        ASSERT_EQ(eve({s, 0}), libc_eve({s, 0}, false)) << zone << " at " << s;
      }
    }
  }
  set_eve_timestamps_utc(true);
  for (int i = 0; i < 20000; ++i) {
    const Timestamp ts{secs(rng), 0};
    ASSERT_EQ(eve(ts), libc_eve(ts, true)) << ts.sec;
  }
  set_eve_timestamps_utc(false);
}

TEST(Timestamp, OrderingUsesMicroseconds) {
  EXPECT_LT((Timestamp{10, 5}), (Timestamp{10, 6}));
  EXPECT_LT((Timestamp{9, 999999}), (Timestamp{10, 0}));
  EXPECT_EQ((Timestamp{10, 5}).micros(), 10000005);
}

}  // namespace
}  // namespace seawall
