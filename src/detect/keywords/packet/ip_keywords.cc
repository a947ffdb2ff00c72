// IP header keywords: ttl tos ipopts sameip ip_proto id fragbits fragoffset.
// Semantics follow Suricata's detect-ttl.c, detect-tos.c, detect-ipopts.c,
// detect-sameip.c, detect-ipproto.c, detect-id.c, detect-fragbits.c and
// detect-fragoffset.c.
#include <array>
#include <memory>
#include <string>

#include "detect/keywords/keyword.h"
#include "detect/keywords/packet/field_matcher.h"
#include "detect/keywords/packet/header_access.h"
#include "detect/keywords/packet/uint_parse.h"

namespace seawall::detect {
namespace {

// ---- ttl ----
void setup_ttl(RuleBuilder& b, std::string_view value) {
  auto cond = parse_uint_condition(value, 255, "ttl");
  b.add_packet(std::make_unique<FieldMatcher>(
      [](const Packet& p, uint64_t& v) {
        if (p.ip_version == 0) return false;
        v = p.ttl;
        return true;
      },
      cond));
}

// ---- tos: [!]<decimal> | [!]x<hex> | [!]0x<hex>; IPv4 only ----
class TosMatcher final : public PacketMatcher {
 public:
  TosMatcher(uint8_t tos, bool negated) : tos_(tos), negated_(negated) {}
  bool match(const MatchContext& ctx) const override {
    if (hdr::ipv4_header_len(ctx.packet) == 0) return false;
    return (ctx.packet.l3[1] == tos_) != negated_;
  }

 private:
  uint8_t tos_;
  bool negated_;
};

void setup_tos(RuleBuilder& b, std::string_view value) {
  std::string_view s = trim(value);
  bool negated = false;
  if (!s.empty() && s.front() == '!') {
    negated = true;
    s = trim(s.substr(1));
  }
  uint64_t v = 0;
  bool ok;
  if (!s.empty() && (s.front() == 'x' || s.front() == 'X')) {
    ok = s.size() >= 2 && s.size() <= 3 && parse_u64(std::string("0x").append(s.substr(1)), 255, v, true);
  } else {
    ok = parse_u64(s, 255, v, true);
  }
  if (!ok) keyword_error("tos", "invalid value '" + std::string(value) + "' (expected 0..255, x00..xff)");
  b.add_packet(std::make_unique<TosMatcher>(static_cast<uint8_t>(v), negated));
}

// ---- ipopts ----
class IpoptsMatcher final : public PacketMatcher {
 public:
  explicit IpoptsMatcher(uint16_t mask) : mask_(mask) {}
  bool match(const MatchContext& ctx) const override {
    return (hdr::ipv4_option_flags(ctx.packet) & mask_) != 0;
  }

 private:
  uint16_t mask_;
};

void setup_ipopts(RuleBuilder& b, std::string_view value) {
  struct Named {
    std::string_view name;
    uint16_t flag;
  };
  static constexpr std::array<Named, 10> kOptions{{
      {"rr", hdr::ipopt::kRr}, {"lsrr", hdr::ipopt::kLsrr}, {"eol", hdr::ipopt::kEol},
      {"nop", hdr::ipopt::kNop}, {"ts", hdr::ipopt::kTs}, {"sec", hdr::ipopt::kSec},
      {"esec", hdr::ipopt::kEsec}, {"ssrr", hdr::ipopt::kSsrr}, {"satid", hdr::ipopt::kSid},
      {"any", 0xffff},
  }};
  std::string_view s = trim(value);
  for (const auto& o : kOptions) {
    if (s == o.name) {
      b.add_packet(std::make_unique<IpoptsMatcher>(o.flag));
      return;
    }
  }
  keyword_error("ipopts", "unknown option '" + std::string(s) +
                              "' (expected rr, eol, nop, ts, sec, esec, lsrr, ssrr, satid, any)");
}

// ---- sameip ----
class SameIpMatcher final : public PacketMatcher {
 public:
  bool match(const MatchContext& ctx) const override {
    return ctx.packet.ip_version != 0 && ctx.packet.src == ctx.packet.dst;
  }
};

void setup_sameip(RuleBuilder& b, std::string_view value) {
  if (!trim(value).empty()) keyword_error("sameip", "takes no value");
  b.add_packet(std::make_unique<SameIpMatcher>());
}

// ---- ip_proto: [!<>]<number|name> ----
struct ProtoName {
  std::string_view name;
  uint8_t number;
};
// The common entries of /etc/protocols (getprotobyname in Suricata).
constexpr std::array<ProtoName, 40> kProtoNames{{
    {"ip", 0}, {"hopopt", 0}, {"icmp", 1}, {"igmp", 2}, {"ggp", 3}, {"ipencap", 4},
    {"st", 5}, {"tcp", 6}, {"egp", 8}, {"igp", 9}, {"pup", 12}, {"udp", 17}, {"hmp", 20},
    {"rdp", 27}, {"dccp", 33}, {"ipv6", 41}, {"ipv6-route", 43}, {"ipv6-frag", 44},
    {"rsvp", 46}, {"gre", 47}, {"esp", 50}, {"ah", 51}, {"ipv6-icmp", 58},
    {"ipv6-nonxt", 59}, {"ipv6-opts", 60}, {"eigrp", 88}, {"ospf", 89}, {"ipip", 94},
    {"etherip", 97}, {"encap", 98}, {"pim", 103}, {"ipcomp", 108}, {"vrrp", 112},
    {"l2tp", 115}, {"isis", 124}, {"sctp", 132}, {"mobility-header", 135}, {"udplite", 136},
    {"mpls-in-ip", 137}, {"hip", 139},
}};

void setup_ip_proto(RuleBuilder& b, std::string_view value) {
  std::string_view s = trim(value);
  UintCondition cond;
  cond.mode = UintCondition::Mode::kEqual;
  if (!s.empty() && (s.front() == '!' || s.front() == '<' || s.front() == '>')) {
    cond.mode = s.front() == '!'   ? UintCondition::Mode::kNotEqual
                : s.front() == '<' ? UintCondition::Mode::kLess
                                   : UintCondition::Mode::kGreater;
    s = trim(s.substr(1));
  }
  uint64_t v = 0;
  if (!parse_u64(s, 255, v)) {
    bool found = false;
    for (const auto& pn : kProtoNames) {
      if (iequals(pn.name, s)) {
        v = pn.number;
        found = true;
        break;
      }
    }
    if (!found) keyword_error("ip_proto", "unknown protocol '" + std::string(s) + "'");
  }
  if ((cond.mode == UintCondition::Mode::kLess && v == 0) ||
      (cond.mode == UintCondition::Mode::kGreater && v == 255)) {
    keyword_error("ip_proto", "condition can never match");
  }
  cond.arg1 = v;
  b.add_packet(std::make_unique<FieldMatcher>(
      [](const Packet& p, uint64_t& out) {
        if (p.ip_version == 0) return false;
        out = p.ip_proto;
        return true;
      },
      cond));
}

// ---- id: IPv4 identification ----
void setup_id(RuleBuilder& b, std::string_view value) {
  auto cond = parse_uint_condition(strip_quotes(value), 65535, "id");
  b.add_packet(std::make_unique<FieldMatcher>(
      [](const Packet& p, uint64_t& v) {
        if (hdr::ipv4_header_len(p) == 0) return false;
        v = load_be16(p.l3 + 4);
        return true;
      },
      cond));
}

// ---- fragbits: [!+*]<MDR>+ ----
enum class BitsModifier : uint8_t { kExact, kNot, kPlus, kAny };

class FragbitsMatcher final : public PacketMatcher {
 public:
  FragbitsMatcher(uint8_t bits, BitsModifier mod) : bits_(bits), mod_(mod) {}
  bool match(const MatchContext& ctx) const override {
    if (hdr::ipv4_header_len(ctx.packet) == 0) return false;
    uint8_t raw = ctx.packet.l3[6];
    uint8_t pbits = 0;
    if (raw & 0x20) pbits |= hdr::kFragMf;
    if (raw & 0x40) pbits |= hdr::kFragDf;
    if (raw & 0x80) pbits |= hdr::kFragRf;
    switch (mod_) {
      case BitsModifier::kAny: return (pbits & bits_) != 0;
      // Suricata's '+' wants the listed bits and at least one more.
      case BitsModifier::kPlus: return (pbits & bits_) == bits_ && pbits != bits_;
      case BitsModifier::kNot: return (pbits & bits_) != bits_;
      case BitsModifier::kExact: return pbits == bits_;
    }
    return false;
  }

 private:
  uint8_t bits_;
  BitsModifier mod_;
};

BitsModifier modifier_of(char c) {
  return c == '!' ? BitsModifier::kNot : c == '+' ? BitsModifier::kPlus : BitsModifier::kAny;
}

void setup_fragbits(RuleBuilder& b, std::string_view value) {
  std::string_view s = trim(value);
  BitsModifier mod = BitsModifier::kExact;
  if (!s.empty() && (s.front() == '!' || s.front() == '+' || s.front() == '*')) {
    mod = modifier_of(s.front());
    s = trim(s.substr(1));
  }
  uint8_t bits = 0;
  size_t i = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == 'M') bits |= hdr::kFragMf;
    else if (c == 'D') bits |= hdr::kFragDf;
    else if (c == 'R') bits |= hdr::kFragRf;
    else break;
  }
  // Suricata's pattern is unanchored at the end: a trailing modifier
  // ("M+", common in older rules) is ignored, so it means exactly "M".
  std::string_view rest = trim(s.substr(i));
  bool rest_ok = rest.empty() || (rest.size() == 1 && (rest == "+" || rest == "*" || rest == "!"));
  if (bits == 0 || !rest_ok) {
    keyword_error("fragbits", "invalid value '" + std::string(value) +
                                  "' (expected [!+*] followed by M, D and/or R)");
  }
  b.add_packet(std::make_unique<FragbitsMatcher>(bits, mod));
}

// ---- fragoffset: IPv4 offset field (8-byte units); IPv6 fragment header offset ----
void setup_fragoffset(RuleBuilder& b, std::string_view value) {
  auto cond = parse_uint_condition(value, 65535, "fragoffset");
  b.add_packet(std::make_unique<FieldMatcher>(
      [](const Packet& p, uint64_t& v) {
        if (hdr::ipv4_header_len(p) != 0) {
          v = load_be16(p.l3 + 6) & 0x1fffu;
          return true;
        }
        uint16_t off = 0;
        if (!hdr::ipv6_fragment_offset(p, off)) return false;
        v = off;
        return true;
      },
      cond));
}

const bool kRegistered = [] {
  register_keyword({.name = "ttl", .help = "match on the IP time-to-live / hop limit",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired, .setup = setup_ttl});
  register_keyword({.name = "tos", .help = "match on the IPv4 type-of-service byte",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired, .setup = setup_tos});
  register_keyword({.name = "ipopts", .help = "match on an IPv4 option being present",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired,
                    .setup = setup_ipopts});
  register_keyword({.name = "sameip", .help = "match when source and destination address are equal",
                    .kind = KeywordKind::kPacket, .flags = kNoValue, .setup = setup_sameip});
  register_keyword({.name = "ip_proto", .help = "match on the IP protocol (number or name)",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired,
                    .setup = setup_ip_proto});
  register_keyword({.name = "id", .help = "match on the IPv4 identification field",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired, .setup = setup_id});
  register_keyword({.name = "fragbits", .help = "match on the IPv4 MF/DF/reserved bits",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired,
                    .setup = setup_fragbits});
  register_keyword({.name = "fragoffset", .help = "match on the IP fragment offset",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired,
                    .setup = setup_fragoffset});
  return true;
}();

}  // namespace
}  // namespace seawall::detect
