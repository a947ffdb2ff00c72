// ICMP keywords: itype icode icmp_id icmp_seq (ICMPv4 and ICMPv6), after
// Suricata's detect-itype.c, detect-icode.c, detect-icmp-id.c, detect-icmp-seq.c.
#include <memory>

#include "core/byte_view.h"
#include "detect/keywords/keyword.h"
#include "detect/keywords/packet/field_matcher.h"
#include "detect/keywords/packet/uint_parse.h"

namespace seawall::detect {
namespace {

bool is_icmp(const Packet& p) {
  return p.has_icmp && (p.ip_proto == 1 || p.ip_proto == 58);
}

// id/seq exist only in query/reply messages; other types have other data there.
bool has_id_seq(const Packet& p) {
  if (!is_icmp(p) || p.l4 == nullptr || p.l4_len < 8) return false;
  if (p.ip_proto == 1) {
    switch (p.icmp_type) {
      case 0: case 8: case 13: case 14: case 15: case 16: case 17: case 18: return true;
      default: return false;
    }
  }
  return p.icmp_type == 128 || p.icmp_type == 129;
}

void setup_itype(RuleBuilder& b, std::string_view value) {
  auto cond = parse_uint_condition(value, 255, "itype");
  b.add_packet(std::make_unique<FieldMatcher>(
      [](const Packet& p, uint64_t& v) {
        if (!is_icmp(p)) return false;
        v = p.icmp_type;
        return true;
      },
      cond));
}

void setup_icode(RuleBuilder& b, std::string_view value) {
  auto cond = parse_uint_condition(value, 255, "icode");
  b.add_packet(std::make_unique<FieldMatcher>(
      [](const Packet& p, uint64_t& v) {
        if (!is_icmp(p)) return false;
        v = p.icmp_code;
        return true;
      },
      cond));
}

void setup_icmp_id(RuleBuilder& b, std::string_view value) {
  auto cond = parse_uint_condition(strip_quotes(value), 65535, "icmp_id");
  b.add_packet(std::make_unique<FieldMatcher>(
      [](const Packet& p, uint64_t& v) {
        if (!has_id_seq(p)) return false;
        v = load_be16(p.l4 + 4);
        return true;
      },
      cond));
}

void setup_icmp_seq(RuleBuilder& b, std::string_view value) {
  auto cond = parse_uint_condition(strip_quotes(value), 65535, "icmp_seq");
  b.add_packet(std::make_unique<FieldMatcher>(
      [](const Packet& p, uint64_t& v) {
        if (!has_id_seq(p)) return false;
        v = load_be16(p.l4 + 6);
        return true;
      },
      cond));
}

const bool kRegistered = [] {
  register_keyword({.name = "itype", .help = "match on the ICMP type",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired, .setup = setup_itype});
  register_keyword({.name = "icode", .help = "match on the ICMP code",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired, .setup = setup_icode});
  register_keyword({.name = "icmp_id", .help = "match on the ICMP echo/query identifier",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired,
                    .setup = setup_icmp_id});
  register_keyword({.name = "icmp_seq", .help = "match on the ICMP echo/query sequence number",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired,
                    .setup = setup_icmp_seq});
  return true;
}();

}  // namespace
}  // namespace seawall::detect
