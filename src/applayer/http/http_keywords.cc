// HTTP sticky buffers (replacing the placeholders of the same names in
// detect/buffers/app_layer_placeholders.cc and file.data in file_data.cc),
// urilen and uricontent, and the file keywords over the transaction's files:
// file.name, filename, fileext, filesize.
#include <memory>
#include <string>
#include <string_view>

#include "applayer/http/http_parser.h"
#include "detect/buffers/buffer_registry.h"
#include "detect/keywords/keyword.h"
#include "detect/keywords/payload/content.h"
#include "detect/keywords/payload/payload_keyword.h"
#include "detect/keywords/packet/uint_parse.h"
#include "detect/keywords/payload/payload_util.h"

namespace seawall::applayer::http {

namespace {

using detect::BufferDirection;
using detect::MatchContext;

const HttpTx* http_tx(const MatchContext& ctx) {
  static const AppProto kId = find_app_proto("http");
  if (ctx.tx == nullptr || ctx.tx_proto != kId) return nullptr;
  return static_cast<const HttpTx*>(ctx.tx);
}

bool set(std::string_view s, ByteView& out) {
  if (s.empty()) return false;
  out = ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  return true;
}

// The message the transaction direction being inspected refers to.
const HttpMessage& by_dir(const MatchContext& ctx, const HttpTx& tx) {
  return message(tx, ctx.tx_dir == 0 ? 0 : 1);
}

// Getters. Request-side buffers read the request whatever the direction.
#define HTTP_GETTER(fn, expr)                                  \
  bool fn(const MatchContext& ctx, ByteView& out) {            \
    const HttpTx* tx = http_tx(ctx);                           \
    if (tx == nullptr) return false;                           \
    return set((expr), out);                                   \
  }

HTTP_GETTER(get_uri, tx->request_started ? std::string_view(tx->uri_norm) : std::string_view{})
HTTP_GETTER(get_uri_raw, tx->uri_raw)
HTTP_GETTER(get_method, tx->method)
HTTP_GETTER(get_host, tx->has_hostname ? std::string_view(tx->hostname) : std::string_view{})
HTTP_GETTER(get_host_raw, tx->host_raw)
HTTP_GETTER(get_user_agent, tx->request.header_value("user-agent"))
HTTP_GETTER(get_header, by_dir(ctx, *tx).header_buf)
HTTP_GETTER(get_header_raw, by_dir(ctx, *tx).raw_headers)
HTTP_GETTER(get_header_names,
            by_dir(ctx, *tx).headers_done ? std::string_view(by_dir(ctx, *tx).names_buf)
                                          : std::string_view{})
HTTP_GETTER(get_cookie, ctx.tx_dir == 0 ? tx->request.header_value("cookie")
                                        : tx->response.header_value("set-cookie"))
HTTP_GETTER(get_request_line, tx->request.line)
HTTP_GETTER(get_request_body, tx->request.body)
HTTP_GETTER(get_stat_code, tx->status_code)
HTTP_GETTER(get_stat_msg, tx->status_msg)
HTTP_GETTER(get_response_line, tx->response.line)
HTTP_GETTER(get_response_body, tx->response.body)
HTTP_GETTER(get_content_type, by_dir(ctx, *tx).header_value("content-type"))
HTTP_GETTER(get_content_len, by_dir(ctx, *tx).header_value("content-length"))
HTTP_GETTER(get_protocol, by_dir(ctx, *tx).protocol)
HTTP_GETTER(get_start,
            by_dir(ctx, *tx).headers_done ? std::string_view(by_dir(ctx, *tx).start_buf)
                                          : std::string_view{})
HTTP_GETTER(get_referer, tx->request.header_value("referer"))
HTTP_GETTER(get_accept, tx->request.header_value("accept"))
HTTP_GETTER(get_accept_enc, tx->request.header_value("accept-encoding"))
HTTP_GETTER(get_accept_lang, tx->request.header_value("accept-language"))
HTTP_GETTER(get_connection, by_dir(ctx, *tx).header_value("connection"))
HTTP_GETTER(get_location, tx->response.header_value("location"))
HTTP_GETTER(get_server, tx->response.header_value("server"))
// file.data: what the server sends to the client is the response body; to
// the server, the request body.
HTTP_GETTER(get_file_data, ctx.tx_dir == 0 ? std::string_view(tx->request.body)
                                           : std::string_view(tx->response.body))

#undef HTTP_GETTER

bool header_instance(const HttpMessage& m, uint32_t index, ByteView& out) {
  if (!m.headers_done || index + 1 >= m.line_offsets.size()) return false;
  const uint32_t begin = m.line_offsets[index];
  const uint32_t end = m.line_offsets[index + 1];
  out = ByteView(reinterpret_cast<const uint8_t*>(m.header_lines.data()) + begin, end - begin);
  return true;
}

bool get_request_header(const MatchContext& ctx, uint32_t index, ByteView& out) {
  const HttpTx* tx = http_tx(ctx);
  return tx != nullptr && header_instance(tx->request, index, out);
}
bool get_response_header(const MatchContext& ctx, uint32_t index, ByteView& out) {
  const HttpTx* tx = http_tx(ctx);
  return tx != nullptr && header_instance(tx->response, index, out);
}

// file.name: one instance per file the inspected direction carries.
bool get_file_name(const MatchContext& ctx, uint32_t index, ByteView& out) {
  const HttpTx* tx = http_tx(ctx);
  if (tx == nullptr) return false;
  const HttpMessage& m = by_dir(ctx, *tx);
  if (index >= m.file_count) return false;
  const std::string& name = m.files[index].name;
  out = ByteView(reinterpret_cast<const uint8_t*>(name.data()), name.size());
  return true;
}

struct BufferSpec {
  std::string_view name;
  std::string_view help;
  std::vector<std::string_view> aliases;
  std::vector<std::string_view> modifiers;
  BufferDirection direction;
  detect::BufferGetter get;
  detect::MultiBufferGetter get_multi = nullptr;
};

const bool kBuffersRegistered = [] {
  using D = BufferDirection;
  const std::vector<BufferSpec> specs = {
      {"http.uri", "normalized request URI", {}, {"http_uri"}, D::kToServer, get_uri},
      {"http.uri.raw", "request URI as received", {}, {"http_raw_uri"}, D::kToServer,
       get_uri_raw},
      {"http.method", "request method", {}, {"http_method"}, D::kToServer, get_method},
      {"http.host", "normalized (lowercase) host name", {}, {"http_host"}, D::kToServer,
       get_host},
      {"http.host.raw", "Host header / URI host as received", {}, {"http_raw_host"},
       D::kToServer, get_host_raw},
      {"http.user_agent", "User-Agent header value", {}, {"http_user_agent"}, D::kToServer,
       get_user_agent},
      {"http.header", "headers as \"Name: value\\r\\n\" (without cookies)", {}, {"http_header"},
       D::kBoth, get_header},
      {"http.header.raw", "header lines as received", {}, {"http_raw_header"}, D::kBoth,
       get_header_raw},
      {"http.header_names", "header names, \\r\\n separated", {"http_header_names"}, {},
       D::kBoth, get_header_names},
      {"http.cookie", "Cookie (request) / Set-Cookie (response) value", {}, {"http_cookie"},
       D::kBoth, get_cookie},
      {"http.request_line", "request line", {"http_request_line"}, {}, D::kToServer,
       get_request_line},
      {"http.request_body", "request body (de-chunked, first request-body-limit bytes)", {},
       {"http_client_body"}, D::kToServer, get_request_body},
      {"http.stat_code", "response status code", {}, {"http_stat_code"}, D::kToClient,
       get_stat_code},
      {"http.stat_msg", "response status message", {}, {"http_stat_msg"}, D::kToClient,
       get_stat_msg},
      {"http.response_line", "response status line", {"http_response_line"}, {}, D::kToClient,
       get_response_line},
      {"http.response_body", "response body (de-chunked, decompressed, limited)", {},
       {"http_server_body"}, D::kToClient, get_response_body},
      {"http.content_type", "Content-Type value", {"http_content_type"}, {}, D::kBoth,
       get_content_type},
      {"http.content_len", "Content-Length value", {"http_content_len"}, {}, D::kBoth,
       get_content_len},
      {"http.protocol", "protocol of the request/response line", {"http_protocol"}, {},
       D::kBoth, get_protocol},
      {"http.start", "start line and headers", {"http_start"}, {}, D::kBoth, get_start},
      {"http.referer", "Referer value", {"http_referer"}, {}, D::kToServer, get_referer},
      {"http.accept", "Accept value", {"http_accept"}, {}, D::kToServer, get_accept},
      {"http.accept_enc", "Accept-Encoding value", {"http_accept_enc"}, {}, D::kToServer,
       get_accept_enc},
      {"http.accept_lang", "Accept-Language value", {"http_accept_lang"}, {}, D::kToServer,
       get_accept_lang},
      {"http.connection", "Connection value", {"http_connection"}, {}, D::kBoth,
       get_connection},
      {"http.location", "Location value", {}, {}, D::kToClient, get_location},
      {"http.server", "Server value", {}, {}, D::kToClient, get_server},
      {"http.request_header", "one request header as \"Name: value\"", {}, {}, D::kToServer,
       nullptr, get_request_header},
      {"http.response_header", "one response header as \"Name: value\"", {}, {}, D::kToClient,
       nullptr, get_response_header},
  };
  for (const BufferSpec& s : specs) {
    detect::register_buffer({.name = s.name,
                             .help = s.help,
                             .aliases = s.aliases,
                             .content_modifiers = s.modifiers,
                             .app_proto = "http",
                             .direction = s.direction,
                             .get = s.get,
                             .get_multi = s.get_multi});
  }
  detect::register_buffer({.name = "file.name",
                           .help = "name of each file of the transaction direction "
                                   "(Content-Disposition filename, else the URI path)",
                           .app_proto = "http",
                           .direction = BufferDirection::kBoth,
                           .get_multi = get_file_name});
  // Only HTTP extracts files so far, so file.data is an HTTP buffer here.
  detect::register_buffer({.name = "file.data",
                           .help = "file contents: HTTP response body to the client, request "
                                   "body to the server",
                           .aliases = {"file_data"},
                           .app_proto = "http",
                           .direction = BufferDirection::kBoth,
                           .get = get_file_data});
  return true;
}();

// --- urilen ---------------------------------------------------------------

class UrilenMatcher final : public detect::PayloadKeyword {
 public:
  explicit UrilenMatcher(detect::UintRange range) : range_(range) {}
  detect::InspectOutcome inspect(const MatchContext&, detect::InspectionCursor& c, uint32_t,
                                 detect::PayloadMatch& r) const override {
    r.start = r.end = c.prev_end;
    return range_.match(c.len) ? detect::InspectOutcome::kMatch
                               : detect::InspectOutcome::kDiscontinue;
  }

 private:
  detect::UintRange range_;
};

detect::BufferInspection& inspection_for(detect::RuleBuilder& b, std::string_view buffer) {
  const detect::BufferDescriptor* d = detect::find_buffer(buffer);
  if (d == nullptr) throw detect::RuleError(std::string(buffer) + " buffer is not registered");
  const uint16_t id = detect::buffer_id(*d);
  detect::Rule& rule = b.rule();
  for (auto& insp : rule.inspections)
    if (insp.buffer_id == id) return insp;
  rule.inspections.emplace_back();
  rule.inspections.back().buffer_id = id;
  return rule.inspections.back();
}

// urilen:N | <N | >N | A<>B [, raw|norm] (Suricata's detect-urilen.c).
void setup_urilen(detect::RuleBuilder& b, std::string_view value) {
  const auto parts = detect::split_options(value, ',');
  if (parts.empty() || parts.size() > 2) throw detect::RuleError("urilen: invalid value");
  std::string_view buffer = "http.uri";
  if (parts.size() == 2) {
    const std::string_view kind = detect::trim_ws(parts[1]);
    if (kind == "raw") buffer = "http.uri.raw";
    else if (kind != "norm") throw detect::RuleError("urilen: expected 'raw' or 'norm'");
  }
  const detect::UintRange range =
      detect::parse_uint_range("urilen", detect::trim_ws(parts[0]), UINT16_MAX);
  detect::BufferInspection& insp = inspection_for(b, buffer);
  // First in its buffer: it moves no cursor, so relative chains are untouched.
  insp.matchers.insert(insp.matchers.begin(), std::make_unique<UrilenMatcher>(range));
}

// --- uricontent -------------------------------------------------------------

void setup_uricontent(detect::RuleBuilder& b, std::string_view value) {
  bool negated = false;
  std::string pattern = detect::parse_content_pattern(value, "uricontent", negated);
  if (pattern.empty()) throw detect::RuleError("uricontent: empty pattern");
  if (pattern.size() > 65535) throw detect::RuleError("uricontent: pattern longer than 65535 bytes");
  detect::BufferInspection& insp = inspection_for(b, "http.uri");
  auto content = std::make_unique<detect::ContentMatcher>(std::move(pattern), negated);
  const detect::ContentMatcher& ref = *content;
  insp.matchers.push_back(std::move(content));
  detect::sync_fast_pattern(b, ref);
}

// --- filename / fileext (Suricata: file.name content, nocase) ---------------

void add_file_name_content(detect::RuleBuilder& b, std::string_view value, std::string_view keyword,
                           bool extension) {
  bool negated = false;
  std::string pattern = detect::parse_content_pattern(value, keyword, negated);
  if (pattern.empty()) throw detect::RuleError(std::string(keyword) + ": empty value");
  if (pattern.size() > kMaxFileName)
    throw detect::RuleError(std::string(keyword) + ": longer than a file name can be");
  if (extension) pattern.insert(pattern.begin(), '.');
  detect::BufferInspection& insp = inspection_for(b, "file.name");
  auto content = std::make_unique<detect::ContentMatcher>(std::move(pattern), negated);
  content->set_nocase();
  if (extension) content->set_endswith();  // fileext does not match a partial extension
  const detect::ContentMatcher& ref = *content;
  insp.matchers.push_back(std::move(content));
  detect::sync_fast_pattern(b, ref);
}

void setup_filename(detect::RuleBuilder& b, std::string_view value) {
  add_file_name_content(b, value, "filename", false);
}
void setup_fileext(detect::RuleBuilder& b, std::string_view value) {
  add_file_name_content(b, value, "fileext", true);
}

// --- filesize ---------------------------------------------------------------

// A file of the inspected direction with a matching size. A file not
// completely seen (TRUNCATED, still open) can only be known to be bigger
// than something, so only ">" / ">=" apply to it (Suricata's filesize note).
class FilesizeMatcher final : public detect::PacketMatcher {
 public:
  explicit FilesizeMatcher(detect::UintRange range) : range_(range) {}
  bool match(const MatchContext& ctx) const override {
    const HttpTx* tx = http_tx(ctx);
    if (tx == nullptr) return false;
    const HttpMessage& m = by_dir(ctx, *tx);
    using Mode = detect::UintRange::Mode;
    const bool lower_bound_only = range_.mode == Mode::kGt || range_.mode == Mode::kGe;
    for (size_t i = 0; i < m.file_count; ++i) {
      const HttpFile& f = m.files[i];
      if (f.state != FileState::kClosed && !lower_bound_only) continue;
      if (range_.match(f.size)) return true;
    }
    return false;
  }

 private:
  detect::UintRange range_;
};

// Numbers may carry KB / MB / GB (1024-based, Suricata's ParseSizeStringU64).
std::string expand_size_units(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] < '0' || text[i] > '9') {
      out.push_back(text[i++]);
      continue;
    }
    uint64_t v = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (v > (UINT64_MAX - 9) / 10) throw detect::RuleError("filesize: number too large");
      v = v * 10 + static_cast<uint64_t>(text[i++] - '0');
    }
    while (i < text.size() && text[i] == ' ') ++i;
    uint64_t mult = 1;
    if (i + 1 < text.size() && (text[i + 1] == 'B' || text[i + 1] == 'b')) {
      const char u = static_cast<char>(text[i] | 0x20);
      if (u == 'k') mult = 1024ull;
      else if (u == 'm') mult = 1024ull * 1024;
      else if (u == 'g') mult = 1024ull * 1024 * 1024;
      if (mult != 1) i += 2;
    }
    if (mult != 1 && v > UINT64_MAX / mult) throw detect::RuleError("filesize: number too large");
    out += std::to_string(v * mult);
  }
  return out;
}

void setup_filesize(detect::RuleBuilder& b, std::string_view value) {
  const std::string text = expand_size_units(detect::trim_ws(detect::strip_quotes(value)));
  const detect::UintRange range = detect::parse_uint_range("filesize", text, UINT64_MAX);
  b.require_app_proto("http", 0);
  b.add_packet(std::make_unique<FilesizeMatcher>(range));
}

const bool kKeywordsRegistered = [] {
  detect::register_keyword({.name = "filename",
                            .help = "file name contains the string (nocase): file.name content",
                            .kind = detect::KeywordKind::kPayload,
                            .flags = detect::kValueRequired,
                            .setup = setup_filename});
  detect::register_keyword({.name = "fileext",
                            .help = "file name ends with .EXT (nocase)",
                            .kind = detect::KeywordKind::kPayload,
                            .flags = detect::kValueRequired,
                            .setup = setup_fileext});
  detect::register_keyword({.name = "filesize",
                            .help = "file size: N, <N, >N, A<>B; units KB MB GB",
                            .kind = detect::KeywordKind::kPacket,
                            .flags = detect::kValueRequired,
                            .setup = setup_filesize});
  detect::register_keyword({.name = "urilen",
                            .help = "length of the HTTP URI: N, <N, >N, A<>B [, raw|norm]",
                            .kind = detect::KeywordKind::kPayload,
                            .flags = detect::kValueRequired,
                            .setup = setup_urilen});
  detect::register_keyword({.name = "uricontent",
                            .help = "deprecated: content on http.uri",
                            .kind = detect::KeywordKind::kPayload,
                            .flags = detect::kValueRequired | detect::kDeprecated,
                            .setup = setup_uricontent});
  return true;
}();

}  // namespace

}  // namespace seawall::applayer::http
