#include "applayer/quic/quic_parser.h"

#include <algorithm>
#include <cstring>

namespace seawall::quic {

using applayer::Direction;
using applayer::ProbeResult;

namespace {

constexpr int kClient = 0;
constexpr int kServer = 1;

// Google QUIC version numbers are ASCII "Q0dd".
constexpr uint32_t kQ034 = 0x51303334;
constexpr uint32_t kQ039 = 0x51303339;
constexpr uint32_t kQ043 = 0x51303433;
constexpr uint32_t kQ044 = 0x51303434;
constexpr uint32_t kQ045 = 0x51303435;
constexpr uint32_t kQ046 = 0x51303436;

// gQUIC before Q050 uses its own long-header framing (nibble CID lengths)
// and sends the CHLO unencrypted.
bool is_gquic_legacy_long(uint32_t version) {
  return is_gquic_version(version) && ((version >> 8) & 0xff) == '4';
}

// Long-header packet type; QUIC v2 permutes the type bits (RFC 9369 3.2).
PacketType long_packet_type(uint32_t version, uint8_t first) {
  const uint8_t bits = (first >> 4) & 0x03;
  if (version == kVersion2) {
    static constexpr PacketType kV2[] = {PacketType::kRetry, PacketType::kInitial,
                                         PacketType::kZeroRtt, PacketType::kHandshake};
    return kV2[bits];
  }
  static constexpr PacketType kV1[] = {PacketType::kInitial, PacketType::kZeroRtt,
                                       PacketType::kHandshake, PacketType::kRetry};
  return kV1[bits];
}

bool read_cid(ByteView data, size_t& pos, size_t max_len, ByteView& out) {
  if (pos >= data.size()) return false;
  const size_t len = data[pos++];
  if (len > max_len || data.size() - pos < len) return false;
  out = data.subspan(pos, len);
  pos += len;
  return true;
}

bool parse_gquic_long(ByteView data, size_t pos, PacketHeader& out) {
  // Q043..Q045 code the type in the low 7 bits; Q046 uses the IETF bits.
  if (out.version < kQ046) {
    switch (out.first & 0x7f) {
      case 0x7f: out.type = PacketType::kInitial; break;
      case 0x7e: out.type = PacketType::kRetry; break;
      case 0x7d: out.type = PacketType::kHandshake; break;
      case 0x7c: out.type = PacketType::kZeroRtt; break;
      default: return false;
    }
  } else {
    out.type = long_packet_type(out.version, out.first);
  }
  if (pos >= data.size()) return false;
  const uint8_t lengths = data[pos++];
  size_t dcid_len = lengths >> 4;
  size_t scid_len = lengths & 0x0f;
  if (dcid_len != 0) dcid_len += 3;
  if (scid_len != 0) scid_len += 3;
  if (data.size() - pos < dcid_len + scid_len) return false;
  out.dcid = data.subspan(pos, dcid_len);
  pos += dcid_len;
  out.scid = data.subspan(pos, scid_len);
  pos += scid_len;
  if (out.type == PacketType::kInitial) {
    // 4-byte packet number, then the 12-byte message authentication hash.
    if (data.size() - pos < 4 + 12) return false;
    pos += 16;
    out.gquic = true;
  }
  out.payload_offset = pos;
  out.packet_len = data.size();
  return true;
}

bool parse_gquic_public_header(ByteView data, PacketHeader& out) {
  // Public flags: 0x01 version, 0x04 diversification nonce, 0x08 8-byte
  // connection id, 0x30 packet number length (1, 2, 4, 6 bytes).
  const uint8_t flags = out.first;
  size_t pos = 1;
  if (flags & 0x08) {
    if (data.size() - pos < 8) return false;
    out.dcid = data.subspan(pos, 8);
    pos += 8;
  }
  if (flags & 0x01) {
    if (data.size() - pos < 4) return false;
    out.version = load_be32(data.data() + pos);
    out.has_version = true;
    pos += 4;
  }
  // 0x0c is also the legacy "8-byte connection id" value clients still set:
  // only 0x04 alone announces the (server-sent) 32-byte nonce.
  if ((flags & 0x0c) == 0x04) {
    if (data.size() - pos < 32) return false;
    pos += 32;
  }
  static constexpr size_t kPnLen[] = {1, 2, 4, 6};
  const size_t pn_len = kPnLen[(flags >> 4) & 0x03];
  if (data.size() - pos < pn_len) return false;
  pos += pn_len;
  if (out.has_version) {
    out.type = PacketType::kInitial;
    if (data.size() - pos < 12) return false;  // message authentication hash
    pos += 12;
    // Versions before Q034 carry a private-flags byte before the frames.
    if (is_gquic_version(out.version) && out.version < kQ034) {
      if (data.size() - pos < 1) return false;
      pos += 1;
    }
    out.gquic = true;
  }
  out.payload_offset = pos;
  out.packet_len = data.size();
  return true;
}

}  // namespace

bool read_varint(ByteView data, size_t& pos, uint64_t& out) {
  if (pos >= data.size()) return false;
  const size_t len = size_t{1} << (data[pos] >> 6);
  if (data.size() - pos < len) return false;
  uint64_t v = data[pos] & 0x3f;
  for (size_t i = 1; i < len; ++i) v = (v << 8) | data[pos + i];
  pos += len;
  out = v;
  return true;
}

bool is_gquic_version(uint32_t version) {
  const uint8_t d1 = static_cast<uint8_t>(version >> 8);
  const uint8_t d2 = static_cast<uint8_t>(version);
  return (version >> 16) == 0x5130 && d1 >= '0' && d1 <= '9' && d2 >= '0' && d2 <= '9';
}

bool is_known_version(uint32_t version) {
  return version == kVersion1 || version == kVersion2 ||
         (version >= 0xff000017 && version <= 0xff000022) || is_gquic_version(version);
}

size_t version_string(uint32_t version, char out[12]) {
  if (version == kQ039 || (version >= kQ043 && version <= kQ046)) {
    for (int i = 0; i < 4; ++i) out[i] = static_cast<char>(version >> (24 - 8 * i));
    return 4;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  size_t n = 0;
  bool started = false;
  for (int shift = 28; shift >= 0; shift -= 4) {
    const unsigned nibble = (version >> shift) & 0xf;
    if (nibble == 0 && !started && shift != 0) continue;
    started = true;
    out[n++] = kHex[nibble];
  }
  return n;
}

bool parse_packet_header(ByteView data, PacketHeader& out) {
  out = PacketHeader{};
  if (data.empty()) return false;
  out.first = data[0];
  if ((out.first & 0x80) == 0) {
    if ((out.first & 0x40) == 0) return parse_gquic_public_header(data, out);
    out.type = PacketType::kShort;  // 1-RTT: the DCID length is not on the wire
    out.packet_len = data.size();
    return true;
  }

  out.long_header = true;
  if (data.size() < 5) return false;
  out.version = load_be32(data.data() + 1);
  out.has_version = true;
  size_t pos = 5;

  if (out.version == kVersionNegotiationVersion) {
    out.type = PacketType::kVersionNegotiation;
    if (!read_cid(data, pos, 255, out.dcid) || !read_cid(data, pos, 255, out.scid)) return false;
    const size_t rest = data.size() - pos;
    if (rest == 0 || rest % 4 != 0) return false;
    out.packet_len = data.size();
    return true;
  }
  if (is_gquic_legacy_long(out.version)) return parse_gquic_long(data, pos, out);

  // RFC 8999 invariants allow 255-byte connection ids; v1 and its drafts cap them at 20.
  const bool known = is_known_version(out.version);
  const size_t max_cid = known ? kMaxConnectionIdLen : 255;
  if (!read_cid(data, pos, max_cid, out.dcid) || !read_cid(data, pos, max_cid, out.scid))
    return false;
  out.type = long_packet_type(out.version, out.first);
  if (!known) {
    // Unknown version: its framing past the invariants is unknown too.
    out.packet_len = data.size();
    return true;
  }
  if (out.type == PacketType::kRetry) {
    if (data.size() - pos < kAeadTagLen) return false;
    out.token = data.subspan(pos, data.size() - pos - kAeadTagLen);
    out.packet_len = data.size();
    return true;
  }
  if (out.type == PacketType::kInitial) {
    uint64_t token_len = 0;
    if (!read_varint(data, pos, token_len) || token_len > data.size() - pos) return false;
    out.token = data.subspan(pos, token_len);
    pos += token_len;
  }
  uint64_t length = 0;
  if (!read_varint(data, pos, length) || length == 0 || length > data.size() - pos) return false;
  out.pn_offset = pos;
  out.packet_len = pos + length;
  return true;
}

ProbeResult probe(Direction /*dir*/, ByteView data) {
  PacketHeader h;
  if (!parse_packet_header(data, h) || !h.has_version) return ProbeResult::kNo;
  if (h.type == PacketType::kVersionNegotiation) return ProbeResult::kYes;
  if (!is_known_version(h.version)) return ProbeResult::kNo;
  if (h.long_header) {
    // The fixed bit (0x40) is set in every IETF long header (gQUIC too).
    return (h.first & 0x40) != 0 ? ProbeResult::kYes : ProbeResult::kNo;
  }
  // gQUIC public header: a client packet carries its connection id and version.
  return (h.first & 0x08) != 0 && is_gquic_version(h.version) ? ProbeResult::kYes
                                                               : ProbeResult::kNo;
}

// ---------------------------------------------------------------------------
// CRYPTO reassembly

CryptoReassembly::AddResult CryptoReassembly::add(uint64_t offset, ByteView data) {
  if (data.empty()) return AddResult::kOk;
  if (offset > kLimit || data.size() > kLimit - offset) return AddResult::kTooLong;
  const auto begin = static_cast<uint32_t>(offset);
  const auto end = static_cast<uint32_t>(offset + data.size());
  if (data_.size() < end) data_.resize(end);
  std::memcpy(data_.data() + begin, data.data(), data.size());

  // Insert [begin, end) into the sorted, disjoint range list, merging neighbours.
  std::array<Range, kMaxRanges + 1> merged{};
  int n = 0;
  Range fresh{begin, end};
  bool placed = false;
  for (int i = 0; i < range_count_; ++i) {
    const Range r = ranges_[i];
    if (r.end < fresh.begin) {
      merged[n++] = r;
    } else if (fresh.end < r.begin) {
      if (!placed) {
        merged[n++] = fresh;
        placed = true;
      }
      merged[n++] = r;
    } else {
      fresh.begin = std::min(fresh.begin, r.begin);
      fresh.end = std::max(fresh.end, r.end);
    }
  }
  if (!placed) merged[n++] = fresh;
  if (n > kMaxRanges) return AddResult::kTooFragmented;
  std::copy(merged.begin(), merged.begin() + n, ranges_.begin());
  range_count_ = n;
  return AddResult::kOk;
}

ByteView CryptoReassembly::contiguous() const {
  if (range_count_ == 0 || ranges_[0].begin != 0) return {};
  return ByteView(data_.data(), ranges_[0].end);
}

void CryptoReassembly::reset() {
  data_.clear();
  range_count_ = 0;
}

// ---------------------------------------------------------------------------
// gQUIC CHLO

namespace {

constexpr uint32_t kTagChlo = 0x43484c4f;  // "CHLO"
constexpr uint32_t kTagSni = 0x534e4900;   // "SNI\0"
constexpr uint32_t kTagUaid = 0x55414944;  // "UAID"

// CYU's version field as Suricata writes it (Q045 shares "44").
const char* cyu_version(uint32_t version) {
  switch (version) {
    case kQ043: return "43";
    case kQ044: return "44";
    case kQ045: return "44";
    case kQ046: return "46";
    default: return nullptr;
  }
}

void append_tag_name(uint32_t tag, std::string& out) {
  // Tags are 4 ASCII characters, shorter ones NUL-padded ("SNI\0" -> "SNI").
  char name[4];
  size_t len = 0;
  for (int i = 0; i < 4; ++i) name[len++] = static_cast<char>(tag >> (24 - 8 * i));
  while (len > 0 && name[len - 1] == '\0') --len;
  out.append(name, len);
}

}  // namespace

size_t chlo_length(ByteView data) {
  // [tag "CHLO"][u16le entries][u16 pad][entries x (tag, u32le end offset)][values]
  if (data.size() < 8 || load_be32(data.data()) != kTagChlo) return 0;
  const size_t entries = load_le16(data.data() + 4);
  const size_t index_end = 8 + entries * 8;
  if (entries == 0) return 8;
  if (data.size() < index_end) return 0;
  return index_end + load_le32(data.data() + index_end - 4);
}

bool parse_chlo(ByteView data, uint32_t version, QuicTx& tx, size_t& consumed) {
  const size_t total = chlo_length(data);
  if (total == 0 || total > data.size()) return false;
  const size_t entries = load_le16(data.data() + 4);
  const size_t values = 8 + entries * 8;
  // Offsets must not decrease; validate before recording anything.
  uint32_t prev = 0;
  for (size_t i = 0; i < entries; ++i) {
    const uint32_t end = load_le32(data.data() + 8 + i * 8 + 4);
    if (end < prev) return false;
    prev = end;
  }
  const char* cyu_ver = cyu_version(version);
  std::string cyu_string;
  if (cyu_ver != nullptr) {
    cyu_string = cyu_ver;
    cyu_string += ',';
  }
  prev = 0;
  for (size_t i = 0; i < entries; ++i) {
    const uint32_t tag = load_be32(data.data() + 8 + i * 8);
    const uint32_t end = load_le32(data.data() + 8 + i * 8 + 4);
    const ByteView value = data.subspan(values + prev, end - prev);
    prev = end;
    if (tag == kTagSni) tx.sni.assign(value.begin(), value.end());
    if (tag == kTagUaid) tx.ua.assign(value.begin(), value.end());
    if (cyu_ver != nullptr) {
      if (i > 0) cyu_string += '-';
      append_tag_name(tag, cyu_string);
    }
  }
  if (cyu_ver != nullptr) {
    QuicTx::Cyu cyu;
    cyu.string = std::move(cyu_string);
    tls::md5_hex(cyu.string, cyu.hash);
    tx.cyu.push_back(std::move(cyu));
  }
  consumed = total;
  return true;
}

// ---------------------------------------------------------------------------
// Per-flow state

AppProto app_proto_id() {
  static const AppProto id = find_app_proto("quic");
  return id;
}

QuicTx& QuicState::open_tx(int d, const PacketHeader* header) {
  DirectionState& ds = dirs_[d];
  if (ds.tx == nullptr) {
    auto tx = std::make_unique<QuicTx>();
    tx->id = next_tx_id_++;
    tx->dir = static_cast<Direction>(d);
    ds.tx = tx.get();
    txs_.push_back(std::move(tx));
  }
  QuicTx& tx = *ds.tx;
  if (header != nullptr && header->has_version && !tx.has_version) {
    tx.has_version = true;
    tx.version = header->version;
    store_be32(tx.version_bytes.data(), header->version);
  }
  return tx;
}

void QuicState::complete_tx(int d) {
  DirectionState& ds = dirs_[d];
  if (ds.tx == nullptr) return;
  // A transaction holds one direction's handshake: both sides are done at once.
  ds.tx->complete = {true, true};
  ds.tx = nullptr;
}

void QuicState::add_event(int d, std::string_view event) {
  const bool fresh = dirs_[d].tx == nullptr;
  open_tx(d, nullptr).add_event(event);
  // An event outside a handshake transaction gets one of its own.
  if (fresh) complete_tx(d);
}

void QuicState::reset_client_handshake() {
  DirectionState& c = dirs_[kClient];
  complete_tx(kClient);
  c.hello_done = false;
  c.crypto.reset();
  c.keys_ok = false;
  c.any_pn = false;
  dirs_[kServer].keys_ok = false;
  dirs_[kServer].any_pn = false;
  dirs_[kServer].crypto.reset();
}

applayer::ParseResult QuicState::parse(Direction dir, ByteView data,
                                       const applayer::ParseContext& /*ctx*/) {
  const int d = applayer::dir_index(dir);
  size_t pos = 0;
  bool first = true;
  while (pos < data.size()) {
    const ByteView rest = data.subspan(pos);
    // Datagrams may be padded with zeros after the last coalesced packet.
    if (!first && rest[0] == 0) break;
    PacketHeader header;
    if (!parse_packet_header(rest, header)) {
      add_event(d, "error_on_header");
      break;
    }
    if (!handle_packet(d, rest.subspan(0, header.packet_len), header)) break;
    pos += header.packet_len;
    first = false;
  }
  return applayer::ParseResult::kOk;
}

bool QuicState::handle_packet(int d, ByteView packet, const PacketHeader& header) {
  DirectionState& ds = dirs_[d];
  switch (header.type) {
    case PacketType::kShort:
      // 1-RTT: the handshake messages of this direction are over.
      complete_tx(d);
      return false;
    case PacketType::kVersionNegotiation:
      complete_tx(d);
      open_tx(d, &header);
      complete_tx(d);
      if (d == kServer) reset_client_handshake();
      return false;
    case PacketType::kRetry:
      complete_tx(d);
      open_tx(d, &header);
      complete_tx(d);
      if (d == kServer) {
        // The client restarts with the Retry's SCID as DCID: new Initial keys.
        reset_client_handshake();
        retry_seen_ = true;
      }
      return false;
    case PacketType::kZeroRtt:
    case PacketType::kHandshake:
      if (ds.hello_done) return true;
      open_tx(d, &header);
      // A Handshake packet follows the Initial flight: nothing more will come.
      if (header.type == PacketType::kHandshake) complete_tx(d);
      return true;
    case PacketType::kInitial:
      if (ds.hello_done) return true;
      if (header.gquic) {
        handle_gquic(d, packet, header);
        return false;
      }
      return handle_initial(d, packet, header);
  }
  return false;
}

bool QuicState::ensure_keys(int d, uint32_t version) {
  DirectionState& ds = dirs_[d];
  if (ds.keys_ok && ds.key_version == version) return true;
  if (!have_original_dcid_) return false;
  PacketKeys keys;
  if (!derive_initial_keys(version, ByteView(original_dcid_.data(), original_dcid_len_),
                           d == kServer, keys) ||
      !ds.cipher.set_keys(keys)) {
    ds.keys_ok = false;
    return false;
  }
  ds.keys_ok = true;
  ds.key_version = version;
  return true;
}

bool QuicState::handle_initial(int d, ByteView packet, const PacketHeader& header) {
  DirectionState& ds = dirs_[d];
  QuicTx& tx = open_tx(d, &header);
  (void)tx;
  if (d == kClient && (!have_original_dcid_ || retry_seen_)) {
    // Initial keys come from the DCID of the client's first Initial (after a
    // Retry, of the first Initial that follows it).
    original_dcid_len_ = std::min(header.dcid.size(), original_dcid_.size());
    std::copy_n(header.dcid.begin(), original_dcid_len_, original_dcid_.begin());
    have_original_dcid_ = true;
    retry_seen_ = false;
    dirs_[kClient].keys_ok = false;
    dirs_[kServer].keys_ok = false;
  }
  InitialParams params;
  if (!initial_params(header.version, params)) return true;  // not decryptable: keep the version
  if (!ensure_keys(d, header.version)) return true;          // no client Initial seen (midstream)

  // Header protection: the sample starts 4 bytes after the packet number.
  const size_t pn_offset = header.pn_offset;
  if (packet.size() < pn_offset + kMaxPacketNumberLen + kHpSampleLen) {
    add_event(d, "failed_decrypt");
    return false;
  }
  uint8_t mask[5];
  if (!ds.cipher.header_mask(packet.data() + pn_offset + kMaxPacketNumberLen, mask)) {
    add_event(d, "failed_decrypt");
    return false;
  }
  const uint8_t first = header.first ^ (mask[0] & 0x0f);
  const size_t pn_len = (first & 0x03) + 1;
  uint8_t pn_bytes[kMaxPacketNumberLen];
  uint64_t truncated = 0;
  for (size_t i = 0; i < pn_len; ++i) {
    pn_bytes[i] = packet[pn_offset + i] ^ mask[1 + i];
    truncated = (truncated << 8) | pn_bytes[i];
  }
  const size_t payload_offset = pn_offset + pn_len;
  if (packet.size() < payload_offset + kAeadTagLen) {
    add_event(d, "failed_decrypt");
    return false;
  }
  const uint64_t pn = decode_packet_number(ds.largest_pn, ds.any_pn, truncated, pn_len);
  const ByteView sealed = packet.subspan(payload_offset);
  const size_t plain_len = sealed.size() - kAeadTagLen;
  if (plain_.size() < plain_len + 1) plain_.resize(plain_len + 1);
  if (!ds.cipher.open(pn, first, packet.subspan(1, pn_offset - 1), ByteView(pn_bytes, pn_len),
                      sealed, plain_.data())) {
    add_event(d, "failed_decrypt");
    return false;
  }
  if (!ds.any_pn || pn > ds.largest_pn) ds.largest_pn = pn;
  ds.any_pn = true;
  if (!parse_frames(d, ByteView(plain_.data(), plain_len), header.version)) {
    add_event(d, "error_on_data");
    return false;
  }
  return true;
}

bool QuicState::parse_frames(int d, ByteView payload, uint32_t version) {
  size_t pos = 0;
  while (pos < payload.size()) {
    uint64_t type = 0;
    if (!read_varint(payload, pos, type)) return false;
    switch (type) {
      case 0x00:  // PADDING
        while (pos < payload.size() && payload[pos] == 0) ++pos;
        break;
      case 0x01:  // PING
        break;
      case 0x02:    // ACK
      case 0x03: {  // ACK with ECN counts
        uint64_t largest = 0, delay = 0, range_count = 0, first_range = 0;
        if (!read_varint(payload, pos, largest) || !read_varint(payload, pos, delay) ||
            !read_varint(payload, pos, range_count) || !read_varint(payload, pos, first_range))
          return false;
        // Each range takes at least two bytes: bounds the loop by the payload.
        if (range_count > payload.size()) return false;
        for (uint64_t i = 0; i < range_count; ++i) {
          uint64_t gap = 0, len = 0;
          if (!read_varint(payload, pos, gap) || !read_varint(payload, pos, len)) return false;
        }
        if (type == 0x03) {
          uint64_t ect0 = 0, ect1 = 0, ce = 0;
          if (!read_varint(payload, pos, ect0) || !read_varint(payload, pos, ect1) ||
              !read_varint(payload, pos, ce))
            return false;
        }
        break;
      }
      case 0x06:    // CRYPTO
      case 0x08: {  // gQUIC Q050 crypto stream (CHLO), same layout
        if (type == 0x08 && !is_gquic_version(version)) return false;
        uint64_t offset = 0, len = 0;
        if (!read_varint(payload, pos, offset) || !read_varint(payload, pos, len) ||
            len > payload.size() - pos)
          return false;
        handle_crypto(d, offset, payload.subspan(pos, len), version);
        pos += len;
        break;
      }
      case 0x1c:    // CONNECTION_CLOSE (transport)
      case 0x1d: {  // CONNECTION_CLOSE (application)
        uint64_t code = 0, frame_type = 0, reason_len = 0;
        if (!read_varint(payload, pos, code)) return false;
        if (type == 0x1c && !read_varint(payload, pos, frame_type)) return false;
        if (!read_varint(payload, pos, reason_len) || reason_len > payload.size() - pos)
          return false;
        pos += reason_len;
        break;
      }
      default:
        // No other frame may appear in an Initial packet (RFC 9000 12.4).
        return false;
    }
    if (dirs_[d].hello_done && dirs_[d].tx == nullptr) {
      // The handshake message is complete; the rest is of no interest.
      return true;
    }
  }
  return true;
}

void QuicState::handle_crypto(int d, uint64_t offset, ByteView data, uint32_t version) {
  DirectionState& ds = dirs_[d];
  if (ds.hello_done) return;
  switch (ds.crypto.add(offset, data)) {
    case CryptoReassembly::AddResult::kOk:
      break;
    case CryptoReassembly::AddResult::kTooLong:
    case CryptoReassembly::AddResult::kTooFragmented:
      add_event(d, "crypto_frag_too_long");
      ds.hello_done = true;
      complete_tx(d);
      return;
  }
  try_handshake_message(d, version);
}

void QuicState::try_handshake_message(int d, uint32_t version) {
  DirectionState& ds = dirs_[d];
  const ByteView prefix = ds.crypto.contiguous();
  if (prefix.size() < 4) return;
  if (is_gquic_version(version) && load_be32(prefix.data()) == kTagChlo) {
    const size_t need = chlo_length(prefix);
    if (need == 0 || need > prefix.size()) {
      if (prefix.size() >= CryptoReassembly::kLimit) {
        add_event(d, "crypto_frag_too_long");
        ds.hello_done = true;
        complete_tx(d);
      }
      return;
    }
    size_t consumed = 0;
    if (!parse_chlo(prefix, version, open_tx(d, nullptr), consumed))
      open_tx(d, nullptr).add_event("error_on_data");
    ds.hello_done = true;
    complete_tx(d);
    return;
  }
  const uint8_t msg_type = prefix[0];
  const uint32_t body_len = load_be24(prefix.data() + 1);
  if (4 + uint64_t{body_len} > CryptoReassembly::kLimit) {
    add_event(d, "crypto_frag_too_long");
    ds.hello_done = true;
    complete_tx(d);
    return;
  }
  if (prefix.size() < 4 + size_t{body_len}) return;  // wait for more CRYPTO data
  const ByteView body = prefix.subspan(4, body_len);
  QuicTx& tx = open_tx(d, nullptr);
  if (d == kClient && msg_type == 1) {
    record_client_hello(tx, body);
  } else if (d == kServer && msg_type == 2) {
    record_server_hello(tx, body);
  } else {
    tx.add_event("error_on_data");
  }
  ds.hello_done = true;
  complete_tx(d);
}

namespace {

void add_extension(QuicTx& tx, uint16_t type) {
  QuicTx::Extension e;
  e.type = type;
  tx.extensions.push_back(std::move(e));
}

}  // namespace

void QuicState::record_client_hello(QuicTx& tx, ByteView body) {
  client_hello_ = tls::ClientHello{};
  if (!tls::parse_client_hello(body, client_hello_)) {
    tx.add_event("error_on_data");
    return;
  }
  const tls::ClientHello& ch = client_hello_;
  tx.sni = ch.sni;
  tls::ja3_string(ch, tx.ja3);
  tls::md5_hex(tx.ja3, tx.ja3_hash);
  tls::ja4(ch, /*quic=*/true, tx.ja4);
  tx.extensions.reserve(ch.extensions.size());
  for (uint16_t type : ch.extensions) {
    add_extension(tx, type);
    auto& values = tx.extensions.back().values;
    if (type == 0x0000 && !ch.sni.empty()) values.push_back(ch.sni);
    if (type == 0x0010) values.assign(ch.alpn.begin(), ch.alpn.end());
  }
}

void QuicState::record_server_hello(QuicTx& tx, ByteView body) {
  server_hello_ = tls::ServerHello{};
  if (!tls::parse_server_hello(body, server_hello_)) {
    tx.add_event("error_on_data");
    return;
  }
  const tls::ServerHello& sh = server_hello_;
  tls::ja3s_string(sh, tx.ja3);
  tls::md5_hex(tx.ja3, tx.ja3_hash);
  tx.extensions.reserve(sh.extensions.size());
  for (uint16_t type : sh.extensions) {
    add_extension(tx, type);
    if (type == 0x0010 && !sh.alpn.empty()) tx.extensions.back().values.push_back(sh.alpn);
  }
}

void QuicState::handle_gquic(int d, ByteView packet, const PacketHeader& header) {
  QuicTx& tx = open_tx(d, &header);
  // Unencrypted frames: STREAM (1fdooo ss) carries the CHLO; PADDING ends the packet.
  ByteView frames = packet.subspan(header.payload_offset);
  size_t pos = 0;
  while (pos < frames.size()) {
    const uint8_t type = frames[pos++];
    if ((type & 0x80) == 0) break;  // PADDING or a control frame: no CHLO past here
    const size_t sid_len = (type & 0x03) + 1;
    size_t off_len = (type >> 2) & 0x07;
    if (off_len != 0) ++off_len;
    if (frames.size() - pos < sid_len + off_len) break;
    pos += sid_len + off_len;
    size_t data_len = frames.size() - pos;
    if (type & 0x20) {
      if (frames.size() - pos < 2) break;
      // gQUIC integers were little-endian before Q039.
      data_len = header.version < kQ039 ? load_le16(frames.data() + pos)
                                        : load_be16(frames.data() + pos);
      pos += 2;
      if (data_len > frames.size() - pos) break;
    }
    size_t consumed = 0;
    if (parse_chlo(frames.subspan(pos, data_len), header.version, tx, consumed)) {
      dirs_[d].hello_done = true;
      complete_tx(d);
      return;
    }
    pos += data_len;
  }
}

void QuicState::end_of_stream(Direction dir) { complete_tx(applayer::dir_index(dir)); }

void QuicState::remove_done() {
  for (DirectionState& ds : dirs_)
    if (ds.tx != nullptr && ds.tx->done()) ds.tx = nullptr;
  txs_.erase(std::remove_if(txs_.begin(), txs_.end(),
                            [](const std::unique_ptr<QuicTx>& tx) { return tx->done(); }),
             txs_.end());
}

bool QuicState::no_more_inspection() const {
  return dirs_[kClient].hello_done && dirs_[kServer].hello_done;
}

}  // namespace seawall::quic
