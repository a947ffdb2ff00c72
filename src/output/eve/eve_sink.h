// Where EVE lines go. Workers hand over whole lines in batches, so the file
// never holds a partial or interleaved line. A write that fails is retried; if
// the target stays unwritable, data is spooled in memory (bounded) and then to
// a spool file; only past both limits is data dropped — and then counted.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/counters.h"

namespace seawall {

struct EveSinkConfig {
  std::string path;                 // "-" or "" for stdout
  bool append = true;               // eve-log append: yes
  uint64_t spool_memory_limit = 64ull << 20;
  std::string spool_path;           // default: path + ".spool"
  uint32_t write_retries = 3;
};

// Process-wide totals (the sink is shared by all workers). They are published
// as the counters output.eve.* by EveWriter::log_stats, which reads them here.
struct EveSinkStats {
  uint64_t lines_written = 0;   // complete lines that reached the target
  uint64_t bytes_written = 0;
  uint64_t write_errors = 0;    // failed write(2) calls (EINTR excluded)
  uint64_t bytes_spooled = 0;   // bytes that had to wait in the spool (cumulative)
  uint64_t bytes_dropped = 0;   // bytes lost: spool memory full and spool file unwritable
  uint64_t spool_pending = 0;   // bytes in the spool now, not yet on the target
};

class EveSink {
 public:
  // Opens the output; throws std::runtime_error with a clear message if the
  // file cannot be created (startup error).
  explicit EveSink(const EveSinkConfig& config);
  ~EveSink();
  EveSink(const EveSink&) = delete;
  EveSink& operator=(const EveSink&) = delete;

  // Writes a batch of complete lines ('\n'-terminated). Thread-safe. Data is
  // never reordered: while a spool is pending, new batches queue behind it.
  void write_batch(std::string_view lines, uint64_t line_count);
  // Writes spooled data if the target became writable again; fsync-free.
  void flush();
  // Reopens the file (log rotation, SIGHUP); stdout stays as it is. On failure
  // the error is logged and data spools until a later reopen succeeds.
  void reopen();

  EveSinkStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace seawall
