// A bidirectional flow: the 5-tuple as first seen (initiator = "src"), counters
// per direction, TCP state good enough for EVE flow `state`, and identifiers.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "core/ip_address.h"
#include "core/timestamp.h"
#include "decode/packet.h"

namespace seawall {

// Key used for lookup. Addresses/ports are stored as first seen; lookups match
// either direction. VLAN ids take part (vlan.use-for-tracking), and so does the
// tunnel depth, so an inner flow never merges with an outer one.
struct FlowKey {
  IpAddress src, dst;
  uint16_t sport = 0, dport = 0;   // ICMP: type/code-derived, see flow_key.cc
  uint8_t proto = 0;
  uint8_t tunnel_depth = 0;
  std::array<uint16_t, 2> vlan{};

  friend bool operator==(const FlowKey&, const FlowKey&) = default;
};

// Builds the key of p (as seen in p's direction).
FlowKey flow_key_from_packet(const Packet& p, bool use_vlan);
// The same key with the endpoints swapped.
FlowKey reverse_key(const FlowKey& k);
// Direction-independent hash (same for a key and its reverse).
uint64_t symmetric_flow_hash(const FlowKey& k);

enum class FlowState : uint8_t { kNew, kEstablished, kClosed };
std::string_view flow_state_name(FlowState s);  // "new" "established" "closed"

// Why a flow record is written: EVE flow.reason.
enum class FlowEndReason : uint8_t { kTimeout, kForced, kShutdown };
std::string_view flow_end_reason_name(FlowEndReason r);  // "timeout" "forced" "shutdown"

// TCP connection state as Suricata's stream engine names it (flow.end.tcp_state.*).
enum class TcpState : uint8_t {
  kNone, kSynSent, kSynRecv, kEstablished, kFinWait1, kFinWait2, kTimeWait,
  kLastAck, kCloseWait, kClosing, kClosed,
};
std::string_view tcp_state_name(TcpState s);  // "syn_sent", "established", ...

struct Flow {
  FlowKey key;                  // src = initiator
  uint64_t hash = 0;            // symmetric_flow_hash(key)
  Timestamp start, last;
  uint64_t pkts_toserver = 0, pkts_toclient = 0;
  uint64_t bytes_toserver = 0, bytes_toclient = 0;
  uint8_t tcp_flags_ts = 0, tcp_flags_tc = 0;
  TcpState tcp_state = TcpState::kNone;
  FlowState state = FlowState::kNew;
  uint8_t ip_version = 4;
  PacketSource source = PacketSource::kWire;  // pkt_src of the first packet
  bool alerted = false;
  bool emergency = false;       // created while the table was in emergency mode

  // Intrusive links owned by FlowTable (hash chain and per-timeout LRU list).
  Flow* hash_next = nullptr;
  Flow* lru_prev = nullptr;
  Flow* lru_next = nullptr;
  uint8_t timeout_class = 0;
  bool in_use = false;
};

// Suricata's flow_id formula: start seconds and microseconds in the high bits,
// the flow hash in the low 32, masked to 51 bits (JSON-safe integer).
int64_t flow_id(const Flow& f);

// community_id v1 ("1:<base64 sha1>") for the flow's key, per the spec.
// Writes up to 32 chars to out, returns length.
size_t community_id_v1(const FlowKey& key, uint16_t seed, char* out);

}  // namespace seawall
