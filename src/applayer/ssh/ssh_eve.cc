// The EVE "ssh" object, as Suricata's rust/src/ssh/logger.rs:
//   {"client": {"proto_version", "software_version", "hassh": {"hash", "string"}},
//    "server": {...}}
// A side appears once its banner is known; software_version only when not
// empty; hassh only when HASSH logging is enabled and the side's KEXINIT parsed.
#include "applayer/ssh/ssh_parser.h"

#include <atomic>

#include "output/eve/json_writer.h"

namespace seawall::applayer::ssh {

namespace {

std::atomic<bool> g_hassh_logging{false};

void write_bytes(JsonWriter& w, std::string_view name, const std::string& value) {
  w.key(name);
  w.string_bytes(reinterpret_cast<const uint8_t*>(value.data()), value.size());
}

void write_side(JsonWriter& w, std::string_view name, const SshSide& side, bool hassh) {
  if (side.proto_version.empty()) return;
  w.key(name);
  w.begin_object();
  write_bytes(w, "proto_version", side.proto_version);
  if (!side.software_version.empty()) write_bytes(w, "software_version", side.software_version);
  if (hassh && (!side.hassh.empty() || !side.hassh_string.empty())) {
    w.key("hassh");
    w.begin_object();
    if (!side.hassh.empty()) write_bytes(w, "hash", side.hassh);
    if (!side.hassh_string.empty()) write_bytes(w, "string", side.hassh_string);
    w.end_object();
  }
  w.end_object();
}

}  // namespace

void set_hassh_logging(bool enabled) { g_hassh_logging.store(enabled, std::memory_order_relaxed); }
bool hassh_logging_enabled() { return g_hassh_logging.load(std::memory_order_relaxed); }

void log_ssh(const ProtocolState& /*state*/, const Transaction& tx, const LogContext& /*ctx*/,
             JsonWriter& w) {
  const auto& t = static_cast<const SshTransaction&>(tx);
  const bool hassh = hassh_logging_enabled();
  write_side(w, "client", t.client, hassh);
  write_side(w, "server", t.server, hassh);
}

}  // namespace seawall::applayer::ssh
