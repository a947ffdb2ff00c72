#include "flow/tcp_state.h"

#include "decode/packet.h"

namespace seawall {

namespace {
// Close sequence as Suricata names it (states from the server's view): a FIN
// to the server gives close_wait -> last_ack -> closed; a FIN to the client
// gives fin_wait1 -> fin_wait2/closing -> time_wait -> closed.
TcpState on_established(uint8_t flags, bool to_server) {
  if (flags & tcp_flag::kFin) return to_server ? TcpState::kCloseWait : TcpState::kFinWait1;
  return TcpState::kEstablished;
}
}  // namespace

TcpState tcp_next_state(TcpState state, uint8_t flags, bool to_server, bool both_seen,
                        bool midstream) {
  const bool syn = flags & tcp_flag::kSyn;
  const bool ack = flags & tcp_flag::kAck;
  const bool fin = flags & tcp_flag::kFin;
  if (flags & tcp_flag::kRst) return TcpState::kClosed;

  switch (state) {
    case TcpState::kNone:
      if (syn) return ack ? TcpState::kSynRecv : TcpState::kSynSent;
      if (midstream && both_seen) return on_established(flags, to_server);
      return state;
    case TcpState::kSynSent:
      if (syn && ack && !to_server) return TcpState::kSynRecv;
      return state;
    case TcpState::kSynRecv:
      if (ack && !syn && to_server) return on_established(flags, to_server);
      return state;
    case TcpState::kEstablished:
      return on_established(flags, to_server);
    case TcpState::kFinWait1:  // server closed first
      if (to_server && fin) return ack ? TcpState::kTimeWait : TcpState::kClosing;
      if (to_server && ack) return TcpState::kFinWait2;
      return state;
    case TcpState::kFinWait2:
      if (to_server && fin) return TcpState::kTimeWait;
      return state;
    case TcpState::kClosing:
      if (ack) return TcpState::kTimeWait;
      return state;
    case TcpState::kTimeWait:
      if (!to_server && ack) return TcpState::kClosed;
      return state;
    case TcpState::kCloseWait:  // client closed first
      if (!to_server && fin) return TcpState::kLastAck;
      return state;
    case TcpState::kLastAck:
      if (to_server && ack) return TcpState::kClosed;
      return state;
    case TcpState::kClosed:
      return state;
  }
  return state;
}

FlowState flow_state_for_tcp(TcpState state) {
  switch (state) {
    case TcpState::kNone:
    case TcpState::kSynSent:
    case TcpState::kSynRecv:
      return FlowState::kNew;
    case TcpState::kLastAck:
    case TcpState::kTimeWait:
    case TcpState::kClosed:
      return FlowState::kClosed;
    default:
      return FlowState::kEstablished;
  }
}

}  // namespace seawall
