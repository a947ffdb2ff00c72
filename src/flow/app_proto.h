// Application-protocol ids: a small dense number per protocol name ("http",
// "tls", "dns", ...), assigned when the protocol registers (src/applayer/).
// Lives in flow/ because a Flow records its protocol and the flow logger, the
// rule engine and the app layer all need the name <-> id mapping without
// depending on each other.
#pragma once

#include <cstdint>
#include <string_view>

namespace seawall {

using AppProto = uint8_t;
inline constexpr AppProto kAppProtoUnknown = 0;  // not (yet) identified: EVE "app_proto" absent
inline constexpr AppProto kAppProtoFailed = 1;   // detection gave up: EVE "failed"
inline constexpr size_t kMaxAppProtos = 64;

// Registers `name` (and aliases, e.g. "http1" for "http") at static-init time;
// registering an existing name returns its id.
AppProto register_app_proto(std::string_view name);
void register_app_proto_alias(AppProto id, std::string_view alias);
// kAppProtoUnknown when the name is not registered.
AppProto find_app_proto(std::string_view name_or_alias);
// "" for kAppProtoUnknown, "failed" for kAppProtoFailed.
std::string_view app_proto_name(AppProto id);
size_t app_proto_count();

}  // namespace seawall
