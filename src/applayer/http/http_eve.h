// EVE "http" object (Suricata's output-json-http.c): hostname, http_port, url,
// http_user_agent, xff, http_content_type, content_range; with `extended`
// (Suricata's default configuration) http_refer, http_method, protocol,
// status/status_string, redirect, length; request_headers / response_headers
// arrays when dump-all-headers asks for them.
#pragma once

#include "applayer/app_layer.h"
#include "applayer/http/http_parser.h"

namespace seawall {
class JsonWriter;
}

namespace seawall::applayer::http {

struct HttpLogOptions {
  bool extended = true;           // eve-log.http.extended (yes in suricata.yaml)
  bool request_headers = false;   // dump-all-headers: request / both
  bool response_headers = false;  // dump-all-headers: response / both
};

// Load-time setting used by the registered logger.
const HttpLogOptions& http_log_options();
void set_http_log_options(const HttpLogOptions& options);

// Writes the members of the "http" object for `tx`.
void write_http_object(const HttpTx& tx, const HttpLogOptions& options, JsonWriter& w);

// The protocol's LogTxFn (uses http_log_options()).
void log_http_tx(const ProtocolState& state, const Transaction& tx, const LogContext& ctx,
                 JsonWriter& w);

// Files of a transaction: request files (PUT/POST body, multipart parts)
// first, then the response body. The ProtocolDescriptor file hooks.
size_t http_file_count(const Transaction& tx);
Direction http_file_direction(const Transaction& tx, size_t index);
const HttpFile* http_file(const HttpTx& tx, size_t index);
// The "fileinfo" members (Suricata's EveFileInfo): filename, gaps, state,
// md5/sha1/sha256 (force-hash, CLOSED files), stored, size, tx_id. A file
// still open when logged is TRUNCATED.
void log_http_file(const Transaction& tx, size_t index, JsonWriter& w);

// Content-Range "bytes a-b/size" (Suricata's HTPParseContentRange); -1 for '*'.
struct ContentRange {
  int64_t start = -1, end = -1, size = -1;
};
bool parse_content_range(std::string_view value, ContentRange& out);

}  // namespace seawall::applayer::http
