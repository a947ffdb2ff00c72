// libpcap DLT / LINKTYPE values mapped to the decoder's first layer.
#pragma once

#include "decode/packet.h"

namespace seawall {

// LayerKind::kUnknown for link types Seawall cannot decode.
LayerKind layer_for_datalink(int dlt);

}  // namespace seawall
