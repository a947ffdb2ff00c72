// Internal to src/config: the node type behind ConfigNode handles.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config.h"

namespace seawall::config_detail {

struct Node {
  ConfigKind kind = ConfigKind::kNull;
  std::string scalar;
  std::vector<std::pair<std::string, std::unique_ptr<Node>>> entries;  // map, file order
  std::vector<std::unique_ptr<Node>> items;                            // sequence
  Node* parent = nullptr;
  // The file the node came from, or the whole "--set key=value" text when line == 0.
  std::shared_ptr<const std::string> origin;
  int line = 0;  // 1-based
  mutable bool used = false;

  Node* child(std::string_view key) const {
    for (const auto& [name, node] : entries) {
      if (name == key) return node.get();
    }
    return nullptr;
  }
  size_t child_count() const { return kind == ConfigKind::kMap ? entries.size() : items.size(); }
  bool is_leaf() const { return child_count() == 0; }

  void mark_used() const {
    for (const Node* n = this; n != nullptr && !n->used; n = n->parent) n->used = true;
  }

  bool from_set_option() const { return line == 0 && origin != nullptr; }

  std::string location() const {
    if (origin == nullptr) return "<default>";
    if (line == 0) return *origin;
    return *origin + ":" + std::to_string(line);
  }

  // Suricata's name for a sequence item: the first key of a map item, a scalar's text,
  // else its index.
  std::string item_name(size_t index) const {
    const Node& item = *items[index];
    if (item.kind == ConfigKind::kMap && !item.entries.empty()) return item.entries.front().first;
    if (item.kind == ConfigKind::kScalar) return item.scalar;
    return std::to_string(index);
  }

  // Turns this node into an empty node of `new_kind`, dropping any content.
  void reset(ConfigKind new_kind) {
    kind = new_kind;
    scalar.clear();
    entries.clear();
    items.clear();
  }

  void add_entry(std::string key, std::unique_ptr<Node> node) {
    node->parent = this;
    entries.emplace_back(std::move(key), std::move(node));
  }
  void add_item(std::unique_ptr<Node> node) {
    node->parent = this;
    items.push_back(std::move(node));
  }
};

}  // namespace seawall::config_detail
