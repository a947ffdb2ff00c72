// Packet time and its EVE text form.
#pragma once

#include <compare>
#include <cstdint>
#include <cstddef>

namespace seawall {

struct Timestamp {
  int64_t sec = 0;
  int32_t usec = 0;

  friend constexpr bool operator==(Timestamp, Timestamp) = default;
  friend constexpr auto operator<=>(Timestamp a, Timestamp b) {
    if (a.sec != b.sec) return a.sec <=> b.sec;
    return a.usec <=> b.usec;
  }
  constexpr int64_t micros() const { return sec * 1000000 + usec; }
};

// Suricata's EVE timestamp: "2012-04-03T13:14:10.364667+0000" in local time.
// Writes exactly kEveTimestampLen characters (no terminator) and returns it.
inline constexpr size_t kEveTimestampLen = 31;
size_t format_eve_timestamp(Timestamp ts, char* out);

// Whether EVE timestamps are rendered in UTC (default: local time, as Suricata).
// Also re-reads the time zone (TZ): call it after changing TZ.
void set_eve_timestamps_utc(bool utc);

}  // namespace seawall
