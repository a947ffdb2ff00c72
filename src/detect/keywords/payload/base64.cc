#include "detect/keywords/payload/base64.h"

#include <memory>
#include <string>

#include "detect/keywords/keyword.h"
#include "detect/keywords/payload/payload_util.h"

namespace seawall::detect {

namespace {

// Suricata's cap on decoded data when no "bytes" is given.
constexpr uint32_t kMaxDecoded = 65535;

int8_t base64_value(uint8_t c) {
  if (c >= 'A' && c <= 'Z') return static_cast<int8_t>(c - 'A');
  if (c >= 'a' && c <= 'z') return static_cast<int8_t>(c - 'a' + 26);
  if (c >= '0' && c <= '9') return static_cast<int8_t>(c - '0' + 52);
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::vector<uint8_t>& scratch() {
  thread_local std::vector<uint8_t> buffer = [] {
    std::vector<uint8_t> v;
    v.reserve(kMaxDecoded);
    return v;
  }();
  return buffer;
}

}  // namespace

void decode_base64_rfc2045(const uint8_t* in, uint32_t len, uint32_t max_out,
                           std::vector<uint8_t>& out) {
  uint32_t quantum = 0;
  int have = 0;
  uint32_t produced = 0;
  auto emit = [&](uint8_t b) {
    if (produced < max_out) {
      out.push_back(b);
      ++produced;
    }
  };
  for (uint32_t i = 0; i < len && produced < max_out; ++i) {
    if (in[i] == '=') break;
    const int8_t v = base64_value(in[i]);
    if (v < 0) continue;
    quantum = (quantum << 6) | static_cast<uint32_t>(v);
    if (++have == 4) {
      emit(static_cast<uint8_t>(quantum >> 16));
      emit(static_cast<uint8_t>(quantum >> 8));
      emit(static_cast<uint8_t>(quantum));
      quantum = 0;
      have = 0;
    }
  }
  if (have == 2) {
    emit(static_cast<uint8_t>(quantum >> 4));
  } else if (have == 3) {
    emit(static_cast<uint8_t>(quantum >> 10));
    emit(static_cast<uint8_t>(quantum >> 2));
  }
}

const std::vector<uint8_t>& Base64DecodeMatcher::decoded() { return scratch(); }

// Port of Suricata's DetectBase64DecodeDoMatch.
InspectOutcome Base64DecodeMatcher::inspect(const MatchContext&, InspectionCursor& c, uint32_t,
                                            PayloadMatch& r) const {
  r.start = r.end = c.prev_end;
  std::vector<uint8_t>& out = scratch();
  out.clear();
  uint32_t start = 0;
  if (relative_) {
    if (c.prev_end > c.len) return InspectOutcome::kNoMatch;
    start = c.prev_end;
  }
  uint32_t avail = c.len - start;
  if (offset_) {
    if (offset_ >= avail) return InspectOutcome::kNoMatch;
    start += offset_;
    avail -= offset_;
  }
  const uint32_t decode_len = bytes_ && bytes_ < avail ? bytes_ : avail;
  decode_base64_rfc2045(c.data + start, decode_len, kMaxDecoded, out);
  return out.empty() ? InspectOutcome::kNoMatch : InspectOutcome::kMatch;
}

namespace {

void setup_base64_decode(RuleBuilder& b, std::string_view value) {
  uint32_t bytes = 0, offset = 0;
  bool relative = false;
  value = trim_ws(value);
  if (!value.empty()) {
    for (std::string_view o : split_options(value)) {
      const size_t sp = o.find(' ');
      const std::string_view key = o.substr(0, sp);
      const std::string_view arg = sp == std::string_view::npos ? "" : trim_ws(o.substr(sp + 1));
      uint64_t v = 0;
      if (key == "relative" && arg.empty()) {
        relative = true;
      } else if ((key == "bytes" || key == "offset") && parse_u64(arg, v, false) && v <= 65535) {
        if (key == "bytes") {
          if (v == 0) throw RuleError("base64_decode: bytes must be greater than 0");
          bytes = static_cast<uint32_t>(v);
        } else {
          offset = static_cast<uint32_t>(v);
        }
      } else {
        throw RuleError("base64_decode: invalid option '" + std::string(o) + "'");
      }
    }
  }
  if (relative) mark_relative_next(b);
  b.add_payload(std::make_unique<Base64DecodeMatcher>(bytes, offset, relative));
}

void setup_base64_data(RuleBuilder& b, std::string_view) {
  bool seen = false;
  for (auto& m : b.current_inspection().matchers) {
    auto* kw = dynamic_cast<PayloadKeyword*>(m.get());
    if (kw && kw->kind() == PayloadKind::kBase64Data)
      throw RuleError("base64_data: used twice on the same buffer");
    if (kw && kw->kind() == PayloadKind::kBase64Decode) seen = true;
  }
  if (!seen) throw RuleError("base64_data: must follow base64_decode");
  b.add_payload(std::make_unique<Base64DataMarker>());
}

const bool kRegistered = [] {
  register_keyword({.name = "base64_decode",
                    .help = "decode base64 from the buffer: [bytes <n>][, offset <n>][, relative]",
                    .kind = KeywordKind::kPayload,
                    .setup = setup_base64_decode});
  register_keyword({.name = "base64_data",
                    .help = "following keywords inspect the base64_decode output",
                    .kind = KeywordKind::kPayload,
                    .flags = kNoValue,
                    .setup = setup_base64_data});
  return true;
}();

}  // namespace

}  // namespace seawall::detect
