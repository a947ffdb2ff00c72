#include "stream/stream_event.h"

#include <array>

namespace seawall::stream {
namespace {

constexpr std::array<std::string_view, kStreamEventCount> kNames = {
#define SEAWALL_STREAM_EVENT_NAME(id, name) name,
    SEAWALL_STREAM_EVENTS(SEAWALL_STREAM_EVENT_NAME)
#undef SEAWALL_STREAM_EVENT_NAME
};

}  // namespace

std::string_view stream_event_name(StreamEvent e) {
  const auto i = static_cast<size_t>(e);
  return i < kNames.size() ? kNames[i] : std::string_view{};
}

StreamEvent stream_event_by_name(std::string_view name) {
  if (name.substr(0, 7) == "stream.") name.remove_prefix(7);
  for (size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == name) return static_cast<StreamEvent>(i);
  return StreamEvent::kCount;
}

}  // namespace seawall::stream
