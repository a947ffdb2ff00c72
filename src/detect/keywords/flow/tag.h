// tag:session / tag:host state (Suricata's detect-engine-tag.c): after a rule
// with `tag` alerts, the follow-up packets of its flow (session) or of a host
// (src/dst of the alerting packet) are tagged until the packet, byte or
// second budget is spent; the budget counts the alerting packet, as Suricata.
// Session tags live in the flow's FlowDetectState; host tags in a fixed
// per-worker table (Suricata's host table is global: with several workers a
// host tagged on one worker is not seen by the others).
#pragma once

#include "decode/packet.h"
#include "detect/keywords/flow/rule_options.h"
#include "detect/keywords/matcher.h"

namespace seawall::detect {

// Starts the tag described by `spec` for the packet in ctx (a running tag of
// the same session/host is kept, not restarted).
void tag_start(const TagSpec& spec, const MatchContext& ctx);

// Called for every packet before its rules run: true when a running tag of
// its flow or of its source/destination host covers it (and counts it).
bool tag_packet(const Packet& p);

// Drops every host tag of the calling thread (tests).
void tag_reset_thread_table();

}  // namespace seawall::detect
