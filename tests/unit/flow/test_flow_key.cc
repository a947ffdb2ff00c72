// Flow keys, the symmetric hash, names and flow_id.
#include "flow/flow.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "flow_test_util.h"

namespace seawall {
namespace {

using test::at;

TEST(FlowKey, FromTcpPacket) {
  Packet p = test::tcp_packet("10.0.0.1", 40000, "10.0.0.2", 80, tcp_flag::kSyn, at(1));
  p.vlan = {100, 200, 300};
  p.vlan_count = 3;
  p.tunnel_depth = 2;
  FlowKey k = flow_key_from_packet(p, true);
  EXPECT_EQ(k.src, IpAddress::parse("10.0.0.1"));
  EXPECT_EQ(k.dst, IpAddress::parse("10.0.0.2"));
  EXPECT_EQ(k.sport, 40000);
  EXPECT_EQ(k.dport, 80);
  EXPECT_EQ(k.proto, 6);
  EXPECT_EQ(k.tunnel_depth, 2);
  EXPECT_EQ(k.vlan[0], 100);
  EXPECT_EQ(k.vlan[1], 200);

  FlowKey no_vlan = flow_key_from_packet(p, false);
  EXPECT_EQ(no_vlan.vlan[0], 0);
  EXPECT_EQ(no_vlan.vlan[1], 0);
}

TEST(FlowKey, VlanCountLimitsIds) {
  Packet p = test::udp_packet("10.0.0.1", 1, "10.0.0.2", 2, at(1));
  p.vlan = {7, 99, 0};  // stale second id must not leak in
  p.vlan_count = 1;
  FlowKey k = flow_key_from_packet(p, true);
  EXPECT_EQ(k.vlan[0], 7);
  EXPECT_EQ(k.vlan[1], 0);
}

TEST(FlowKey, IcmpHasNoPorts) {
  Packet req = test::icmp_packet("10.0.0.1", "10.0.0.2", 8, 0, 77, at(1));
  Packet rep = test::icmp_packet("10.0.0.2", "10.0.0.1", 0, 0, 77, at(2));
  FlowKey a = flow_key_from_packet(req, true), b = flow_key_from_packet(rep, true);
  EXPECT_EQ(a.sport, 0);
  EXPECT_EQ(a.dport, 0);
  EXPECT_EQ(reverse_key(a), b);
}

TEST(FlowKey, ReverseSwapsEndpoints) {
  Packet p = test::tcp_packet("10.0.0.1", 1234, "10.0.0.2", 80, 0, at(1));
  FlowKey k = flow_key_from_packet(p, true);
  FlowKey r = reverse_key(k);
  EXPECT_EQ(r.src, k.dst);
  EXPECT_EQ(r.dst, k.src);
  EXPECT_EQ(r.sport, 80);
  EXPECT_EQ(r.dport, 1234);
  EXPECT_EQ(reverse_key(r), k);
  EXPECT_NE(r, k);
}

TEST(FlowHash, SymmetricAndSensitive) {
  Packet p = test::tcp_packet("192.168.1.10", 5555, "8.8.8.8", 443, 0, at(1));
  FlowKey k = flow_key_from_packet(p, true);
  EXPECT_EQ(symmetric_flow_hash(k), symmetric_flow_hash(reverse_key(k)));

  FlowKey other_port = k;
  other_port.sport = 5556;
  EXPECT_NE(symmetric_flow_hash(k), symmetric_flow_hash(other_port));
  FlowKey other_depth = k;
  other_depth.tunnel_depth = 1;
  EXPECT_NE(symmetric_flow_hash(k), symmetric_flow_hash(other_depth));
  FlowKey other_vlan = k;
  other_vlan.vlan[0] = 10;
  EXPECT_NE(symmetric_flow_hash(k), symmetric_flow_hash(other_vlan));
  FlowKey other_proto = k;
  other_proto.proto = 17;
  EXPECT_NE(symmetric_flow_hash(k), symmetric_flow_hash(other_proto));
  // Swapping only the ports (not the addresses) is a different flow.
  FlowKey swapped_ports = k;
  std::swap(swapped_ports.sport, swapped_ports.dport);
  EXPECT_NE(symmetric_flow_hash(k), symmetric_flow_hash(swapped_ports));
}

TEST(FlowHash, SymmetricIpv6AndSameAddress) {
  Packet p = test::udp_packet("2001:db8::1", 53, "2001:db8::2", 33000, at(1));
  FlowKey k = flow_key_from_packet(p, true);
  EXPECT_EQ(symmetric_flow_hash(k), symmetric_flow_hash(reverse_key(k)));
  Packet loop = test::udp_packet("127.0.0.1", 1000, "127.0.0.1", 2000, at(1));
  FlowKey l = flow_key_from_packet(loop, true);
  EXPECT_EQ(symmetric_flow_hash(l), symmetric_flow_hash(reverse_key(l)));
}

// Many sequential client ports towards one server (the common skew) spread
// evenly over a power-of-two bucket array: no bucket gets more than 3x the
// mean, and low bits are used (the table masks them).
TEST(FlowHash, Distribution) {
  constexpr int kBuckets = 1024, kKeys = 64 * kBuckets;
  std::vector<int> count(kBuckets, 0);
  FlowKey k;
  k.src = IpAddress::parse("10.1.0.1");
  k.dst = IpAddress::parse("10.2.0.1");
  k.proto = 6;
  k.dport = 443;
  for (int i = 0; i < kKeys; ++i) {
    k.sport = static_cast<uint16_t>(1024 + (i % 60000));
    k.src.bytes[3] = static_cast<uint8_t>(i / 60000 + 1);
    ++count[symmetric_flow_hash(k) & (kBuckets - 1)];
  }
  const int max = *std::max_element(count.begin(), count.end());
  const int min = *std::min_element(count.begin(), count.end());
  EXPECT_LT(max, 3 * 64);
  EXPECT_GT(min, 0);
}

TEST(FlowNames, MatchSuricata) {
  EXPECT_EQ(flow_state_name(FlowState::kNew), "new");
  EXPECT_EQ(flow_state_name(FlowState::kEstablished), "established");
  EXPECT_EQ(flow_state_name(FlowState::kClosed), "closed");
  EXPECT_EQ(flow_end_reason_name(FlowEndReason::kTimeout), "timeout");
  EXPECT_EQ(flow_end_reason_name(FlowEndReason::kForced), "forced");
  EXPECT_EQ(flow_end_reason_name(FlowEndReason::kShutdown), "shutdown");
  EXPECT_EQ(tcp_state_name(TcpState::kNone), "none");
  EXPECT_EQ(tcp_state_name(TcpState::kSynSent), "syn_sent");
  EXPECT_EQ(tcp_state_name(TcpState::kSynRecv), "syn_recv");
  EXPECT_EQ(tcp_state_name(TcpState::kEstablished), "established");
  EXPECT_EQ(tcp_state_name(TcpState::kFinWait1), "fin_wait1");
  EXPECT_EQ(tcp_state_name(TcpState::kFinWait2), "fin_wait2");
  EXPECT_EQ(tcp_state_name(TcpState::kTimeWait), "time_wait");
  EXPECT_EQ(tcp_state_name(TcpState::kLastAck), "last_ack");
  EXPECT_EQ(tcp_state_name(TcpState::kCloseWait), "close_wait");
  EXPECT_EQ(tcp_state_name(TcpState::kClosing), "closing");
  EXPECT_EQ(tcp_state_name(TcpState::kClosed), "closed");
}

// FlowGetId() of Suricata 7: (sec & 0xFFFF) << 48 | (usec & 0xFFFF) << 32 |
// hash32, masked to 51 bits. Expected values computed by hand from that formula.
TEST(FlowId, SuricataLayout) {
  Flow f;
  f.start = Timestamp{0x12345, 0x6789A};
  f.hash = 0xAABBCCDD11223344ULL;
  // sec & 0xFFFF = 0x2345 -> only its low 3 bits (0x5) survive the 51-bit mask.
  const int64_t expected = (int64_t{0x5} << 48) | (int64_t{0x789A} << 32) | 0x11223344;
  EXPECT_EQ(flow_id(f), expected);
  EXPECT_LT(flow_id(f), int64_t{1} << 51);

  Flow g = f;
  g.start.usec += 1;
  EXPECT_NE(flow_id(f), flow_id(g));
  Flow h = f;
  h.start = Timestamp{0xFFFFFFFF, 0xFFFF};
  h.hash = 0xFFFFFFFFFFFFFFFFULL;
  EXPECT_EQ(flow_id(h), int64_t{0x7FFFFFFFFFFFF});
}

}  // namespace
}  // namespace seawall
