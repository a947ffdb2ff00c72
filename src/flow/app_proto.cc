#include "flow/app_proto.h"

#include <array>
#include <map>
#include <stdexcept>
#include <string>

namespace seawall {
namespace {

struct Registry {
  std::array<std::string, kMaxAppProtos> names{};
  size_t count = 2;
  std::map<std::string, AppProto, std::less<>> by_name;
  Registry() {
    names[kAppProtoFailed] = "failed";
    by_name.emplace("failed", kAppProtoFailed);
  }
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

AppProto register_app_proto(std::string_view name) {
  Registry& r = registry();
  if (auto it = r.by_name.find(name); it != r.by_name.end()) return it->second;
  if (r.count >= kMaxAppProtos) throw std::logic_error("too many application protocols");
  const auto id = static_cast<AppProto>(r.count++);
  r.names[id] = std::string(name);
  r.by_name.emplace(std::string(name), id);
  return id;
}

void register_app_proto_alias(AppProto id, std::string_view alias) {
  registry().by_name.emplace(std::string(alias), id);
}

AppProto find_app_proto(std::string_view name_or_alias) {
  const Registry& r = registry();
  auto it = r.by_name.find(name_or_alias);
  return it == r.by_name.end() ? kAppProtoUnknown : it->second;
}

std::string_view app_proto_name(AppProto id) {
  const Registry& r = registry();
  return id < r.count ? std::string_view(r.names[id]) : std::string_view{};
}

size_t app_proto_count() { return registry().count; }

}  // namespace seawall
