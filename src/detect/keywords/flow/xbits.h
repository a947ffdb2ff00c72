// xbits: named bits stored per host (track ip_src / ip_dst) or per address
// pair (track ip_pair), with expiry. Storage is a fixed-size table per
// worker thread (allocated once on first use), keyed by name hash and
// address(es) and aged by packet time. A host/pair seen by two workers has
// two independent entries: with flow-hash dispatch, bits set on one flow are
// only visible to flows of the same worker.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/ip_address.h"
#include "core/timestamp.h"
#include "detect/keywords/matcher.h"

namespace seawall::detect {

enum class XbitCmd : uint8_t { kSet, kUnset, kToggle, kIsset, kIsnotset };
enum class XbitTrack : uint8_t { kIpSrc, kIpDst, kIpPair };

struct XbitSpec {
  XbitCmd cmd = XbitCmd::kSet;
  XbitTrack track = XbitTrack::kIpSrc;
  uint64_t name_hash = 0;
  uint32_t expire_seconds = 30;  // Suricata's default expiry
};

// Parses "set,name,track ip_src[,expire 60]"; throws RuleError.
XbitSpec parse_xbits_option(std::string_view value, std::string* name_out = nullptr);

struct Rule;
// How a rule uses host bits (hostbits, xbits track ip_src/ip_dst) or, with
// `pair`, ip_pair bits: checks (isset/isnotset) and changes (set/unset/toggle).
// Rule ordering puts setters first, as Suricata's SCSigOrderByHostbits.
void xbits_usage(const Rule& rule, bool pair, bool& reads, bool& writes);

// ---- the per-thread table (also used directly by tests) ----
bool xbit_isset(const XbitSpec& spec, const Packet& p);
void xbit_apply(const XbitSpec& spec, const Packet& p);
// Drops every entry of the calling thread's table.
void xbit_reset_thread_table();
// Live (unexpired at `now`) entries in the calling thread's table.
size_t xbit_live_entries(Timestamp now);

}  // namespace seawall::detect
