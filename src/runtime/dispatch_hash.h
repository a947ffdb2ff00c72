// Symmetric hash of a raw frame's outer addresses (and ports when the packet
// is not a fragment), used by the autofp reader to pick a worker without a
// full decode. Both directions of a flow, and every tunnel payload carried in
// one outer flow, land on the same worker.
#pragma once

#include <cstdint>

#include "decode/packet.h"

namespace seawall {

uint64_t dispatch_hash(const uint8_t* data, uint32_t len, LayerKind link);

}  // namespace seawall
