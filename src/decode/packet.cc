#include "decode/packet.h"

namespace seawall {

std::string_view packet_source_name(PacketSource s) {
  switch (s) {
    case PacketSource::kWire: return "wire/pcap";
    case PacketSource::kGre: return "gre tunnel";
    case PacketSource::kErspan: return "erspan tunnel";
    case PacketSource::kVxlan: return "vxlan encapsulation";
    case PacketSource::kGeneve: return "geneve encapsulation";
    case PacketSource::kGtpu: return "gtp-u tunnel";
    case PacketSource::kTeredo: return "teredo tunnel";
    case PacketSource::kIpv4Tunnel: return "ipv4 tunnel";
    case PacketSource::kIpv6Tunnel: return "ipv6 tunnel";
    case PacketSource::kMplsOverUdp: return "mpls-over-udp tunnel";
    case PacketSource::kDefrag: return "defrag";
  }
  return "unknown";
}

}  // namespace seawall
