// DNS sticky buffers and keywords, after Suricata 8's rust/src/dns/detect.rs
// and detect-dns-response.c:
//   dns.query (dns_query)   request query names (to server)
//   dns.queries.rrname      query names of the message of the inspected direction
//   dns.answer.name         answer rrnames of that message
//   dns.answers.rrname / dns.authorities.rrname / dns.additionals.rrname
//   dns.response.rrname     every name of a response: query and record names,
//                           and CNAME/PTR/MX/NS/SOA-mname rdata (to client)
//   dns.opcode, dns.rcode   header fields of that message (Suricata uint syntax)
//   dns.rrtype              any query type (to server) / answer type (to client)
#include <cctype>
#include <memory>
#include <string>

#include "applayer/dns/dns_parser.h"
#include "detect/buffers/buffer_registry.h"
#include "detect/keywords/keyword.h"
#include "detect/keywords/packet/uint_parse.h"

namespace seawall::applayer::dns {
namespace {

using detect::BufferDirection;
using detect::MatchContext;

const Message* inspected_message(const MatchContext& ctx) {
  if (ctx.tx == nullptr || ctx.tx_proto != dns_app_proto()) return nullptr;
  const auto& tx = static_cast<const DnsTx&>(*ctx.tx);
  const Message& m = tx.message(ctx.tx_dir == 0 ? Direction::kToServer : Direction::kToClient);
  return m.present ? &m : nullptr;
}

ByteView view_of(const Message& m, Span s) {
  return ByteView(reinterpret_cast<const uint8_t*>(m.arena.data()) + s.offset, s.length);
}

// Suricata ends these two lists at the first empty (root) name.
bool get_query(const MatchContext& ctx, uint32_t index, ByteView& out) {
  if (ctx.tx_dir != 0) return false;
  const Message* m = inspected_message(ctx);
  if (m == nullptr || index >= m->queries.size()) return false;
  out = view_of(*m, m->queries[index].name.text);
  return !out.empty();
}

bool get_queries_rrname(const MatchContext& ctx, uint32_t index, ByteView& out) {
  const Message* m = inspected_message(ctx);
  if (m == nullptr || index >= m->queries.size()) return false;
  out = view_of(*m, m->queries[index].name.text);
  return !out.empty();
}

bool get_answer_name(const MatchContext& ctx, uint32_t index, ByteView& out) {
  const Message* m = inspected_message(ctx);
  if (m == nullptr || index >= m->answers.size()) return false;
  out = view_of(*m, m->answers[index].name.text);
  return !out.empty();
}

bool get_section_rrname(const MatchContext& ctx, const std::vector<Record> Message::*section,
                        uint32_t index, ByteView& out) {
  const Message* m = inspected_message(ctx);
  if (m == nullptr) return false;
  const auto& records = m->*section;
  if (index >= records.size()) return false;
  out = view_of(*m, records[index].name.text);
  return true;
}

bool get_answers_rrname(const MatchContext& ctx, uint32_t index, ByteView& out) {
  return get_section_rrname(ctx, &Message::answers, index, out);
}
bool get_authorities_rrname(const MatchContext& ctx, uint32_t index, ByteView& out) {
  return get_section_rrname(ctx, &Message::authorities, index, out);
}
bool get_additionals_rrname(const MatchContext& ctx, uint32_t index, ByteView& out) {
  return get_section_rrname(ctx, &Message::additionals, index, out);
}

// Names a record contributes to dns.response.rrname: its owner name, then a
// host name held in its rdata.
uint32_t response_names(const Record& r, const Name* names[2]) {
  names[0] = &r.name;
  const bool name_rdata =
      (r.kind == RDataKind::kName) || (r.kind == RDataKind::kSoa);  // CNAME PTR MX NS, SOA mname
  if (!name_rdata) return 1;
  names[1] = &r.rdata_name;
  return 2;
}

bool get_response_rrname(const MatchContext& ctx, uint32_t index, ByteView& out) {
  if (ctx.tx_dir != 1) return false;
  const Message* m = inspected_message(ctx);
  if (m == nullptr) return false;
  if (index < m->queries.size()) {
    out = view_of(*m, m->queries[index].name.text);
    return true;
  }
  uint32_t left = index - static_cast<uint32_t>(m->queries.size());
  for (const auto* section : {&m->answers, &m->authorities, &m->additionals}) {
    for (const Record& r : *section) {
      const Name* names[2];
      const uint32_t n = response_names(r, names);
      if (left < n) {
        out = view_of(*m, names[left]->text);
        return true;
      }
      left -= n;
    }
  }
  return false;
}

// ---- keywords ----

class HeaderFieldMatcher final : public detect::PacketMatcher {
 public:
  enum class Field : uint8_t { kOpcode, kRcode };
  HeaderFieldMatcher(Field field, detect::UintCondition cond) : field_(field), cond_(cond) {}
  bool match(const MatchContext& ctx) const override {
    const Message* m = inspected_message(ctx);
    if (m == nullptr) return false;
    return cond_.match(field_ == Field::kOpcode ? m->opcode() : m->rcode());
  }

 private:
  Field field_;
  detect::UintCondition cond_;
};

class RrtypeMatcher final : public detect::PacketMatcher {
 public:
  explicit RrtypeMatcher(detect::UintCondition cond) : cond_(cond) {}
  bool match(const MatchContext& ctx) const override {
    const Message* m = inspected_message(ctx);
    if (m == nullptr) return false;
    if (ctx.tx_dir == 0) {
      for (const Query& q : m->queries)
        if (cond_.match(q.rrtype)) return true;
    } else {
      for (const Record& r : m->answers)
        if (cond_.match(r.rrtype)) return true;
    }
    return false;
  }

 private:
  detect::UintCondition cond_;
};

// "[!]name" -> "[!]number" for the enum spellings Suricata accepts
// (dns.rcode:nxdomain, dns.rrtype:!AAAA); anything else is left to the
// shared uint parser.
std::string resolve_enum(std::string_view value, bool (*lookup)(std::string_view, uint16_t&)) {
  std::string_view s = detect::trim(value);
  std::string prefix;
  if (!s.empty() && s.front() == '!') {
    prefix = "!";
    s = detect::trim(s.substr(1));
  }
  if (!s.empty() && std::isalpha(static_cast<unsigned char>(s.front())) != 0) {
    uint16_t number = 0;
    if (lookup(s, number)) return prefix + std::to_string(number);
  }
  return std::string(value);
}

void setup_opcode(detect::RuleBuilder& b, std::string_view value) {
  const auto cond = detect::parse_uint_condition(value, 255, "dns.opcode");
  b.require_app_proto("dns", 0);
  b.add_packet(std::make_unique<HeaderFieldMatcher>(HeaderFieldMatcher::Field::kOpcode, cond));
}

void setup_rcode(detect::RuleBuilder& b, std::string_view value) {
  const auto cond =
      detect::parse_uint_condition(resolve_enum(value, rcode_from_name), 65535, "dns.rcode");
  b.require_app_proto("dns", 0);
  b.add_packet(std::make_unique<HeaderFieldMatcher>(HeaderFieldMatcher::Field::kRcode, cond));
}

void setup_rrtype(detect::RuleBuilder& b, std::string_view value) {
  const auto cond =
      detect::parse_uint_condition(resolve_enum(value, rrtype_from_name), 65535, "dns.rrtype");
  b.require_app_proto("dns", 0);
  b.add_packet(std::make_unique<RrtypeMatcher>(cond));
}

void register_multi(std::string_view name, std::string_view help,
                    std::vector<std::string_view> aliases, BufferDirection direction,
                    detect::MultiBufferGetter getter) {
  detect::register_buffer({.name = name,
                           .help = help,
                           .aliases = std::move(aliases),
                           .content_modifiers = {},
                           .app_proto = "dns",
                           .direction = direction,
                           .min_progress = 0,
                           .get = nullptr,
                           .get_multi = getter,
                           .unsupported_reason = {}});
}

const bool kRegistered = [] {
  register_multi("dns.query", "DNS request query names (multi-buffer)", {"dns_query"},
                 BufferDirection::kToServer, get_query);
  register_multi("dns.queries.rrname", "DNS query names of requests and responses", {},
                 BufferDirection::kBoth, get_queries_rrname);
  register_multi("dns.answer.name", "DNS answer record names", {}, BufferDirection::kBoth,
                 get_answer_name);
  register_multi("dns.answers.rrname", "DNS answer record names", {}, BufferDirection::kBoth,
                 get_answers_rrname);
  register_multi("dns.authorities.rrname", "DNS authority record names", {},
                 BufferDirection::kBoth, get_authorities_rrname);
  register_multi("dns.additionals.rrname", "DNS additional record names", {},
                 BufferDirection::kBoth, get_additionals_rrname);
  register_multi("dns.response.rrname",
                 "every name of a DNS response: queries, record names, name rdata", {},
                 BufferDirection::kToClient, get_response_rrname);

  detect::register_keyword({.name = "dns.opcode",
                            .help = "DNS header opcode (unsigned 8-bit condition)",
                            .kind = detect::KeywordKind::kPacket,
                            .flags = detect::kValueRequired,
                            .setup = setup_opcode});
  detect::register_keyword({.name = "dns.rcode",
                            .help = "DNS header rcode (number or name, e.g. nxdomain)",
                            .kind = detect::KeywordKind::kPacket,
                            .flags = detect::kValueRequired,
                            .setup = setup_rcode});
  detect::register_keyword({.name = "dns.rrtype",
                            .help = "DNS query (to server) or answer (to client) record type",
                            .kind = detect::KeywordKind::kPacket,
                            .flags = detect::kValueRequired,
                            .setup = setup_rrtype});
  return true;
}();

}  // namespace
}  // namespace seawall::applayer::dns
