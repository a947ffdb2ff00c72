// Inner flows are told apart by their tunnel: the same private 5-tuple inside
// two different tunnels is two flows, and the two directions of one tunnelled
// flow (outer addresses swapped) are one.
#include <gtest/gtest.h>

#include "flow/flow.h"
#include "flow_test_util.h"

namespace seawall {
namespace {

using test::at;

Packet inner_udp(const Packet& outer, const char* src, uint16_t sport, const char* dst,
                 uint16_t dport) {
  Packet p = test::udp_packet(src, sport, dst, dport, at(100));
  p.outer = &outer;
  p.tunnel_depth = 1;
  return p;
}

TEST(TunnelKeys, SameInnerTupleInDifferentTunnelsDiffers) {
  Packet outer_a = test::udp_packet("192.0.2.1", 2152, "192.0.2.2", 2152, at(100));
  Packet outer_b = test::udp_packet("192.0.2.9", 2152, "192.0.2.2", 2152, at(100));
  FlowKey a = flow_key_from_packet(inner_udp(outer_a, "10.0.0.5", 4000, "8.8.8.8", 53), true);
  FlowKey b = flow_key_from_packet(inner_udp(outer_b, "10.0.0.5", 4000, "8.8.8.8", 53), true);
  EXPECT_NE(a.tunnel_hash, 0u);
  EXPECT_NE(a.tunnel_hash, b.tunnel_hash);
  EXPECT_NE(symmetric_flow_hash(a), symmetric_flow_hash(b));
}

TEST(TunnelKeys, ReplyThroughReversedTunnelMatches) {
  Packet outer_up = test::udp_packet("192.0.2.1", 2152, "192.0.2.2", 2152, at(100));
  Packet outer_down = test::udp_packet("192.0.2.2", 2152, "192.0.2.1", 2152, at(100));
  FlowKey up = flow_key_from_packet(inner_udp(outer_up, "10.0.0.5", 4000, "8.8.8.8", 53), true);
  FlowKey down = flow_key_from_packet(inner_udp(outer_down, "8.8.8.8", 53, "10.0.0.5", 4000), true);
  EXPECT_EQ(up.tunnel_hash, down.tunnel_hash);
  EXPECT_EQ(symmetric_flow_hash(up), symmetric_flow_hash(down));

  ThreadCounters counters;
  FlowConfig config;
  config.prealloc = 16;
  FlowTable table(config, counters);
  test::RecordingSink sink;
  Packet q1 = inner_udp(outer_up, "10.0.0.5", 4000, "8.8.8.8", 53);
  Packet q2 = inner_udp(outer_down, "8.8.8.8", 53, "10.0.0.5", 4000);
  Flow* f1 = table.handle_packet(q1, sink);
  Flow* f2 = table.handle_packet(q2, sink);
  ASSERT_NE(f1, nullptr);
  EXPECT_EQ(f1, f2);
  EXPECT_TRUE(q1.to_server);
  EXPECT_FALSE(q2.to_server);
}

TEST(TunnelKeys, WirePacketsHaveNoTunnelHash) {
  FlowKey k = flow_key_from_packet(test::udp_packet("10.0.0.5", 4000, "8.8.8.8", 53, at(1)), true);
  EXPECT_EQ(k.tunnel_hash, 0u);
}

}  // namespace
}  // namespace seawall
