// Compact TCP connection state machine for flow accounting (EVE flow
// `tcp.state`, flow timeouts). Flag-driven, no sequence validation: the stream
// stage does the real tracking; this only names where a connection is.
#pragma once

#include <cstdint>

#include "flow/flow.h"

namespace seawall {

// Next TCP state after a packet with `flags` going `to_server`. `both_seen`:
// packets were seen in both directions (midstream pickup); `midstream`: a flow
// without handshake may become established that way.
TcpState tcp_next_state(TcpState state, uint8_t flags, bool to_server, bool both_seen,
                        bool midstream);

// Flow state for a TCP state, the mapping Suricata's stream engine applies:
// handshake -> new; established..close_wait/closing -> established;
// last_ack/time_wait/closed -> closed.
FlowState flow_state_for_tcp(TcpState state);

}  // namespace seawall
