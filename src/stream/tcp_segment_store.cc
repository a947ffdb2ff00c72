#include "stream/tcp_segment_store.h"

#include <cstring>

namespace seawall::stream {
namespace {

// Block holding byte `off` of s, with `off` reduced to an offset inside it.
SegmentBlock* block_at(const TcpSegment& s, uint32_t& off) {
  SegmentBlock* b = s.blocks;
  while (b != nullptr && off >= kSegmentBlockData) {
    off -= kSegmentBlockData;
    b = b->next;
  }
  return b;
}

}  // namespace

SegmentStore::SegmentStore(uint64_t memcap) : memcap_(memcap) {}

TcpSegment* SegmentStore::create(uint32_t seq, const uint8_t* data, uint32_t len) {
  const uint64_t nblocks = (uint64_t{len} + kSegmentBlockData - 1) / kSegmentBlockData;
  const uint64_t need = sizeof(TcpSegment) + nblocks * sizeof(SegmentBlock);
  if (len == 0 || memuse() + need > memcap_) return nullptr;
  TcpSegment* s = segments_.get();
  if (s == nullptr) return nullptr;
  *s = TcpSegment{};
  s->seq = seq;
  s->len = len;
  SegmentBlock** tail = &s->blocks;
  for (uint64_t i = 0; i < nblocks; ++i) {
    SegmentBlock* b = blocks_.get();
    if (b == nullptr) {
      release(s);
      return nullptr;
    }
    b->next = nullptr;
    *tail = b;
    tail = &b->next;
  }
  write(*s, 0, data, len);
  return s;
}

void SegmentStore::release(TcpSegment* s) {
  SegmentBlock* b = s->blocks;
  while (b != nullptr) {
    SegmentBlock* next = b->next;
    blocks_.put(b);
    b = next;
  }
  s->blocks = nullptr;
  s->prev = s->next = nullptr;
  segments_.put(s);
}

void SegmentStore::write(TcpSegment& s, uint32_t off, const uint8_t* src, uint32_t n) {
  SegmentBlock* b = block_at(s, off);
  while (b != nullptr && n > 0) {
    const uint32_t take = kSegmentBlockData - off < n ? kSegmentBlockData - off : n;
    std::memcpy(b->data + off, src, take);
    src += take;
    n -= take;
    off = 0;
    b = b->next;
  }
}

bool SegmentStore::equal(const TcpSegment& s, uint32_t off, const uint8_t* src, uint32_t n) {
  bool same = true;
  for_each_chunk(s, off, n, [&](const uint8_t* data, uint32_t len) {
    if (same && std::memcmp(data, src, len) != 0) same = false;
    src += len;
  });
  return same;
}

void SegmentStore::copy(const TcpSegment& src, uint32_t src_off, TcpSegment& dst,
                        uint32_t dst_off, uint32_t n) {
  for_each_chunk(src, src_off, n, [&](const uint8_t* data, uint32_t len) {
    write(dst, dst_off, data, len);
    dst_off += len;
  });
}

}  // namespace seawall::stream
