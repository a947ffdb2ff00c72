// Request-target helpers: libhtp's URI split (scheme://authority/path?query#frag),
// its path normalisation with Suricata's default "IDS" personality (percent and
// %u decoding, %2F and backslash as separators, "//" compressed, UTF-8 best-fit
// to single bytes, then RFC 3986 dot-segment removal; no lowercasing), and
// host[:port] parsing for the Host header and URI authority.
#pragma once

#include <string>
#include <string_view>

namespace seawall::applayer::http {

struct UriParts {
  std::string_view scheme, authority, path, query, fragment;
  bool has_query = false;
  bool has_fragment = false;
};

// Splits a request-target as libhtp's htp_parse_uri does.
UriParts split_uri(std::string_view uri);

// Decodes a path in place semantics (out receives the result): %HH, %uHHHH,
// separators, UTF-8 best fit. Sets `invalid_encoding` when a % sequence is bad.
void decode_path(std::string_view path, std::string& out, bool& invalid_encoding);

// RFC 3986 5.2.4 remove_dot_segments, in place.
void remove_dot_segments(std::string& path);

// libhtp's normalized URI as Suricata builds http.uri: the decoded, normalized
// path, then "?query" and "#fragment" unchanged. Returns false on bad encoding
// (the result is still produced).
bool normalize_uri(std::string_view uri, std::string& out);

// "host", "host:port", "[v6]:port". port = -1 when absent; port_invalid when
// present but not 1..65535.
struct HostPort {
  std::string_view host;
  int port = -1;
  bool port_invalid = false;
};
HostPort parse_host_port(std::string_view value);

// Lowercase copy without trailing dots (libhtp's hostname normalisation).
void normalize_hostname(std::string_view host, std::string& out);

}  // namespace seawall::applayer::http
