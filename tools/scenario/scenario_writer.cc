#include "scenario/scenario_writer.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>

#include "scenario/demo_scenario.h"

namespace seawall::scenario {

namespace {

void put8(Bytes& b, uint8_t v) { b.push_back(v); }
void put16(Bytes& b, uint16_t v) {
  b.push_back(static_cast<uint8_t>(v >> 8));
  b.push_back(static_cast<uint8_t>(v));
}
void put32(Bytes& b, uint32_t v) {
  put16(b, static_cast<uint16_t>(v >> 16));
  put16(b, static_cast<uint16_t>(v));
}
void put_le16(Bytes& b, uint16_t v) {
  b.push_back(static_cast<uint8_t>(v));
  b.push_back(static_cast<uint8_t>(v >> 8));
}
void put_le32(Bytes& b, uint32_t v) {
  put_le16(b, static_cast<uint16_t>(v));
  put_le16(b, static_cast<uint16_t>(v >> 16));
}
void set16(Bytes& b, size_t at, uint16_t v) {
  b[at] = static_cast<uint8_t>(v >> 8);
  b[at + 1] = static_cast<uint8_t>(v);
}
void append(Bytes& b, const Bytes& tail) { b.insert(b.end(), tail.begin(), tail.end()); }
void append(Bytes& b, std::string_view tail) { b.insert(b.end(), tail.begin(), tail.end()); }

uint32_t sum16(const uint8_t* data, size_t len, uint32_t sum) {
  for (size_t i = 0; i + 1 < len; i += 2) sum += (uint32_t{data[i]} << 8) | data[i + 1];
  if (len & 1) sum += uint32_t{data[len - 1]} << 8;
  return sum;
}

// Partial sum of the TCP/UDP/ICMPv6 pseudo-header.
uint32_t pseudo_header_sum(const IpAddr& src, const IpAddr& dst, uint8_t proto, size_t len) {
  if (src.v6 != dst.v6) throw std::invalid_argument("address families differ");
  uint32_t sum = sum16(src.bytes.data(), src.size(), 0);
  sum = sum16(dst.bytes.data(), dst.size(), sum);
  sum += proto;
  sum += static_cast<uint32_t>(len & 0xFFFF) + static_cast<uint32_t>(len >> 16);
  return sum;
}

uint32_t fnv1a(std::initializer_list<uint32_t> values) {
  uint32_t h = 2166136261u;
  for (uint32_t v : values) {
    for (int i = 0; i < 4; ++i) {
      h ^= (v >> (8 * i)) & 0xFF;
      h *= 16777619u;
    }
  }
  return h;
}

uint32_t addr_word(const IpAddr& a) {
  size_t o = a.size() - 4;
  return (uint32_t{a.bytes[o]} << 24) | (uint32_t{a.bytes[o + 1]} << 16) |
         (uint32_t{a.bytes[o + 2]} << 8) | a.bytes[o + 3];
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Addresses

std::optional<IpAddr> IpAddr::parse(std::string_view text) {
  IpAddr out;
  if (text.find(':') == std::string_view::npos) {
    unsigned parts = 0;
    size_t i = 0;
    while (parts < 4) {
      if (i >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i]))) return {};
      unsigned value = 0;
      size_t digits = 0;
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
        value = value * 10 + static_cast<unsigned>(text[i++] - '0');
        if (++digits > 3 || value > 255) return {};
      }
      out.bytes[parts++] = static_cast<uint8_t>(value);
      if (parts < 4) {
        if (i >= text.size() || text[i] != '.') return {};
        ++i;
      }
    }
    if (i != text.size()) return {};
    return out;
  }
  // IPv6: groups of hex separated by ':', at most one "::"; no embedded IPv4 form.
  out.v6 = true;
  std::vector<uint16_t> head, tail;
  bool gap = false;
  size_t i = 0;
  if (text.substr(0, 2) == "::") {
    gap = true;
    i = 2;
  }
  while (i < text.size()) {
    unsigned value = 0;
    size_t digits = 0;
    while (i < text.size() && std::isxdigit(static_cast<unsigned char>(text[i]))) {
      char c = static_cast<char>(std::tolower(static_cast<unsigned char>(text[i++])));
      value = value * 16 + static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(c))
                                                     ? c - '0' : c - 'a' + 10);
      if (++digits > 4) return {};
    }
    if (digits == 0) return {};
    (gap ? tail : head).push_back(static_cast<uint16_t>(value));
    if (i == text.size()) break;
    if (text[i] != ':') return {};
    ++i;
    if (i < text.size() && text[i] == ':') {
      if (gap) return {};
      gap = true;
      ++i;
    } else if (i == text.size()) {
      return {};
    }
  }
  size_t groups = head.size() + tail.size();
  if (groups > 8 || (!gap && groups != 8) || (gap && groups == 8)) return {};
  std::vector<uint16_t> all = head;
  all.resize(8 - tail.size(), 0);
  all.insert(all.end(), tail.begin(), tail.end());
  for (size_t g = 0; g < 8; ++g) {
    out.bytes[2 * g] = static_cast<uint8_t>(all[g] >> 8);
    out.bytes[2 * g + 1] = static_cast<uint8_t>(all[g]);
  }
  return out;
}

IpAddr IpAddr::v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  IpAddr out;
  out.bytes[0] = a;
  out.bytes[1] = b;
  out.bytes[2] = c;
  out.bytes[3] = d;
  return out;
}

std::string IpAddr::to_string() const {
  char buf[64];
  if (!v6) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", bytes[0], bytes[1], bytes[2], bytes[3]);
    return buf;
  }
  std::string s;
  for (size_t g = 0; g < 8; ++g) {
    std::snprintf(buf, sizeof buf, g ? ":%x" : "%x", (bytes[2 * g] << 8) | bytes[2 * g + 1]);
    s += buf;
  }
  return s;
}

// ---------------------------------------------------------------------------------------
// Checksums

uint16_t internet_checksum(const uint8_t* data, size_t len, uint32_t initial) {
  uint32_t sum = sum16(data, len, initial);
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

uint32_t crc32c(const uint8_t* data, size_t len) {
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < len; ++i) {
    crc ^= data[i];
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
  }
  return ~crc;
}

// ---------------------------------------------------------------------------------------
// Link layer

Bytes ethernet(const Mac& dst, const Mac& src, uint16_t type, const Bytes& payload,
               const std::vector<VlanTag>& tags) {
  Bytes b(dst.begin(), dst.end());
  b.insert(b.end(), src.begin(), src.end());
  for (const VlanTag& tag : tags) {
    put16(b, tag.tpid);
    put16(b, static_cast<uint16_t>((tag.pcp & 7) << 13 | (tag.vid & 0x0FFF)));
  }
  put16(b, type);
  append(b, payload);
  return b;
}

Mac mac_for(const IpAddr& addr) {
  uint32_t w = addr_word(addr);
  return {0x02, 0x00, static_cast<uint8_t>(w >> 24), static_cast<uint8_t>(w >> 16),
          static_cast<uint8_t>(w >> 8), static_cast<uint8_t>(w)};
}

Bytes to_frame(const Pdu& pdu) {
  if (pdu.ethertype == ethertype::kTeb) return pdu.bytes;
  Mac src{0x02, 0, 0, 0, 0, 0x01}, dst{0x02, 0, 0, 0, 0, 0x02};
  if (pdu.l3_src) src = mac_for(*pdu.l3_src);
  if (pdu.l3_dst) dst = mac_for(*pdu.l3_dst);
  return ethernet(dst, src, pdu.ethertype, pdu.bytes);
}

Bytes mpls(const std::vector<uint32_t>& labels, const Bytes& payload, uint8_t ttl) {
  Bytes b;
  for (size_t i = 0; i < labels.size(); ++i) {
    uint32_t bottom = i + 1 == labels.size() ? 1 : 0;
    put32(b, (labels[i] & 0xFFFFF) << 12 | bottom << 8 | ttl);
  }
  append(b, payload);
  return b;
}

// ---------------------------------------------------------------------------------------
// Network layer

Bytes ipv4(const IpAddr& src, const IpAddr& dst, uint8_t protocol, const Bytes& payload,
           const Ipv4Fields& f) {
  if (src.v6 || dst.v6) throw std::invalid_argument("ipv4() needs IPv4 addresses");
  Bytes options = f.options;
  while (options.size() % 4) options.push_back(0);
  if (options.size() > 40) throw std::invalid_argument("IPv4 options longer than 40 bytes");
  size_t hlen = 20 + options.size();
  size_t total = hlen + payload.size();
  if (total > 0xFFFF) throw std::invalid_argument("IPv4 packet longer than 65535 bytes");
  Bytes b;
  put8(b, static_cast<uint8_t>(0x40 | hlen / 4));
  put8(b, f.tos);
  put16(b, static_cast<uint16_t>(total));
  put16(b, f.id);
  put16(b, f.dont_fragment ? 0x4000 : 0);
  put8(b, f.ttl);
  put8(b, protocol);
  put16(b, 0);
  b.insert(b.end(), src.bytes.begin(), src.bytes.begin() + 4);
  b.insert(b.end(), dst.bytes.begin(), dst.bytes.begin() + 4);
  append(b, options);
  set16(b, 10, internet_checksum(b.data(), hlen));
  append(b, payload);
  return b;
}

Bytes ipv6(const IpAddr& src, const IpAddr& dst, uint8_t next_header, const Bytes& payload,
           const Ipv6Fields& f) {
  if (!src.v6 || !dst.v6) throw std::invalid_argument("ipv6() needs IPv6 addresses");
  if (payload.size() > 0xFFFF) throw std::invalid_argument("IPv6 payload too long");
  Bytes b;
  put32(b, 6u << 28 | uint32_t{f.traffic_class} << 20 | (f.flow_label & 0xFFFFF));
  put16(b, static_cast<uint16_t>(payload.size()));
  put8(b, next_header);
  put8(b, f.hop_limit);
  b.insert(b.end(), src.bytes.begin(), src.bytes.end());
  b.insert(b.end(), dst.bytes.begin(), dst.bytes.end());
  append(b, payload);
  return b;
}

Pdu ip_pdu(const IpAddr& src, const IpAddr& dst, uint8_t protocol, const Bytes& payload,
           uint16_t ipv4_id) {
  if (src.v6 != dst.v6) throw std::invalid_argument("address families differ");
  Pdu pdu;
  if (src.v6) {
    pdu.ethertype = ethertype::kIpv6;
    pdu.bytes = ipv6(src, dst, protocol, payload);
  } else {
    Ipv4Fields f;
    f.id = ipv4_id;
    pdu.ethertype = ethertype::kIpv4;
    pdu.bytes = ipv4(src, dst, protocol, payload, f);
  }
  pdu.l3_src = src;
  pdu.l3_dst = dst;
  return pdu;
}

// ---------------------------------------------------------------------------------------
// Transport layer

Bytes tcp(const IpAddr& src, const IpAddr& dst, const TcpFields& f, const Bytes& payload) {
  Bytes b;
  put16(b, f.src_port);
  put16(b, f.dst_port);
  put32(b, f.seq);
  put32(b, f.ack);
  size_t hlen = f.mss ? 24 : 20;
  uint8_t offset = f.header_length_override ? f.header_length_override : static_cast<uint8_t>(hlen);
  put8(b, static_cast<uint8_t>((offset / 4) << 4));
  put8(b, f.flags);
  put16(b, f.window);
  put16(b, 0);  // checksum
  put16(b, 0);  // urgent pointer
  if (f.mss) {
    put8(b, 2);
    put8(b, 4);
    put16(b, f.mss);
  }
  append(b, payload);
  set16(b, 16, internet_checksum(b.data(), b.size(),
                                 pseudo_header_sum(src, dst, ipproto::kTcp, b.size())));
  return b;
}

Bytes udp(const IpAddr& src, const IpAddr& dst, uint16_t src_port, uint16_t dst_port,
          const Bytes& payload, uint16_t length_override) {
  size_t len = 8 + payload.size();
  if (len > 0xFFFF) throw std::invalid_argument("UDP datagram too long");
  Bytes b;
  put16(b, src_port);
  put16(b, dst_port);
  put16(b, static_cast<uint16_t>(len));
  put16(b, 0);
  append(b, payload);
  uint16_t sum = internet_checksum(b.data(), b.size(),
                                   pseudo_header_sum(src, dst, ipproto::kUdp, b.size()));
  set16(b, 6, sum == 0 ? 0xFFFF : sum);  // 0 means "no checksum" in UDP
  if (length_override) set16(b, 4, length_override);
  return b;
}

Bytes icmp_echo(const IpAddr& src, const IpAddr& dst, bool reply, uint16_t id, uint16_t seq,
                const Bytes& data) {
  Bytes b;
  if (src.v6) {
    put8(b, reply ? 129 : 128);
  } else {
    put8(b, reply ? 0 : 8);
  }
  put8(b, 0);
  put16(b, 0);
  put16(b, id);
  put16(b, seq);
  append(b, data);
  uint32_t initial = src.v6 ? pseudo_header_sum(src, dst, ipproto::kIcmpv6, b.size()) : 0;
  set16(b, 2, internet_checksum(b.data(), b.size(), initial));
  return b;
}

namespace {
Bytes sctp_chunk(uint8_t type, uint8_t flags, const Bytes& value) {
  Bytes b;
  put8(b, type);
  put8(b, flags);
  put16(b, static_cast<uint16_t>(4 + value.size()));
  append(b, value);
  while (b.size() % 4) b.push_back(0);
  return b;
}
}  // namespace

Bytes sctp_init_chunk(uint32_t initiate_tag, uint32_t a_rwnd, uint16_t out_streams,
                      uint16_t in_streams, uint32_t initial_tsn) {
  Bytes v;
  put32(v, initiate_tag);
  put32(v, a_rwnd);
  put16(v, out_streams);
  put16(v, in_streams);
  put32(v, initial_tsn);
  return sctp_chunk(1, 0, v);
}

Bytes sctp_data_chunk(uint32_t tsn, uint16_t stream, uint16_t stream_seq, uint32_t ppid,
                      const Bytes& data) {
  Bytes v;
  put32(v, tsn);
  put16(v, stream);
  put16(v, stream_seq);
  put32(v, ppid);
  append(v, data);
  return sctp_chunk(0, 0x03, v);  // B and E: one unfragmented message
}

Bytes sctp(uint16_t src_port, uint16_t dst_port, uint32_t verification_tag,
           const std::vector<Bytes>& chunks) {
  Bytes b;
  put16(b, src_port);
  put16(b, dst_port);
  put32(b, verification_tag);
  put32(b, 0);
  for (const Bytes& c : chunks) append(b, c);
  uint32_t crc = crc32c(b.data(), b.size());
  // The CRC32c is transmitted least significant byte first (RFC 4960 appendix B).
  b[8] = static_cast<uint8_t>(crc);
  b[9] = static_cast<uint8_t>(crc >> 8);
  b[10] = static_cast<uint8_t>(crc >> 16);
  b[11] = static_cast<uint8_t>(crc >> 24);
  return b;
}

// ---------------------------------------------------------------------------------------
// Tunnel headers

Bytes gre(uint16_t protocol, const Bytes& payload, const GreFields& f) {
  Bytes b;
  uint16_t flags = static_cast<uint16_t>((f.checksum ? 0x8000 : 0) | (f.key ? 0x2000 : 0) |
                                         (f.sequence ? 0x1000 : 0) | (f.version & 7));
  put16(b, flags);
  put16(b, protocol);
  if (f.checksum) put32(b, 0);  // checksum + reserved1
  if (f.key) put32(b, *f.key);
  if (f.sequence) put32(b, *f.sequence);
  append(b, payload);
  if (f.checksum) set16(b, 4, internet_checksum(b.data(), b.size()));
  return b;
}

Bytes erspan2(const Bytes& frame, const ErspanFields& f) {
  Bytes b;
  put16(b, static_cast<uint16_t>(1u << 12 | (f.vlan & 0x0FFF)));
  // COS=0, En=0 (untagged original), T=0, session id.
  put16(b, static_cast<uint16_t>(f.session_id & 0x03FF));
  put32(b, f.index & 0xFFFFF);
  append(b, frame);
  return b;
}

Bytes erspan3(const Bytes& frame, const ErspanFields& f) {
  Bytes b;
  put16(b, static_cast<uint16_t>(2u << 12 | (f.vlan & 0x0FFF)));
  put16(b, static_cast<uint16_t>(f.session_id & 0x03FF));
  put32(b, f.timestamp);
  put16(b, f.sgt);
  // P=0, FT=0 (Ethernet), HW ID, D, Gra=00 (100 us granularity), O=0 (no subheader).
  put16(b, static_cast<uint16_t>((f.hardware_id & 0x3F) << 4 | (f.egress ? 1 : 0) << 3));
  append(b, frame);
  return b;
}

Bytes vxlan(uint32_t vni, const Bytes& frame) {
  Bytes b;
  put32(b, 0x08000000u);  // I flag: VNI valid
  put32(b, (vni & 0xFFFFFF) << 8);
  append(b, frame);
  return b;
}

Bytes geneve(uint32_t vni, uint16_t protocol, const Bytes& payload) {
  Bytes b;
  put8(b, 0);  // version 0, no options
  put8(b, 0);
  put16(b, protocol);
  put32(b, (vni & 0xFFFFFF) << 8);
  append(b, payload);
  return b;
}

Bytes gtpu(const GtpuFields& f, const Bytes& payload) {
  bool with_seq = f.sequence.has_value();
  bool with_ext = f.qfi.has_value();
  Bytes b;
  put8(b, static_cast<uint8_t>(0x30 | (with_ext ? 0x04 : 0) | (with_seq ? 0x02 : 0)));
  put8(b, 0xFF);  // G-PDU
  put16(b, 0);    // length, filled in below
  put32(b, f.teid);
  if (with_seq || with_ext) {
    put16(b, f.sequence.value_or(0));
    put8(b, 0);                        // N-PDU number
    put8(b, with_ext ? 0x85 : 0x00);   // next extension header type
  }
  if (with_ext) {
    put8(b, 1);  // length in 4-octet units
    put8(b, f.uplink ? 0x10 : 0x00);
    put8(b, static_cast<uint8_t>(*f.qfi & 0x3F));
    put8(b, 0);  // no further extension
  }
  append(b, payload);
  size_t len = b.size() - 8;
  if (len > 0xFFFF) throw std::invalid_argument("GTP-U payload too long");
  set16(b, 2, static_cast<uint16_t>(len));
  return b;
}

Bytes dns(const DnsMessage& m) {
  Bytes b;
  put16(b, m.id);
  put16(b, m.response ? static_cast<uint16_t>(0x8180 | (m.rcode & 0xF)) : 0x0100);
  put16(b, 1);
  put16(b, m.response ? static_cast<uint16_t>(m.answers.size()) : 0);
  put16(b, 0);
  put16(b, 0);
  std::string_view name = m.qname;
  while (!name.empty()) {
    size_t dot = name.find('.');
    std::string_view label = name.substr(0, dot);
    if (label.empty() || label.size() > 63) throw std::invalid_argument("bad DNS name");
    put8(b, static_cast<uint8_t>(label.size()));
    append(b, label);
    name = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
  }
  put8(b, 0);
  put16(b, m.qtype);
  put16(b, 1);  // IN
  if (m.response) {
    for (const IpAddr& a : m.answers) {
      put16(b, 0xC00C);  // pointer to the question name
      put16(b, a.v6 ? 28 : 1);
      put16(b, 1);
      put32(b, 300);
      put16(b, static_cast<uint16_t>(a.size()));
      b.insert(b.end(), a.bytes.begin(), a.bytes.begin() + static_cast<long>(a.size()));
    }
  }
  return b;
}

// ---------------------------------------------------------------------------------------
// Tunnel stacks

namespace {

Pdu ensure_frame(Pdu pdu) {
  if (pdu.ethertype == ethertype::kTeb) return pdu;
  Pdu out;
  out.ethertype = ethertype::kTeb;
  out.bytes = to_frame(pdu);
  out.l3_src = pdu.l3_src;
  out.l3_dst = pdu.l3_dst;
  return out;
}

void require_ip(const Pdu& pdu, const char* tunnel) {
  if (pdu.ethertype != ethertype::kIpv4 && pdu.ethertype != ethertype::kIpv6) {
    throw std::invalid_argument(std::string(tunnel) + " carries only IPv4/IPv6 packets");
  }
}

Pdu wrap_one(Pdu inner, Tunnel& t, bool reverse, uint64_t ts_usec, uint16_t& ipv4_id) {
  bool mirror = t.kind == Tunnel::Kind::kErspan2 || t.kind == Tunnel::Kind::kErspan3;
  const IpAddr& src = reverse && !mirror ? t.outer_dst : t.outer_src;
  const IpAddr& dst = reverse && !mirror ? t.outer_src : t.outer_dst;
  uint32_t n = t.packets++;
  auto ip = [&](uint8_t proto, const Bytes& payload) {
    return ip_pdu(src, dst, proto, payload, ipv4_id++);
  };
  // Outer UDP source ports stay fixed per tunnel so one tunnel is one outer flow.
  auto sport = [&](uint16_t dflt) { return t.udp_src_port ? t.udp_src_port : dflt; };
  switch (t.kind) {
    case Tunnel::Kind::kGre: {
      GreFields f;
      f.key = t.key;
      if (t.gre_sequence) f.sequence = n;
      return ip(ipproto::kGre, gre(inner.ethertype, inner.bytes, f));
    }
    case Tunnel::Kind::kErspan2:
    case Tunnel::Kind::kErspan3: {
      Pdu frame = ensure_frame(std::move(inner));
      ErspanFields f;
      f.session_id = static_cast<uint16_t>(t.id);
      f.vlan = t.vlan;
      f.timestamp = static_cast<uint32_t>(ts_usec / 100);
      GreFields g;
      g.sequence = n;
      bool two = t.kind == Tunnel::Kind::kErspan2;
      Bytes body = two ? erspan2(frame.bytes, f) : erspan3(frame.bytes, f);
      return ip(ipproto::kGre,
                gre(two ? ethertype::kErspan2 : ethertype::kErspan3, body, g));
    }
    case Tunnel::Kind::kVxlan: {
      Pdu frame = ensure_frame(std::move(inner));
      return ip(ipproto::kUdp, udp(src, dst, sport(49152), 4789, vxlan(t.id, frame.bytes)));
    }
    case Tunnel::Kind::kGeneve: {
      if (t.geneve_ethernet) inner = ensure_frame(std::move(inner));
      return ip(ipproto::kUdp, udp(src, dst, sport(49153), 6081,
                                   geneve(t.id, inner.ethertype, inner.bytes)));
    }
    case Tunnel::Kind::kGtpu: {
      require_ip(inner, "gtpu");
      GtpuFields f;
      f.teid = reverse && t.id_reverse ? *t.id_reverse : t.id;
      if (t.gtpu_sequence) f.sequence = static_cast<uint16_t>(*t.gtpu_sequence + n);
      f.qfi = t.qfi;
      f.uplink = !reverse;
      return ip(ipproto::kUdp, udp(src, dst, 2152, 2152, gtpu(f, inner.bytes)));
    }
    case Tunnel::Kind::kIpip:
      require_ip(inner, "ipip");
      return ip(inner.ethertype == ethertype::kIpv4 ? ipproto::kIpip : ipproto::kIpv6,
                inner.bytes);
    case Tunnel::Kind::kSixInFour:
      if (inner.ethertype != ethertype::kIpv6) {
        throw std::invalid_argument("6in4 carries only IPv6 packets");
      }
      return ip(ipproto::kIpv6, inner.bytes);
    case Tunnel::Kind::kTeredo:
      if (inner.ethertype != ethertype::kIpv6) {
        throw std::invalid_argument("teredo carries only IPv6 packets");
      }
      return ip(ipproto::kUdp, udp(src, dst, sport(3544), 3544, inner.bytes));
    case Tunnel::Kind::kMpls: {
      Pdu out{ethertype::kMpls, mpls(t.values, inner.bytes, t.ttl), inner.l3_src,
              inner.l3_dst};
      return out;
    }
    case Tunnel::Kind::kVlan:
    case Tunnel::Kind::kQinq: {
      // Tags live inside the frame; the PDU keeps announcing the outermost TPID.
      Bytes b;
      for (size_t i = t.values.size(); i-- > 0;) {
        Bytes tagged;
        put16(tagged, static_cast<uint16_t>(t.values[i] & 0x0FFF));
        put16(tagged, i + 1 == t.values.size() ? inner.ethertype : ethertype::kVlan);
        append(tagged, i + 1 == t.values.size() ? inner.bytes : b);
        b = std::move(tagged);
      }
      bool qinq = t.kind == Tunnel::Kind::kQinq;
      return Pdu{qinq ? ethertype::kQinq : ethertype::kVlan, b, inner.l3_src, inner.l3_dst};
    }
    case Tunnel::Kind::kEth:
      return ensure_frame(std::move(inner));
  }
  throw std::logic_error("unknown tunnel kind");
}

}  // namespace

Pdu encapsulate(Pdu inner, TunnelStack& stack, bool reverse, uint64_t ts_usec,
                uint16_t& ipv4_id) {
  for (size_t i = stack.size(); i-- > 0;) {
    inner = wrap_one(std::move(inner), stack[i], reverse, ts_usec, ipv4_id);
  }
  return inner;
}

// ---------------------------------------------------------------------------------------
// Pcap

PcapWriter::PcapWriter(uint32_t snaplen) {
  put_le32(bytes_, 0xA1B2C3D4u);
  put_le16(bytes_, 2);
  put_le16(bytes_, 4);
  put_le32(bytes_, 0);  // thiszone
  put_le32(bytes_, 0);  // sigfigs
  put_le32(bytes_, snaplen);
  put_le32(bytes_, 1);  // LINKTYPE_ETHERNET
}

void PcapWriter::add(uint64_t ts_usec, const Bytes& frame) {
  add_record(ts_usec, static_cast<uint32_t>(frame.size()), static_cast<uint32_t>(frame.size()),
             frame);
}

void PcapWriter::add_record(uint64_t ts_usec, uint32_t caplen, uint32_t orig_len,
                            const Bytes& data) {
  put_le32(bytes_, static_cast<uint32_t>(ts_usec / 1000000));
  put_le32(bytes_, static_cast<uint32_t>(ts_usec % 1000000));
  put_le32(bytes_, caplen);
  put_le32(bytes_, orig_len);
  append(bytes_, data);
  ++records_;
}

void PcapWriter::save(const std::string& path) const {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot open " + path + " for writing");
  out.write(reinterpret_cast<const char*>(bytes_.data()),
            static_cast<std::streamsize>(bytes_.size()));
  if (!out.flush()) throw std::runtime_error("cannot write " + path);
}

// ---------------------------------------------------------------------------------------
// Scene

void Scene::emit(Pdu pdu, TunnelStack& tunnels, bool reverse, const std::string& what,
                 bool malformed) {
  uint16_t id = ipv4_id_;
  Pdu outer = encapsulate(std::move(pdu), tunnels, reverse, now_, id);
  ipv4_id_ = id;
  emit_frame(to_frame(outer), what, malformed);
}

void Scene::emit_frame(const Bytes& frame, const std::string& what, bool malformed) {
  out_.add(now_, frame);
  notes_.push_back({out_.record_count(), line_, malformed, what});
  now_ += gap_;
}

void Scene::emit_record(uint32_t caplen, uint32_t orig_len, const Bytes& data,
                        const std::string& what) {
  out_.add_record(now_, caplen, orig_len, data);
  notes_.push_back({out_.record_count(), line_, true, what});
  now_ += gap_;
}

namespace {
std::string describe(const Endpoint& a, const Endpoint& b, const char* proto) {
  auto one = [](const Endpoint& e) {
    std::string s = e.addr.v6 ? "[" + e.addr.to_string() + "]" : e.addr.to_string();
    return s + ":" + std::to_string(e.port);
  };
  return std::string(proto) + " " + one(a) + " -> " + one(b);
}
}  // namespace

void Scene::tcp_session(TcpSession s) {
  const IpAddr& c = s.client.addr;
  const IpAddr& v = s.server.addr;
  if (c.v6 != v.v6) throw std::invalid_argument("tcp: client and server families differ");
  uint32_t cseq = s.client_isn.value_or(
      fnv1a({addr_word(c), addr_word(v), s.client.port, s.server.port}));
  uint32_t sseq = s.server_isn.value_or(
      fnv1a({addr_word(v), addr_word(c), s.server.port, s.client.port, 1}));
  const std::string name = describe(s.client, s.server, "tcp");
  auto send = [&](bool from_client, uint8_t flags, const Bytes& payload, uint16_t mss,
                  const char* what) {
    TcpFields f;
    f.src_port = from_client ? s.client.port : s.server.port;
    f.dst_port = from_client ? s.server.port : s.client.port;
    f.seq = from_client ? cseq : sseq;
    f.ack = (flags & tcp_flag::kAck) ? (from_client ? sseq : cseq) : 0;
    f.flags = flags;
    f.mss = mss;
    const IpAddr& src = from_client ? c : v;
    const IpAddr& dst = from_client ? v : c;
    Pdu pdu = ip_pdu(src, dst, ipproto::kTcp, tcp(src, dst, f, payload), next_ipv4_id());
    emit(std::move(pdu), s.tunnels, !from_client, name + " " + what);
    uint32_t used = static_cast<uint32_t>(payload.size()) +
                    ((flags & (tcp_flag::kSyn | tcp_flag::kFin)) ? 1 : 0);
    (from_client ? cseq : sseq) += used;
  };
  using namespace tcp_flag;
  if (s.handshake) {
    cseq -= 1;  // the SYN consumes the ISN
    sseq -= 1;
    send(true, kSyn, {}, s.mss, "SYN");
    send(false, kSyn | kAck, {}, s.mss, "SYN-ACK");
    send(true, kAck, {}, 0, "ACK");
  }
  for (const TcpMessage& m : s.messages) {
    size_t off = 0;
    size_t seg = s.mss ? s.mss : 1460;
    do {
      size_t n = std::min(seg, m.data.size() - off);
      Bytes part(m.data.begin() + static_cast<long>(off),
                 m.data.begin() + static_cast<long>(off + n));
      off += n;
      send(m.from_client, kAck | (off == m.data.size() ? kPsh : 0), part, 0, "data");
    } while (off < m.data.size());
  }
  if (s.close == TcpSession::Close::kFin) {
    send(true, kFin | kAck, {}, 0, "FIN");
    send(false, kFin | kAck, {}, 0, "FIN");
    send(true, kAck, {}, 0, "ACK");
  } else if (s.close == TcpSession::Close::kRst) {
    send(true, kRst | kAck, {}, 0, "RST");
  }
}

void Scene::udp_exchange(UdpExchange x) {
  if (x.client.addr.v6 != x.server.addr.v6) {
    throw std::invalid_argument("udp: client and server families differ");
  }
  const std::string name = describe(x.client, x.server, "udp");
  for (const TcpMessage& m : x.messages) {
    const Endpoint& a = m.from_client ? x.client : x.server;
    const Endpoint& b = m.from_client ? x.server : x.client;
    Pdu pdu = ip_pdu(a.addr, b.addr, ipproto::kUdp, udp(a.addr, b.addr, a.port, b.port, m.data),
                     next_ipv4_id());
    emit(std::move(pdu), x.tunnels, !m.from_client, name);
  }
}

void Scene::icmp_ping(const IpAddr& src, const IpAddr& dst, unsigned count,
                      TunnelStack tunnels) {
  if (src.v6 != dst.v6) throw std::invalid_argument("icmp: address families differ");
  uint8_t proto = src.v6 ? ipproto::kIcmpv6 : ipproto::kIcmp;
  uint16_t id = static_cast<uint16_t>(fnv1a({addr_word(src), addr_word(dst)}));
  Bytes data;
  for (uint8_t i = 0; i < 32; ++i) data.push_back(static_cast<uint8_t>(0x61 + i % 23));
  std::string name = "icmp " + src.to_string() + " -> " + dst.to_string();
  for (unsigned i = 1; i <= count; ++i) {
    uint16_t seq = static_cast<uint16_t>(i);
    emit(ip_pdu(src, dst, proto, icmp_echo(src, dst, false, id, seq, data), next_ipv4_id()),
         tunnels, false, name + " echo request");
    emit(ip_pdu(dst, src, proto, icmp_echo(dst, src, true, id, seq, data), next_ipv4_id()),
         tunnels, true, name + " echo reply");
  }
}

void Scene::sctp_association(const Endpoint& client, const Endpoint& server,
                             const std::vector<TcpMessage>& messages, uint32_t ppid,
                             TunnelStack tunnels) {
  const IpAddr& c = client.addr;
  const IpAddr& v = server.addr;
  if (c.v6 != v.v6) throw std::invalid_argument("sctp: address families differ");
  uint32_t ctag = fnv1a({addr_word(c), client.port, 7}) | 1;
  uint32_t stag = fnv1a({addr_word(v), server.port, 11}) | 1;
  uint32_t ctsn = ctag ^ 0x5A5A5A5A, stsn = stag ^ 0x5A5A5A5A;
  uint16_t cssn = 0, sssn = 0;
  std::string name = describe(client, server, "sctp");
  auto send = [&](bool from_client, uint32_t vtag, const Bytes& chunk, const char* what) {
    const Endpoint& a = from_client ? client : server;
    const Endpoint& b = from_client ? server : client;
    Bytes body = sctp(a.port, b.port, vtag, {chunk});
    emit(ip_pdu(a.addr, b.addr, ipproto::kSctp, body, next_ipv4_id()), tunnels, !from_client,
         name + " " + what);
  };
  send(true, 0, sctp_init_chunk(ctag, 65536, 10, 10, ctsn), "INIT");
  for (const TcpMessage& m : messages) {
    if (m.from_client) {
      send(true, stag, sctp_data_chunk(ctsn++, 0, cssn++, ppid, m.data), "DATA");
    } else {
      send(false, ctag, sctp_data_chunk(stsn++, 0, sssn++, ppid, m.data), "DATA");
    }
  }
}

std::string Scene::manifest() const {
  std::string s;
  for (const FrameNote& n : notes_) {
    s += std::to_string(n.number) + "\t" + std::to_string(n.source_line) + "\t" +
         (n.malformed ? "1" : "0") + "\t" + n.description + "\n";
  }
  return s;
}

// ---------------------------------------------------------------------------------------
// Malformed packets

namespace malformed {

Pdu ipv4_truncated(const IpAddr& src, const IpAddr& dst, size_t keep_bytes) {
  Bytes full = ipv4(src, dst, ipproto::kTcp, Bytes(20, 0));
  full.resize(std::min(keep_bytes, full.size()));
  return Pdu{ethertype::kIpv4, full, src, dst};
}

Pdu ipv4_total_length(const IpAddr& src, const IpAddr& dst, uint16_t total_length) {
  Bytes b = ipv4(src, dst, ipproto::kUdp, udp(src, dst, 40000, 9, Bytes(8, 0)));
  set16(b, 2, total_length);
  set16(b, 10, 0);
  set16(b, 10, internet_checksum(b.data(), 20));  // only the length is wrong
  return Pdu{ethertype::kIpv4, b, src, dst};
}

Pdu tcp_header_length(const Endpoint& src, const Endpoint& dst, uint8_t header_length) {
  TcpFields f;
  f.src_port = src.port;
  f.dst_port = dst.port;
  f.seq = 1000;
  f.flags = tcp_flag::kSyn;
  f.header_length_override = header_length;
  return ip_pdu(src.addr, dst.addr, ipproto::kTcp, tcp(src.addr, dst.addr, f, {}));
}

Pdu udp_length(const Endpoint& src, const Endpoint& dst, uint16_t udp_length) {
  Bytes payload(16, 0x41);
  return ip_pdu(src.addr, dst.addr, ipproto::kUdp,
                udp(src.addr, dst.addr, src.port, dst.port, payload, udp_length));
}

Pdu gre_version(const IpAddr& src, const IpAddr& dst, uint8_t version) {
  GreFields f;
  f.version = version;
  IpAddr a = IpAddr::v4(10, 255, 0, 1), b = IpAddr::v4(10, 255, 0, 2);
  Pdu inner = ip_pdu(a, b, ipproto::kUdp, udp(a, b, 40000, 9, Bytes(8, 0)));
  return ip_pdu(src, dst, ipproto::kGre, gre(ethertype::kIpv4, inner.bytes, f));
}

Pdu unknown_ethertype(uint16_t type) {
  Pdu p;
  p.ethertype = type;
  p.bytes = Bytes(32, 0xEE);
  return p;
}

Pdu gtpu_nested(const IpAddr& src, const IpAddr& dst, unsigned depth) {
  IpAddr a = IpAddr::v4(10, 45, 0, 1), b = IpAddr::v4(10, 45, 0, 2);
  Pdu pdu = ip_pdu(a, b, ipproto::kUdp, udp(a, b, 40000, 9, Bytes(8, 0)));
  GtpuFields f;
  f.teid = 1;
  for (unsigned i = 0; i < depth; ++i) {
    bool outermost = i + 1 == depth;
    const IpAddr& s = outermost ? src : a;
    const IpAddr& d = outermost ? dst : b;
    pdu = ip_pdu(s, d, ipproto::kUdp, udp(s, d, 2152, 2152, gtpu(f, pdu.bytes)));
  }
  return pdu;
}

}  // namespace malformed

// ---------------------------------------------------------------------------------------
// Scenario language

ScenarioError::ScenarioError(const std::string& source, size_t line, size_t column,
                             const std::string& msg)
    : std::runtime_error(source + ":" + std::to_string(line) + ":" + std::to_string(column) +
                         ": " + msg),
      line_(line),
      column_(column) {}

namespace {

enum class Tok { kWord, kString, kArrow, kGt, kLParen, kRParen, kComma, kEquals, kSlash, kEnd };

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;  // word text or decoded string
  size_t column = 0;
};

const char* tok_name(Tok t) {
  switch (t) {
    case Tok::kWord: return "a word";
    case Tok::kString: return "a string";
    case Tok::kArrow: return "'->'";
    case Tok::kGt: return "'>'";
    case Tok::kLParen: return "'('";
    case Tok::kRParen: return "')'";
    case Tok::kComma: return "','";
    case Tok::kEquals: return "'='";
    case Tok::kSlash: return "'/'";
    case Tok::kEnd: return "end of line";
  }
  return "?";
}

class LineParser {
 public:
  LineParser(std::string_view line, size_t number, const std::string& source)
      : line_(line), number_(number), source_(source) {
    tokenize();
  }

  [[noreturn]] void fail(size_t column, const std::string& msg) const {
    throw ScenarioError(source_, number_, column, msg);
  }
  [[noreturn]] void fail(const Token& t, const std::string& msg) const { fail(t.column, msg); }

  const Token& peek(size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  bool at(Tok kind) const { return peek().kind == kind; }
  bool at_word(std::string_view w) const { return at(Tok::kWord) && peek().text == w; }
  Token next() {
    Token t = peek();
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  Token expect(Tok kind, const char* what) {
    if (!at(kind)) {
      fail(peek(), std::string("expected ") + what + ", found " + found(peek()));
    }
    return next();
  }
  bool accept(Tok kind) {
    if (!at(kind)) return false;
    next();
    return true;
  }
  bool empty() const { return tokens_.size() == 1; }
  static std::string found(const Token& t) {
    if (t.kind == Tok::kWord) return "'" + t.text + "'";
    return tok_name(t.kind);
  }

 private:
  void tokenize() {
    size_t i = 0;
    while (i < line_.size()) {
      char c = line_[i];
      size_t col = i + 1;
      if (c == ' ' || c == '\t' || c == '\r') {
        ++i;
      } else if (c == '#') {
        break;
      } else if (c == '"') {
        tokens_.push_back({Tok::kString, read_string(i), col});
      } else if (c == '-' && i + 1 < line_.size() && line_[i + 1] == '>') {
        tokens_.push_back({Tok::kArrow, "->", col});
        i += 2;
      } else if (std::strchr(">(),=/", c)) {
        static const Tok kinds[] = {Tok::kGt, Tok::kLParen, Tok::kRParen, Tok::kComma,
                                    Tok::kEquals, Tok::kSlash};
        tokens_.push_back({kinds[std::strchr(">(),=/", c) - ">(),=/"], std::string(1, c), col});
        ++i;
      } else if (std::isalnum(static_cast<unsigned char>(c)) || std::strchr("._:[]-+", c)) {
        size_t start = i;
        while (i < line_.size()) {
          char d = line_[i];
          if (d == '-' && i + 1 < line_.size() && line_[i + 1] == '>') break;
          if (!std::isalnum(static_cast<unsigned char>(d)) && !std::strchr("._:[]-+", d)) break;
          ++i;
        }
        tokens_.push_back({Tok::kWord, std::string(line_.substr(start, i - start)), col});
      } else {
        fail(col, std::string("unexpected character '") + c + "'");
      }
    }
    tokens_.push_back({Tok::kEnd, "", line_.size() + 1});
  }

  std::string read_string(size_t& i) {
    size_t start = i++;
    std::string out;
    while (true) {
      if (i >= line_.size()) fail(start + 1, "unterminated string");
      char c = line_[i++];
      if (c == '"') return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i >= line_.size()) fail(start + 1, "unterminated string");
      char e = line_[i++];
      switch (e) {
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case '0': out += '\0'; break;
        case '\\': out += '\\'; break;
        case '"': out += '"'; break;
        case 'x': {
          auto hex = [&](char h) -> int {
            if (h >= '0' && h <= '9') return h - '0';
            h = static_cast<char>(std::tolower(static_cast<unsigned char>(h)));
            if (h >= 'a' && h <= 'f') return h - 'a' + 10;
            return -1;
          };
          if (i + 1 >= line_.size() || hex(line_[i]) < 0 || hex(line_[i + 1]) < 0) {
            fail(i - 1, "\\x needs two hex digits");
          }
          out += static_cast<char>(hex(line_[i]) * 16 + hex(line_[i + 1]));
          i += 2;
          break;
        }
        default: fail(i - 1, std::string("unknown escape '\\") + e + "'");
      }
    }
  }

  std::string_view line_;
  size_t number_;
  const std::string& source_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

class Interpreter {
 public:
  Interpreter(Scene& scene, const std::string& source) : scene_(scene), source_(source) {}

  void run(std::string_view text) {
    size_t number = 0;
    while (!text.empty()) {
      size_t nl = text.find('\n');
      std::string_view line = text.substr(0, nl);
      text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
      ++number;
      LineParser p(line, number, source_);
      if (p.empty()) continue;
      scene_.set_source_line(number);
      statement(p);
    }
  }

 private:
  // ---- values

  uint64_t number(LineParser& p, const Token& t, uint64_t max) {
    const std::string& s = t.text;
    uint64_t v = 0;
    bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    size_t i = hex ? 2 : 0;
    if (i >= s.size()) p.fail(t, "expected a number, found " + LineParser::found(t));
    for (; i < s.size(); ++i) {
      int d;
      char c = static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (hex && c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else {
        p.fail(t, "expected a number, found " + LineParser::found(t));
      }
      v = v * (hex ? 16 : 10) + static_cast<uint64_t>(d);
      if (v > max) p.fail(t, "number " + s + " is larger than " + std::to_string(max));
    }
    return v;
  }
  uint64_t number(LineParser& p, uint64_t max) {
    Token t = p.expect(Tok::kWord, "a number");
    return number(p, t, max);
  }

  // Seconds with up to 6 decimals, returned in microseconds.
  uint64_t seconds(LineParser& p) {
    Token t = p.expect(Tok::kWord, "a duration in seconds");
    const std::string& s = t.text;
    uint64_t whole = 0, frac = 0;
    size_t i = 0, fdigits = 0;
    bool any = false;
    for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i, any = true) {
      whole = whole * 10 + static_cast<uint64_t>(s[i] - '0');
      if (whole > 100000000) p.fail(t, "duration too long");
    }
    if (i < s.size() && s[i] == '.') {
      for (++i; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) {
        if (++fdigits > 6) p.fail(t, "at most 6 decimals (microseconds)");
        frac = frac * 10 + static_cast<uint64_t>(s[i] - '0');
        any = true;
      }
    }
    if (!any || i != s.size()) p.fail(t, "expected seconds like 0.5, found '" + s + "'");
    while (fdigits++ < 6) frac *= 10;
    return whole * 1000000 + frac;
  }

  IpAddr address(LineParser& p, const Token& t, std::string_view text) {
    auto host = hosts_.find(std::string(text));
    if (host != hosts_.end()) return host->second;
    std::optional<IpAddr> a = IpAddr::parse(text);
    if (!a) p.fail(t, "'" + std::string(text) + "' is not an IP address or a known host");
    return *a;
  }
  IpAddr address(LineParser& p) {
    Token t = p.expect(Tok::kWord, "an address");
    return address(p, t, t.text);
  }

  // ADDR | ADDR:PORT | [V6] | [V6]:PORT | V6
  Endpoint endpoint(LineParser& p, bool need_port, uint16_t default_port = 0) {
    Token t = p.expect(Tok::kWord, "an address");
    std::string_view s = t.text;
    std::string_view addr = s, port;
    if (!s.empty() && s[0] == '[') {
      size_t close = s.find(']');
      if (close == std::string_view::npos) p.fail(t, "missing ']' in IPv6 endpoint");
      addr = s.substr(1, close - 1);
      std::string_view rest = s.substr(close + 1);
      if (!rest.empty()) {
        if (rest[0] != ':') p.fail(t, "expected ':PORT' after ']'");
        port = rest.substr(1);
      }
    } else if (std::count(s.begin(), s.end(), ':') == 1) {
      size_t colon = s.find(':');
      addr = s.substr(0, colon);
      port = s.substr(colon + 1);
    }
    Endpoint e;
    e.addr = address(p, t, addr);
    if (!port.empty()) {
      Token pt = t;
      pt.text = std::string(port);
      pt.column = t.column + static_cast<size_t>(port.data() - s.data());
      e.port = static_cast<uint16_t>(number(p, pt, 65535));
    } else if (need_port && !default_port) {
      p.fail(t, "'" + t.text + "' needs a port (ADDR:PORT or [V6]:PORT)");
    } else {
      e.port = default_port;
    }
    return e;
  }

  void flow(LineParser& p, Endpoint& a, Endpoint& b, bool ports) {
    Token first = p.peek();
    a = endpoint(p, ports);
    p.expect(Tok::kArrow, "'->'");
    b = endpoint(p, ports);
    if (a.addr.v6 != b.addr.v6) p.fail(first, "both ends must be IPv4 or both IPv6");
  }

  // ---- tunnels

  struct Arg {
    Token key;                   // empty text when positional
    Token value;
    std::optional<Token> pair_to;  // A>B form: value=A, pair_to=B
  };

  Tunnel tunnel(LineParser& p) {
    Token name = p.expect(Tok::kWord, "a tunnel name");
    static const std::map<std::string, Tunnel::Kind> kinds = {
        {"gre", Tunnel::Kind::kGre},       {"erspan2", Tunnel::Kind::kErspan2},
        {"erspan3", Tunnel::Kind::kErspan3}, {"vxlan", Tunnel::Kind::kVxlan},
        {"geneve", Tunnel::Kind::kGeneve}, {"gtpu", Tunnel::Kind::kGtpu},
        {"ipip", Tunnel::Kind::kIpip},     {"6in4", Tunnel::Kind::kSixInFour},
        {"teredo", Tunnel::Kind::kTeredo}, {"mpls", Tunnel::Kind::kMpls},
        {"vlan", Tunnel::Kind::kVlan},     {"qinq", Tunnel::Kind::kQinq},
        {"eth", Tunnel::Kind::kEth}};
    auto kind = kinds.find(name.text);
    if (kind == kinds.end()) {
      p.fail(name, "unknown tunnel '" + name.text +
                       "' (gre erspan2 erspan3 vxlan geneve gtpu ipip 6in4 teredo mpls vlan "
                       "qinq eth)");
    }
    Tunnel t;
    t.kind = kind->second;
    std::vector<Arg> args;
    if (p.accept(Tok::kLParen)) {
      if (!p.at(Tok::kRParen)) {
        do {
          Arg a;
          if (p.peek(1).kind == Tok::kEquals) {
            a.key = p.expect(Tok::kWord, "an option name");
            p.next();
            a.value = p.expect(Tok::kWord, "a value");
          } else {
            a.value = p.expect(Tok::kWord, "a value or 'A>B'");
            if (p.accept(Tok::kGt)) a.pair_to = p.expect(Tok::kWord, "an address");
          }
          args.push_back(a);
        } while (p.accept(Tok::kComma));
      }
      p.expect(Tok::kRParen, "',' or ')'");
    }
    using K = Tunnel::Kind;
    bool needs_endpoints = t.kind != K::kMpls && t.kind != K::kVlan && t.kind != K::kQinq &&
                           t.kind != K::kEth;
    bool have_endpoints = false;
    for (const Arg& a : args) {
      const std::string& key = a.key.text;
      if (a.pair_to) {
        if (!needs_endpoints) p.fail(a.value, name.text + " takes no endpoints");
        t.outer_src = address(p, a.value, a.value.text);
        t.outer_dst = address(p, *a.pair_to, a.pair_to->text);
        if (t.outer_src.v6 != t.outer_dst.v6) p.fail(a.value, "endpoint families differ");
        have_endpoints = true;
      } else if (key.empty()) {
        if (t.kind == K::kMpls) {
          t.values.push_back(static_cast<uint32_t>(number(p, a.value, 0xFFFFF)));
        } else if (t.kind == K::kVlan || t.kind == K::kQinq) {
          t.values.push_back(static_cast<uint32_t>(number(p, a.value, 4095)));
        } else {
          p.fail(a.value, "expected 'A>B' or key=value in " + name.text + "(...)");
        }
      } else if (key == "key" && t.kind == K::kGre) {
        t.key = static_cast<uint32_t>(number(p, a.value, 0xFFFFFFFF));
      } else if (key == "seq" && t.kind == K::kGre) {
        t.gre_sequence = yes_no(p, a.value);
      } else if (key == "seq" && t.kind == K::kGtpu) {
        t.gtpu_sequence = static_cast<uint16_t>(number(p, a.value, 0xFFFF));
      } else if (key == "session" && (t.kind == K::kErspan2 || t.kind == K::kErspan3)) {
        t.id = static_cast<uint32_t>(number(p, a.value, 1023));
      } else if (key == "vlan" && (t.kind == K::kErspan2 || t.kind == K::kErspan3)) {
        t.vlan = static_cast<uint16_t>(number(p, a.value, 4095));
      } else if (key == "vni" && (t.kind == K::kVxlan || t.kind == K::kGeneve)) {
        t.id = static_cast<uint32_t>(number(p, a.value, 0xFFFFFF));
      } else if (key == "teid" && t.kind == K::kGtpu) {
        t.id = static_cast<uint32_t>(number(p, a.value, 0xFFFFFFFF));
      } else if (key == "teid_dl" && t.kind == K::kGtpu) {
        t.id_reverse = static_cast<uint32_t>(number(p, a.value, 0xFFFFFFFF));
      } else if (key == "qfi" && t.kind == K::kGtpu) {
        t.qfi = static_cast<uint8_t>(number(p, a.value, 63));
      } else if (key == "sport" &&
                 (t.kind == K::kVxlan || t.kind == K::kGeneve || t.kind == K::kTeredo)) {
        t.udp_src_port = static_cast<uint16_t>(number(p, a.value, 65535));
      } else if (key == "inner" && t.kind == K::kGeneve) {
        if (a.value.text != "eth" && a.value.text != "ip") p.fail(a.value, "inner=eth|ip");
        t.geneve_ethernet = a.value.text == "eth";
      } else if (key == "ttl" && t.kind == K::kMpls) {
        t.ttl = static_cast<uint8_t>(number(p, a.value, 255));
      } else {
        p.fail(a.key, "unknown option '" + key + "' for " + name.text);
      }
    }
    if (needs_endpoints && !have_endpoints) {
      p.fail(name, name.text + " needs outer endpoints, e.g. " + name.text +
                       "(192.0.2.1>192.0.2.2)");
    }
    if (t.kind == K::kMpls && t.values.empty()) p.fail(name, "mpls needs at least one label");
    if (t.kind == K::kVlan && t.values.size() != 1) p.fail(name, "vlan takes one VLAN id");
    if (t.kind == K::kQinq && t.values.size() != 2) {
      p.fail(name, "qinq takes two VLAN ids (outer, inner)");
    }
    return t;
  }

  bool yes_no(LineParser& p, const Token& t) {
    if (t.text == "yes" || t.text == "1") return true;
    if (t.text == "no" || t.text == "0") return false;
    p.fail(t, "expected yes or no");
  }

  // Optional trailing "via T / T / ..." then end of line.
  TunnelStack tail(LineParser& p) {
    TunnelStack stack;
    if (p.at_word("via")) {
      p.next();
      do {
        stack.push_back(tunnel(p));
      } while (p.accept(Tok::kSlash));
    }
    if (!p.at(Tok::kEnd)) {
      p.fail(p.peek(), "unexpected " + LineParser::found(p.peek()));
    }
    return stack;
  }

  Bytes bytes_of(const std::string& s) { return Bytes(s.begin(), s.end()); }

  // Runs an action and turns builder errors (e.g. "gtpu carries only IP") into line errors.
  template <typename F>
  void guarded(LineParser& p, const Token& at, F&& action) {
    try {
      action();
    } catch (const ScenarioError&) {
      throw;
    } catch (const std::exception& e) {
      p.fail(at, e.what());
    }
  }

  // ---- statements

  void statement(LineParser& p) {
    Token kw = p.expect(Tok::kWord, "a statement");
    const std::string& k = kw.text;
    if (k == "time") {
      time(p);
    } else if (k == "wait") {
      scene_.advance_usec(seconds(p));
      tail_none(p);
    } else if (k == "gap") {
      scene_.set_gap_usec(seconds(p));
      tail_none(p);
    } else if (k == "host") {
      Token name = p.expect(Tok::kWord, "a host name");
      if (IpAddr::parse(name.text)) p.fail(name, "a host name cannot be an address");
      if (!std::isalpha(static_cast<unsigned char>(name.text[0]))) {
        p.fail(name, "host names start with a letter");
      }
      hosts_[name.text] = address(p);
      tail_none(p);
    } else if (k == "tcp") {
      tcp_statement(p, kw);
    } else if (k == "udp") {
      udp_statement(p, kw);
    } else if (k == "dns") {
      dns_statement(p, kw);
    } else if (k == "icmp") {
      Endpoint a, b;
      flow(p, a, b, false);
      unsigned count = 1;
      if (p.at_word("count")) {
        p.next();
        count = static_cast<unsigned>(number(p, 1000));
      }
      TunnelStack stack = tail(p);
      guarded(p, kw, [&] { scene_.icmp_ping(a.addr, b.addr, count, stack); });
    } else if (k == "sctp") {
      sctp_statement(p, kw);
    } else if (k == "malformed") {
      malformed_statement(p);
    } else {
      p.fail(kw, "unknown statement '" + k +
                     "' (time wait gap host tcp udp dns icmp sctp malformed)");
    }
  }

  void tail_none(LineParser& p) {
    if (!p.at(Tok::kEnd)) p.fail(p.peek(), "unexpected " + LineParser::found(p.peek()));
  }

  // time YYYY-MM-DDTHH:MM:SS[.ffffff][Z]  (UTC)
  void time(LineParser& p) {
    Token t = p.expect(Tok::kWord, "a time like 2024-05-01T10:00:00");
    int y, mo, d, h, mi, s, used = 0;
    std::string text = t.text;
    if (!text.empty() && text.back() == 'Z') text.pop_back();
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s,
                    &used) != 6 ||
        y < 1970 || y > 2105 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
        s > 59) {
      p.fail(t, "expected a UTC time like 2024-05-01T10:00:00[.ffffff]");
    }
    uint64_t usec = 0;
    std::string frac = text.substr(static_cast<size_t>(used));
    if (!frac.empty()) {
      if (frac[0] != '.' || frac.size() < 2 || frac.size() > 7 ||
          !std::all_of(frac.begin() + 1, frac.end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        p.fail(t, "fraction of a second needs 1 to 6 digits");
      }
      std::string digits = frac.substr(1);
      digits.resize(6, '0');
      usec = std::stoull(digits);
    }
    // Days from civil (Howard Hinnant's algorithm).
    int yy = y - (mo <= 2);
    int era = yy / 400;
    int yoe = yy - era * 400;
    int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = int64_t{era} * 146097 + doe - 719468;
    int64_t secs = days * 86400 + h * 3600 + mi * 60 + s;
    scene_.set_time_usec(static_cast<uint64_t>(secs) * 1000000 + usec);
    tail_none(p);
  }

  // payload "..." / response "..." in order.
  bool message(LineParser& p, std::vector<TcpMessage>& out) {
    if (!p.at_word("payload") && !p.at_word("response")) return false;
    bool from_client = p.next().text == "payload";
    out.push_back({from_client, bytes_of(p.expect(Tok::kString, "a quoted string").text)});
    return true;
  }

  void tcp_statement(LineParser& p, const Token& kw) {
    TcpSession s;
    flow(p, s.client, s.server, true);
    while (true) {
      if (message(p, s.messages)) continue;
      if (p.at(Tok::kWord) && p.peek(1).kind == Tok::kEquals) {
        Token key = p.next();
        p.next();
        Token value = p.expect(Tok::kWord, "a value");
        if (key.text == "mss") {
          s.mss = static_cast<uint16_t>(number(p, value, 65535));
        } else if (key.text == "handshake") {
          s.handshake = yes_no(p, value);
        } else if (key.text == "close") {
          if (value.text == "fin") {
            s.close = TcpSession::Close::kFin;
          } else if (value.text == "rst") {
            s.close = TcpSession::Close::kRst;
          } else if (value.text == "none") {
            s.close = TcpSession::Close::kNone;
          } else {
            p.fail(value, "close=fin|rst|none");
          }
        } else if (key.text == "isn") {
          s.client_isn = static_cast<uint32_t>(number(p, value, 0xFFFFFFFF));
        } else if (key.text == "server_isn") {
          s.server_isn = static_cast<uint32_t>(number(p, value, 0xFFFFFFFF));
        } else {
          p.fail(key, "unknown tcp option '" + key.text +
                          "' (mss handshake close isn server_isn)");
        }
        continue;
      }
      break;
    }
    s.tunnels = tail(p);
    guarded(p, kw, [&] { scene_.tcp_session(s); });
  }

  void udp_statement(LineParser& p, const Token& kw) {
    UdpExchange x;
    flow(p, x.client, x.server, true);
    while (message(p, x.messages)) {
    }
    if (x.messages.empty()) p.fail(p.peek(), "udp needs at least one payload \"...\"");
    x.tunnels = tail(p);
    guarded(p, kw, [&] { scene_.udp_exchange(x); });
  }

  // dns CLIENT[:PORT] -> SERVER[:PORT] query NAME [type A|AAAA] [answer ADDR]... [nxdomain]
  void dns_statement(LineParser& p, const Token& kw) {
    Endpoint c = endpoint(p, false);
    p.expect(Tok::kArrow, "'->'");
    Endpoint v = endpoint(p, false, 53);
    if (c.addr.v6 != v.addr.v6) p.fail(kw, "both ends must be IPv4 or both IPv6");
    if (c.port == 0) c.port = static_cast<uint16_t>(40000 + (dns_count_ * 97) % 20000);
    if (!p.at_word("query")) p.fail(p.peek(), "expected 'query NAME'");
    p.next();
    DnsMessage q;
    Token name = p.expect(Tok::kWord, "a domain name");
    q.qname = name.text;
    q.id = static_cast<uint16_t>(fnv1a({++dns_count_, addr_word(c.addr)}));
    DnsMessage r = q;
    r.response = true;
    while (true) {
      if (p.at_word("type")) {
        p.next();
        Token t = p.expect(Tok::kWord, "A or AAAA");
        if (t.text == "A") {
          q.qtype = r.qtype = 1;
        } else if (t.text == "AAAA") {
          q.qtype = r.qtype = 28;
        } else {
          p.fail(t, "type A|AAAA");
        }
      } else if (p.at_word("answer")) {
        p.next();
        r.answers.push_back(address(p));
      } else if (p.at_word("nxdomain")) {
        p.next();
        r.rcode = 3;
      } else {
        break;
      }
    }
    UdpExchange x;
    x.client = c;
    x.server = v;
    guarded(p, name, [&] {
      x.messages = {{true, dns(q)}, {false, dns(r)}};
    });
    x.tunnels = tail(p);
    guarded(p, kw, [&] { scene_.udp_exchange(x); });
  }

  void sctp_statement(LineParser& p, const Token& kw) {
    Endpoint a, b;
    flow(p, a, b, true);
    std::vector<TcpMessage> messages;
    uint32_t ppid = 0;
    while (true) {
      if (message(p, messages)) continue;
      if (p.at_word("ppid") && p.peek(1).kind == Tok::kEquals) {
        p.next();
        p.next();
        ppid = static_cast<uint32_t>(number(p, 0xFFFFFFFF));
        continue;
      }
      break;
    }
    TunnelStack stack = tail(p);
    guarded(p, kw, [&] { scene_.sctp_association(a, b, messages, ppid, stack); });
  }

  void malformed_statement(LineParser& p) {
    Token kind = p.expect(Tok::kWord, "a malformed kind");
    const std::string& k = kind.text;
    static const char* kKinds =
        "ipv4-truncated ipv4-total-length tcp-header-length udp-length gre-version "
        "unknown-ethertype gtpu-nested zero-length oversize";
    Endpoint a{IpAddr::v4(192, 0, 2, 66), 40000}, b{IpAddr::v4(198, 51, 100, 9), 80};
    bool with_flow = !p.at(Tok::kEnd) && !p.at_word("via") && p.peek(1).kind != Tok::kEquals;
    if (with_flow) {
      bool ports = k == "tcp-header-length" || k == "udp-length";
      flow(p, a, b, ports);
    }
    std::map<std::string, Token> opts;
    while (p.at(Tok::kWord) && p.peek(1).kind == Tok::kEquals) {
      Token key = p.next();
      p.next();
      opts[key.text] = p.expect(Tok::kWord, "a value");
    }
    auto opt = [&](const char* key, uint64_t dflt, uint64_t max) {
      auto it = opts.find(key);
      if (it == opts.end()) return dflt;
      uint64_t v = number(p, it->second, max);
      opts.erase(it);
      return v;
    };
    std::optional<Pdu> pdu;
    std::string what = "malformed " + k;
    if (k == "ipv4-truncated") {
      pdu = malformed::ipv4_truncated(a.addr, b.addr, opt("bytes", 12, 19));
    } else if (k == "ipv4-total-length") {
      pdu = malformed::ipv4_total_length(a.addr, b.addr,
                                         static_cast<uint16_t>(opt("total", 16, 19)));
    } else if (k == "tcp-header-length") {
      uint64_t hlen = opt("hlen", 16, 16);
      if (hlen < 4 || hlen % 4) p.fail(kind, "hlen must be 4, 8, 12 or 16");
      pdu = malformed::tcp_header_length(a, b, static_cast<uint8_t>(hlen));
    } else if (k == "udp-length") {
      pdu = malformed::udp_length(a, b, static_cast<uint16_t>(opt("length", 40, 65535)));
    } else if (k == "gre-version") {
      pdu = malformed::gre_version(a.addr, b.addr, static_cast<uint8_t>(opt("version", 2, 7)));
    } else if (k == "unknown-ethertype") {
      pdu = malformed::unknown_ethertype(static_cast<uint16_t>(opt("type", 0x1234, 0xFFFF)));
    } else if (k == "gtpu-nested") {
      pdu = malformed::gtpu_nested(a.addr, b.addr,
                                   static_cast<unsigned>(opt("depth", 1000, 1800)));
    } else if (k == "zero-length") {
      tail_opts(p, opts);
      scene_.emit_record(0, 0, {}, what);
      return;
    } else if (k == "oversize") {
      uint32_t caplen = static_cast<uint32_t>(opt("caplen", 262145, 16u << 20));
      tail_opts(p, opts);
      Pdu body = ip_pdu(a.addr, b.addr, ipproto::kUdp,
                        udp(a.addr, b.addr, 40000, 9, Bytes(8, 0)));
      Bytes frame = to_frame(body);
      frame.resize(std::max<size_t>(caplen, frame.size()), 0);
      frame.resize(caplen);
      scene_.emit_record(caplen, caplen, frame, what);
      return;
    } else {
      p.fail(kind, "unknown malformed kind '" + k + "' (" + kKinds + ")");
    }
    if (!opts.empty()) {
      p.fail(opts.begin()->second, "unknown option '" + opts.begin()->first + "' for " + k);
    }
    TunnelStack stack = tail(p);
    guarded(p, kind, [&] { scene_.emit(*pdu, stack, false, what, true); });
  }

  void tail_opts(LineParser& p, const std::map<std::string, Token>& opts) {
    if (!opts.empty()) {
      p.fail(opts.begin()->second, "unknown option '" + opts.begin()->first + "'");
    }
    tail_none(p);
  }

  Scene& scene_;
  const std::string& source_;
  std::map<std::string, IpAddr> hosts_;
  uint32_t dns_count_ = 0;
};

}  // namespace

void run_scenario(std::string_view text, const std::string& source_name, Scene& scene) {
  Interpreter(scene, source_name).run(text);
}

std::string_view builtin_scenario(std::string_view name) {
  if (name == "demo") return kDemoScenario;
  return {};
}

}  // namespace seawall::scenario
