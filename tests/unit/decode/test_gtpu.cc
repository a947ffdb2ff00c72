#include <gtest/gtest.h>

#include "decode/decoder.h"
#include "tunnel_test_util.h"

namespace seawall {
namespace {

using tunnel_test::Bytes;
using tunnel_test::ByteCases;
using tunnel_test::concat;
using tunnel_test::Harness;

// GTPv1-U header: flags, message type, length (after the first 8 bytes), TEID.
Bytes gtp_header(uint8_t flags, uint8_t type, size_t length_after_mandatory) {
  Bytes h = {flags, type, 0, 0, 0x00, 0x10, 0x06, 0x57};
  tunnel_test::put16(h, 2, static_cast<uint16_t>(length_after_mandatory));
  return h;
}

bool gtpu(Harness& h, Packet& p, const Bytes& payload) {
  return decode_udp_tunnel(h.ctx, p, payload.data(), static_cast<uint32_t>(payload.size()));
}

void expect_only_event(const Packet& p, std::string_view name) {
  EXPECT_FALSE(p.tunnel.present());
  ASSERT_EQ(p.event_count, 1);
  EXPECT_EQ(decode_event_name(p.events[0]), name);
}

TEST(GtpuTunnel, GpduIpv4AndIpv6) {
  for (const bool v6 : {false, true}) {
    Harness h;
    const Bytes inner = v6 ? tunnel_test::ipv6_udp_packet() : tunnel_test::ipv4_udp_packet();
    const Bytes payload = concat({gtp_header(0x30, 0xff, inner.size()), inner});
    Packet p = tunnel_test::udp_packet(2152, 2152);
    ASSERT_TRUE(gtpu(h, p, payload));
    ASSERT_TRUE(p.tunnel.present());
    EXPECT_EQ(p.tunnel.data, payload.data() + 8);
    EXPECT_EQ(p.tunnel.len, inner.size());
    EXPECT_EQ(p.tunnel.kind, v6 ? LayerKind::kIpv6 : LayerKind::kIpv4);
    EXPECT_EQ(p.tunnel.source, PacketSource::kGtpu);
    EXPECT_EQ(p.event_count, 0);
    EXPECT_EQ(h.counter("decoder.gtpu"), 1u);
  }
}

TEST(GtpuTunnel, SequenceNumberAddsOptionalFields) {
  // Flags 0x32 (S set) as in Zeek's gtp6_gtp_0x32.pcap.
  Harness h;
  const Bytes inner = tunnel_test::ipv4_udp_packet();
  const Bytes payload =
      concat({gtp_header(0x32, 0xff, 4 + inner.size()), {0x00, 0x05, 0x00, 0x00}, inner});
  Packet p = tunnel_test::udp_packet(2152, 2152);
  ASSERT_TRUE(gtpu(h, p, payload));
  EXPECT_EQ(p.tunnel.data, payload.data() + 12);
  EXPECT_EQ(p.tunnel.len, inner.size());
}

TEST(GtpuTunnel, ExtensionHeaderChain) {
  // As in Zeek's gtp_ext_header.pcap: E+S, next type 0xc0 (PDCP PDU number),
  // one 4-byte extension, then a second (0x85, 8 bytes) ending the chain.
  Harness h;
  const Bytes inner = tunnel_test::ipv4_udp_packet();
  const Bytes ext = {0x01, 0x09, 0x04, 0x85,                          // PDCP, next 0x85
                     0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};  // 8 bytes, next 0
  const Bytes payload = concat(
      {gtp_header(0x36, 0xff, 4 + ext.size() + inner.size()), {0x00, 0x05, 0x00, 0xc0}, ext,
       inner});
  Packet p = tunnel_test::udp_packet(2152, 2152);
  ASSERT_TRUE(gtpu(h, p, payload));
  ASSERT_TRUE(p.tunnel.present());
  EXPECT_EQ(p.tunnel.data, payload.data() + 24);
  EXPECT_EQ(p.tunnel.len, inner.size());
  EXPECT_EQ(p.event_count, 0);
}

TEST(GtpuTunnel, MalformedHeaders) {
  const Bytes inner = tunnel_test::ipv4_udp_packet();
  struct Case {
    const char* what;
    Bytes payload;
  };
  const Case cases[] = {
      {"shorter than the mandatory header", {0x30, 0xff, 0x00, 0x00, 0x00}},
      {"optional fields announced, length too small",
       concat({gtp_header(0x32, 0xff, 2), {0x00, 0x05}})},
      {"extension of length 0",
       concat({gtp_header(0x34, 0xff, 8 + inner.size()), {0, 0, 0, 0xc0},
               {0x00, 0x00, 0x00, 0x00}, inner})},
      {"extension past the message",
       concat({gtp_header(0x34, 0xff, 8), {0, 0, 0, 0xc0}, {0x03, 0x00, 0x00, 0x00}})},
      {"extension chain without end",
       concat({gtp_header(0x34, 0xff, 8), {0, 0, 0, 0xc0}, {0x01, 0x00, 0x00, 0xc0}})},
  };
  for (const Case& c : cases) {
    Harness h;
    Packet p = tunnel_test::udp_packet(2152, 2152);
    EXPECT_TRUE(gtpu(h, p, c.payload)) << c.what;
    expect_only_event(p, "gtpu.header_too_small");
    EXPECT_EQ(h.counter("decoder.event.gtpu.header_too_small"), 1u) << c.what;
  }
}

TEST(GtpuTunnel, TpduNeitherIpv4NorIpv6) {
  for (const Bytes& tpdu : {Bytes{0x80, 0xe1, 0x42, 0x63}, Bytes{}}) {
    Harness h;
    const Bytes payload = concat({gtp_header(0x30, 0xff, tpdu.size()), tpdu});
    Packet p = tunnel_test::udp_packet(2152, 2152);
    EXPECT_TRUE(gtpu(h, p, payload));
    expect_only_event(p, "gtpu.unknown_payload_type");
  }
}

TEST(GtpuTunnel, SignallingMessagesCarryNoPacket) {
  // Echo request (with sequence number), error indication, end marker.
  const Bytes echo = concat({gtp_header(0x32, 0x01, 4), {0x00, 0x01, 0x00, 0x00}});
  const Bytes error_indication = concat({gtp_header(0x30, 0x1a, 4), {0x10, 0x00, 0x00, 0x01}});
  const Bytes end_marker = gtp_header(0x30, 0xfe, 0);
  Harness h;
  for (const Bytes* b : ByteCases{&echo, &error_indication, &end_marker}) {
    Packet p = tunnel_test::udp_packet(2152, 2152);
    EXPECT_TRUE(gtpu(h, p, *b));
    EXPECT_FALSE(p.tunnel.present());
    EXPECT_EQ(p.event_count, 0);
  }
  EXPECT_EQ(h.counter("decoder.gtpu"), 3u);
}

TEST(GtpuTunnel, NotGtpuStaysUdp) {
  const Bytes inner = tunnel_test::ipv4_udp_packet();
  const Bytes gtp_prime = concat({gtp_header(0x2e, 0xff, inner.size()), inner});  // PT = 0
  const Bytes gtpv2 = concat({gtp_header(0x48, 0x20, inner.size()), inner});
  const Bytes gtpv0 = concat({gtp_header(0x1e, 0xff, inner.size()), inner});
  Harness h;
  for (const Bytes* b : ByteCases{&gtp_prime, &gtpv2, &gtpv0}) {
    Packet p = tunnel_test::udp_packet(2152, 2152);
    EXPECT_FALSE(gtpu(h, p, *b));
    EXPECT_FALSE(p.tunnel.present());
    EXPECT_EQ(p.event_count, 0);
  }
  EXPECT_EQ(h.counter("decoder.gtpu"), 0u);
}

TEST(GtpuTunnel, LengthFieldBoundsTheTpdu) {
  Harness h;
  const Bytes inner = tunnel_test::ipv4_udp_packet();
  // Two bytes of padding after the message are not part of the T-PDU.
  const Bytes payload = concat({gtp_header(0x30, 0xff, inner.size()), inner, {0, 0}});
  Packet p = tunnel_test::udp_packet(2152, 2152);
  ASSERT_TRUE(gtpu(h, p, payload));
  EXPECT_EQ(p.tunnel.len, inner.size());
}

TEST(GtpuTunnel, PortsAndOptions) {
  const Bytes inner = tunnel_test::ipv4_udp_packet();
  const Bytes payload = concat({gtp_header(0x30, 0xff, inner.size()), inner});
  {
    Harness h;  // either direction
    Packet p = tunnel_test::udp_packet(2152, 40000);
    EXPECT_TRUE(gtpu(h, p, payload));
    Packet q = tunnel_test::udp_packet(40000, 2152);
    EXPECT_TRUE(gtpu(h, q, payload));
    Packet r = tunnel_test::udp_packet(40000, 40001);
    EXPECT_FALSE(gtpu(h, r, payload));
  }
  {
    Harness h;
    h.options.gtpu_port = 0;
    Packet p = tunnel_test::udp_packet(2152, 2152);
    EXPECT_FALSE(gtpu(h, p, payload));
  }
  {
    Harness h;
    h.options.gtpu_port = 3386;
    Packet p = tunnel_test::udp_packet(3386, 50000);
    EXPECT_TRUE(gtpu(h, p, payload));
  }
}

Bytes gtp_over_ipv4(const Bytes& inner, uint8_t last_src, uint8_t last_dst) {
  const Bytes gtp = concat({gtp_header(0x30, 0xff, inner.size()), inner});
  return concat({tunnel_test::ipv4_header(17, 8 + gtp.size(), last_src, last_dst),
                 tunnel_test::udp_header(2152, 2152, gtp.size()), gtp});
}

TEST(GtpuTunnel, NestedGtpDecodesLayerByLayer) {
  Harness h;
  Bytes packet = tunnel_test::ipv4_udp_packet(7, 8);
  packet = gtp_over_ipv4(packet, 5, 6);
  packet = gtp_over_ipv4(packet, 3, 4);
  const Bytes frame = concat({tunnel_test::ethernet_header(0x0800), packet});
  std::vector<Packet> chain;
  ASSERT_EQ(tunnel_test::decode_chain(h, frame, chain), 3u);
  EXPECT_EQ(chain[0].src.to_string(), "10.0.0.3");
  EXPECT_EQ(chain[1].src.to_string(), "10.0.0.5");
  EXPECT_EQ(chain[1].source, PacketSource::kGtpu);
  EXPECT_EQ(chain[2].src.to_string(), "10.0.0.7");
  EXPECT_EQ(chain[2].source, PacketSource::kGtpu);
  EXPECT_EQ(chain[2].tunnel_depth, 2);
  EXPECT_EQ(chain[2].dport, 2222);
  EXPECT_FALSE(chain[2].tunnel.present());
}

// 1,000 GTP-U layers (IPv4/UDP 2152/GTP each): decoding stops at the tunnel
// depth limit with decoder.too_many_layers, every time.
TEST(GtpuTunnel, ThousandNestedHeadersStopAtDepthLimit) {
  Bytes packet = tunnel_test::ipv4_udp_packet();
  for (int i = 0; i < 1000; ++i) packet = gtp_over_ipv4(packet, 1, 2);
  ASSERT_LE(packet.size(), 65535u);
  const Bytes frame = concat({tunnel_test::ethernet_header(0x0800), packet});
  Harness h;
  constexpr int kRounds = 50;
  for (int round = 0; round < kRounds; ++round) {
    std::vector<Packet> chain;
    const size_t n = tunnel_test::decode_chain(h, frame, chain);
    ASSERT_EQ(n, static_cast<size_t>(kMaxTunnelDepth));
    EXPECT_TRUE(chain[n - 1].has_event(DecodeEvent::kTooManyLayers));
    EXPECT_EQ(chain[n - 1].tunnel_depth, kMaxTunnelDepth - 1);
  }
  EXPECT_EQ(h.counter("decoder.too_many_layers"), static_cast<uint64_t>(kRounds));
  EXPECT_EQ(h.counter("decoder.gtpu"), static_cast<uint64_t>(kRounds * kMaxTunnelDepth));
}

}  // namespace
}  // namespace seawall
