// TCP stream tracking and reassembly, one TcpReassembler per worker.
//
// Per flow, a TcpSession (pooled, bounded by stream.memcap) tracks both
// directions: ISN/next-seq/window/ACK, the handshake, FIN/RST, and the
// segments that are not yet in order. In-order bytes are handed to a
// StreamSink as soon as they are contiguous (Suricata's inline reassembly
// behaviour: the app layer sees data on the packet that carried it, so alerts
// carry that packet's direction). Out-of-order segments wait in the session;
// overlaps between waiting segments are resolved by the overlap policy, and a
// retransmission whose bytes differ from bytes already delivered raises
// stream.reassembly_overlap_different_data. A hole that never fills is
// delivered as a gap when the flow ends or the reassembly window is exceeded.
//
// Data plane: no exceptions, no allocation per packet. Segment storage comes
// from a per-worker pool of fixed-size blocks bounded by memcap; when memcap is
// reached, segments are not stored (counted: stream.reassembly_memcap) and the
// direction continues with a gap.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "core/byte_view.h"
#include "core/counters.h"
#include "decode/packet.h"
#include "flow/flow.h"

namespace seawall::stream {

// Overlap policies by target OS (Suricata's host-os-policy names). They decide
// which copy of overlapping bytes wins when segments overlap in the waiting
// list: first (old data wins), last (new data wins), and the OS policies
// (bsd, linux, old-linux, windows, vista, solaris, hpux10, hpux11, irix, macos)
// as Suricata implements them (src/stream-tcp-reassemble.c / Novak & Sturges,
// "Target-Based TCP Stream Reassembly").
enum class OverlapPolicy : uint8_t {
  kFirst, kLast, kBsd, kLinux, kOldLinux, kWindows, kVista, kSolaris, kHpux10, kHpux11,
  kIrix, kMacos,
};
// Parses "bsd", "linux", "first", ... (case-insensitive); false when unknown.
bool parse_overlap_policy(std::string_view name, OverlapPolicy& out);
std::string_view overlap_policy_name(OverlapPolicy p);

// Suricata's stream.* keys (defaults as in its suricata.yaml).
struct StreamConfig {
  uint64_t memcap = 64ull << 20;           // stream.memcap: sessions (per worker share)
  uint64_t reassembly_memcap = 256ull << 20;  // stream.reassembly.memcap: segment storage
  uint32_t reassembly_depth = 1u << 20;    // stream.reassembly.depth, bytes per direction; 0 = unlimited
  bool midstream = false;                  // stream.midstream: pick up sessions without a handshake
  bool async_oneside = false;              // stream.async-oneside: only one direction is visible
  OverlapPolicy policy = OverlapPolicy::kBsd;  // default when no host-os-policy entry
  uint32_t max_waiting_segments = 1024;    // out-of-order segments kept per direction
  // Raw stream inspection (rules on reassembled bytes): when on, the bytes a
  // packet delivers are collected with up to raw_lookback[dir] bytes of the
  // same direction delivered before them (stream.reassembly.toserver-chunk-size
  // / toclient-chunk-size), so a pattern split over segments is seen whole.
  // The lookback is reassembly memory (bounded by reassembly_memcap) and is
  // rescanned by the prefilter on every packet: 512 bytes (Suricata's chunk
  // default is 2560) keep ET Open's stream rules within half the no-rules
  // throughput on the bench captures with the same alerts.
  bool raw_inspection = false;
  uint32_t raw_lookback[2] = {512, 512};
};

enum class StreamDirection : uint8_t { kToServer = 0, kToClient = 1 };

// Receives reassembled bytes in stream order, per direction.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  // New contiguous bytes of `dir`, carried (completed) by packet p; p is
  // nullptr when delivered from end_flow() (no packet at flow end).
  virtual void on_stream_data(Flow& flow, Packet* p, StreamDirection dir, ByteView data) = 0;
  // `len` bytes of `dir` are missing (never arrived, memcap, depth...), and
  // the stream goes on after them. p as above.
  virtual void on_stream_gap(Flow& flow, Packet* p, StreamDirection dir, uint32_t len) = 0;
  // `dir` is finished (FIN/RST acknowledged or flow end): no more data will come.
  virtual void on_stream_end(Flow& flow, Packet* p, StreamDirection dir) = 0;
};

struct TcpSession;  // opaque; Flow::tcp points at it

// The reassembled bytes one packet delivered, for raw stream inspection:
// window = lookback (bytes of the same direction delivered earlier) followed
// by the new bytes, which start at new_offset.
struct RawStreamChunk {
  ByteView window;
  uint32_t new_offset = 0;
  uint64_t stream_offset = 0;  // position of window[0] in its direction's stream
  bool has_new_data() const { return window.size() > new_offset; }
  ByteView lookback() const { return ByteView(window.data(), new_offset); }
};

// Suricata's stream_size measure of one direction of the flow's session:
// next expected sequence number minus the ISN (so the SYN counts one).
// False when the flow has no TCP session.
bool stream_size(const Flow& flow, StreamDirection dir, uint32_t& out);

class TcpReassembler {
 public:
  TcpReassembler(const StreamConfig& config, ThreadCounters& counters);
  ~TcpReassembler();
  TcpReassembler(const TcpReassembler&) = delete;
  TcpReassembler& operator=(const TcpReassembler&) = delete;

  // One TCP packet that has a flow (p.flow set by the flow table, p.to_server
  // set): tracks the session (creating it on the first packet), raises stream
  // events on p (add_stream_event), and hands in-order data to `sink`.
  // Packets Suricata would reject as invalid for the session (bad ACK, out of
  // window) raise their event and are not reassembled.
  void handle_packet(Packet& p, StreamSink& sink);

  // Flow end: delivers what can still be delivered (data after a hole is
  // delivered after an on_stream_gap), calls on_stream_end for both
  // directions, and returns the session and its segments to the pools.
  void end_flow(Flow& flow, StreamSink& sink);

  // The raw stream chunk of p, the packet last given to handle_packet (empty
  // when it delivered nothing or raw_inspection is off). Valid until the
  // next handle_packet / end_flow call.
  RawStreamChunk raw_chunk(const Packet& p) const;

  // Bytes of segment storage in use (for tests and stats).
  uint64_t reassembly_memuse() const;
  uint64_t sessions_in_use() const;

  struct Impl;

 private:
  void track(Packet& p, StreamSink& sink);  // the session state machine for p
  std::unique_ptr<Impl> impl_;
};

}  // namespace seawall::stream
