// Sticky buffers: one registry entry per inspectable buffer (pkt_data,
// file.data, http.uri, dns.query, ...) used both by the multi-pattern
// prefilter and by rule verification. Registering a buffer also registers its
// sticky-buffer keyword and its legacy content modifiers (http_uri -> http.uri).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/byte_view.h"
#include "detect/keywords/matcher.h"

namespace seawall::detect {

enum class BufferDirection : uint8_t { kBoth, kToServer, kToClient };

// Fills `out` with the buffer for the packet/transaction in ctx; false when it
// does not exist here (wrong protocol, direction or progress).
using BufferGetter = bool (*)(const MatchContext& ctx, ByteView& out);
// Multi-buffers (dns.query, tls.certs, http.request_header, ...): instance
// `index` (0, 1, ...); false past the last one. A rule matches when one
// instance matches all of its matchers for that buffer.
using MultiBufferGetter = bool (*)(const MatchContext& ctx, uint32_t index, ByteView& out);

struct BufferDescriptor {
  std::string_view name;                      // "http.uri"
  std::string_view help;
  std::vector<std::string_view> aliases;      // "http_uri" sticky spelling, "file_data" ...
  std::vector<std::string_view> content_modifiers;  // legacy modifiers: "http_uri"
  std::string_view app_proto;                 // "" for packet/stream buffers
  BufferDirection direction = BufferDirection::kBoth;
  uint8_t min_progress = 0;                   // transaction progress needed
  BufferGetter get = nullptr;
  MultiBufferGetter get_multi = nullptr;     // instead of `get` for multi-buffers
  // Non-empty when the buffer is known but cannot be inspected yet
  // (e.g. "needs the HTTP parser"): rules using it are reported unsupported.
  std::string_view unsupported_reason;
};

inline constexpr uint16_t kPktDataBuffer = 0;  // always registered first

// Static-init registration; returns the buffer id. A real buffer (a getter,
// no unsupported_reason) replaces a placeholder of the same name whatever the
// registration order; the id stays the same.
uint16_t register_buffer(const BufferDescriptor& descriptor);
const BufferDescriptor* find_buffer(std::string_view name_or_alias);  // by name/alias
const BufferDescriptor& buffer_descriptor(uint16_t id);
uint16_t buffer_id(const BufferDescriptor& descriptor);
size_t buffer_count();

}  // namespace seawall::detect
