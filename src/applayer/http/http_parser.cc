#include "applayer/http/http_parser.h"

#include <algorithm>
#include <array>
#include <cctype>
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

// libhtp-rs compares header names and looks for tokens in values
// "nocase_nozero": NUL bytes are skipped on the data side.
bool iequals_nozero(std::string_view data, std::string_view want) {
  size_t j = 0;
  for (char c : data) {
    if (c == '\0') continue;
    if (j == want.size() || lower(c) != lower(want[j])) return false;
    ++j;
  }
  return j == want.size();
}

bool icontains_nozero(std::string_view hay, std::string_view needle) {
  for (size_t i = 0; i < hay.size(); ++i) {
    size_t j = 0;
    for (size_t k = i; k < hay.size() && j < needle.size(); ++k) {
      if (hay[k] == '\0') continue;
      if (lower(hay[k]) != lower(needle[j])) break;
      ++j;
    }
    if (j == needle.size()) return true;
  }
  return needle.empty();
}

// libhtp-rs is_space: the characters trimmed around header names and values.
bool is_space_char(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
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

bool is_chunk_ctl(char c) {
  return c == '\r' || c == '\n' || c == ' ' || c == '\t' || c == '\v' || c == '\f';
}
bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// libhtp's data_probe_chunk_length: the first byte that is not a control
// character must be a hex digit.
bool chunk_length_plausible(std::string_view data) {
  for (char c : data) {
    if (is_chunk_ctl(c)) continue;
    return is_hex(c);
  }
  return true;
}

// libhtp's htp_parse_chunked_length: leading control characters skipped,
// the hex digits that follow are the length and anything after them is
// ignored. kChunkLineEmpty for a line of control characters only, -1 when
// there is no digit or the value exceeds INT32_MAX.
constexpr int64_t kChunkLineEmpty = -1004;
int64_t parse_chunk_length(std::string_view v) {
  while (!v.empty() && is_chunk_ctl(v.front())) v.remove_prefix(1);
  if (v.empty()) return kChunkLineEmpty;
  int64_t size = 0;
  size_t digits = 0;
  for (; digits < v.size() && is_hex(v[digits]); ++digits) {
    const char c = v[digits];
    const int x = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    size = size * 16 + x;
    if (size > INT32_MAX) return -1;
  }
  return digits == 0 ? -1 : size;
}

// libhtp-rs treat_response_line_as_body: a line that does not start with
// optional whitespace/NUL then "http" (any case) is not a status line. A line
// still too short to tell counts as one.
bool response_line_is_body(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (line[i] == '\0' || line[i] == ' ' || line[i] == '\t' ||
                             line[i] == '\r' || line[i] == '\n' || line[i] == '\v' ||
                             line[i] == '\f'))
    ++i;
  const std::string_view rest = line.substr(i);
  const bool complete_line = !line.empty() && line.back() == '\n';
  if (rest.size() < 4) {
    if (complete_line) return true;
    return !iequals(rest, std::string_view("http").substr(0, rest.size()));
  }
  return !iequals(rest.substr(0, 4), "http");
}

// libhtp-rs (response side): an indented line that is "token:" starts a
// header rather than continuing the previous one.
bool looks_like_header_start(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (is_lws(line[i]) || line[i] == '\0')) ++i;
  const size_t start = i;
  while (i < line.size() && is_token_char(static_cast<uint8_t>(line[i]))) ++i;
  if (i == start) return false;
  while (i < line.size() && is_lws(line[i])) ++i;
  return i < line.size() && line[i] == ':';
}

// libhtp-rs's deformed response line ends, at p[k] (a CR or LF): "LF CR CR LF"
// before a line end, and "CR LF CR" + [CR SP HT]+ + optional LF not followed by a
// line end. Their length, or 0. Only the bytes at hand are looked at.
size_t deformed_eol(const uint8_t* p, size_t n, size_t k) {
  auto at = [&](size_t i, char c) { return i < n && p[i] == static_cast<uint8_t>(c); };
  if (p[k] == '\n') {
    if (at(k + 1, '\r') && at(k + 2, '\r') && at(k + 3, '\n') &&
        (at(k + 4, '\n') || (at(k + 4, '\r') && at(k + 5, '\n'))))
      return 4;
    return 0;
  }
  if (!(at(k + 1, '\n') && at(k + 2, '\r'))) return 0;
  size_t j = k + 3;
  while (j < n && (p[j] == '\r' || p[j] == ' ' || p[j] == '\t')) ++j;
  if (j == k + 3) return 0;
  if (at(j, '\n')) ++j;
  if (at(j, '\n') || (at(j, '\r') && at(j + 1, '\n'))) return 0;
  return j - k;
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
  while (!line.empty() && (is_ws(line.front()) || line.front() == '\0')) line.remove_prefix(1);
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

// Next free file slot of m (capacity reused), nullptr past the bound.
HttpFile* add_file(HttpMessage& m) {
  if (m.file_count >= kMaxFilesPerMessage) return nullptr;
  if (m.file_count == m.files.size()) m.files.emplace_back();
  HttpFile& f = m.files[m.file_count++];
  f.name.clear();
  f.size = 0;
  f.gaps = false;
  f.state = FileState::kOpen;
  f.digests = FileDigests{};
  if (f.hasher) f.hasher->stop();
  return &f;
}

void start_hashing(HttpFile& f, const FileHashConfig& hashes) {
  if (!hashes.any()) return;
  if (!f.hasher) f.hasher = std::make_unique<FileHasher>();
  f.hasher->start(hashes);
}

void hash_tap(void* context, const uint8_t* p, size_t n) {
  static_cast<HttpFile*>(context)->hasher->update(p, n);
}

// A file's final state; a CLOSED file gets its digests.
void close_file(HttpFile& f, FileState state) {
  f.state = state;
  if (!f.hasher) return;
  if (state == FileState::kClosed) f.hasher->finish(f.digests);
  else f.hasher->stop();
}

void set_file_name(HttpFile& f, std::string_view name) {
  f.name.assign(name.substr(0, kMaxFileName));
}

// The whole-body file of m (the open one), if any.
HttpFile* body_file(HttpMessage& m) {
  return m.file_tracked && m.file_count > 0 ? &m.files[0] : nullptr;
}

size_t ifind(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return std::string_view::npos;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i)
    if (iequals(hay.substr(i, needle.size()), needle)) return i;
  return std::string_view::npos;
}

// Position of a "--boundary" delimiter at the start of a line, at or after `from`.
size_t find_delimiter(std::string_view body, size_t from, std::string_view boundary) {
  while (from < body.size()) {
    const size_t pos = body.find(boundary, from);
    if (pos == std::string_view::npos) return pos;
    // RFC 2046: the delimiter is followed by "--", or padding and a line end.
    size_t after = pos + boundary.size();
    const bool closing = body.substr(after, 2) == "--";
    while (!closing && after < body.size() && (body[after] == ' ' || body[after] == '\t'))
      ++after;
    const bool ends = closing || after >= body.size() || body[after] == '\r' ||
                      body[after] == '\n';
    if (ends && pos >= 2 && body[pos - 1] == '-' && body[pos - 2] == '-' &&
        (pos == 2 || body[pos - 3] == '\n'))
      return pos - 2;
    from = pos + 1;
  }
  return std::string_view::npos;
}

}  // namespace

bool content_disposition_filename(std::string_view value, std::string_view& out) {
  constexpr std::string_view kName = "filename=";
  size_t x = 0;
  while (x < value.size() && std::isspace(static_cast<unsigned char>(value[x]))) ++x;
  if (x >= value.size()) return false;
  const std::string_view line = value.substr(x);
  size_t offset = 0;
  int quotes = 0;
  for (x = 1; x < line.size(); ++x) {
    const bool escaped = line[x - 1] == '\\';
    if (!escaped && line[x] == '"') ++quotes;
    const bool last = x + 1 == line.size();
    if (((!escaped && line[x] == ';') || last) && quotes % 2 == 0) {
      std::string_view token = line.substr(offset, x - offset + (last ? 1 : 0));
      offset = x + 1;
      while (offset < line.size() && std::isspace(static_cast<unsigned char>(line[offset]))) {
        ++x;
        ++offset;
      }
      if (token.size() > kName.size() && iequals(token.substr(0, kName.size()), kName)) {
        std::string_view v = token.substr(kName.size());
        if (!v.empty() && v.front() == '"') v.remove_prefix(1);
        if (!v.empty() && v.back() == '"') v.remove_suffix(1);
        out = v;
        return true;
      }
    }
  }
  return false;
}

bool multipart_boundary(std::string_view content_type, std::string_view& out) {
  if (ifind(content_type, "multipart/form-data") == std::string_view::npos) return false;
  const size_t pos = ifind(content_type, "boundary=");
  if (pos == std::string_view::npos) return false;
  std::string_view b = content_type.substr(pos + 9);
  b = b.substr(0, b.find(';'));
  b = trim(b);
  if (b.size() >= 2 && b.front() == '"' && b.back() == '"') b = b.substr(1, b.size() - 2);
  if (b.empty() || b.size() > 256) return false;
  out = b;
  return true;
}

void extract_multipart_files(HttpMessage& m, std::string_view body, std::string_view boundary,
                             bool complete, const FileHashConfig& hashes) {
  size_t pos = find_delimiter(body, 0, boundary);
  while (pos != std::string_view::npos) {
    size_t p = pos + 2 + boundary.size();
    if (body.substr(p, 2) == "--") return;  // closing delimiter
    // Rest of the delimiter line.
    const size_t eol = body.find('\n', p);
    if (eol == std::string_view::npos) return;
    p = eol + 1;
    // Part headers up to the empty line.
    std::string_view filename;
    bool has_filename = false;
    bool headers_done = false;
    while (p < body.size()) {
      const size_t end = body.find('\n', p);
      if (end == std::string_view::npos) break;
      std::string_view line = body.substr(p, end - p);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      p = end + 1;
      if (line.empty()) {
        headers_done = true;
        break;
      }
      const size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      if (iequals(trim(line.substr(0, colon)), "content-disposition")) {
        std::string_view name;
        if (content_disposition_filename(trim(line.substr(colon + 1)), name)) {
          filename = name;
          has_filename = true;
        }
      }
    }
    if (!headers_done) return;
    const size_t next = find_delimiter(body, p, boundary);
    size_t data_end = next == std::string_view::npos ? body.size() : next;
    if (next != std::string_view::npos) {
      // The line break before the delimiter belongs to it.
      if (data_end > p && body[data_end - 1] == '\n') --data_end;
      if (data_end > p && body[data_end - 1] == '\r') --data_end;
    }
    if (has_filename && !filename.empty()) {
      HttpFile* f = add_file(m);
      if (f == nullptr) return;
      set_file_name(*f, filename);
      f->size = data_end - p;
      start_hashing(*f, hashes);
      if (f->hasher) f->hasher->update(reinterpret_cast<const uint8_t*>(body.data()) + p, f->size);
      close_file(*f, next != std::string_view::npos || complete ? FileState::kClosed
                                                                : FileState::kTruncated);
    }
    pos = next;
  }
}

const HttpConfig& http_config() { return config_storage(); }
void set_http_config(const HttpConfig& config) { config_storage() = config; }

// ---------------------------------------------------------------------------
// Messages and transactions

const HttpHeader* HttpMessage::header(std::string_view name) const {
  for (size_t i = 0; i < header_count; ++i)
    if (iequals_nozero(headers[i].name, name)) return &headers[i];
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
  file_count = 0;
  file_tracked = false;
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
  // Every method and the status line start with an upper-case letter: most
  // other protocols are turned away by their first byte.
  if (s[0] < 'A' || s[0] > 'Z') return ProbeResult::kNo;
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
          if (s.phase == Phase::kBodyLength) {
            if (d == 1) i += finalize_response(p + i, n - i);
            message_complete(d);
          } else {
            s.phase = Phase::kChunkDataEnd;
          }
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
        if (!complete && d == 1 && s.phase == Phase::kChunkSize && s.line.size() >= 8 &&
            !chunk_length_plausible(s.line)) {
          // libhtp's data_probe_chunk_length: not chunked after all.
          on_chunk_size(d, s.line);
          sides_[d].line.clear();
          sides_[d].line_overflow = false;
          break;
        }
        if (complete) {
          std::string_view raw = s.line;
          std::string_view line = raw;
          if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
          if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
          if (d == 1 && s.phase != Phase::kChunkSize && s.phase != Phase::kChunkDataEnd) {
            // A response's LF CR or deformed line end (see take_line); any
            // blanks left are trimmed with the value.
            while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
              line.remove_suffix(1);
          }
          lookahead_ = std::string_view(reinterpret_cast<const char*>(p + i), n - i);
          on_line(d, line, raw);
          lookahead_ = {};
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
  // libhtp-rs ends response status and header lines at CRLF, LF CR, LF or a
  // bare CR.
  const bool cr_ends = d == 1 && (s.phase == Phase::kLine || s.phase == Phase::kHeaders ||
                                  s.phase == Phase::kTrailers);
  size_t skipped = 0;
  if (cr_ends && s.line.empty() && s.lf_cr_pending && n > 0 && p[0] == '\r') {
    skipped = 1;  // the CR of an "LF CR" line end
    ++p;
    --n;
  }
  s.lf_cr_pending = false;
  if (n == 0) {
    complete = false;
    return skipped;
  }
  if (cr_ends && !s.line.empty() && s.line.back() == '\r') {
    // A CR ended the previous chunk: with an LF it is CRLF, else a bare CR.
    complete = true;
    if (p[0] == '\n') {
      s.line.push_back('\n');
      return skipped + 1;
    }
    return skipped;
  }
  size_t len = n;
  complete = false;
  for (size_t k = 0; k < n; ++k) {
    if (p[k] == '\n') {
      complete = true;
      len = k + 1;
      if (cr_ends) {
        const size_t deformed = deformed_eol(p, n, k);
        if (deformed > 0) {
          len = k + deformed;
        } else if (k + 1 < n && p[k + 1] == '\r' &&
                   (k == 0 ? s.line.empty() || s.line.back() != '\r' : p[k - 1] != '\r')) {
          len = k + 2;  // "LF CR"
        } else if (k + 1 == n) {
          s.lf_cr_pending = k == 0 ? s.line.empty() || s.line.back() != '\r' : p[k - 1] != '\r';
        }
      }
      break;
    }
    if (cr_ends && p[k] == '\r') {
      if (k + 1 == n) break;  // decided by the next byte
      const size_t deformed = deformed_eol(p, n, k);
      len = deformed > 0 ? k + deformed : p[k + 1] == '\n' ? k + 2 : k + 1;
      complete = true;
      break;
    }
  }
  return skipped + append_line(s, d, p, len, complete);
}

size_t HttpState::append_line(Side& s, int d, const uint8_t* p, size_t len, bool complete) {
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
      on_chunk_size(d, raw);
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
  {
    std::string_view start = line;
    while (!start.empty() && (is_ws(start.front()) || start.front() == '\0'))
      start.remove_prefix(1);
    const bool http = start.size() >= 4 && iequals(start.substr(0, 4), "HTTP");
    if (!http && lookahead_.size() > 1 && (lookahead_.front() == 'H' || line.size() <= 2)) {
      // libhtp-rs response_line_complete: a stray line followed by one
      // starting with 'H' (or a very short one) is skipped, not body.
      return;
    }
  }
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
  while (!rest.empty() && (is_ws(rest.front()) || rest.front() == '\0')) rest.remove_prefix(1);
  if (rest.size() < 4 || !iequals(rest.substr(0, 4), "HTTP")) {
    // Not a status line (HTTP/0.9 response or garbage): libhtp treats the
    // whole response as body until the connection closes.
    s.phase = Phase::kBodyClose;
    s.whole_body_file = true;
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
  // libhtp's htp_connp_is_line_terminator: a line of one space or tab then LF
  // also ends the headers, unless an LF follows right away (that one does).
  if (raw.size() == 2 && is_lws(raw[0]) && raw[1] == '\n') {
    if (!lookahead_.empty() && lookahead_.front() == '\n') return;
    line = {};
  }
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
  // Response side, as libhtp-rs: a NUL also starts a continuation, and an
  // indented line that reads "name:" is a new header, not a continuation.
  const bool folded = is_lws(line.front()) || (d == 1 && line.front() == '\0');
  if (folded && d == 1 && looks_like_header_start(line)) {
    tx->add_event("invalid_response_field_folding");
    line = trim(line);
  } else if (folded && s.last_header >= 0 &&
             static_cast<size_t>(s.last_header) < m.header_count &&
             m.headers[static_cast<size_t>(s.last_header)].name.empty() &&
             line.find(':') != std::string_view::npos) {
    // "Name\r\n :value": the name ran onto a continuation line; the line
    // without a colon and this one are one header.
    const size_t last = static_cast<size_t>(s.last_header);
    std::string joined;
    joined.swap(fold_scratch_);  // keeps the capacity across messages
    joined.assign(m.headers[last].value);
    joined.push_back(' ');
    joined.append(trim(line));
    if (last + 1 == m.header_count) --m.header_count;
    s.last_header = -1;  // the joined line cannot take this branch again
    add_header(d, joined);
    fold_scratch_.swap(joined);
    return;
  } else if (folded) {
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
    if (!name.empty() && is_space_char(name.back())) {
      invalid = true;  // whitespace between the name and the colon
      while (!name.empty() && is_space_char(name.back())) name.remove_suffix(1);
    }
    while (!name.empty() && is_space_char(name.front())) name.remove_prefix(1);
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
    if (icontains_nozero(te->value, "chunked")) {
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
  // Suricata tracks a PUT body, and a POST body, as a file named by the path;
  // a multipart/form-data POST has one file per part with a filename.
  s.multipart = false;
  s.whole_body_file = false;
  if (tx->method == "POST") {
    std::string_view boundary;
    s.multipart = multipart_boundary(m.header_value("content-type"), boundary);
    s.whole_body_file = !s.multipart;
  } else if (tx->method == "PUT") {
    s.whole_body_file = true;
  }
  if (has_body && config_.request_decompression)
    m.decoder.start(parse_content_encodings(m.header_value("content-encoding"),
                                            config_.decompress_layer_limit),
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
  const HttpHeader* te_header = m.header("transfer-encoding");
  const HttpHeader* cl_header = m.header("content-length");
  // libhtp-rs: a 1xx (but 101) without Transfer-Encoding and with no
  // Content-Length above 0 is interim; one with a body is a response.
  const bool interim = tx->status >= 100 && tx->status <= 199 && tx->status != 101 &&
                       te_header == nullptr &&
                       (cl_header == nullptr || parse_content_length(cl_header->value) <= 0);
  if (interim) {
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
  const bool switch_protocols =
      tx->status == 101 && te_header == nullptr && cl_header == nullptr;
  if (switch_protocols || (tx->is_connect && tx->status >= 200 && tx->status <= 299)) {
    // Protocol switch / tunnel: what follows is not HTTP.
    message_complete(1);
    tunnel_ = true;
    return;
  }
  // No body for HEAD; none for 1xx/204/304 either unless the server framed
  // one anyway (browsers read it, so does libhtp-rs).
  const bool no_body_status = (tx->status >= 100 && tx->status <= 199) || tx->status == 204 ||
                              tx->status == 304;
  if (tx->is_head || (no_body_status && te_header == nullptr && cl_header == nullptr)) {
    message_complete(1);
    return;
  }
  const HttpHeader* te = m.header("transfer-encoding");
  const HttpHeader* cl = m.header("content-length");
  if (te != nullptr) {
    if (icontains_nozero(te->value, "chunked")) {
      s.chunked = true;
      if (!iequals(trim(te->value), "chunked"))
        tx->add_event("response_abnormal_transfer_encoding");
      if (m.protocol_number >= 0 && m.protocol_number < 11)
        tx->add_event("response_chunked_old_proto");
    } else {
      tx->add_event("invalid_transfer_encoding_value_in_response");
    }
  }
  s.whole_body_file = true;
  s.multipart = false;
  if (config_.response_decompression) {
    // NUL bytes in the value are skipped, as libhtp-rs compares "nozero".
    char ce[256];
    size_t ce_len = 0;
    for (char c : m.header_value("content-encoding")) {
      if (c != '\0' && ce_len < sizeof(ce)) ce[ce_len++] = c;
    }
    const EncodingLayers layers =
        parse_content_encodings(std::string_view(ce, ce_len), config_.decompress_layer_limit);
    if (layers.too_many) tx->add_event("too_many_encoding_layers");
    m.decoder.start(layers, config_.decompress);
  }
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

bool HttpState::on_chunk_size(int d, std::string_view raw) {
  Side& s = sides_[d];
  int64_t parsed = parse_chunk_length(raw);
  if (parsed == kChunkLineEmpty) return true;  // libhtp skips an empty size line
  const bool valid = parsed >= 0;
  const uint64_t size = valid ? static_cast<uint64_t>(parsed) : 0;
  std::string_view line = raw;
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
  // libhtp: "Request chunk extension" (a ';' after the size).
  if (d == 0 && s.tx != nullptr && raw.find(';') != std::string_view::npos)
    s.tx->add_event("request_chunk_extension");
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
  open_body_file(d);
  const uint64_t emitted_before = m.decoder.emitted();
  HttpFile* file = body_file(m);
  const bool hashing = file != nullptr && file->hasher && file->hasher->running();
  m.decoder.set_tap(hashing ? hash_tap : nullptr, hashing ? file : nullptr);
  const size_t limit = d == 0 ? config_.request_body_limit : config_.response_body_limit;
  const BodyDecoder::Status status = m.decoder.feed(p, n, m.body, limit);
  if (HttpFile* f = body_file(m)) f->size += m.decoder.emitted() - emitted_before;
  switch (status) {
    case BodyDecoder::Status::kFailed:
      tx->add_event("gzip_decompression_failed");
      break;
    case BodyDecoder::Status::kBomb:
      tx->add_event("compression_bomb");
      break;
    default:
      break;
  }
  const uint64_t produced = m.decoder.emitted();
  if (produced > m.body.size()) m.body_truncated = true;
}

size_t HttpState::finalize_response(const uint8_t* p, size_t n) {
  // libhtp-rs response_finalize: what follows a Content-Length body in the
  // same data, line by line, is more of that body until a line looks like a
  // status line (e.g. the CRLF some servers send after the declared length).
  size_t used = 0;
  while (used < n) {
    const auto* lf = static_cast<const uint8_t*>(std::memchr(p + used, '\n', n - used));
    const size_t len = lf != nullptr ? static_cast<size_t>(lf - (p + used)) + 1 : n - used;
    const std::string_view line(reinterpret_cast<const char*>(p + used), len);
    if (!response_line_is_body(line)) break;
    body_data(1, p + used, len);
    used += len;
  }
  return used;
}

void HttpState::open_body_file(int d) {
  Side& s = sides_[d];
  HttpTx* tx = s.tx;
  if (tx == nullptr || !s.whole_body_file) return;
  HttpMessage& m = d == 0 ? tx->request : tx->response;
  if (m.file_tracked) return;
  m.file_tracked = true;
  // Response: Content-Disposition's filename first; else the URI path.
  std::string_view name;
  bool named = false;
  if (d == 1) {
    const std::string_view cd = m.header_value("content-disposition");
    named = !cd.empty() && content_disposition_filename(cd, name);
  }
  const UriParts uri = split_uri(tx->uri_raw);
  if (!named && uri.path.empty()) return;  // libhtp has no path: no file
  HttpFile* f = add_file(m);
  if (f == nullptr) return;
  if (named) {
    set_file_name(*f, name);
  } else {
    normalize_uri(uri.path, f->name);
    if (f->name.size() > kMaxFileName) f->name.resize(kMaxFileName);
  }
  start_hashing(*f, config_.file_hashes);
}

void HttpState::close_files(int d) {
  Side& s = sides_[d];
  HttpTx* tx = s.tx;
  if (tx == nullptr) return;
  HttpMessage& m = d == 0 ? tx->request : tx->response;
  if (d == 0 && s.multipart) {
    std::string_view boundary;
    if (multipart_boundary(m.header_value("content-type"), boundary))
      extract_multipart_files(m, m.body, boundary, !m.body_truncated, config_.file_hashes);
  }
  for (size_t i = 0; i < m.file_count; ++i) {
    HttpFile& f = m.files[i];
    // Suricata closes a file that had gaps as TRUNCATED.
    if (f.state == FileState::kOpen)
      close_file(f, f.gaps ? FileState::kTruncated : FileState::kClosed);
  }
}

void HttpState::message_complete(int d) {
  Side& s = sides_[d];
  close_files(d);
  s.whole_body_file = false;
  s.multipart = false;
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
        open_body_file(d);
        if (HttpFile* f = body_file(m)) {
          f->size += skip;
          f->gaps = true;
        }
      }
      s.remaining -= skip;
      if (len > skip && s.phase == Phase::kBodyLength) {
        // The gap swallowed the end of the body and then some: the message
        // is done (its file TRUNCATED by the gap); parsing resumes at the
        // next line, as libhtp-rs completes a response on a gap.
        message_complete(d);
        return true;
      }
      if (len > skip) {
        s.phase = Phase::kIgnore;  // the gap ran past the chunk: lost sync
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
        open_body_file(d);
        if (HttpFile* f = body_file(m)) {
          f->size += len;
          f->gaps = true;
        }
      }
      return true;
    default:
      if (s.tx != nullptr) {
        HttpMessage& m = d == 0 ? s.tx->request : s.tx->response;
        if (HttpFile* f = body_file(m)) f->gaps = true;
      }
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
  if (d == 1 && s.tx != nullptr && s.phase == Phase::kHeaders) {
    // The connection closed inside the response headers: what arrived is the
    // header block (libhtp-rs completes the headers on close), so it is
    // inspected; an unterminated last line counts as a header line.
    std::string_view last = s.line;
    while (!last.empty() && (last.back() == '\n' || last.back() == '\r')) last.remove_suffix(1);
    if (!last.empty()) on_header_line(d, last, s.line);
    s.line.clear();
    if (s.tx != nullptr && s.phase == Phase::kHeaders) on_header_line(d, {}, {});
  }
  if (s.phase == Phase::kBodyClose) {
    message_complete(d);
    return;
  }
  if (s.tx != nullptr &&
      (s.phase == Phase::kBodyLength || s.phase == Phase::kChunkSize ||
       s.phase == Phase::kChunkData || s.phase == Phase::kChunkDataEnd ||
       s.phase == Phase::kTrailers)) {
    // The body was cut short: what arrived is inspected (Suricata inspects a
    // body as it streams in), its file is TRUNCATED.
    HttpMessage& m = d == 0 ? s.tx->request : s.tx->response;
    for (size_t i = 0; i < m.file_count; ++i)
      if (m.files[i].state == FileState::kOpen) close_file(m.files[i], FileState::kTruncated);
    message_complete(d);
    s.phase = Phase::kIgnore;
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
