// Packet headers, probe and the per-flow state: RFC 9001/9369 Appendix A
// packets end to end (decrypt -> CRYPTO -> ClientHello/ServerHello), CRYPTO
// reassembly across packets and datagrams, coalesced packets, Retry and
// Version Negotiation, app-layer events, and gQUIC CHLO (CYU values published
// by Salesforce, also used by Suricata's own tests).
#include "applayer/quic/quic_parser.h"

#include <gtest/gtest.h>

#include <random>

#include "quic_test_util.h"

namespace seawall::quic {

extern const char kV1ClientInitial[];
extern const char kV1ServerInitial[];
extern const char kV2ClientInitial[];
extern const char kV2ServerInitial[];

namespace {

using applayer::Direction;
using applayer::ProbeResult;
using test::Bytes;
using test::Datagram;
using test::feed;
using test::find_tx;
using test::has_event;
using test::hex;
using test::view;

const Bytes kDcid = hex("8394c8f03e515708");

// The TLS handshake message of RFC 9001 A.2's CRYPTO frame (type 1, 237-byte body).
Bytes rfc_client_hello() {
  const Bytes frame = hex(
      "060040f1010000ed0303ebf8fa56f12939b9584a3896472ec40bb863cfd3e868"
      "04fe3a47f06a2b69484c00000413011302010000c000000010000e00000b6578"
      "616d706c652e636f6dff01000100000a00080006001d00170018001000070005"
      "04616c706e000500050100000000003300260024001d00209370b2c9caa47fba"
      "baf4559fedba753de171fa71f50f1ce15d43e994ec74d748002b000302030400"
      "0d0010000e0403050306030203080408050806002d00020101001c0002400100"
      "3900320408ffffffffffffffff05048000ffff07048000ffff08011001048000"
      "75300901100f088394c8f03e51570806048000ffff");
  return Bytes(frame.begin() + 4, frame.end());
}

// Values worked out by hand from the RFC 9001 A.2 ClientHello bytes:
// TLS 1.2 legacy version 0x0303, ciphers 1301 1302, extensions in order
// 0 ff01 000a 0010 0005 0033 002b 000d 002d 001c 0039, groups 1d 17 18,
// no ec_point_formats; JA4 per the FoxIO spec (q, TLS 1.3, SNI, 2 ciphers,
// 11 extensions, ALPN "alpn" -> "an", truncated SHA-256 of the sorted lists).
constexpr char kRfcJa3[] = "771,4865-4866,0-65281-10-16-5-51-43-13-45-28-57,29-23-24,";
constexpr char kRfcJa3Hash[] = "41bc9ae914d6cb3bd0bd0a5453ab7d7f";  // md5 of kRfcJa3
constexpr char kRfcJa4[] = "q13d0211an_62ed6f6ca7ad_4d634acda6c0";
// The A.3 ServerHello: 0x0303, cipher 1301, extensions key_share, supported_versions.
constexpr char kRfcJa3s[] = "771,4865,51-43";

TEST(QuicHeader, ParsesRfcClientInitial) {
  const Bytes packet = hex(kV1ClientInitial);
  PacketHeader h;
  ASSERT_TRUE(parse_packet_header(view(packet), h));
  EXPECT_TRUE(h.long_header);
  EXPECT_EQ(h.type, PacketType::kInitial);
  EXPECT_EQ(h.version, kVersion1);
  EXPECT_EQ(test::to_hex(h.dcid), "8394c8f03e515708");
  EXPECT_TRUE(h.scid.empty());
  EXPECT_TRUE(h.token.empty());
  EXPECT_EQ(h.pn_offset, 18u);
  EXPECT_EQ(h.packet_len, 1200u);
}

TEST(QuicHeader, V2TypeBitsArePermuted) {
  PacketHeader h;
  const Bytes client = hex(kV2ClientInitial);
  ASSERT_TRUE(parse_packet_header(view(client), h));
  EXPECT_EQ(h.type, PacketType::kInitial);  // type bits 01 in v2
  EXPECT_EQ(h.version, kVersion2);
  const Bytes server = hex(kV2ServerInitial);
  ASSERT_TRUE(parse_packet_header(view(server), h));
  EXPECT_EQ(h.type, PacketType::kInitial);
  EXPECT_EQ(test::to_hex(h.scid), "f067a5502a4262b5");
}

TEST(QuicHeader, RejectsTruncatedAndOversized) {
  const Bytes packet = hex(kV1ClientInitial);
  PacketHeader h;
  for (size_t len : {0, 1, 4, 5, 6, 14, 17}) {
    EXPECT_FALSE(parse_packet_header(view(packet).subspan(0, len), h)) << len;
  }
  // Length field larger than the datagram.
  EXPECT_FALSE(parse_packet_header(view(packet).subspan(0, 1199), h));
  // A v1 connection id longer than 20 bytes.
  Bytes bad = packet;
  bad[5] = 21;
  EXPECT_FALSE(parse_packet_header(view(bad), h));
}

TEST(QuicHeader, VersionStrings) {
  char buf[12];
  auto str = [&](uint32_t v) { return std::string(buf, version_string(v, buf)); };
  EXPECT_EQ(str(kVersion1), "1");
  EXPECT_EQ(str(kVersion2), "6b3343cf");
  EXPECT_EQ(str(kVersionDraft29), "ff00001d");
  EXPECT_EQ(str(0), "0");
  EXPECT_EQ(str(0x51303433), "Q043");
  EXPECT_EQ(str(0x51303436), "Q046");
  EXPECT_EQ(str(0x51303530), "51303530");  // Q050 is printed in hex, as Suricata does
}

TEST(QuicProbe, AcceptsKnownLongHeaders) {
  EXPECT_EQ(probe(Direction::kToServer, view(hex(kV1ClientInitial))), ProbeResult::kYes);
  EXPECT_EQ(probe(Direction::kToServer, view(hex(kV2ClientInitial))), ProbeResult::kYes);
  EXPECT_EQ(probe(Direction::kToClient, view(hex(kV1ServerInitial))), ProbeResult::kYes);
  test::InitialSpec draft;
  draft.version = kVersionDraft29;
  draft.dcid = kDcid;
  EXPECT_EQ(probe(Direction::kToServer, view(test::build_initial(draft, {0x01}))),
            ProbeResult::kYes);
  // Version negotiation: version 0, DCID, SCID, supported versions.
  const Bytes vn = hex("80 00000000 08 0102030405060708 08 1112131415161718 00000001 6b3343cf");
  EXPECT_EQ(probe(Direction::kToClient, view(vn)), ProbeResult::kYes);
}

TEST(QuicProbe, RejectsOtherTraffic) {
  Bytes unknown = hex(kV1ClientInitial);
  store_be32(unknown.data() + 1, 0x1a2a3a4a);  // unknown version
  EXPECT_EQ(probe(Direction::kToServer, view(unknown)), ProbeResult::kNo);
  Bytes no_fixed_bit = hex(kV1ClientInitial);
  no_fixed_bit[0] &= 0xbf;
  EXPECT_EQ(probe(Direction::kToServer, view(no_fixed_bit)), ProbeResult::kNo);
  // 1-RTT short header, a DNS query, too short.
  EXPECT_EQ(probe(Direction::kToServer, view(hex("4f0102030405060708090a0b0c0d0e0f"))),
            ProbeResult::kNo);
  EXPECT_EQ(probe(Direction::kToServer,
                  view(hex("abcd01000001000000000000076578616d706c6503636f6d0000010001"))),
            ProbeResult::kNo);
  EXPECT_EQ(probe(Direction::kToServer, view(hex("c0000000"))), ProbeResult::kNo);
  // VN whose version list is not a multiple of 4 bytes.
  EXPECT_EQ(probe(Direction::kToClient, view(hex("80 00000000 00 00 000001"))), ProbeResult::kNo);
}

void expect_rfc_client_tx(const QuicTx& tx, uint32_t version) {
  EXPECT_TRUE(tx.complete[0]);
  EXPECT_TRUE(tx.complete[1]);
  EXPECT_EQ(tx.event_count, 0) << tx.events[0];
  EXPECT_TRUE(tx.has_version);
  EXPECT_EQ(tx.version, version);
  EXPECT_EQ(tx.sni, "example.com");
  EXPECT_EQ(tx.ja3, kRfcJa3);
  EXPECT_EQ(tx.ja3_hash, kRfcJa3Hash);
  EXPECT_EQ(tx.ja4, kRfcJa4);
  std::vector<uint16_t> types;
  for (const auto& e : tx.extensions) types.push_back(e.type);
  EXPECT_EQ(types, (std::vector<uint16_t>{0, 65281, 10, 16, 5, 51, 43, 13, 45, 28, 57}));
  ASSERT_EQ(tx.extensions.size(), 11u);
  EXPECT_EQ(tx.extensions[0].values, std::vector<std::string>{"example.com"});
  EXPECT_EQ(tx.extensions[3].values, std::vector<std::string>{"alpn"});
  EXPECT_TRUE(tx.extensions[1].values.empty());
}

void expect_rfc_server_tx(const QuicTx& tx, uint32_t version) {
  EXPECT_TRUE(tx.complete[0] && tx.complete[1]);
  EXPECT_EQ(tx.event_count, 0) << tx.events[0];
  EXPECT_EQ(tx.version, version);
  EXPECT_EQ(tx.ja3, kRfcJa3s);
  EXPECT_TRUE(tx.ja4.empty());
  EXPECT_TRUE(tx.sni.empty());
  ASSERT_EQ(tx.extensions.size(), 2u);
  EXPECT_EQ(tx.extensions[0].type, 51);
  EXPECT_EQ(tx.extensions[1].type, 43);
}

TEST(QuicState, Rfc9001ClientAndServerInitials) {
  auto state = feed({{true, hex(kV1ClientInitial)}, {false, hex(kV1ServerInitial)}});
  ASSERT_EQ(state->tx_count(), 2u);
  const QuicTx* client = find_tx(*state, Direction::kToServer);
  const QuicTx* server = find_tx(*state, Direction::kToClient);
  ASSERT_NE(client, nullptr);
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(client->id, 0u);
  EXPECT_EQ(server->id, 1u);
  expect_rfc_client_tx(*client, kVersion1);
  expect_rfc_server_tx(*server, kVersion1);
  EXPECT_TRUE(state->no_more_inspection());
}

TEST(QuicState, Rfc9369ClientAndServerInitials) {
  auto state = feed({{true, hex(kV2ClientInitial)}, {false, hex(kV2ServerInitial)}});
  ASSERT_EQ(state->tx_count(), 2u);
  expect_rfc_client_tx(*find_tx(*state, Direction::kToServer), kVersion2);
  expect_rfc_server_tx(*find_tx(*state, Direction::kToClient), kVersion2);
}

TEST(QuicState, ServerInitialWithoutClientIsNotDecrypted) {
  // Midstream: no client DCID, no keys. The version is still recorded.
  auto state = feed({{false, hex(kV1ServerInitial)}});
  ASSERT_EQ(state->tx_count(), 1u);
  const QuicTx& tx = *state->tx(0);
  EXPECT_EQ(tx.version, kVersion1);
  EXPECT_TRUE(tx.ja3.empty());
  EXPECT_EQ(tx.event_count, 0);
  EXPECT_FALSE(tx.complete[0]);
  state->end_of_stream(Direction::kToClient);
  EXPECT_TRUE(tx.complete[0] && tx.complete[1]);
}

// The ClientHello in two CRYPTO frames, in two datagrams, the second half first.
TEST(QuicState, CryptoReassembledAcrossDatagramsOutOfOrder) {
  const Bytes hello = rfc_client_hello();
  test::InitialSpec spec;
  spec.dcid = kDcid;
  spec.scid = hex("c0ffee00");
  spec.pn = 0;
  const Bytes late = test::build_initial(spec, test::crypto_frame(100, view(hello).subspan(100)));
  spec.pn = 1;
  const Bytes early =
      test::build_initial(spec, test::crypto_frame(0, view(hello).subspan(0, 100)));
  auto state = std::make_unique<QuicState>();
  state->parse(Direction::kToServer, view(late), {});
  ASSERT_EQ(state->tx_count(), 1u);
  EXPECT_FALSE(state->tx(0)->complete[0]);
  EXPECT_TRUE(state->tx(0)->sni.empty());
  state->parse(Direction::kToServer, view(early), {});
  ASSERT_EQ(state->tx_count(), 1u);
  expect_rfc_client_tx(*state->tx(0), kVersion1);
}

// Two client Initials coalesced in one datagram (RFC 9000 12.2), each with
// part of the ClientHello; the first one is not padded.
TEST(QuicState, CoalescedPacketsInOneDatagram) {
  const Bytes hello = rfc_client_hello();
  test::InitialSpec spec;
  spec.dcid = kDcid;
  spec.pad_to = 0;
  spec.pn = 0;
  Bytes datagram =
      test::build_initial(spec, test::crypto_frame(0, view(hello).subspan(0, 60)));
  spec.pn = 1;
  spec.pad_to = 1200 - datagram.size();
  test::append(datagram, view(test::build_initial(
                             spec, test::crypto_frame(60, view(hello).subspan(60)))));
  auto state = feed({{true, datagram}});
  ASSERT_EQ(state->tx_count(), 1u);
  expect_rfc_client_tx(*state->tx(0), kVersion1);
}

// Server Initial + Handshake coalesced; trailing zero padding is ignored.
TEST(QuicState, ServerInitialCoalescedWithHandshake) {
  Bytes datagram = hex(kV1ServerInitial);
  // A Handshake packet (type 2): its payload cannot be opened, only skipped.
  test::append(datagram, view(hex("e0 00000001 00 08 f067a5502a4262b5 14 "
                                  "00112233445566778899aabbccddeeff00112233")));
  datagram.resize(datagram.size() + 30, 0);
  auto state = feed({{true, hex(kV1ClientInitial)}, {false, datagram}});
  ASSERT_EQ(state->tx_count(), 2u);
  expect_rfc_server_tx(*find_tx(*state, Direction::kToClient), kVersion1);
}

// Later client Initials use the server's SCID as DCID, but stay keyed on the
// original DCID.
TEST(QuicState, ClientKeysStayOnOriginalDcid) {
  const Bytes hello = rfc_client_hello();
  test::InitialSpec spec;
  spec.dcid = kDcid;
  spec.pn = 0;
  const Bytes first = test::build_initial(spec, test::crypto_frame(0, view(hello).subspan(0, 80)));
  spec.dcid = hex("f067a5502a4262b5");  // server's SCID from the A.3 packet
  spec.key_dcid = kDcid;
  spec.pn = 1;
  const Bytes second =
      test::build_initial(spec, test::crypto_frame(80, view(hello).subspan(80)));
  auto state = feed({{true, first}, {false, hex(kV1ServerInitial)}, {true, second}});
  const QuicTx* client = find_tx(*state, Direction::kToServer);
  ASSERT_NE(client, nullptr);
  expect_rfc_client_tx(*client, kVersion1);
  expect_rfc_server_tx(*find_tx(*state, Direction::kToClient), kVersion1);
}

// After a Retry the client's next Initial (to the Retry's SCID) sets new keys
// and carries a new ClientHello: a second client transaction.
TEST(QuicState, RetryRekeysOnNewDcid) {
  const Bytes hello = rfc_client_hello();
  test::InitialSpec spec;
  spec.dcid = kDcid;
  const Bytes initial1 = test::build_initial(spec, test::crypto_frame(0, view(hello)));
  const Bytes new_dcid = hex("aabbccddeeff0011");
  // Retry: type 3, DCID = client's SCID (empty), SCID = new_dcid, token, tag.
  Bytes retry = hex("f0 00000001 00 08");
  test::append(retry, view(new_dcid));
  test::append(retry, view(hex("746f6b656e 000102030405060708090a0b0c0d0e0f")));
  spec.dcid = new_dcid;
  spec.token = hex("746f6b656e");
  spec.pn = 1;
  const Bytes initial2 = test::build_initial(spec, test::crypto_frame(0, view(hello)));
  auto state = feed({{true, initial1}, {false, retry}, {true, initial2}});
  ASSERT_EQ(state->tx_count(), 3u);
  expect_rfc_client_tx(*state->tx(0), kVersion1);
  EXPECT_EQ(state->tx(1)->dir, Direction::kToClient);
  EXPECT_TRUE(state->tx(1)->complete[0]);
  EXPECT_EQ(state->tx(1)->version, kVersion1);
  expect_rfc_client_tx(*state->tx(2), kVersion1);
}

TEST(QuicState, VersionNegotiationTransaction) {
  const Bytes vn = hex("80 00000000 00 08 8394c8f03e515708 6b3343cf 00000001");
  auto state = feed({{false, vn}});
  ASSERT_EQ(state->tx_count(), 1u);
  EXPECT_TRUE(state->tx(0)->has_version);
  EXPECT_EQ(state->tx(0)->version, 0u);
  EXPECT_TRUE(state->tx(0)->complete[1]);
}

TEST(QuicEvents, FailedDecrypt) {
  Bytes packet = hex(kV1ClientInitial);
  packet[600] ^= 0x40;
  auto state = feed({{true, packet}});
  ASSERT_GE(state->tx_count(), 1u);
  EXPECT_TRUE(has_event(*state->tx(0), "failed_decrypt"));
  EXPECT_TRUE(state->tx(0)->sni.empty());
}

TEST(QuicEvents, ErrorOnDataForFramesNotAllowedInInitial) {
  test::InitialSpec spec;
  spec.dcid = kDcid;
  // A STREAM frame (0x08) in an Initial packet.
  const Bytes packet = test::build_initial(spec, hex("08 00 04 61626364"));
  auto state = feed({{true, packet}});
  ASSERT_GE(state->tx_count(), 1u);
  EXPECT_TRUE(has_event(*state->tx(0), "error_on_data"));
}

TEST(QuicEvents, CryptoFragmentBeyondLimit) {
  test::InitialSpec spec;
  spec.dcid = kDcid;
  const Bytes packet = test::build_initial(spec, test::crypto_frame(70000, view(hex("01020304"))));
  auto state = feed({{true, packet}});
  ASSERT_GE(state->tx_count(), 1u);
  EXPECT_TRUE(has_event(*state->tx(0), "crypto_frag_too_long"));
  EXPECT_TRUE(state->tx(0)->complete[0]);
}

TEST(QuicEvents, HandshakeMessageLongerThanLimit) {
  test::InitialSpec spec;
  spec.dcid = kDcid;
  // ClientHello header announcing 0x020000 bytes (> 64 KiB).
  const Bytes packet = test::build_initial(spec, test::crypto_frame(0, view(hex("01020000 0303"))));
  auto state = feed({{true, packet}});
  ASSERT_GE(state->tx_count(), 1u);
  EXPECT_TRUE(has_event(*state->tx(0), "crypto_frag_too_long"));
}

TEST(QuicEvents, ErrorOnHeader) {
  // A long header cut inside its DCID.
  auto state = feed({{true, hex("c000000001088394")}});
  ASSERT_EQ(state->tx_count(), 1u);
  EXPECT_TRUE(has_event(*state->tx(0), "error_on_header"));
}

// --- Google QUIC -----------------------------------------------------------

Bytes tag_bytes(const char* name) {
  Bytes t(4, 0);
  for (size_t i = 0; i < 4 && name[i] != '\0'; ++i) t[i] = static_cast<uint8_t>(name[i]);
  return t;
}

// A CHLO message: tag entries with cumulative little-endian end offsets.
Bytes chlo(const std::vector<std::pair<const char*, std::string>>& tags) {
  Bytes m = tag_bytes("CHLO");
  m.push_back(static_cast<uint8_t>(tags.size()));
  m.push_back(static_cast<uint8_t>(tags.size() >> 8));
  m.push_back(0);
  m.push_back(0);
  uint32_t end = 0;
  for (const auto& [name, value] : tags) {
    test::append(m, view(tag_bytes(name)));
    end += static_cast<uint32_t>(value.size());
    for (int i = 0; i < 4; ++i) m.push_back(static_cast<uint8_t>(end >> (8 * i)));
  }
  for (const auto& [name, value] : tags) m.insert(m.end(), value.begin(), value.end());
  return m;
}

Bytes stream_frame(const Bytes& data) {
  // 1fdooo ss = 1 0 1 000 00: data length present, no offset, 1-byte stream id 1.
  Bytes f{0xa0, 0x01, static_cast<uint8_t>(data.size() >> 8), static_cast<uint8_t>(data.size())};
  test::append(f, view(data));
  return f;
}

TEST(QuicGquic, Q043ChloSniUaAndCyu) {
  const Bytes msg = chlo({{"PAD", std::string(20, '-')},
                          {"SNI", "www.example.org"},
                          {"VER", "Q043"},
                          {"CCS", "01234567"},
                          {"PDMD", "X509"},
                          {"ICSL", "abcd"},
                          {"MIDS", "dcba"},
                          {"CFCW", "0000"},
                          {"SFCW", "1111"}});
  // Public header: flags 0x09 (version, 8-byte CID, 1-byte packet number).
  Bytes packet = hex("09 0102030405060708");
  test::append(packet, view(tag_bytes("Q043")));
  packet.push_back(0x01);
  packet.resize(packet.size() + 12, 0xaa);  // message authentication hash
  test::append(packet, view(stream_frame(msg)));
  packet.resize(1350, 0);

  EXPECT_EQ(probe(Direction::kToServer, view(packet)), ProbeResult::kYes);
  auto state = feed({{true, packet}});
  ASSERT_EQ(state->tx_count(), 1u);
  const QuicTx& tx = *state->tx(0);
  EXPECT_TRUE(tx.complete[0]);
  char buf[12];
  EXPECT_EQ(std::string(buf, version_string(tx.version, buf)), "Q043");
  EXPECT_EQ(tx.sni, "www.example.org");
  EXPECT_TRUE(tx.ua.empty());
  ASSERT_EQ(tx.cyu.size(), 1u);
  EXPECT_EQ(tx.cyu[0].string, "43,PAD-SNI-VER-CCS-PDMD-ICSL-MIDS-CFCW-SFCW");
  EXPECT_EQ(tx.cyu[0].hash, "e030dea1f2eea44ac7db5fe4de792acd");
}

TEST(QuicGquic, Q046LongHeaderChlo) {
  std::vector<std::pair<const char*, std::string>> tags;
  for (const char* t : {"PAD", "SNI", "STK", "VER", "CCS", "NONC", "AEAD", "UAID", "SCID",
                        "TCID", "PDMD", "SMHL", "ICSL", "NONP", "PUBS", "MIDS", "SCLS", "KEXS",
                        "XLCT", "CSCT", "COPT", "CCRT", "IRTT", "CFCW", "SFCW"})
    tags.emplace_back(t, "v");
  tags[1].second = "quic.example.net";
  tags[7].second = "Chrome/79.0.3945.117 Windows NT 10.0; Win64; x64";
  // Long header: 0xc3, "Q046", CID lengths 0x50 (DCID 8), DCID, 4-byte pn, 12-byte hash.
  Bytes packet = hex("c3");
  test::append(packet, view(tag_bytes("Q046")));
  test::append(packet, view(hex("50 0102030405060708 00000001")));
  packet.resize(packet.size() + 12, 0xbb);
  test::append(packet, view(stream_frame(chlo(tags))));
  packet.resize(1350, 0);

  EXPECT_EQ(probe(Direction::kToServer, view(packet)), ProbeResult::kYes);
  auto state = feed({{true, packet}});
  ASSERT_EQ(state->tx_count(), 1u);
  const QuicTx& tx = *state->tx(0);
  EXPECT_EQ(tx.sni, "quic.example.net");
  EXPECT_EQ(tx.ua, "Chrome/79.0.3945.117 Windows NT 10.0; Win64; x64");
  ASSERT_EQ(tx.cyu.size(), 1u);
  EXPECT_EQ(tx.cyu[0].string,
            "46,PAD-SNI-STK-VER-CCS-NONC-AEAD-UAID-SCID-TCID-PDMD-SMHL-ICSL-NONP-PUBS-MIDS-"
            "SCLS-KEXS-XLCT-CSCT-COPT-CCRT-IRTT-CFCW-SFCW");
  EXPECT_EQ(tx.cyu[0].hash, "a46560d4548108cf99308319b3b85346");
}

TEST(QuicGquic, ChloWithDecreasingOffsetsIsRejected) {
  Bytes msg = chlo({{"SNI", "abc"}, {"UAID", "x"}});
  msg[8 + 8 + 4] = 1;  // second end offset (4) -> 1 < 3
  QuicTx tx;
  size_t consumed = 0;
  EXPECT_FALSE(parse_chlo(view(msg), 0x51303433, tx, consumed));
  EXPECT_TRUE(tx.sni.empty());
}

// --- lifecycle and robustness ---------------------------------------------

TEST(QuicState, RemoveDoneDropsFinishedTransactions) {
  auto state = feed({{true, hex(kV1ClientInitial)}, {false, hex(kV1ServerInitial)}});
  ASSERT_EQ(state->tx_count(), 2u);
  applayer::Transaction* tx = state->tx_at(0);
  tx->logged = true;
  tx->inspected = {true, true};
  state->remove_done();
  ASSERT_EQ(state->tx_count(), 1u);
  EXPECT_EQ(state->tx(0)->dir, Direction::kToClient);
}

TEST(QuicState, ShortHeaderDataIsSkipped) {
  auto state = feed({{true, hex(kV1ClientInitial)},
                     {true, hex("4f8394c8f03e515708aabbccddeeff00112233445566778899")}});
  EXPECT_EQ(state->tx_count(), 1u);
}

// Mutated RFC packets (and the same bytes split anywhere) never crash; the
// sanitizer build checks the reads.
TEST(QuicState, MutatedPacketsAreHandled) {
  std::mt19937 rng(1234);
  const Bytes base[] = {hex(kV1ClientInitial), hex(kV1ServerInitial), hex(kV2ClientInitial)};
  for (int round = 0; round < 1500; ++round) {
    Bytes p = base[round % 3];
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < flips; ++i) p[rng() % p.size()] = static_cast<uint8_t>(rng());
    if (round % 5 == 0) p.resize(rng() % p.size());
    QuicState state;
    state.parse(Direction::kToServer, view(p), {});
    state.parse(Direction::kToClient, view(p), {});
    state.end_of_stream(Direction::kToServer);
    state.end_of_stream(Direction::kToClient);
    for (size_t i = 0; i < state.tx_count(); ++i) EXPECT_TRUE(state.tx(i)->complete[0]);
  }
}

}  // namespace
}  // namespace seawall::quic
