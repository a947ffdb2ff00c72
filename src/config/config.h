// Seawall's configuration tree, loaded from a suricata.yaml-dialect file.
//
// Load time only: every function here may throw ConfigError, whose what() is ready for the
// operator: "<file>:<line>: <dotted.key>: <reason>", or "--set <key>=<value>: <reason>" for a
// value given on the command line. The tree is not thread-safe (reads mark keys as used);
// read it on one thread, build typed options, then drop it or keep it read-only.
//
// Lookup follows Suricata's conventions: dotted paths ("flow.memcap"), list indices
// ("outputs.1.eve-log.types.2") and, in a list of single-key maps, the key as a name
// ("outputs.eve-log" is the value of the first `- eve-log:` item; a plain `- flow` item is
// found as "types.flow").
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace seawall {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace config_detail {
struct Node;
}

enum class ConfigKind : uint8_t { kNull, kScalar, kMap, kSequence };

// A key present in the file that Seawall never read (see Config::unused_keys).
struct UnusedKey {
  std::string key;       // dotted path, list items named as in lookups when unambiguous
  std::string location;  // "file:line" or "--set key=value"
  size_t leaves = 1;     // leaf values under it (1 for a leaf)
};

// A non-owning view of one node; valid while its Config lives (and until Config::set
// replaces the node). Getters take a dotted key relative to this node ("" = the node itself);
// a missing or null value yields the default, a malformed one throws ConfigError.
class ConfigNode {
 public:
  ConfigKind kind() const;
  bool is_null() const { return kind() == ConfigKind::kNull; }
  bool is_scalar() const { return kind() == ConfigKind::kScalar; }
  bool is_map() const { return kind() == ConfigKind::kMap; }
  bool is_sequence() const { return kind() == ConfigKind::kSequence; }

  const std::string& path() const { return path_; }  // dotted path used to reach it
  std::string location() const;                      // "file:line" or "--set key=value"

  // Raw scalar text ("" for null); throws unless scalar or null. Marks the node as read.
  const std::string& scalar() const;

  // Map: keys in file order. Sequence: Suricata's item names (the first key of a map item,
  // the text of a scalar item, the index otherwise). Does not mark anything as read.
  std::vector<std::string> keys() const;
  size_t size() const;                     // children of a map or sequence, else 0
  ConfigNode item(size_t index) const;     // sequence item (throws if out of range); marks it

  std::optional<ConfigNode> find(std::string_view dotted_key) const;  // marks node + ancestors

  std::string get_string(std::string_view key, std::string_view fallback = {}) const;
  // Suricata's ConfGetBool words, case-insensitive: yes/true/on/1 and no/false/off/0.
  bool get_bool(std::string_view key, bool fallback) const;
  // strtoimax base 0 like Suricata's ConfGetInt (so 0x10 is 16), then checked against
  // [min, max].
  int64_t get_int(std::string_view key, int64_t fallback,
                  int64_t min = std::numeric_limits<int64_t>::min(),
                  int64_t max = std::numeric_limits<int64_t>::max()) const;
  // Suricata's ParseSizeString: "4096", "64kb", "1.5mb", "1gb" (binary units).
  uint64_t get_size(std::string_view key, uint64_t fallback) const;
  double get_double(std::string_view key, double fallback) const;
  // A sequence of scalars, or one scalar as a one-element list; missing/null = empty.
  std::vector<std::string> get_string_list(std::string_view key) const;
  // Every scalar child of a map as name -> text (e.g. vars.address-groups).
  std::map<std::string, std::string> get_string_map(std::string_view key) const;

  // Throws ConfigError located at this node: for semantic checks done by the caller
  // ("unknown filetype 'foo'").
  [[noreturn]] void fail(std::string_view reason) const;

 private:
  friend class Config;
  ConfigNode(const config_detail::Node* node, std::string path)
      : node_(node), path_(std::move(path)) {}
  const config_detail::Node* node_;
  std::string path_;
};

class Config {
 public:
  Config();  // empty mapping
  ~Config();
  Config(Config&&) noexcept;
  Config& operator=(Config&&) noexcept;
  Config(const Config&) = delete;
  Config& operator=(const Config&) = delete;

  // Reads a file; `include:` paths resolve against the including file's directory.
  static Config load_file(const std::string& path);
  // Parses text; `name` is used in messages and relative includes resolve against the
  // current directory.
  static Config from_string(std::string_view text, std::string_view name = "<string>");

  // --set key=value: value taken as one YAML scalar (quotes removed, never a list or map;
  // empty = null); missing intermediate nodes are created; a list index may append.
  void set(std::string_view dotted_key, std::string_view value);
  void set_option(std::string_view key_equals_value);  // "key=value" as typed after --set

  ConfigNode root() const;
  std::optional<ConfigNode> find(std::string_view dotted_key) const {
    return root().find(dotted_key);
  }
  std::string get_string(std::string_view key, std::string_view fallback = {}) const {
    return root().get_string(key, fallback);
  }
  bool get_bool(std::string_view key, bool fallback) const {
    return root().get_bool(key, fallback);
  }
  int64_t get_int(std::string_view key, int64_t fallback,
                  int64_t min = std::numeric_limits<int64_t>::min(),
                  int64_t max = std::numeric_limits<int64_t>::max()) const {
    return root().get_int(key, fallback, min, max);
  }
  uint64_t get_size(std::string_view key, uint64_t fallback) const {
    return root().get_size(key, fallback);
  }
  double get_double(std::string_view key, double fallback) const {
    return root().get_double(key, fallback);
  }
  std::vector<std::string> get_string_list(std::string_view key) const {
    return root().get_string_list(key);
  }

  // vars.address-groups / vars.port-groups as NAME -> value text.
  std::map<std::string, std::string> address_groups() const;
  std::map<std::string, std::string> port_groups() const;

  // Every leaf never read, in file order.
  std::vector<UnusedKey> unused_keys() const;
  // The largest subtrees whose leaves were all left unread (app-layer, outputs.fast,
  // flow.managers, ...): what an operator needs to know.
  std::vector<UnusedKey> unused_subtrees() const;
  // One warning line naming at most `max_entries` unused subtrees; "" when all were read.
  std::string format_unused_warning(size_t max_entries = 12) const;

  // Load-time notices that do not stop loading (deprecated key spellings).
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  std::unique_ptr<config_detail::Node> root_;
  std::vector<std::string> warnings_;
  friend struct ConfigLoader;
};

}  // namespace seawall
