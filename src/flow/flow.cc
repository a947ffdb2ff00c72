#include "flow/flow.h"

#include <cstring>

#include "core/hash.h"

namespace seawall {

namespace {
constexpr uint8_t kProtoTcp = 6, kProtoUdp = 17, kProtoSctp = 132;

bool proto_has_ports(uint8_t proto) {
  return proto == kProtoTcp || proto == kProtoUdp || proto == kProtoSctp;
}
}  // namespace

FlowKey flow_key_from_packet(const Packet& p, bool use_vlan) {
  FlowKey k;
  k.src = p.src;
  k.dst = p.dst;
  k.proto = p.ip_proto;
  // Ports only where the protocol has them; ICMP and others pair on addresses.
  if (p.has_ports && proto_has_ports(p.ip_proto)) {
    k.sport = p.sport;
    k.dport = p.dport;
  }
  k.tunnel_depth = p.tunnel_depth;
  // Direction-independent (sum of per-address hashes), so both directions of
  // a tunnelled flow share it — and it only depends on outer addresses, which
  // is also what the autofp reader dispatches tunnel traffic on.
  for (const Packet* o = p.outer; o != nullptr; o = o->outer) {
    if (o->ip_version == 0) continue;
    k.tunnel_hash = mix64(k.tunnel_hash ^ (hash_bytes(o->src.bytes.data(), 16) +
                                           hash_bytes(o->dst.bytes.data(), 16)));
  }
  if (use_vlan) {
    k.vlan[0] = p.vlan_count > 0 ? p.vlan[0] : 0;
    k.vlan[1] = p.vlan_count > 1 ? p.vlan[1] : 0;
  }
  return k;
}

FlowKey reverse_key(const FlowKey& k) {
  FlowKey r = k;
  r.src = k.dst;
  r.dst = k.src;
  r.sport = k.dport;
  r.dport = k.sport;
  return r;
}

uint64_t symmetric_flow_hash(const FlowKey& k) {
  // Each endpoint is hashed on its own and the two are added: addition is
  // commutative, so both directions hash alike without ordering the endpoints.
  auto endpoint = [](const IpAddress& ip, uint16_t port) {
    uint64_t lo, hi;
    std::memcpy(&lo, ip.bytes.data(), 8);
    std::memcpy(&hi, ip.bytes.data() + 8, 8);
    return mix64(lo ^ mix64(hi ^ (uint64_t{port} << 32 | ip.family)));
  };
  uint64_t context = uint64_t{k.proto} | uint64_t{k.tunnel_depth} << 8 |
                     uint64_t{k.vlan[0]} << 16 | uint64_t{k.vlan[1]} << 32;
  return mix64((endpoint(k.src, k.sport) + endpoint(k.dst, k.dport)) ^ context ^ k.tunnel_hash);
}

std::string_view flow_state_name(FlowState s) {
  switch (s) {
    case FlowState::kNew: return "new";
    case FlowState::kEstablished: return "established";
    case FlowState::kClosed: return "closed";
  }
  return "unknown";
}

std::string_view flow_end_reason_name(FlowEndReason r) {
  switch (r) {
    case FlowEndReason::kTimeout: return "timeout";
    case FlowEndReason::kForced: return "forced";
    case FlowEndReason::kShutdown: return "shutdown";
  }
  return "unknown";
}

std::string_view tcp_state_name(TcpState s) {
  switch (s) {
    case TcpState::kNone: return "none";
    case TcpState::kSynSent: return "syn_sent";
    case TcpState::kSynRecv: return "syn_recv";
    case TcpState::kEstablished: return "established";
    case TcpState::kFinWait1: return "fin_wait1";
    case TcpState::kFinWait2: return "fin_wait2";
    case TcpState::kTimeWait: return "time_wait";
    case TcpState::kLastAck: return "last_ack";
    case TcpState::kCloseWait: return "close_wait";
    case TcpState::kClosing: return "closing";
    case TcpState::kClosed: return "closed";
  }
  return "unknown";
}

int64_t flow_id(const Flow& f) {
  // Layout of FlowGetId() in suricata/src/flow.h (Suricata 7.x).
  uint64_t id = (static_cast<uint64_t>(f.start.sec) & 0xFFFF) << 48 |
                (static_cast<uint64_t>(f.start.usec) & 0xFFFF) << 32 |
                static_cast<uint32_t>(f.hash);
  id &= 0x7ffffffffffffULL;
  return static_cast<int64_t>(id);
}

}  // namespace seawall
