// The protocol registry: descriptors by AppProto id.
#include "applayer/app_layer.h"

#include <array>
#include <deque>
#include <stdexcept>
#include <string>

namespace seawall::applayer {
namespace {

struct Registry {
  std::deque<ProtocolDescriptor> storage;  // stable addresses
  std::array<const ProtocolDescriptor*, kMaxAppProtos> by_id{};
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

AppProto register_protocol(const ProtocolDescriptor& descriptor) {
  if (descriptor.name.empty() || descriptor.create == nullptr)
    throw std::logic_error("app-layer protocol registered without a name or parser");
  Registry& r = registry();
  const AppProto id = register_app_proto(descriptor.name);
  if (r.by_id[id] != nullptr)
    throw std::logic_error("app-layer protocol registered twice: " + std::string(descriptor.name));
  r.storage.push_back(descriptor);
  r.by_id[id] = &r.storage.back();
  for (std::string_view alias : descriptor.aliases) register_app_proto_alias(id, alias);
  return id;
}

const ProtocolDescriptor* protocol_descriptor(AppProto id) {
  return id < kMaxAppProtos ? registry().by_id[id] : nullptr;
}

}  // namespace seawall::applayer
