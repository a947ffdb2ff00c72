// TCP stream anomaly events, named exactly as Suricata's stream events
// (rules/stream-events.rules, "stream-event:<name>"), so rules and SIEM
// searches carry over. EVE: {"anomaly":{"type":"stream","event":"stream.<name>"}}.
// Stats: stream.event.<name>. Raised on the packet (Packet::stream_events).
#pragma once

#include <cstdint>
#include <string_view>

#include "decode/packet.h"

namespace seawall::stream {

// X-macro: (identifier, suricata name).
#define SEAWALL_STREAM_EVENTS(X) \
  X(k3whsAckInWrongDir, "3whs_ack_in_wrong_dir")                                 \
  X(k3whsAsyncWrongSeq, "3whs_async_wrong_seq")                                  \
  X(k3whsRightSeqWrongAckEvasion, "3whs_right_seq_wrong_ack_evasion")            \
  X(k3whsSynackInWrongDirection, "3whs_synack_in_wrong_direction")               \
  X(k3whsSynackResendWithDifferentAck, "3whs_synack_resend_with_different_ack")  \
  X(k3whsSynackResendWithDiffSeq, "3whs_synack_resend_with_diff_seq")            \
  X(k3whsSynackToserverOnSynRecv, "3whs_synack_toserver_on_syn_recv")            \
  X(k3whsSynackWithWrongAck, "3whs_synack_with_wrong_ack")                       \
  X(k3whsSynackFlood, "3whs_synack_flood")                                       \
  X(k3whsSynackTfoDataIgnored, "3whs_synack_tfo_data_ignored")                   \
  X(k3whsSynFlood, "3whs_syn_flood")                                             \
  X(k3whsSynResendDiffSeqOnSynRecv, "3whs_syn_resend_diff_seq_on_syn_recv")      \
  X(k3whsSynToclientOnSynRecv, "3whs_syn_toclient_on_syn_recv")                  \
  X(k3whsWrongSeqWrongAck, "3whs_wrong_seq_wrong_ack")                           \
  X(k3whsAckDataInject, "3whs_ack_data_inject")                                  \
  X(k4whsSynackWithWrongAck, "4whs_synack_with_wrong_ack")                       \
  X(k4whsSynackWithWrongSyn, "4whs_synack_with_wrong_syn")                       \
  X(k4whsWrongSeq, "4whs_wrong_seq")                                             \
  X(k4whsInvalidAck, "4whs_invalid_ack")                                         \
  X(kClosewaitAckOutOfWindow, "closewait_ack_out_of_window")                     \
  X(kClosewaitFinOutOfWindow, "closewait_fin_out_of_window")                     \
  X(kClosewaitInvalidAck, "closewait_invalid_ack")                               \
  X(kClosingAckWrongSeq, "closing_ack_wrong_seq")                                \
  X(kClosingInvalidAck, "closing_invalid_ack")                                   \
  X(kEstPacketOutOfWindow, "est_packet_out_of_window")                           \
  X(kEstSynackResend, "est_synack_resend")                                       \
  X(kEstSynackResendWithDifferentAck, "est_synack_resend_with_different_ack")    \
  X(kEstSynackResendWithDiffSeq, "est_synack_resend_with_diff_seq")              \
  X(kEstSynackToserver, "est_synack_toserver")                                   \
  X(kEstSynResend, "est_syn_resend")                                             \
  X(kEstSynResendDiffSeq, "est_syn_resend_diff_seq")                             \
  X(kEstSynToclient, "est_syn_toclient")                                         \
  X(kEstInvalidAck, "est_invalid_ack")                                           \
  X(kFinInvalidAck, "fin_invalid_ack")                                           \
  X(kFin1AckWrongSeq, "fin1_ack_wrong_seq")                                      \
  X(kFin1FinWrongSeq, "fin1_fin_wrong_seq")                                      \
  X(kFin1InvalidAck, "fin1_invalid_ack")                                         \
  X(kFin2AckWrongSeq, "fin2_ack_wrong_seq")                                      \
  X(kFin2FinWrongSeq, "fin2_fin_wrong_seq")                                      \
  X(kFin2InvalidAck, "fin2_invalid_ack")                                         \
  X(kFinButNoSession, "fin_but_no_session")                                      \
  X(kFinOutOfWindow, "fin_out_of_window")                                        \
  X(kLastackAckWrongSeq, "lastack_ack_wrong_seq")                                \
  X(kLastackInvalidAck, "lastack_invalid_ack")                                   \
  X(kRstButNoSession, "rst_but_no_session")                                      \
  X(kTimewaitAckWrongSeq, "timewait_ack_wrong_seq")                              \
  X(kTimewaitInvalidAck, "timewait_invalid_ack")                                 \
  X(kPktInvalidTimestamp, "pkt_invalid_timestamp")                               \
  X(kPktInvalidAck, "pkt_invalid_ack")                                           \
  X(kPktBrokenAck, "pkt_broken_ack")                                             \
  X(kRstInvalidAck, "rst_invalid_ack")                                           \
  X(kShutdownSynResend, "shutdown_syn_resend")                                   \
  X(kReassemblySeqGap, "reassembly_seq_gap")                                     \
  X(kReassemblyOverlapDifferentData, "reassembly_overlap_different_data")        \
  X(kPktBadWindowUpdate, "pkt_bad_window_update")                                \
  X(kSuspectedRstInject, "suspected_rst_inject")                                 \
  X(kEstPktBeforeLastAck, "est_pkt_before_last_ack")                             \
  X(kClosewaitPktBeforeLastAck, "closewait_pkt_before_last_ack")                 \
  X(kReassemblySegmentBeforeBaseSeq, "reassembly_segment_before_base_seq")       \
  X(kPktRetransmission, "pkt_retransmission")                                    \
  X(kWrongThread, "wrong_thread")                                                \
  X(kFinSyn, "fin_syn")                                                          \
  X(kPktSpuriousRetransmission, "pkt_spurious_retransmission")                   \
  X(kReassemblyDepthReached, "reassembly_depth_reached")                         \
  X(kReassemblyUrgentOobLimitReached, "reassembly_urgent_oob_limit_reached")    

enum class StreamEvent : uint8_t {
#define SEAWALL_STREAM_EVENT_ENUM(id, name) id,
  SEAWALL_STREAM_EVENTS(SEAWALL_STREAM_EVENT_ENUM)
#undef SEAWALL_STREAM_EVENT_ENUM
      kCount
};
inline constexpr size_t kStreamEventCount = static_cast<size_t>(StreamEvent::kCount);

std::string_view stream_event_name(StreamEvent e);        // "3whs_ack_in_wrong_dir"
StreamEvent stream_event_by_name(std::string_view name);  // with or without "stream."; kCount if unknown

inline void add_stream_event(Packet& p, StreamEvent e) {
  p.add_stream_event(static_cast<uint8_t>(e));
}
inline bool has_stream_event(const Packet& p, StreamEvent e) {
  return p.has_stream_event(static_cast<uint8_t>(e));
}

}  // namespace seawall::stream
