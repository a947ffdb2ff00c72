#include "decode/decoder.h"

#include <array>
#include <string>

#include "decode/decode_util.h"

namespace seawall {
namespace {

const Counter kPkts = register_counter({"decoder.pkts", "Packets handed to the decoder"});
const Counter kBytes = register_counter({"decoder.bytes", "Captured bytes handed to the decoder"});
const Counter kInvalid =
    register_counter({"decoder.invalid", "Packets with a header too malformed to track"});
const Counter kMaxPktSize = register_counter(
    {"decoder.max_pkt_size", "Largest captured packet seen", CounterKind::kMax});
const Counter kTooManyLayers =
    register_counter({"decoder.too_many_layers", "Packets nested deeper than the decoder allows"});

// One counter per decoder event, "decoder.event.<name>". The names must
// outlive the registry (it keeps string_views), hence the static storage.
struct EventCounters {
  std::array<std::string, kDecodeEventCount> names;
  std::array<Counter, kDecodeEventCount> counters;
  EventCounters() {
    for (size_t i = 0; i < kDecodeEventCount; ++i) {
      names[i] = "decoder.event.";
      names[i] += decode_event_name(static_cast<DecodeEvent>(i));
      counters[i] = register_counter({names[i], "Decoder anomaly event"});
    }
  }
};
const EventCounters& event_counters() {
  static const EventCounters counters;
  return counters;
}
// Registers at static-init time so the counters exist before any thread.
const EventCounters& kEventCountersInit = event_counters();

}  // namespace

namespace decode_detail {

thread_local int g_decode_layers = 0;

bool LayerGuard::ok(DecodeContext& ctx, Packet& p) const {
  if (g_decode_layers <= kMaxDecodeLayers) return true;
  if (!p.has_event(DecodeEvent::kTooManyLayers)) {
    raise_invalid(ctx, p, DecodeEvent::kTooManyLayers);
    ctx.counters.add(kTooManyLayers);
  }
  return false;
}

}  // namespace decode_detail

void raise_event(DecodeContext& ctx, Packet& p, DecodeEvent e) {
  p.add_event(e);
  auto i = static_cast<size_t>(e);
  if (i < kDecodeEventCount) ctx.counters.add(event_counters().counters[i]);
}

void decode_packet(DecodeContext& ctx, Packet& p) {
  ctx.counters.add(kPkts);
  ctx.counters.add(kBytes, p.caplen);
  ctx.counters.max(kMaxPktSize, p.caplen);
  if (p.caplen == 0 || p.data == nullptr) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kEmptyPacket);
  } else if (p.caplen > ctx.options.max_packet_size) {
    decode_detail::raise_invalid(ctx, p, DecodeEvent::kPktTooLarge);
  } else {
    decode_layer(ctx, p, p.link, p.data, p.caplen);
  }
  if (p.invalid) ctx.counters.add(kInvalid);
}

bool decode_tunnel_payload(DecodeContext& ctx, Packet& outer, Packet& inner) {
  if (!outer.tunnel.present()) return false;
  if (outer.tunnel_depth + 1 >= kMaxTunnelDepth) {
    raise_event(ctx, outer, DecodeEvent::kTooManyLayers);
    ctx.counters.add(kTooManyLayers);
    return false;
  }
  reset_packet(inner);
  inner.ts = outer.ts;
  inner.pcap_cnt = outer.pcap_cnt;
  inner.data = outer.tunnel.data - outer.tunnel.encap_len;
  inner.caplen = inner.wirelen = outer.tunnel.len + outer.tunnel.encap_len;
  inner.link = outer.tunnel.kind;
  inner.source = outer.tunnel.source;
  inner.tunnel_depth = static_cast<uint8_t>(outer.tunnel_depth + 1);
  inner.outer = &outer;
  // Like Suricata's tunnel packets, the inner packet keeps the outer VLAN
  // ids so flows stay separated per VLAN.
  inner.vlan = outer.vlan;
  inner.vlan_count = outer.vlan_count;
  if (outer.tunnel.vlan != 0 && inner.vlan_count < kMaxVlanLayers)
    inner.vlan[inner.vlan_count++] = outer.tunnel.vlan;
  if (outer.tunnel.len == 0) {
    decode_detail::raise_invalid(ctx, inner, DecodeEvent::kEmptyPacket);
  } else {
    decode_layer(ctx, inner, inner.link, outer.tunnel.data, outer.tunnel.len);
  }
  if (inner.invalid) ctx.counters.add(kInvalid);
  return true;
}

void decode_reassembled(DecodeContext& ctx, const Packet& fragment, const uint8_t* data,
                        uint32_t len, Packet& out) {
  reset_packet(out);
  out.ts = fragment.ts;
  out.pcap_cnt = fragment.pcap_cnt;
  out.data = data;
  out.caplen = out.wirelen = len;
  out.link = fragment.ip_version == 6 ? LayerKind::kIpv6 : LayerKind::kIpv4;
  out.source = PacketSource::kDefrag;
  out.tunnel_depth = fragment.tunnel_depth;
  out.outer = fragment.outer;
  out.vlan = fragment.vlan;
  out.vlan_count = fragment.vlan_count;
  out.has_ethernet = fragment.has_ethernet;
  out.src_mac = fragment.src_mac;
  out.dst_mac = fragment.dst_mac;
  decode_layer(ctx, out, out.link, data, len);
  if (out.invalid) ctx.counters.add(kInvalid);
}

void decode_layer(DecodeContext& ctx, Packet& p, LayerKind kind, const uint8_t* data,
                  uint32_t len) {
  switch (kind) {
    case LayerKind::kEthernet: decode_ethernet(ctx, p, data, len); return;
    case LayerKind::kIpv4: decode_ipv4(ctx, p, data, len); return;
    case LayerKind::kIpv6: decode_ipv6(ctx, p, data, len); return;
    case LayerKind::kIpRaw: decode_ipraw(ctx, p, data, len); return;
    case LayerKind::kSll: decode_sll(ctx, p, data, len); return;
    case LayerKind::kSll2: decode_sll2(ctx, p, data, len); return;
    case LayerKind::kNull: decode_null(ctx, p, data, len, false); return;
    case LayerKind::kLoop: decode_null(ctx, p, data, len, true); return;
    case LayerKind::kPpp: decode_ppp(ctx, p, data, len); return;
    case LayerKind::kChdlc: decode_chdlc(ctx, p, data, len); return;
    case LayerKind::kMpls: decode_mpls(ctx, p, data, len); return;
    case LayerKind::kUnknown: return;
  }
}

void decode_ip_payload(DecodeContext& ctx, Packet& p, uint8_t proto, const uint8_t* data,
                       uint32_t len) {
  namespace ipp = decode_detail::ipproto;
  switch (proto) {
    case ipp::kTcp: decode_tcp(ctx, p, data, len); return;
    case ipp::kUdp: decode_udp(ctx, p, data, len); return;
    case ipp::kIcmp:
      if (p.ip_version == 6) {
        decode_detail::raise_invalid(ctx, p, DecodeEvent::kIpv6Icmpv4);
        return;
      }
      decode_icmpv4(ctx, p, data, len);
      return;
    case ipp::kIcmpv6:
      if (p.ip_version == 4) {
        decode_detail::raise_invalid(ctx, p, DecodeEvent::kIpv4Icmpv6);
        return;
      }
      decode_icmpv6(ctx, p, data, len);
      return;
    case ipp::kSctp: decode_sctp(ctx, p, data, len); return;
    case ipp::kGre: decode_gre(ctx, p, data, len); return;
    case ipp::kIpip: decode_ip_in_ip(ctx, p, LayerKind::kIpv4, data, len); return;
    case ipp::kIpv6: decode_ip_in_ip(ctx, p, LayerKind::kIpv6, data, len); return;
    default: return;
  }
}

}  // namespace seawall
