// SSH parser on hand-built sessions: banners, KEXINIT lists and HASSH,
// every split of the streams, completion, encryption, events and bounds.
#include <gtest/gtest.h>

#include "applayer/ssh/ssh_parser.h"
#include "ssh_test_util.h"

namespace seawall::applayer::ssh {
namespace {

using namespace test;

constexpr Direction kTs = Direction::kToServer;
constexpr Direction kTc = Direction::kToClient;

TEST(SshBanner, ParsesLikeSuricata) {
  // Cases from Suricata's rust/src/ssh/parser.rs unit tests and RFC 4253 4.2.
  Banner b;
  ASSERT_TRUE(parse_banner("SSH-Single-", b));
  EXPECT_EQ(b.proto_version, "Single");
  EXPECT_EQ(b.software_version, "");
  ASSERT_TRUE(parse_banner("SSH-2.0-Soft", b));
  EXPECT_EQ(b.proto_version, "2.0");
  EXPECT_EQ(b.software_version, "Soft");
  ASSERT_TRUE(parse_banner("SSH-2.0-OpenSSH_7.4p1 Debian-10+deb9u7", b));
  EXPECT_EQ(b.software_version, "OpenSSH_7.4p1");
  ASSERT_TRUE(parse_banner("SSH-2.0-OpenSSH_6.6p1-hpn14v4", b));
  EXPECT_EQ(b.proto_version, "2.0");
  EXPECT_EQ(b.software_version, "OpenSSH_6.6p1-hpn14v4");
  EXPECT_FALSE(parse_banner("SSH-2.0", b));      // no '-' after the version
  EXPECT_FALSE(parse_banner("SSH--OpenSSH", b));  // empty version
  EXPECT_FALSE(parse_banner("ssh-2.0-x", b));     // the tag is case-sensitive
  EXPECT_FALSE(parse_banner("HTTP/1.1 200 OK", b));
  EXPECT_FALSE(parse_banner("", b));
}

TEST(SshMd5, Rfc1321Vectors) {
  std::string out;
  md5_hex("", out);
  EXPECT_EQ(out, "d41d8cd98f00b204e9800998ecf8427e");
  md5_hex("abc", out);
  EXPECT_EQ(out, "900150983cd24fb0d6963f7d28e17f72");
  md5_hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890",
          out);
  EXPECT_EQ(out, "57edf4a22be3c955ac49da2e2107b67a");
}

TEST(SshKexInit, ParsesAllNameLists) {
  const auto lists = server_lists();
  KexInit k;
  const auto payload = kexinit_payload(lists);
  ASSERT_TRUE(parse_kexinit(ByteView(payload.data(), payload.size()), k));
  EXPECT_EQ(k.kex_algorithms, lists[0]);
  EXPECT_EQ(k.server_host_key_algorithms, lists[1]);
  EXPECT_EQ(k.encryption_client_to_server, lists[2]);
  EXPECT_EQ(k.encryption_server_to_client, lists[3]);
  EXPECT_EQ(k.mac_client_to_server, lists[4]);
  EXPECT_EQ(k.mac_server_to_client, lists[5]);
  EXPECT_EQ(k.compression_client_to_server, lists[6]);
  EXPECT_EQ(k.compression_server_to_client, lists[7]);
  EXPECT_EQ(k.languages_client_to_server, lists[8]);
  EXPECT_EQ(k.languages_server_to_client, lists[9]);
  // Every truncation fails cleanly.
  for (size_t n = 0; n < payload.size(); ++n) {
    KexInit t;
    EXPECT_FALSE(parse_kexinit(ByteView(payload.data(), n), t)) << n;
  }
  // A list length past the end.
  auto bad = payload;
  bad[16] = 0x7f;
  EXPECT_FALSE(parse_kexinit(ByteView(bad.data(), bad.size()), k));
}

// The expected fingerprints, per the HASSH spec: client uses its
// client-to-server lists, server its server-to-client lists.
std::string expected_string(const std::vector<std::string>& l, bool server) {
  return server ? l[0] + ";" + l[3] + ";" + l[5] + ";" + l[7]
                : l[0] + ";" + l[2] + ";" + l[4] + ";" + l[6];
}

void expect_full_session(const SshState& st) {
  const SshTransaction& tx = st.transaction();
  EXPECT_EQ(tx.client.proto_version, "2.0");
  EXPECT_EQ(tx.client.software_version, "OpenSSH_9.6");
  EXPECT_EQ(tx.server.proto_version, "1.99");
  EXPECT_EQ(tx.server.software_version, "Cisco-1.25");
  ASSERT_TRUE(tx.client.kexinit_parsed);
  ASSERT_TRUE(tx.server.kexinit_parsed);
  EXPECT_EQ(tx.client.kex.kex_algorithms, client_lists()[0]);
  EXPECT_EQ(tx.client.kex.server_host_key_algorithms, client_lists()[1]);
  EXPECT_EQ(tx.server.kex.compression_server_to_client, server_lists()[7]);
  const std::string cs = expected_string(client_lists(), false);
  const std::string ss = expected_string(server_lists(), true);
  std::string md5;
  EXPECT_EQ(tx.client.hassh_string, cs);
  md5_hex(cs, md5);
  EXPECT_EQ(tx.client.hassh, md5);
  EXPECT_EQ(tx.server.hassh_string, ss);
  md5_hex(ss, md5);
  EXPECT_EQ(tx.server.hassh, md5);
  EXPECT_TRUE(tx.complete[0]);
  EXPECT_TRUE(tx.complete[1]);
  EXPECT_TRUE(st.no_more_inspection());
  EXPECT_EQ(tx.event_count, 0);
}

TEST(SshState, FullHandshakeInOneChunkEach) {
  SshState st;
  EXPECT_EQ(feed(st, kTc, server_stream()), ParseResult::kOk);
  EXPECT_EQ(feed(st, kTs, client_stream()), ParseResult::kOk);
  expect_full_session(st);
}

TEST(SshState, EverySplitOfBothDirections) {
  const auto c = client_stream();
  const auto s = server_stream();
  ParseContext ctx;
  for (size_t k = 0; k <= c.size(); ++k) {
    SshState st;
    ASSERT_EQ(st.parse(kTs, ByteView(c.data(), k), ctx), ParseResult::kOk) << k;
    ASSERT_EQ(st.parse(kTs, ByteView(c.data() + k, c.size() - k), ctx), ParseResult::kOk) << k;
    const size_t ks = k % (s.size() + 1);
    ASSERT_EQ(st.parse(kTc, ByteView(s.data(), ks), ctx), ParseResult::kOk) << k;
    ASSERT_EQ(st.parse(kTc, ByteView(s.data() + ks, s.size() - ks), ctx), ParseResult::kOk);
    SCOPED_TRACE("split at " + std::to_string(k));
    expect_full_session(st);
  }
}

TEST(SshState, OneByteAtATimeInterleaved) {
  const auto c = client_stream();
  const auto s = server_stream();
  SshState st;
  ParseContext ctx;
  for (size_t i = 0; i < std::max(c.size(), s.size()); ++i) {
    if (i < s.size()) {
      ASSERT_EQ(st.parse(kTc, ByteView(s.data() + i, 1), ctx), ParseResult::kOk);
    }
    if (i < c.size()) {
      ASSERT_EQ(st.parse(kTs, ByteView(c.data() + i, 1), ctx), ParseResult::kOk);
    }
  }
  expect_full_session(st);
}

TEST(SshState, CompletionFollowsBannerAndKexInit) {
  SshState st;
  const SshTransaction& tx = st.transaction();
  feed(st, kTs, bytes("SSH-2.0-PuTTY_Release_0.81\r\n"));
  EXPECT_TRUE(tx.client.banner_done);
  EXPECT_FALSE(tx.complete[0]);  // the algorithms are still to come
  const auto kex = record(kMsgKexInit, kexinit_payload(client_lists()));
  feed(st, kTs, std::vector<uint8_t>(kex.begin(), kex.end() - 3));
  EXPECT_FALSE(tx.complete[0]);  // KEXINIT not fully buffered yet
  feed(st, kTs, std::vector<uint8_t>(kex.end() - 3, kex.end()));
  EXPECT_TRUE(tx.complete[0]);
  EXPECT_FALSE(tx.complete[1]);
  EXPECT_FALSE(st.no_more_inspection());
  st.end_of_stream(kTc);
  EXPECT_TRUE(tx.complete[1]);
}

TEST(SshState, EncryptedDataAfterNewKeysIsNotParsed) {
  SshState st;
  // Server NEWKEYS first, then garbage standing in for ciphertext: no event.
  feed(st, kTc, concat({server_stream(), bytes("\x00\x00\x00\x00 garbage ciphertext")}));
  EXPECT_TRUE(st.transaction().server.newkeys_seen);
  EXPECT_TRUE(st.transaction().complete[1]);
  EXPECT_FALSE(st.no_more_inspection());  // the client is still in the clear
  feed(st, kTs, concat({client_stream(), std::vector<uint8_t>(64, 0)}));
  EXPECT_TRUE(st.no_more_inspection());
  EXPECT_EQ(st.transaction().event_count, 0);
}

TEST(SshState, OtherMessagesAreSkippedAndOnlyTheFirstKexInitCounts) {
  SshState st;
  const auto other = kexinit_payload(server_lists());
  feed(st, kTs, concat({bytes("SSH-2.0-x\n"), record(2, bytes("ignore me")),
                        record(kMsgKexInit, kexinit_payload(client_lists())),
                        record(30, std::vector<uint8_t>(300, 7)), record(kMsgKexInit, other)}));
  EXPECT_EQ(st.transaction().client.kex.kex_algorithms, client_lists()[0]);
  EXPECT_EQ(st.transaction().event_count, 0);
}

TEST(SshState, LineTerminators) {
  for (const char* term : {"\n", "\r\n", "\r"}) {
    SshState st;
    const auto stream =
        concat({bytes(std::string("SSH-2.0-Term_1") + term),
                record(kMsgKexInit, kexinit_payload(client_lists()))});
    for (size_t k = 0; k <= stream.size(); ++k) {
      SshState s2;
      feed(s2, kTs, std::vector<uint8_t>(stream.begin(), stream.begin() + k));
      feed(s2, kTs, std::vector<uint8_t>(stream.begin() + k, stream.end()));
      EXPECT_EQ(s2.transaction().client.software_version, "Term_1") << term << k;
      EXPECT_TRUE(s2.transaction().client.kexinit_parsed) << k;
      EXPECT_EQ(s2.transaction().event_count, 0);
    }
  }
}

TEST(SshEvents, InvalidBanner) {
  SshState st;
  EXPECT_EQ(feed(st, kTs, bytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n")), ParseResult::kError);
  EXPECT_TRUE(has_event(st.transaction(), kEventInvalidBanner));
  EXPECT_TRUE(st.transaction().complete[0]);
  // The direction stays stopped.
  EXPECT_EQ(feed(st, kTs, bytes("SSH-2.0-late\r\n")), ParseResult::kError);
  EXPECT_TRUE(st.transaction().client.proto_version.empty());

  SshState st2;
  EXPECT_EQ(feed(st2, kTs, bytes("SSH-2.0\r\n")), ParseResult::kError);
  EXPECT_TRUE(has_event(st2.transaction(), kEventInvalidBanner));
}

TEST(SshEvents, ServerLinesBeforeTheBanner) {
  SshState st;
  EXPECT_EQ(feed(st, kTc, concat({bytes("Welcome to the router\r\nAuthorised use only\r\n"
                                        "SSH-2.0-ROSSSH\r\n"),
                                  record(kMsgKexInit, kexinit_payload(server_lists()))}),
                 1),
            ParseResult::kOk);
  EXPECT_EQ(st.transaction().server.proto_version, "2.0");
  EXPECT_EQ(st.transaction().server.software_version, "ROSSSH");
  EXPECT_TRUE(st.transaction().server.kexinit_parsed);
  EXPECT_EQ(st.transaction().event_count, 0);

  // Many short lines (a login banner of ASCII art) are fine too.
  SshState art;
  std::string picture;
  for (int i = 0; i < 40; ++i) picture += "   \\      (oo)\\_______\n";
  EXPECT_EQ(feed(art, kTc, bytes(picture + "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u5\r\n"), 5),
            ParseResult::kOk);
  EXPECT_EQ(art.transaction().server.software_version, "OpenSSH_9.2p1");

  // Not from the client, and not without bound.
  SshState client;
  EXPECT_EQ(feed(client, kTs, bytes("hello\r\nSSH-2.0-x\r\n")), ParseResult::kError);
  EXPECT_TRUE(has_event(client.transaction(), kEventInvalidBanner));
  SshState many;
  std::string lines;
  while (lines.size() <= 2 * kMaxPreBannerBytes) lines += "a line of text before the banner\r\n";
  EXPECT_EQ(feed(many, kTc, bytes(lines + "SSH-2.0-x\r\n")), ParseResult::kError);
  EXPECT_TRUE(has_event(many.transaction(), kEventInvalidBanner));
}

TEST(SshEvents, LongBannerWithEndOfLine) {
  const std::string software(300, 'A');
  const auto stream = concat({bytes("SSH-2.0-" + software + "\r\n"),
                              record(kMsgKexInit, kexinit_payload(client_lists()))});
  for (size_t chunk : {size_t{0}, size_t{1}, size_t{100}}) {
    SshState st;
    EXPECT_EQ(feed(st, kTs, stream, chunk), ParseResult::kOk);
    const SshTransaction& tx = st.transaction();
    EXPECT_TRUE(has_event(tx, kEventLongBanner)) << chunk;
    EXPECT_EQ(tx.client.proto_version, "2.0");
    // Bounded: what fits in kMaxBannerLen.
    EXPECT_EQ(tx.client.software_version, software.substr(0, kMaxBannerLen - 8));
    EXPECT_TRUE(tx.client.kexinit_parsed) << chunk;  // back in step after the line
  }
}

TEST(SshEvents, LongGarbageWithoutEndOfLineIsInvalid) {
  SshState st;
  EXPECT_EQ(feed(st, kTs, std::vector<uint8_t>(1000, 'x')), ParseResult::kError);
  EXPECT_TRUE(has_event(st.transaction(), kEventInvalidBanner));
}

TEST(SshEvents, InvalidRecord) {
  for (uint32_t len : {0u, 1u, 0x7fffffffu}) {
    SshState st;
    std::vector<uint8_t> hdr;
    put_u32(hdr, len);
    hdr.push_back(4);
    hdr.push_back(kMsgKexInit);
    EXPECT_EQ(feed(st, kTs, concat({bytes("SSH-2.0-x\r\n"), hdr})), ParseResult::kError) << len;
    EXPECT_TRUE(has_event(st.transaction(), kEventInvalidRecord)) << len;
  }
}

TEST(SshEvents, LongKexRecordIsSkippedAndParsingGoesOn) {
  SshState st;
  std::vector<uint8_t> payload = kexinit_payload(client_lists());
  payload.resize(kMaxKexRecordLen + 10, 0);
  feed(st, kTs, concat({bytes("SSH-2.0-x\r\n"), record(kMsgKexInit, payload),
                        record(kMsgNewKeys, {})}),
       4096);
  const SshTransaction& tx = st.transaction();
  EXPECT_TRUE(has_event(tx, kEventLongKexRecord));
  EXPECT_TRUE(tx.client.kexinit_seen);
  EXPECT_FALSE(tx.client.kexinit_parsed);
  EXPECT_TRUE(tx.client.hassh.empty());
  EXPECT_TRUE(tx.client.newkeys_seen);  // the next record was found
  EXPECT_TRUE(tx.complete[0]);
}

TEST(SshState, TruncatedKexInitGivesNoFingerprint) {
  SshState st;
  std::vector<uint8_t> payload(20, 0xff);  // list length 0xffffffff
  feed(st, kTs, concat({bytes("SSH-2.0-x\r\n"), record(kMsgKexInit, payload)}));
  EXPECT_TRUE(st.transaction().client.kexinit_seen);
  EXPECT_FALSE(st.transaction().client.kexinit_parsed);
  EXPECT_TRUE(st.transaction().client.hassh.empty());
  EXPECT_TRUE(st.transaction().complete[0]);
  EXPECT_EQ(st.transaction().event_count, 0);
}

TEST(SshState, Ssh1PacketsAreNotReadAsSsh2) {
  // An SSH-1 client and a 1.99 server: after the banners, SSH-1 packets.
  SshState st;
  const std::vector<uint8_t> v1_packet = {0, 0, 0, 0x1c, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  feed(st, kTc, bytes("SSH-1.99-OpenSSH_6.6.1p1 Ubuntu-2ubuntu2\n"));
  feed(st, kTs, concat({bytes("SSH-1.5-OpenSSH_6.2\n"), v1_packet}));
  feed(st, kTc, v1_packet);
  const SshTransaction& tx = st.transaction();
  EXPECT_EQ(tx.client.proto_version, "1.5");
  EXPECT_EQ(tx.server.proto_version, "1.99");
  EXPECT_TRUE(tx.complete[0]);
  EXPECT_TRUE(tx.complete[1]);
  EXPECT_EQ(tx.event_count, 0);
}

TEST(SshState, GapInsideASkippedRecordKeepsStep) {
  SshState st;
  feed(st, kTs, bytes("SSH-2.0-x\r\n"));
  const auto big = record(30, std::vector<uint8_t>(500, 1));
  feed(st, kTs, std::vector<uint8_t>(big.begin(), big.begin() + 100));
  EXPECT_TRUE(st.gap(kTs, 300));
  feed(st, kTs, concat({std::vector<uint8_t>(big.begin() + 400, big.end()),
                        record(kMsgKexInit, kexinit_payload(client_lists()))}));
  EXPECT_TRUE(st.transaction().client.kexinit_parsed);
  // A gap where a header is expected cannot be resynchronised.
  SshState st2;
  feed(st2, kTs, bytes("SSH-2.0-x\r\n"));
  EXPECT_FALSE(st2.gap(kTs, 10));
  EXPECT_TRUE(st2.transaction().complete[0]);
}

TEST(SshState, OneTransactionRemovedWhenDone) {
  SshState st;
  feed(st, kTs, client_stream());
  ASSERT_EQ(st.tx_count(), 1u);
  Transaction* tx = st.tx_at(0);
  ASSERT_NE(tx, nullptr);
  EXPECT_EQ(tx->id, 0u);
  EXPECT_EQ(st.tx_at(1), nullptr);
  st.remove_done();
  EXPECT_EQ(st.tx_count(), 1u);
  tx->logged = true;
  tx->inspected = {true, true};
  st.remove_done();
  EXPECT_EQ(st.tx_count(), 0u);
  EXPECT_EQ(st.tx_at(0), nullptr);
}

TEST(SshProbe, SshDashAtTheStartOfEitherDirection) {
  auto probe = [](std::string_view s, Direction d) {
    return probe_ssh(d, ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
  };
  for (Direction d : {kTs, kTc}) {
    EXPECT_EQ(probe("SSH-2.0-OpenSSH_9.6\r\n", d), ProbeResult::kYes);
    EXPECT_EQ(probe("ssh-", d), ProbeResult::kYes);  // Suricata's pattern is caseless
    EXPECT_EQ(probe("SS", d), ProbeResult::kNeedMore);
    EXPECT_EQ(probe("", d), ProbeResult::kNeedMore);
    EXPECT_EQ(probe("GET / HTTP/1.1", d), ProbeResult::kNo);
    EXPECT_EQ(probe("SSX-", d), ProbeResult::kNo);
    EXPECT_EQ(probe(" SSH-2.0", d), ProbeResult::kNo);
  }
}

TEST(SshProtocol, Registered) {
  const AppProto id = find_app_proto("ssh");
  ASSERT_NE(id, kAppProtoUnknown);
  EXPECT_EQ(ssh_app_proto(), id);
  const ProtocolDescriptor* d = protocol_descriptor(id);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->name, "ssh");
  EXPECT_TRUE(d->tcp);
  EXPECT_FALSE(d->udp);
  EXPECT_EQ(d->ports, std::vector<uint16_t>{22});
  EXPECT_EQ(d->eve_type, "ssh");
  EXPECT_NE(d->log, nullptr);
  EXPECT_FALSE(d->log_per_direction);
  ASSERT_NE(d->probe, nullptr);
  // SSH on another port is found by the probe alone.
  const std::string banner = "SSH-2.0-dropbear_2022.83\r\n";
  EXPECT_EQ(d->probe(kTc, ByteView(reinterpret_cast<const uint8_t*>(banner.data()), 4)),
            ProbeResult::kYes);
  auto state = d->create();
  ASSERT_NE(state, nullptr);
  ASSERT_NE(dynamic_cast<SshState*>(state.get()), nullptr);
  ParseContext ctx;
  EXPECT_EQ(state->parse(kTc, ByteView(reinterpret_cast<const uint8_t*>(banner.data()),
                                       banner.size()),
                         ctx),
            ParseResult::kOk);
  EXPECT_EQ(static_cast<SshState*>(state.get())->transaction().server.software_version,
            "dropbear_2022.83");
}

}  // namespace
}  // namespace seawall::applayer::ssh
