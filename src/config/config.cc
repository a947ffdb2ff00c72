#include "config/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "config/config_tree.h"
#include "config/config_value.h"

namespace seawall {

using config_detail::Node;

namespace {

const char* kind_name(ConfigKind kind) {
  switch (kind) {
    case ConfigKind::kNull: return "nothing";
    case ConfigKind::kScalar: return "a single value";
    case ConfigKind::kMap: return "a mapping";
    case ConfigKind::kSequence: return "a list";
  }
  return "?";
}

std::vector<std::string_view> split_dotted(std::string_view key) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t dot = key.find('.', start);
    parts.push_back(key.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts;
}

bool parse_index(std::string_view segment, size_t* index) {
  if (segment.empty() || segment.size() > 9) return false;
  size_t value = 0;
  for (char c : segment) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<size_t>(c - '0');
  }
  *index = value;
  return true;
}

std::string join(std::string_view base, std::string_view key) {
  if (base.empty()) return std::string(key);
  if (key.empty()) return std::string(base);
  std::string out(base);
  out += '.';
  out += key;
  return out;
}

// One step of a dotted lookup, with Suricata's list conventions.
const Node* step(const Node* node, std::string_view segment) {
  if (node->kind == ConfigKind::kMap) return node->child(segment);
  if (node->kind != ConfigKind::kSequence) return nullptr;
  size_t index = 0;
  if (parse_index(segment, &index)) {
    return index < node->items.size() ? node->items[index].get() : nullptr;
  }
  for (const auto& item : node->items) {
    if (item->kind == ConfigKind::kMap && !item->entries.empty() &&
        item->entries.front().first == segment) {
      return item->entries.front().second.get();
    }
    if (item->kind == ConfigKind::kScalar && item->scalar == segment) return item.get();
  }
  return nullptr;
}

const Node* lookup(const Node* node, std::string_view dotted) {
  if (dotted.empty()) return node;
  for (std::string_view segment : split_dotted(dotted)) {
    if (segment.empty()) return nullptr;
    node = step(node, segment);
    if (node == nullptr) return nullptr;
  }
  return node;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// ConfigNode

ConfigKind ConfigNode::kind() const { return node_->kind; }

std::string ConfigNode::location() const { return node_->location(); }

void ConfigNode::fail(std::string_view reason) const {
  std::string message = node_->location();
  if (!node_->from_set_option()) {
    message += ": ";
    message += path_.empty() ? std::string("(top level)") : path_;
  }
  message += ": ";
  message += reason;
  throw ConfigError(message);
}

const std::string& ConfigNode::scalar() const {
  if (node_->kind != ConfigKind::kScalar && node_->kind != ConfigKind::kNull) {
    fail(std::string("expected a single value, found ") + kind_name(node_->kind));
  }
  node_->mark_used();
  return node_->scalar;
}

std::vector<std::string> ConfigNode::keys() const {
  std::vector<std::string> out;
  if (node_->kind == ConfigKind::kMap) {
    for (const auto& entry : node_->entries) out.push_back(entry.first);
  } else if (node_->kind == ConfigKind::kSequence) {
    for (size_t i = 0; i < node_->items.size(); ++i) out.push_back(node_->item_name(i));
  }
  return out;
}

size_t ConfigNode::size() const { return node_->child_count(); }

ConfigNode ConfigNode::item(size_t index) const {
  if (node_->kind != ConfigKind::kSequence || index >= node_->items.size()) {
    fail("no list item " + std::to_string(index));
  }
  const Node* child = node_->items[index].get();
  child->mark_used();
  return ConfigNode(child, join(path_, std::to_string(index)));
}

std::optional<ConfigNode> ConfigNode::find(std::string_view dotted_key) const {
  const Node* found = lookup(node_, dotted_key);
  if (found == nullptr) return std::nullopt;
  found->mark_used();
  return ConfigNode(found, join(path_, dotted_key));
}

namespace {

// The scalar text at `key`, or nothing when the key is absent or null.
std::optional<std::pair<ConfigNode, std::string>> scalar_at(const ConfigNode& base,
                                                             std::string_view key) {
  std::optional<ConfigNode> node = base.find(key);
  if (!node || node->is_null()) return std::nullopt;
  const std::string& text = node->scalar();  // throws for maps and lists
  return std::make_pair(*node, text);
}

}  // namespace

std::string ConfigNode::get_string(std::string_view key, std::string_view fallback) const {
  auto value = scalar_at(*this, key);
  return value ? value->second : std::string(fallback);
}

bool ConfigNode::get_bool(std::string_view key, bool fallback) const {
  auto value = scalar_at(*this, key);
  if (!value) return fallback;
  std::optional<bool> parsed = parse_config_bool(value->second);
  if (!parsed) {
    value->first.fail("invalid boolean '" + value->second +
                      "' (expected yes/no, true/false, on/off or 1/0)");
  }
  return *parsed;
}

int64_t ConfigNode::get_int(std::string_view key, int64_t fallback, int64_t min,
                            int64_t max) const {
  auto value = scalar_at(*this, key);
  if (!value) return fallback;
  std::optional<int64_t> parsed = parse_config_int(value->second);
  if (!parsed) value->first.fail("invalid integer '" + value->second + "'");
  if (*parsed < min || *parsed > max) {
    value->first.fail("value " + value->second + " out of range [" + std::to_string(min) +
                      ", " + std::to_string(max) + "]");
  }
  return *parsed;
}

uint64_t ConfigNode::get_size(std::string_view key, uint64_t fallback) const {
  auto value = scalar_at(*this, key);
  if (!value) return fallback;
  std::optional<uint64_t> parsed = parse_config_size(value->second);
  if (!parsed) {
    value->first.fail("invalid size '" + value->second + "' (expected e.g. 128mb)");
  }
  return *parsed;
}

double ConfigNode::get_double(std::string_view key, double fallback) const {
  auto value = scalar_at(*this, key);
  if (!value) return fallback;
  std::optional<double> parsed = parse_config_double(value->second);
  if (!parsed) value->first.fail("invalid number '" + value->second + "'");
  return *parsed;
}

std::vector<std::string> ConfigNode::get_string_list(std::string_view key) const {
  std::optional<ConfigNode> node = find(key);
  std::vector<std::string> out;
  if (!node || node->is_null()) return out;
  if (node->is_scalar()) {
    out.push_back(node->scalar());
    return out;
  }
  if (!node->is_sequence()) {
    node->fail(std::string("expected a list, found ") + kind_name(node->kind()));
  }
  for (size_t i = 0; i < node->size(); ++i) {
    ConfigNode item = node->item(i);
    if (!item.is_scalar()) {
      item.fail(std::string("expected a single value in the list, found ") +
                kind_name(item.kind()));
    }
    out.push_back(item.scalar());
  }
  return out;
}

std::map<std::string, std::string> ConfigNode::get_string_map(std::string_view key) const {
  std::optional<ConfigNode> node = find(key);
  std::map<std::string, std::string> out;
  if (!node || node->is_null()) return out;
  if (!node->is_map()) {
    node->fail(std::string("expected a mapping, found ") + kind_name(node->kind()));
  }
  for (const auto& [name, child] : node->node_->entries) {
    child->mark_used();
    out[name] = ConfigNode(child.get(), join(node->path_, name)).scalar();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Config

Config::Config() : root_(std::make_unique<Node>()) { root_->kind = ConfigKind::kMap; }
Config::~Config() = default;
Config::Config(Config&&) noexcept = default;
Config& Config::operator=(Config&&) noexcept = default;

ConfigNode Config::root() const { return ConfigNode(root_.get(), std::string()); }

std::map<std::string, std::string> Config::address_groups() const {
  return root().get_string_map("vars.address-groups");
}

std::map<std::string, std::string> Config::port_groups() const {
  return root().get_string_map("vars.port-groups");
}

namespace {

// The value of --set as one scalar: quoted text is unquoted (with YAML escapes), anything
// else is taken literally so "[10.0.0.0/8]" stays an address string.
std::string set_value_text(std::string_view raw) {
  while (!raw.empty() && (raw.front() == ' ' || raw.front() == '\t')) raw.remove_prefix(1);
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t')) raw.remove_suffix(1);
  if (raw.size() >= 2 && (raw.front() == '"' || raw.front() == '\'') &&
      raw.back() == raw.front()) {
    try {
      YAML::Node parsed = YAML::Load(std::string(raw));
      if (parsed.IsScalar()) return parsed.Scalar();
    } catch (const YAML::Exception&) {
      // fall through: keep the text between the quotes
    }
    return std::string(raw.substr(1, raw.size() - 2));
  }
  return std::string(raw);
}

std::unique_ptr<Node> new_set_node(const std::shared_ptr<const std::string>& origin) {
  auto node = std::make_unique<Node>();
  node->origin = origin;
  return node;
}

}  // namespace

void Config::set(std::string_view dotted_key, std::string_view value) {
  auto origin = std::make_shared<const std::string>("--set " + std::string(dotted_key) + "=" +
                                                    std::string(value));
  auto fail = [&](const std::string& reason) { throw ConfigError(*origin + ": " + reason); };
  if (dotted_key.empty()) fail("empty key");

  Node* node = root_.get();
  for (std::string_view segment : split_dotted(dotted_key)) {
    if (segment.empty()) fail("empty part in key '" + std::string(dotted_key) + "'");
    if (node->kind == ConfigKind::kSequence) {
      size_t index = 0;
      if (parse_index(segment, &index)) {
        if (index > node->items.size()) {
          fail("list index " + std::to_string(index) + " out of range (the list has " +
               std::to_string(node->items.size()) + " items)");
        }
        if (index == node->items.size()) node->add_item(new_set_node(origin));
        node = node->items[index].get();
        continue;
      }
      Node* next = nullptr;
      for (auto& item : node->items) {
        if (item->kind == ConfigKind::kMap && !item->entries.empty() &&
            item->entries.front().first == segment) {
          next = item->entries.front().second.get();
          break;
        }
        if (item->kind == ConfigKind::kScalar && item->scalar == segment) {
          // `- flow` gains settings: it becomes `- flow: {...}` as Suricata allows.
          item->reset(ConfigKind::kMap);
          item->add_entry(std::string(segment), new_set_node(origin));
          next = item->entries.front().second.get();
          break;
        }
      }
      if (next == nullptr) {
        auto item = new_set_node(origin);
        item->kind = ConfigKind::kMap;
        item->add_entry(std::string(segment), new_set_node(origin));
        next = item->entries.front().second.get();
        node->add_item(std::move(item));
      }
      node = next;
      continue;
    }
    if (node->kind != ConfigKind::kMap) node->reset(ConfigKind::kMap);
    Node* next = node->child(segment);
    if (next == nullptr) {
      node->add_entry(std::string(segment), new_set_node(origin));
      next = node->entries.back().second.get();
    }
    node = next;
  }

  const std::string text = set_value_text(value);
  node->reset(text.empty() ? ConfigKind::kNull : ConfigKind::kScalar);
  node->scalar = text;
  node->origin = origin;
  node->line = 0;
  node->used = false;
}

void Config::set_option(std::string_view key_equals_value) {
  const size_t equals = key_equals_value.find('=');
  if (equals == std::string_view::npos) {
    throw ConfigError("--set " + std::string(key_equals_value) + ": expected key=value");
  }
  std::string_view key = key_equals_value.substr(0, equals);
  while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
  while (!key.empty() && key.front() == ' ') key.remove_prefix(1);
  set(key, key_equals_value.substr(equals + 1));
}

// ---------------------------------------------------------------------------------------------
// Unused keys

namespace {

bool is_name_token(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  size_t ignored = 0;
  return !parse_index(text, &ignored);  // a numeric name would read as an index
}

struct Child {
  const Node* node;
  std::string path;
};

// Children as an operator would name them: a `- name: {...}` list item is shown as
// "list.name" (its value), a `- name` item as "list.name", when that name is unique.
std::vector<Child> named_children(const Node& node, const std::string& path) {
  std::vector<Child> out;
  if (node.kind == ConfigKind::kMap) {
    for (const auto& [key, child] : node.entries) out.push_back({child.get(), join(path, key)});
    return out;
  }
  if (node.kind != ConfigKind::kSequence) return out;
  std::vector<std::string> names;
  for (size_t i = 0; i < node.items.size(); ++i) names.push_back(node.item_name(i));
  for (size_t i = 0; i < node.items.size(); ++i) {
    const Node& item = *node.items[i];
    size_t same = 0;
    for (const std::string& name : names) same += name == names[i] ? 1 : 0;
    const bool unique = same == 1 && is_name_token(names[i]);
    if (unique && item.kind == ConfigKind::kMap && item.entries.size() == 1) {
      out.push_back({item.entries.front().second.get(), join(path, names[i])});
    } else if (unique && item.kind == ConfigKind::kScalar) {
      out.push_back({&item, join(path, names[i])});
    } else {
      out.push_back({&item, join(path, std::to_string(i))});
    }
  }
  return out;
}

void collect_unused_leaves(const Node& node, const std::string& path,
                           std::vector<UnusedKey>* out) {
  for (const Child& child : named_children(node, path)) {
    if (child.node->is_leaf()) {
      if (!child.node->used) out->push_back({child.path, child.node->location(), 1});
    } else {
      collect_unused_leaves(*child.node, child.path, out);
    }
  }
}

struct LeafCount {
  size_t total = 0;
  size_t used = 0;
};

LeafCount count_leaves(const Node& node) {
  if (node.is_leaf()) return {1, node.used ? 1u : 0u};
  LeafCount sum;
  auto add = [&](const Node& child) {
    const LeafCount c = count_leaves(child);
    sum.total += c.total;
    sum.used += c.used;
  };
  for (const auto& entry : node.entries) add(*entry.second);
  for (const auto& item : node.items) add(*item);
  return sum;
}

void collect_unused_subtrees(const Node& node, const std::string& path,
                             std::vector<UnusedKey>* out) {
  for (const Child& child : named_children(node, path)) {
    const LeafCount count = count_leaves(*child.node);
    if (count.used == 0) {
      out->push_back({child.path, child.node->location(), count.total});
    } else if (!child.node->is_leaf()) {
      collect_unused_subtrees(*child.node, child.path, out);
    }
  }
}

}  // namespace

std::vector<UnusedKey> Config::unused_keys() const {
  std::vector<UnusedKey> out;
  collect_unused_leaves(*root_, std::string(), &out);
  return out;
}

std::vector<UnusedKey> Config::unused_subtrees() const {
  std::vector<UnusedKey> out;
  collect_unused_subtrees(*root_, std::string(), &out);
  return out;
}

std::string Config::format_unused_warning(size_t max_entries) const {
  const std::vector<UnusedKey> unused = unused_subtrees();
  if (unused.empty()) return {};
  size_t leaves = 0;
  for (const UnusedKey& key : unused) leaves += key.leaves;

  // Neighbours under one parent are shown together: "flow-timeouts.tcp.{closed, bypassed}".
  struct Group {
    std::string parent;
    std::vector<const UnusedKey*> members;
  };
  auto parent_of = [](const std::string& key) {
    const size_t dot = key.rfind('.');
    return dot == std::string::npos ? std::string() : key.substr(0, dot);
  };
  std::vector<Group> groups;
  for (const UnusedKey& key : unused) {
    const std::string parent = parent_of(key.key);
    if (!groups.empty() && !parent.empty() && groups.back().parent == parent) {
      groups.back().members.push_back(&key);
    } else {
      groups.push_back({parent, {&key}});
    }
  }

  std::string out = std::to_string(leaves) +
                    (leaves == 1 ? " configuration value is not used by Seawall and has no effect: "
                                 : " configuration values are not used by Seawall and have no "
                                   "effect: ");
  const size_t shown = std::min(max_entries, groups.size());
  for (size_t i = 0; i < shown; ++i) {
    const Group& group = groups[i];
    if (i > 0) out += ", ";
    size_t group_leaves = 0;
    for (const UnusedKey* key : group.members) group_leaves += key->leaves;
    if (group.members.size() == 1) {
      out += group.members[0]->key;
    } else {
      out += group.parent + ".{";
      for (size_t m = 0; m < group.members.size(); ++m) {
        if (m > 0) out += ", ";
        out += group.members[m]->key.substr(group.parent.size() + 1);
      }
      out += "}";
    }
    out += " (" + group.members[0]->location;
    if (group_leaves > 1) out += ", " + std::to_string(group_leaves) + " values";
    out += ")";
  }
  if (shown < groups.size()) out += " and " + std::to_string(groups.size() - shown) + " more";
  return out;
}

}  // namespace seawall
