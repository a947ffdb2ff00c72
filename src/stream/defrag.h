// IPv4 and IPv6 fragment reassembly, one Defragmenter per worker.
//
// Fragments are grouped by (src, dst, IP id, protocol, VLAN, tunnel) into
// trackers from a pre-allocated pool bounded by defrag.memcap / defrag.max-frags;
// overlapping fragments are resolved with the target's overlap policy
// (first, last, bsd, bsd-right, linux, windows, solaris — Suricata's
// defrag policies, after Novak's "Target-Based Fragmentation Reassembly") and
// raise ipv4.frag_overlap / ipv6.frag_overlap. A datagram larger than 65535
// bytes raises ipv4/ipv6.frag_pkt_too_large and is dropped; a tracker idle
// past defrag.timeout is freed. When every fragment is there the datagram is
// rebuilt (IP header of the first fragment, total length and offset fields
// fixed, IPv6 fragment header removed) into storage owned by the
// Defragmenter and returned; the caller decodes it as a packet with
// pkt_src "defrag" before the next call.
//
// Data plane: no exceptions, no allocation per packet once the pools are sized.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "core/byte_view.h"
#include "core/counters.h"
#include "core/timestamp.h"
#include "decode/packet.h"

namespace seawall::stream {

enum class DefragPolicy : uint8_t { kFirst, kLast, kBsd, kBsdRight, kLinux, kWindows, kSolaris };
bool parse_defrag_policy(std::string_view name, DefragPolicy& out);  // "bsd", "linux", ...

// Suricata's defrag.* keys (defaults as in its suricata.yaml).
struct DefragConfig {
  uint64_t memcap = 32ull << 20;   // defrag.memcap (bytes of fragment data + trackers)
  uint32_t max_trackers = 65535;   // defrag.trackers
  uint32_t max_frags = 65535;      // defrag.max-frags (fragments held at once)
  uint32_t timeout = 60;           // defrag.timeout, seconds
  DefragPolicy policy = DefragPolicy::kBsd;
};

class Defragmenter {
 public:
  Defragmenter(const DefragConfig& config, ThreadCounters& counters);
  ~Defragmenter();
  Defragmenter(const Defragmenter&) = delete;
  Defragmenter& operator=(const Defragmenter&) = delete;

  // p is a decoded fragment (p.is_fragment, p.l3 points at its IP header).
  // Raises defrag anomalies on p. Returns the whole datagram (starting with
  // its IP header) when p completed it, else an empty view. The view is valid
  // until the next call.
  ByteView add(Packet& p);

  // Frees trackers idle past the timeout at `now` (packet clock).
  void expire(Timestamp now);

  uint64_t trackers_in_use() const;
  uint64_t memuse() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace seawall::stream
