// HTTP/0.9, 1.0 and 1.1: per-flow state, transactions (one per request/
// response pair) and the incremental parser of both directions. The reference
// behaviour is libhtp's (Suricata's HTTP/1 parser) with Suricata's default
// "IDS" personality: header folding and repeated headers merged with ", ",
// bodies by Content-Length / chunked / until close, 1xx interim responses,
// pipelining, gzip/deflate response decompression, bounded line sizes.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "applayer/app_layer.h"
#include "applayer/http/http_body.h"
#include "applayer/http/http_file_hash.h"
#include "core/byte_view.h"

namespace seawall::applayer::http {

// Load-time limits (Suricata's libhtp defaults where they exist).
struct HttpConfig {
  uint32_t request_body_limit = 100 * 1024;   // bytes kept for http.request_body
  uint32_t response_body_limit = 100 * 1024;  // bytes kept for http.response_body
  uint32_t max_line = 18000;                  // libhtp's hard field limit
  uint32_t max_headers = 512;                 // per message
  uint32_t max_header_repetitions = 64;       // libhtp: "excessive header repetition"
  uint32_t max_header_bytes = 256 * 1024;     // raw header block / merged value kept per message
  uint32_t max_transactions = 4096;           // live transactions per flow
  bool response_decompression = true;
  bool request_decompression = false;         // libhtp default
  // Content-Encoding tokens considered (Suricata's
  // response-body-decompress-layer-limit; 0 = no limit).
  uint32_t decompress_layer_limit = 2;
  DecompressLimits decompress;
  FileHashConfig file_hashes;                 // outputs.eve-log.types.files.force-hash
};
// The configuration parsers use (set at load time, before any flow).
const HttpConfig& http_config();
void set_http_config(const HttpConfig& config);

// A file carried by a message body (Suricata's File of the HTTP parser): a
// response body, a PUT/POST body, or one multipart/form-data part with a
// filename.
enum class FileState : uint8_t { kOpen, kClosed, kTruncated };
inline constexpr size_t kMaxFileName = 4096;        // Suricata's SC_FILENAME_MAX
inline constexpr size_t kMaxFilesPerMessage = 32;   // multipart parts tracked as files

struct HttpFile {
  std::string name;  // at most kMaxFileName bytes
  uint64_t size = 0; // bytes after de-chunking and decompression, gap bytes included
  bool gaps = false;
  FileState state = FileState::kOpen;
  // force-hash: digests of a CLOSED file; the hasher is kept for reuse.
  FileDigests digests;
  std::unique_ptr<FileHasher> hasher;
};

struct HttpHeader {
  std::string name;
  std::string value;
  uint32_t repetitions = 0;  // times seen after the first (values merged with ", ")
};

// One direction of a transaction: the start line, headers and body.
struct HttpMessage {
  std::string line;      // request/response line as received (no CRLF)
  std::string protocol;  // "HTTP/1.1" (empty for HTTP/0.9)
  int protocol_number = -1;  // 9, 10, 11; -1 unknown/invalid
  // Header table in first-seen order; entries [0, header_count) are live, the
  // rest keep their string capacity for reuse.
  std::vector<HttpHeader> headers;
  size_t header_count = 0;
  std::string raw_headers;   // header lines as received, final empty line included
  // Detection buffers, built when the headers (or trailers) are complete.
  std::string header_buf;    // http.header: "Name: value\r\n" except (set-)cookie
  std::string names_buf;     // http.header_names: "\r\nName1\r\nName2\r\n\r\n"
  std::string start_buf;     // http.start: line CRLF, headers, CRLF
  // http.request_header / http.response_header instances: "Name: value" each,
  // header_lines[line_offsets[i], line_offsets[i+1]).
  std::string header_lines;
  std::vector<uint32_t> line_offsets;
  bool headers_done = false;
  // Body: the first body-limit bytes after de-chunking (and decompression).
  std::string body;
  uint64_t message_len = 0;  // de-chunked body bytes (before decompression)
  bool body_truncated = false;
  LayeredDecoder decoder;
  // Files of this body: entries [0, file_count) are live, the rest keep their
  // capacity. A message with a streamed file has it open while its body runs.
  std::vector<HttpFile> files;
  size_t file_count = 0;
  bool file_tracked = false;  // a whole-body file was opened for this message

  const HttpHeader* header(std::string_view name) const;
  std::string_view header_value(std::string_view name) const;
  void reset();
};

struct HttpTx final : Transaction {
  HttpMessage request;
  HttpMessage response;
  // Request line pieces.
  std::string method;
  std::string uri_raw;       // as in the request line (EVE "url", http.uri.raw)
  std::string uri_norm;      // libhtp's normalized URI (http.uri)
  std::string hostname;      // lowercased host from the absolute URI or Host (EVE "hostname")
  std::string host_raw;      // http.host.raw: URI authority host, else the Host value
  int port = -1;             // port from the URI authority or Host header
  bool has_hostname = false;
  bool is_connect = false;
  bool is_head = false;
  bool http09 = false;       // simple request: no headers, response has no status line
  bool request_started = false;
  bool response_started = false;
  // Response status.
  std::string status_code;   // the status token as received ("200", "2XX")
  std::string status_msg;
  int status = -1;           // numeric status, -1 when not a valid number
  bool seen_100_continue = false;

  void reset(uint64_t new_id);
};

// Probe: a known method followed by a space (requests), "HTTP/1." (responses).
ProbeResult probe_http(Direction dir, ByteView data);

class HttpState final : public ProtocolState {
 public:
  HttpState();
  explicit HttpState(const HttpConfig& config);
  ~HttpState() override;

  ParseResult parse(Direction dir, ByteView data, const ParseContext& ctx) override;
  bool gap(Direction dir, uint32_t len) override;
  void end_of_stream(Direction dir) override;
  size_t tx_count() const override { return txs_.size(); }
  Transaction* tx_at(size_t index) override {
    return index < txs_.size() ? txs_[index].get() : nullptr;
  }
  const HttpTx* http_tx(size_t index) const {
    return index < txs_.size() ? txs_[index].get() : nullptr;
  }
  void remove_done() override;
  bool no_more_inspection() const override { return tunnel_; }

 private:
  enum class Phase : uint8_t {
    kLine,         // waiting for the request/status line
    kHeaders,
    kBodyLength,   // Content-Length bytes left
    kChunkSize,
    kChunkData,
    kChunkDataEnd, // the CRLF after a chunk
    kTrailers,
    kBodyClose,    // response body until the connection closes
    kIgnore,       // tunnel, unrecoverable framing error or limits: drop data
  };
  struct Side {
    Phase phase = Phase::kLine;
    std::string line;        // partial line
    bool line_overflow = false;
    bool saw_cr = false;
    uint64_t remaining = 0;  // Content-Length / chunk bytes left
    HttpTx* tx = nullptr;    // transaction being parsed in this direction
    bool chunked = false;
    bool trailers_seen = false;
    bool http09_headers = false;  // request line had no protocol: lines may still be headers
    int last_header = -1;         // header a folded line continues
    bool lf_cr_pending = false;   // response line ended by LF: a CR next is part of it
    bool whole_body_file = false; // this message's body is one file (response, PUT/POST)
    bool multipart = false;       // multipart/form-data request: files from its parts
  };

  void parse_side(int d, const uint8_t* p, size_t n);
  // Returns bytes consumed from p (a full or partial line / body run).
  size_t take_line(int d, const uint8_t* p, size_t n, bool& complete);
  size_t append_line(Side& s, int d, const uint8_t* p, size_t len, bool complete);
  void on_line(int d, std::string_view line, std::string_view raw);
  void on_request_line(std::string_view line);
  void on_status_line(std::string_view line, std::string_view raw);
  void on_header_line(int d, std::string_view line, std::string_view raw);
  void add_header(int d, std::string_view line);
  void headers_complete(int d);
  void request_headers_complete();
  void response_headers_complete();
  void body_data(int d, const uint8_t* p, size_t n);
  void message_complete(int d);
  bool on_chunk_size(int d, std::string_view line);
  // File tracking: the whole-body file of direction d opens on its first byte.
  void open_body_file(int d);
  // Bytes after a completed response body that libhtp-rs still takes as body.
  size_t finalize_response(const uint8_t* p, size_t n);
  void close_files(int d);
  HttpTx* new_tx();
  HttpTx* response_tx();
  void event(int d, std::string_view req_name, std::string_view resp_name);

  HttpConfig config_;
  std::deque<std::unique_ptr<HttpTx>> txs_;
  std::vector<std::unique_ptr<HttpTx>> spare_;  // recycled transactions
  std::array<Side, 2> sides_{};
  // The rest of the data being parsed, while a complete line is handled.
  std::string_view lookahead_;
  std::string fold_scratch_;  // a header name continued on a folded line, rejoined
  uint64_t next_tx_id_ = 0;
  bool tunnel_ = false;
};

// Suricata's HTTPParseContentDispositionHeader with "filename=": the value of
// the first ';'-separated token (outside quotes) that starts with
// "filename=", one pair of surrounding quotes removed.
bool content_disposition_filename(std::string_view value, std::string_view& out);
// The multipart boundary of a "multipart/form-data; boundary=..." Content-Type.
bool multipart_boundary(std::string_view content_type, std::string_view& out);
// Files of a multipart/form-data body: every part whose Content-Disposition
// has a filename. `complete` false (body cut short) leaves the last part
// TRUNCATED. Appends to m.files (bounded by kMaxFilesPerMessage).
void extract_multipart_files(HttpMessage& m, std::string_view body, std::string_view boundary,
                             bool complete, const FileHashConfig& hashes = {});

// Derived buffers of a message (also used after trailers). Exposed for tests.
void build_message_buffers(HttpMessage& m, bool request);
// The buffer getters' view of a transaction by direction (0 request, 1 response).
inline const HttpMessage& message(const HttpTx& tx, int dir) {
  return dir == 0 ? tx.request : tx.response;
}

}  // namespace seawall::applayer::http
