// Byte-rewriting transforms: to_lowercase to_uppercase strip_whitespace
// compress_whitespace dotprefix url_decode xor header_lowercase
// strip_pseudo_headers (Suricata's transform-*.c semantics).
#include <cctype>
#include <memory>
#include <string>

#include "detect/keywords/keyword.h"
#include "detect/keywords/payload/payload_util.h"
#include "detect/keywords/transforms/transform_util.h"

namespace seawall::detect {

namespace {

bool is_space(uint8_t c) { return std::isspace(c) != 0; }
uint8_t lower(uint8_t c) { return static_cast<uint8_t>(std::tolower(c)); }
uint8_t upper(uint8_t c) { return static_cast<uint8_t>(std::toupper(c)); }

class ToLowercase final : public Transform {
 public:
  void apply(std::span<const uint8_t> in, std::vector<uint8_t>& out) const override {
    out.clear();
    for (uint8_t c : in) out.push_back(lower(c));
  }
  std::string_view name() const override { return "to_lowercase"; }
};

class ToUppercase final : public Transform {
 public:
  void apply(std::span<const uint8_t> in, std::vector<uint8_t>& out) const override {
    out.clear();
    for (uint8_t c : in) out.push_back(upper(c));
  }
  std::string_view name() const override { return "to_uppercase"; }
};

class StripWhitespace final : public Transform {
 public:
  void apply(std::span<const uint8_t> in, std::vector<uint8_t>& out) const override {
    out.clear();
    for (uint8_t c : in)
      if (!is_space(c)) out.push_back(c);
  }
  std::string_view name() const override { return "strip_whitespace"; }
};

// Keeps the first whitespace byte of each run as it is, drops the rest.
class CompressWhitespace final : public Transform {
 public:
  void apply(std::span<const uint8_t> in, std::vector<uint8_t>& out) const override {
    out.clear();
    for (size_t i = 0; i < in.size();) {
      out.push_back(in[i]);
      if (is_space(in[i++]))
        while (i < in.size() && is_space(in[i])) ++i;
    }
  }
  std::string_view name() const override { return "compress_whitespace"; }
};

class Dotprefix final : public Transform {
 public:
  void apply(std::span<const uint8_t> in, std::vector<uint8_t>& out) const override {
    out.clear();
    out.push_back('.');
    out.insert(out.end(), in.begin(), in.end());
  }
  std::string_view name() const override { return "dotprefix"; }
};

int hex_value(uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %HH decoded, '+' to space, malformed escapes kept as they are.
class UrlDecode final : public Transform {
 public:
  void apply(std::span<const uint8_t> in, std::vector<uint8_t>& out) const override {
    out.clear();
    for (size_t i = 0; i < in.size(); ++i) {
      if (in[i] == '%' && i + 2 < in.size() && hex_value(in[i + 1]) >= 0 &&
          hex_value(in[i + 2]) >= 0) {
        out.push_back(static_cast<uint8_t>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2])));
        i += 2;
      } else if (in[i] == '+') {
        out.push_back(' ');
      } else {
        out.push_back(in[i]);
      }
    }
  }
  std::string_view name() const override { return "url_decode"; }
};

class Xor final : public Transform {
 public:
  explicit Xor(std::string key) : key_(std::move(key)) {}
  void apply(std::span<const uint8_t> in, std::vector<uint8_t>& out) const override {
    out.clear();
    for (size_t i = 0; i < in.size(); ++i)
      out.push_back(static_cast<uint8_t>(in[i] ^ static_cast<uint8_t>(key_[i % key_.size()])));
  }
  std::string_view name() const override { return "xor"; }

 private:
  std::string key_;
};

// Lowercases header names ("Name: value" lines), leaves values alone.
class HeaderLowercase final : public Transform {
 public:
  void apply(std::span<const uint8_t> in, std::vector<uint8_t>& out) const override {
    out.clear();
    bool in_value = false;
    for (uint8_t c : in) {
      if (in_value) {
        out.push_back(c);
        if (c == '\n') in_value = false;
      } else {
        out.push_back(lower(c));
        if (c == ':') in_value = true;
      }
    }
  }
  std::string_view name() const override { return "header_lowercase"; }
};

// Drops lines starting with ':' (HTTP/2 pseudo headers).
class StripPseudoHeaders final : public Transform {
 public:
  void apply(std::span<const uint8_t> in, std::vector<uint8_t>& out) const override {
    out.clear();
    bool line_start = true, pseudo = false;
    for (uint8_t c : in) {
      if (line_start) pseudo = c == ':';
      line_start = c == '\n';
      if (!pseudo) out.push_back(c);
    }
  }
  std::string_view name() const override { return "strip_pseudo_headers"; }
};

template <class T>
void setup_simple(RuleBuilder& b, std::string_view) {
  static const std::shared_ptr<const Transform> instance = std::make_shared<T>();
  add_checked_transform(b, instance->name(), instance);
}

void setup_xor(RuleBuilder& b, std::string_view value) {
  std::string_view v = trim_ws(value);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  if (v.empty() || v.size() % 2 != 0 || v.size() > 510)
    throw RuleError("xor: key must be an even number of hex digits (1 to 255 bytes)");
  std::string key;
  for (size_t i = 0; i < v.size(); i += 2) {
    const int hi = hex_value(static_cast<uint8_t>(v[i]));
    const int lo = hex_value(static_cast<uint8_t>(v[i + 1]));
    if (hi < 0 || lo < 0) throw RuleError("xor: invalid hex key '" + std::string(v) + "'");
    key.push_back(static_cast<char>(hi * 16 + lo));
  }
  add_checked_transform(b, "xor", std::make_shared<Xor>(std::move(key)));
}

const bool kRegistered = [] {
  auto simple = [](std::string_view name, std::string_view help, KeywordSetup setup) {
    register_keyword({.name = name, .help = help, .kind = KeywordKind::kTransform,
                      .flags = kNoValue, .setup = setup});
  };
  simple("to_lowercase", "lowercase the buffer", setup_simple<ToLowercase>);
  simple("to_uppercase", "uppercase the buffer", setup_simple<ToUppercase>);
  simple("strip_whitespace", "remove all whitespace", setup_simple<StripWhitespace>);
  simple("compress_whitespace", "collapse whitespace runs to one byte",
         setup_simple<CompressWhitespace>);
  simple("dotprefix", "prefix the buffer with '.'", setup_simple<Dotprefix>);
  simple("url_decode", "decode %HH escapes and '+'", setup_simple<UrlDecode>);
  simple("header_lowercase", "lowercase header names", setup_simple<HeaderLowercase>);
  simple("strip_pseudo_headers", "drop HTTP/2 pseudo-header lines",
         setup_simple<StripPseudoHeaders>);
  register_keyword({.name = "xor", .help = "xor the buffer with a repeating hex key: \"0d0ac8ff\"",
                    .kind = KeywordKind::kTransform, .flags = kValueRequired,
                    .setup = setup_xor});
  return true;
}();

}  // namespace

}  // namespace seawall::detect
