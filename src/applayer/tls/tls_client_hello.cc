#include "applayer/tls/tls_client_hello.h"

#include <openssl/evp.h>

#include <algorithm>
#include <charconv>

namespace seawall::tls {
namespace {

// Bounds-checked forward reader over a byte view.
class Reader {
 public:
  explicit Reader(ByteView data) : data_(data) {}
  size_t remaining() const { return data_.size() - pos_; }
  bool u8(uint8_t& v) {
    if (remaining() < 1) return false;
    v = data_[pos_++];
    return true;
  }
  bool u16(uint16_t& v) {
    if (remaining() < 2) return false;
    v = load_be16(data_.data() + pos_);
    pos_ += 2;
    return true;
  }
  bool bytes(size_t n, ByteView& v) {
    if (remaining() < n) return false;
    v = data_.subspan(pos_, n);
    pos_ += n;
    return true;
  }
  bool skip(size_t n) {
    if (remaining() < n) return false;
    pos_ += n;
    return true;
  }

 private:
  ByteView data_;
  size_t pos_ = 0;
};

constexpr uint16_t kExtServerName = 0x0000;
constexpr uint16_t kExtSupportedGroups = 0x000a;
constexpr uint16_t kExtEcPointFormats = 0x000b;
constexpr uint16_t kExtSignatureAlgorithms = 0x000d;
constexpr uint16_t kExtAlpn = 0x0010;
constexpr uint16_t kExtSessionTicket = 0x0023;
constexpr uint16_t kExtSupportedVersions = 0x002b;

// A u16 list preceded by a length of `len_bytes` (1 or 2) bytes.
void read_u16_list(ByteView ext, size_t len_bytes, std::vector<uint16_t>& out) {
  Reader r(ext);
  size_t len = 0;
  if (len_bytes == 1) {
    uint8_t l8 = 0;
    if (!r.u8(l8)) return;
    len = l8;
  } else {
    uint16_t l16 = 0;
    if (!r.u16(l16)) return;
    len = l16;
  }
  ByteView list;
  if (!r.bytes(len, list)) return;
  for (size_t i = 0; i + 1 < list.size(); i += 2) out.push_back(load_be16(list.data() + i));
}

// Extension contents are parsed leniently (a malformed inner list is ignored):
// the TLS parser raises its own events for SNI anomalies, and fingerprints only
// need the extension types, which the outer structure already gives.
void parse_client_extension(uint16_t type, ByteView ext, ClientHello& out) {
  switch (type) {
    case kExtServerName: {
      Reader r(ext);
      uint16_t list_len = 0;
      ByteView list;
      if (!r.u16(list_len) || !r.bytes(list_len, list)) return;
      Reader entries(list);
      uint8_t name_type = 0;
      uint16_t name_len = 0;
      ByteView name;
      while (entries.u8(name_type) && entries.u16(name_len) && entries.bytes(name_len, name)) {
        if (name_type == 0 && out.sni.empty()) {
          out.sni.assign(reinterpret_cast<const char*>(name.data()), name.size());
        }
      }
      break;
    }
    case kExtSupportedGroups: read_u16_list(ext, 2, out.groups); break;
    case kExtEcPointFormats: {
      Reader r(ext);
      uint8_t len = 0;
      ByteView list;
      if (r.u8(len) && r.bytes(len, list)) out.ec_point_formats.assign(list.begin(), list.end());
      break;
    }
    case kExtSignatureAlgorithms: read_u16_list(ext, 2, out.signature_algorithms); break;
    case kExtAlpn: {
      Reader r(ext);
      uint16_t list_len = 0;
      ByteView list;
      if (!r.u16(list_len) || !r.bytes(list_len, list)) return;
      Reader names(list);
      uint8_t len = 0;
      ByteView name;
      while (names.u8(len) && names.bytes(len, name)) {
        out.alpn.emplace_back(reinterpret_cast<const char*>(name.data()), name.size());
      }
      break;
    }
    case kExtSessionTicket: out.has_session_ticket = !ext.empty(); break;
    case kExtSupportedVersions: read_u16_list(ext, 1, out.supported_versions); break;
    default: break;
  }
}

void append_hex4(std::string& out, uint16_t v) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back(kHex[(v >> 12) & 0xf]);
  out.push_back(kHex[(v >> 8) & 0xf]);
  out.push_back(kHex[(v >> 4) & 0xf]);
  out.push_back(kHex[v & 0xf]);
}

void append_decimal(std::string& out, unsigned v) {
  char buf[12];
  const auto result = std::to_chars(buf, buf + sizeof buf, v);  // no locale, no format parsing
  out.append(buf, static_cast<size_t>(result.ptr - buf));
}

// "a-b-c" of the non-GREASE values (JA3 list field).
template <typename T>
void append_ja3_list(std::string& out, const std::vector<T>& values) {
  bool first = true;
  for (T v : values) {
    if constexpr (sizeof(T) == 2) {
      if (is_grease(v)) continue;
    }
    if (!first) out.push_back('-');
    first = false;
    append_decimal(out, v);
  }
}

void sha256_prefix12(std::string_view text, std::string& out) {
  // Fetched once: EVP_sha256() makes OpenSSL 3 look the algorithm up per digest.
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &len,
                 sha256 != nullptr ? sha256 : EVP_sha256(), nullptr) != 1 ||
      len < 6) {
    out.append("000000000000");
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 6; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
}

void append_two_digits(std::string& out, size_t n) {
  if (n > 99) n = 99;
  out.push_back(static_cast<char>('0' + n / 10));
  out.push_back(static_cast<char>('0' + n % 10));
}

bool is_alnum_ascii(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

const char* ja4_version(uint16_t v) {
  switch (v) {
    case 0x0304: return "13";
    case 0x0303: return "12";
    case 0x0302: return "11";
    case 0x0301: return "10";
    case 0x0300: return "s3";
    case 0x0002: return "s2";
    case 0xfeff: return "d1";
    case 0xfefd: return "d2";
    case 0xfefc: return "d3";
    default: return "00";
  }
}

}  // namespace

bool is_grease(uint16_t value) {
  return (value & 0x0f0f) == 0x0a0a && (value >> 8) == (value & 0xff);
}

namespace {

// The extensions block of a hello: total length, then (type, length, data)
// entries; every type is recorded in order and handed to on_extension.
// False when the block is malformed.
template <typename OnExtension>
bool walk_extensions(Reader& r, std::vector<uint16_t>& types, OnExtension on_extension) {
  uint16_t ext_total = 0;
  ByteView exts;
  if (!r.u16(ext_total) || !r.bytes(ext_total, exts)) return false;
  Reader e(exts);
  while (e.remaining() > 0) {
    uint16_t type = 0;
    uint16_t len = 0;
    ByteView data;
    if (!e.u16(type) || !e.u16(len) || !e.bytes(len, data)) return false;
    types.push_back(type);
    on_extension(type, data);
  }
  return true;
}

}  // namespace

bool parse_client_hello(ByteView body, ClientHello& out) {
  out.legacy_version = 0;
  out.cipher_suites.clear();
  out.extensions.clear();
  out.groups.clear();
  out.ec_point_formats.clear();
  out.signature_algorithms.clear();
  out.supported_versions.clear();
  out.alpn.clear();
  out.sni.clear();
  out.session_id.clear();
  out.has_session_ticket = false;

  Reader r(body);
  uint8_t sid_len = 0;
  ByteView sid;
  if (!r.u16(out.legacy_version) || !r.skip(32) || !r.u8(sid_len) || sid_len > 32 ||
      !r.bytes(sid_len, sid)) {
    return false;
  }
  out.session_id.assign(sid.begin(), sid.end());
  uint16_t cipher_len = 0;
  ByteView ciphers;
  if (!r.u16(cipher_len) || (cipher_len & 1) != 0 || !r.bytes(cipher_len, ciphers)) return false;
  out.cipher_suites.reserve(cipher_len / 2);
  for (size_t i = 0; i < ciphers.size(); i += 2) {
    out.cipher_suites.push_back(load_be16(ciphers.data() + i));
  }
  uint8_t comp_len = 0;
  if (!r.u8(comp_len) || !r.skip(comp_len)) return false;
  if (r.remaining() == 0) return true;  // no extensions (SSLv3 / old TLS)
  return walk_extensions(r, out.extensions, [&](uint16_t type, ByteView data) {
    parse_client_extension(type, data, out);
  });
}

bool parse_server_hello(ByteView body, ServerHello& out) {
  out.legacy_version = 0;
  out.cipher_suite = 0;
  out.extensions.clear();
  out.selected_version = 0;
  out.alpn.clear();
  out.session_id.clear();

  Reader r(body);
  if (!r.u16(out.legacy_version) || !r.skip(32)) return false;
  // TLS 1.3 drafts before 22 (0x7f00 | draft, and the earliest ones that put
  // 0x0304 here) sent no session id and no compression method.
  bool early_draft = ((out.legacy_version >> 8) == 0x7f && (out.legacy_version & 0xff) < 22) ||
                     out.legacy_version == 0x0304;
  if (early_draft) {
    if (!r.u16(out.cipher_suite)) return false;
  } else {
    uint8_t sid_len = 0;
    ByteView sid;
    uint8_t compression = 0;
    if (!r.u8(sid_len) || sid_len > 32 || !r.bytes(sid_len, sid) || !r.u16(out.cipher_suite) ||
        !r.u8(compression)) {
      return false;
    }
    out.session_id.assign(sid.begin(), sid.end());
  }
  if (r.remaining() == 0) return true;
  return walk_extensions(r, out.extensions, [&](uint16_t type, ByteView data) {
    Reader x(data);
    if (type == kExtSupportedVersions) {
      uint16_t v = 0;
      if (x.u16(v)) out.selected_version = v;
    } else if (type == kExtAlpn) {
      uint16_t list_len = 0;
      uint8_t name_len = 0;
      ByteView name;
      if (x.u16(list_len) && x.u8(name_len) && x.bytes(name_len, name)) {
        out.alpn.assign(reinterpret_cast<const char*>(name.data()), name.size());
      }
    }
  });
}

void ja3_string(const ClientHello& ch, std::string& out) {
  out.clear();
  append_decimal(out, ch.legacy_version);
  out.push_back(',');
  append_ja3_list(out, ch.cipher_suites);
  out.push_back(',');
  append_ja3_list(out, ch.extensions);
  out.push_back(',');
  append_ja3_list(out, ch.groups);
  out.push_back(',');
  append_ja3_list(out, ch.ec_point_formats);
}

void ja3s_string(const ServerHello& sh, std::string& out) {
  out.clear();
  append_decimal(out, sh.legacy_version);
  out.push_back(',');
  append_decimal(out, sh.cipher_suite);
  out.push_back(',');
  append_ja3_list(out, sh.extensions);
}

void ja4(const ClientHello& ch, bool quic, std::string& out) {
  out.clear();
  out.push_back(quic ? 'q' : 't');

  uint16_t version = 0;
  for (uint16_t v : ch.supported_versions) {
    if (!is_grease(v)) version = std::max(version, v);
  }
  if (ch.supported_versions.empty() || version == 0) version = ch.legacy_version;
  out.append(ja4_version(version));

  bool has_sni = std::find(ch.extensions.begin(), ch.extensions.end(), kExtServerName) !=
                 ch.extensions.end();
  out.push_back(has_sni ? 'd' : 'i');

  // Scratch is per thread and keeps its capacity: no allocation in steady state.
  thread_local std::vector<uint16_t> ciphers;
  thread_local std::vector<uint16_t> extensions;
  thread_local std::string text;
  ciphers.clear();
  extensions.clear();
  for (uint16_t c : ch.cipher_suites) {
    if (!is_grease(c)) ciphers.push_back(c);
  }
  size_t extension_count = 0;
  for (uint16_t e : ch.extensions) {
    if (is_grease(e)) continue;
    ++extension_count;
    if (e != kExtServerName && e != kExtAlpn) extensions.push_back(e);
  }
  append_two_digits(out, ciphers.size());
  append_two_digits(out, extension_count);

  if (ch.alpn.empty() || ch.alpn[0].empty()) {
    out.append("00");
  } else {
    const std::string& a = ch.alpn[0];
    auto first = static_cast<unsigned char>(a.front());
    auto last = static_cast<unsigned char>(a.back());
    if (is_alnum_ascii(first) && is_alnum_ascii(last)) {
      out.push_back(static_cast<char>(first));
      out.push_back(static_cast<char>(last));
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out.push_back(kHex[first >> 4]);
      out.push_back(kHex[last & 0xf]);
    }
  }
  out.push_back('_');

  std::sort(ciphers.begin(), ciphers.end());
  if (ciphers.empty()) {
    out.append("000000000000");
  } else {
    text.clear();
    for (size_t i = 0; i < ciphers.size(); ++i) {
      if (i != 0) text.push_back(',');
      append_hex4(text, ciphers[i]);
    }
    sha256_prefix12(text, out);
  }
  out.push_back('_');

  std::sort(extensions.begin(), extensions.end());
  if (extensions.empty()) {
    out.append("000000000000");
  } else {
    text.clear();
    for (size_t i = 0; i < extensions.size(); ++i) {
      if (i != 0) text.push_back(',');
      append_hex4(text, extensions[i]);
    }
    // Suricata (the EVE output we match, suricata-verify bug-5713-02-ja4) always
    // adds the '_' even without signature algorithms; the FoxIO text omits it.
    text.push_back('_');
    bool first_sig = true;
    for (uint16_t s : ch.signature_algorithms) {
      if (is_grease(s)) continue;
      if (!first_sig) text.push_back(',');
      first_sig = false;
      append_hex4(text, s);
    }
    sha256_prefix12(text, out);
  }
}

}  // namespace seawall::tls
