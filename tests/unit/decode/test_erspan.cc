#include <gtest/gtest.h>

#include <string>

#include "decode/decoder.h"
#include "tunnel_test_util.h"

namespace seawall {
namespace {

using tunnel_test::Bytes;
using tunnel_test::concat;
using tunnel_test::Harness;

constexpr uint16_t kErspan2 = 0x88BE;
constexpr uint16_t kErspan3 = 0x22EB;

Bytes inner_frame() {
  return concat({tunnel_test::ethernet_header(0x0800), tunnel_test::ipv4_udp_packet()});
}

void decode(Harness& h, Packet& p, uint16_t proto, bool seq, const Bytes& b) {
  decode_erspan(h.ctx, p, proto, seq, b.data(), static_cast<uint32_t>(b.size()));
}

void expect_event_only(const Packet& p, std::string_view name) {
  EXPECT_FALSE(p.tunnel.present());
  ASSERT_EQ(p.event_count, 1);
  EXPECT_EQ(decode_event_name(p.events[0]), name);
}

TEST(ErspanTunnel, TypeIHasNoHeader) {
  Harness h;
  const Bytes b = inner_frame();
  Packet p;
  decode(h, p, kErspan2, false, b);
  ASSERT_TRUE(p.tunnel.present());
  EXPECT_EQ(p.tunnel.data, b.data());
  EXPECT_EQ(p.tunnel.len, b.size());
  EXPECT_EQ(p.tunnel.kind, LayerKind::kEthernet);
  EXPECT_EQ(p.tunnel.source, PacketSource::kErspan);
  EXPECT_EQ(h.counter("decoder.erspan"), 1u);
}

TEST(ErspanTunnel, TypeII) {
  Harness h;
  const Bytes frame = inner_frame();
  // Version 1, VLAN 100, COS 0, En 3, T 0, session 5, index 0.
  const Bytes b = concat({{0x10, 0x64, 0x18, 0x05, 0x00, 0x00, 0x00, 0x00}, frame});
  Packet p;
  decode(h, p, kErspan2, true, b);
  ASSERT_TRUE(p.tunnel.present());
  EXPECT_EQ(p.tunnel.data, b.data() + 8);
  EXPECT_EQ(p.tunnel.len, frame.size());
  EXPECT_EQ(p.tunnel.kind, LayerKind::kEthernet);
  EXPECT_EQ(p.tunnel.source, PacketSource::kErspan);
  EXPECT_EQ(p.event_count, 0);
  // The header's VLAN id, and its 8 bytes counted in the inner packet.
  EXPECT_EQ(p.tunnel.vlan, 100);
  EXPECT_EQ(p.tunnel.encap_len, 8);
}

TEST(ErspanTunnel, TypeIIEvents) {
  {
    Harness h;
    Packet p;
    decode(h, p, kErspan2, true, {0x10, 0x64, 0x00, 0x05, 0x00, 0x00, 0x00});
    expect_event_only(p, "erspan.header_too_small");
    EXPECT_EQ(h.counter("decoder.event.erspan.header_too_small"), 1u);
  }
  {
    Harness h;
    Packet p;
    decode(h, p, kErspan2, true, concat({{0x20, 0x64, 0, 5, 0, 0, 0, 0}, inner_frame()}));
    expect_event_only(p, "erspan.unsupported_version");
  }
}

TEST(ErspanTunnel, TypeIIIWithAndWithoutPlatformSubheader) {
  const Bytes frame = inner_frame();
  // Version 2, VLAN 10, session 0, timestamp, SGT 0, FT 0 (Ethernet).
  const Bytes base = {0x20, 0x0a, 0x00, 0x00, 0x70, 0x50, 0x7e, 0x55, 0x00, 0x00, 0x00, 0x06};
  {
    Harness h;
    const Bytes b = concat({base, frame});
    Packet p;
    decode(h, p, kErspan3, false, b);
    ASSERT_TRUE(p.tunnel.present());
    EXPECT_EQ(p.tunnel.data, b.data() + 12);
    EXPECT_EQ(p.tunnel.len, frame.size());
    EXPECT_EQ(p.tunnel.kind, LayerKind::kEthernet);
  }
  {
    // O bit: 8 bytes of platform-specific subheader (as in Zeek's
    // gre-erspan3-dot1q.pcap: platform id 3, port 3, upper timestamp).
    Harness h;
    Bytes hdr = base;
    hdr[11] |= 0x01;
    const Bytes b =
        concat({hdr, {0x0c, 0x00, 0x00, 0x03, 0x15, 0xf7, 0x42, 0xe8}, frame});
    Packet p;
    decode(h, p, kErspan3, false, b);
    ASSERT_TRUE(p.tunnel.present());
    EXPECT_EQ(p.tunnel.data, b.data() + 20);
    EXPECT_EQ(p.tunnel.len, frame.size());
    EXPECT_EQ(p.tunnel.source, PacketSource::kErspan);
  }
}

TEST(ErspanTunnel, TypeIIIEventsAndFrameTypes) {
  const Bytes base = {0x20, 0x0a, 0x00, 0x00, 0x70, 0x50, 0x7e, 0x55, 0x00, 0x00, 0x00, 0x00};
  {
    Harness h;
    Packet p;
    decode(h, p, kErspan3, false, Bytes(base.begin(), base.begin() + 11));
    expect_event_only(p, "erspan.header_too_small");
  }
  {
    Harness h;
    Bytes hdr = base;
    hdr[11] = 0x01;  // subheader announced, 4 of its 8 bytes present
    Packet p;
    decode(h, p, kErspan3, false, concat({hdr, {1, 2, 3, 4}}));
    expect_event_only(p, "erspan.header_too_small");
  }
  {
    Harness h;
    Bytes hdr = base;
    hdr[0] = 0x10;  // type II version under the type III protocol
    Packet p;
    decode(h, p, kErspan3, false, concat({hdr, inner_frame()}));
    expect_event_only(p, "erspan.unsupported_version");
  }
  {
    // Frame type 7 (as in tcpdump's erspan-type-iii-ft-7.pcap): not a
    // defined payload; counted, nothing decoded, no event.
    Harness h;
    Bytes hdr = base;
    hdr[10] = 0x1e;
    Packet p;
    decode(h, p, kErspan3, false, concat({hdr, inner_frame()}));
    EXPECT_FALSE(p.tunnel.present());
    EXPECT_EQ(p.event_count, 0);
    EXPECT_EQ(h.counter("decoder.erspan"), 1u);
  }
  {
    // Frame type 2: an IP packet without Ethernet header.
    Harness h;
    Bytes hdr = base;
    hdr[10] = 0x08;
    const Bytes ip = tunnel_test::ipv4_udp_packet();
    const Bytes b = concat({hdr, ip});
    Packet p;
    decode(h, p, kErspan3, false, b);
    ASSERT_TRUE(p.tunnel.present());
    EXPECT_EQ(p.tunnel.data, b.data() + 12);
    EXPECT_EQ(p.tunnel.kind, LayerKind::kIpRaw);
  }
}

TEST(ErspanTunnel, GreSequenceBitSelectsTypeIOrII) {
  const Bytes frame = inner_frame();
  {
    Harness h;
    const Bytes gre = concat({{0x00, 0x00, 0x88, 0xBE}, frame});
    Packet p;
    decode_gre(h.ctx, p, gre.data(), static_cast<uint32_t>(gre.size()));
    ASSERT_TRUE(p.tunnel.present());
    EXPECT_EQ(p.tunnel.data, gre.data() + 4);
    EXPECT_EQ(p.tunnel.source, PacketSource::kErspan);
  }
  {
    Harness h;
    const Bytes gre = concat({{0x10, 0x00, 0x88, 0xBE, 0x00, 0x00, 0x00, 0x01},
                              {0x10, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00},
                              frame});
    Packet p;
    decode_gre(h.ctx, p, gre.data(), static_cast<uint32_t>(gre.size()));
    ASSERT_TRUE(p.tunnel.present());
    EXPECT_EQ(p.tunnel.data, gre.data() + 16);
    EXPECT_EQ(p.tunnel.len, frame.size());
    EXPECT_EQ(p.tunnel.kind, LayerKind::kEthernet);
    EXPECT_EQ(h.counter("decoder.gre"), 1u);
    EXPECT_EQ(h.counter("decoder.erspan"), 1u);
  }
}

TEST(ErspanTunnel, EndToEndInnerFrameDecoded) {
  Harness h;
  const Bytes gre = concat({{0x10, 0x00, 0x88, 0xBE, 0x00, 0x00, 0x00, 0x01},
                            {0x10, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00},
                            inner_frame()});
  const Bytes frame = concat({tunnel_test::ethernet_header(0x0800),
                              tunnel_test::ipv4_header(47, gre.size()), gre});
  std::vector<Packet> chain;
  ASSERT_EQ(tunnel_test::decode_chain(h, frame, chain), 2u);
  EXPECT_EQ(chain[1].source, PacketSource::kErspan);
  EXPECT_TRUE(chain[1].has_ethernet);
  EXPECT_EQ(chain[1].src.to_string(), "10.0.0.7");
  EXPECT_TRUE(chain[1].is_udp());
  // As Suricata's ERSPAN II tunnel packet: VLAN 1 from the ERSPAN header
  // (after the outer's, none here), length from the ERSPAN header on.
  ASSERT_EQ(chain[1].vlan_count, 1);
  EXPECT_EQ(chain[1].vlan[0], 1);
  EXPECT_EQ(chain[1].caplen, inner_frame().size() + 8);
}

TEST(ErspanTunnel, TypeIAddsNoVlanAndNoHeaderLength) {
  Harness h;
  const Bytes gre = concat({{0x00, 0x00, 0x88, 0xBE}, inner_frame()});
  const Bytes frame = concat({tunnel_test::ethernet_header(0x0800),
                              tunnel_test::ipv4_header(47, gre.size()), gre});
  std::vector<Packet> chain;
  ASSERT_EQ(tunnel_test::decode_chain(h, frame, chain), 2u);
  EXPECT_EQ(chain[1].vlan_count, 0);
  EXPECT_EQ(chain[1].caplen, inner_frame().size());
  EXPECT_TRUE(chain[1].is_udp());
}

}  // namespace
}  // namespace seawall
