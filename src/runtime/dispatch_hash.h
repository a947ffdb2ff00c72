// Symmetric hash of a raw frame's outer addresses (and ports when the packet
// is neither a fragment nor UDP-encapsulated tunnel traffic), used by the
// autofp reader to pick a worker without a full decode. Both directions of a
// flow land on the same worker — including tunnelled flows, whose two
// directions usually travel in outer UDP flows with different source ports
// (VXLAN/Geneve pick them by entropy), hence addresses only for tunnel ports.
#pragma once

#include <cstdint>

#include "decode/decoder.h"
#include "decode/packet.h"

namespace seawall {

uint64_t dispatch_hash(const uint8_t* data, uint32_t len, LayerKind link,
                       const DecodeOptions& options);

}  // namespace seawall
