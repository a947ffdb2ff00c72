#include "core/timestamp.h"

#include <atomic>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace seawall {
namespace {
std::atomic<bool> g_utc{false};

// Per-thread cache of rendered seconds: localtime_r/strftime are far too slow
// to call per record, and one record often holds several seconds (a flow's
// timestamp, start and end), hence a few direct-mapped slots.
struct SecondCache {
  int64_t sec = INT64_MIN;
  char prefix[20];  // "YYYY-MM-DDTHH:MM:SS"
  char zone[6];     // "+hhmm"
  bool utc = false;
};
constexpr size_t kCacheSlots = 8;
thread_local SecondCache t_cache_slots[kCacheSlots];
}  // namespace

void set_eve_timestamps_utc(bool utc) { g_utc.store(utc, std::memory_order_relaxed); }

size_t format_eve_timestamp(Timestamp ts, char* out) {
  const bool utc = g_utc.load(std::memory_order_relaxed);
  SecondCache& t_cache = t_cache_slots[static_cast<uint64_t>(ts.sec) % kCacheSlots];
  if (t_cache.sec != ts.sec || t_cache.utc != utc) {
    time_t t = static_cast<time_t>(ts.sec);
    struct tm tm_buf {};
    if (utc) gmtime_r(&t, &tm_buf); else localtime_r(&t, &tm_buf);
    char tmp[32];
    strftime(tmp, sizeof tmp, "%Y-%m-%dT%H:%M:%S", &tm_buf);
    std::memcpy(t_cache.prefix, tmp, 19);
    long off = utc ? 0 : tm_buf.tm_gmtoff;
    char sign = off < 0 ? '-' : '+';
    if (off < 0) off = -off;
    std::snprintf(tmp, sizeof tmp, "%c%02ld%02ld", sign, (off / 3600) % 100, (off % 3600) / 60);
    std::memcpy(t_cache.zone, tmp, 5);
    t_cache.sec = ts.sec;
    t_cache.utc = utc;
  }
  std::memcpy(out, t_cache.prefix, 19);
  out[19] = '.';
  uint32_t us = static_cast<uint32_t>(ts.usec < 0 ? 0 : ts.usec) % 1000000u;
  for (int i = 25; i >= 20; --i) {
    out[i] = static_cast<char>('0' + us % 10);
    us /= 10;
  }
  std::memcpy(out + 26, t_cache.zone, 5);
  return kEveTimestampLen;
}

}  // namespace seawall
