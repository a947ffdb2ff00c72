#include "applayer/http/http_parser.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "applayer/http/http_uri.h"

namespace seawall::applayer::http {

namespace {

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r'; }
bool is_lws(char c) { return c == ' ' || c == '\t'; }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

bool icontains(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i)
    if (iequals(hay.substr(i, needle.size()), needle)) return true;
  return false;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ws(s.back())) s.remove_suffix(1);
  return s;
}

// RFC 7230 token characters (header names).
bool is_token_char(uint8_t c) {
  if (c <= 32 || c >= 127) return false;
  return std::strchr("()<>@,;:\\\"/[]?={}", c) == nullptr;
}

// "HTTP/1.1" -> 11, "HTTP/1.0" -> 10, "HTTP/0.9" -> 9, else -1 (libhtp's
// htp_parse_protocol, which also accepts the prefix in any case).
int parse_protocol(std::string_view p) {
  p = trim(p);
  if (p.size() != 8 || !iequals(p.substr(0, 5), "HTTP/") || p[6] != '.') return -1;
  if (p[5] == '1' && p[7] == '1') return 11;
  if (p[5] == '1' && p[7] == '0') return 10;
  if (p[5] == '0' && p[7] == '9') return 9;
  return -1;
}

// Content-Length value: digits with optional surrounding whitespace; -1 if invalid.
int64_t parse_content_length(std::string_view v) {
  v = trim(v);
  if (v.empty()) return -1;
  int64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return -1;
    if (n > (INT64_MAX - 9) / 10) return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

// False once the first bytes of a response line rule out "HTTP" (leading
// whitespace ignored); true while it may still be a status line.
bool looks_like_status(std::string_view line) {
  while (!line.empty() && is_ws(line.front())) line.remove_prefix(1);
  const size_t n = std::min<size_t>(line.size(), 4);
  return iequals(line.substr(0, n), std::string_view("HTTP").substr(0, n));
}

// Methods Suricata's HTTP probing patterns list (each followed by a space).
constexpr std::array<std::string_view, 29> kMethods = {
    "GET",        "PUT",         "POST",        "HEAD",      "TRACE",
    "OPTIONS",    "CONNECT",     "DELETE",      "PATCH",     "PROPFIND",
    "PROPPATCH",  "MKCOL",       "COPY",        "MOVE",      "LOCK",
    "UNLOCK",     "CHECKOUT",    "UNCHECKOUT",  "CHECKIN",   "UPDATE",
    "LABEL",      "REPORT",      "MKWORKSPACE", "MKACTIVITY", "MERGE",
    "INVALID",    "VERSION-CONTROL", "BASELINE-CONTROL", "SEARCH"};

HttpConfig& config_storage() {
  static HttpConfig config;
  return config;
}

}  // namespace

const HttpConfig& http_config() { return config_storage(); }
void set_http_config(const HttpConfig& config) { config_storage() = config; }

// ---------------------------------------------------------------------------
// Messages and transactions

const HttpHeader* HttpMessage::header(std::string_view name) const {
  for (size_t i = 0; i < header_count; ++i)
    if (iequals(headers[i].name, name)) return &headers[i];
  return nullptr;
}

std::string_view HttpMessage::header_value(std::string_view name) const {
  const HttpHeader* h = header(name);
  return h != nullptr ? std::string_view(h->value) : std::string_view{};
}

void HttpMessage::reset() {
  line.clear();
  protocol.clear();
  protocol_number = -1;
  header_count = 0;
  raw_headers.clear();
  header_buf.clear();
  names_buf.clear();
  start_buf.clear();
  header_lines.clear();
  line_offsets.clear();
  headers_done = false;
  body.clear();
  message_len = 0;
  body_truncated = false;
  decoder.reset();
}

void HttpTx::reset(uint64_t new_id) {
  reset_base(new_id);
  request.reset();
  response.reset();
  method.clear();
  uri_raw.clear();
  uri_norm.clear();
  hostname.clear();
  host_raw.clear();
  port = -1;
  has_hostname = is_connect = is_head = http09 = false;
  request_started = response_started = false;
  status_code.clear();
  status_msg.clear();
  status = -1;
  seen_100_continue = false;
}

void build_message_buffers(HttpMessage& m, bool request) {
  m.header_buf.clear();
  m.names_buf.assign("\r\n");
  m.start_buf.assign(m.line);
  m.start_buf.append("\r\n");
  m.header_lines.clear();
  m.line_offsets.assign(1, 0);
  const std::string_view skip = request ? "cookie" : "set-cookie";
  for (size_t i = 0; i < m.header_count; ++i) {
    const HttpHeader& h = m.headers[i];
    if (!iequals(h.name, skip)) {
      m.header_buf.append(h.name).append(": ").append(h.value).append("\r\n");
    }
    m.names_buf.append(h.name).append("\r\n");
    m.start_buf.append(h.name).append(": ").append(h.value).append("\r\n");
    m.header_lines.append(h.name).append(": ").append(h.value);
    m.line_offsets.push_back(static_cast<uint32_t>(m.header_lines.size()));
  }
  m.names_buf.append("\r\n");
  if (m.header_count > 0) m.start_buf.append("\r\n");
}

// ---------------------------------------------------------------------------
// Probe

ProbeResult probe_http(Direction /*dir*/, ByteView data) {
  const std::string_view s(reinterpret_cast<const char*>(data.data()), data.size());
  if (s.empty()) return ProbeResult::kNeedMore;
  constexpr std::string_view kResponse = "HTTP/1.";
  if (s.size() >= kResponse.size()) {
    if (s.substr(0, kResponse.size()) == kResponse) return ProbeResult::kYes;
  } else if (kResponse.substr(0, s.size()) == s) {
    return ProbeResult::kNeedMore;
  }
  bool prefix = false;
  for (std::string_view m : kMethods) {
    if (s.size() > m.size()) {
      if (s.substr(0, m.size()) == m && (s[m.size()] == ' ' || s[m.size()] == '\t'))
        return ProbeResult::kYes;
    } else if (m.substr(0, s.size()) == s) {
      prefix = true;
    }
  }
  return prefix ? ProbeResult::kNeedMore : ProbeResult::kNo;
}

// ---------------------------------------------------------------------------
// State

HttpState::HttpState() : HttpState(http_config()) {}
HttpState::HttpState(const HttpConfig& config) : config_(config) {}
HttpState::~HttpState() = default;

HttpTx* HttpState::new_tx() {
  if (txs_.size() >= config_.max_transactions) return nullptr;
  std::unique_ptr<HttpTx> tx;
  if (!spare_.empty()) {
    tx = std::move(spare_.back());
    spare_.pop_back();
  } else {
    tx = std::make_unique<HttpTx>();
  }
  tx->reset(next_tx_id_++);
  txs_.push_back(std::move(tx));
  return txs_.back().get();
}

HttpTx* HttpState::response_tx() {
  if (sides_[1].tx != nullptr) return sides_[1].tx;
  for (auto& t : txs_)
    if (!t->response_started && !t->complete[1]) return t.get();
  // A response nobody asked for (libhtp: "unable to match response to request").
  HttpTx* tx = new_tx();
  if (tx != nullptr) {
    tx->complete[0] = true;
    tx->add_event("unable_to_match_response_to_request");
  }
  return tx;
}

void HttpState::event(int d, std::string_view req_name, std::string_view resp_name) {
  HttpTx* tx = sides_[d].tx;
  if (tx == nullptr) {
    if (d == 0) {
      if (!txs_.empty()) tx = txs_.back().get();
    } else {
      tx = response_tx();
    }
  }
  if (tx != nullptr) tx->add_event(d == 0 ? req_name : resp_name);
}

ParseResult HttpState::parse(Direction dir, ByteView data, const ParseContext& /*ctx*/) {
  if (tunnel_ || data.empty()) return ParseResult::kOk;
  parse_side(dir_index(dir), data.data(), data.size());
  return ParseResult::kOk;
}

void HttpState::parse_side(int d, const uint8_t* p, size_t n) {
  size_t i = 0;
  while (i < n && !tunnel_) {
    Side& s = sides_[d];
    switch (s.phase) {
      case Phase::kIgnore:
        return;
      case Phase::kBodyLength:
      case Phase::kChunkData: {
        const size_t take = static_cast<size_t>(std::min<uint64_t>(s.remaining, n - i));
        body_data(d, p + i, take);
        i += take;
        s.remaining -= take;
        if (s.remaining == 0) {
          if (s.phase == Phase::kBodyLength) message_complete(d);
          else s.phase = Phase::kChunkDataEnd;
        }
        break;
      }
      case Phase::kBodyClose:
        body_data(d, p + i, n - i);
        i = n;
        break;
      default: {
        bool complete = false;
        i += take_line(d, p + i, n - i, complete);
        if (!complete && d == 1 && s.phase == Phase::kLine && !looks_like_status(s.line)) {
          // A response that does not start with a status line is all body;
          // no need to wait for a line end that may never come.
          on_status_line(s.line, s.line);
          sides_[d].line.clear();
          sides_[d].line_overflow = false;
          break;
        }
        if (complete) {
          std::string_view raw = s.line;
          std::string_view line = raw;
          if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
          if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
          on_line(d, line, raw);
          // on_line may have moved to another phase; the line is consumed either way.
          sides_[d].line.clear();
          sides_[d].line_overflow = false;
        }
        break;
      }
    }
  }
}

size_t HttpState::take_line(int d, const uint8_t* p, size_t n, bool& complete) {
  Side& s = sides_[d];
  const auto* lf = static_cast<const uint8_t*>(std::memchr(p, '\n', n));
  const size_t len = lf != nullptr ? static_cast<size_t>(lf - p) + 1 : n;
  complete = lf != nullptr;
  const size_t room = s.line.size() < config_.max_line ? config_.max_line - s.line.size() : 0;
  if (len > room) {
    // Bounded: keep the first max_line bytes (and the terminator), flag it once.
    s.line.append(reinterpret_cast<const char*>(p), room);
    if (complete) s.line.push_back('\n');
    if (!s.line_overflow) {
      s.line_overflow = true;
      // A start line has no transaction yet: on_request/status_line reports it.
      if (s.phase != Phase::kLine) event(d, "request_field_too_long", "response_field_too_long");
    }
  } else {
    s.line.append(reinterpret_cast<const char*>(p), len);
  }
  return len;
}

void HttpState::on_line(int d, std::string_view line, std::string_view raw) {
  Side& s = sides_[d];
  switch (s.phase) {
    case Phase::kLine:
      if (trim(line).empty()) return;  // stray CRLF between messages
      if (d == 0) on_request_line(line);
      else on_status_line(line, raw);
      return;
    case Phase::kHeaders:
    case Phase::kTrailers:
      on_header_line(d, line, raw);
      return;
    case Phase::kChunkSize:
      if (trim(line).empty()) return;  // tolerate an extra CRLF before the size
      on_chunk_size(d, line);
      return;
    case Phase::kChunkDataEnd:
      // The CRLF after chunk data; anything else there is tolerated like libhtp.
      s.phase = Phase::kChunkSize;
      return;
    default:
      return;
  }
}

void HttpState::on_request_line(std::string_view line) {
  Side& s = sides_[0];
  HttpTx* tx = new_tx();
  if (tx == nullptr) {
    s.phase = Phase::kIgnore;  // transaction cap: stop parsing requests
    return;
  }
  s.tx = tx;
  s.last_header = -1;
  s.http09_headers = false;
  tx->request_started = true;
  if (s.line_overflow) tx->add_event("request_field_too_long");
  tx->request.line.assign(line);
  std::string_view rest = line;
  if (!rest.empty() && is_ws(rest.front())) {
    tx->add_event("request_line_leading_whitespace");
    while (!rest.empty() && is_ws(rest.front())) rest.remove_prefix(1);
  }
  size_t i = 0;
  while (i < rest.size() && !is_ws(rest[i])) ++i;
  tx->method.assign(rest.substr(0, i));
  if (i < rest.size() && rest[i] != ' ') tx->add_event("method_delim_non_compliant");
  rest.remove_prefix(i);
  while (!rest.empty() && is_ws(rest.front())) rest.remove_prefix(1);
  tx->is_connect = tx->method == "CONNECT";
  tx->is_head = tx->method == "HEAD";
  if (rest.empty()) {
    // Only a method: libhtp's "request line incomplete"; nothing else follows.
    tx->add_event("request_line_incomplete");
    tx->http09 = true;
    tx->request.protocol_number = 9;
    tx->request.headers_done = true;
    build_message_buffers(tx->request, true);
    message_complete(0);
    return;
  }
  i = 0;
  while (i < rest.size() && !is_ws(rest[i])) ++i;
  tx->uri_raw.assign(rest.substr(0, i));
  if (i < rest.size() && rest[i] != ' ') tx->add_event("uri_delim_non_compliant");
  rest = trim(rest.substr(i));
  normalize_uri(tx->uri_raw, tx->uri_norm);
  if (rest.empty()) {
    // HTTP/0.9 simple request: complete now. Lines that still follow are taken
    // as headers (libhtp does not treat "GET /\r\nHost: x" as 0.9 either).
    tx->http09 = true;
    tx->request.protocol_number = 9;
    tx->request.headers_done = true;
    build_message_buffers(tx->request, true);
    tx->complete[0] = true;
    s.http09_headers = true;
    s.phase = Phase::kHeaders;
    return;
  }
  tx->request.protocol.assign(rest);
  tx->request.protocol_number = parse_protocol(rest);
  if (tx->request.protocol_number < 0) tx->add_event("request_line_invalid");
  s.phase = Phase::kHeaders;
}

void HttpState::on_status_line(std::string_view line, std::string_view raw) {
  Side& s = sides_[1];
  HttpTx* tx = response_tx();
  if (tx == nullptr) {
    s.phase = Phase::kIgnore;
    return;
  }
  s.tx = tx;
  s.last_header = -1;
  tx->response_started = true;
  if (s.line_overflow) tx->add_event("response_field_too_long");
  std::string_view rest = line;
  while (!rest.empty() && is_ws(rest.front())) rest.remove_prefix(1);
  if (rest.size() < 4 || !iequals(rest.substr(0, 4), "HTTP")) {
    // Not a status line (HTTP/0.9 response or garbage): libhtp treats the
    // whole response as body until the connection closes.
    s.phase = Phase::kBodyClose;
    body_data(1, reinterpret_cast<const uint8_t*>(raw.data()), raw.size());
    return;
  }
  tx->response.line.assign(line);
  size_t i = 0;
  while (i < rest.size() && !is_ws(rest[i])) ++i;
  tx->response.protocol.assign(rest.substr(0, i));
  tx->response.protocol_number = parse_protocol(tx->response.protocol);
  if (tx->response.protocol_number < 0) tx->add_event("response_invalid_protocol");
  rest.remove_prefix(i);
  while (!rest.empty() && is_ws(rest.front())) rest.remove_prefix(1);
  i = 0;
  while (i < rest.size() && !is_ws(rest[i])) ++i;
  tx->status_code.assign(rest.substr(0, i));
  tx->status = -1;
  if (tx->status_code.size() == 3 &&
      std::all_of(tx->status_code.begin(), tx->status_code.end(),
                  [](char c) { return c >= '0' && c <= '9'; })) {
    const int v = (tx->status_code[0] - '0') * 100 + (tx->status_code[1] - '0') * 10 +
                  (tx->status_code[2] - '0');
    if (v >= 100) tx->status = v;
  }
  if (tx->status < 0) tx->add_event("response_invalid_status");
  tx->status_msg.assign(trim(rest.substr(i)));
  s.phase = Phase::kHeaders;
}

void HttpState::on_header_line(int d, std::string_view line, std::string_view raw) {
  Side& s = sides_[d];
  HttpTx* tx = s.tx;
  if (tx == nullptr) return;
  HttpMessage& m = d == 0 ? tx->request : tx->response;
  if (line.empty()) {
    if (s.phase == Phase::kTrailers) {
      m.raw_headers.append(raw);
      if (s.trailers_seen) build_message_buffers(m, d == 0);
      message_complete(d);
    } else if (s.http09_headers) {
      // End of the lines after a 0.9 request line.
      s.http09_headers = false;
      if (m.header_count > 0) {
        m.raw_headers.append(raw);
        build_message_buffers(m, true);
      }
      s.tx = nullptr;
      s.phase = Phase::kLine;
    } else {
      m.raw_headers.append(raw);
      headers_complete(d);
    }
    return;
  }
  if (m.raw_headers.size() + raw.size() <= config_.max_header_bytes) m.raw_headers.append(raw);
  if (s.phase == Phase::kTrailers) s.trailers_seen = true;
  add_header(d, line);
  if (s.http09_headers) build_message_buffers(m, true);
}

void HttpState::add_header(int d, std::string_view line) {
  Side& s = sides_[d];
  HttpTx* tx = s.tx;
  HttpMessage& m = d == 0 ? tx->request : tx->response;
  if (is_lws(line.front())) {
    if (s.last_header >= 0 && static_cast<size_t>(s.last_header) < m.header_count) {
      // Folded continuation: appended to the previous header's value.
      HttpHeader& h = m.headers[static_cast<size_t>(s.last_header)];
      if (h.value.size() + line.size() > config_.max_line) {
        // Endless folding must not grow a value without bound.
        tx->add_event(d == 0 ? "request_field_too_long" : "response_field_too_long");
        return;
      }
      h.value.append(line);
      h.value.assign(trim(h.value));
      return;
    }
    tx->add_event(d == 0 ? "invalid_request_field_folding" : "invalid_response_field_folding");
    line = trim(line);
  }
  std::string_view name, value;
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    tx->add_event(d == 0 ? "request_field_missing_colon" : "response_field_missing_colon");
    value = trim(line);
  } else {
    name = line.substr(0, colon);
    value = trim(line.substr(colon + 1));
    bool invalid = name.empty();
    if (!name.empty() && is_lws(name.back())) {
      invalid = true;  // LWS between the name and the colon
      while (!name.empty() && is_lws(name.back())) name.remove_suffix(1);
    }
    for (char c : name)
      if (!is_token_char(static_cast<uint8_t>(c))) invalid = true;
    if (invalid) tx->add_event(d == 0 ? "request_header_invalid" : "response_header_invalid");
  }
  for (size_t i = 0; i < m.header_count; ++i) {
    HttpHeader& h = m.headers[i];
    if (!iequals(h.name, name)) continue;
    s.last_header = static_cast<int>(i);
    if (iequals(name, "content-length")) {
      // Not merged: a second, different length is an ambiguity (smuggling).
      if (trim(h.value) != value)
        tx->add_event(d == 0 ? "duplicate_content_length_field_in_request"
                             : "duplicate_content_length_field_in_response");
      return;
    }
    if (h.repetitions >= config_.max_header_repetitions ||
        h.value.size() + value.size() > config_.max_header_bytes) {
      tx->add_event(d == 0 ? "request_header_repetition" : "response_header_repetition");
      return;
    }
    ++h.repetitions;
    h.value.append(", ").append(value);
    return;
  }
  if (m.header_count >= config_.max_headers) {
    tx->add_event(d == 0 ? "request_field_too_long" : "response_field_too_long");
    s.last_header = -1;
    return;
  }
  if (m.headers.size() <= m.header_count) m.headers.emplace_back();
  HttpHeader& h = m.headers[m.header_count];
  h.name.assign(name);
  h.value.assign(value);
  h.repetitions = 0;
  s.last_header = static_cast<int>(m.header_count);
  ++m.header_count;
}

void HttpState::headers_complete(int d) {
  if (d == 0) request_headers_complete();
  else response_headers_complete();
}

void HttpState::request_headers_complete() {
  Side& s = sides_[0];
  HttpTx* tx = s.tx;
  HttpMessage& m = tx->request;
  m.headers_done = true;
  build_message_buffers(m, true);

  // Host: the absolute URI's authority wins over the Host header (RFC 7230 5.4).
  const UriParts uri = split_uri(tx->uri_raw);
  const HttpHeader* host = m.header("host");
  HostPort from_uri, from_header;
  if (!uri.authority.empty() && !tx->is_connect) {
    std::string_view auth = uri.authority;
    if (const size_t at = auth.rfind('@'); at != std::string_view::npos) auth.remove_prefix(at + 1);
    from_uri = parse_host_port(auth);
    if (from_uri.host.empty() || from_uri.port_invalid) tx->add_event("request_uri_host_invalid");
  } else if (tx->is_connect) {
    from_uri = parse_host_port(tx->uri_raw);
    if (from_uri.host.empty() || from_uri.port_invalid) tx->add_event("request_uri_host_invalid");
  }
  if (host != nullptr) {
    from_header = parse_host_port(host->value);
    if (from_header.host.empty() || from_header.port_invalid)
      tx->add_event("request_header_host_invalid");
  }
  if (!from_uri.host.empty()) {
    normalize_hostname(from_uri.host, tx->hostname);
    tx->host_raw.assign(from_uri.host);
    tx->port = from_uri.port;
    tx->has_hostname = true;
    if (host != nullptr) {
      std::string header_host;
      normalize_hostname(from_header.host, header_host);
      if (header_host != tx->hostname) tx->add_event("host_header_ambiguous");
    }
  } else if (host != nullptr) {
    normalize_hostname(from_header.host, tx->hostname);
    tx->host_raw.assign(host->value);
    tx->port = from_header.port;
    tx->has_hostname = !from_header.host.empty();
  }
  if (host == nullptr && m.protocol_number == 11) tx->add_event("missing_host_header");

  // Body framing (RFC 7230 3.3.3, as libhtp applies it to requests).
  s.chunked = false;
  s.trailers_seen = false;
  const HttpHeader* te = m.header("transfer-encoding");
  const HttpHeader* cl = m.header("content-length");
  bool has_body = false;
  if (te != nullptr) {
    if (icontains(te->value, "chunked")) {
      s.chunked = true;
      has_body = true;
    } else {
      tx->add_event("invalid_transfer_encoding_value_in_request");
    }
  }
  if (!s.chunked && cl != nullptr) {
    const int64_t len = parse_content_length(cl->value);
    if (len < 0) {
      tx->add_event("invalid_content_length_field_in_request");
    } else if (len > 0) {
      s.remaining = static_cast<uint64_t>(len);
      has_body = true;
    }
  }
  if (tx->is_connect) has_body = false;  // what follows depends on the response
  if (has_body && config_.request_decompression)
    m.decoder.start(parse_content_encoding(m.header_value("content-encoding")),
                    config_.decompress);
  if (!has_body) {
    message_complete(0);
    return;
  }
  s.phase = s.chunked ? Phase::kChunkSize : Phase::kBodyLength;
}

void HttpState::response_headers_complete() {
  Side& s = sides_[1];
  HttpTx* tx = s.tx;
  HttpMessage& m = tx->response;
  if (tx->status >= 100 && tx->status <= 199 && tx->status != 101) {
    // Interim response: its headers are dropped, the final one follows.
    if (tx->status == 100) {
      if (tx->seen_100_continue) tx->add_event("100_continue_already_seen");
      tx->seen_100_continue = true;
    }
    m.header_count = 0;
    m.raw_headers.clear();
    m.line.clear();
    s.last_header = -1;
    s.phase = Phase::kLine;
    return;
  }
  m.headers_done = true;
  build_message_buffers(m, false);
  s.chunked = false;
  s.trailers_seen = false;
  if (tx->status == 101 || (tx->is_connect && tx->status >= 200 && tx->status <= 299)) {
    // Protocol switch / tunnel: what follows is not HTTP.
    message_complete(1);
    tunnel_ = true;
    return;
  }
  if (tx->is_head || tx->status == 204 || tx->status == 304) {
    message_complete(1);
    return;
  }
  const HttpHeader* te = m.header("transfer-encoding");
  const HttpHeader* cl = m.header("content-length");
  if (te != nullptr) {
    if (icontains(te->value, "chunked")) {
      s.chunked = true;
      if (!iequals(trim(te->value), "chunked"))
        tx->add_event("response_abnormal_transfer_encoding");
      if (m.protocol_number >= 0 && m.protocol_number < 11)
        tx->add_event("response_chunked_old_proto");
    } else {
      tx->add_event("invalid_transfer_encoding_value_in_response");
    }
  }
  if (config_.response_decompression)
    m.decoder.start(parse_content_encoding(m.header_value("content-encoding")),
                    config_.decompress);
  if (s.chunked) {
    s.phase = Phase::kChunkSize;
    return;
  }
  if (cl != nullptr) {
    const int64_t len = parse_content_length(cl->value);
    if (len >= 0) {
      if (len == 0) {
        message_complete(1);
      } else {
        s.remaining = static_cast<uint64_t>(len);
        s.phase = Phase::kBodyLength;
      }
      return;
    }
    tx->add_event("invalid_content_length_field_in_response");
  }
  s.phase = Phase::kBodyClose;
}

bool HttpState::on_chunk_size(int d, std::string_view line) {
  Side& s = sides_[d];
  std::string_view v = line;
  while (!v.empty() && is_lws(v.front())) v.remove_prefix(1);
  uint64_t size = 0;
  size_t digits = 0;
  while (digits < v.size()) {
    const char c = v[digits];
    int x;
    if (c >= '0' && c <= '9') x = c - '0';
    else if (c >= 'a' && c <= 'f') x = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') x = c - 'A' + 10;
    else break;
    if (digits >= 15) {
      digits = 0;  // would overflow: invalid
      break;
    }
    size = size * 16 + static_cast<uint64_t>(x);
    ++digits;
  }
  std::string_view tail = digits > 0 ? v.substr(digits) : v;
  while (!tail.empty() && is_ws(tail.front())) tail.remove_prefix(1);
  const bool valid = digits > 0 && (tail.empty() || tail.front() == ';');
  if (!valid) {
    HttpTx* tx = s.tx;
    if (tx != nullptr)
      tx->add_event(d == 0 ? "invalid_request_chunk_len" : "invalid_response_chunk_len");
    if (d == 0) {
      // The request stream cannot be re-synchronised.
      message_complete(0);
      sides_[0].phase = Phase::kIgnore;
    } else {
      // libhtp: the rest of the response is body until the connection closes.
      s.phase = Phase::kBodyClose;
      body_data(1, reinterpret_cast<const uint8_t*>(line.data()), line.size());
    }
    return false;
  }
  if (size == 0) {
    s.phase = Phase::kTrailers;
  } else {
    s.remaining = size;
    s.phase = Phase::kChunkData;
  }
  return true;
}

void HttpState::body_data(int d, const uint8_t* p, size_t n) {
  HttpTx* tx = sides_[d].tx;
  if (tx == nullptr || n == 0) return;
  HttpMessage& m = d == 0 ? tx->request : tx->response;
  m.message_len += n;
  const size_t limit = d == 0 ? config_.request_body_limit : config_.response_body_limit;
  switch (m.decoder.feed(p, n, m.body, limit)) {
    case BodyDecoder::Status::kFailed:
      tx->add_event("gzip_decompression_failed");
      break;
    case BodyDecoder::Status::kBomb:
      tx->add_event("compression_bomb");
      break;
    default:
      break;
  }
  const uint64_t produced =
      m.decoder.encoding() == ContentEncoding::kIdentity ? m.message_len : m.decoder.total_out();
  if (produced > m.body.size()) m.body_truncated = true;
}

void HttpState::message_complete(int d) {
  Side& s = sides_[d];
  if (s.tx != nullptr) s.tx->complete[d] = true;
  s.tx = nullptr;
  s.remaining = 0;
  s.chunked = false;
  s.last_header = -1;
  if (s.phase != Phase::kIgnore) s.phase = Phase::kLine;
}

bool HttpState::gap(Direction dir, uint32_t len) {
  const int d = dir_index(dir);
  Side& s = sides_[d];
  switch (s.phase) {
    case Phase::kBodyLength:
    case Phase::kChunkData: {
      // Missing body bytes: the body is incomplete but framing survives.
      const uint64_t skip = std::min<uint64_t>(s.remaining, len);
      if (s.tx != nullptr) {
        HttpMessage& m = d == 0 ? s.tx->request : s.tx->response;
        m.message_len += skip;
        m.body_truncated = true;
      }
      s.remaining -= skip;
      if (len > skip) {
        s.phase = Phase::kIgnore;  // the gap ran past the body: lost sync
        return false;
      }
      if (s.remaining == 0) {
        if (s.phase == Phase::kBodyLength) message_complete(d);
        else s.phase = Phase::kChunkDataEnd;
      }
      return true;
    }
    case Phase::kBodyClose:
      if (s.tx != nullptr) {
        HttpMessage& m = d == 0 ? s.tx->request : s.tx->response;
        m.message_len += len;
        m.body_truncated = true;
      }
      return true;
    default:
      s.phase = Phase::kIgnore;
      return false;
  }
}

void HttpState::end_of_stream(Direction dir) {
  const int d = dir_index(dir);
  Side& s = sides_[d];
  if (d == 1 && s.phase == Phase::kLine && !trim(s.line).empty()) {
    // Unterminated last line: a status line never completed, or 0.9 body.
    on_status_line(s.line, s.line);
    s.line.clear();
  }
  if (s.phase == Phase::kBodyClose) {
    message_complete(d);
    return;
  }
  if (d == 0 && s.phase == Phase::kHeaders && s.tx != nullptr && !s.http09_headers) {
    // A request cut off in its headers: its line is parsed, and Suricata
    // inspects http.uri / http.method from that progress on, so the
    // transaction's request side is inspected (and logged) at flow end.
    s.tx->complete[0] = true;
  }
  if (s.http09_headers) {
    // 0.9 request already complete; any lines after it were headers.
    s.http09_headers = false;
    s.tx = nullptr;
  }
}

void HttpState::remove_done() {
  for (auto it = txs_.begin(); it != txs_.end();) {
    HttpTx* tx = it->get();
    if (!tx->done() || tx == sides_[0].tx || tx == sides_[1].tx) {
      ++it;
      continue;
    }
    if (spare_.size() < 4) {
      tx->reset(0);
      spare_.push_back(std::move(*it));
    }
    it = txs_.erase(it);
  }
}

}  // namespace seawall::applayer::http
