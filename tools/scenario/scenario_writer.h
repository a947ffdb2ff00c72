// Scenario capture writer: builds well-formed (and deliberately malformed) packets and
// writes them as a classic pcap. Used by the `seawall-scenario` tool, by C++ tests and to
// regenerate samples/demo.pcap. Load-time code: it throws on bad input and allocates freely.
//
// Layering: builders return raw header+payload bytes; a Pdu pairs bytes with the EtherType
// that announces them (0x6558 "transparent Ethernet bridging" = a whole Ethernet frame), so
// any tunnel can carry any PDU and the final frame only needs an Ethernet header.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace seawall::scenario {

using Bytes = std::vector<uint8_t>;
using Mac = std::array<uint8_t, 6>;

// ---------------------------------------------------------------------------------------
// Addresses

struct IpAddr {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};  // IPv4 uses the first 4 bytes

  static std::optional<IpAddr> parse(std::string_view text);
  static IpAddr v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d);
  size_t size() const { return v6 ? 16 : 4; }
  std::string to_string() const;
  bool operator==(const IpAddr&) const = default;
};

struct Endpoint {
  IpAddr addr;
  uint16_t port = 0;
};

// ---------------------------------------------------------------------------------------
// Checksums

// RFC 1071 one's-complement sum, folded and complemented. `initial` carries a pseudo-header.
uint16_t internet_checksum(const uint8_t* data, size_t len, uint32_t initial = 0);
// CRC32c (Castagnoli), as used by SCTP (RFC 4960 appendix B / RFC 3309).
uint32_t crc32c(const uint8_t* data, size_t len);

// ---------------------------------------------------------------------------------------
// PDUs and link layer

namespace ethertype {
constexpr uint16_t kIpv4 = 0x0800;
constexpr uint16_t kIpv6 = 0x86DD;
constexpr uint16_t kVlan = 0x8100;
constexpr uint16_t kQinq = 0x88A8;
constexpr uint16_t kMpls = 0x8847;
constexpr uint16_t kTeb = 0x6558;  // transparent Ethernet bridging: payload is a frame
constexpr uint16_t kErspan2 = 0x88BE;
constexpr uint16_t kErspan3 = 0x22EB;
}  // namespace ethertype

namespace ipproto {
constexpr uint8_t kIcmp = 1;
constexpr uint8_t kIpip = 4;
constexpr uint8_t kTcp = 6;
constexpr uint8_t kUdp = 17;
constexpr uint8_t kIpv6 = 41;
constexpr uint8_t kGre = 47;
constexpr uint8_t kIcmpv6 = 58;
constexpr uint8_t kSctp = 132;
}  // namespace ipproto

struct Pdu {
  uint16_t ethertype = 0;
  Bytes bytes;
  // Addresses of the outermost IP header inside `bytes`, used to derive stable MACs.
  std::optional<IpAddr> l3_src, l3_dst;
};

struct VlanTag {
  uint16_t tpid = ethertype::kVlan;
  uint16_t vid = 0;
  uint8_t pcp = 0;
};

// Tags are listed outermost first.
Bytes ethernet(const Mac& dst, const Mac& src, uint16_t type, const Bytes& payload,
               const std::vector<VlanTag>& tags = {});
// A locally administered MAC (02:00:xx:xx:xx:xx) from the low 32 bits of an address.
Mac mac_for(const IpAddr& addr);
// Wraps a PDU in Ethernet (MACs from its IP addresses); a 0x6558 PDU is returned as is.
Bytes to_frame(const Pdu& pdu);
// Labels outermost first; the bottom-of-stack bit is set on the last one.
Bytes mpls(const std::vector<uint32_t>& labels, const Bytes& payload, uint8_t ttl = 64);

// ---------------------------------------------------------------------------------------
// Network layer

struct Ipv4Fields {
  uint8_t ttl = 64;
  uint16_t id = 0;
  bool dont_fragment = true;
  uint8_t tos = 0;
  Bytes options;  // padded to a multiple of 4 with EOL bytes
};
Bytes ipv4(const IpAddr& src, const IpAddr& dst, uint8_t protocol, const Bytes& payload,
           const Ipv4Fields& fields = {});

struct Ipv6Fields {
  uint8_t hop_limit = 64;
  uint32_t flow_label = 0;
  uint8_t traffic_class = 0;
};
Bytes ipv6(const IpAddr& src, const IpAddr& dst, uint8_t next_header, const Bytes& payload,
           const Ipv6Fields& fields = {});

// IPv4 or IPv6 depending on the address family (both addresses must match).
Pdu ip_pdu(const IpAddr& src, const IpAddr& dst, uint8_t protocol, const Bytes& payload,
           uint16_t ipv4_id = 0);

// ---------------------------------------------------------------------------------------
// Transport layer (checksums include the pseudo-header of src/dst)

namespace tcp_flag {
constexpr uint8_t kFin = 0x01;
constexpr uint8_t kSyn = 0x02;
constexpr uint8_t kRst = 0x04;
constexpr uint8_t kPsh = 0x08;
constexpr uint8_t kAck = 0x10;
constexpr uint8_t kUrg = 0x20;
}  // namespace tcp_flag

struct TcpFields {
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint8_t flags = tcp_flag::kAck;
  uint16_t window = 64240;
  uint16_t mss = 0;  // 0: no MSS option
  // Overrides the data offset (in bytes) for malformed headers; 0 = computed.
  uint8_t header_length_override = 0;
};
Bytes tcp(const IpAddr& src, const IpAddr& dst, const TcpFields& fields, const Bytes& payload);

// `length_override` != 0 writes a wrong UDP length (the checksum still uses the real one).
Bytes udp(const IpAddr& src, const IpAddr& dst, uint16_t src_port, uint16_t dst_port,
          const Bytes& payload, uint16_t length_override = 0);

// ICMPv4 or ICMPv6 echo request/reply depending on the address family.
Bytes icmp_echo(const IpAddr& src, const IpAddr& dst, bool reply, uint16_t id, uint16_t seq,
                const Bytes& data);

// SCTP: chunks are assembled (each padded to 4 bytes) and the CRC32c is filled in.
Bytes sctp_init_chunk(uint32_t initiate_tag, uint32_t a_rwnd, uint16_t out_streams,
                      uint16_t in_streams, uint32_t initial_tsn);
Bytes sctp_data_chunk(uint32_t tsn, uint16_t stream, uint16_t stream_seq, uint32_t ppid,
                      const Bytes& data);
Bytes sctp(uint16_t src_port, uint16_t dst_port, uint32_t verification_tag,
           const std::vector<Bytes>& chunks);

// ---------------------------------------------------------------------------------------
// Tunnel headers

struct GreFields {
  std::optional<uint32_t> key;
  std::optional<uint32_t> sequence;
  bool checksum = false;
  uint8_t version = 0;  // anything but 0 (or 1 for PPTP) is wrong on purpose
};
Bytes gre(uint16_t protocol, const Bytes& payload, const GreFields& fields = {});

struct ErspanFields {
  uint16_t session_id = 1;  // 10 bits
  uint16_t vlan = 0;        // 12 bits
  uint32_t index = 0;       // type II only, 20 bits
  uint32_t timestamp = 0;   // type III only
  uint16_t sgt = 0;         // type III only
  uint8_t hardware_id = 0;  // type III only, 6 bits
  bool egress = false;      // type III D bit
};
// ERSPAN header + mirrored frame; the GRE around them must carry a sequence number.
Bytes erspan2(const Bytes& frame, const ErspanFields& fields);
Bytes erspan3(const Bytes& frame, const ErspanFields& fields);

Bytes vxlan(uint32_t vni, const Bytes& frame);
Bytes geneve(uint32_t vni, uint16_t protocol, const Bytes& payload);

struct GtpuFields {
  uint32_t teid = 0;
  std::optional<uint16_t> sequence;
  std::optional<uint8_t> qfi;  // adds a PDU Session Container extension header (0x85)
  bool uplink = true;          // PDU type of the container
};
Bytes gtpu(const GtpuFields& fields, const Bytes& payload);

// DNS message with one question and optional A/AAAA answers.
struct DnsMessage {
  uint16_t id = 0;
  bool response = false;
  uint8_t rcode = 0;
  std::string qname;
  uint16_t qtype = 1;
  std::vector<IpAddr> answers;
};
Bytes dns(const DnsMessage& message);

// ---------------------------------------------------------------------------------------
// Tunnel stacks: every packet of a conversation is wrapped by each tunnel, innermost last
// in the vector (stack[0] is the outermost layer, as in a protocol string).

struct Tunnel {
  enum class Kind { kGre, kErspan2, kErspan3, kVxlan, kGeneve, kGtpu, kIpip, kSixInFour,
                    kTeredo, kMpls, kVlan, kQinq, kEth };
  Kind kind = Kind::kGre;
  IpAddr outer_src, outer_dst;
  std::optional<uint32_t> key;       // GRE key
  bool gre_sequence = false;         // GRE: add sequence numbers
  uint32_t id = 0;                   // VXLAN/Geneve VNI, GTP-U uplink TEID, ERSPAN session
  std::optional<uint32_t> id_reverse;  // GTP-U downlink TEID
  uint16_t vlan = 0;                 // ERSPAN VLAN field
  uint16_t udp_src_port = 0;         // VXLAN/Geneve/Teredo outer source port (0 = default)
  bool geneve_ethernet = true;       // Geneve carries a frame (else the inner IP packet)
  std::optional<uint16_t> gtpu_sequence;  // first sequence number, incremented per packet
  std::optional<uint8_t> qfi;
  std::vector<uint32_t> values;      // MPLS labels / VLAN ids (outermost first)
  uint8_t ttl = 64;
  uint32_t packets = 0;              // per-tunnel packet counter (sequence numbers)
};
using TunnelStack = std::vector<Tunnel>;

// Wraps `inner` in the stack. `reverse` marks a reply: endpoints (and GTP-U TEIDs) swap,
// except for ERSPAN, whose mirror session always flows from the switch to the collector.
// `ts_usec` feeds ERSPAN III timestamps; `ipv4_id` numbers outer IPv4 headers.
Pdu encapsulate(Pdu inner, TunnelStack& stack, bool reverse, uint64_t ts_usec,
                uint16_t& ipv4_id);

// ---------------------------------------------------------------------------------------
// Pcap output (classic format, LINKTYPE_ETHERNET, microsecond timestamps, little endian)

class PcapWriter {
 public:
  explicit PcapWriter(uint32_t snaplen = 262144);
  void add(uint64_t ts_usec, const Bytes& frame);
  // Writes header fields verbatim, so a record may lie about its lengths on purpose.
  void add_record(uint64_t ts_usec, uint32_t caplen, uint32_t orig_len, const Bytes& data);
  const Bytes& bytes() const { return bytes_; }
  size_t record_count() const { return records_; }
  void save(const std::string& path) const;  // throws std::runtime_error

 private:
  Bytes bytes_;
  size_t records_ = 0;
};

// ---------------------------------------------------------------------------------------
// Conversations

struct TcpMessage {
  bool from_client = true;
  Bytes data;
};

struct TcpSession {
  Endpoint client, server;
  std::vector<TcpMessage> messages;
  uint16_t mss = 1460;
  bool handshake = true;
  enum class Close { kFin, kRst, kNone } close = Close::kFin;
  std::optional<uint32_t> client_isn, server_isn;  // default: derived from the 4-tuple
  TunnelStack tunnels;
};

struct UdpExchange {
  Endpoint client, server;
  std::vector<TcpMessage> messages;  // from_client marks the direction
  TunnelStack tunnels;
};

// Records what each frame is, so tests know which frames are malformed on purpose.
struct FrameNote {
  size_t number = 0;  // 1-based, as in tshark
  size_t source_line = 0;
  bool malformed = false;
  std::string description;
};

class Scene {
 public:
  explicit Scene(PcapWriter& out) : out_(out) {}

  uint64_t now_usec() const { return now_; }
  void set_time_usec(uint64_t t) { now_ = t; }
  void advance_usec(uint64_t d) { now_ += d; }
  void set_gap_usec(uint64_t g) { gap_ = g; }
  void set_source_line(size_t line) { line_ = line; }
  uint16_t next_ipv4_id() { return ipv4_id_++; }

  // Encapsulates, frames and writes one packet, then advances the clock by the gap.
  void emit(Pdu pdu, TunnelStack& tunnels, bool reverse, const std::string& what,
            bool malformed = false);
  void emit_frame(const Bytes& frame, const std::string& what, bool malformed = false);
  void emit_record(uint32_t caplen, uint32_t orig_len, const Bytes& data,
                   const std::string& what);

  void tcp_session(TcpSession session);
  void udp_exchange(UdpExchange exchange);
  void icmp_ping(const IpAddr& src, const IpAddr& dst, unsigned count, TunnelStack tunnels);
  void sctp_association(const Endpoint& client, const Endpoint& server,
                        const std::vector<TcpMessage>& messages, uint32_t ppid,
                        TunnelStack tunnels);

  const std::vector<FrameNote>& frames() const { return notes_; }
  std::string manifest() const;  // "frame\tline\tmalformed\tdescription" lines

 private:
  PcapWriter& out_;
  uint64_t now_ = 1714557600ull * 1000000;  // 2024-05-01T10:00:00Z
  uint64_t gap_ = 1000;
  size_t line_ = 0;
  uint16_t ipv4_id_ = 1;
  std::vector<FrameNote> notes_;
};

// ---------------------------------------------------------------------------------------
// Malformed packets (for anomaly demos and decoder tests). Each returns a PDU that can still
// go through a tunnel stack.

namespace malformed {
Pdu ipv4_truncated(const IpAddr& src, const IpAddr& dst, size_t keep_bytes = 12);
Pdu ipv4_total_length(const IpAddr& src, const IpAddr& dst, uint16_t total_length = 16);
Pdu tcp_header_length(const Endpoint& src, const Endpoint& dst, uint8_t header_length = 16);
Pdu udp_length(const Endpoint& src, const Endpoint& dst, uint16_t udp_length);
Pdu gre_version(const IpAddr& src, const IpAddr& dst, uint8_t version = 2);
Pdu unknown_ethertype(uint16_t type = 0x1234);
Pdu gtpu_nested(const IpAddr& src, const IpAddr& dst, unsigned depth = 1000);
}  // namespace malformed

// ---------------------------------------------------------------------------------------
// Scenario text format (documented in tools/README.md)

class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(const std::string& source, size_t line, size_t column, const std::string& msg);
  size_t line() const { return line_; }
  size_t column() const { return column_; }

 private:
  size_t line_, column_;
};

// Runs every statement of `text` into `scene`; throws ScenarioError("src:line:col: ...").
void run_scenario(std::string_view text, const std::string& source_name, Scene& scene);

// Built-in descriptions ("demo" = samples/demo.scn); empty when unknown.
std::string_view builtin_scenario(std::string_view name);

}  // namespace seawall::scenario
