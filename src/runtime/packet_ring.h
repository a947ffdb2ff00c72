// Single-producer/single-consumer byte ring carrying frames from the reader to
// one worker (autofp). Frames are copied once into the ring and processed in
// place, so the hand-off allocates nothing. Records never wrap: when the tail
// of the buffer is too short, a padding record fills it.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <thread>

#include "core/timestamp.h"
#include "decode/packet.h"

namespace seawall {

enum class RingRecordKind : uint32_t {
  kFrame = 1,  // a captured frame follows
  kTick = 2,   // packet clock advanced (for flow timeouts): ts only
  kPad = 3,    // filler up to the end of the buffer
  kStop = 4,   // end of input
};

struct RingRecord {
  uint32_t size;  // total bytes including this header, multiple of 16
  RingRecordKind kind;
  Timestamp ts;
  uint64_t pcap_cnt;
  uint32_t caplen;
  uint32_t wirelen;
  LayerKind link;
  uint8_t pad_[7];
  const uint8_t* data() const { return reinterpret_cast<const uint8_t*>(this + 1); }
};
static_assert(sizeof(RingRecord) % 16 == 0);

class PacketRing {
 public:
  explicit PacketRing(size_t capacity_bytes);

  // Producer side. Blocks (yielding) while the ring is full.
  void push_frame(Timestamp ts, uint64_t pcap_cnt, const uint8_t* data, uint32_t caplen,
                  uint32_t wirelen, LayerKind link);
  void push_control(RingRecordKind kind, Timestamp ts);

  // Consumer side: the next record, waiting for one; valid until release().
  const RingRecord& acquire();
  void release(const RingRecord& record);

  uint64_t producer_waits() const { return producer_waits_; }

 private:
  RingRecord* reserve(uint32_t size);
  void publish(uint32_t size);

  size_t capacity_;
  std::unique_ptr<uint8_t[]> buffer_;
  alignas(64) std::atomic<uint64_t> head_{0};  // bytes published (producer)
  alignas(64) std::atomic<uint64_t> tail_{0};  // bytes consumed (consumer)
  alignas(64) std::atomic<bool> consumer_sleeping_{false};
  uint64_t producer_waits_ = 0;
};

}  // namespace seawall
