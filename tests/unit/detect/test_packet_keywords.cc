// Header keywords: parse accept/reject and match/non-match on decoded packets.
#include <gtest/gtest.h>

#include "detect/keywords/packet/header_buffers.h"
#include "detect/keywords/packet/uint_parse.h"
#include "test_packet_keywords_util.h"

namespace seawall::detect {
namespace {

using namespace testing;

// ---------------------------------------------------------------- uint parser
TEST(UintParse, ModesFollowSuricata) {
  using Mode = UintCondition::Mode;
  EXPECT_EQ(parse_uint_condition("10", 255, "k").mode, Mode::kEqual);
  EXPECT_EQ(parse_uint_condition("=10", 255, "k").arg1, 10u);
  EXPECT_EQ(parse_uint_condition(" < 10 ", 255, "k").mode, Mode::kLess);
  EXPECT_EQ(parse_uint_condition("<=10", 255, "k").mode, Mode::kLessEqual);
  EXPECT_EQ(parse_uint_condition(">10", 255, "k").mode, Mode::kGreater);
  EXPECT_EQ(parse_uint_condition(">=10", 255, "k").mode, Mode::kGreaterEqual);
  EXPECT_EQ(parse_uint_condition("!10", 255, "k").mode, Mode::kNotEqual);
  EXPECT_EQ(parse_uint_condition("!=10", 255, "k").mode, Mode::kNotEqual);
  EXPECT_EQ(parse_uint_condition("0x1f", 255, "k").arg1, 31u);
  EXPECT_EQ(parse_uint_condition("2kb", 65535, "k").arg1, 2048u);

  // Ranges are exclusive: 1-10 matches 2..9.
  auto r = parse_uint_condition("1-10", 255, "k");
  EXPECT_EQ(r.mode, Mode::kRange);
  EXPECT_FALSE(r.match(1));
  EXPECT_TRUE(r.match(2));
  EXPECT_TRUE(r.match(9));
  EXPECT_FALSE(r.match(10));
  auto r2 = parse_uint_condition("1<>10", 255, "k");
  EXPECT_EQ(r2.mode, Mode::kRange);
  auto nr = parse_uint_condition("!1-10", 255, "k");
  EXPECT_TRUE(nr.match(1));
  EXPECT_FALSE(nr.match(5));
  EXPECT_TRUE(nr.match(10));

  auto bm = parse_uint_condition("&0xf0=0x10", 255, "k");
  EXPECT_TRUE(bm.match(0x1f));
  EXPECT_FALSE(bm.match(0x2f));
  auto nbm = parse_uint_condition("&0xf0!=0x10", 255, "k");
  EXPECT_TRUE(nbm.match(0x2f));
}

TEST(UintParse, RejectsLikeSuricata) {
  for (const char* bad : {"", "256", "-1", "abc", "1-2", "5-3", "<0", ">255", ">=0", "<=255",
                          "10 20", "&0x0f=0x10", "1--5"}) {
    EXPECT_THROW(parse_uint_condition(bad, 255, "ttl"), RuleError) << bad;
  }
  try {
    parse_uint_condition("300", 255, "ttl");
    FAIL();
  } catch (const RuleError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("ttl: ", 0), 0u) << e.what();
  }
}

// ---------------------------------------------------------------- IP keywords
TEST(PacketKeywords, Ttl) {
  auto pkt = raw_ip(kTcpSyn);  // ttl 64
  for (const char* v : {"64", "<65", ">63", "60-70", "!63", ">=64"}) {
    Harness h;
    h.setup("ttl", v);
    EXPECT_TRUE(h.match(pkt->p)) << v;
  }
  for (const char* v : {"63", "<64", ">64", "64-70", "!64"}) {
    Harness h;
    h.setup("ttl", v);
    EXPECT_FALSE(h.match(pkt->p)) << v;
  }
  EXPECT_NE(rejects("ttl", "256"), "");
  EXPECT_NE(rejects("ttl", "x"), "");
  Packet no_ip;
  Harness h;
  h.setup("ttl", "0");
  EXPECT_FALSE(h.match(no_ip));
}

TEST(PacketKeywords, Tos) {
  auto pkt = raw_ip(kTcpSyn);  // tos 0x10
  for (const char* v : {"16", "x10", "0x10", "!8", "! 8"}) {
    Harness h;
    h.setup("tos", v);
    EXPECT_TRUE(h.match(pkt->p)) << v;
  }
  for (const char* v : {"8", "!16", "!x10"}) {
    Harness h;
    h.setup("tos", v);
    EXPECT_FALSE(h.match(pkt->p)) << v;
  }
  EXPECT_NE(rejects("tos", "256"), "");
  EXPECT_NE(rejects("tos", "x100"), "");
  EXPECT_NE(rejects("tos", "abc"), "");
}

TEST(PacketKeywords, Ipopts) {
  auto rr = raw_ip(kIcmpEchoRr);   // RR then EOL
  auto syn = raw_ip(kTcpSyn);      // no options
  for (const char* v : {"rr", "eol", "any"}) {
    Harness h;
    h.setup("ipopts", v);
    EXPECT_TRUE(h.match(rr->p)) << v;
    EXPECT_FALSE(h.match(syn->p)) << v;
  }
  for (const char* v : {"ts", "lsrr", "ssrr", "sec", "esec", "satid", "nop"}) {
    Harness h;
    h.setup("ipopts", v);
    EXPECT_FALSE(h.match(rr->p)) << v;
  }
  EXPECT_NE(rejects("ipopts", "bogus"), "");
  EXPECT_NE(rejects("ipopts", "rr,ts"), "");
}

TEST(PacketKeywords, SameIp) {
  auto pkt = raw_ip(kTcpSyn);
  Harness h;
  h.setup("sameip", "");
  EXPECT_FALSE(h.match(pkt->p));
  Packet same = pkt->p;
  same.dst = same.src;
  EXPECT_TRUE(h.match(same));
  EXPECT_NE(rejects("sameip", "1"), "");
}

TEST(PacketKeywords, IpProto) {
  auto tcp = raw_ip(kTcpSyn);
  auto icmp = raw_ip(kIcmpEchoRr);
  for (const char* v : {"6", "tcp", "TCP", "!17", "<7", ">5"}) {
    Harness h;
    h.setup("ip_proto", v);
    EXPECT_TRUE(h.match(tcp->p)) << v;
  }
  Harness h;
  h.setup("ip_proto", "icmp");
  EXPECT_TRUE(h.match(icmp->p));
  EXPECT_FALSE(h.match(tcp->p));
  EXPECT_NE(rejects("ip_proto", "256"), "");
  EXPECT_NE(rejects("ip_proto", "notaproto"), "");
}

TEST(PacketKeywords, Id) {
  auto pkt = raw_ip(kTcpSyn);  // id 0x1234 = 4660
  Harness h;
  h.setup("id", "4660");
  EXPECT_TRUE(h.match(pkt->p));
  Harness q;
  q.setup("id", "\"4660\"");
  EXPECT_TRUE(q.match(pkt->p));
  Harness other;
  other.setup("id", "4661");
  EXPECT_FALSE(other.match(pkt->p));
  EXPECT_NE(rejects("id", "65536"), "");
  EXPECT_NE(rejects("id", "abc"), "");
}

TEST(PacketKeywords, Fragbits) {
  auto df = raw_ip(kTcpSyn);               // DF only
  auto mf = raw_ip(kUdpFirstFragment);     // MF only
  auto none = raw_ip(kIcmpEchoRr);         // no bits
  struct Case {
    const char* value;
    bool df, mf, none;
  } cases[] = {
      {"D", true, false, false},   {"!D", false, true, true},  {"M", false, true, false},
      {"*MD", true, true, false},  {"+D", false, false, false}, {"M+", false, true, false},
      {"!M", true, false, true},   {"DM", false, false, false},
  };
  for (const auto& c : cases) {
    Harness h;
    h.setup("fragbits", c.value);
    EXPECT_EQ(h.match(df->p), c.df) << c.value;
    EXPECT_EQ(h.match(mf->p), c.mf) << c.value;
    EXPECT_EQ(h.match(none->p), c.none) << c.value;
  }
  // Suricata's FragBitsTestParse02: "G" is invalid.
  EXPECT_NE(rejects("fragbits", "G"), "");
  EXPECT_NE(rejects("fragbits", ""), "");
  EXPECT_NE(rejects("fragbits", "MX"), "");
}

TEST(PacketKeywords, Fragoffset) {
  auto first = raw_ip(kUdpFirstFragment);
  Harness zero;
  zero.setup("fragoffset", "0");
  EXPECT_TRUE(zero.match(first->p));
  Harness gt;
  gt.setup("fragoffset", ">0");
  EXPECT_FALSE(gt.match(first->p));
  // A later fragment: offset field 185 (1480 bytes).
  auto bytes = from_hex(kUdpFirstFragment);
  bytes[6] = 0x00;
  bytes[7] = 185;
  TestPacket later(bytes, LayerKind::kIpRaw);
  EXPECT_TRUE(gt.match(later.p));
  Harness exact;
  exact.setup("fragoffset", "185");
  EXPECT_TRUE(exact.match(later.p));
  EXPECT_NE(rejects("fragoffset", "x"), "");
}

// ---------------------------------------------------------------- TCP keywords
TEST(PacketKeywords, Flags) {
  auto syn = raw_ip(kTcpSyn);  // S + CWR + ECE
  struct Case {
    const char* value;
    bool match;
  } cases[] = {
      {"S", false},      {"S,12", true},   {"S,CE", true},  {"SCE", true},   {"S12", true},
      {"S+", true},      {"+S", true},     {"*SA", true},   {"!A", true},    {"!S", false},
      {"A", false},      {"SA,12", false}, {"0", false},    {"!0", true},    {"A+", false},
  };
  for (const auto& c : cases) {
    Harness h;
    h.setup("flags", c.value);
    EXPECT_EQ(h.match(syn->p), c.match) << c.value;
  }
  // Suricata's FlagsTestParse03: "AP+" matches ACK|PUSH|SYN|RST.
  Packet p = syn->p;
  p.tcp_flags = tcp_flag::kAck | tcp_flag::kPsh | tcp_flag::kSyn | tcp_flag::kRst;
  Harness ap;
  ap.setup("flags", "AP+");
  EXPECT_TRUE(ap.match(p));
  // FlagsTestParse04: "A" does not match a bare SYN.
  p.tcp_flags = tcp_flag::kSyn;
  Harness a;
  a.setup("flags", "A");
  EXPECT_FALSE(a.match(p));
  // flags:0 matches a packet with no flag at all.
  p.tcp_flags = 0;
  Harness z;
  z.setup("flags", "0");
  EXPECT_TRUE(z.match(p));
  // Non-TCP never matches.
  auto icmp = raw_ip(kIcmpEchoRr);
  Harness any;
  any.setup("flags", "!S");
  EXPECT_FALSE(any.match(icmp->p));

  EXPECT_NE(rejects("flags", "G"), "");
  EXPECT_NE(rejects("flags", "+S*"), "");
  EXPECT_NE(rejects("flags", "S,"), "");
  EXPECT_NE(rejects("flags", "S,X"), "");
  EXPECT_NE(rejects("flags", ""), "");
}

TEST(PacketKeywords, SeqAckWindow) {
  auto syn = raw_ip(kTcpSyn);  // seq 1000, ack 0, window 8192
  Harness seq;
  seq.setup("seq", "1000");
  EXPECT_TRUE(seq.match(syn->p));
  Harness seq2;
  seq2.setup("seq", "1001");
  EXPECT_FALSE(seq2.match(syn->p));
  Harness ack;
  ack.setup("ack", "0");
  EXPECT_TRUE(ack.match(syn->p));
  Harness win;
  win.setup("window", "8192");
  EXPECT_TRUE(win.match(syn->p));
  Harness nwin;
  nwin.setup("window", "!8192");
  EXPECT_FALSE(nwin.match(syn->p));
  Harness hwin;
  hwin.setup("window", "0x2000");
  EXPECT_TRUE(hwin.match(syn->p));
  EXPECT_NE(rejects("seq", "4294967296"), "");
  EXPECT_NE(rejects("window", "65536"), "");
  EXPECT_NE(rejects("window", "<5"), "");
}

TEST(PacketKeywords, TcpMss) {
  auto syn = raw_ip(kTcpSyn);  // MSS 1460
  for (const char* v : {"1460", "<1461", ">1000", "1000-1500"}) {
    Harness h;
    h.setup("tcp.mss", v);
    EXPECT_TRUE(h.match(syn->p)) << v;
  }
  Harness h;
  h.setup("tcp.mss", "536");
  EXPECT_FALSE(h.match(syn->p));
  EXPECT_NE(rejects("tcp.mss", "70000"), "");
}

// ---------------------------------------------------------------- ICMP keywords
TEST(PacketKeywords, IcmpTypeCodeIdSeq) {
  auto echo = raw_ip(kIcmpEchoRr);  // type 8 code 0 id 0x1234 seq 7
  auto syn = raw_ip(kTcpSyn);
  struct Case {
    const char* keyword;
    const char* value;
    bool match;
  } cases[] = {
      {"itype", "8", true},       {"itype", ">7", true},      {"itype", "0", false},
      {"itype", "7<>9", true},    {"icode", "0", true},       {"icode", ">0", false},
      {"icmp_id", "4660", true},  {"icmp_id", "\"4660\"", true}, {"icmp_id", "1", false},
      {"icmp_seq", "7", true},    {"icmp_seq", "8", false},
  };
  for (const auto& c : cases) {
    Harness h;
    h.setup(c.keyword, c.value);
    EXPECT_EQ(h.match(echo->p), c.match) << c.keyword << ":" << c.value;
    EXPECT_FALSE(h.match(syn->p)) << c.keyword << " must not match TCP";
  }
  // id/seq exist only in query messages: a destination unreachable has none.
  Packet unreach = echo->p;
  unreach.icmp_type = 3;
  Harness id0;
  id0.setup("icmp_id", "4660");
  EXPECT_FALSE(id0.match(unreach));
  EXPECT_NE(rejects("itype", "256"), "");
  EXPECT_NE(rejects("icmp_seq", "65536"), "");
}

// ---------------------------------------------------------------- checksums
TEST(PacketKeywords, ChecksumsOnValidPackets) {
  auto syn = raw_ip(kTcpSyn);
  auto icmp = raw_ip(kIcmpEchoRr);
  auto v6 = ethernet(kIcmpv6EchoEth);
  ASSERT_EQ(v6->p.ip_version, 6);
  struct Case {
    const char* keyword;
    const Packet* p;
  } valid[] = {{"ipv4-csum", &syn->p}, {"tcpv4-csum", &syn->p}, {"ipv4-csum", &icmp->p},
               {"icmpv4-csum", &icmp->p}, {"icmpv6-csum", &v6->p}};
  for (const auto& c : valid) {
    Harness ok;
    ok.setup(c.keyword, "valid");
    EXPECT_TRUE(ok.match(*c.p)) << c.keyword;
    Harness bad;
    bad.setup(c.keyword, "invalid");
    EXPECT_FALSE(bad.match(*c.p)) << c.keyword;
  }
  // Wrong family / protocol: neither valid nor invalid matches.
  for (const char* kw : {"tcpv6-csum", "udpv4-csum", "udpv6-csum", "icmpv4-csum"}) {
    Harness h;
    h.setup(kw, "valid");
    EXPECT_FALSE(h.match(syn->p)) << kw;
  }
}

TEST(PacketKeywords, ChecksumsOnCorruptedPackets) {
  auto bytes = from_hex(kTcpSyn);
  bytes[10] ^= 0xff;  // IP checksum
  bytes[36] ^= 0x01;  // TCP checksum
  TestPacket bad(bytes, LayerKind::kIpRaw);
  for (const char* kw : {"ipv4-csum", "tcpv4-csum"}) {
    Harness h;
    h.setup(kw, "INVALID");
    EXPECT_TRUE(h.match(bad.p)) << kw;
  }
  // Suricata's DetectCsumInvalidArgsTestParse02 values are rejected.
  for (const char* v : {"vaid", "invaalid", "vaLiid", "VALieD", "iNvamid"}) {
    EXPECT_NE(rejects("tcpv4-csum", v), "") << v;
  }
  EXPECT_EQ(rejects("udpv6-csum", "\"valid\""), "");
}

// ---------------------------------------------------------------- header buffers
TEST(PacketKeywords, HeaderBuffers) {
  auto syn = raw_ip(kTcpSyn);
  MatchContext ctx{syn->p, nullptr, no_thread()};
  ByteView v;
  ASSERT_TRUE(header_buffer_ipv4(ctx, v));
  EXPECT_EQ(v.size(), 20u);
  EXPECT_EQ(v[0], 0x45);
  ASSERT_TRUE(header_buffer_tcp(ctx, v));
  EXPECT_EQ(v.size(), 28u);  // 20 + MSS/NOP/NOP/SACK-permitted options
  EXPECT_EQ(v[13], 0xc2);
  EXPECT_FALSE(header_buffer_ipv6(ctx, v));

  auto v6 = ethernet(kIcmpv6EchoEth);
  MatchContext ctx6{v6->p, nullptr, no_thread()};
  ASSERT_TRUE(header_buffer_ipv6(ctx6, v));
  EXPECT_GT(v.size(), 40u);  // extension headers included
  EXPECT_EQ(v[0] >> 4, 6);
  EXPECT_FALSE(header_buffer_ipv4(ctx6, v));
  EXPECT_FALSE(header_buffer_tcp(ctx6, v));
}

}  // namespace
}  // namespace seawall::detect
