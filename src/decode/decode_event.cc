#include "decode/decode_event.h"

namespace seawall {
namespace {
constexpr std::string_view kNames[] = {
#define SEAWALL_X(id, name) name,
    SEAWALL_DECODE_EVENTS(SEAWALL_X)
#undef SEAWALL_X
};
static_assert(sizeof(kNames) / sizeof(kNames[0]) == kDecodeEventCount);
}  // namespace

std::string_view decode_event_name(DecodeEvent e) {
  auto i = static_cast<size_t>(e);
  return i < kDecodeEventCount ? kNames[i] : std::string_view{"unknown"};
}

DecodeEvent decode_event_by_name(std::string_view name) {
  if (name.starts_with("decoder.")) name.remove_prefix(8);
  for (size_t i = 0; i < kDecodeEventCount; ++i) {
    if (kNames[i] == name) return static_cast<DecodeEvent>(i);
  }
  return DecodeEvent::kCount;
}

}  // namespace seawall
