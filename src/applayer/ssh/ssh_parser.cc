#include "applayer/ssh/ssh_parser.h"


#include <algorithm>
#include <cstring>

namespace seawall::applayer::ssh {

namespace {

// OpenSSH drops a connection whose packet is longer than this (PACKET_MAX_SIZE);
// a longer cleartext record is not SSH and becomes invalid_record.
constexpr uint32_t kMaxRecordLen = 256 * 1024;

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// SSH-1.x other than 1.99 (which also speaks 2.0) uses another packet format.
bool is_ssh1(std::string_view version) {
  return starts_with(version, "1.") && !starts_with(version, "1.99");
}

class Cursor {
 public:
  explicit Cursor(ByteView data) : data_(data) {}
  bool skip(size_t n) {
    if (data_.size() - pos_ < n) return false;
    pos_ += n;
    return true;
  }
  bool u8(uint8_t& v) {
    if (pos_ >= data_.size()) return false;
    v = data_[pos_++];
    return true;
  }
  bool u32(uint32_t& v) {
    if (data_.size() - pos_ < 4) return false;
    v = load_be32(data_.data() + pos_);
    pos_ += 4;
    return true;
  }
  // RFC 4251 "string"/"name-list": uint32 length then that many bytes.
  bool name_list(std::string& out) {
    uint32_t len = 0;
    if (!u32(len) || data_.size() - pos_ < len) return false;
    out.assign(reinterpret_cast<const char*>(data_.data() + pos_), len);
    pos_ += len;
    return true;
  }

 private:
  ByteView data_;
  size_t pos_ = 0;
};

}  // namespace

bool parse_kexinit(ByteView body, KexInit& out) {
  Cursor c(body);
  uint8_t follows = 0;
  uint32_t reserved = 0;
  if (!c.skip(16)) return false;  // cookie
  if (!c.name_list(out.kex_algorithms) || !c.name_list(out.server_host_key_algorithms) ||
      !c.name_list(out.encryption_client_to_server) ||
      !c.name_list(out.encryption_server_to_client) || !c.name_list(out.mac_client_to_server) ||
      !c.name_list(out.mac_server_to_client) || !c.name_list(out.compression_client_to_server) ||
      !c.name_list(out.compression_server_to_client) ||
      !c.name_list(out.languages_client_to_server) ||
      !c.name_list(out.languages_server_to_client))
    return false;
  if (!c.u8(follows) || !c.u32(reserved)) return false;
  out.first_kex_packet_follows = follows != 0;
  return true;
}

bool parse_banner(std::string_view line, Banner& out) {
  if (!starts_with(line, "SSH-")) return false;
  const std::string_view rest = line.substr(4);
  const size_t dash = rest.find('-');
  if (dash == std::string_view::npos || dash == 0) return false;
  out.proto_version = rest.substr(0, dash);
  std::string_view software = rest.substr(dash + 1);
  if (const size_t space = software.find(' '); space != std::string_view::npos)
    software = software.substr(0, space);  // what follows is comments
  out.software_version = software;
  return true;
}

void hassh_string(const KexInit& kex, bool server, std::string& out) {
  const std::string& enc =
      server ? kex.encryption_server_to_client : kex.encryption_client_to_server;
  const std::string& mac = server ? kex.mac_server_to_client : kex.mac_client_to_server;
  const std::string& cmp =
      server ? kex.compression_server_to_client : kex.compression_client_to_server;
  out.clear();
  out.reserve(kex.kex_algorithms.size() + enc.size() + mac.size() + cmp.size() + 3);
  out.append(kex.kex_algorithms).append(1, ';').append(enc).append(1, ';').append(mac);
  out.append(1, ';').append(cmp);
}

ProbeResult probe_ssh(Direction /*dir*/, ByteView data) {
  static constexpr char kTag[] = "SSH-";
  const size_t n = std::min<size_t>(data.size(), 4);
  for (size_t i = 0; i < n; ++i) {
    uint8_t c = data[i];
    if (c >= 'a' && c <= 'z') c = static_cast<uint8_t>(c - 'a' + 'A');
    if (c != static_cast<uint8_t>(kTag[i])) return ProbeResult::kNo;
  }
  return data.size() >= 4 ? ProbeResult::kYes : ProbeResult::kNeedMore;
}

// --- SshState ---

SshState::SshState() = default;

ParseResult SshState::parse(Direction dir, ByteView data, const ParseContext& /*ctx*/) {
  Reader& r = readers_[dir_index(dir)];
  if (r.failed) return ParseResult::kError;
  const uint8_t* p = data.data();
  size_t n = data.size();
  while (n > 0 && r.stage != Stage::kDone) {
    size_t used = 0;
    switch (r.stage) {
      case Stage::kBanner:
        used = read_banner(dir, p, n);
        break;
      case Stage::kBannerWaitEol:
        used = skip_to_eol(dir, p, n);
        break;
      default:
        used = read_records(dir, p, n);
        break;
    }
    if (used == kFailed) {
      r.failed = true;
      r.stage = Stage::kDone;
      finish_direction(dir);
      return ParseResult::kError;
    }
    p += used;
    n -= used;
  }
  return ParseResult::kOk;
}

// Consumes banner bytes up to and including a line terminator ("\n", "\r\n"
// or a bare '\r', as Suricata's ssh_parse_line). Every call either consumes
// bytes or changes the reader's state, so parse() always advances.
size_t SshState::read_banner(Direction dir, const uint8_t* p, size_t n) {
  Reader& r = readers_[dir_index(dir)];
  if (r.pending_cr) {
    // The line ended at a '\r' seen at the end of the previous chunk.
    r.pending_cr = false;
    const size_t used = p[0] == '\n' ? 1 : 0;
    const bool ok = on_banner_line(dir, r.line, false);
    r.line.clear();
    return ok ? used : kFailed;
  }
  for (size_t i = 0; i < n; ++i) {
    const uint8_t c = p[i];
    if (c == '\n' || c == '\r') {
      size_t used = i + 1;
      if (c == '\r') {
        if (i + 1 == n) {  // "\r\n" or a bare '\r': the next byte says which
          r.pending_cr = true;
          return n;
        }
        if (p[i + 1] == '\n') used = i + 2;
      }
      const bool ok = on_banner_line(dir, r.line, false);
      r.line.clear();
      return ok ? used : kFailed;
    }
    if (r.line.size() >= kMaxBannerLen) {
      // No end of line within kMaxBannerLen: judge what we have, skip the rest.
      const bool ok = on_banner_line(dir, r.line, true);
      r.line.clear();
      return ok ? i : kFailed;
    }
    r.line.push_back(static_cast<char>(c));
  }
  return n;
}

size_t SshState::skip_to_eol(Direction dir, const uint8_t* p, size_t n) {
  Reader& r = readers_[dir_index(dir)];
  size_t used = 0;
  bool eol = false;
  if (r.pending_cr) {
    r.pending_cr = false;
    used = p[0] == '\n' ? 1 : 0;
    eol = true;
  } else {
    for (size_t i = 0; i < n; ++i) {
      if (p[i] == '\n') {
        used = i + 1;
        eol = true;
        break;
      }
      if (p[i] == '\r') {
        if (i + 1 == n) {
          r.pending_cr = true;
          return n;
        }
        used = p[i + 1] == '\n' ? i + 2 : i + 1;
        eol = true;
        break;
      }
    }
    if (!eol) return n;
  }
  r.stage = Stage::kRecordHeader;
  if (is_ssh1(tx_.side(dir).proto_version)) {
    r.stage = Stage::kDone;
    finish_direction(dir);
  }
  return used;
}

bool SshState::on_banner_line(Direction dir, std::string_view line, bool long_line) {
  Reader& r = readers_[dir_index(dir)];
  SshSide& side = tx_.side(dir);
  Banner banner;
  if (!parse_banner(line, banner)) {
    // RFC 4253 4.2: a server may send other lines before its version line;
    // they never start with "SSH-".
    if (dir == Direction::kToClient && !long_line && !starts_with(line, "SSH-") &&
        r.pre_banner_bytes + line.size() + 1 <= kMaxPreBannerBytes) {
      r.pre_banner_bytes += line.size() + 1;
      return true;
    }
    tx_.add_event(kEventInvalidBanner);
    return false;
  }
  side.proto_version.assign(banner.proto_version);
  side.software_version.assign(banner.software_version);
  side.banner_done = true;
  if (long_line || line.size() >= kMaxBannerLen) tx_.add_event(kEventLongBanner);
  r.stage = long_line ? Stage::kBannerWaitEol : Stage::kRecordHeader;
  if (!long_line && is_ssh1(side.proto_version)) {
    // SSH-1 packets have another layout; the banner is all we read.
    r.stage = Stage::kDone;
    finish_direction(dir);
  }
  return true;
}

bool SshState::peer_is_ssh1(Direction dir) const {
  const SshSide& peer =
      tx_.side(dir == Direction::kToServer ? Direction::kToClient : Direction::kToServer);
  return peer.banner_done && is_ssh1(peer.proto_version);
}

size_t SshState::read_records(Direction dir, const uint8_t* p, size_t n) {
  Reader& r = readers_[dir_index(dir)];
  size_t i = 0;
  while (i < n) {
    switch (r.stage) {
      case Stage::kRecordHeader: {
        if (r.header_len == 0 && peer_is_ssh1(dir)) {
          r.stage = Stage::kDone;  // the session is SSH-1: not a binary packet we know
          finish_direction(dir);
          return n;
        }
        const size_t take = std::min(kRecordHeaderLen - r.header_len, n - i);
        std::memcpy(r.header.data() + r.header_len, p + i, take);
        r.header_len += take;
        i += take;
        if (r.header_len == kRecordHeaderLen) {
          r.header_len = 0;
          if (!on_record_header(dir)) return kFailed;
        }
        break;
      }
      case Stage::kKexBody: {
        const size_t take = std::min<size_t>(r.body_left, n - i);
        r.kex_body.insert(r.kex_body.end(), p + i, p + i + take);
        r.body_left -= static_cast<uint32_t>(take);
        i += take;
        if (r.body_left == 0) {
          r.stage = Stage::kRecordHeader;
          on_kexinit(dir, ByteView(r.kex_body.data(), r.kex_body.size()));
          // Parsed once per direction; SSH flows live long, so give the memory back.
          std::vector<uint8_t>().swap(r.kex_body);
        }
        break;
      }
      case Stage::kSkipBody: {
        const size_t take = std::min<size_t>(r.body_left, n - i);
        r.body_left -= static_cast<uint32_t>(take);
        i += take;
        if (r.body_left == 0) r.stage = Stage::kRecordHeader;
        break;
      }
      default:  // kDone after NEWKEYS: the rest is encrypted
        return n;
    }
  }
  return i;
}

bool SshState::on_record_header(Direction dir) {
  Reader& r = readers_[dir_index(dir)];
  SshSide& side = tx_.side(dir);
  const uint32_t packet_length = load_be32(r.header.data());
  const uint8_t msg = r.header[5];
  // packet_length covers padding_length and the message code at least
  // (Suricata's "pkt_len > 1" evasion check).
  if (packet_length < 2 || packet_length > kMaxRecordLen) {
    tx_.add_event(kEventInvalidRecord);
    return false;
  }
  const uint32_t body = packet_length - 2;
  if (msg == kMsgNewKeys) {
    side.newkeys_seen = true;
    r.stage = Stage::kDone;
    update_completion(dir);
    return true;
  }
  r.body_left = body;
  r.stage = body == 0 ? Stage::kRecordHeader : Stage::kSkipBody;
  if (msg == kMsgKexInit && !side.kexinit_seen) {
    side.kexinit_seen = true;
    if (body > kMaxKexRecordLen) {
      tx_.add_event(kEventLongKexRecord);
    } else if (body == 0) {
      on_kexinit(dir, ByteView());
    } else {
      r.kex_body.clear();
      r.kex_body.reserve(body);
      r.stage = Stage::kKexBody;
    }
  }
  update_completion(dir);
  return true;
}

void SshState::on_kexinit(Direction dir, ByteView body) {
  SshSide& side = tx_.side(dir);
  if (parse_kexinit(body, side.kex)) {
    side.kexinit_parsed = true;
    hassh_string(side.kex, dir == Direction::kToClient, side.hassh_string);
    md5_hex(side.hassh_string, side.hassh);
  } else {
    side.kex = KexInit{};
  }
  update_completion(dir);
}

void SshState::update_completion(Direction dir) {
  const SshSide& side = tx_.side(dir);
  // A direction's part is its banner and the algorithms it offers; the
  // KEXINIT is complete once buffered (or known to be too long to buffer).
  const Reader& r = readers_[dir_index(dir)];
  const bool kex_done = side.kexinit_seen && r.stage != Stage::kKexBody;
  if (side.newkeys_seen || (side.banner_done && kex_done)) finish_direction(dir);
}

bool SshState::gap(Direction dir, uint32_t len) {
  Reader& r = readers_[dir_index(dir)];
  if (r.stage == Stage::kDone) return !r.failed;  // encrypted or finished: nothing lost
  if (r.stage == Stage::kSkipBody && len <= r.body_left) {
    // The hole is inside a record we skip anyway: stay in step.
    r.body_left -= len;
    if (r.body_left == 0) r.stage = Stage::kRecordHeader;
    return true;
  }
  r.stage = Stage::kDone;
  finish_direction(dir);
  return false;
}

void SshState::end_of_stream(Direction dir) { finish_direction(dir); }

void SshState::remove_done() {
  if (!tx_removed_ && tx_.done()) tx_removed_ = true;
}

}  // namespace seawall::applayer::ssh
