// A bidirectional flow: the 5-tuple as first seen (initiator = "src"), counters
// per direction, TCP state good enough for EVE flow `state`, and identifiers.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/ip_address.h"
#include "core/timestamp.h"
#include "decode/packet.h"
#include "flow/app_proto.h"

namespace seawall {
namespace detect {
struct FlowDetectState;  // flowbits/flowints of a flow, owned by the detect stage
}
namespace stream {
struct TcpSession;  // TCP tracking + reassembly of a flow, owned by the stream stage
}
namespace applayer {
struct FlowAppState;  // protocol detection + parser state, owned by the app layer
}

// Key used for lookup. Addresses/ports are stored as first seen; lookups match
// either direction. VLAN ids take part (vlan.use-for-tracking), and so do the
// tunnel depth and the addresses of every enclosing packet (tunnel_hash): an
// inner flow never merges with an outer one, and two subscribers with the same
// private address in different GTP-U/GRE/Teredo tunnels stay two flows.
struct FlowKey {
  IpAddress src, dst;
  // TCP/UDP/SCTP ports. ICMP/ICMPv6 and port-less protocols: 0/0, so all such
  // traffic between two hosts is one flow (as Suricata keys them); the ICMP
  // type/code of each direction live in Flow.
  uint16_t sport = 0, dport = 0;
  uint8_t proto = 0;
  uint8_t tunnel_depth = 0;
  uint64_t tunnel_hash = 0;  // symmetric hash of all outer packets' addresses; 0 on the wire
  std::array<uint16_t, 2> vlan{};

  // VLAN ids in use, as EVE logs them (an id of 0 counts as absent).
  uint8_t vlan_count() const { return vlan[1] != 0 ? 2 : (vlan[0] != 0 ? 1 : 0); }

  friend bool operator==(const FlowKey&, const FlowKey&) = default;
};

// Builds the key of p (as seen in p's direction).
FlowKey flow_key_from_packet(const Packet& p, bool use_vlan);
// The same key with the endpoints swapped.
FlowKey reverse_key(const FlowKey& k);
// Direction-independent hash (same for a key and its reverse). Used by the
// flow table and by the autofp reader to pick a worker.
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
inline constexpr size_t kTcpStateCount = 11;
std::string_view tcp_state_name(TcpState s);  // "none", "syn_sent", "established", ...

// EVE flow "action" (Suricata's FLOW_ACTION_DROP / FLOW_ACTION_PASS).
enum class FlowAction : uint8_t { kNone, kDrop, kPass };

struct Flow {
  FlowKey key;                  // src = initiator
  uint64_t hash = 0;            // symmetric_flow_hash(key)
  Timestamp start, last;
  // Packet clock (the engine's, from expire()) at the last packet: orders the
  // timeout lists and decides expiry, so timeouts do not depend on how packets
  // were spread over workers or on capture time stepping back.
  Timestamp touched;
  uint64_t pkts_toserver = 0, pkts_toclient = 0;
  uint64_t bytes_toserver = 0, bytes_toclient = 0;
  uint8_t tcp_flags_ts = 0, tcp_flags_tc = 0;
  TcpState tcp_state = TcpState::kNone;
  FlowState state = FlowState::kNew;
  uint8_t ip_version = 4;
  PacketSource source = PacketSource::kWire;  // pkt_src of the first packet
  bool alerted = false;
  // Set by detection (a drop/pass rule acting on the whole flow); the first one
  // wins. Drop: later packets are dropped uninspected; pass: not inspected.
  FlowAction action = FlowAction::kNone;
  bool drop_logged[2] = {false, false};  // EVE drop "flows: start", per direction
  detect::FlowDetectState* detect = nullptr;  // released by the detect stage at flow end
  stream::TcpSession* tcp = nullptr;          // released by the stream stage at flow end
  // The stream stage tracked a TCP session for this flow (it stays set after
  // `tcp` is released): EVE flow logs the session's fields (max_regions).
  bool tcp_session_seen = false;
  applayer::FlowAppState* app = nullptr;      // released by the app layer at flow end
  // Application protocol (EVE app_proto): the agreed one, what each direction's
  // data was identified as, and the first guess when it changed (app_proto_orig).
  AppProto app_proto = kAppProtoUnknown;
  AppProto app_proto_ts = kAppProtoUnknown, app_proto_tc = kAppProtoUnknown;
  AppProto app_proto_orig = kAppProtoUnknown;
  bool emergency = false;       // created while the table was in emergency mode

  // ICMP/ICMPv6: type/code of the first packet (EVE icmp_type/icmp_code, and
  // the community id input) and of the first packet the other way
  // (EVE response_icmp_type/response_icmp_code).
  uint8_t icmp_type = 0, icmp_code = 0;
  uint8_t response_icmp_type = 0, response_icmp_code = 0;
  bool has_icmp = false, has_response_icmp = false;

  // A packet that counts as "seen" went this way (ICMPv4 errors do not count,
  // as in Suricata); both set = established for non-TCP flows.
  bool seen_toserver = false, seen_toclient = false;

  // Intrusive links owned by FlowTable (hash chain and per-timeout LRU list).
  Flow* hash_next = nullptr;
  Flow* lru_prev = nullptr;
  Flow* lru_next = nullptr;
  uint8_t timeout_class = 0;
  bool in_use = false;
};

// Suricata's flow_id formula (FlowGetId in suricata/src/flow.h, 7.x):
//   (start.sec & 0xFFFF) << 48 | (start.usec & 0xFFFF) << 32 | flow_hash
// masked to 51 bits (JSON-safe integer). flow_hash is the low 32 bits of our
// symmetric hash; Suricata's own hash is seeded randomly per run, so ids are
// not comparable across the two engines anyway, only the layout is.
int64_t flow_id(const Flow& f);

// community_id v1 ("1:<base64 sha1>", always 30 chars) per the Community ID
// spec (github.com/corelight/community-id-spec). `out` must hold
// kCommunityIdMaxLen bytes; no terminator is written; returns the length.
inline constexpr size_t kCommunityIdMaxLen = 32;

// From a raw tuple. For ICMP (1) and ICMPv6 (58) sport/dport are the ICMP
// type and code; they are mapped to port equivalents with the spec's table.
// Protocols other than TCP/UDP/SCTP/ICMP/ICMPv6 hash no ports.
size_t community_id_v1(const IpAddress& src, const IpAddress& dst, uint8_t proto,
                       uint16_t sport, uint16_t dport, uint16_t seed, char* out);
// For a key: key.sport/dport are used as ports (for ICMP: as type/code, see
// above — flow-table keys hold 0/0 for ICMP, so use the Flow overload there).
size_t community_id_v1(const FlowKey& key, uint16_t seed, char* out);
// For a flow (what the EVE writer should call): like the key overload, but
// ICMP flows use the first packet's type/code, as Suricata does.
size_t community_id_v1(const Flow& flow, uint16_t seed, char* out);

}  // namespace seawall
