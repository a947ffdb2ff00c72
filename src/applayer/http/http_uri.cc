#include "applayer/http/http_uri.h"

#include <cstdint>

namespace seawall::applayer::http {

namespace {

bool is_hex(uint8_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int hex_value(uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}
uint8_t x2c(const uint8_t* p) { return static_cast<uint8_t>(hex_value(p[0]) * 16 + hex_value(p[1])); }

constexpr uint8_t kReplacement = '?';  // libhtp's best-fit replacement byte

// Best fit of a code point to one byte (libhtp uses a Windows-1252 map): the
// Latin-1 range maps to itself and the full-width ASCII forms to ASCII.
uint8_t bestfit(uint32_t cp) {
  if (cp < 0x100) return static_cast<uint8_t>(cp);
  if (cp >= 0xff01 && cp <= 0xff5e) return static_cast<uint8_t>(cp - 0xfee0);
  return kReplacement;
}

// UTF-8 to best-fit bytes (overlong forms accepted, as libhtp's decoder does).
void utf8_bestfit(std::string& s) {
  std::string::size_type r = 0, w = 0;
  const size_t n = s.size();
  auto byte = [&](size_t i) { return static_cast<uint8_t>(s[i]); };
  while (r < n) {
    const uint8_t c = byte(r);
    size_t need = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      s[w++] = static_cast<char>(c);
      ++r;
      continue;
    } else if (c >= 0xc0 && c <= 0xdf) {
      need = 1;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      cp = c & 0x07;
    } else {
      s[w++] = static_cast<char>(kReplacement);  // invalid lead byte: consumed
      ++r;
      continue;
    }
    size_t k = 1;
    for (; k <= need && r + k < n; ++k) {
      const uint8_t cc = byte(r + k);
      if ((cc & 0xc0) != 0x80) break;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (k <= need) {
      // Broken sequence: one replacement byte; the offending byte starts anew.
      s[w++] = static_cast<char>(kReplacement);
      r += k;
      continue;
    }
    s[w++] = static_cast<char>(bestfit(cp));
    r += need + 1;
  }
  s.resize(w);
}

}  // namespace

UriParts split_uri(std::string_view uri) {
  UriParts parts;
  std::string_view rest = uri;
  if (!rest.empty() && rest.front() != '/') {
    // scheme ":" only when the colon comes before any '/', '?' or '#'.
    const size_t colon = rest.find(':');
    const size_t stop = rest.find_first_of("/?#");
    if (colon != std::string_view::npos && colon > 0 && (stop == std::string_view::npos ||
                                                         colon < stop)) {
      parts.scheme = rest.substr(0, colon);
      rest.remove_prefix(colon + 1);
    }
  }
  if (rest.size() >= 2 && rest[0] == '/' && rest[1] == '/' && !parts.scheme.empty()) {
    rest.remove_prefix(2);
    const size_t end = rest.find_first_of("/?#");
    parts.authority = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
  } else if (!parts.scheme.empty() && rest.find_first_of("/?#") != 0) {
    // "host:port" (CONNECT authority form) seen as scheme:rest by the split:
    // undo it, the whole target is the path.
    parts.scheme = {};
    rest = uri;
  }
  const size_t q = rest.find('?');
  const size_t h = rest.find('#');
  if (h != std::string_view::npos && (q == std::string_view::npos || h < q)) {
    parts.path = rest.substr(0, h);
    parts.fragment = rest.substr(h + 1);
    parts.has_fragment = true;
    return parts;
  }
  parts.path = rest.substr(0, q);
  if (q != std::string_view::npos) {
    std::string_view tail = rest.substr(q + 1);
    parts.has_query = true;
    const size_t h2 = tail.find('#');
    parts.query = tail.substr(0, h2);
    if (h2 != std::string_view::npos) {
      parts.fragment = tail.substr(h2 + 1);
      parts.has_fragment = true;
    }
  }
  return parts;
}

void decode_path(std::string_view path, std::string& out, bool& invalid_encoding) {
  out.clear();
  out.reserve(path.size());
  const auto* d = reinterpret_cast<const uint8_t*>(path.data());
  const size_t len = path.size();
  size_t r = 0;
  bool prev_sep = false;
  while (r < len) {
    uint8_t c = d[r];
    if (c == '%') {
      if (r + 2 < len) {
        if (d[r + 1] == 'u' || d[r + 1] == 'U') {
          if (r + 5 < len && is_hex(d[r + 2]) && is_hex(d[r + 3]) && is_hex(d[r + 4]) &&
              is_hex(d[r + 5])) {
            const uint8_t c1 = x2c(d + r + 2), c2 = x2c(d + r + 4);
            c = c1 == 0 ? c2 : bestfit((uint32_t{c1} << 8) | c2);
            r += 6;
          } else {
            invalid_encoding = true;  // leave the '%' in place
            ++r;
          }
        } else if (is_hex(d[r + 1]) && is_hex(d[r + 2])) {
          c = x2c(d + r + 1);
          r += 3;
        } else {
          invalid_encoding = true;
          ++r;
        }
      } else {
        invalid_encoding = true;
        ++r;
      }
    } else {
      ++r;
    }
    if (c == '\\') c = '/';
    if (c == '/') {
      if (prev_sep) continue;  // "//" compressed
      prev_sep = true;
    } else {
      prev_sep = false;
    }
    out.push_back(static_cast<char>(c));
  }
  utf8_bestfit(out);
}

void remove_dot_segments(std::string& path) {
  // libhtp's in-place variant of RFC 3986 5.2.4: the write index never passes
  // the read index. A separator still pending when the input ends is dropped,
  // so "one/." gives "one" and "one/.." gives "" (libhtp's own test vectors).
  char* data = path.data();
  const size_t len = path.size();
  size_t rpos = 0, wpos = 0;
  int c = -1;
  auto drop_last_segment = [&] {
    while (wpos > 0 && data[wpos - 1] != '/') --wpos;
    if (wpos > 0) --wpos;
  };
  while (rpos < len && wpos < len) {
    if (c == -1) c = static_cast<unsigned char>(data[rpos++]);
    if (c == '.') {  // A. "../" or "./" prefix removed
      if (rpos + 1 < len && data[rpos] == '.' && data[rpos + 1] == '/') {
        c = -1;
        rpos += 2;
        continue;
      }
      if (rpos < len && data[rpos] == '/') {
        c = -1;
        rpos += 1;
        continue;
      }
    }
    if (c == '/') {
      // B. "/./" or a final "/." becomes "/".
      if (rpos + 1 < len && data[rpos] == '.' && data[rpos + 1] == '/') {
        rpos += 2;
        continue;
      }
      if (rpos + 1 == len && data[rpos] == '.') {
        rpos += 1;
        continue;
      }
      // C. "/../" or a final "/.." becomes "/" and drops the last output segment.
      if (rpos + 2 < len && data[rpos] == '.' && data[rpos + 1] == '.' && data[rpos + 2] == '/') {
        rpos += 3;
        drop_last_segment();
        continue;
      }
      if (rpos + 2 == len && data[rpos] == '.' && data[rpos + 1] == '.') {
        rpos += 2;
        drop_last_segment();
        continue;
      }
    }
    // D. the input is only "." or "..".
    if (c == '.' && rpos == len) {
      ++rpos;
      continue;
    }
    if (c == '.' && rpos + 1 == len && data[rpos] == '.') {
      rpos += 2;
      continue;
    }
    // E. move one segment to the output.
    data[wpos++] = static_cast<char>(c);
    while (rpos < len && data[rpos] != '/' && wpos < len) data[wpos++] = data[rpos++];
    c = -1;
  }
  path.resize(wpos);
}

bool normalize_uri(std::string_view uri, std::string& out) {
  const UriParts parts = split_uri(uri);
  bool invalid = false;
  decode_path(parts.path, out, invalid);
  remove_dot_segments(out);
  if (parts.has_query) {
    out.push_back('?');
    out.append(parts.query);
  }
  if (parts.has_fragment) {
    out.push_back('#');
    out.append(parts.fragment);
  }
  return !invalid;
}

HostPort parse_host_port(std::string_view value) {
  HostPort hp;
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  std::string_view port;
  bool has_port = false;
  if (!value.empty() && value.front() == '[') {
    const size_t close = value.find(']');
    if (close == std::string_view::npos) {
      hp.host = value;
      return hp;
    }
    hp.host = value.substr(0, close + 1);
    std::string_view rest = value.substr(close + 1);
    if (!rest.empty() && rest.front() == ':') {
      has_port = true;
      port = rest.substr(1);
    }
  } else {
    const size_t colon = value.find(':');
    hp.host = value.substr(0, colon);
    if (colon != std::string_view::npos) {
      has_port = true;
      port = value.substr(colon + 1);
    }
  }
  if (has_port) {
    while (!port.empty() && (port.front() == ' ' || port.front() == '\t')) port.remove_prefix(1);
    if (port.empty()) return hp;  // "host:" - no port, like libhtp
    int v = 0;
    for (char ch : port) {
      if (ch < '0' || ch > '9' || v > 65535) {
        hp.port_invalid = true;
        return hp;
      }
      v = v * 10 + (ch - '0');
    }
    if (v < 1 || v > 65535) {
      hp.port_invalid = true;
      return hp;
    }
    hp.port = v;
  }
  return hp;
}

void normalize_hostname(std::string_view host, std::string& out) {
  out.assign(host);
  for (char& ch : out)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  while (!out.empty() && out.back() == '.') out.pop_back();
}

}  // namespace seawall::applayer::http
