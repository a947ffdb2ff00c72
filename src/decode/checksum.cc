#include "decode/decoder.h"

#include "core/byte_view.h"

namespace seawall {

// Sums big-endian 16-bit words; an odd last byte is padded with zero.
// 32-bit accumulation cannot overflow for packets under 128 KiB per call,
// and callers chain calls for the pseudo-header and the segment.
uint32_t checksum_partial(const uint8_t* data, uint32_t len, uint32_t sum) {
  uint64_t acc = sum;
  uint32_t i = 0;
  for (; i + 1 < len; i += 2) acc += load_be16(data + i);
  if (i < len) acc += uint32_t{data[i]} << 8;
  while (acc >> 32) acc = (acc & 0xffffffffu) + (acc >> 32);
  return static_cast<uint32_t>(acc);
}

// Folds the carries and returns the one's complement: the value to store in
// a checksum field; over data that already holds a correct checksum it is 0.
uint16_t checksum_fold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum & 0xffff);
}

bool l4_checksum_ok(const Packet& p, uint8_t proto, const uint8_t* l4, uint32_t l4_len) {
  uint32_t sum = 0;
  if (proto == 1) {  // ICMPv4 has no pseudo-header
    return checksum_fold(checksum_partial(l4, l4_len)) == 0;
  }
  if (p.ip_version == 4) {
    sum = checksum_partial(p.src.bytes.data(), 4, sum);
    sum = checksum_partial(p.dst.bytes.data(), 4, sum);
    sum += proto;
    sum += l4_len & 0xffff;
  } else if (p.ip_version == 6) {
    sum = checksum_partial(p.src.bytes.data(), 16, sum);
    sum = checksum_partial(p.dst.bytes.data(), 16, sum);
    sum += l4_len >> 16;
    sum += l4_len & 0xffff;
    sum += proto;
  } else {
    return true;  // nothing to check against
  }
  return checksum_fold(checksum_partial(l4, l4_len, sum)) == 0;
}

}  // namespace seawall
