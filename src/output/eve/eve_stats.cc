// EVE "stats" record (Suricata's output-json-stats.c): dotted counter names
// become nested objects, {"decoder":{"event":{"ipv4":{"trunc_pkt":N}}}}.
#include <algorithm>
#include <numeric>

#include "core/counters.h"
#include "output/eve/eve_common.h"
#include "output/eve/eve_writer.h"
#include "output/eve/json_writer.h"

namespace seawall {
namespace {

constexpr size_t kMaxStatsDepth = 16;

// Splits "a.b.c" into segments; 0 when malformed (empty segment) or too deep.
size_t split_name(std::string_view name, std::string_view (&out)[kMaxStatsDepth]) {
  size_t n = 0;
  while (true) {
    size_t dot = name.find('.');
    std::string_view seg = name.substr(0, dot);
    if (seg.empty() || n == kMaxStatsDepth) return 0;
    out[n++] = seg;
    if (dot == std::string_view::npos) return n;
    name.remove_prefix(dot + 1);
  }
}

// Counters whose value the sink owns (process-wide, not per worker).
bool sink_counter_value(std::string_view name, const EveSinkStats& s, uint64_t& value) {
  if (name == "output.eve.lines_written") value = s.lines_written;
  else if (name == "output.eve.write_errors") value = s.write_errors;
  else if (name == "output.eve.bytes_spooled") value = s.bytes_spooled;
  else if (name == "output.eve.bytes_dropped") value = s.bytes_dropped;
  else return false;
  return true;
}

}  // namespace

void EveWriter::log_stats(Timestamp now, uint64_t uptime_seconds,
                          const std::vector<uint64_t>& merged) {
  if (!config_.enabled || !config_.stats) return;
  const std::vector<CounterDescriptor>& counters = all_counters();

  if (stats_order_.empty() && !counters.empty()) {
    // Sorted by name, siblings are adjacent: every object is opened once.
    std::vector<uint32_t> order(counters.size());
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(),
              [&](uint32_t a, uint32_t b) { return counters[a].name < counters[b].name; });
    for (uint32_t idx : order) {
      std::string_view name = counters[idx].name;
      std::string_view segs[kMaxStatsDepth];
      if (split_name(name, segs) == 0 || name == "uptime") continue;
      // A name that is also the parent of another ("a.b" and "a.b.c") cannot be
      // both a number and an object; the object wins.
      bool is_parent = std::any_of(counters.begin(), counters.end(), [&](const auto& c) {
        return c.name.size() > name.size() && c.name.starts_with(name) &&
               c.name[name.size()] == '.';
      });
      if (!is_parent) stats_order_.push_back(idx);
    }
  }

  const EveSinkStats sink_stats = sink_.stats();
  begin_record();
  JsonWriter w(buffer_);
  w.begin_object();
  eve::write_timestamp(w, "timestamp", now);
  w.member("event_type", "stats");
  w.key("stats");
  w.begin_object();
  w.member_uint("uptime", uptime_seconds);

  // Suricata's "detect":{"engines":[{"id","last_reload","rules_loaded",
  // "rules_failed","rules_skipped"}]}, inside the detect object of the counters.
  bool engines_written = !detect_engine_.has_value();
  auto write_engines = [&] {
    const EveDetectEngineInfo& e = *detect_engine_;
    w.key("engines");
    w.begin_array();
    w.begin_object();
    w.member_uint("id", 0);
    eve::write_timestamp(w, "last_reload", e.last_reload);
    w.member_uint("rules_loaded", e.rules_loaded);
    w.member_uint("rules_failed", e.rules_failed);
    w.member_uint("rules_skipped", e.rules_skipped);
    w.end_object();
    w.end_array();
    engines_written = true;
  };

  std::string_view open[kMaxStatsDepth];
  size_t open_count = 0;
  for (uint32_t idx : stats_order_) {
    std::string_view name = counters[idx].name;
    uint64_t value = idx < merged.size() ? merged[idx] : 0;
    sink_counter_value(name, sink_stats, value);
    if (value == 0 && !config_.stats_null_values) continue;

    std::string_view segs[kMaxStatsDepth];
    const size_t n = split_name(name, segs);
    const size_t parents = n - 1;
    size_t common = 0;
    while (common < open_count && common < parents && open[common] == segs[common]) ++common;
    for (; open_count > common; --open_count) w.end_object();
    for (; open_count < parents; ++open_count) {
      open[open_count] = segs[open_count];
      w.key(segs[open_count]);
      w.begin_object();
      if (open_count == 0 && !engines_written && segs[0] == "detect") write_engines();
    }
    w.key(segs[parents]);
    w.uinteger(value);
  }
  for (; open_count > 0; --open_count) w.end_object();
  if (!engines_written) {  // no detect.* counter in this binary
    w.key("detect");
    w.begin_object();
    write_engines();
    w.end_object();
  }
  w.end_object();  // stats
  end_record(w);
}

}  // namespace seawall
