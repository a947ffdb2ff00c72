#include "capture/link_type.h"

#include <pcap/dlt.h>

namespace seawall {

LayerKind layer_for_datalink(int dlt) {
  switch (dlt) {
    case DLT_EN10MB: return LayerKind::kEthernet;
    case DLT_LINUX_SLL: return LayerKind::kSll;
    case 276 /* DLT_LINUX_SLL2 */: return LayerKind::kSll2;
    // DLT_RAW is 12 on Linux and 14 on some BSDs; files carry either.
    case 12:
    case 14:
    case 101 /* LINKTYPE_RAW */: return LayerKind::kIpRaw;
    case 228 /* DLT_IPV4 */: return LayerKind::kIpv4;
    case 229 /* DLT_IPV6 */: return LayerKind::kIpv6;
    case DLT_NULL: return LayerKind::kNull;
    case DLT_LOOP: return LayerKind::kLoop;
    case DLT_PPP:
    case DLT_PPP_SERIAL: return LayerKind::kPpp;
    case DLT_C_HDLC: return LayerKind::kChdlc;
    default: return LayerKind::kUnknown;
  }
}

}  // namespace seawall
