// flow, decode-event, noalert, threshold, detection_filter, tag, xbits,
// stream_size and the flow keywords' stream options.
#include <gtest/gtest.h>

#include "detect/keywords/flow/flow_keyword.h"
#include "detect/keywords/flow/rule_options.h"
#include "detect/keywords/flow/xbits.h"
#include "detect/keywords/flow/tag.h"
#include "detect/keywords/flow/flow_detect_state.h"
#include "detect/engine/rule_order.h"
#include "detect/rules/rule_parser.h"
#include "stream/tcp_reassembly.h"
#include "test_packet_keywords_util.h"
#include "test_stream_util.h"

namespace seawall::detect {
namespace {

using namespace testing;

Flow udp_flow(bool toserver_seen, bool toclient_seen) {
  Flow f;
  f.key.proto = 17;
  f.seen_toserver = toserver_seen;
  f.seen_toclient = toclient_seen;
  return f;
}

TEST(FlowKeyword, DirectionAndState) {
  auto pkt = raw_ip(kTcpSyn);
  Packet to_server = pkt->p;
  to_server.to_server = true;
  Packet to_client = pkt->p;
  to_client.to_server = false;
  Flow one_way = udp_flow(true, false);
  Flow both = udp_flow(true, true);
  Flow tcp_est;
  tcp_est.key.proto = 6;
  tcp_est.state = FlowState::kEstablished;
  tcp_est.seen_toserver = true;

  struct Case {
    const char* value;
    const Packet* p;
    Flow* f;
    bool match;
  } cases[] = {
      {"to_server", &to_server, &one_way, true},
      {"from_client", &to_server, &one_way, true},
      {"to_client", &to_server, &one_way, false},
      {"from_server", &to_client, &both, true},
      {"established", &to_server, &one_way, false},
      {"established", &to_server, &both, true},       // UDP: both directions seen
      {"established", &to_server, &tcp_est, true},    // TCP: flow state
      {"not_established", &to_server, &one_way, true},
      {"not_established", &to_server, &both, false},
      {"established,to_server", &to_client, &both, false},
      {"to_server,established", &to_server, &both, true},
      {"stateless", &to_server, &one_way, true},
      {"to_server", &to_server, nullptr, false},       // no flow, no direction
      {"not_established", &to_server, nullptr, true},
      {"established", &to_server, nullptr, false},
      {"no_stream", &to_server, &both, true},          // stream options are not packet
      {"only_stream", &to_server, &both, true},        // conditions (see StreamOptions...)
      {"no_frag", &to_server, &both, true},
      {"only_frag", &to_server, &both, false},
  };
  for (const auto& c : cases) {
    Harness h;
    h.setup("flow", c.value);
    EXPECT_EQ(h.match(*c.p, c.f), c.match) << c.value;
  }
  Packet rebuilt = to_server;
  rebuilt.source = PacketSource::kDefrag;
  Harness frag;
  frag.setup("flow", "only_frag");
  EXPECT_TRUE(frag.match(rebuilt, &both));
}

TEST(FlowKeyword, ConflictsAndErrors) {
  for (const char* bad :
       {"established,not_established", "established,stateless", "stateless,established",
        "to_server,to_client", "from_client,from_server", "to_server,to_server",
        "only_stream,no_stream", "no_frag,only_frag", "bogus", "", "to_server,,established",
        "to_server,established,no_stream,no_frag"}) {
    EXPECT_NE(rejects("flow", bad), "") << bad;
  }
  EXPECT_EQ(rejects("flow", "To_Server, Established"), "");
  Harness h;
  h.setup("flow", "to_server");
  EXPECT_NE(h.error("flow", "established"), "");  // one flow option per rule
  const auto* fm = dynamic_cast<const FlowMatcher*>(h.rule.packet_matchers[0].get());
  ASSERT_NE(fm, nullptr);
  EXPECT_EQ(fm->direction(), FlowDirection::kToServer);
}

TEST(FlowKeywords, DecodeEvent) {
  auto pkt = raw_ip(kTcpSyn);
  Packet with_event = pkt->p;
  with_event.add_event(DecodeEvent::kIpv4OptInvalid);
  Harness h;
  h.setup("decode-event", "ipv4.opt_invalid");
  EXPECT_TRUE(h.match(with_event));
  EXPECT_FALSE(h.match(pkt->p));
  Harness prefixed;
  prefixed.setup("decode-event", "decoder.ipv4.opt_invalid");
  EXPECT_TRUE(prefixed.match(with_event));
  EXPECT_NE(rejects("decode-event", "ipv4.no_such_event"), "");
}

TEST(FlowKeywords, Noalert) {
  Harness h;
  h.setup("noalert", "");
  EXPECT_TRUE(h.rule.noalert);
  EXPECT_NE(rejects("noalert", "x"), "");
}

TEST(FlowKeywords, Threshold) {
  Harness h;
  h.setup("threshold", "type limit, track by_src, count 1, seconds 60");
  ASSERT_TRUE(h.rule.has_threshold);
  EXPECT_EQ(h.rule.threshold.type, ThresholdSpec::Type::kLimit);
  EXPECT_EQ(h.rule.threshold.track, ThresholdSpec::Track::kBySrc);
  EXPECT_EQ(h.rule.threshold.count, 1u);
  EXPECT_EQ(h.rule.threshold.seconds, 60u);
  // Any order, as in ET rules.
  auto t = parse_threshold_option("track by_dst, type both, seconds 300, count 2");
  EXPECT_EQ(t.type, ThresholdSpec::Type::kBoth);
  EXPECT_EQ(t.track, ThresholdSpec::Track::kByDst);
  EXPECT_EQ(t.count, 2u);
  EXPECT_EQ(t.seconds, 300u);
  EXPECT_EQ(parse_threshold_option("type threshold, track by_flow, count 5, seconds 1").track,
            ThresholdSpec::Track::kByFlow);
  for (const char* bad :
       {"type limit, track by_src, count 1", "type bogus, track by_src, count 1, seconds 60",
        "type limit, track by_host, count 1, seconds 60",
        "type limit, track by_src, count 0, seconds 60",
        "type limit, track by_src, count 1, seconds x",
        "type limit, type both, track by_src, count 1, seconds 60", ""}) {
    EXPECT_NE(rejects("threshold", bad), "") << bad;
  }
  EXPECT_NE(h.error("threshold", "type limit, track by_src, count 1, seconds 60"), "");
  EXPECT_NE(h.error("detection_filter", "track by_src, count 1, seconds 60"), "");
}

TEST(FlowKeywords, DetectionFilter) {
  Harness h;
  h.setup("detection_filter", "track by_src,count 100,seconds 25");
  ASSERT_TRUE(h.rule.has_threshold);
  EXPECT_EQ(h.rule.threshold.type, ThresholdSpec::Type::kDetectionFilter);
  EXPECT_EQ(h.rule.threshold.count, 100u);
  EXPECT_EQ(h.rule.threshold.seconds, 25u);
  EXPECT_EQ(rejects("detection_filter", "track by_dst, count 4, seconds 20"), "");
  EXPECT_NE(rejects("detection_filter", "type limit, track by_src, count 1, seconds 1"), "");
  EXPECT_NE(rejects("detection_filter", "track by_src, count 1"), "");
  EXPECT_NE(h.error("threshold", "type limit, track by_src, count 1, seconds 60"), "");
}

TEST(FlowKeywords, Tag) {
  auto s = parse_tag_option("session,5,packets");
  EXPECT_EQ(s.type, TagSpec::Type::kSession);
  EXPECT_EQ(s.count, 5u);
  EXPECT_EQ(s.metric, TagSpec::Metric::kPackets);
  auto d = parse_tag_option("session");
  EXPECT_EQ(d.count, 256u);
  auto host = parse_tag_option("host, 300, seconds, src");
  EXPECT_EQ(host.type, TagSpec::Type::kHost);
  EXPECT_EQ(host.metric, TagSpec::Metric::kSeconds);
  EXPECT_EQ(host.direction, TagSpec::Direction::kSrc);
  for (const char* bad : {"flow", "session,packets 5", "host", "session,5,frames",
                          "host,5,bytes,up", "session,x,packets"}) {
    EXPECT_NE(rejects("tag", bad), "") << bad;
  }
  Harness h;
  h.setup("tag", "session,20,packets");
  ASSERT_EQ(h.rule.post_matchers.size(), 1u);
  EXPECT_NE(dynamic_cast<const TagAction*>(h.rule.post_matchers[0].get()), nullptr);
}

TEST(FlowKeywords, StreamOptionsChooseHowContentIsInspected) {
  Harness only;
  only.setup("flow", "established,only_stream");
  EXPECT_EQ(only.rule.stream_inspection, Rule::StreamInspection::kStreamOnly);
  Harness no;
  no.setup("flow", "to_server,no_stream");
  EXPECT_EQ(no.rule.stream_inspection, Rule::StreamInspection::kPacketOnly);
  Harness neither;
  neither.setup("flow", "established");
  EXPECT_EQ(neither.rule.stream_inspection, Rule::StreamInspection::kDefault);
  Harness dsize;  // a packet size: Suricata inspects such rules per packet
  dsize.setup("dsize", ">10");
  EXPECT_EQ(dsize.rule.stream_inspection, Rule::StreamInspection::kPacketOnly);
}

TEST(FlowKeywords, StreamSizeComparesTheSessionsSequenceSpan) {
  const KeywordDescriptor* d = find_keyword("stream_size");
  ASSERT_NE(d, nullptr);
  EXPECT_TRUE(d->unsupported_reason.empty());
  auto ss = parse_stream_size_option("server,<,5");
  EXPECT_EQ(ss.side, StreamSizeSpec::Side::kServer);
  EXPECT_EQ(ss.op, StreamSizeSpec::Op::kLt);
  EXPECT_EQ(ss.size, 5u);
  EXPECT_NE(rejects("stream_size", "server,<>,5"), "");
  EXPECT_NE(rejects("stream_size", "up,<,5"), "");

  // Client sends 10 bytes (span 11 with the SYN), server 3 (span 4).
  ThreadCounters counters;
  stream::TcpReassembler reassembler(stream::StreamConfig{}, counters);
  NullStreamSink sink;
  Flow f;
  f.key.proto = 6;
  using namespace tcp_flag;
  Packet last;
  for (Packet p : {tcp_session_packet(f, true, kSyn, 1000, 0),
                   tcp_session_packet(f, false, kSyn | kAck, 9000, 1001),
                   tcp_session_packet(f, true, kAck, 1001, 9001),
                   tcp_session_packet(f, true, kAck | kPsh, 1001, 9001, "0123456789"),
                   tcp_session_packet(f, false, kAck | kPsh, 9001, 1011, "abc")}) {
    reassembler.handle_packet(p, sink);
    last = p;
  }
  struct Case {
    const char* value;
    bool match;
  } cases[] = {
      {"client,=,11", true}, {"client,>,11", false}, {"server,=,4", true},
      {"server,<,4", false}, {"server,<=,4", true},  {"both,>,3", true},
      {"both,>,4", false},   {"either,>,10", true},  {"either,>,11", false},
      {"client,!=,11", false}, {"server,>=,4", true},
  };
  for (const auto& c : cases) {
    Harness h;
    h.setup("stream_size", c.value);
    EXPECT_EQ(h.match(last, &f), c.match) << c.value;
  }
  Harness h;
  h.setup("stream_size", "either,>=,0");
  Flow no_session;
  no_session.key.proto = 6;
  EXPECT_FALSE(h.match(tcp_session_packet(no_session, true, kAck, 1, 1), &no_session));
  EXPECT_FALSE(h.match(last, nullptr));
  reassembler.end_flow(f, sink);
}

TEST(FlowKeywords, StreamAndAppLayerEventsParse) {
  for (const char* kw : {"stream-event", "app-layer-event", "app-layer-protocol"}) {
    const KeywordDescriptor* d = find_keyword(kw);
    ASSERT_NE(d, nullptr) << kw;
    EXPECT_TRUE(d->unsupported_reason.empty()) << kw;
  }
  EXPECT_EQ(rejects("app-layer-protocol", "!http,final"), "");
  EXPECT_NE(rejects("app-layer-protocol", "http,sometimes"), "");
  EXPECT_EQ(rejects("stream-event", "3whs_ack_in_wrong_dir"), "");
  EXPECT_NE(rejects("stream-event", "no_such_event"), "");
}

TEST(Xbits, ParseLikeEtRules) {
  auto s = parse_xbits_option("set,ET.IBMDRM1,track ip_dst, expire 10");
  EXPECT_EQ(s.cmd, XbitCmd::kSet);
  EXPECT_EQ(s.track, XbitTrack::kIpDst);
  EXPECT_EQ(s.expire_seconds, 10u);
  auto d = parse_xbits_option("isset,ET.2020_8260.2, track ip_pair");
  EXPECT_EQ(d.cmd, XbitCmd::kIsset);
  EXPECT_EQ(d.track, XbitTrack::kIpPair);
  EXPECT_EQ(d.expire_seconds, 30u);
  for (const char* bad : {"set,name", "bogus,name,track ip_src", "set,name,track host",
                          "set,name,track ip_src,expire x", "set,name,trackip_src",
                          "set,,track ip_src"}) {
    EXPECT_NE(rejects("xbits", bad), "") << bad;
  }
}

TEST(Xbits, SetCheckExpireAcrossDirections) {
  xbit_reset_thread_table();
  auto pkt = raw_ip(kTcpSyn);  // 192.168.1.1 -> 192.168.1.2
  Packet req = pkt->p;
  req.ts = {1000, 0};
  Packet reply = req;
  std::swap(reply.src, reply.dst);

  Harness setter;
  setter.setup("xbits", "set,seen,track ip_dst,expire 10");
  Harness check_src;  // the reply's source is the host set by ip_dst
  check_src.setup("xbits", "isset,seen,track ip_src");
  Harness not_set;
  not_set.setup("xbits", "isnotset,seen,track ip_src");

  EXPECT_FALSE(check_src.match(reply));
  EXPECT_TRUE(not_set.match(reply));
  setter.post(req, nullptr);
  EXPECT_TRUE(check_src.match(reply));
  EXPECT_FALSE(not_set.match(reply));
  EXPECT_FALSE(check_src.match(req));  // 192.168.1.1 was not set
  EXPECT_EQ(xbit_live_entries(req.ts), 1u);

  Packet later = reply;
  later.ts = {1010, 0};  // expiry is exclusive: gone at set + 10 s
  EXPECT_FALSE(check_src.match(later));

  // ip_pair is symmetric and separate from host bits.
  Harness pair_set;
  pair_set.setup("xbits", "set,pair,track ip_pair");
  Harness pair_check;
  pair_check.setup("xbits", "isset,pair,track ip_pair");
  pair_set.post(req, nullptr);
  EXPECT_TRUE(pair_check.match(reply));
  Harness host_check;
  host_check.setup("xbits", "isset,pair,track ip_src");
  EXPECT_FALSE(host_check.match(req));

  // toggle and unset.
  Harness toggle;
  toggle.setup("xbits", "toggle,pair,track ip_pair");
  toggle.post(req, nullptr);
  EXPECT_FALSE(pair_check.match(req));
  toggle.post(req, nullptr);
  EXPECT_TRUE(pair_check.match(req));
  Harness unset;
  unset.setup("xbits", "unset,pair,track ip_pair");
  unset.post(reply, nullptr);
  EXPECT_FALSE(pair_check.match(req));
  xbit_reset_thread_table();
}

TEST(Xbits, TableStaysBoundedUnderChurn) {
  xbit_reset_thread_table();
  auto pkt = raw_ip(kTcpSyn);
  Packet p = pkt->p;
  p.ts = {5000, 0};
  XbitSpec spec = parse_xbits_option("set,churn,track ip_src,expire 60");
  for (uint32_t i = 0; i < 50000; ++i) {
    p.src.bytes[2] = static_cast<uint8_t>(i >> 8);
    p.src.bytes[3] = static_cast<uint8_t>(i);
    p.src.bytes[1] = static_cast<uint8_t>(i >> 16);
    xbit_apply(spec, p);
  }
  EXPECT_LE(xbit_live_entries(p.ts), 8192u);
  EXPECT_TRUE(xbit_isset(spec, p));  // the newest entry is always kept
  xbit_reset_thread_table();
}

TEST(Hostbits, DirectionsDefaultsAndXbitsNameSpace) {
  xbit_reset_thread_table();
  auto pkt = raw_ip(kTcpSyn);  // 192.168.1.1 -> 192.168.1.2
  Packet req = pkt->p;
  req.ts = {2000, 0};
  Packet reply = req;
  std::swap(reply.src, reply.dst);

  Harness set_dst;
  set_dst.setup("hostbits", "set,abc,dst");
  Harness isset_src;  // default direction: src
  isset_src.setup("hostbits", "isset,abc");
  Harness isnotset_dst;
  isnotset_dst.setup("hostbits", "isnotset,abc,dst");
  Harness xbits_src;  // same store and names as xbits track ip_src
  xbits_src.setup("xbits", "isset,abc,track ip_src");

  EXPECT_TRUE(isnotset_dst.match(req));
  set_dst.post(req, nullptr);  // marks 192.168.1.2
  EXPECT_FALSE(isnotset_dst.match(req));
  EXPECT_TRUE(isset_src.match(reply));
  EXPECT_FALSE(isset_src.match(req));
  EXPECT_TRUE(xbits_src.match(reply));

  Harness toggle;
  toggle.setup("hostbits", "toggle,abc,src");
  toggle.post(reply, nullptr);
  EXPECT_FALSE(isset_src.match(reply));

  Harness noalert;
  noalert.setup("hostbits", "noalert");
  EXPECT_TRUE(noalert.rule.noalert);
  for (const char* bad : {"", "set", "set,abc,both", "set,abc,dst,x", "noalert,abc", "bogus,abc"})
    EXPECT_NE(rejects("hostbits", bad), "") << bad;
  xbit_reset_thread_table();
}

TEST(Hostbits, SettersOrderedBeforeCheckers) {
  RuleLoadContext ctx;
  RuleFailure failure;
  std::vector<std::unique_ptr<Rule>> rules;
  for (const char* text :
       {"alert ip any any -> any any (hostbits:isset,b; sid:1;)",
        "alert ip any any -> any any (xbits:isset,p,track ip_pair; sid:2;)",
        "alert ip any any -> any any (hostbits:set,b; sid:3;)",
        "alert ip any any -> any any (xbits:set,p,track ip_pair; sid:4;)",
        "alert ip any any -> any any (sid:5;)"}) {
    auto r = parse_rule(text, "test", 1, ctx, failure);
    ASSERT_NE(r, nullptr) << failure.reason;
    rules.push_back(std::move(r));
  }
  order_rules(rules);
  std::vector<uint32_t> sids;
  for (const auto& r : rules) sids.push_back(r->sid);
  // Host bits first (setter, then checker), then ip_pair bits, then the rest.
  EXPECT_EQ(sids, (std::vector<uint32_t>{3, 1, 4, 2, 5}));
}

// Suricata's eve-tag-02..07 semantics: the budget counts the alerting
// packet, so tag:host,9,packets,dst tags the next 8 packets to or from that
// host; a session tag covers the flow's later packets only.
TEST(Tag, HostAndSessionBudgets) {
  tag_reset_thread_table();
  auto pkt = raw_ip(kTcpSyn);  // 192.168.1.1 -> 192.168.1.2
  Packet syn = pkt->p;
  syn.ts = {3000, 0};
  Packet reply = syn;
  std::swap(reply.src, reply.dst);
  Packet other = syn;  // neither host
  other.src = IpAddress::parse("10.0.0.1");
  other.dst = IpAddress::parse("10.0.0.2");

  Harness host;
  host.setup("tag", "host,3,packets,dst");
  EXPECT_FALSE(tag_packet(syn));  // nothing tagged before the alert
  host.post(syn, nullptr);
  EXPECT_FALSE(tag_packet(other));
  EXPECT_TRUE(tag_packet(reply));  // 2 of 3 (the alerting packet was 1)
  EXPECT_TRUE(tag_packet(syn));    // 3 of 3: to the tagged host
  EXPECT_FALSE(tag_packet(reply)); // budget spent
  EXPECT_FALSE(tag_packet(reply));

  tag_reset_thread_table();
  Harness seconds;
  seconds.setup("tag", "host,2,seconds,src");
  seconds.post(syn, nullptr);
  Packet later = reply;
  later.ts = {3001, 500000};
  EXPECT_TRUE(tag_packet(later));
  later.ts = {3002, 1};
  EXPECT_FALSE(tag_packet(later));

  tag_reset_thread_table();
  FlowDetectState state(0, 0);
  Flow f;
  f.detect = &state;
  Flow unrelated;
  Harness session;
  session.setup("tag", "session,2,packets");
  syn.flow = &f;
  session.post(syn, &f);
  reply.flow = &f;
  other.flow = &unrelated;
  EXPECT_FALSE(tag_packet(other));
  EXPECT_TRUE(tag_packet(reply));
  EXPECT_FALSE(tag_packet(reply));
  state.clear();
  EXPECT_FALSE(state.session_tag.active);
  tag_reset_thread_table();
}

}  // namespace
}  // namespace seawall::detect
