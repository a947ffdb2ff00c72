// fast.log: one line per alert in Suricata's alert-fastlog format, because
// people grep it. Per-worker buffer, shared line sink (same retry/spool as EVE).
#pragma once

#include <string>

#include "decode/packet.h"
#include "output/eve/eve_sink.h"

namespace seawall {
namespace detect {
struct PacketAlert;
}

class FastLogWriter {
 public:
  explicit FastLogWriter(EveSink& sink) : sink_(sink) { buffer_.reserve(16 * 1024); }
  ~FastLogWriter() { flush(); }

  void log_alert(const Packet& p, const detect::PacketAlert& alert);
  void flush();

 private:
  EveSink& sink_;
  std::string buffer_;
  uint64_t pending_lines_ = 0;
};

// The line without its newline, for tests.
std::string format_fast_log_line(const Packet& p, const detect::PacketAlert& alert);

}  // namespace seawall
