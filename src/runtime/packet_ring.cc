#include "runtime/packet_ring.h"

#include <stdexcept>

namespace seawall {
namespace {
constexpr uint32_t align16(uint32_t n) { return (n + 15u) & ~15u; }
}  // namespace

PacketRing::PacketRing(size_t capacity_bytes)
    : capacity_(capacity_bytes & ~size_t{15}), buffer_(new uint8_t[capacity_bytes]) {
  // Records are 16-byte multiples, so a 16-byte-multiple capacity leaves
  // room for at least a padding header at the end.
  if (capacity_ < 4 * 65536) throw std::invalid_argument("packet ring too small");
}

RingRecord* PacketRing::reserve(uint32_t size) {
  for (;;) {
    uint64_t head = head_.load(std::memory_order_relaxed);
    size_t offset = head % capacity_;
    size_t to_end = capacity_ - offset;
    uint32_t needed = size;
    bool pad = to_end < size;
    if (pad) needed = static_cast<uint32_t>(to_end) + size;
    uint64_t tail = tail_.load(std::memory_order_acquire);
    if (head + needed - tail <= capacity_) {
      if (pad) {
        auto* filler = reinterpret_cast<RingRecord*>(buffer_.get() + offset);
        filler->size = static_cast<uint32_t>(to_end);
        filler->kind = RingRecordKind::kPad;
        publish(static_cast<uint32_t>(to_end));
        offset = 0;
      }
      return reinterpret_cast<RingRecord*>(buffer_.get() + offset);
    }
    ++producer_waits_;
    std::this_thread::yield();
  }
}

void PacketRing::publish(uint32_t size) {
  head_.store(head_.load(std::memory_order_relaxed) + size, std::memory_order_seq_cst);
  // Dekker-style pairing with acquire(): the consumer sets its flag and then
  // re-reads head_, so one side always sees the other.
  if (consumer_sleeping_.load(std::memory_order_seq_cst)) {
    consumer_sleeping_.store(false, std::memory_order_relaxed);
    head_.notify_one();
  }
}

void PacketRing::push_frame(Timestamp ts, uint64_t pcap_cnt, const uint8_t* data,
                            uint32_t caplen, uint32_t wirelen, LayerKind link) {
  uint32_t size = align16(static_cast<uint32_t>(sizeof(RingRecord)) + caplen);
  RingRecord* r = reserve(size);
  r->size = size;
  r->kind = RingRecordKind::kFrame;
  r->ts = ts;
  r->pcap_cnt = pcap_cnt;
  r->caplen = caplen;
  r->wirelen = wirelen;
  r->link = link;
  if (caplen > 0) std::memcpy(r + 1, data, caplen);
  publish(size);
}

void PacketRing::push_control(RingRecordKind kind, Timestamp ts) {
  uint32_t size = sizeof(RingRecord);
  RingRecord* r = reserve(size);
  r->size = size;
  r->kind = kind;
  r->ts = ts;
  r->pcap_cnt = 0;
  r->caplen = 0;
  r->wirelen = 0;
  publish(size);
}

const RingRecord& PacketRing::acquire() {
  for (;;) {
    uint64_t tail = tail_.load(std::memory_order_relaxed);
    int spins = 0;
    uint64_t head;
    while ((head = head_.load(std::memory_order_acquire)) == tail) {
      if (++spins < 64) continue;
      if (spins < 128) {
        std::this_thread::yield();
        continue;
      }
      consumer_sleeping_.store(true, std::memory_order_seq_cst);
      if (head_.load(std::memory_order_seq_cst) == tail) head_.wait(tail, std::memory_order_acquire);
      consumer_sleeping_.store(false, std::memory_order_relaxed);
    }
    auto* r = reinterpret_cast<const RingRecord*>(buffer_.get() + tail % capacity_);
    if (r->kind == RingRecordKind::kPad) {
      tail_.store(tail + r->size, std::memory_order_release);
      continue;
    }
    return *r;
  }
}

void PacketRing::release(const RingRecord& record) {
  tail_.store(tail_.load(std::memory_order_relaxed) + record.size, std::memory_order_release);
}

}  // namespace seawall
