// Capture sources deliver raw frames (one at a time, zero-copy: the data stays
// valid until the next call) with the link type their decoder starts at.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/timestamp.h"
#include "decode/packet.h"

namespace seawall {

struct RawFrame {
  Timestamp ts;
  const uint8_t* data = nullptr;
  uint32_t caplen = 0;
  uint32_t wirelen = 0;
  LayerKind link = LayerKind::kEthernet;
  uint64_t pcap_cnt = 0;  // 1-based, counted across all files of a run
};

enum class ReadStatus { kFrame, kEnd, kError };

class CaptureSource {
 public:
  virtual ~CaptureSource() = default;
  // Next frame into `out`. kEnd when the input is exhausted; kError only for
  // unrecoverable failures (the source has already logged why).
  virtual ReadStatus next(RawFrame& out) = 0;
  // Asks a live source to stop (signal-safe); files stop at their end.
  virtual void request_stop() {}
  // Problems met while reading (unreadable files, truncated captures): the
  // run still processes everything readable but exits non-zero if this > 0
  // for files that could not be opened at all.
  virtual uint64_t open_failures() const { return 0; }
  virtual uint64_t truncated_files() const { return 0; }
  // Name of the file currently read (for EVE pcap_filename), may be empty.
  virtual const std::string& current_name() const = 0;
  // A second, independent reader over the same input from its start, for
  // workers that each read the whole input and keep their share of it; it
  // reports nothing (the original source speaks for the input). Null when
  // the input cannot be read twice (live interfaces).
  virtual std::unique_ptr<CaptureSource> open_replica() const { return nullptr; }
};

}  // namespace seawall
