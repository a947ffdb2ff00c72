// TCP header keywords: flags seq ack window tcp.mss (Suricata's
// detect-flags.c, detect-seq.c, detect-ack.c, detect-window.c,
// detect-tcpmss.c).
#include <memory>
#include <string>

#include "detect/keywords/keyword.h"
#include "detect/keywords/packet/field_matcher.h"
#include "detect/keywords/packet/header_access.h"
#include "detect/keywords/packet/uint_parse.h"

namespace seawall::detect {
namespace {

// ---- flags: [modifier]<flags>[modifier][,<ignored flags>] ----
enum class FlagsModifier : uint8_t { kExact, kNot, kPlus, kAny };

class FlagsMatcher final : public PacketMatcher {
 public:
  FlagsMatcher(uint8_t flags, uint8_t keep_mask, FlagsModifier mod)
      : flags_(flags), keep_mask_(keep_mask), mod_(mod) {}
  bool match(const MatchContext& ctx) const override {
    if (!ctx.packet.is_tcp()) return false;
    uint8_t pflags = ctx.packet.tcp_flags;
    // "flags:0" means no flag at all; only "!0" matches a packet with flags.
    if (flags_ == 0 && pflags != 0) return mod_ == FlagsModifier::kNot;
    pflags &= keep_mask_;
    switch (mod_) {
      case FlagsModifier::kAny: return (pflags & flags_) != 0;
      case FlagsModifier::kPlus: return (pflags & flags_) == flags_;
      case FlagsModifier::kNot: return (pflags & flags_) != flags_;
      case FlagsModifier::kExact: return pflags == flags_;
    }
    return false;
  }

 private:
  uint8_t flags_;
  uint8_t keep_mask_;  // ~ignored flags
  FlagsModifier mod_;
};

// One flag letter to its bit; 0 when not a flag letter ('0' handled apart).
uint8_t flag_bit(char c) {
  switch (c) {
    case 'F': return tcp_flag::kFin;
    case 'S': return tcp_flag::kSyn;
    case 'R': return tcp_flag::kRst;
    case 'P': return tcp_flag::kPsh;
    case 'A': return tcp_flag::kAck;
    case 'U': return tcp_flag::kUrg;
    case 'C': case '1': return tcp_flag::kCwr;
    case 'E': case '2': return tcp_flag::kEce;
    default: return 0;
  }
}

void setup_flags(RuleBuilder& b, std::string_view value) {
  std::string_view s = trim(value);
  std::string_view mask_text;
  bool has_mask = false;
  if (size_t comma = s.find(','); comma != std::string_view::npos) {
    mask_text = trim(s.substr(comma + 1));
    s = trim(s.substr(0, comma));
    has_mask = true;
  }
  uint8_t flags = 0;
  int found = 0;
  int modifiers = 0;
  FlagsModifier mod = FlagsModifier::kExact;
  for (char c : s) {
    if (c == ' ') continue;
    if (c == '!' || c == '+' || c == '*') {
      if (++modifiers > 1) keyword_error("flags", "only one modifier (!, + or *) is allowed");
      mod = c == '!' ? FlagsModifier::kNot : c == '+' ? FlagsModifier::kPlus : FlagsModifier::kAny;
      continue;
    }
    if (c == '0') {
      flags = 0;
      ++found;
      continue;
    }
    uint8_t bit = flag_bit(c);
    if (bit == 0) {
      keyword_error("flags", std::string("invalid flag '") + c +
                                 "' (expected F S R P A U C E 1 2 0 and one of ! + *)");
    }
    flags |= bit;
    ++found;
  }
  if (found == 0) keyword_error("flags", "no flags given");
  uint8_t keep = 0xff;
  if (has_mask) {
    int ignored = 0;
    for (char c : mask_text) {
      if (c == ' ') continue;
      uint8_t bit = flag_bit(c);
      if (bit == 0) keyword_error("flags", std::string("invalid flag '") + c + "' in the mask");
      keep = static_cast<uint8_t>(keep & ~bit);
      ++ignored;
    }
    if (ignored == 0) keyword_error("flags", "empty mask after ','");
  }
  b.add_packet(std::make_unique<FlagsMatcher>(flags, keep, mod));
}

// ---- seq / ack: TCP sequence and acknowledgement numbers ----
void setup_seq(RuleBuilder& b, std::string_view value) {
  auto cond = parse_uint_condition(value, 0xffffffffu, "seq");
  b.add_packet(std::make_unique<FieldMatcher>(
      [](const Packet& p, uint64_t& v) {
        if (!p.is_tcp()) return false;
        v = p.tcp_seq;
        return true;
      },
      cond));
}

void setup_ack(RuleBuilder& b, std::string_view value) {
  auto cond = parse_uint_condition(value, 0xffffffffu, "ack");
  b.add_packet(std::make_unique<FieldMatcher>(
      [](const Packet& p, uint64_t& v) {
        if (!p.is_tcp()) return false;
        v = p.tcp_ack;
        return true;
      },
      cond));
}

// ---- window: [!]<size> (raw header value, not scaled) ----
void setup_window(RuleBuilder& b, std::string_view value) {
  std::string_view s = trim(value);
  UintCondition cond;
  if (!s.empty() && s.front() == '!') {
    cond.mode = UintCondition::Mode::kNotEqual;
    s = trim(s.substr(1));
  }
  if (!parse_u64(s, 65535, cond.arg1, true)) {
    keyword_error("window", "invalid value '" + std::string(value) + "' (expected [!]0..65535)");
  }
  b.add_packet(std::make_unique<FieldMatcher>(
      [](const Packet& p, uint64_t& v) {
        if (!p.is_tcp()) return false;
        v = p.tcp_window;
        return true;
      },
      cond));
}

// ---- tcp.mss: the MSS option value, when the option is present ----
void setup_tcp_mss(RuleBuilder& b, std::string_view value) {
  auto cond = parse_uint_condition(value, 65535, "tcp.mss");
  b.add_packet(std::make_unique<FieldMatcher>(
      [](const Packet& p, uint64_t& v) {
        const uint8_t* data = nullptr;
        uint8_t len = 0;
        if (!p.is_tcp() || !hdr::tcp_option(p, 2, data, len) || len != 2) return false;
        v = load_be16(data);
        return true;
      },
      cond));
}

const bool kRegistered = [] {
  register_keyword({.name = "flags", .help = "match on TCP flags (modifiers ! + *, ignore mask after ',')",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired, .setup = setup_flags,
                    .aliases = {"tcp.flags"}});  // Suricata 8 spelling
  register_keyword({.name = "seq", .help = "match on the TCP sequence number",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired, .setup = setup_seq});
  register_keyword({.name = "ack", .help = "match on the TCP acknowledgement number",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired, .setup = setup_ack});
  register_keyword({.name = "window", .help = "match on the TCP window size",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired,
                    .setup = setup_window});
  register_keyword({.name = "tcp.mss", .help = "match on the TCP MSS option value",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired,
                    .setup = setup_tcp_mss});
  return true;
}();

}  // namespace
}  // namespace seawall::detect
