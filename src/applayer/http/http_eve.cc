#include "applayer/http/http_eve.h"

#include <algorithm>

#include "output/eve/json_writer.h"

namespace seawall::applayer::http {

namespace {

HttpLogOptions& options_storage() {
  static HttpLogOptions options;
  return options;
}

constexpr size_t kMaxHeaderName = 255;    // Suricata's MAX_SIZE_HEADER_NAME - 1
constexpr size_t kMaxHeaderValue = 2047;  // MAX_SIZE_HEADER_VALUE - 1

bool parse_int(std::string_view& s, int64_t& out) {
  size_t i = 0;
  int64_t v = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    if (v > (INT64_MAX - 9) / 10) return false;
    v = v * 10 + (s[i] - '0');
    ++i;
  }
  if (i == 0) return false;
  s.remove_prefix(i);
  out = v;
  return true;
}

void write_headers(const HttpMessage& m, std::string_view key, JsonWriter& w) {
  if (m.header_count == 0) return;  // Suricata drops an empty array
  w.key(key);
  w.begin_array();
  for (size_t i = 0; i < m.header_count; ++i) {
    const HttpHeader& h = m.headers[i];
    w.begin_object();
    w.member("name", std::string_view(h.name).substr(0, kMaxHeaderName));
    w.member("value", std::string_view(h.value).substr(0, kMaxHeaderValue));
    w.end_object();
  }
  w.end_array();
}

void write_hex(JsonWriter& w, std::string_view key, const uint8_t* p, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  char text[64];
  const size_t len = std::min<size_t>(n, sizeof(text) / 2);
  for (size_t i = 0; i < len; ++i) {
    text[2 * i] = kDigits[p[i] >> 4];
    text[2 * i + 1] = kDigits[p[i] & 0xf];
  }
  w.member(key, std::string_view(text, 2 * len));
}

}  // namespace

const HttpLogOptions& http_log_options() { return options_storage(); }
void set_http_log_options(const HttpLogOptions& options) { options_storage() = options; }

bool parse_content_range(std::string_view v, ContentRange& out) {
  out = ContentRange{};
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  if (v.substr(0, 5) == "bytes") v.remove_prefix(5);
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  if (!v.empty() && v.front() == '*') {
    v.remove_prefix(1);
  } else {
    if (!parse_int(v, out.start) || v.empty() || v.front() != '-') return false;
    v.remove_prefix(1);
    if (!parse_int(v, out.end)) return false;
  }
  if (v.empty() || v.front() != '/') return false;
  v.remove_prefix(1);
  if (!v.empty() && v.front() == '*') return true;
  return parse_int(v, out.size);
}

void write_http_object(const HttpTx& tx, const HttpLogOptions& options, JsonWriter& w) {
  if (tx.has_hostname) w.member("hostname", tx.hostname);
  if (tx.port >= 0) w.member_uint("http_port", static_cast<uint64_t>(tx.port));
  if (tx.request_started) w.member("url", tx.uri_raw);
  if (const HttpHeader* ua = tx.request.header("user-agent")) w.member("http_user_agent", ua->value);
  if (const HttpHeader* xff = tx.request.header("x-forwarded-for")) w.member("xff", xff->value);
  if (const HttpHeader* ct = tx.response.header("content-type")) {
    std::string_view v = ct->value;
    w.member("http_content_type", v.substr(0, v.find(';')));
  }
  if (const HttpHeader* cr = tx.response.header("content-range")) {
    w.key("content_range");
    w.begin_object();
    w.member("raw", cr->value);
    ContentRange range;
    if (parse_content_range(cr->value, range)) {
      if (range.start >= 0) w.member_uint("start", static_cast<uint64_t>(range.start));
      if (range.end >= 0) w.member_uint("end", static_cast<uint64_t>(range.end));
      if (range.size >= 0) w.member_uint("size", static_cast<uint64_t>(range.size));
    }
    w.end_object();
  }
  if (options.extended) {
    if (const HttpHeader* ref = tx.request.header("referer")) w.member("http_refer", ref->value);
    if (tx.request_started) w.member("http_method", tx.method);
    if (!tx.request.protocol.empty()) w.member("protocol", tx.request.protocol);
    if (tx.status > 0) {
      w.member_uint("status", static_cast<uint64_t>(tx.status));
    } else if (!tx.status_code.empty()) {
      w.member("status_string", tx.status_code);
    }
    if (const HttpHeader* loc = tx.response.header("location")) w.member("redirect", loc->value);
    w.member_uint("length", tx.response.message_len);
  }
  if (options.request_headers) write_headers(tx.request, "request_headers", w);
  if (options.response_headers) write_headers(tx.response, "response_headers", w);
}

void log_http_tx(const ProtocolState& /*state*/, const Transaction& tx, const LogContext& /*ctx*/,
                 JsonWriter& w) {
  write_http_object(static_cast<const HttpTx&>(tx), http_log_options(), w);
}

const HttpFile* http_file(const HttpTx& tx, size_t index) {
  if (index < tx.request.file_count) return &tx.request.files[index];
  index -= tx.request.file_count;
  if (index < tx.response.file_count) return &tx.response.files[index];
  return nullptr;
}

size_t http_file_count(const Transaction& tx) {
  const HttpTx& t = static_cast<const HttpTx&>(tx);
  return t.request.file_count + t.response.file_count;
}

Direction http_file_direction(const Transaction& tx, size_t index) {
  const HttpTx& t = static_cast<const HttpTx&>(tx);
  return index < t.request.file_count ? Direction::kToServer : Direction::kToClient;
}

void log_http_file(const Transaction& tx, size_t index, JsonWriter& w) {
  const HttpTx& t = static_cast<const HttpTx&>(tx);
  const HttpFile* f = http_file(t, index);
  if (f == nullptr) return;
  w.member("filename", f->name);
  // "sid" lists filestore rules; none are supported, and Suricata leaves the
  // array out when it is empty.
  w.member_bool("gaps", f->gaps);
  w.member("state", f->state == FileState::kClosed ? "CLOSED" : "TRUNCATED");
  // Digests exist for CLOSED files only (force-hash); sha256 follows the
  // state switch in Suricata's EveFileInfo.
  if (f->state == FileState::kClosed) {
    if (f->digests.md5_set) write_hex(w, "md5", f->digests.md5.data(), f->digests.md5.size());
    if (f->digests.sha1_set) write_hex(w, "sha1", f->digests.sha1.data(), f->digests.sha1.size());
    if (f->digests.sha256_set)
      write_hex(w, "sha256", f->digests.sha256.data(), f->digests.sha256.size());
  }
  w.member_bool("stored", false);
  w.member_uint("size", f->size);
  w.member_uint("tx_id", t.id);
}

}  // namespace seawall::applayer::http
