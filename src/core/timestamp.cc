#include "core/timestamp.h"

#include <atomic>
#include <cstring>
#include <ctime>

namespace seawall {
namespace {
std::atomic<bool> g_utc{false};
// Bumped by set_eve_timestamps_utc(), which also re-reads the time zone: it
// invalidates every thread's cached offsets.
std::atomic<uint32_t> g_zone_generation{1};

// Local time's UTC offset, cached per UTC hour and thread: localtime_r is far
// too slow to call per record. Offsets change (DST, zone rules) at whole UTC
// hours nearly everywhere; an hour whose two ends disagree is flagged and
// resolved per second instead.
struct HourOffset {
  int64_t hour = INT64_MIN;
  uint32_t generation = 0;
  long offset = 0;
  bool uniform = true;
};
constexpr size_t kHourSlots = 8;
thread_local HourOffset t_hours[kHourSlots];

long local_offset_at(int64_t sec) {
  time_t t = static_cast<time_t>(sec);
  struct tm tm_buf {};
  localtime_r(&t, &tm_buf);
  return tm_buf.tm_gmtoff;
}

long utc_offset(int64_t sec) {
  const int64_t hour = sec >= 0 ? sec / 3600 : (sec - 3599) / 3600;
  HourOffset& slot = t_hours[static_cast<uint64_t>(hour) % kHourSlots];
  const uint32_t generation = g_zone_generation.load(std::memory_order_relaxed);
  if (slot.hour != hour || slot.generation != generation) {
    slot.hour = hour;
    slot.generation = generation;
    slot.offset = local_offset_at(hour * 3600);
    slot.uniform = local_offset_at(hour * 3600 + 3599) == slot.offset;
  }
  return slot.uniform ? slot.offset : local_offset_at(sec);
}

// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's
// civil_from_days), valid for the whole int64 second range we can meet.
void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
}

void put2(char* out, unsigned v) {
  out[0] = static_cast<char>('0' + v / 10 % 10);
  out[1] = static_cast<char>('0' + v % 10);
}
}  // namespace

void set_eve_timestamps_utc(bool utc) {
  tzset();
  g_utc.store(utc, std::memory_order_relaxed);
  g_zone_generation.fetch_add(1, std::memory_order_relaxed);
}

size_t format_eve_timestamp(Timestamp ts, char* out) {
  const long off = g_utc.load(std::memory_order_relaxed) ? 0 : utc_offset(ts.sec);
  const int64_t local = ts.sec + off;
  const int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  const int64_t secs_of_day = local - days * 86400;
  int64_t year;
  unsigned month, day;
  civil_from_days(days, year, month, day);
  // Four year digits as strftime's %Y gives for 0..9999 (pcap times stay there).
  const unsigned y = static_cast<unsigned>(year < 0 ? 0 : year > 9999 ? 9999 : year);
  put2(out, y / 100);
  put2(out + 2, y % 100);
  out[4] = '-';
  put2(out + 5, month);
  out[7] = '-';
  put2(out + 8, day);
  out[10] = 'T';
  put2(out + 11, static_cast<unsigned>(secs_of_day / 3600));
  out[13] = ':';
  put2(out + 14, static_cast<unsigned>(secs_of_day / 60 % 60));
  out[16] = ':';
  put2(out + 17, static_cast<unsigned>(secs_of_day % 60));
  out[19] = '.';
  uint32_t us = static_cast<uint32_t>(ts.usec < 0 ? 0 : ts.usec) % 1000000u;
  for (int i = 25; i >= 20; --i) {
    out[i] = static_cast<char>('0' + us % 10);
    us /= 10;
  }
  const long abs_off = off < 0 ? -off : off;
  out[26] = off < 0 ? '-' : '+';
  put2(out + 27, static_cast<unsigned>(abs_off / 3600 % 100));
  put2(out + 29, static_cast<unsigned>(abs_off % 3600 / 60));
  return kEveTimestampLen;
}

}  // namespace seawall
