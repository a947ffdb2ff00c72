// Maps a fuzz input's selector byte to the decoder's first layer: the link
// types a capture can hand to Seawall (Ethernet, raw IP, Linux SLL/SLL2,
// BSD null/loop, PPP).
#pragma once

#include <cstdint>

#include "decode/packet.h"

namespace seawall {

inline LayerKind fuzz_link_kind(uint8_t selector) {
  static constexpr LayerKind kLinks[] = {
      LayerKind::kEthernet, LayerKind::kIpRaw, LayerKind::kSll, LayerKind::kSll2,
      LayerKind::kNull,     LayerKind::kLoop,  LayerKind::kPpp,
  };
  return kLinks[(selector & 0x7f) % (sizeof(kLinks) / sizeof(kLinks[0]))];
}

// Selector byte values for seeds (tests/fuzz/make_seeds.py keeps the same order).
inline constexpr uint8_t kSelectEthernet = 0, kSelectIpRaw = 1, kSelectSll = 2, kSelectSll2 = 3,
                         kSelectNull = 4, kSelectLoop = 5, kSelectPpp = 6;

}  // namespace seawall
