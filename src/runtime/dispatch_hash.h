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

// `use_ports` false: addresses only for every packet. Needed while IP
// fragments are reassembled in the workers: a fragment carries no ports, so
// the datagram it rebuilds must be on the worker that holds the flow's
// unfragmented packets too.
uint64_t dispatch_hash(const uint8_t* data, uint32_t len, LayerKind link,
                       const DecodeOptions& options, bool use_ports = true);

}  // namespace seawall
