// Storage for TCP segments kept by the reassembler: segment records and the
// fixed-size data blocks that hold their bytes, both from per-worker pools
// that grow in chunks (bounded by stream.reassembly.memcap) and are reused, so
// the packet path does not allocate once the pools have warmed up.
// Also the serial-number comparisons (RFC 1982) every sequence check uses.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <vector>

namespace seawall::stream {

// Sequence-number order modulo 2^32: a is before b when b is less than 2^31 ahead.
inline bool seq_lt(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b) < 0; }
inline bool seq_leq(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b) <= 0; }
inline bool seq_gt(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b) > 0; }
inline bool seq_geq(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b) >= 0; }
inline uint32_t seq_min(uint32_t a, uint32_t b) { return seq_lt(a, b) ? a : b; }
inline uint32_t seq_max(uint32_t a, uint32_t b) { return seq_gt(a, b) ? a : b; }

inline constexpr size_t kSegmentBlockBytes = 512;

struct SegmentBlock {
  SegmentBlock* next = nullptr;
  uint8_t data[kSegmentBlockBytes - sizeof(SegmentBlock*)];
};
inline constexpr uint32_t kSegmentBlockData = sizeof(SegmentBlock::data);

// One stored segment: [seq, seq + len) of one direction, in a sorted list.
struct TcpSegment {
  TcpSegment* prev = nullptr;
  TcpSegment* next = nullptr;
  SegmentBlock* blocks = nullptr;
  uint32_t seq = 0;
  uint32_t len = 0;
  bool delivered = false;  // its bytes went to the sink; kept to check retransmissions
  uint32_t end() const { return seq + len; }
};

// Free list over objects allocated in chunks; never frees until destroyed.
template <typename T>
class ChunkPool {
 public:
  explicit ChunkPool(size_t chunk_size) : chunk_size_(chunk_size) {}

  // nullptr only when the system is out of memory.
  T* get() {
    if (free_.empty() && !grow()) return nullptr;
    T* t = free_.back();
    free_.pop_back();
    ++in_use_;
    return t;
  }
  void put(T* t) {
    free_.push_back(t);  // capacity reserved in grow(): no allocation here
    --in_use_;
  }
  size_t in_use() const { return in_use_; }
  size_t capacity() const { return chunks_.size() * chunk_size_; }

 private:
  bool grow() {
    std::unique_ptr<T[]> chunk(new (std::nothrow) T[chunk_size_]);
    if (!chunk) return false;
    chunks_.push_back(std::move(chunk));
    free_.reserve(capacity());
    T* base = chunks_.back().get();
    for (size_t i = chunk_size_; i > 0; --i) free_.push_back(&base[i - 1]);
    return true;
  }

  size_t chunk_size_;
  size_t in_use_ = 0;
  std::vector<std::unique_ptr<T[]>> chunks_;
  std::vector<T*> free_;
};

// Fixed-size byte slots (raw stream lookback), allocated in chunks and reused.
class ByteSlotPool {
 public:
  explicit ByteSlotPool(uint32_t slot_bytes) : slot_bytes_(slot_bytes) {}
  uint32_t slot_bytes() const { return slot_bytes_; }
  // nullptr only when the system is out of memory.
  uint8_t* get() {
    if (free_.empty() && !grow()) return nullptr;
    uint8_t* s = free_.back();
    free_.pop_back();
    return s;
  }
  void put(uint8_t* s) { free_.push_back(s); }  // capacity reserved in grow()

 private:
  static constexpr size_t kSlotsPerChunk = 64;
  bool grow() {
    std::unique_ptr<uint8_t[]> chunk(new (std::nothrow) uint8_t[kSlotsPerChunk * slot_bytes_]);
    if (!chunk) return false;
    chunks_.push_back(std::move(chunk));
    free_.reserve(chunks_.size() * kSlotsPerChunk);
    for (size_t i = kSlotsPerChunk; i > 0; --i)
      free_.push_back(chunks_.back().get() + (i - 1) * slot_bytes_);
    return true;
  }
  uint32_t slot_bytes_;
  std::vector<std::unique_ptr<uint8_t[]>> chunks_;
  std::vector<uint8_t*> free_;
};

// Segment records + data blocks of one worker, bounded by `memcap` bytes.
// Other reassembly memory (raw stream lookback) is charged to the same cap.
class SegmentStore {
 public:
  explicit SegmentStore(uint64_t memcap);

  // Reserves / returns n bytes of the memcap for memory held elsewhere.
  bool charge(uint64_t n) {
    if (memuse() + n > memcap_) return false;
    charged_ += n;
    return true;
  }
  void refund(uint64_t n) { charged_ -= n; }

  // A segment holding a copy of data[0, len); nullptr when memcap is reached.
  TcpSegment* create(uint32_t seq, const uint8_t* data, uint32_t len);
  void release(TcpSegment* s);

  uint64_t memuse() const {
    return segments_.in_use() * sizeof(TcpSegment) + blocks_.in_use() * sizeof(SegmentBlock) +
           charged_;
  }

  // Byte access at offsets inside one segment (callers keep off + n <= len).
  static void write(TcpSegment& s, uint32_t off, const uint8_t* src, uint32_t n);
  static bool equal(const TcpSegment& s, uint32_t off, const uint8_t* src, uint32_t n);
  static void copy(const TcpSegment& src, uint32_t src_off, TcpSegment& dst, uint32_t dst_off,
                   uint32_t n);

  // Calls fn(const uint8_t* data, uint32_t len) for each contiguous run of
  // [off, off + n) of s, in order.
  template <typename Fn>
  static void for_each_chunk(const TcpSegment& s, uint32_t off, uint32_t n, Fn&& fn) {
    const SegmentBlock* b = s.blocks;
    while (b != nullptr && off >= kSegmentBlockData) {
      off -= kSegmentBlockData;
      b = b->next;
    }
    while (b != nullptr && n > 0) {
      const uint32_t take = kSegmentBlockData - off < n ? kSegmentBlockData - off : n;
      fn(b->data + off, take);
      n -= take;
      off = 0;
      b = b->next;
    }
  }

 private:
  uint64_t memcap_;
  uint64_t charged_ = 0;
  ChunkPool<TcpSegment> segments_{256};
  ChunkPool<SegmentBlock> blocks_{256};
};

}  // namespace seawall::stream
