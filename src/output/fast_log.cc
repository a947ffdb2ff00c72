#include "output/fast_log.h"

#include <cstdio>
#include <ctime>

#include "detect/engine/alert.h"
#include "output/eve/eve_common.h"

namespace seawall {
namespace {

void append_time(std::string& out, Timestamp ts) {
  // Suricata's CreateTimeString: MM/DD/YYYY-HH:MM:SS.uuuuuu, local time.
  time_t t = static_cast<time_t>(ts.sec);
  struct tm tm_buf {};
  localtime_r(&t, &tm_buf);
  char buf[40];
  int n = std::snprintf(buf, sizeof buf, "%02d/%02d/%04d-%02d:%02d:%02d.%06d", tm_buf.tm_mon + 1,
                        tm_buf.tm_mday, tm_buf.tm_year + 1900, tm_buf.tm_hour, tm_buf.tm_min,
                        tm_buf.tm_sec, static_cast<int>(ts.usec));
  out.append(buf, static_cast<size_t>(n));
}

void append_endpoint(std::string& out, const IpAddress& ip, bool ports, uint16_t port) {
  char buf[64];
  out.append(buf, ip.format_expanded(buf));  // as Suricata's PrintInet
  if (ports) {
    out.push_back(':');
    out += std::to_string(port);
  }
}

void append_line(std::string& out, const Packet& p, const detect::PacketAlert& a) {
  const detect::Rule& r = *a.rule;
  append_time(out, p.ts);
  out += "  ";
  if (a.action == detect::Action::kDrop) out += "[Drop] ";
  out += "[**] [";
  out += std::to_string(r.gid);
  out += ':';
  out += std::to_string(r.sid);
  out += ':';
  out += std::to_string(r.rev);
  out += "] ";
  out += r.msg;
  out += " [**] [Classification: ";
  out += r.category.empty() ? "(null)" : r.category;
  out += "] [Priority: ";
  out += std::to_string(r.priority);
  out += "] {";
  char num[4];
  out += eve::ip_proto_name(p.ip_proto, num);
  out += "} ";
  const bool ports = eve::proto_has_ports(p.ip_proto) && p.has_ports;
  append_endpoint(out, p.src, ports, p.sport);
  out += " -> ";
  append_endpoint(out, p.dst, ports, p.dport);
}

}  // namespace

std::string format_fast_log_line(const Packet& p, const detect::PacketAlert& alert) {
  std::string line;
  append_line(line, p, alert);
  return line;
}

void FastLogWriter::log_alert(const Packet& p, const detect::PacketAlert& alert) {
  if (alert.rule == nullptr || p.ip_version == 0) return;
  append_line(buffer_, p, alert);
  buffer_.push_back('\n');
  ++pending_lines_;
  if (buffer_.size() >= 16 * 1024) flush();
}

void FastLogWriter::flush() {
  if (buffer_.empty()) return;
  sink_.write_batch(buffer_, pending_lines_);
  buffer_.clear();
  pending_lines_ = 0;
}

}  // namespace seawall
