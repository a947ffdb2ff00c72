#include "applayer/dns/dns_parser.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "flow/app_proto.h"

namespace seawall::applayer::dns {

void Message::clear() {
  present = false;
  id = 0;
  flags = 0;
  queries.clear();
  answers.clear();
  authorities.clear();
  additionals.clear();
  strings.clear();
  options.clear();
  arena.clear();
}

void ParseEvents::add(std::string_view name) {
  for (uint8_t i = 0; i < count; ++i)
    if (names[i] == name) return;
  if (count < std::size(names)) names[count++] = name;
}

namespace {

struct Header {
  uint16_t id, flags, qd, an, ns, ar;
};

Header read_header(const uint8_t* p) {
  return {load_be16(p),     load_be16(p + 2), load_be16(p + 4),
          load_be16(p + 6), load_be16(p + 8), load_be16(p + 10)};
}

// Each question or record takes at least 2 bytes (Suricata's probe check).
bool counts_fit(const Header& h, size_t message_len) {
  const size_t min_len = kHeaderSize + 2 * (size_t{h.qd} + h.an + h.ns + h.ar);
  return min_len <= message_len;
}

enum class Step : uint8_t { kOk, kError };

bool arena_room(const Message& m, size_t more) { return m.arena.size() + more <= kMaxArenaBytes; }

Span append_bytes(Message& m, const uint8_t* p, size_t n) {
  Span s{static_cast<uint32_t>(m.arena.size()), static_cast<uint32_t>(n)};
  m.arena.append(reinterpret_cast<const char*>(p), n);
  return s;
}

// Decodes the (possibly compressed) name at msg[pos]. Labels read before the
// first pointer must end before `limit` (the end of the enclosing rdata or
// message); pointers may go anywhere in the message, forward pointers too.
// `next` is where the name ends in place (after the first pointer if any).
Step decode_name(ByteView msg, size_t pos, size_t limit, Message& m, Name& out, size_t& next,
                 ParseEvents& events) {
  const size_t start = m.arena.size();
  size_t cur = pos;
  size_t after_pointer = 0;
  bool jumped = false;
  bool truncated = false;
  int steps = 0;
  for (;;) {
    const size_t end = jumped ? msg.size() : limit;
    if (cur >= end) return Step::kError;
    const uint8_t len = msg[cur];
    if (len == 0) {
      ++cur;
      break;
    }
    if ((len & 0xc0) == 0) {
      if (len > end - cur - 1) return Step::kError;
      if (!truncated) {
        if (!arena_room(m, size_t{len} + 1)) return Step::kError;
        if (m.arena.size() > start) m.arena.push_back('.');
        m.arena.append(reinterpret_cast<const char*>(msg.data() + cur + 1), len);
      }
      cur += 1 + size_t{len};
    } else if ((len & 0xc0) == 0xc0) {
      if (end - cur < 2) return Step::kError;
      const size_t target = load_be16(msg.data() + cur) & 0x3fff;
      if (target >= msg.size()) return Step::kError;
      if (target == cur) {
        // A pointer to itself: Suricata stops here and flags the loop.
        events.add(event::kInfiniteLoop);
        if (m.arena.size() == start) m.arena.push_back('.');
        cur += 2;
        break;
      }
      if (!jumped) {
        after_pointer = cur + 2;
        jumped = true;
      }
      cur = target;
    } else {
      return Step::kError;  // 0x40 / 0x80: extended and reserved label types
    }
    if (++steps > kMaxLabels) {
      // Also ends pointer cycles longer than one hop.
      events.add(event::kTooManyLabels);
      break;
    }
    if (!truncated && m.arena.size() - start > kMaxNameLength) {
      m.arena.resize(start + kMaxNameLength);
      truncated = true;
      events.add(event::kNameTooLong);
    }
  }
  out.text = Span{static_cast<uint32_t>(start), static_cast<uint32_t>(m.arena.size() - start)};
  out.truncated = truncated;
  next = jumped ? after_pointer : cur;
  return Step::kOk;
}

// rdata occupies msg[begin, end).
Step parse_rdata(ByteView msg, size_t begin, size_t end, Message& m, Record& r,
                 ParseEvents& events) {
  const uint8_t* p = msg.data() + begin;
  const size_t len = end - begin;
  size_t next = 0;
  switch (r.rrtype) {
    case rrtype::kA:
    case rrtype::kAaaa:
    case rrtype::kNull:
      if (!arena_room(m, len)) return Step::kError;
      r.kind = r.rrtype == rrtype::kNull ? RDataKind::kBytes : RDataKind::kAddress;
      r.data = append_bytes(m, p, len);
      return Step::kOk;
    case rrtype::kCname:
    case rrtype::kNs:
    case rrtype::kPtr:
      r.kind = RDataKind::kName;
      return decode_name(msg, begin, end, m, r.rdata_name, next, events);
    case rrtype::kMx:
      if (len < 2) return Step::kError;
      r.kind = RDataKind::kName;
      r.priority = load_be16(p);
      return decode_name(msg, begin + 2, end, m, r.rdata_name, next, events);
    case rrtype::kTxt: {
      r.kind = RDataKind::kTxt;
      r.list_first = static_cast<uint32_t>(m.strings.size());
      size_t off = 0;
      // Character-strings up to the end; a string cut short ends the list.
      while (off < len) {
        const size_t n = p[off];
        if (n > len - off - 1 || !arena_room(m, n)) break;
        m.strings.push_back(append_bytes(m, p + off + 1, n));
        off += 1 + n;
      }
      r.list_count = static_cast<uint32_t>(m.strings.size() - r.list_first);
      return Step::kOk;
    }
    case rrtype::kSoa: {
      r.kind = RDataKind::kSoa;
      if (decode_name(msg, begin, end, m, r.rdata_name, next, events) != Step::kOk) return Step::kError;
      if (decode_name(msg, next, end, m, r.rdata_name2, next, events) != Step::kOk)
        return Step::kError;
      if (next > end || end - next < 20) return Step::kError;
      for (int i = 0; i < 5; ++i) r.soa[i] = load_be32(msg.data() + next + 4 * i);
      return Step::kOk;
    }
    case rrtype::kSrv:
      if (len < 6) return Step::kError;
      r.kind = RDataKind::kSrv;
      r.priority = load_be16(p);
      r.weight = load_be16(p + 2);
      r.port = load_be16(p + 4);
      return decode_name(msg, begin + 6, end, m, r.rdata_name, next, events);
    case rrtype::kSshfp:
      if (len < 2 || !arena_room(m, len - 2)) return Step::kError;
      r.kind = RDataKind::kSshfp;
      r.algo = p[0];
      r.fp_type = p[1];
      r.data = append_bytes(m, p + 2, len - 2);
      return Step::kOk;
    case rrtype::kOpt: {
      r.kind = RDataKind::kOpt;
      r.list_first = static_cast<uint32_t>(m.options.size());
      size_t off = 0;
      while (len - off >= 4) {
        const uint16_t code = load_be16(p + off);
        const size_t n = load_be16(p + off + 2);
        if (n > len - off - 4 || !arena_room(m, n)) break;
        m.options.push_back({code, append_bytes(m, p + off + 4, n)});
        off += 4 + n;
      }
      r.list_count = static_cast<uint32_t>(m.options.size() - r.list_first);
      return Step::kOk;
    }
    case rrtype::kSvcb:
    case rrtype::kHttps:
      if (len < 2) return Step::kError;
      r.kind = RDataKind::kSvcb;
      r.priority = load_be16(p);
      return decode_name(msg, begin + 2, end, m, r.rdata_name, next, events);
    case rrtype::kCaa: {
      if (len < 2) return Step::kError;
      const size_t tag_len = p[1];
      if (tag_len > len - 2 || !arena_room(m, len)) return Step::kError;
      r.kind = RDataKind::kCaa;
      r.algo = p[0];  // flags
      r.rdata_name2.text = append_bytes(m, p + 2, tag_len);
      r.data = append_bytes(m, p + 2 + tag_len, len - 2 - tag_len);
      return Step::kOk;
    }
    default:
      r.kind = RDataKind::kNone;
      return Step::kOk;
  }
}

Step parse_record(ByteView msg, size_t& pos, Message& m, Record& r, ParseEvents& events) {
  size_t next = 0;
  if (decode_name(msg, pos, msg.size(), m, r.name, next, events) != Step::kOk) return Step::kError;
  if (next > msg.size() || msg.size() - next < 10) return Step::kError;
  const uint8_t* f = msg.data() + next;
  r.rrtype = load_be16(f);
  r.rrclass = load_be16(f + 2);
  r.ttl = load_be32(f + 4);
  const size_t rdlen = load_be16(f + 8);
  const size_t begin = next + 10;
  if (rdlen > msg.size() - begin) return Step::kError;
  pos = begin + rdlen;
  return parse_rdata(msg, begin, begin + rdlen, m, r, events);
}

// Parses `count` records into `out`; false on the first that fails (dropped).
bool parse_section(ByteView msg, size_t& pos, uint16_t count, Message& m,
                   std::vector<Record>& out, ParseEvents& events) {
  for (uint32_t i = 0; i < count; ++i) {
    out.emplace_back();
    if (parse_record(msg, pos, m, out.back(), events) != Step::kOk) {
      out.pop_back();
      return false;
    }
  }
  return true;
}

}  // namespace

bool plausible_header(ByteView header, size_t message_len) {
  if (header.size() < kHeaderSize) return false;
  const Header h = read_header(header.data());
  // A response may carry no question (FORMERR answers); a request must ask one.
  const bool response = (h.flags & 0x8000) != 0;
  return (h.qd >= 1 || response) && counts_fit(h, message_len);
}

MessageStatus parse_message(ByteView data, Message& m, ParseEvents& events) {
  m.clear();
  if (data.size() < kHeaderSize) return MessageStatus::kTooShort;
  const Header h = read_header(data.data());
  m.present = true;
  m.id = h.id;
  m.flags = h.flags;
  if ((h.flags & 0x0040) != 0) events.add(event::kZFlagSet);
  if (m.opcode() >= 7) events.add(event::kInvalidOpcode);

  size_t pos = kHeaderSize;
  for (uint32_t i = 0; i < h.qd; ++i) {
    Query q;
    size_t next = 0;
    if (decode_name(data, pos, data.size(), m, q.name, next, events) != Step::kOk ||
        next > data.size() || data.size() - next < 4) {
      events.add(event::kMalformedData);
      return MessageStatus::kMalformed;
    }
    q.rrtype = load_be16(data.data() + next);
    q.rrclass = load_be16(data.data() + next + 2);
    m.queries.push_back(q);
    pos = next + 4;
  }
  if (!parse_section(data, pos, h.an, m, m.answers, events)) {
    events.add(event::kMalformedData);
    return MessageStatus::kMalformed;
  }
  if (!parse_section(data, pos, h.ns, m, m.authorities, events)) {
    events.add(event::kInvalidAuthorities);
    return MessageStatus::kOk;
  }
  if (!parse_section(data, pos, h.ar, m, m.additionals, events))
    events.add(event::kInvalidAdditionals);
  return MessageStatus::kOk;
}

// ---- per-flow state ----

DnsTx& DnsState::new_tx() {
  std::unique_ptr<DnsTx> tx;
  if (!spare_.empty()) {
    tx = std::move(spare_.back());
    spare_.pop_back();
  } else {
    tx = std::make_unique<DnsTx>();
  }
  tx->reset_base(next_tx_id_++);
  tx->dns_id = 0;
  tx->request.clear();
  tx->response.clear();
  active_.push_back(std::move(tx));
  return *active_.back();
}

void DnsState::handle_message(Direction dir, ByteView data) {
  ParseEvents& events = scratch_events_;
  events.count = 0;
  if (data.size() >= kHeaderSize && !counts_fit(read_header(data.data()), data.size())) {
    // Not a DNS message at all (Suricata ignores these rather than flagging them).
    return;
  }
  // Every message is its own transaction, as in Suricata 7/8: a request and
  // its response are two transactions (EVE tx_id 0 and 1), each complete at
  // once. The side a message does not have is never inspected.
  DnsTx* tx = &new_tx();
  const int di = dir_index(dir);
  Message* target = dir == Direction::kToServer ? &tx->request : &tx->response;
  const MessageStatus status = parse_message(data, *target, events);
  if (status == MessageStatus::kTooShort) {
    events.add(event::kMalformedData);
  } else {
    tx->dns_id = target->id;
    if (dir == Direction::kToServer && target->is_response()) events.add(event::kNotRequest);
    if (dir == Direction::kToClient && !target->is_response()) events.add(event::kNotResponse);
  }
  for (uint8_t i = 0; i < events.count; ++i) tx->add_event(events.names[i]);
  tx->complete = {true, true};
  tx->inspected[1 - di] = true;
}

ParseResult DnsState::parse(Direction dir, ByteView data, const ParseContext& ctx) {
  if (ctx.udp) {
    if (!first_seen_) {
      first_seen_ = true;
      reversed_ = dir == Direction::kToServer && data.size() >= kHeaderSize &&
                  (load_be16(data.data() + 2) & 0x8000) != 0;
    }
    if (reversed_)
      dir = dir == Direction::kToServer ? Direction::kToClient : Direction::kToServer;
    handle_message(dir, data);
    return ParseResult::kOk;
  }
  const int d = dir_index(dir);
  std::string& buf = pending_[d];
  size_t pos = 0;
  if (resync_[d]) {
    // After a gap, only a chunk that starts like a message is taken up again.
    if (data.size() < 2 + kHeaderSize ||
        !plausible_header(data.subspan(2), load_be16(data.data())))
      return ParseResult::kOk;
    resync_[d] = false;
  }
  while (pos < data.size()) {
    const size_t avail = data.size() - pos;
    if (!buf.empty()) {
      if (buf.size() < 2) {
        buf.push_back(static_cast<char>(data[pos++]));
        continue;
      }
      const size_t total = 2 + size_t{load_be16(reinterpret_cast<const uint8_t*>(buf.data()))};
      const size_t take = std::min(total - buf.size(), avail);
      buf.append(reinterpret_cast<const char*>(data.data() + pos), take);
      pos += take;
      if (buf.size() == total) {
        const ByteView whole(reinterpret_cast<const uint8_t*>(buf.data()) + 2, total - 2);
        if (whole.size() < kHeaderSize) return ParseResult::kError;
        handle_message(dir, whole);
        buf.clear();
      }
      continue;
    }
    if (avail < 2) {
      buf.assign(reinterpret_cast<const char*>(data.data() + pos), avail);
      break;
    }
    const size_t len = load_be16(data.data() + pos);
    if (avail - 2 >= len) {
      // A length below a header cannot be DNS: stop rather than spin on junk.
      if (len < kHeaderSize) return ParseResult::kError;
      handle_message(dir, data.subspan(pos + 2, len));
      pos += 2 + len;
    } else {
      buf.assign(reinterpret_cast<const char*>(data.data() + pos), avail);
      break;
    }
  }
  return ParseResult::kOk;
}

bool DnsState::gap(Direction dir, uint32_t /*len*/) {
  const int d = dir_index(dir);
  pending_[d].clear();
  resync_[d] = true;
  return true;
}

void DnsState::end_of_stream(Direction dir) {
  pending_[dir_index(dir)].clear();
  for (auto& tx : active_) tx->complete[dir_index(dir)] = true;
}

void DnsState::remove_done() {
  constexpr size_t kMaxSpare = 16;
  size_t kept = 0;
  for (size_t i = 0; i < active_.size(); ++i) {
    if (active_[i]->done()) {
      if (spare_.size() < kMaxSpare) spare_.push_back(std::move(active_[i]));
      else active_[i].reset();
    } else {
      if (kept != i) active_[kept] = std::move(active_[i]);
      ++kept;
    }
  }
  active_.resize(kept);
}

// ---- probe ----

namespace {

bool parses_cleanly(ByteView message) {
  thread_local Message scratch;
  ParseEvents events;
  return parse_message(message, scratch, events) == MessageStatus::kOk;
}

}  // namespace

ProbeResult probe(Direction /*dir*/, ByteView data) {
  if (data.size() < kHeaderSize) return ProbeResult::kNeedMore;
  // TCP framing: a 2-byte length, then the message (possibly not all here yet).
  const size_t framed = load_be16(data.data());
  if (framed >= kHeaderSize && data.size() >= 2 + kHeaderSize &&
      plausible_header(data.subspan(2), framed)) {
    if (data.size() - 2 < framed) return ProbeResult::kYes;  // header checked, rest to come
    if (parses_cleanly(data.subspan(2, framed))) return ProbeResult::kYes;
  }
  // UDP: the whole datagram is one message.
  if (plausible_header(data, data.size()) && parses_cleanly(data)) return ProbeResult::kYes;
  return ProbeResult::kNo;
}

std::unique_ptr<ProtocolState> create_state() { return std::make_unique<DnsState>(); }

// ---- names ----

namespace {

struct TypeName {
  uint16_t type;
  std::string_view name;
};

// Suricata's DNSRecordType names.
constexpr std::array<TypeName, 58> kTypeNames{{
    {1, "A"},        {2, "NS"},       {3, "MD"},         {4, "MF"},       {5, "CNAME"},
    {6, "SOA"},      {7, "MB"},       {8, "MG"},         {9, "MR"},       {10, "NULL"},
    {11, "WKS"},     {12, "PTR"},     {13, "HINFO"},     {14, "MINFO"},   {15, "MX"},
    {16, "TXT"},     {17, "RP"},      {18, "AFSDB"},     {19, "X25"},     {20, "ISDN"},
    {21, "RT"},      {22, "NSAP"},    {23, "NSAPPTR"},   {24, "SIG"},     {25, "KEY"},
    {26, "PX"},      {27, "GPOS"},    {28, "AAAA"},      {29, "LOC"},     {30, "NXT"},
    {33, "SRV"},     {34, "ATMA"},    {35, "NAPTR"},     {36, "KX"},      {37, "CERT"},
    {38, "A6"},      {39, "DNAME"},   {41, "OPT"},       {42, "APL"},     {43, "DS"},
    {44, "SSHFP"},   {45, "IPSECKEY"}, {46, "RRSIG"},    {47, "NSEC"},    {48, "DNSKEY"},
    {49, "DHCID"},   {50, "NSEC3"},   {51, "NSEC3PARAM"}, {52, "TLSA"},   {55, "HIP"},
    {59, "CDS"},     {60, "CDNSKEY"}, {65, "HTTPS"},     {99, "SPF"},     {249, "TKEY"},
    {250, "TSIG"},   {253, "MAILA"},  {255, "ANY"},
}};
constexpr TypeName kUri{256, "URI"};

constexpr std::array<std::string_view, 11> kRcodeNames{
    "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
    "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"};
constexpr std::array<std::string_view, 7> kExtendedRcodes{
    "BADVERS", "BADKEY", "BADTIME", "BADMODE", "BADNAME", "BADALG", "BADTRUNC"};  // 16..22

std::string_view number_text(uint32_t v, char (&buf)[8]) {
  char tmp[8];
  int n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0 && n < 7);
  for (int i = 0; i < n; ++i) buf[i] = tmp[n - 1 - i];
  return std::string_view(buf, static_cast<size_t>(n));
}

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(a[i])) != static_cast<unsigned char>(b[i]))
      return false;
  return true;
}

}  // namespace

std::string_view rrtype_name(uint16_t type, char (&buf)[8]) {
  for (const auto& t : kTypeNames)
    if (t.type == type) return t.name;
  if (type == kUri.type) return kUri.name;
  return number_text(type, buf);
}

std::string_view rcode_name(uint8_t rcode, char (&buf)[8]) {
  if (rcode < kRcodeNames.size()) return kRcodeNames[rcode];
  return number_text(rcode, buf);
}

bool rrtype_from_name(std::string_view name, uint16_t& out) {
  for (const auto& t : kTypeNames)
    if (iequal(name, t.name)) {
      out = t.type;
      return true;
    }
  if (iequal(name, kUri.name)) {
    out = kUri.type;
    return true;
  }
  return false;
}

bool rcode_from_name(std::string_view name, uint16_t& out) {
  for (size_t i = 0; i < kRcodeNames.size(); ++i)
    if (iequal(name, kRcodeNames[i])) {
      out = static_cast<uint16_t>(i);
      return true;
    }
  for (size_t i = 0; i < kExtendedRcodes.size(); ++i)
    if (iequal(name, kExtendedRcodes[i])) {
      out = static_cast<uint16_t>(16 + i);
      return true;
    }
  return false;
}

AppProto dns_app_proto() {
  static const AppProto id = find_app_proto("dns");
  return id;
}

}  // namespace seawall::applayer::dns
