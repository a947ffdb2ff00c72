// YAML text -> config tree, with Suricata's include rules and key spelling.
#include "config/config.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/config_tree.h"

namespace seawall {

using config_detail::Node;
namespace fs = std::filesystem;

struct ConfigLoader {
  static constexpr size_t kMaxIncludeDepth = 16;

  std::vector<std::string> warnings;
  std::vector<fs::path> include_stack;  // canonical paths, to report include cycles

  // Reads and parses one file. `from` says who asked, for the message when it cannot be read.
  std::unique_ptr<Node> load(const fs::path& path, const std::string& display,
                             const std::string& from) {
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(path, ec);
    for (const fs::path& open : include_stack) {
      if (!ec && open == canonical) {
        std::string chain;
        for (const fs::path& p : include_stack) chain += p.string() + " -> ";
        throw ConfigError(from + "include cycle: " + chain + canonical.string());
      }
    }
    if (include_stack.size() >= kMaxIncludeDepth) {
      throw ConfigError(from + "includes nested more than " + std::to_string(kMaxIncludeDepth) +
                        " deep at '" + display + "'");
    }
    if (fs::is_directory(path, ec)) {
      throw ConfigError(from + "cannot read '" + display + "': is a directory");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      throw ConfigError(from + "cannot open '" + display + "': " + std::strerror(errno));
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) {
      throw ConfigError(from + "cannot read '" + display + "': " + std::strerror(errno));
    }
    include_stack.push_back(ec ? path : canonical);
    auto root = parse(text.str(), std::make_shared<const std::string>(display),
                      path.parent_path());
    include_stack.pop_back();
    return root;
  }

  std::unique_ptr<Node> parse(const std::string& text,
                              const std::shared_ptr<const std::string>& origin,
                              const fs::path& base_dir) {
    YAML::Node document;
    try {
      document = YAML::Load(text);
    } catch (const YAML::Exception& e) {
      // yaml-cpp marks are 0-based; editors count from 1.
      throw ConfigError(*origin + ":" + std::to_string(e.mark.line + 1) + ":" +
                        std::to_string(e.mark.column + 1) + ": " + e.msg);
    }
    if (document.IsNull()) {  // empty file or only comments
      auto root = std::make_unique<Node>();
      root->kind = ConfigKind::kMap;
      root->origin = origin;
      root->line = 1;
      return root;
    }
    if (!document.IsMap()) {
      throw ConfigError(*origin + ":" + std::to_string(document.Mark().line + 1) +
                        ": the top level must be a mapping of keys");
    }
    return convert(document, origin, base_dir, 1, {});
  }

  std::unique_ptr<Node> convert(const YAML::Node& yaml,
                                const std::shared_ptr<const std::string>& origin,
                                const fs::path& base_dir, int line, std::string_view key) {
    auto node = std::make_unique<Node>();
    node->origin = origin;
    node->line = line;
    switch (yaml.Type()) {
      case YAML::NodeType::Scalar:
        if (yaml.Tag() == "!include") {
          return include_file(yaml.Scalar(), *origin, line, base_dir);
        }
        node->kind = ConfigKind::kScalar;
        node->scalar = yaml.Scalar();
        break;
      case YAML::NodeType::Sequence:
        node->kind = ConfigKind::kSequence;
        for (const YAML::Node& item : yaml) {
          node->add_item(convert(item, origin, base_dir, mark_line(item, line), {}));
        }
        break;
      case YAML::NodeType::Map:
        node->kind = ConfigKind::kMap;
        convert_map_into(*node, yaml, origin, base_dir, key);
        break;
      default:  // Null / Undefined
        break;
    }
    return node;
  }

  void convert_map_into(Node& target, const YAML::Node& yaml,
                        const std::shared_ptr<const std::string>& origin,
                        const fs::path& base_dir, std::string_view map_key) {
    for (auto it = yaml.begin(); it != yaml.end(); ++it) {
      const int key_line = mark_line(it->first, target.line);
      if (!it->first.IsScalar()) {
        throw ConfigError(*origin + ":" + std::to_string(key_line) +
                          ": mapping keys must be plain names");
      }
      std::string key = it->first.Scalar();
      if (key == "include" && it->second.Tag() != "!include") {
        include_into(target, it->second, *origin, key_line, base_dir);
        continue;
      }
      // Suricata reads foo_bar as foo-bar, except for rule variable names.
      if (key.find('_') != std::string::npos && map_key != "address-groups" &&
          map_key != "port-groups") {
        std::string dashed = key;
        for (char& c : dashed) {
          if (c == '_') c = '-';
        }
        warnings.push_back(*origin + ":" + std::to_string(key_line) + ": key '" + key +
                           "' is deprecated, read as '" + dashed + "'");
        key = std::move(dashed);
      }
      std::unique_ptr<Node> value = convert(it->second, origin, base_dir, key_line, key);
      merge_entry(target, std::move(key), std::move(value));
    }
  }

  // `include: file` or `include: [a, b]`: the files' mappings merge into `target`.
  void include_into(Node& target, const YAML::Node& value, const std::string& file, int line,
                    const fs::path& base_dir) {
    std::vector<std::pair<std::string, int>> names;
    if (value.IsScalar()) {
      names.emplace_back(value.Scalar(), line);
    } else if (value.IsSequence()) {
      for (const YAML::Node& item : value) {
        if (!item.IsScalar()) {
          throw ConfigError(file + ":" + std::to_string(mark_line(item, line)) +
                            ": include: expected a file name");
        }
        names.emplace_back(item.Scalar(), mark_line(item, line));
      }
    } else {
      throw ConfigError(file + ":" + std::to_string(line) +
                        ": include: expected a file name or a list of file names");
    }
    for (const auto& [name, name_line] : names) {
      std::unique_ptr<Node> included = include_file(name, file, name_line, base_dir);
      if (included->kind != ConfigKind::kMap) {
        throw ConfigError(*included->origin +
                          ": an included file merged into a mapping must itself be a mapping");
      }
      for (auto& [key, child] : included->entries) merge_entry(target, key, std::move(child));
    }
  }

  std::unique_ptr<Node> include_file(const std::string& name, const std::string& file, int line,
                                     const fs::path& base_dir) {
    const std::string from = file + ":" + std::to_string(line) + ": include: ";
    if (name.empty()) throw ConfigError(from + "empty file name");
    fs::path path(name);
    if (path.is_relative()) path = (base_dir / path).lexically_normal();
    return load(path, path.string(), from);
  }

  // Later keys win, as in Suricata: maps merge key by key, anything else is replaced.
  static void merge_entry(Node& target, std::string key, std::unique_ptr<Node> value) {
    for (auto& [existing_key, existing] : target.entries) {
      if (existing_key != key) continue;
      if (existing->kind == ConfigKind::kMap && value->kind == ConfigKind::kMap) {
        for (auto& [child_key, child] : value->entries) {
          merge_entry(*existing, child_key, std::move(child));
        }
      } else {
        value->parent = &target;
        existing = std::move(value);
      }
      return;
    }
    target.add_entry(std::move(key), std::move(value));
  }

  static int mark_line(const YAML::Node& node, int fallback) {
    const YAML::Mark mark = node.Mark();
    return mark.line >= 0 ? mark.line + 1 : fallback;
  }
};

Config Config::load_file(const std::string& path) {
  ConfigLoader loader;
  Config config;
  config.root_ = loader.load(fs::path(path), path, "configuration file: ");
  config.warnings_ = std::move(loader.warnings);
  return config;
}

Config Config::from_string(std::string_view text, std::string_view name) {
  ConfigLoader loader;
  Config config;
  config.root_ = loader.parse(std::string(text), std::make_shared<const std::string>(name),
                              fs::path());
  config.warnings_ = std::move(loader.warnings);
  return config;
}

}  // namespace seawall
