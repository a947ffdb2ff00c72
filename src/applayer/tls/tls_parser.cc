#include "applayer/tls/tls_parser.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace seawall::tls {

using applayer::Direction;
using applayer::ParseContext;
using applayer::ParseResult;
using applayer::ProbeResult;

namespace {

constexpr uint8_t kChangeCipherSpec = 20;
constexpr uint8_t kAlert = 21;
constexpr uint8_t kHandshake = 22;
constexpr uint8_t kApplicationData = 23;
constexpr uint8_t kHeartbeat = 24;
constexpr size_t kMaxCertsKept = 16;

bool is_tls13_family(uint16_t v) {
  return v == 0x0304 || (v >> 8) == 0x7f || (v >> 8) == 0xfb;
}

// Suricata's anomaly checks on the server_name extension of a ClientHello
// whose outer structure parse_client_hello already accepted.
void check_sni(ByteView body, TlsTx& tx) {
  size_t pos = 2 + 32;
  auto need = [&](size_t n) { return pos + n <= body.size(); };
  if (!need(1)) return;
  pos += 1 + body[pos];
  if (!need(2)) return;
  pos += 2 + load_be16(body.data() + pos);
  if (!need(1)) return;
  pos += 1 + body[pos];
  if (!need(2)) return;
  const size_t end = std::min(body.size(), pos + 2 + load_be16(body.data() + pos));
  pos += 2;
  int sni_extensions = 0;
  while (pos + 4 <= end) {
    const uint16_t type = load_be16(body.data() + pos);
    const size_t len = load_be16(body.data() + pos + 2);
    pos += 4;
    if (pos + len > end) return;
    if (type == 0) {
      if (++sni_extensions > 1) tx.add_event("multiple_sni_extensions");
      size_t p = pos;
      const size_t ext_end = pos + len;
      if (p + 2 > ext_end) {
        tx.add_event("invalid_sni_length");
      } else {
        const size_t list_end = p + 2 + load_be16(body.data() + p);
        p += 2;
        if (list_end > ext_end) tx.add_event("invalid_sni_length");
        while (p < std::min(list_end, ext_end)) {
          if (p + 3 > ext_end) {
            tx.add_event("invalid_sni_length");
            break;
          }
          if (body[p] != 0) tx.add_event("invalid_sni_type");
          const size_t name_len = load_be16(body.data() + p + 1);
          p += 3;
          if (p + name_len > ext_end || name_len == 0) {
            tx.add_event("invalid_sni_length");
            break;
          }
          p += name_len;
        }
      }
    }
    pos += len;
  }
}

}  // namespace

AppProto tls_app_proto() {
  static const AppProto id = find_app_proto("tls");
  return id;
}

bool TlsTx::tls13() const { return is_tls13_family(server_version); }

void TlsTx::version_string(std::string& out) const {
  out.clear();
  // Without a server answer Suricata reports the client's version.
  const uint16_t v = server_version != 0 ? server_version : client_version;
  switch (v) {
    case 0: out = "UNDETERMINED"; return;
    case kSsl2: out = "SSLv2"; return;
    case 0x0300: out = "SSLv3"; return;
    case 0x0301: out = "TLSv1"; return;
    case 0x0302: out = "TLS 1.1"; return;
    case 0x0303: out = "TLS 1.2"; return;
    case 0x0304:
      // A real TLS 1.3 ServerHello says 0x0303 and negotiates 1.3 through
      // supported_versions; 0x0304 in the legacy field is a pre-16 draft.
      out = server_hello.selected_version == 0x0304 || !server_hello_seen ? "TLS 1.3"
                                                                          : "TLS 1.3 draft-<16";
      return;
    default: break;
  }
  char buf[32];
  if ((v >> 8) == 0x7f) {
    const unsigned draft = v & 0xff;
    if (draft < 16) {
      out = "TLS 1.3 draft-<16";
    } else {
      std::snprintf(buf, sizeof buf, "TLS 1.3 draft-%u", draft);
      out = buf;
    }
    return;
  }
  if ((v >> 8) == 0xfb) {
    std::snprintf(buf, sizeof buf, "TLS 1.3 draft-%u-fb", v & 0xff);
    out = buf;
    return;
  }
  std::snprintf(buf, sizeof buf, "0x%04x", v);
  out = buf;
}

TlsState::TlsState() { tx_.id = 0; }

TlsTx& TlsState::tx() { return tx_; }

applayer::Transaction* TlsState::tx_at(size_t index) {
  return tx_present_ && index == 0 ? &tx_ : nullptr;
}

void TlsState::remove_done() {
  if (tx_present_ && tx_.done()) tx_present_ = false;
}

bool TlsState::no_more_inspection() const {
  return (sides_[0].encrypted || sides_[0].dead) && (sides_[1].encrypted || sides_[1].dead);
}

bool TlsState::gap(Direction dir, uint32_t /*len*/) {
  Side& s = sides_[dir_index(dir)];
  if (s.encrypted) return true;  // opaque data anyway
  s.dead = true;
  tx().complete[dir_index(dir)] = true;
  return !no_more_inspection();
}

void TlsState::end_of_stream(Direction dir) { finish_side(dir_index(dir)); }

void TlsState::finish_side(int d) { tx().complete[d] = true; }

ParseResult TlsState::parse(Direction dir, ByteView data, const ParseContext& /*ctx*/) {
  const int d = dir_index(dir);
  Side& s = sides_[d];
  uint32_t records = 0;
  size_t pos = 0;
  while (pos < data.size() && !s.dead) {
    if (!s.in_record) {
      // An SSLv2 record (2-byte header, high bit set) only opens a flow.
      if (s.header_len == 0 && s.first_record && (data[pos] & 0x80) != 0) s.sslv2 = true;
      const uint8_t needed = s.sslv2 ? 2 : 5;
      const size_t take = std::min<size_t>(needed - s.header_len, data.size() - pos);
      std::memcpy(s.header.data() + s.header_len, data.data() + pos, take);
      s.header_len = static_cast<uint8_t>(s.header_len + take);
      pos += take;
      if (s.header_len < needed) break;
      s.header_len = 0;
      s.first_record = false;
      uint32_t length = 0;
      if (s.sslv2) {
        length = (uint32_t{s.header[0] & 0x7fu} << 8) | s.header[1];
        s.content_type = 0;
      } else {
        s.content_type = s.header[0];
        const uint16_t version = load_be16(s.header.data() + 1);
        length = load_be16(s.header.data() + 3);
        if (s.content_type < kChangeCipherSpec || s.content_type > kHeartbeat) {
          tx().add_event("invalid_record_type");
          s.dead = true;
          tx().complete[d] = true;
          break;
        }
        if ((version >> 8) != 3) {
          tx().add_event("invalid_record_version");
          s.dead = true;
          tx().complete[d] = true;
          break;
        }
        if (length > kMaxRecordLength) {
          tx().add_event("invalid_record_length");
          s.dead = true;
          tx().complete[d] = true;
          break;
        }
        if (d == 1 && tx().server_version == 0) tx().server_version = version;
      }
      if (++records == kMaxRecordsPerCall + 1) tx().add_event("too_many_records_in_packet");
      s.in_record = true;
      s.record_remaining = length;
      s.alert.clear();
    }
    const size_t take = std::min<size_t>(s.record_remaining, data.size() - pos);
    if (take > 0) record_body(d, data.subspan(pos, take));
    pos += take;
    s.record_remaining -= static_cast<uint32_t>(take);
    if (s.record_remaining != 0) break;
    // End of record.
    s.in_record = false;
    if (s.sslv2) {
      on_sslv2_record(d, s.handshake);
      s.handshake.clear();
      s.sslv2 = false;
      continue;
    }
    switch (s.content_type) {
      case kChangeCipherSpec: on_change_cipher_spec(d); break;
      case kAlert:
        if (!s.encrypted && s.alert.size() != 2) tx().add_event("invalid_alert_message");
        break;
      default: break;
    }
  }
  return ParseResult::kOk;
}

void TlsState::record_body(int d, ByteView body) {
  Side& s = sides_[d];
  if (s.sslv2) {
    // Bounded by the 15-bit SSLv2 length.
    s.handshake.insert(s.handshake.end(), body.begin(), body.end());
    return;
  }
  switch (s.content_type) {
    case kHandshake:
      if (!s.encrypted) handshake_bytes(d, body);
      break;
    case kAlert:
      if (!s.encrypted && s.alert.size() < 3) {
        s.alert.insert(s.alert.end(), body.begin(),
                       body.begin() + static_cast<long>(std::min<size_t>(body.size(), 3)));
      }
      break;
    case kApplicationData:
      // Application data means this side's handshake is over.
      s.encrypted = true;
      tx().complete[d] = true;
      break;
    case kHeartbeat: tx().add_event("heartbeat_message"); break;
    default: break;
  }
}

void TlsState::handshake_bytes(int d, ByteView bytes) {
  Side& s = sides_[d];
  if (s.skip_handshake) {
    const size_t skip = std::min<size_t>(s.skip_remaining, bytes.size());
    s.skip_remaining -= static_cast<uint32_t>(skip);
    bytes = bytes.subspan(skip);
    if (s.skip_remaining != 0) return;
    s.skip_handshake = false;
  }
  // Fast path: whole messages straight from the input; only a partial tail
  // is buffered.
  ByteView input = bytes;
  if (!s.handshake.empty()) {
    s.handshake.insert(s.handshake.end(), bytes.begin(), bytes.end());
    input = ByteView(s.handshake);
  }
  size_t pos = 0;
  while (input.size() - pos >= 4) {
    const uint8_t type = input[pos];
    const uint32_t len = load_be24(input.data() + pos + 1);
    if (len > kMaxHandshakeMessage) {
      tx().add_event("handshake_invalid_length");
      const size_t have = input.size() - pos - 4;
      s.skip_handshake = true;
      s.skip_remaining = static_cast<uint32_t>(len - have);
      pos = input.size();
      break;
    }
    if (input.size() - pos - 4 < len) break;
    handshake_message(d, type, input.subspan(pos + 4, len));
    pos += 4 + len;
    if (s.encrypted) {
      pos = input.size();  // the rest of the record is already encrypted
      break;
    }
  }
  if (s.handshake.empty()) {
    s.handshake.assign(input.begin() + static_cast<long>(pos), input.end());
  } else {
    s.handshake.erase(s.handshake.begin(), s.handshake.begin() + static_cast<long>(pos));
  }
}

void TlsState::handshake_message(int d, uint8_t type, ByteView body) {
  TlsTx& t = tx();
  switch (type) {
    case 1:
      if (d != 0) t.add_event("invalid_handshake_message");
      else on_client_hello(body);
      break;
    case 2:
      if (d != 1) t.add_event("invalid_handshake_message");
      else on_server_hello(body);
      break;
    case 11: on_certificate(d, body); break;
    case 12: t.ssl_state |= kStateServerKeyExchange; break;
    case 16: t.ssl_state |= kStateClientKeyExchange; break;
    case 14: t.complete[1] = true; break;  // server_hello_done
    case 0: case 4: case 5: case 8: case 13: case 15: case 20: case 21: case 22: case 23:
    case 24: case 25: case 254:
      break;
    default: t.add_event("invalid_handshake_message"); break;
  }
}

void TlsState::on_client_hello(ByteView body) {
  TlsTx& t = tx();
  t.ssl_state |= kStateClientHello;
  if (t.client_hello_seen) return;  // renegotiation / duplicate: keep the first
  if (!parse_client_hello(body, t.client_hello)) {
    t.add_event("invalid_handshake_message");
    return;
  }
  t.client_hello_seen = true;
  t.client_version = t.client_hello.legacy_version;
  check_sni(body, t);
  ja3_string(t.client_hello, t.ja3_string);
  md5_hex(t.ja3_string, t.ja3_hash);
  ja4(t.client_hello, false, t.ja4);
}

void TlsState::on_server_hello(ByteView body) {
  TlsTx& t = tx();
  t.ssl_state |= kStateServerHello;
  if (t.server_hello_seen) return;
  if (!parse_server_hello(body, t.server_hello)) {
    t.add_event("invalid_handshake_message");
    return;
  }
  t.server_hello_seen = true;
  const ServerHello& sh = t.server_hello;
  t.server_version = sh.selected_version != 0 ? sh.selected_version : sh.legacy_version;
  ja3s_string(sh, t.ja3s_string);
  md5_hex(t.ja3s_string, t.ja3s_hash);
  t.complete[0] = true;  // the client's cleartext part (its hello) is done
  if (t.tls13()) {
    // Everything after a TLS 1.3 ServerHello is encrypted, certificates included.
    sides_[1].encrypted = true;
    t.complete[1] = true;
  } else if (!sh.session_id.empty() && sh.session_id == t.client_hello.session_id) {
    t.session_resumed = true;
  }
}

void TlsState::on_certificate(int d, ByteView body) {
  TlsTx& t = tx();
  if (d == 0) {
    t.client_cert_seen = true;
    return;
  }
  if (t.cert_seen) return;
  t.cert_seen = true;
  if (body.size() < 3) {
    t.add_event("certificate_invalid_length");
    return;
  }
  const uint32_t total = load_be24(body.data());
  if (total + 3 != body.size()) {
    t.add_event("certificate_invalid_length");
    if (total + 3 > body.size()) return;
  }
  size_t pos = 3;
  const size_t end = 3 + total;
  while (pos < end) {
    if (end - pos < 3) {
      t.add_event("certificate_invalid_length");
      break;
    }
    const uint32_t len = load_be24(body.data() + pos);
    pos += 3;
    if (len > end - pos) {
      t.add_event("certificate_invalid_length");
      break;
    }
    ByteView der = body.subspan(pos, len);
    pos += len;
    if (t.certs.empty()) {
      std::string_view event;
      t.cert_decoded = decode_certificate(der, t.cert0, event);
      if (!t.cert_decoded) {
        t.add_event(event);
        t.add_event("invalid_certificate");
      }
    }
    if (t.certs.size() < kMaxCertsKept) t.certs.emplace_back(der.begin(), der.end());
  }
}

void TlsState::on_change_cipher_spec(int d) {
  TlsTx& t = tx();
  sides_[d].encrypted = true;
  t.complete[d] = true;
  // Abbreviated handshake (session id or ticket resumption): the server
  // switches to encryption without sending a certificate.
  if (d == 1 && t.server_hello_seen && !t.cert_seen && !t.tls13()) t.session_resumed = true;
}

void TlsState::on_sslv2_record(int d, ByteView body) {
  TlsTx& t = tx();
  if (body.empty()) return;
  if (d == 0 && body[0] == 1 && body.size() >= 3) {
    // CLIENT-HELLO: msg type, version; a version >= 3.0 is an SSLv2-compatible
    // hello for SSLv3/TLS (answered with a TLS ServerHello).
    t.ssl_state |= kStateClientHello;
    t.client_version = load_be16(body.data() + 1);
    return;
  }
  if (d == 1 && body[0] == 4 && body.size() >= 5) {
    // SERVER-HELLO: msg type, session-id-hit, cert type, version. The rest of
    // an SSLv2 session is encrypted.
    t.ssl_state |= kStateServerHello;
    t.server_version = load_be16(body.data() + 3);
    t.server_hello_seen = true;
    sides_[0].encrypted = sides_[1].encrypted = true;
    t.complete[0] = t.complete[1] = true;
    return;
  }
  t.add_event("invalid_ssl_record");
}

ProbeResult probe_tls(Direction /*dir*/, ByteView data) {
  if (data.empty()) return ProbeResult::kNeedMore;
  if (data[0] == kHandshake) {
    if (data.size() < 6) {
      if (data.size() >= 2 && data[1] != 3) return ProbeResult::kNo;
      if (data.size() >= 3 && data[2] > 4) return ProbeResult::kNo;
      return ProbeResult::kNeedMore;
    }
    if (data[1] != 3 || data[2] > 4) return ProbeResult::kNo;
    return data[5] == 1 || data[5] == 2 ? ProbeResult::kYes : ProbeResult::kNo;
  }
  if ((data[0] & 0x80) != 0) {
    // SSLv2 CLIENT-HELLO: 2-byte length, type 1, version 0x0002 or 3.x.
    if (data.size() < 5) return ProbeResult::kNeedMore;
    const uint16_t version = load_be16(data.data() + 3);
    if (data[2] == 1 && (version == kSsl2 || (version >> 8) == 3)) return ProbeResult::kYes;
    if (data[2] == 4 && data.size() >= 7) {
      const uint16_t v = load_be16(data.data() + 5);
      return v == kSsl2 ? ProbeResult::kYes : ProbeResult::kNo;
    }
    return data[2] == 4 ? ProbeResult::kNeedMore : ProbeResult::kNo;
  }
  return ProbeResult::kNo;
}

}  // namespace seawall::tls
