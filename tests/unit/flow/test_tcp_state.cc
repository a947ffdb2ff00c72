// The compact TCP state machine on its own.
#include "flow/tcp_state.h"

#include <gtest/gtest.h>

namespace seawall {
namespace {

constexpr uint8_t S = tcp_flag::kSyn, A = tcp_flag::kAck, F = tcp_flag::kFin,
                  R = tcp_flag::kRst;
constexpr bool kToServer = true, kToClient = false;

TcpState run(TcpState s, uint8_t flags, bool to_server, bool both = true) {
  return tcp_next_state(s, flags, to_server, both, true);
}

TEST(TcpState, Handshake) {
  TcpState s = run(TcpState::kNone, S, kToServer, false);
  EXPECT_EQ(s, TcpState::kSynSent);
  EXPECT_EQ(run(s, S, kToServer), TcpState::kSynSent);  // retransmitted SYN
  s = run(s, S | A, kToClient);
  EXPECT_EQ(s, TcpState::kSynRecv);
  s = run(s, A, kToServer);
  EXPECT_EQ(s, TcpState::kEstablished);
}

TEST(TcpState, ClientClosesFirst) {
  TcpState s = run(TcpState::kEstablished, F | A, kToServer);
  EXPECT_EQ(s, TcpState::kCloseWait);
  EXPECT_EQ(run(s, A, kToClient), TcpState::kCloseWait);  // ACK of the FIN only
  s = run(s, F | A, kToClient);
  EXPECT_EQ(s, TcpState::kLastAck);
  s = run(s, A, kToServer);
  EXPECT_EQ(s, TcpState::kClosed);
}

TEST(TcpState, ServerClosesFirst) {
  TcpState s = run(TcpState::kEstablished, F | A, kToClient);
  EXPECT_EQ(s, TcpState::kFinWait1);
  EXPECT_EQ(run(s, A, kToServer), TcpState::kFinWait2);
  EXPECT_EQ(run(s, F, kToServer), TcpState::kClosing);
  s = run(s, F | A, kToServer);
  EXPECT_EQ(s, TcpState::kTimeWait);
  s = run(s, A, kToClient);
  EXPECT_EQ(s, TcpState::kClosed);

  TcpState w = run(TcpState::kFinWait2, F | A, kToServer);
  EXPECT_EQ(w, TcpState::kTimeWait);
  EXPECT_EQ(run(TcpState::kClosing, A, kToClient), TcpState::kTimeWait);
}

TEST(TcpState, ResetClosesFromAnyState) {
  for (TcpState s : {TcpState::kNone, TcpState::kSynSent, TcpState::kSynRecv,
                     TcpState::kEstablished, TcpState::kFinWait1, TcpState::kCloseWait}) {
    EXPECT_EQ(run(s, R, kToClient), TcpState::kClosed);
    EXPECT_EQ(run(s, R | A, kToServer), TcpState::kClosed);
  }
}

TEST(TcpState, Midstream) {
  // One direction only: not established yet.
  EXPECT_EQ(tcp_next_state(TcpState::kNone, A, kToServer, false, true), TcpState::kNone);
  EXPECT_EQ(tcp_next_state(TcpState::kNone, A, kToClient, true, true), TcpState::kEstablished);
  // Disabled: stays none, as Suricata without midstream pickup.
  EXPECT_EQ(tcp_next_state(TcpState::kNone, A, kToClient, true, false), TcpState::kNone);
}

TEST(TcpState, FlowStateMapping) {
  EXPECT_EQ(flow_state_for_tcp(TcpState::kNone), FlowState::kNew);
  EXPECT_EQ(flow_state_for_tcp(TcpState::kSynSent), FlowState::kNew);
  EXPECT_EQ(flow_state_for_tcp(TcpState::kSynRecv), FlowState::kNew);
  EXPECT_EQ(flow_state_for_tcp(TcpState::kEstablished), FlowState::kEstablished);
  EXPECT_EQ(flow_state_for_tcp(TcpState::kFinWait1), FlowState::kEstablished);
  EXPECT_EQ(flow_state_for_tcp(TcpState::kFinWait2), FlowState::kEstablished);
  EXPECT_EQ(flow_state_for_tcp(TcpState::kCloseWait), FlowState::kEstablished);
  EXPECT_EQ(flow_state_for_tcp(TcpState::kClosing), FlowState::kEstablished);
  EXPECT_EQ(flow_state_for_tcp(TcpState::kLastAck), FlowState::kClosed);
  EXPECT_EQ(flow_state_for_tcp(TcpState::kTimeWait), FlowState::kClosed);
  EXPECT_EQ(flow_state_for_tcp(TcpState::kClosed), FlowState::kClosed);
}

}  // namespace
}  // namespace seawall
