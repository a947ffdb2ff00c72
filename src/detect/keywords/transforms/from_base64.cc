// from_base64 transform (Suricata 8's detect/transforms/base64.rs):
// `from_base64[: [bytes N][, offset N][, mode rfc4648|rfc2045|strict]]`
// replaces the buffer by the base64 decoding of buffer[offset, offset+bytes).
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "detect/keywords/keyword.h"
#include "detect/keywords/payload/base64.h"
#include "detect/keywords/payload/payload_util.h"
#include "detect/keywords/transforms/transform_util.h"
#include "detect/rules/option_value.h"

namespace seawall::detect {

namespace {

enum class Base64Mode : uint8_t { kRfc4648, kRfc2045, kStrict };

int base64_digit(uint8_t c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// RFC 4648 stops at the first byte outside the alphabet ('=' included);
// strict fails on any such byte other than trailing '=' padding. Both keep
// the whole bytes of a trailing partial quantum. Returns false on failure.
bool decode_base64_4648(std::span<const uint8_t> in, bool strict, std::vector<uint8_t>& out) {
  uint32_t quantum = 0;
  int have = 0;
  size_t i = 0;
  for (; i < in.size(); ++i) {
    const int v = base64_digit(in[i]);
    if (v < 0) break;
    quantum = (quantum << 6) | static_cast<uint32_t>(v);
    if (++have == 4) {
      out.push_back(static_cast<uint8_t>(quantum >> 16));
      out.push_back(static_cast<uint8_t>(quantum >> 8));
      out.push_back(static_cast<uint8_t>(quantum));
      quantum = 0;
      have = 0;
    }
  }
  if (strict) {
    for (size_t j = i; j < in.size(); ++j)
      if (in[j] != '=') return false;
    if (in.size() - i > 2) return false;
  }
  if (have == 1 && strict) return false;
  if (have == 2) {
    out.push_back(static_cast<uint8_t>(quantum >> 4));
  } else if (have == 3) {
    out.push_back(static_cast<uint8_t>(quantum >> 10));
    out.push_back(static_cast<uint8_t>(quantum >> 2));
  }
  return true;
}

class FromBase64 final : public Transform {
 public:
  FromBase64(uint32_t bytes, uint32_t offset, Base64Mode mode)
      : bytes_(bytes), offset_(offset), mode_(mode) {}

  void apply(std::span<const uint8_t> in, std::vector<uint8_t>& out) const override {
    out.clear();
    std::span<const uint8_t> data = in;
    // As Suricata: an offset or length reaching the end leaves the buffer as is.
    if (offset_ > 0) {
      if (offset_ >= data.size()) return copy(in, out);
      data = data.subspan(offset_);
    }
    if (bytes_ > 0) {
      if (bytes_ >= data.size()) return copy(in, out);
      data = data.first(bytes_);
    }
    bool ok = true;
    if (mode_ == Base64Mode::kRfc2045) {
      decode_base64_rfc2045(data.data(), static_cast<uint32_t>(data.size()),
                            static_cast<uint32_t>(data.size()), out);
    } else {
      ok = decode_base64_4648(data, mode_ == Base64Mode::kStrict, out);
    }
    // Nothing decoded: an empty buffer, on which no content matches.
    if (!ok) out.clear();
  }
  std::string_view name() const override { return "from_base64"; }

 private:
  static void copy(std::span<const uint8_t> in, std::vector<uint8_t>& out) {
    out.assign(in.begin(), in.end());
  }

  uint32_t bytes_;
  uint32_t offset_;
  Base64Mode mode_;
};

void setup_from_base64(RuleBuilder& b, std::string_view value) {
  uint32_t bytes = 0, offset = 0;
  Base64Mode mode = Base64Mode::kRfc4648;
  bool seen_bytes = false, seen_offset = false, seen_mode = false;
  if (!trim_ws(value).empty()) {
    for (std::string_view item : split_trimmed(value, ',')) {
      const size_t space = item.find_first_of(" \t");
      if (space == std::string_view::npos)
        throw RuleError("from_base64: expected 'bytes N', 'offset N' or 'mode M', got '" +
                        std::string(item) + "'");
      const std::string_view key = item.substr(0, space);
      const std::string_view arg = trim_ws(item.substr(space + 1));
      const bool numeric = !arg.empty() && arg[0] >= '0' && arg[0] <= '9';
      if ((key == "bytes" || key == "offset") && !numeric)
        throw RuleUnsupported("from_base64: byte variables for " + std::string(key) +
                              " are not supported yet");
      if (key == "bytes" && !seen_bytes) {
        bytes = static_cast<uint32_t>(parse_unsigned(arg, "from_base64", 1, 65535));
        seen_bytes = true;
      } else if (key == "offset" && !seen_offset) {
        offset = static_cast<uint32_t>(parse_unsigned(arg, "from_base64", 0, 65535));
        seen_offset = true;
      } else if (key == "mode" && !seen_mode) {
        const std::string m = to_lower_ascii(arg);
        if (m == "rfc4648") mode = Base64Mode::kRfc4648;
        else if (m == "rfc2045") mode = Base64Mode::kRfc2045;
        else if (m == "strict") mode = Base64Mode::kStrict;
        else throw RuleError("from_base64: unknown mode '" + std::string(arg) + "'");
        seen_mode = true;
      } else {
        throw RuleError("from_base64: unknown or repeated option '" + std::string(key) + "'");
      }
    }
  }
  add_checked_transform(b, "from_base64", std::make_shared<FromBase64>(bytes, offset, mode));
}

const bool kRegistered = register_keyword({
    .name = "from_base64",
    .help = "base64-decode the buffer: [bytes N][, offset N][, mode rfc4648|rfc2045|strict]",
    .kind = KeywordKind::kTransform,
    .setup = setup_from_base64,
});

}  // namespace

}  // namespace seawall::detect
