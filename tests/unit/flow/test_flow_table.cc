// FlowTable: lookup in both directions, state, timeouts per class, eviction,
// emergency mode, flush, port reuse, and no allocation per packet.
#include "flow/flow_table.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "flow_test_util.h"

// Counts global allocations so a test can prove the per-packet path allocates
// nothing once the pool is warm.
namespace {
std::atomic<uint64_t> g_allocations{0};
}  // namespace

void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace seawall {
namespace {

using test::at;
using test::counter_value;
using test::RecordingSink;

constexpr uint8_t S = tcp_flag::kSyn, A = tcp_flag::kAck, F = tcp_flag::kFin,
                  R = tcp_flag::kRst, P = tcp_flag::kPsh;

FlowConfig small_config(size_t flows) {
  FlowConfig c;
  c.memcap = flows * sizeof(Flow);
  c.hash_size = 64;
  c.prealloc = static_cast<uint32_t>(flows);
  return c;
}

class FlowTableTest : public ::testing::Test {
 protected:
  ThreadCounters counters;
  RecordingSink sink;
  uint64_t value(std::string_view name) { return counter_value(counters, name); }
};

TEST_F(FlowTableTest, CapacityFromMemcap) {
  FlowConfig c;
  c.memcap = 1000 * sizeof(Flow) + 7;
  c.prealloc = 10;
  FlowTable t(c, counters);
  EXPECT_EQ(t.capacity(), 1000u);
  EXPECT_EQ(t.allocated(), 10u);

  FlowConfig tiny;
  tiny.memcap = 1;
  FlowTable one(tiny, counters);
  EXPECT_EQ(one.capacity(), 1u);
}

TEST_F(FlowTableTest, NoFlowForNonIpInvalidOrFragments) {
  FlowTable t(small_config(8), counters);
  Packet none;  // ip_version 0
  EXPECT_EQ(t.handle_packet(none, sink), nullptr);
  Packet bad = test::udp_packet("10.0.0.1", 1, "10.0.0.2", 2, at(1));
  bad.invalid = true;
  EXPECT_EQ(t.handle_packet(bad, sink), nullptr);
  Packet frag = test::udp_packet("10.0.0.1", 1, "10.0.0.2", 2, at(1));
  frag.is_fragment = true;
  frag.first_fragment = true;
  EXPECT_EQ(t.handle_packet(frag, sink), nullptr);
  Packet later = test::ip_packet("10.0.0.1", "10.0.0.2", 17, at(1));
  later.is_fragment = true;
  EXPECT_EQ(t.handle_packet(later, sink), nullptr);
  EXPECT_EQ(t.active(), 0u);
  EXPECT_EQ(value("flow.total"), 0u);
}

TEST_F(FlowTableTest, GreCarriersHaveNoFlowOtherProtocolsDo) {
  // As Suricata: GRE packets only carry (their payload gets flows), while
  // IP-in-IP and other protocols are tracked on addresses.
  FlowTable t(small_config(8), counters);
  Packet gre = test::ip_packet("10.0.0.1", "10.0.0.2", 47, at(1));
  EXPECT_EQ(t.handle_packet(gre, sink), nullptr);
  Packet ipip = test::ip_packet("10.0.0.1", "10.0.0.2", 4, at(1));
  EXPECT_NE(t.handle_packet(ipip, sink), nullptr);
  Packet ospf = test::ip_packet("10.0.0.1", "224.0.0.5", 89, at(1));
  EXPECT_NE(t.handle_packet(ospf, sink), nullptr);
  EXPECT_EQ(t.active(), 2u);
}

TEST_F(FlowTableTest, BothDirectionsOneFlow) {
  FlowTable t(small_config(8), counters);
  Packet q = test::udp_packet("10.0.0.1", 5353, "10.0.0.2", 53, at(10));
  q.caplen = 80;
  Flow* f = t.handle_packet(q, sink);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(q.flow, f);
  EXPECT_TRUE(q.to_server);
  EXPECT_EQ(f->state, FlowState::kNew);

  Packet r = test::udp_packet("10.0.0.2", 53, "10.0.0.1", 5353, at(11));
  r.caplen = 200;
  EXPECT_EQ(t.handle_packet(r, sink), f);
  EXPECT_FALSE(r.to_server);
  EXPECT_EQ(f->state, FlowState::kEstablished);
  EXPECT_EQ(f->pkts_toserver, 1u);
  EXPECT_EQ(f->pkts_toclient, 1u);
  EXPECT_EQ(f->bytes_toserver, 80u);
  EXPECT_EQ(f->bytes_toclient, 200u);
  EXPECT_EQ(f->key.src, IpAddress::parse("10.0.0.1"));
  EXPECT_EQ(f->key.sport, 5353);
  EXPECT_EQ(f->start, at(10));
  EXPECT_EQ(f->last, at(11));
  EXPECT_EQ(f->hash, symmetric_flow_hash(f->key));
  EXPECT_EQ(t.active(), 1u);
  EXPECT_EQ(value("flow.total"), 1u);
  EXPECT_EQ(value("flow.udp"), 1u);
  EXPECT_EQ(value("flow.active"), 1u);

  // A different client port is another flow; so is another tunnel depth/VLAN.
  Packet other = test::udp_packet("10.0.0.1", 5354, "10.0.0.2", 53, at(12));
  EXPECT_NE(t.handle_packet(other, sink), f);
  Packet inner = test::udp_packet("10.0.0.1", 5353, "10.0.0.2", 53, at(12));
  inner.tunnel_depth = 1;
  EXPECT_NE(t.handle_packet(inner, sink), f);
  Packet vlan = test::udp_packet("10.0.0.1", 5353, "10.0.0.2", 53, at(12));
  vlan.vlan[0] = 5;
  vlan.vlan_count = 1;
  EXPECT_NE(t.handle_packet(vlan, sink), f);
  EXPECT_EQ(t.active(), 4u);
}

TEST_F(FlowTableTest, VlanIgnoredWhenNotUsedForTracking) {
  FlowConfig c = small_config(8);
  c.use_vlan_for_tracking = false;
  FlowTable t(c, counters);
  Packet a = test::udp_packet("10.0.0.1", 1, "10.0.0.2", 2, at(1));
  a.vlan[0] = 10;
  a.vlan_count = 1;
  Packet b = test::udp_packet("10.0.0.2", 2, "10.0.0.1", 1, at(2));
  b.vlan[0] = 20;
  b.vlan_count = 1;
  EXPECT_EQ(t.handle_packet(a, sink), t.handle_packet(b, sink));
}

TEST_F(FlowTableTest, IcmpEchoPairsIntoOneFlow) {
  FlowTable t(small_config(8), counters);
  Packet req = test::icmp_packet("10.0.0.1", "10.0.0.2", 8, 0, 1, at(1));
  Packet rep = test::icmp_packet("10.0.0.2", "10.0.0.1", 0, 0, 1, at(2));
  Flow* f = t.handle_packet(req, sink);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(t.handle_packet(rep, sink), f);
  EXPECT_FALSE(rep.to_server);
  EXPECT_EQ(f->state, FlowState::kEstablished);
  EXPECT_TRUE(f->has_icmp);
  EXPECT_EQ(f->icmp_type, 8);
  EXPECT_TRUE(f->has_response_icmp);
  EXPECT_EQ(f->response_icmp_type, 0);
  EXPECT_EQ(value("flow.icmpv4"), 1u);
  // The flow's community id is the one of its first packet's tuple (type 8).
  char cid[kCommunityIdMaxLen];
  char raw[kCommunityIdMaxLen];
  EXPECT_EQ(std::string(cid, community_id_v1(*f, 0, cid)),
            std::string(raw, community_id_v1(req.src, req.dst, 1, 8, 0, 0, raw)));
}

TEST_F(FlowTableTest, IcmpErrorDoesNotEstablish) {
  FlowTable t(small_config(8), counters);
  Packet probe = test::ip_packet("10.0.0.1", "10.0.0.2", 1, at(1));
  probe.has_icmp = true;
  probe.icmp_type = 8;
  Flow* f = t.handle_packet(probe, sink);
  Packet unreach = test::icmp_packet("10.0.0.2", "10.0.0.1", 3, 1, 0, at(2));
  EXPECT_EQ(t.handle_packet(unreach, sink), f);
  EXPECT_EQ(f->pkts_toclient, 1u);
  EXPECT_EQ(f->state, FlowState::kNew);
}

TEST_F(FlowTableTest, TcpHandshakeAndFinClose) {
  FlowTable t(small_config(8), counters);
  Packet syn = test::tcp_packet("10.0.0.1", 40000, "10.0.0.2", 80, S, at(1));
  Flow* f = t.handle_packet(syn, sink);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->tcp_state, TcpState::kSynSent);
  EXPECT_EQ(f->state, FlowState::kNew);
  Packet synack = test::tcp_packet("10.0.0.2", 80, "10.0.0.1", 40000, S | A, at(1, 100));
  t.handle_packet(synack, sink);
  EXPECT_EQ(f->tcp_state, TcpState::kSynRecv);
  EXPECT_EQ(f->state, FlowState::kNew);
  Packet ack = test::tcp_packet("10.0.0.1", 40000, "10.0.0.2", 80, A, at(1, 200));
  t.handle_packet(ack, sink);
  EXPECT_EQ(f->tcp_state, TcpState::kEstablished);
  EXPECT_EQ(f->state, FlowState::kEstablished);

  Packet data = test::tcp_packet("10.0.0.1", 40000, "10.0.0.2", 80, A | P, at(2));
  t.handle_packet(data, sink);
  Packet fin1 = test::tcp_packet("10.0.0.1", 40000, "10.0.0.2", 80, F | A, at(3));
  t.handle_packet(fin1, sink);
  EXPECT_EQ(f->tcp_state, TcpState::kCloseWait);
  EXPECT_EQ(f->state, FlowState::kEstablished);
  Packet fin2 = test::tcp_packet("10.0.0.2", 80, "10.0.0.1", 40000, F | A, at(3, 1));
  t.handle_packet(fin2, sink);
  EXPECT_EQ(f->tcp_state, TcpState::kLastAck);
  EXPECT_EQ(f->state, FlowState::kClosed);
  Packet last = test::tcp_packet("10.0.0.1", 40000, "10.0.0.2", 80, A, at(3, 2));
  t.handle_packet(last, sink);
  EXPECT_EQ(f->tcp_state, TcpState::kClosed);
  EXPECT_EQ(f->tcp_flags_ts, S | A | P | F);
  EXPECT_EQ(f->tcp_flags_tc, S | A | F);
  EXPECT_EQ(f->pkts_toserver, 5u);
  EXPECT_EQ(f->pkts_toclient, 2u);

  t.flush_all(at(4), sink);
  ASSERT_EQ(sink.ended.size(), 1u);
  EXPECT_EQ(sink.ended[0].reason, FlowEndReason::kShutdown);
  EXPECT_EQ(value("flow.end.state.closed"), 1u);
  EXPECT_EQ(value("flow.end.tcp_state.closed"), 1u);
  EXPECT_EQ(value("flow.tcp"), 1u);
}

TEST_F(FlowTableTest, TcpRstCloses) {
  FlowTable t(small_config(8), counters);
  Packet syn = test::tcp_packet("10.0.0.1", 40000, "10.0.0.2", 81, S, at(1));
  Flow* f = t.handle_packet(syn, sink);
  Packet rst = test::tcp_packet("10.0.0.2", 81, "10.0.0.1", 40000, R | A, at(1, 5));
  EXPECT_EQ(t.handle_packet(rst, sink), f);
  EXPECT_EQ(f->tcp_state, TcpState::kClosed);
  EXPECT_EQ(f->state, FlowState::kClosed);
}

TEST_F(FlowTableTest, SynAckFirstMakesReceiverTheClient) {
  FlowTable t(small_config(8), counters);
  Packet synack = test::tcp_packet("10.0.0.2", 80, "10.0.0.1", 40000, S | A, at(1));
  Flow* f = t.handle_packet(synack, sink);
  ASSERT_NE(f, nullptr);
  EXPECT_FALSE(synack.to_server);
  EXPECT_EQ(f->key.src, IpAddress::parse("10.0.0.1"));
  EXPECT_EQ(f->key.sport, 40000);
  EXPECT_EQ(f->key.dport, 80);
  EXPECT_EQ(f->pkts_toclient, 1u);
  EXPECT_EQ(f->pkts_toserver, 0u);
  Packet ack = test::tcp_packet("10.0.0.1", 40000, "10.0.0.2", 80, A, at(1, 1));
  EXPECT_EQ(t.handle_packet(ack, sink), f);
  EXPECT_TRUE(ack.to_server);
  EXPECT_EQ(f->state, FlowState::kEstablished);
}

TEST_F(FlowTableTest, TcpMidstream) {
  {
    FlowTable t(small_config(8), counters);
    Packet a = test::tcp_packet("10.0.0.1", 40000, "10.0.0.2", 80, A | P, at(1));
    Flow* f = t.handle_packet(a, sink);
    EXPECT_EQ(f->state, FlowState::kNew);
    Packet b = test::tcp_packet("10.0.0.2", 80, "10.0.0.1", 40000, A, at(2));
    t.handle_packet(b, sink);
    EXPECT_EQ(f->state, FlowState::kEstablished);
    EXPECT_EQ(f->tcp_state, TcpState::kEstablished);
  }
  FlowConfig c = small_config(8);
  c.tcp_midstream_established = false;
  FlowTable t(c, counters);
  Packet a = test::tcp_packet("10.0.0.1", 40000, "10.0.0.2", 80, A | P, at(1));
  Flow* f = t.handle_packet(a, sink);
  Packet b = test::tcp_packet("10.0.0.2", 80, "10.0.0.1", 40000, A, at(2));
  t.handle_packet(b, sink);
  EXPECT_EQ(f->state, FlowState::kNew);
  EXPECT_EQ(f->tcp_state, TcpState::kNone);
}

TEST_F(FlowTableTest, TcpPortReuseStartsNewFlow) {
  FlowTable t(small_config(8), counters);
  Packet syn = test::tcp_packet("10.0.0.1", 40000, "10.0.0.2", 80, S, at(1));
  Flow* first = t.handle_packet(syn, sink);
  Packet rst = test::tcp_packet("10.0.0.2", 80, "10.0.0.1", 40000, R | A, at(2));
  t.handle_packet(rst, sink);
  ASSERT_EQ(first->state, FlowState::kClosed);
  const Timestamp first_start = first->start;

  Packet syn2 = test::tcp_packet("10.0.0.1", 40000, "10.0.0.2", 80, S, at(5));
  Flow* second = t.handle_packet(syn2, sink);
  ASSERT_NE(second, nullptr);
  ASSERT_EQ(sink.ended.size(), 1u);
  EXPECT_EQ(sink.ended[0].reason, FlowEndReason::kForced);
  EXPECT_EQ(sink.ended[0].flow.start, first_start);
  EXPECT_EQ(sink.ended[0].flow.pkts_toclient, 1u);
  EXPECT_EQ(second->start, at(5));
  EXPECT_EQ(second->tcp_state, TcpState::kSynSent);
  EXPECT_EQ(second->pkts_toserver, 1u);
  EXPECT_EQ(second->pkts_toclient, 0u);
  EXPECT_EQ(t.active(), 1u);
  EXPECT_EQ(value("flow.tcp_reuse"), 1u);
  EXPECT_EQ(value("flow.total"), 2u);

  // A SYN on a flow that is still open is a retransmission, not reuse.
  Packet syn3 = test::tcp_packet("10.0.0.1", 40000, "10.0.0.2", 80, S, at(6));
  EXPECT_EQ(t.handle_packet(syn3, sink), second);
  EXPECT_EQ(value("flow.tcp_reuse"), 1u);
}

TEST_F(FlowTableTest, TimeoutsPerClass) {
  FlowTable t(small_config(16), counters);
  // UDP new: 30 s. TCP established: 600 s. TCP closed: 60 s. ICMP est.: 300 s.
  Packet udp = test::udp_packet("10.0.0.1", 1000, "10.0.0.2", 53, at(100));
  t.handle_packet(udp, sink);
  Packet s1 = test::tcp_packet("10.0.0.1", 2000, "10.0.0.2", 22, S, at(100));
  Packet s2 = test::tcp_packet("10.0.0.2", 22, "10.0.0.1", 2000, S | A, at(100));
  Packet s3 = test::tcp_packet("10.0.0.1", 2000, "10.0.0.2", 22, A, at(100));
  Flow* est = t.handle_packet(s1, sink);
  t.handle_packet(s2, sink);
  t.handle_packet(s3, sink);
  ASSERT_EQ(est->state, FlowState::kEstablished);
  Packet c1 = test::tcp_packet("10.0.0.1", 3000, "10.0.0.2", 22, S, at(100));
  Packet c2 = test::tcp_packet("10.0.0.2", 22, "10.0.0.1", 3000, R | A, at(100));
  Flow* closed = t.handle_packet(c1, sink);
  t.handle_packet(c2, sink);
  ASSERT_EQ(closed->state, FlowState::kClosed);
  ASSERT_EQ(t.active(), 3u);

  t.expire(at(130), sink);  // exactly at the UDP timeout: kept
  EXPECT_TRUE(sink.ended.empty());
  t.expire(at(130, 1), sink);  // just past it
  ASSERT_EQ(sink.ended.size(), 1u);
  EXPECT_EQ(sink.ended[0].flow.key.proto, 17);
  EXPECT_EQ(sink.ended[0].reason, FlowEndReason::kTimeout);
  EXPECT_EQ(sink.ended[0].now, at(130, 1));

  t.expire(at(160), sink);  // TCP closed: 100 + 60, not past yet
  EXPECT_EQ(sink.ended.size(), 1u);
  t.expire(at(161), sink);
  ASSERT_EQ(sink.ended.size(), 2u);
  EXPECT_EQ(sink.ended[1].flow.key.sport, 3000);

  t.expire(at(699, 999999), sink);
  EXPECT_EQ(sink.ended.size(), 2u);
  t.expire(at(701), sink);
  ASSERT_EQ(sink.ended.size(), 3u);
  EXPECT_EQ(sink.ended[2].flow.key.sport, 2000);
  EXPECT_EQ(t.active(), 0u);
  EXPECT_EQ(value("flow.mgr.flows_timeout"), 3u);
  EXPECT_EQ(value("flow.end.state.new"), 1u);
  EXPECT_EQ(value("flow.end.state.established"), 1u);
  EXPECT_EQ(value("flow.end.state.closed"), 1u);
  EXPECT_EQ(value("flow.end.tcp_state.established"), 1u);
  EXPECT_EQ(value("flow.active"), 0u);
}

// A packet moves its flow to the tail: a busy flow does not expire with the
// idle ones created before it.
TEST_F(FlowTableTest, ActivityRefreshesTimeout) {
  FlowTable t(small_config(8), counters);
  Packet a = test::udp_packet("10.0.0.1", 1, "10.0.0.9", 53, at(0));
  Packet b = test::udp_packet("10.0.0.2", 1, "10.0.0.9", 53, at(1));
  t.handle_packet(a, sink);
  t.handle_packet(b, sink);
  Packet a2 = test::udp_packet("10.0.0.1", 1, "10.0.0.9", 53, at(20));
  t.handle_packet(a2, sink);
  t.expire(at(40), sink);
  ASSERT_EQ(sink.ended.size(), 1u);
  EXPECT_EQ(sink.ended[0].flow.key.src, IpAddress::parse("10.0.0.2"));
  EXPECT_EQ(t.active(), 1u);
}

TEST_F(FlowTableTest, EvictsLeastRecentWhenFullAndEntersEmergency) {
  FlowTable t(small_config(4), counters);
  ASSERT_EQ(t.capacity(), 4u);
  for (int i = 0; i < 4; ++i) {
    Packet p = test::udp_packet("10.0.0.1", static_cast<uint16_t>(1000 + i), "10.0.0.2", 53,
                                at(10 + i));
    ASSERT_NE(t.handle_packet(p, sink), nullptr);
  }
  // Touch the oldest so the second one becomes least recently seen.
  Packet touch = test::udp_packet("10.0.0.1", 1000, "10.0.0.2", 53, at(20));
  t.handle_packet(touch, sink);
  EXPECT_FALSE(t.emergency());
  EXPECT_TRUE(sink.ended.empty());

  Packet fifth = test::udp_packet("10.0.0.1", 2000, "10.0.0.2", 53, at(21));
  Flow* f = t.handle_packet(fifth, sink);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->key.sport, 2000);
  EXPECT_TRUE(f->emergency);
  ASSERT_EQ(sink.ended.size(), 1u);
  EXPECT_EQ(sink.ended[0].reason, FlowEndReason::kForced);
  EXPECT_EQ(sink.ended[0].flow.key.sport, 1001);
  EXPECT_EQ(t.active(), 4u);
  EXPECT_TRUE(t.emergency());
  EXPECT_EQ(value("flow.mgr.flows_evicted"), 1u);
  EXPECT_EQ(value("flow.memcap"), 1u);
  EXPECT_EQ(value("flow.emerg_mode_entered"), 1u);

  // Still full: the next new flow evicts again, emergency is entered once.
  Packet sixth = test::udp_packet("10.0.0.1", 2001, "10.0.0.2", 53, at(22));
  t.handle_packet(sixth, sink);
  EXPECT_EQ(sink.ended.back().flow.key.sport, 1002);
  EXPECT_EQ(value("flow.mgr.flows_evicted"), 2u);
  EXPECT_EQ(value("flow.emerg_mode_entered"), 1u);
}

TEST_F(FlowTableTest, EmergencyTimeoutsAndRecovery) {
  FlowConfig c = small_config(4);
  c.emergency_recovery = 30;
  FlowTable t(c, counters);
  for (int i = 0; i < 5; ++i) {  // 5th flow forces emergency mode
    Packet p = test::udp_packet("10.0.0.1", static_cast<uint16_t>(1000 + i), "10.0.0.2", 53,
                                at(100));
    t.handle_packet(p, sink);
  }
  ASSERT_TRUE(t.emergency());
  ASSERT_EQ(sink.ended.size(), 1u);
  // Refresh two flows; the other two stay idle since t=100.
  Packet r1 = test::udp_packet("10.0.0.1", 1003, "10.0.0.2", 53, at(105));
  Packet r2 = test::udp_packet("10.0.0.1", 1004, "10.0.0.2", 53, at(105));
  t.handle_packet(r1, sink);
  t.handle_packet(r2, sink);

  // Normal UDP new timeout is 30 s, emergency is 10 s: at t=111 the two idle
  // flows are past 10 s, the refreshed ones are not.
  t.expire(at(111), sink);
  EXPECT_EQ(sink.ended.size(), 3u);
  EXPECT_EQ(t.active(), 2u);
  // 2 of 4 free = 50% > 30%: emergency is over.
  EXPECT_FALSE(t.emergency());
  EXPECT_EQ(value("flow.emerg_mode_over"), 1u);

  // Back to normal timeouts: 12 s idle is fine again.
  t.expire(at(117), sink);
  EXPECT_EQ(t.active(), 2u);
}

TEST_F(FlowTableTest, EmergencyStaysUntilEnoughFree) {
  FlowConfig c = small_config(4);
  c.emergency_recovery = 50;
  FlowTable t(c, counters);
  for (int i = 0; i < 5; ++i) {
    Packet p = test::udp_packet("10.0.0.1", static_cast<uint16_t>(1000 + i), "10.0.0.2", 53,
                                at(100 + i));
    t.handle_packet(p, sink);
  }
  ASSERT_TRUE(t.emergency());
  t.expire(at(112), sink);  // emergency new = 10 s: only the flow from t=101 goes
  EXPECT_EQ(t.active(), 3u);
  EXPECT_TRUE(t.emergency());  // 25% free is not > 50%
  t.expire(at(114), sink);     // flows from 102 and 103 go: 75% free
  EXPECT_EQ(t.active(), 1u);
  EXPECT_FALSE(t.emergency());
}

TEST_F(FlowTableTest, FlushAllEndsEverythingAsShutdown) {
  FlowTable t(small_config(16), counters);
  for (int i = 0; i < 10; ++i) {
    Packet p = test::udp_packet("10.0.0.1", static_cast<uint16_t>(1000 + i), "10.0.0.2", 53,
                                at(1));
    t.handle_packet(p, sink);
  }
  Packet icmp = test::icmp_packet("10.0.0.1", "10.0.0.2", 8, 0, 1, at(1));
  t.handle_packet(icmp, sink);
  t.flush_all(at(2), sink);
  EXPECT_EQ(sink.ended.size(), 11u);
  for (const auto& e : sink.ended) EXPECT_EQ(e.reason, FlowEndReason::kShutdown);
  EXPECT_EQ(t.active(), 0u);
  // Slots are reusable afterwards.
  Packet again = test::udp_packet("10.0.0.1", 1000, "10.0.0.2", 53, at(3));
  Flow* f = t.handle_packet(again, sink);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->pkts_toserver, 1u);
  EXPECT_EQ(f->start, at(3));
}

TEST_F(FlowTableTest, PoolGrowsInChunksUpToCapacity) {
  FlowConfig c;
  c.memcap = 5000 * sizeof(Flow);
  c.prealloc = 100;
  c.hash_size = 1024;
  FlowTable t(c, counters);
  EXPECT_EQ(t.allocated(), 100u);
  for (int i = 0; i < 6000; ++i) {
    Packet p = test::udp_packet("10.0.0.1", static_cast<uint16_t>(1 + i), "10.0.0.2", 53,
                                at(1));
    ASSERT_NE(t.handle_packet(p, sink), nullptr);
  }
  EXPECT_EQ(t.allocated(), 5000u);
  EXPECT_EQ(t.active(), 5000u);
  EXPECT_EQ(sink.ended.size(), 1000u);
  EXPECT_EQ(value("flow.memuse"), 5000 * sizeof(Flow) + 1024 * sizeof(Flow*));
}

TEST_F(FlowTableTest, NoAllocationPerPacketAfterWarmUp) {
  FlowConfig c = small_config(64);
  FlowTable t(c, counters);
  auto run = [&](int round) {
    for (int i = 0; i < 200; ++i) {  // more flows than slots: evictions too
      const uint16_t port = static_cast<uint16_t>(1000 + i);
      Packet s = test::tcp_packet("10.0.0.1", port, "10.0.0.2", 80, S, at(round * 1000 + i));
      Packet sa = test::tcp_packet("10.0.0.2", 80, "10.0.0.1", port, S | A, at(round * 1000 + i));
      Packet u = test::udp_packet("10.0.0.3", port, "10.0.0.4", 53, at(round * 1000 + i));
      t.handle_packet(s, sink);
      t.handle_packet(sa, sink);
      t.handle_packet(u, sink);
    }
    t.expire(at(round * 1000 + 500), sink);
  };
  run(0);
  sink.ended.clear();
  sink.ended.reserve(10000);
  const uint64_t before = g_allocations.load();
  run(1);
  run(2);
  EXPECT_EQ(g_allocations.load(), before);
  EXPECT_GT(sink.ended.size(), 0u);
}

}  // namespace
}  // namespace seawall
