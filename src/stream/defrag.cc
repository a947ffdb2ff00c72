// IPv4/IPv6 defragmentation. Layout of the state, all owned by one worker:
//
//  * Trackers: one per datagram being rebuilt, in a pool that grows in chunks
//    up to defrag.trackers, found through a bucket array (chained by index)
//    and kept on an LRU list ordered by last activity so expiry is O(expired).
//  * Pieces: the stored byte ranges of a tracker, disjoint and sorted by
//    offset. An overlap is resolved when a fragment arrives, range by range,
//    by asking the policy whether the new fragment or the stored piece owns
//    the bytes; losers are trimmed, split or dropped, so reassembly is a
//    plain copy and every policy shares one code path.
//  * Buffers: a fragment's payload copied once into a block from a size-class
//    cache; pieces cut from the same fragment share it (reference count).
//
// Limits: defrag.max-frags bounds the fragments held (buffers), defrag.memcap
// the bytes of trackers + pieces + payload blocks in use; heap blocks are
// cached for reuse and released when a new size would exceed the memcap.
#include "stream/defrag.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <new>
#include <vector>

#include "core/hash.h"
#include "decode/decoder.h"

namespace seawall::stream {
namespace {

const Counter kIpv4Fragments =
    register_counter({"defrag.ipv4.fragments", "IPv4 fragments seen by defragmentation"});
const Counter kIpv4Reassembled =
    register_counter({"defrag.ipv4.reassembled", "IPv4 datagrams rebuilt from fragments"});
const Counter kIpv6Fragments =
    register_counter({"defrag.ipv6.fragments", "IPv6 fragments seen by defragmentation"});
const Counter kIpv6Reassembled =
    register_counter({"defrag.ipv6.reassembled", "IPv6 datagrams rebuilt from fragments"});
const Counter kMemcap = register_counter(
    {"defrag.memcap", "Fragments dropped because defrag.memcap or defrag.trackers was reached"});
const Counter kMaxFragsReached = register_counter(
    {"defrag.max_frags_reached", "Fragments dropped because defrag.max-frags was reached"});
const Counter kTimeouts =
    register_counter({"defrag.timeouts", "Fragment trackers freed after defrag.timeout idle"});
const Counter kOverlap =
    register_counter({"defrag.overlap", "Fragments overlapping data already held"});

constexpr uint32_t kMaxDatagram = 65535;
constexpr uint32_t kIpv4MinHeader = 20;
constexpr uint32_t kIpv6Header = 40;
constexpr uint32_t kFragmentHeader = 8;
constexpr int32_t kNone = -1;
constexpr uint32_t kTrackerChunk = 1024;
constexpr uint32_t kPieceChunk = 1024;
constexpr uint32_t kBufferChunk = 1024;
constexpr uint32_t kMaxBuckets = 1u << 16;

namespace nh {
constexpr uint8_t kHopOpts = 0, kRouting = 43, kFragment = 44, kAh = 51, kDstOpts = 60,
                  kMobility = 135, kHip = 139, kShim6 = 140;
}

// ---- fragment header parsing ----

enum class ParseStatus : uint8_t { kOk, kNotFragment, kInvalidLength };

struct FragmentInfo {
  bool v6 = false;
  uint32_t id = 0;
  uint8_t proto = 0;         // IPv4 protocol / next header of the fragment header
  uint32_t offset = 0;       // bytes
  bool more = false;
  const uint8_t* data = nullptr;
  uint32_t data_len = 0;
  const uint8_t* header = nullptr;  // IPv4 header / IPv6 header + unfragmentable part
  uint32_t header_len = 0;
  uint32_t next_header_pos = 0;     // IPv6: byte of `header` naming the fragment header
};

ParseStatus parse_ipv4(const Packet& p, FragmentInfo& f) {
  const uint8_t* ip = p.l3;
  uint32_t len = p.l3_len;
  if (len < kIpv4MinHeader || (ip[0] >> 4) != 4) return ParseStatus::kNotFragment;
  uint32_t hlen = uint32_t{ip[0] & 0x0fu} * 4;
  if (hlen < kIpv4MinHeader || hlen > len) return ParseStatus::kNotFragment;
  uint32_t total = load_be16(ip + 2);
  if (total < hlen) return ParseStatus::kNotFragment;
  if (total < len) len = total;  // never take link padding as payload
  uint16_t frag = load_be16(ip + 6);
  f.v6 = false;
  f.id = load_be16(ip + 4);
  f.proto = ip[9];
  f.offset = uint32_t{frag & 0x1fffu} * 8;
  f.more = (frag & 0x2000) != 0;
  f.header = ip;
  f.header_len = hlen;
  f.data = ip + hlen;
  f.data_len = len - hlen;
  return f.offset == 0 && !f.more ? ParseStatus::kNotFragment : ParseStatus::kOk;
}

// Walks the unfragmentable extension headers like decode_ipv6 does, up to the
// fragment header.
ParseStatus parse_ipv6(const Packet& p, FragmentInfo& f) {
  const uint8_t* ip = p.l3;
  if (p.l3_len < kIpv6Header || (ip[0] >> 4) != 6) return ParseStatus::kNotFragment;
  uint32_t end = kIpv6Header + load_be16(ip + 4);
  if (end > p.l3_len) end = p.l3_len;
  uint8_t next = ip[6];
  uint32_t pos = kIpv6Header;
  uint32_t next_pos = 6;
  for (int guard = 0; guard < 64 && next != nh::kFragment; ++guard) {
    if (pos + 2 > end) return ParseStatus::kNotFragment;
    uint32_t hdr_len = 0;
    switch (next) {
      case nh::kHopOpts: case nh::kRouting: case nh::kDstOpts: case nh::kMobility:
      case nh::kHip: case nh::kShim6:
        hdr_len = (uint32_t{ip[pos + 1]} + 1) * 8;
        break;
      case nh::kAh:
        hdr_len = (uint32_t{ip[pos + 1]} + 2) * 4;
        break;
      default:
        return ParseStatus::kNotFragment;
    }
    if (hdr_len > end - pos) return ParseStatus::kNotFragment;
    next_pos = pos;
    next = ip[pos];
    pos += hdr_len;
  }
  if (next != nh::kFragment || pos + kFragmentHeader > end) return ParseStatus::kNotFragment;
  const uint8_t* fh = ip + pos;
  uint16_t off_flags = load_be16(fh + 2);
  f.v6 = true;
  f.proto = fh[0];
  f.offset = off_flags & 0xfff8u;
  f.more = (off_flags & 0x0001) != 0;
  f.id = load_be32(fh + 4);
  f.header = ip;
  f.header_len = pos;
  f.next_header_pos = next_pos;
  f.data = fh + kFragmentHeader;
  f.data_len = end - pos - kFragmentHeader;
  if (f.offset == 0 && !f.more) return ParseStatus::kNotFragment;  // atomic fragment
  if (f.more && (f.data_len % 8) != 0) return ParseStatus::kInvalidLength;
  return ParseStatus::kOk;
}

// ---- tracker key ----

// Flat bytes (no padding) so hashing and comparison see only key material.
constexpr size_t kKeyLen = 1 + 1 + 1 + 1 + 4 + 2 + 2 + 16 + 16 + 1 + 16 + 16 + 8;
using TrackerKey = std::array<uint8_t, kKeyLen>;

TrackerKey make_key(const Packet& p, const FragmentInfo& f) {
  TrackerKey k{};
  size_t at = 0;
  auto put = [&](const void* src, size_t n) {
    std::memcpy(k.data() + at, src, n);
    at += n;
  };
  k[at++] = f.v6 ? 6 : 4;
  k[at++] = f.proto;
  k[at++] = p.tunnel_depth;
  k[at++] = 0;
  store_be32(k.data() + at, f.id);
  at += 4;
  store_be16(k.data() + at, p.vlan[0]);
  at += 2;
  store_be16(k.data() + at, p.vlan[1]);
  at += 2;
  put(p.src.bytes.data(), 16);
  put(p.dst.bytes.data(), 16);
  // Tunnels: the carrying packet's addresses exactly, the rest of the chain
  // (deeper outers, their VLANs and tunnel kinds) folded into a hash.
  const Packet* outer = p.outer;
  k[at++] = outer != nullptr ? outer->src.family : 0;
  if (outer != nullptr) {
    put(outer->src.bytes.data(), 16);
    put(outer->dst.bytes.data(), 16);
  } else {
    at += 32;
  }
  uint64_t chain = 0;
  int depth = 0;
  for (const Packet* o = outer; o != nullptr && depth < kMaxTunnelDepth; o = o->outer, ++depth) {
    std::array<uint8_t, 16 + 16 + 2 + 2 + 2> m{};
    std::memcpy(m.data(), o->src.bytes.data(), 16);
    std::memcpy(m.data() + 16, o->dst.bytes.data(), 16);
    store_be16(m.data() + 32, o->vlan[0]);
    store_be16(m.data() + 34, o->vlan[1]);
    m[36] = static_cast<uint8_t>(o->source);
    m[37] = o->ip_proto;
    chain = hash_bytes(m.data(), m.size(), chain + 1);
  }
  std::memcpy(k.data() + at, &chain, 8);
  return k;
}

// ---- policy ----

// Whether a new fragment [ns, ne) takes the bytes it shares with a stored
// piece [ps, pe). The Sturges/Novak vectors of Suricata's defrag.c (and
// Snort frag3 for bsd-right) are the oracle in the unit tests.
bool new_wins(DefragPolicy policy, uint32_t ns, uint32_t ne, uint32_t ps, uint32_t pe) {
  switch (policy) {
    case DefragPolicy::kFirst: return false;
    case DefragPolicy::kLast: return true;
    case DefragPolicy::kBsd: return ns < ps;       // lower offset wins, ties keep the old
    case DefragPolicy::kLinux: return ns <= ps;    // lower offset wins, ties take the new
    case DefragPolicy::kWindows: return ns < ps && ne > pe;  // only a strict superset
    case DefragPolicy::kSolaris: return ns < ps && ne >= pe;
    case DefragPolicy::kBsdRight:
      // The fragment reaching further right wins; equal ends go to the one
      // starting first (the new one on a full tie).
      return pe < ne || (pe == ne && ns <= ps);
  }
  return false;
}

// ---- size-class block cache ----

class BlockCache {
 public:
  static constexpr int kMinShift = 6;    // 64 bytes
  static constexpr int kMaxShift = 17;   // 128 KiB: any IP datagram plus headers
  static constexpr int kClasses = kMaxShift - kMinShift + 1;

  BlockCache() = default;
  BlockCache(const BlockCache&) = delete;
  BlockCache& operator=(const BlockCache&) = delete;
  ~BlockCache() { release_cached(); }

  static uint32_t class_size(uint32_t n) {
    uint32_t size = 1u << kMinShift;
    while (size < n) size <<= 1;
    return size;
  }

  // A block of class_size(n) bytes; the heap is only asked when no cached
  // block fits, after dropping the cache if it would push past `heap_cap`.
  uint8_t* get(uint32_t n, uint64_t heap_cap) {
    uint32_t size = class_size(n);
    int c = class_index(size);
    if (c < 0) return nullptr;
    if (free_[c] != nullptr) {
      uint8_t* b = free_[c];
      std::memcpy(&free_[c], b, sizeof(uint8_t*));
      in_use_ += size;
      return b;
    }
    if (heap_ + size > heap_cap) release_cached();
    auto* b = new (std::nothrow) uint8_t[size];
    if (b == nullptr) return nullptr;
    heap_ += size;
    in_use_ += size;
    return b;
  }

  void put(uint8_t* b, uint32_t n) {
    uint32_t size = class_size(n);
    int c = class_index(size);
    std::memcpy(b, &free_[c], sizeof(uint8_t*));
    free_[c] = b;
    in_use_ -= size;
  }

  uint64_t in_use() const { return in_use_; }

 private:
  static int class_index(uint32_t size) {
    for (int c = 0; c < kClasses; ++c)
      if ((1u << (c + kMinShift)) == size) return c;
    return -1;
  }
  void release_cached() {
    for (int c = 0; c < kClasses; ++c) {
      while (free_[c] != nullptr) {
        uint8_t* b = free_[c];
        std::memcpy(&free_[c], b, sizeof(uint8_t*));
        delete[] b;
        heap_ -= 1u << (c + kMinShift);
      }
    }
  }

  std::array<uint8_t*, kClasses> free_{};
  uint64_t heap_ = 0;    // bytes obtained from the heap (in use + cached)
  uint64_t in_use_ = 0;
};

struct Buffer {
  uint8_t* data = nullptr;
  uint32_t len = 0;
  uint32_t refs = 0;
  int32_t next_free = kNone;
};

struct Piece {
  uint32_t start = 0, end = 0;  // datagram offsets of the fragmentable part
  int32_t buffer = kNone;
  uint32_t buffer_off = 0;      // where `start` lies in the buffer
  int32_t next = kNone;
};

struct Tracker {
  TrackerKey key{};
  uint64_t hash = 0;
  int32_t hash_next = kNone;    // bucket chain, or free list when unused
  int32_t lru_prev = kNone, lru_next = kNone;
  int64_t last_seen_us = 0;
  int32_t pieces = kNone;       // sorted piece list
  uint8_t* header = nullptr;    // header of the fragment owning offset 0
  uint32_t header_len = 0;
  uint32_t last_end = 0;        // end of the datagram, from the last fragment
  bool seen_last = false;
  bool v6 = false;
  bool in_use = false;
};

const DecodeOptions& event_options() {
  static const DecodeOptions options{};
  return options;
}

}  // namespace

bool parse_defrag_policy(std::string_view name, DefragPolicy& out) {
  // Suricata's host-os-policy names map onto the defrag policies as in its
  // DefragGetOsPolicy().
  struct Entry {
    std::string_view name;
    DefragPolicy policy;
  };
  static constexpr Entry kNames[] = {
      {"first", DefragPolicy::kFirst},       {"last", DefragPolicy::kLast},
      {"bsd", DefragPolicy::kBsd},           {"bsd-right", DefragPolicy::kBsdRight},
      {"bsd_right", DefragPolicy::kBsdRight}, {"linux", DefragPolicy::kLinux},
      {"windows", DefragPolicy::kWindows},   {"solaris", DefragPolicy::kSolaris},
      {"hpux10", DefragPolicy::kBsd},        {"irix", DefragPolicy::kBsd},
      {"old-linux", DefragPolicy::kLinux},   {"old-solaris", DefragPolicy::kFirst},
      {"hpux11", DefragPolicy::kFirst},      {"macos", DefragPolicy::kFirst},
      {"vista", DefragPolicy::kWindows},     {"windows2k3", DefragPolicy::kWindows},
  };
  for (const auto& e : kNames) {
    if (e.name == name) {
      out = e.policy;
      return true;
    }
  }
  return false;
}

struct Defragmenter::Impl {
  Impl(const DefragConfig& cfg, ThreadCounters& c)
      : config(cfg), counters(c), events{event_options(), c} {
    uint32_t buckets = 1;
    uint32_t want = config.max_trackers == 0 ? 1 : config.max_trackers;
    while (buckets < want && buckets < kMaxBuckets) buckets <<= 1;
    bucket_heads.assign(buckets, kNone);
    timeout_us = int64_t{config.timeout} * 1000000;
    // The output holds the largest IPv6 datagram (header + 65535 payload).
    output.reserve(kIpv6Header + kMaxDatagram);
  }

  ~Impl() {
    for (auto& t : trackers)
      if (t.in_use) free_tracker_storage(t);
  }

  // ---- memory accounting ----
  uint64_t memuse() const {
    return trackers_in_use * sizeof(Tracker) + pieces_in_use * sizeof(Piece) + blocks.in_use();
  }
  bool fits(uint64_t more) const { return memuse() + more <= config.memcap; }

  // ---- events ----
  void raise(Packet& p, DecodeEvent e) {
    if (!p.has_event(e)) raise_event(events, p, e);
  }
  void ignored(Packet& p, bool v6, Counter reason) {
    counters.add(reason);
    raise(p, v6 ? DecodeEvent::kIpv6FragIgnored : DecodeEvent::kIpv4FragIgnored);
  }

  // ---- trackers ----
  Tracker& tracker(int32_t i) { return trackers[static_cast<size_t>(i)]; }
  Piece& piece(int32_t i) { return pieces[static_cast<size_t>(i)]; }
  Buffer& buffer(int32_t i) { return buffers[static_cast<size_t>(i)]; }
  size_t bucket_of(uint64_t hash) const { return hash & (bucket_heads.size() - 1); }

  int32_t find(const TrackerKey& key, uint64_t hash) {
    for (int32_t i = bucket_heads[bucket_of(hash)]; i != kNone; i = tracker(i).hash_next) {
      const Tracker& t = tracker(i);
      if (t.hash == hash && t.key == key) return i;
    }
    return kNone;
  }

  int32_t create(const TrackerKey& key, uint64_t hash, bool v6, Timestamp now) {
    if (free_trackers == kNone && trackers.size() >= config.max_trackers) expire(now);
    if (free_trackers == kNone && trackers.size() >= config.max_trackers) return kNone;
    if (!fits(sizeof(Tracker))) {
      expire(now);
      if (!fits(sizeof(Tracker))) return kNone;
    }
    if (free_trackers == kNone) {
      // Grow by a chunk: indices stay valid, only this path allocates.
      size_t old = trackers.size();
      size_t grow = std::min<size_t>(kTrackerChunk, config.max_trackers - old);
      trackers.resize(old + grow);
      for (size_t i = old + grow; i-- > old;) {
        trackers[i].hash_next = free_trackers;
        free_trackers = static_cast<int32_t>(i);
      }
    }
    int32_t i = free_trackers;
    Tracker& t = tracker(i);
    free_trackers = t.hash_next;
    t = Tracker{};
    t.key = key;
    t.hash = hash;
    t.v6 = v6;
    t.in_use = true;
    t.last_seen_us = now.micros();
    size_t b = bucket_of(hash);
    t.hash_next = bucket_heads[b];
    bucket_heads[b] = i;
    lru_append(i);
    ++trackers_in_use;
    return i;
  }

  void lru_unlink(int32_t i) {
    Tracker& t = tracker(i);
    if (t.lru_prev != kNone) tracker(t.lru_prev).lru_next = t.lru_next; else lru_head = t.lru_next;
    if (t.lru_next != kNone) tracker(t.lru_next).lru_prev = t.lru_prev; else lru_tail = t.lru_prev;
    t.lru_prev = t.lru_next = kNone;
  }
  void lru_append(int32_t i) {
    Tracker& t = tracker(i);
    t.lru_prev = lru_tail;
    t.lru_next = kNone;
    if (lru_tail != kNone) tracker(lru_tail).lru_next = i; else lru_head = i;
    lru_tail = i;
  }
  void touch(int32_t i, Timestamp now) {
    tracker(i).last_seen_us = now.micros();
    if (lru_tail != i) {
      lru_unlink(i);
      lru_append(i);
    }
  }

  void free_tracker_storage(Tracker& t) {
    for (int32_t pi = t.pieces; pi != kNone;) {
      int32_t next = piece(pi).next;
      free_piece(pi);
      pi = next;
    }
    t.pieces = kNone;
    if (t.header != nullptr) {
      blocks.put(t.header, t.header_len);
      t.header = nullptr;
    }
  }

  void free_tracker(int32_t i) {
    Tracker& t = tracker(i);
    free_tracker_storage(t);
    size_t b = bucket_of(t.hash);
    for (int32_t* link = &bucket_heads[b]; *link != kNone; link = &tracker(*link).hash_next) {
      if (*link == i) {
        *link = t.hash_next;
        break;
      }
    }
    lru_unlink(i);
    t.in_use = false;
    t.hash_next = free_trackers;
    free_trackers = i;
    --trackers_in_use;
  }

  void expire(Timestamp now) {
    int64_t now_us = now.micros();
    while (lru_head != kNone && now_us - tracker(lru_head).last_seen_us > timeout_us) {
      free_tracker(lru_head);
      counters.add(kTimeouts);
    }
  }

  // ---- pieces and buffers ----
  // Makes sure `n` pieces can be taken without growing the vector (so
  // references into it stay valid while a fragment is inserted).
  void reserve_pieces(uint32_t n) {
    while (free_piece_count < n) {
      size_t old = pieces.size();
      pieces.resize(old + kPieceChunk);
      for (size_t i = old + kPieceChunk; i-- > old;) {
        pieces[i].next = free_pieces;
        free_pieces = static_cast<int32_t>(i);
      }
      free_piece_count += kPieceChunk;
    }
  }
  int32_t take_piece(uint32_t start, uint32_t end, int32_t buf, uint32_t buf_off) {
    int32_t i = free_pieces;
    Piece& pc = piece(i);
    free_pieces = pc.next;
    --free_piece_count;
    ++pieces_in_use;
    pc = Piece{start, end, buf, buf_off, kNone};
    ++buffer(buf).refs;
    return i;
  }
  void free_piece(int32_t i) {
    Piece& pc = piece(i);
    release_buffer(pc.buffer);
    pc.buffer = kNone;
    pc.next = free_pieces;
    free_pieces = i;
    ++free_piece_count;
    --pieces_in_use;
  }
  int32_t new_buffer(const uint8_t* data, uint32_t len) {
    uint8_t* block = blocks.get(len, config.memcap);
    if (block == nullptr) return kNone;
    if (free_buffers == kNone) {
      size_t old = buffers.size();
      buffers.resize(old + kBufferChunk);
      for (size_t i = old + kBufferChunk; i-- > old;) {
        buffers[i].next_free = free_buffers;
        free_buffers = static_cast<int32_t>(i);
      }
    }
    int32_t i = free_buffers;
    Buffer& b = buffer(i);
    free_buffers = b.next_free;
    b.data = block;
    b.len = len;
    b.refs = 0;
    std::memcpy(block, data, len);
    ++buffers_in_use;
    return i;
  }
  void release_buffer(int32_t i) {
    Buffer& b = buffer(i);
    if (--b.refs > 0) return;
    blocks.put(b.data, b.len);
    b.data = nullptr;
    b.next_free = free_buffers;
    free_buffers = i;
    --buffers_in_use;
  }

  // ---- insertion ----
  // Returns false when the fragment was dropped for lack of resources.
  bool insert(Packet& p, int32_t ti, const FragmentInfo& f, bool& overlap) {
    Tracker& t = tracker(ti);
    const uint32_t ns = f.offset, ne = f.offset + f.data_len;
    const DefragPolicy policy = config.policy;

    // Pass 1 (read only): what the new fragment keeps and what that costs.
    bool keeps_any = false, split = false;
    uint32_t old_winners = 0, cursor = ns;
    for (int32_t pi = t.pieces; pi != kNone; pi = piece(pi).next) {
      const Piece& pc = piece(pi);
      if (pc.end <= ns) continue;
      if (pc.start >= ne) break;
      overlap = true;
      if (new_wins(policy, ns, ne, pc.start, pc.end)) {
        if (pc.start < ns && pc.end > ne) split = true;
        continue;
      }
      ++old_winners;
      if (pc.start > cursor) keeps_any = true;
      if (pc.end > cursor) cursor = pc.end;
    }
    if (cursor < ne) keeps_any = true;
    auto note_last = [&] {
      if (f.more) return;
      t.seen_last = true;
      if (ne > t.last_end) t.last_end = ne;
    };
    if (!keeps_any) {  // everything it carries is already owned
      note_last();
      return true;
    }

    bool takes_header = ns == 0;
    uint32_t new_pieces = old_winners + 1 + (split ? 1 : 0);
    if (buffers_in_use >= config.max_frags) {
      ignored(p, f.v6, kMaxFragsReached);
      return false;
    }
    uint64_t need = BlockCache::class_size(f.data_len) + uint64_t{new_pieces} * sizeof(Piece) +
                    (takes_header ? BlockCache::class_size(f.header_len) : 0);
    if (!fits(need)) {
      ignored(p, f.v6, kMemcap);
      return false;
    }
    uint8_t* header = nullptr;
    if (takes_header) {
      header = blocks.get(f.header_len, config.memcap);
      if (header == nullptr) {
        ignored(p, f.v6, kMemcap);
        return false;
      }
    }
    int32_t buf = new_buffer(f.data, f.data_len);
    if (buf == kNone) {
      if (header != nullptr) blocks.put(header, f.header_len);
      ignored(p, f.v6, kMemcap);
      return false;
    }
    reserve_pieces(new_pieces);
    ++buffer(buf).refs;  // held until the end of this function

    // Pass 2: cut the stored pieces that lose to the new fragment.
    for (int32_t* link = &t.pieces; *link != kNone;) {
      int32_t pi = *link;
      Piece& pc = piece(pi);
      if (pc.end <= ns) {
        link = &pc.next;
        continue;
      }
      if (pc.start >= ne) break;
      if (!new_wins(policy, ns, ne, pc.start, pc.end)) {
        link = &pc.next;
        continue;
      }
      if (pc.start >= ns && pc.end <= ne) {  // wholly replaced
        *link = pc.next;
        free_piece(pi);
        continue;
      }
      if (pc.start < ns && pc.end > ne) {  // new lands inside: keep both ends
        int32_t right = take_piece(ne, pc.end, pc.buffer, pc.buffer_off + (ne - pc.start));
        Piece& left = piece(pi);
        piece(right).next = left.next;
        left.next = right;
        left.end = ns;
        link = &piece(right).next;
        continue;
      }
      if (pc.start < ns) {
        pc.end = ns;
      } else {
        pc.buffer_off += ne - pc.start;
        pc.start = ne;
      }
      link = &pc.next;
    }

    // Pass 3: the gaps left in [ns, ne) are the new fragment's bytes.
    cursor = ns;
    int32_t* link = &t.pieces;
    auto add_range = [&](uint32_t from, uint32_t to) {
      int32_t np = take_piece(from, to, buf, from - ns);
      piece(np).next = *link;
      *link = np;
      link = &piece(np).next;
    };
    while (*link != kNone && cursor < ne) {
      Piece& pc = piece(*link);  // stays valid: pieces were reserved above
      if (pc.end <= cursor) {
        link = &pc.next;
        continue;
      }
      if (pc.start >= ne) break;
      if (pc.start > cursor) add_range(cursor, pc.start);  // `link` now leads to pc again
      cursor = pc.end;
      link = &pc.next;
    }
    if (cursor < ne) add_range(cursor, ne);

    // The header comes from the fragment that owns the first byte.
    if (takes_header) {
      Piece& first = piece(t.pieces);
      if (first.start == 0 && first.buffer == buf) {
        if (t.header != nullptr) blocks.put(t.header, t.header_len);
        std::memcpy(header, f.header, f.header_len);
        if (f.v6) header[f.next_header_pos] = f.proto;  // skip the fragment header
        t.header = header;
        t.header_len = f.header_len;
      } else {
        blocks.put(header, f.header_len);
      }
    }
    release_buffer(buf);
    note_last();
    return true;
  }

  // True when [0, last_end) is covered and the header is known.
  bool complete(const Tracker& t) {
    if (!t.seen_last || t.header == nullptr) return false;
    uint32_t cursor = 0;
    for (int32_t pi = t.pieces; pi != kNone; pi = piece(pi).next) {
      const Piece& pc = piece(pi);
      if (pc.start > cursor) return false;
      if (pc.end > cursor) cursor = pc.end;
      if (cursor >= t.last_end) return true;
    }
    return cursor >= t.last_end;
  }

  ByteView build(const Tracker& t) {
    uint32_t payload = t.last_end;
    output.resize(t.header_len + payload);  // within the reserved capacity
    uint8_t* out = output.data();
    std::memcpy(out, t.header, t.header_len);
    for (int32_t pi = t.pieces; pi != kNone; pi = piece(pi).next) {
      const Piece& pc = piece(pi);
      if (pc.start >= payload) break;
      uint32_t end = pc.end < payload ? pc.end : payload;
      std::memcpy(out + t.header_len + pc.start, buffer(pc.buffer).data + pc.buffer_off,
                  end - pc.start);
    }
    if (t.v6) {
      store_be16(out + 4, static_cast<uint16_t>(t.header_len - kIpv6Header + payload));
    } else {
      store_be16(out + 2, static_cast<uint16_t>(t.header_len + payload));
      store_be16(out + 6, load_be16(out + 6) & 0xc000);  // keep DF/reserved, clear MF+offset
      store_be16(out + 10, 0);
      store_be16(out + 10, checksum_fold(checksum_partial(out, t.header_len)));
    }
    return ByteView(out, t.header_len + payload);
  }

  ByteView add(Packet& p) {
    if (!p.is_fragment || p.l3 == nullptr) return {};
    FragmentInfo f;
    ParseStatus status = ParseStatus::kNotFragment;
    if (p.ip_version == 4) status = parse_ipv4(p, f);
    else if (p.ip_version == 6) status = parse_ipv6(p, f);
    if (status == ParseStatus::kInvalidLength) {
      counters.add(kIpv6Fragments);
      raise(p, DecodeEvent::kIpv6FragInvalidLength);
      return {};
    }
    if (status != ParseStatus::kOk) return {};
    counters.add(f.v6 ? kIpv6Fragments : kIpv4Fragments);
    if (f.data_len == 0) return {};  // nothing to place (Suricata ignores these too)

    TrackerKey key = make_key(p, f);
    uint64_t hash = hash_bytes(key.data(), key.size());
    int32_t ti = find(key, hash);
    if (ti != kNone && p.ts.micros() - tracker(ti).last_seen_us > timeout_us) {
      free_tracker(ti);  // a stale datagram must not absorb this one
      counters.add(kTimeouts);
      ti = kNone;
    }

    // Like Suricata, a later IPv4 fragment is measured against a minimal
    // header: the first fragment's real header length is checked on rebuild.
    const uint32_t unfragmentable = f.v6 ? f.header_len - kIpv6Header : kIpv4MinHeader;
    if (unfragmentable + f.offset + f.data_len > kMaxDatagram) {
      raise(p, f.v6 ? DecodeEvent::kIpv6FragPktTooLarge : DecodeEvent::kIpv4FragPktTooLarge);
      if (ti != kNone) free_tracker(ti);
      return {};
    }

    if (ti == kNone) {
      ti = create(key, hash, f.v6, p.ts);
      if (ti == kNone) {
        ignored(p, f.v6, kMemcap);
        return {};
      }
    }
    touch(ti, p.ts);

    bool overlap = false;
    bool stored = insert(p, ti, f, overlap);
    if (overlap) {
      counters.add(kOverlap);
      raise(p, f.v6 ? DecodeEvent::kIpv6FragOverlap : DecodeEvent::kIpv4FragOverlap);
    }
    Tracker& t = tracker(ti);
    if (!stored) {
      if (t.pieces == kNone) free_tracker(ti);  // do not keep an empty tracker
      return {};
    }
    if (!complete(t)) return {};

    uint32_t t_unfrag = t.v6 ? t.header_len - kIpv6Header : t.header_len;
    if (t_unfrag + t.last_end > kMaxDatagram) {
      raise(p, t.v6 ? DecodeEvent::kIpv6FragPktTooLarge : DecodeEvent::kIpv4FragPktTooLarge);
      free_tracker(ti);
      return {};
    }
    ByteView datagram = build(t);
    counters.add(t.v6 ? kIpv6Reassembled : kIpv4Reassembled);
    free_tracker(ti);
    return datagram;
  }

  DefragConfig config;
  ThreadCounters& counters;
  DecodeContext events;  // raise_event() counts decoder.event.* like the decoder does
  int64_t timeout_us = 0;

  std::vector<Tracker> trackers;
  std::vector<int32_t> bucket_heads;
  int32_t free_trackers = kNone;
  int32_t lru_head = kNone, lru_tail = kNone;
  uint64_t trackers_in_use = 0;

  std::vector<Piece> pieces;
  int32_t free_pieces = kNone;
  uint32_t free_piece_count = 0;
  uint64_t pieces_in_use = 0;

  std::vector<Buffer> buffers;
  int32_t free_buffers = kNone;
  uint64_t buffers_in_use = 0;

  BlockCache blocks;
  std::vector<uint8_t> output;
};

Defragmenter::Defragmenter(const DefragConfig& config, ThreadCounters& counters)
    : impl_(std::make_unique<Impl>(config, counters)) {}

Defragmenter::~Defragmenter() = default;

ByteView Defragmenter::add(Packet& p) { return impl_->add(p); }

void Defragmenter::expire(Timestamp now) { impl_->expire(now); }

uint64_t Defragmenter::trackers_in_use() const { return impl_->trackers_in_use; }

uint64_t Defragmenter::memuse() const { return impl_->memuse(); }

}  // namespace seawall::stream
