// NSH, AYIYA, MPLS-over-UDP and GRE-over-UDP.
#include <gtest/gtest.h>

#include "decode/decoder.h"
#include "tunnel_test_util.h"

namespace seawall {
namespace {

using tunnel_test::Bytes;
using tunnel_test::ByteCases;
using tunnel_test::concat;
using tunnel_test::Harness;

// ---- NSH ----

// Suricata's valid_nsh_packet (decode-nsh.c unit tests): MD type 2, length
// 4 words, next protocol IPv4.
const Bytes kSuricataNsh = {
    0x00, 0x04, 0x02, 0x01, 0x00, 0x00, 0x02, 0x02, 0x45, 0x10, 0x00, 0x3c, 0x78, 0x8f,
    0x40, 0x00, 0x3f, 0x06, 0x79, 0x05, 0x0b, 0x06, 0x06, 0x06, 0x33, 0x06, 0x06, 0x06,
    0xbd, 0x2e, 0x00, 0x16, 0xc9, 0xee, 0x07, 0x62, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x02,
    0x16, 0xd0, 0x2f, 0x36, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a,
    0xa9, 0x5f, 0x7f, 0xed, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07};

Packet decode_nsh_bytes(Harness& h, const Bytes& b, size_t len) {
  Packet p;
  decode_nsh(h.ctx, p, b.data(), static_cast<uint32_t>(len), PacketSource::kVxlan);
  return p;
}

void expect_nsh_event(size_t byte, uint8_t value, size_t len, std::string_view name) {
  Harness h;
  Bytes b = kSuricataNsh;
  if (byte < b.size()) b[byte] = value;
  const Packet p = decode_nsh_bytes(h, b, len);
  EXPECT_FALSE(p.tunnel.present()) << name;
  ASSERT_EQ(p.event_count, 1) << name;
  EXPECT_EQ(decode_event_name(p.events[0]), name);
  EXPECT_EQ(h.counter("decoder.nsh"), 1u);
}

TEST(NshTunnel, SuricataEventVectors) {
  const size_t full = kSuricataNsh.size();
  constexpr size_t kNoChange = SIZE_MAX;
  expect_nsh_event(kNoChange, 0, 7, "nsh.header_too_small");
  expect_nsh_event(0, 0xFF, full, "nsh.unsupported_version");
  expect_nsh_event(kNoChange, 0, 8, "nsh.bad_header_length");  // no payload after header
  expect_nsh_event(2, 0x00, full, "nsh.reserved_type");
  expect_nsh_event(2, 0x01, full, "nsh.bad_header_length");  // MD type 1 needs 24 bytes
  expect_nsh_event(2, 0x03, full, "nsh.unsupported_type");
  expect_nsh_event(3, 0x99, full, "nsh.unknown_payload");
  expect_nsh_event(1, 0x01, full, "nsh.bad_header_length");  // shorter than the base header
}

TEST(NshTunnel, SuricataValidVector) {
  Harness h;
  const Packet p = decode_nsh_bytes(h, kSuricataNsh, kSuricataNsh.size());
  ASSERT_TRUE(p.tunnel.present());
  EXPECT_EQ(p.tunnel.data, kSuricataNsh.data() + 16);
  EXPECT_EQ(p.tunnel.len, kSuricataNsh.size() - 16);
  EXPECT_EQ(p.tunnel.kind, LayerKind::kIpv4);
  EXPECT_EQ(p.tunnel.source, PacketSource::kVxlan);
  EXPECT_EQ(p.event_count, 0);
}

// UDP payload of tcpdump's nsh-over-vxlan-gpe.pcap: VXLAN-GPE (next protocol
// NSH), NSH MD type 2 with two context TLVs (length 6 words), IPv4/UDP
// 192.168.0.1:10000 -> 192.168.0.2:20000 carrying "test".
const Bytes kNshOverGpe = {
    0x0c, 0x00, 0x00, 0x04, 0xff, 0xff, 0xff, 0x00, 0x30, 0x06, 0x02, 0x01, 0xff, 0xff, 0xff,
    0xff, 0x00, 0x01, 0x02, 0x01, 0x12, 0x34, 0x56, 0x78, 0x00, 0x02, 0x03, 0x01, 0x12, 0x34,
    0x56, 0x78, 0x45, 0x00, 0x00, 0x20, 0xd4, 0x31, 0x00, 0x00, 0xff, 0x11, 0x66, 0x47, 0xc0,
    0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0x02, 0x27, 0x10, 0x4e, 0x20, 0x00, 0x0c, 0x21, 0x78,
    0x74, 0x65, 0x73, 0x74};

TEST(NshTunnel, OverVxlanGpeFromTcpdumpCapture) {
  Harness h;
  Packet p = tunnel_test::udp_packet(4790, 4790);
  ASSERT_TRUE(decode_udp_tunnel(h.ctx, p, kNshOverGpe.data(),
                                static_cast<uint32_t>(kNshOverGpe.size())));
  ASSERT_TRUE(p.tunnel.present());
  EXPECT_EQ(p.tunnel.data, kNshOverGpe.data() + 8 + 24);
  EXPECT_EQ(p.tunnel.len, 32u);
  EXPECT_EQ(p.tunnel.kind, LayerKind::kIpv4);
  EXPECT_EQ(p.tunnel.source, PacketSource::kVxlan);
  EXPECT_EQ(h.counter("decoder.vxlan"), 1u);
  EXPECT_EQ(h.counter("decoder.nsh"), 1u);
}

TEST(NshTunnel, OverVxlanGpeEndToEnd) {
  Harness h;
  const Bytes frame = concat({tunnel_test::ethernet_header(0x0800),
                              tunnel_test::ipv4_header(17, 8 + kNshOverGpe.size()),
                              tunnel_test::udp_header(4790, 4790, kNshOverGpe.size()),
                              kNshOverGpe});
  std::vector<Packet> chain;
  ASSERT_EQ(tunnel_test::decode_chain(h, frame, chain), 2u);
  EXPECT_EQ(chain[1].src.to_string(), "192.168.0.1");
  EXPECT_EQ(chain[1].dst.to_string(), "192.168.0.2");
  EXPECT_EQ(chain[1].sport, 10000);
  EXPECT_EQ(chain[1].dport, 20000);
}

// ---- AYIYA ----

// Header of the first packet of Zeek's ayiya3.pcap: identity length 2^4,
// integer identity; signature 5 words, SHA-1; shared secret, forward; next
// header IPv6; epoch; identity; signature.
const Bytes kAyiyaHeader = {
    0x41, 0x52, 0x11, 0x29, 0x4a, 0xf6, 0x4b, 0xfd, 0x20, 0x01, 0x49, 0x78, 0x00, 0x0f,
    0x00, 0x4c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xe1, 0xcb, 0xc3, 0x0d,
    0x88, 0xbd, 0x05, 0x2a, 0xd9, 0x21, 0xd3, 0x21, 0xf0, 0xc3, 0x97, 0xee, 0x84, 0x92,
    0xac, 0xf5};

TEST(AyiyaTunnel, ForwardsIpv6) {
  for (const uint8_t outer_version : {4, 6}) {
    Harness h;
    const Bytes inner = tunnel_test::ipv6_udp_packet();
    const Bytes payload = concat({kAyiyaHeader, inner});
    Packet p = tunnel_test::udp_packet(5072, 53796, outer_version);
    ASSERT_TRUE(decode_udp_tunnel(h.ctx, p, payload.data(),
                                  static_cast<uint32_t>(payload.size())));
    ASSERT_TRUE(p.tunnel.present());
    EXPECT_EQ(p.tunnel.data, payload.data() + 44);
    EXPECT_EQ(p.tunnel.len, inner.size());
    EXPECT_EQ(p.tunnel.kind, LayerKind::kIpv6);
    EXPECT_EQ(p.tunnel.source,
              outer_version == 6 ? PacketSource::kIpv6Tunnel : PacketSource::kIpv4Tunnel);
    EXPECT_EQ(h.counter("decoder.ayiya"), 1u);
  }
}

TEST(AyiyaTunnel, ForwardsIpv4) {
  Harness h;
  Bytes header = kAyiyaHeader;
  header[3] = 4;
  const Bytes payload = concat({header, tunnel_test::ipv4_udp_packet()});
  Packet p = tunnel_test::udp_packet(40000, 5072);
  ASSERT_TRUE(decode_ayiya(h.ctx, p, payload.data(), static_cast<uint32_t>(payload.size())));
  EXPECT_EQ(p.tunnel.kind, LayerKind::kIpv4);
  EXPECT_EQ(p.tunnel.data, payload.data() + 44);
}

TEST(AyiyaTunnel, NonForwardAndMismatchedPayloads) {
  Harness h;
  Bytes heartbeat = kAyiyaHeader;
  heartbeat[2] = 0x10;  // opcode 0: no operation (heartbeat)
  Bytes v4_announced = concat({kAyiyaHeader, tunnel_test::ipv4_udp_packet()});
  v4_announced[3] = 41;  // says IPv6, carries IPv4
  for (const Bytes* b : ByteCases{&heartbeat, &v4_announced}) {
    Packet p = tunnel_test::udp_packet(5072, 5072);
    EXPECT_TRUE(decode_ayiya(h.ctx, p, b->data(), static_cast<uint32_t>(b->size())));
    EXPECT_FALSE(p.tunnel.present());
    EXPECT_EQ(p.event_count, 0);
  }
  EXPECT_EQ(h.counter("decoder.ayiya"), 2u);
}

TEST(AyiyaTunnel, NotAyiyaStaysUdp) {
  Bytes bad_id_type = concat({kAyiyaHeader, tunnel_test::ipv6_udp_packet()});
  bad_id_type[0] = 0x47;
  Bytes bad_opcode = concat({kAyiyaHeader, tunnel_test::ipv6_udp_packet()});
  bad_opcode[2] = 0x1c;
  const Bytes header_cut(kAyiyaHeader.begin(), kAyiyaHeader.begin() + 30);
  const Bytes tiny = {0x41, 0x52, 0x11};
  Harness h;
  for (const Bytes* b : ByteCases{&bad_id_type, &bad_opcode, &header_cut, &tiny}) {
    Packet p = tunnel_test::udp_packet(5072, 5072);
    EXPECT_FALSE(decode_udp_tunnel(h.ctx, p, b->data(), static_cast<uint32_t>(b->size())));
    EXPECT_FALSE(p.tunnel.present());
    EXPECT_EQ(p.event_count, 0);
  }
  EXPECT_EQ(h.counter("decoder.ayiya"), 0u);
}

// ---- MPLS over UDP, GRE over UDP ----

TEST(MplsOverUdpTunnel, LabelStackIsTheTunnelPayload) {
  Harness h;
  // Label 1000, bottom of stack, TTL 64, then IPv4 (tcpdump mpls-over-udp.pcap layout).
  const Bytes payload = concat({{0x00, 0x3e, 0x81, 0x40}, tunnel_test::ipv4_udp_packet()});
  Packet p = tunnel_test::udp_packet(49152, 6635);
  ASSERT_TRUE(decode_udp_tunnel(h.ctx, p, payload.data(), static_cast<uint32_t>(payload.size())));
  ASSERT_TRUE(p.tunnel.present());
  EXPECT_EQ(p.tunnel.data, payload.data());
  EXPECT_EQ(p.tunnel.len, payload.size());
  EXPECT_EQ(p.tunnel.kind, LayerKind::kMpls);
  EXPECT_EQ(p.tunnel.source, PacketSource::kMplsOverUdp);
  EXPECT_EQ(h.counter("decoder.mpls_over_udp"), 1u);

  Packet short_payload = tunnel_test::udp_packet(49152, 6635);
  EXPECT_FALSE(decode_udp_tunnel(h.ctx, short_payload, payload.data(), 3));
  h.options.mpls_over_udp_port = 0;
  Packet disabled = tunnel_test::udp_packet(49152, 6635);
  EXPECT_FALSE(decode_udp_tunnel(h.ctx, disabled, payload.data(),
                                 static_cast<uint32_t>(payload.size())));
}

TEST(GreOverUdpTunnel, GreHeaderInUdp) {
  Harness h;
  const Bytes inner = tunnel_test::ipv4_udp_packet();
  const Bytes payload = concat({{0x00, 0x00, 0x08, 0x00}, inner});
  Packet p = tunnel_test::udp_packet(33333, 4754);
  ASSERT_TRUE(decode_udp_tunnel(h.ctx, p, payload.data(), static_cast<uint32_t>(payload.size())));
  ASSERT_TRUE(p.tunnel.present());
  EXPECT_EQ(p.tunnel.data, payload.data() + 4);
  EXPECT_EQ(p.tunnel.kind, LayerKind::kIpv4);
  EXPECT_EQ(p.tunnel.source, PacketSource::kGre);
  EXPECT_EQ(h.counter("decoder.gre"), 1u);

  // GRE versions 2..7 do not exist: a port collision, not a GRE event.
  const Bytes not_gre = {0x00, 0x05, 0x08, 0x00, 0x45};
  Packet q = tunnel_test::udp_packet(33333, 4754);
  EXPECT_FALSE(decode_udp_tunnel(h.ctx, q, not_gre.data(), static_cast<uint32_t>(not_gre.size())));
  EXPECT_EQ(q.event_count, 0);
}

}  // namespace
}  // namespace seawall
