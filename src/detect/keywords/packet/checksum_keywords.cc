// Checksum keywords: ipv4-csum tcpv4-csum tcpv6-csum udpv4-csum udpv6-csum
// icmpv4-csum icmpv6-csum with value "valid" or "invalid" (Suricata's
// detect-csum.c). The checksum is computed here at match time, because
// decoder validation (-k) may be off.
#include <memory>
#include <string>

#include "core/byte_view.h"
#include "decode/decoder.h"
#include "detect/keywords/keyword.h"
#include "detect/keywords/packet/header_access.h"
#include "detect/keywords/packet/uint_parse.h"

namespace seawall::detect {
namespace {

enum class CsumKind : uint8_t { kIpv4, kTcp4, kTcp6, kUdp4, kUdp6, kIcmp4, kIcmp6 };

// Whether p carries what `kind` checks, and if so whether the checksum is good.
bool checksum_applies(const Packet& p, CsumKind kind, bool& ok) {
  if (kind == CsumKind::kIpv4) {
    uint32_t hlen = hdr::ipv4_header_len(p);
    if (hlen == 0) return false;
    ok = checksum_fold(checksum_partial(p.l3, hlen)) == 0;
    return true;
  }
  // An L4 checksum covers the whole datagram: a fragment cannot be checked.
  if (p.is_fragment || p.l4 == nullptr) return false;
  uint8_t want_version = 4, want_proto = 0;
  uint32_t min_len = 8;
  switch (kind) {
    case CsumKind::kTcp4: want_proto = 6; min_len = 20; break;
    case CsumKind::kTcp6: want_version = 6; want_proto = 6; min_len = 20; break;
    case CsumKind::kUdp4: want_proto = 17; break;
    case CsumKind::kUdp6: want_version = 6; want_proto = 17; break;
    case CsumKind::kIcmp4: want_proto = 1; min_len = 4; break;
    case CsumKind::kIcmp6: want_version = 6; want_proto = 58; min_len = 4; break;
    case CsumKind::kIpv4: return false;
  }
  if (p.ip_version != want_version || p.ip_proto != want_proto || p.l4_len < min_len) {
    return false;
  }
  // RFC 768: a zero UDP checksum over IPv4 means "not computed".
  if (kind == CsumKind::kUdp4 && load_be16(p.l4 + 6) == 0) {
    ok = true;
    return true;
  }
  ok = l4_checksum_ok(p, want_proto, p.l4, p.l4_len);
  return true;
}

class ChecksumMatcher final : public PacketMatcher {
 public:
  ChecksumMatcher(CsumKind kind, bool want_valid) : kind_(kind), want_valid_(want_valid) {}
  bool match(const MatchContext& ctx) const override {
    bool ok = false;
    return checksum_applies(ctx.packet, kind_, ok) && ok == want_valid_;
  }

 private:
  CsumKind kind_;
  bool want_valid_;
};

template <CsumKind kKind>
void setup_checksum(RuleBuilder& b, std::string_view value) {
  static constexpr std::string_view kNames[] = {"ipv4-csum",  "tcpv4-csum",  "tcpv6-csum",
                                                "udpv4-csum", "udpv6-csum", "icmpv4-csum",
                                                "icmpv6-csum"};
  std::string_view s = strip_quotes(value);
  bool valid;
  if (iequals(s, "valid")) {
    valid = true;
  } else if (iequals(s, "invalid")) {
    valid = false;
  } else {
    keyword_error(kNames[static_cast<int>(kKind)],
                  "invalid value '" + std::string(s) + "' (expected valid or invalid)");
  }
  b.add_packet(std::make_unique<ChecksumMatcher>(kKind, valid));
}

const bool kRegistered = [] {
  register_keyword({.name = "ipv4-csum", .help = "match on a valid/invalid IPv4 header checksum",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired,
                    .setup = setup_checksum<CsumKind::kIpv4>});
  register_keyword({.name = "tcpv4-csum", .help = "match on a valid/invalid TCP checksum over IPv4",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired,
                    .setup = setup_checksum<CsumKind::kTcp4>});
  register_keyword({.name = "tcpv6-csum", .help = "match on a valid/invalid TCP checksum over IPv6",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired,
                    .setup = setup_checksum<CsumKind::kTcp6>});
  register_keyword({.name = "udpv4-csum", .help = "match on a valid/invalid UDP checksum over IPv4",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired,
                    .setup = setup_checksum<CsumKind::kUdp4>});
  register_keyword({.name = "udpv6-csum", .help = "match on a valid/invalid UDP checksum over IPv6",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired,
                    .setup = setup_checksum<CsumKind::kUdp6>});
  register_keyword({.name = "icmpv4-csum", .help = "match on a valid/invalid ICMPv4 checksum",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired,
                    .setup = setup_checksum<CsumKind::kIcmp4>});
  register_keyword({.name = "icmpv6-csum", .help = "match on a valid/invalid ICMPv6 checksum",
                    .kind = KeywordKind::kPacket, .flags = kValueRequired,
                    .setup = setup_checksum<CsumKind::kIcmp6>});
  return true;
}();

}  // namespace
}  // namespace seawall::detect
