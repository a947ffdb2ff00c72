// A parsed, compiled rule (Suricata rule language). Built once at load time by
// the rule parser through RuleBuilder (keywords/keyword.h); immutable after.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/ip_address.h"

namespace seawall::detect {

class PacketMatcher;
class PayloadMatcher;
class PostMatcher;
class Transform;

enum class Action : uint8_t { kAlert, kPass, kDrop, kReject, kRejectSrc, kRejectDst, kRejectBoth };
std::string_view action_name(Action a);  // "alert", "pass", ...

// Rule protocol from the header: an IP protocol, a packet/stream variant of
// TCP, or an application protocol name ("http", "dns", ...).
enum class RuleProto : uint8_t { kIp, kTcp, kUdp, kIcmp, kSctp, kTcpPkt, kTcpStream, kApp };

struct IpPrefix {
  IpAddress address;   // network address (host bits zero)
  uint8_t length = 0;  // prefix length in bits (0..32 or 0..128)
  bool contains(const IpAddress& a) const;
};

// A header address expression after variable expansion: matches when the
// address is in some include prefix (or any) and in no exclude prefix.
struct AddressSet {
  bool any = true;
  std::vector<IpPrefix> include;
  std::vector<IpPrefix> exclude;
  bool contains(const IpAddress& a) const;
};

struct PortRange {
  uint16_t lo = 0, hi = 65535;
};
struct PortSet {
  bool any = true;
  std::vector<PortRange> include;
  std::vector<PortRange> exclude;
  bool contains(uint16_t port) const;
};

struct RuleHeader {
  Action action = Action::kAlert;
  RuleProto proto = RuleProto::kIp;
  std::string app_proto;  // for kApp: "http", "dns", "tls", ...
  AddressSet src, dst;
  PortSet sport, dport;
  bool bidirectional = false;  // "<>"
  uint8_t ip_family = 0;       // 4 or 6 for ipv4/ipv6/icmpv4/icmpv6 protocols, else 0 (both)
};

// threshold / detection_filter keyword, or a threshold.config entry.
struct ThresholdSpec {
  // kBackoff (Suricata 8, by_flow only): alerts on the count-th match, then
  // the count*multiplier-th, count*multiplier^2-th ... kRate: a
  // threshold.config rate_filter; the engine keeps it apart from the rule's
  // threshold.
  enum class Type : uint8_t { kLimit, kThreshold, kBoth, kDetectionFilter, kRate, kBackoff } type =
      Type::kLimit;
  enum class Track : uint8_t { kBySrc, kByDst, kByRule, kByBoth, kByFlow } track = Track::kBySrc;
  uint32_t count = 1;
  uint32_t seconds = 60;
  uint32_t multiplier = 0;  // backoff
  // detection_filter unique_on (Suricata 9): count distinct source or
  // destination ports in the window instead of matches.
  enum class UniqueOn : uint8_t { kNone, kSrcPort, kDstPort } unique_on = UniqueOn::kNone;
  uint32_t timeout = 0;  // rate_filter: seconds the new action stays in force
};

struct Reference {
  std::string system;  // "url", "cve", ... (lower case)
  std::string value;
  // The system's URL prefix from reference.config ("https://"), or
  // "undefined" for a system it does not list, as Suricata; the EVE alert's
  // "references" entry is prefix + value.
  std::string prefix;
};

// One buffer inspected by a rule (pkt_data, http.uri, ...) and what to match in it.
struct BufferInspection {
  uint16_t buffer_id = 0;                             // BufferRegistry id
  std::vector<std::shared_ptr<const Transform>> transforms;  // applied in order
  std::vector<std::unique_ptr<PayloadMatcher>> matchers;     // in rule order
};

// The pattern Vectorscan prefilters a rule on (Suricata's fast_pattern).
struct FastPattern {
  bool present = false;
  uint16_t buffer_id = 0;
  std::string bytes;     // the (possibly chopped) pattern
  bool nocase = false;
  bool only = false;     // fast_pattern:only — the prefilter hit is the whole match
  bool negated = false;  // a negated content cannot prefilter
};

struct Rule {
  // --- identity and metadata ---
  uint32_t gid = 1;
  uint32_t sid = 0;
  uint32_t rev = 0;
  std::string msg;
  std::string classtype;
  std::string category;  // classification text from classification.config
  int priority = 3;      // from classtype unless `priority` given
  bool explicit_priority = false;  // `priority` keyword seen: classtype must not override
  std::vector<Reference> references;
  std::vector<std::string> metadata;  // "key value" strings as written
  enum class Target : uint8_t { kNone, kSrc, kDst } target = Target::kNone;
  bool noalert = false;
  bool decode_event = false;         // has a decode-event condition (pkthdr rules)
  bool has_threshold = false;
  ThresholdSpec threshold;           // threshold: / detection_filter:
  // How pkt_data content is inspected on TCP (Suricata's SIG_FLAG_REQUIRE_*):
  // kDefault = the reassembled stream, and the packet when its payload is
  // not part of the stream; flow:only_stream / tcp-stream = the stream only;
  // flow:no_stream / tcp-pkt / dsize = the packet only.
  enum class StreamInspection : uint8_t { kDefault, kStreamOnly, kPacketOnly };
  StreamInspection stream_inspection = StreamInspection::kDefault;

  // --- where it came from ---
  std::string file;
  int line = 0;
  std::string text;  // the rule as written (for rule-failed reports and -T)

  // --- what it matches ---
  RuleHeader header;
  std::vector<std::unique_ptr<PacketMatcher>> packet_matchers;  // ttl, flags, flow, dsize, ...
  std::vector<BufferInspection> inspections;                    // content/pcre/byte_* per buffer
  std::vector<std::unique_ptr<PostMatcher>> post_matchers;      // flowbits set, flowint, tag...
  FastPattern fast_pattern;
  uint32_t byte_var_count = 0;  // byte_extract/byte_math slots the matchers use
  // App-layer keywords that are not sticky buffers (dns.opcode, tls.version,
  // ssh.proto, ...) name their protocol here (RuleBuilder::require_app_proto);
  // 0 no direction constraint, 1 to server, 2 to client.
  std::string app_keyword_proto;
  uint8_t app_keyword_dir = 0;

  // --- engine bookkeeping (set by the engine at build time) ---
  uint32_t internal_id = 0;  // dense index in the engine's rule array
  bool ip_only = false;      // header addresses/ports only: matched by prefix lookup
};

}  // namespace seawall::detect
