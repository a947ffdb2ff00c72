// Hand-built DNS messages (RFC 1035 wire format written field by field):
// compression, loops, limits, every decoded rdata type, events, transaction
// matching, TCP framing under arbitrary splits, gaps and the probe.
#include "applayer/dns/dns_parser.h"

#include <gtest/gtest.h>

#include <string>

#include "dns_test_util.h"

namespace seawall::applayer::dns {
namespace {

using test::has_event;
using test::MsgBuilder;

constexpr uint16_t kQueryFlags = 0x0100;     // RD
constexpr uint16_t kResponseFlags = 0x8180;  // QR RD RA

MsgBuilder simple_query(uint16_t id, std::string_view qname, uint16_t type = rrtype::kA) {
  MsgBuilder b(id, kQueryFlags, 1, 0);
  b.question(qname, type);
  return b;
}

MsgBuilder simple_response(uint16_t id, std::string_view qname, uint32_t addr) {
  MsgBuilder b(id, kResponseFlags, 1, 1);
  b.question(qname, rrtype::kA);
  b.pointer(12).rr_fixed(rrtype::kA, 300).u32(addr).end_rr();
  return b;
}

struct Parsed {
  Message m;
  ParseEvents events;
  MessageStatus status = MessageStatus::kOk;
  bool has(std::string_view e) const {
    for (uint8_t i = 0; i < events.count; ++i)
      if (events.names[i] == e) return true;
    return false;
  }
};

Parsed parse(const MsgBuilder& b) {
  Parsed p;
  p.status = parse_message(b.view(), p.m, p.events);
  return p;
}

ParseContext udp_ctx() {
  ParseContext c;
  c.udp = true;
  return c;
}
ParseContext tcp_ctx() { return ParseContext{}; }

// ---- names ----

TEST(DnsName, PlainAndCompressed) {
  MsgBuilder b(1, kResponseFlags, 1, 2);
  b.question("www.example.com", rrtype::kA);  // name at offset 12
  // "mail" + pointer to "example.com" (offset 12 + 4 = 16)
  b.name("mail", false).pointer(16).rr_fixed(rrtype::kCname, 60).pointer(12).end_rr();
  b.pointer(12).rr_fixed(rrtype::kA, 60).u32(0x01020304).end_rr();
  const Parsed p = parse(b);
  ASSERT_EQ(p.status, MessageStatus::kOk);
  ASSERT_EQ(p.m.queries.size(), 1u);
  EXPECT_EQ(p.m.text(p.m.queries[0].name), "www.example.com");
  ASSERT_EQ(p.m.answers.size(), 2u);
  EXPECT_EQ(p.m.text(p.m.answers[0].name), "mail.example.com");
  EXPECT_EQ(p.m.text(p.m.answers[0].rdata_name), "www.example.com");
  EXPECT_EQ(p.m.text(p.m.answers[1].name), "www.example.com");
  EXPECT_EQ(p.events.count, 0);
}

TEST(DnsName, RootNameIsEmpty) {
  MsgBuilder b(1, kQueryFlags, 1, 0);
  b.question("", rrtype::kNs);
  const Parsed p = parse(b);
  ASSERT_EQ(p.status, MessageStatus::kOk);
  EXPECT_EQ(p.m.text(p.m.queries[0].name), "");
}

TEST(DnsName, ForwardPointerAccepted) {
  // First QNAME points at the second question's name, which follows it.
  MsgBuilder b(36356, kQueryFlags, 2, 0);
  b.pointer(18).u16(rrtype::kA).u16(1);  // 12..17, second name at 18
  b.question("codemonkey.net", rrtype::kA);
  const Parsed p = parse(b);
  ASSERT_EQ(p.status, MessageStatus::kOk);
  ASSERT_EQ(p.m.queries.size(), 2u);
  EXPECT_EQ(p.m.text(p.m.queries[0].name), "codemonkey.net");
  EXPECT_EQ(p.m.text(p.m.queries[1].name), "codemonkey.net");
}

TEST(DnsName, SelfPointerIsInfiniteLoop) {
  MsgBuilder b(1, kQueryFlags, 1, 0);
  b.pointer(12).u16(rrtype::kA).u16(1);  // the pointer at 12 points at itself
  const Parsed p = parse(b);
  ASSERT_EQ(p.status, MessageStatus::kOk);
  EXPECT_TRUE(p.has(event::kInfiniteLoop));
  EXPECT_EQ(p.m.text(p.m.queries[0].name), ".");
}

TEST(DnsName, PointerCycleStopsAtLabelLimit) {
  // 12: "a" then pointer to 16; 16: "b" then pointer to 12 -> a.b.a.b...
  MsgBuilder b(1, kQueryFlags, 1, 0);
  b.u8(1).bytes("a").pointer(16).u8(1).bytes("b").pointer(12);
  b.u16(rrtype::kA).u16(1);
  const Parsed p = parse(b);
  EXPECT_TRUE(p.has(event::kTooManyLabels));
  EXPECT_LE(p.m.arena.size(), kMaxNameLength + 64);
}

TEST(DnsName, TooLongIsTruncated) {
  // 20 labels of 63 bytes = 1299 characters with dots.
  std::string longname;
  for (int i = 0; i < 20; ++i) {
    if (i != 0) longname += '.';
    longname += std::string(63, static_cast<char>('a' + i));
  }
  MsgBuilder b(1, kQueryFlags, 1, 0);
  b.question(longname, rrtype::kA);
  const Parsed p = parse(b);
  ASSERT_EQ(p.status, MessageStatus::kOk);
  EXPECT_TRUE(p.has(event::kNameTooLong));
  EXPECT_TRUE(p.m.queries[0].name.truncated);
  EXPECT_EQ(p.m.text(p.m.queries[0].name), longname.substr(0, kMaxNameLength));
  EXPECT_EQ(p.m.queries[0].rrtype, rrtype::kA);  // parsing went on after the name
}

TEST(DnsName, TruncatedLabelIsMalformed) {
  MsgBuilder b(1, kQueryFlags, 1, 0);
  b.u8(10).bytes("abc");  // label says 10 bytes, message ends
  const Parsed p = parse(b);
  EXPECT_EQ(p.status, MessageStatus::kMalformed);
  EXPECT_TRUE(p.has(event::kMalformedData));
}

TEST(DnsName, PointerPastEndIsMalformed) {
  MsgBuilder b(1, kQueryFlags, 1, 0);
  b.pointer(0x3fff).u16(1).u16(1);
  EXPECT_EQ(parse(b).status, MessageStatus::kMalformed);
}

TEST(DnsName, ReservedLabelTypeIsMalformed) {
  MsgBuilder b(1, kQueryFlags, 1, 0);
  b.u8(0x41).u8(0).u16(1).u16(1);
  EXPECT_EQ(parse(b).status, MessageStatus::kMalformed);
}

// ---- header and sections ----

TEST(DnsMessage, TooShortForHeader) {
  const uint8_t data[5] = {1, 2, 3, 4, 5};
  Message m;
  ParseEvents e;
  EXPECT_EQ(parse_message(ByteView(data, 5), m, e), MessageStatus::kTooShort);
  EXPECT_FALSE(m.present);
}

TEST(DnsMessage, HeaderFields) {
  MsgBuilder b(0xbeef, 0x2c40 | 0x8000 | 0x0003, 1, 0);  // QR, opcode 5, Z, NXDOMAIN
  b.question("x.org", rrtype::kSoa);
  const Parsed p = parse(b);
  EXPECT_EQ(p.m.id, 0xbeef);
  EXPECT_TRUE(p.m.is_response());
  EXPECT_EQ(p.m.opcode(), 5);
  EXPECT_EQ(p.m.rcode(), 3);
  EXPECT_TRUE(p.has(event::kZFlagSet));
  EXPECT_FALSE(p.has(event::kInvalidOpcode));
}

TEST(DnsMessage, InvalidOpcode) {
  MsgBuilder b(1, 9 << 11, 1, 0);
  b.question("suricata.io", rrtype::kA);
  const Parsed p = parse(b);
  EXPECT_EQ(p.m.opcode(), 9);
  EXPECT_TRUE(p.has(event::kInvalidOpcode));
}

TEST(DnsMessage, TruncatedAnswerIsMalformedButKeepsQueries) {
  MsgBuilder b(1, kResponseFlags, 1, 2);
  b.question("a.com", rrtype::kA);
  b.pointer(12).rr_fixed(rrtype::kA, 1).u32(0x0a000001).end_rr();
  b.pointer(12).u16(rrtype::kA);  // second answer cut off
  const Parsed p = parse(b);
  EXPECT_EQ(p.status, MessageStatus::kMalformed);
  EXPECT_TRUE(p.has(event::kMalformedData));
  EXPECT_EQ(p.m.queries.size(), 1u);
  EXPECT_EQ(p.m.answers.size(), 1u);
}

TEST(DnsMessage, CorruptAuthoritiesAndAdditionals) {
  MsgBuilder auth(1, kResponseFlags, 1, 1, 1, 0);
  auth.question("a.com", rrtype::kA);
  auth.pointer(12).rr_fixed(rrtype::kA, 1).u32(1).end_rr();
  auth.pointer(12).u16(rrtype::kNs).u16(1);
  const Parsed pa = parse(auth);
  EXPECT_EQ(pa.status, MessageStatus::kOk);
  EXPECT_TRUE(pa.has(event::kInvalidAuthorities));
  EXPECT_EQ(pa.m.answers.size(), 1u);
  EXPECT_TRUE(pa.m.authorities.empty());

  MsgBuilder add(1, kResponseFlags, 1, 1, 0, 2);
  add.question("a.com", rrtype::kA);
  add.pointer(12).rr_fixed(rrtype::kA, 1).u32(1).end_rr();
  add.name("").rr_fixed(rrtype::kOpt, 0, 4096).end_rr();
  add.u8(0xff);
  const Parsed pd = parse(add);
  EXPECT_TRUE(pd.has(event::kInvalidAdditionals));
  EXPECT_EQ(pd.m.additionals.size(), 1u);
  EXPECT_FALSE(pd.has(event::kMalformedData));
}

TEST(DnsMessage, RdlengthPastEndIsMalformed) {
  MsgBuilder b(1, kResponseFlags, 1, 1);
  b.question("a.com", rrtype::kA);
  b.pointer(12).u16(rrtype::kA).u16(1).u32(1).u16(400).u32(0);
  EXPECT_EQ(parse(b).status, MessageStatus::kMalformed);
}

// ---- rdata types ----

TEST(DnsRdata, EveryDecodedType) {
  MsgBuilder b(7, kResponseFlags, 1, 12);
  b.question("t.example", 255);
  const uint16_t q = 12;
  b.pointer(q).rr_fixed(rrtype::kA, 1).u32(0xc0000218).end_rr();
  b.pointer(q).rr_fixed(rrtype::kAaaa, 2).u32(0x20010db8).u32(0).u32(0).u32(1).end_rr();
  b.pointer(q).rr_fixed(rrtype::kCname, 3).name("c.example").end_rr();
  b.pointer(q).rr_fixed(rrtype::kNs, 4).name("ns.example").end_rr();
  b.pointer(q).rr_fixed(rrtype::kMx, 5).u16(10).name("mx.example").end_rr();
  b.pointer(q).rr_fixed(rrtype::kTxt, 6).u8(3).bytes("abc").u8(0).u8(2).bytes("de").end_rr();
  b.pointer(q).rr_fixed(rrtype::kSoa, 7).name("m.example").name("r.example")
      .u32(1).u32(2).u32(3).u32(4).u32(5).end_rr();
  b.pointer(q).rr_fixed(rrtype::kSrv, 8).u16(1).u16(2).u16(5060).name("sip.example").end_rr();
  b.pointer(q).rr_fixed(rrtype::kNull, 9).bytes("raw\x01").end_rr();
  b.pointer(q).rr_fixed(rrtype::kSshfp, 10).u8(1).u8(1).bytes("\x19\x8c\x34").end_rr();
  b.pointer(q).rr_fixed(rrtype::kHttps, 11).u16(1).name("svc.example").u16(1).u16(0).end_rr();
  b.pointer(q).rr_fixed(rrtype::kCaa, 12).u8(0).u8(5).bytes("issue").bytes("ca.example").end_rr();
  const Parsed p = parse(b);
  ASSERT_EQ(p.status, MessageStatus::kOk);
  ASSERT_EQ(p.m.answers.size(), 12u);
  const auto& a = p.m.answers;
  EXPECT_EQ(a[0].kind, RDataKind::kAddress);
  EXPECT_EQ(p.m.text(a[0].data), std::string("\xc0\x00\x02\x18", 4));
  EXPECT_EQ(a[1].data.length, 16u);
  EXPECT_EQ(p.m.text(a[2].rdata_name), "c.example");
  EXPECT_EQ(p.m.text(a[3].rdata_name), "ns.example");
  EXPECT_EQ(p.m.text(a[4].rdata_name), "mx.example");
  EXPECT_EQ(a[4].priority, 10);
  ASSERT_EQ(a[5].list_count, 3u);
  EXPECT_EQ(p.m.text(p.m.strings[a[5].list_first]), "abc");
  EXPECT_EQ(p.m.text(p.m.strings[a[5].list_first + 1]), "");
  EXPECT_EQ(p.m.text(p.m.strings[a[5].list_first + 2]), "de");
  EXPECT_EQ(p.m.text(a[6].rdata_name), "m.example");
  EXPECT_EQ(p.m.text(a[6].rdata_name2), "r.example");
  EXPECT_EQ(a[6].soa[0], 1u);
  EXPECT_EQ(a[6].soa[4], 5u);
  EXPECT_EQ(a[7].port, 5060);
  EXPECT_EQ(p.m.text(a[7].rdata_name), "sip.example");
  EXPECT_EQ(p.m.text(a[8].data), std::string("raw\x01", 4));
  EXPECT_EQ(a[9].algo, 1);
  EXPECT_EQ(p.m.text(a[9].data), "\x19\x8c\x34");
  EXPECT_EQ(a[10].kind, RDataKind::kSvcb);
  EXPECT_EQ(p.m.text(a[10].rdata_name), "svc.example");
  EXPECT_EQ(p.m.text(a[11].rdata_name2), "issue");
  EXPECT_EQ(p.m.text(a[11].data), "ca.example");
  EXPECT_EQ(a[11].ttl, 12u);
}

TEST(DnsRdata, OptOptionsAndUnknownTypes) {
  MsgBuilder b(1, kQueryFlags, 1, 0, 0, 2);
  b.question("a.com", rrtype::kA);
  b.name("").rr_fixed(rrtype::kOpt, 0, 1232).u16(10).u16(8).bytes("12345678").u16(12).u16(0).end_rr();
  b.pointer(12).rr_fixed(99 /* SPF: not decoded */, 5).bytes("v=spf1").end_rr();
  const Parsed p = parse(b);
  ASSERT_EQ(p.status, MessageStatus::kOk);
  ASSERT_EQ(p.m.additionals.size(), 2u);
  const Record& opt = p.m.additionals[0];
  EXPECT_EQ(opt.rrclass, 1232);
  ASSERT_EQ(opt.list_count, 2u);
  EXPECT_EQ(p.m.options[opt.list_first].code, 10);
  EXPECT_EQ(p.m.text(p.m.options[opt.list_first].data), "12345678");
  EXPECT_EQ(p.m.additionals[1].kind, RDataKind::kNone);
}

TEST(DnsRdata, NameRunningOutOfRdataIsMalformed) {
  MsgBuilder b(1, kResponseFlags, 1, 1);
  b.question("a.com", rrtype::kCname);
  // rdlength 3 but the name inside needs more: it must not read the next field.
  b.pointer(12).u16(rrtype::kCname).u16(1).u32(1).u16(3).u8(5).bytes("abcde").u8(0);
  EXPECT_EQ(parse(b).status, MessageStatus::kMalformed);
}

// ---- transactions ----

// Suricata 7/8 numbering: a request and its response are transactions 0
// and 1 (suricata-verify dns/v2/bug-1158 expects query tx_ids 0, 2, 4 ...).
TEST(DnsState, RequestAndResponseAreSeparateTransactions) {
  DnsState s;
  const auto q = simple_query(0x1234, "a.example");
  const auto r = simple_response(0x1234, "a.example", 0x01020304);
  ASSERT_EQ(s.parse(Direction::kToServer, q.view(), udp_ctx()), ParseResult::kOk);
  ASSERT_EQ(s.tx_count(), 1u);
  const auto* request = s.dns_tx_at(0);
  EXPECT_TRUE(request->complete[0] && request->complete[1]);
  EXPECT_TRUE(request->request.present);
  EXPECT_FALSE(request->response.present);
  ASSERT_EQ(s.parse(Direction::kToClient, r.view(), udp_ctx()), ParseResult::kOk);
  ASSERT_EQ(s.tx_count(), 2u);
  const auto* response = s.dns_tx_at(1);
  EXPECT_EQ(response->id, 1u);
  EXPECT_FALSE(response->request.present);
  EXPECT_TRUE(response->response.present);
  EXPECT_TRUE(response->inspected[0]);  // no request side to inspect
  EXPECT_FALSE(response->inspected[1]);
  EXPECT_EQ(response->dns_id, 0x1234);
  EXPECT_EQ(response->event_count, 0);
}

TEST(DnsState, TransactionsNumberedInArrivalOrder) {
  DnsState s;
  s.parse(Direction::kToServer, simple_query(1, "one.example").view(), udp_ctx());
  s.parse(Direction::kToServer, simple_query(2, "two.example").view(), udp_ctx());
  s.parse(Direction::kToClient, simple_response(2, "two.example", 2).view(), udp_ctx());
  s.parse(Direction::kToClient, simple_response(1, "one.example", 1).view(), udp_ctx());
  ASSERT_EQ(s.tx_count(), 4u);
  EXPECT_EQ(s.dns_tx_at(2)->dns_id, 2);
  EXPECT_EQ(s.dns_tx_at(3)->dns_id, 1);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(s.dns_tx_at(i)->id, i);
}

TEST(DnsState, DirectionEvents) {
  DnsState s;
  s.parse(Direction::kToServer, simple_query(4, "w.example").view(), udp_ctx());
  // Then a response sent to the server, and a query sent to the client.
  s.parse(Direction::kToServer, simple_response(5, "x.example", 1).view(), udp_ctx());
  ASSERT_EQ(s.tx_count(), 2u);
  EXPECT_TRUE(has_event(*s.tx_at(1), event::kNotRequest));
  s.parse(Direction::kToClient, simple_query(6, "y.example").view(), udp_ctx());
  ASSERT_EQ(s.tx_count(), 3u);
  EXPECT_TRUE(has_event(*s.tx_at(2), event::kNotResponse));
}

TEST(DnsState, UdpFlowOpenedByAResponseIsReversed) {
  // The flow table takes the first sender for the client; when that first
  // datagram is a response, the server spoke first (capture started late):
  // directions swap for the flow, as Suricata's UDP probing does.
  DnsState s;
  s.parse(Direction::kToServer, simple_response(7, "z.example", 1).view(), udp_ctx());
  ASSERT_EQ(s.tx_count(), 1u);
  EXPECT_FALSE(has_event(*s.tx_at(0), event::kNotRequest));
  EXPECT_TRUE(s.dns_tx_at(0)->response.present);
  EXPECT_FALSE(s.dns_tx_at(0)->request.present);
  s.parse(Direction::kToClient, simple_query(8, "v.example").view(), udp_ctx());
  ASSERT_EQ(s.tx_count(), 2u);
  EXPECT_TRUE(s.dns_tx_at(1)->request.present);
  EXPECT_FALSE(has_event(*s.tx_at(1), event::kNotResponse));
}

TEST(DnsState, HeaderEventsReachTransaction) {
  DnsState s;
  MsgBuilder b(1, (9 << 11) | 0x0040, 1, 0);
  b.question("suricata.io", rrtype::kA);
  s.parse(Direction::kToServer, b.view(), udp_ctx());
  ASSERT_EQ(s.tx_count(), 1u);
  EXPECT_TRUE(has_event(*s.tx_at(0), event::kInvalidOpcode));
  EXPECT_TRUE(has_event(*s.tx_at(0), event::kZFlagSet));
}

TEST(DnsState, ShortDatagramIsMalformedTransaction) {
  DnsState s;
  const uint8_t junk[6] = {1, 2, 3, 4, 5, 6};
  s.parse(Direction::kToServer, ByteView(junk, 6), udp_ctx());
  ASSERT_EQ(s.tx_count(), 1u);
  EXPECT_TRUE(has_event(*s.tx_at(0), event::kMalformedData));
  EXPECT_TRUE(s.tx_at(0)->complete[0] && s.tx_at(0)->complete[1]);
}

TEST(DnsState, ImplausibleCountsAreIgnored) {
  DnsState s;
  MsgBuilder b(1, 0, 0x4000, 0x4000);  // counts far beyond the datagram
  s.parse(Direction::kToServer, b.view(), udp_ctx());
  EXPECT_EQ(s.tx_count(), 0u);
}

// Every message is its own transaction and complete at once, so nothing
// waits for a response (Suricata 7/8: 1000 unanswered requests are 1000
// finished transactions).
TEST(DnsState, UnansweredRequestsDoNotStayOpen) {
  DnsState s;
  for (uint32_t i = 0; i < 300; ++i)
    s.parse(Direction::kToServer, simple_query(static_cast<uint16_t>(i), "f.example").view(),
            udp_ctx());
  ASSERT_EQ(s.tx_count(), 300u);
  for (size_t i = 0; i < s.tx_count(); ++i) {
    EXPECT_TRUE(s.tx_at(i)->complete[0] && s.tx_at(i)->complete[1]);
    EXPECT_TRUE(s.tx_at(i)->inspected[1]);  // no response side to inspect
    EXPECT_EQ(s.tx_at(i)->id, i);
  }
}

TEST(DnsState, RemoveDoneRecyclesAndEndOfStreamCompletes) {
  DnsState s;
  s.parse(Direction::kToServer, simple_query(1, "a.example").view(), udp_ctx());
  s.parse(Direction::kToServer, simple_query(2, "b.example").view(), udp_ctx());
  s.end_of_stream(Direction::kToClient);
  ASSERT_EQ(s.tx_count(), 2u);
  for (size_t i = 0; i < 2; ++i) EXPECT_TRUE(s.tx_at(i)->complete[1]);
  Transaction* first = s.tx_at(0);
  first->logged = true;
  first->inspected = {true, true};
  s.remove_done();
  ASSERT_EQ(s.tx_count(), 1u);
  EXPECT_EQ(s.tx_at(0)->id, 1u);
  s.parse(Direction::kToServer, simple_query(3, "c.example").view(), udp_ctx());
  ASSERT_EQ(s.tx_count(), 2u);
  EXPECT_EQ(s.tx_at(1), first);  // the object was reused
  EXPECT_EQ(s.tx_at(1)->id, 2u);
  EXPECT_EQ(s.tx_at(1)->event_count, 0);
  EXPECT_EQ(s.dns_tx_at(1)->request.text(s.dns_tx_at(1)->request.queries[0].name), "c.example");
}

// ---- TCP framing ----

std::vector<uint8_t> concat(const std::vector<std::vector<uint8_t>>& parts) {
  std::vector<uint8_t> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(DnsTcp, OneByteAtATime) {
  const auto stream = concat({simple_query(10, "one.example").tcp(),
                              simple_query(11, "two.example", rrtype::kAaaa).tcp()});
  const size_t first_len = simple_query(10, "one.example").tcp().size();
  DnsState s;
  for (size_t i = 0; i < stream.size(); ++i) {
    ASSERT_EQ(s.parse(Direction::kToServer, ByteView(&stream[i], 1), tcp_ctx()), ParseResult::kOk);
    if (i + 1 < first_len) {
      EXPECT_EQ(s.tx_count(), 0u) << i;
    }
  }
  ASSERT_EQ(s.tx_count(), 2u);
  EXPECT_EQ(s.dns_tx_at(0)->request.text(s.dns_tx_at(0)->request.queries[0].name), "one.example");
  EXPECT_EQ(s.dns_tx_at(1)->request.queries[0].rrtype, rrtype::kAaaa);
}

TEST(DnsTcp, TwoMessagesInOneChunkAndSplitResponses) {
  const auto requests = concat({simple_query(20, "a.example").tcp(), simple_query(21, "b.example").tcp()});
  DnsState s;
  ASSERT_EQ(s.parse(Direction::kToServer, ByteView(requests.data(), requests.size()), tcp_ctx()),
            ParseResult::kOk);
  ASSERT_EQ(s.tx_count(), 2u);
  // Responses: the first whole plus 3 bytes of the second, then the rest.
  const auto responses = concat({simple_response(21, "b.example", 2).tcp(),
                                 simple_response(20, "a.example", 1).tcp()});
  const size_t cut = simple_response(21, "b.example", 2).tcp().size() + 3;
  s.parse(Direction::kToClient, ByteView(responses.data(), cut), tcp_ctx());
  ASSERT_EQ(s.tx_count(), 3u);
  EXPECT_EQ(s.dns_tx_at(2)->dns_id, 21);
  s.parse(Direction::kToClient, ByteView(responses.data() + cut, responses.size() - cut), tcp_ctx());
  ASSERT_EQ(s.tx_count(), 4u);
  EXPECT_EQ(s.dns_tx_at(3)->dns_id, 20);
  EXPECT_TRUE(s.dns_tx_at(3)->response.present);
}

TEST(DnsTcp, TinyLengthStopsParsing) {
  const uint8_t junk[] = {0x00, 0x03, 'a', 'b', 'c'};
  DnsState s;
  EXPECT_EQ(s.parse(Direction::kToServer, ByteView(junk, sizeof junk), tcp_ctx()),
            ParseResult::kError);
}

TEST(DnsTcp, GapResyncsOnNextMessageStart) {
  const auto first = simple_query(30, "a.example").tcp();
  const auto second = simple_query(31, "b.example").tcp();
  DnsState s;
  s.parse(Direction::kToServer, ByteView(first.data(), 5), tcp_ctx());  // partial
  EXPECT_TRUE(s.gap(Direction::kToServer, 100));
  // The tail of a lost message is dropped ...
  s.parse(Direction::kToServer, ByteView(first.data() + 9, first.size() - 9), tcp_ctx());
  EXPECT_EQ(s.tx_count(), 0u);
  // ... and a chunk that starts with a message is parsed again.
  s.parse(Direction::kToServer, ByteView(second.data(), second.size()), tcp_ctx());
  ASSERT_EQ(s.tx_count(), 1u);
  EXPECT_EQ(s.dns_tx_at(0)->dns_id, 31);
}

// ---- probe ----

TEST(DnsProbe, UdpAndTcpForms) {
  const auto q = simple_query(1, "probe.example");
  EXPECT_EQ(probe(Direction::kToServer, q.view()), ProbeResult::kYes);
  const auto framed = q.tcp();
  EXPECT_EQ(probe(Direction::kToServer, ByteView(framed.data(), framed.size())), ProbeResult::kYes);
  // TCP: header seen, rest of the message not yet.
  EXPECT_EQ(probe(Direction::kToServer, ByteView(framed.data(), 16)), ProbeResult::kYes);
  EXPECT_EQ(probe(Direction::kToServer, ByteView(framed.data(), 6)), ProbeResult::kNeedMore);
}

TEST(DnsProbe, RejectsOtherProtocols) {
  const std::string http = "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n";
  EXPECT_EQ(probe(Direction::kToServer,
                  ByteView(reinterpret_cast<const uint8_t*>(http.data()), http.size())),
            ProbeResult::kNo);
  const std::string tls("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\x11\x22\x33\x44\x55", 16);
  EXPECT_EQ(probe(Direction::kToServer,
                  ByteView(reinterpret_cast<const uint8_t*>(tls.data()), tls.size())),
            ProbeResult::kNo);
  MsgBuilder no_question(1, 0, 0, 0);
  EXPECT_EQ(probe(Direction::kToServer, no_question.view()), ProbeResult::kNo);
}

TEST(DnsRegistration, DescriptorAsSpecified) {
  const AppProto id = dns_app_proto();
  ASSERT_NE(id, kAppProtoUnknown);
  const ProtocolDescriptor* d = protocol_descriptor(id);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->name, "dns");
  EXPECT_TRUE(d->tcp);
  EXPECT_TRUE(d->udp);
  ASSERT_EQ(d->ports.size(), 1u);
  EXPECT_EQ(d->ports[0], 53);
  EXPECT_EQ(d->eve_type, "dns");
  EXPECT_TRUE(d->log_per_direction);
  EXPECT_NE(d->log, nullptr);
}

TEST(DnsNames, TypeAndRcodeNames) {
  char buf[8];
  EXPECT_EQ(rrtype_name(28, buf), "AAAA");
  EXPECT_EQ(rrtype_name(65, buf), "HTTPS");
  EXPECT_EQ(rrtype_name(4242, buf), "4242");
  EXPECT_EQ(rcode_name(3, buf), "NXDOMAIN");
  EXPECT_EQ(rcode_name(12, buf), "12");
  uint16_t v = 0;
  EXPECT_TRUE(rrtype_from_name("aaaa", v));
  EXPECT_EQ(v, 28);
  EXPECT_TRUE(rcode_from_name("NXDomain", v));
  EXPECT_EQ(v, 3);
  EXPECT_FALSE(rcode_from_name("bogus", v));
}

}  // namespace
}  // namespace seawall::applayer::dns
