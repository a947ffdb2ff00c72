// libFuzzer target for the HTTP/1 parser, driven as the app-layer framework
// does (fuzz_app_stream.h: records [op u8][len u8][bytes] after a flag byte).
// The flag byte picks small or default limits (body, line, decompression),
// request decompression, whether headers are dumped in EVE, and file hashing. After every
// step each transaction is read the way detection and logging would (every
// http buffer getter for both directions, the EVE object) and, once done,
// removed; the transaction's files are written as fileinfo members.
#include <cstddef>
#include <cstdint>
#include <string>

#include "applayer/http/http_eve.h"
#include "applayer/http/http_parser.h"
#include "flow/app_proto.h"
#include "fuzz_app_stream.h"
#include "output/eve/json_writer.h"

using namespace seawall;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const char* const kBuffers[] = {
      "http.uri", "http.uri.raw", "http.method", "http.host", "http.host.raw",
      "http.user_agent", "http.header", "http.header.raw", "http.header_names", "http.cookie",
      "http.request_line", "http.request_body", "http.stat_code", "http.stat_msg",
      "http.response_line", "http.response_body", "http.content_type", "http.content_len",
      "http.protocol", "http.start", "http.referer", "http.accept", "http.accept_enc",
      "http.accept_lang", "http.connection", "http.location", "http.server",
      "http.request_header", "http.response_header", "file.data"};
  static const AppProto kHttp = find_app_proto("http");
  if (size == 0) return 0;
  applayer::http::HttpConfig config;
  if (data[0] & 1) {
    // Small limits so truncation, caps and bombs are reached by short inputs.
    config.request_body_limit = 64;
    config.response_body_limit = 64;
    config.max_line = 128;
    config.max_headers = 8;
    config.max_header_repetitions = 4;
    config.max_transactions = 8;
    config.decompress.max_output = 4096;
    config.decompress.bomb_ratio = 4;
  }
  config.request_decompression = (data[0] & 2) != 0;
  if (data[0] & 8) config.file_hashes = {.md5 = true, .sha1 = true, .sha256 = true};
  applayer::http::HttpLogOptions options;
  options.request_headers = options.response_headers = (data[0] & 4) != 0;
  applayer::http::HttpState state(config);
  std::string json;
  fuzz::drive_stream(state, data, size, [&] {
    fuzz::hand_over(state, kHttp, kBuffers, [&](const applayer::Transaction& tx) {
      json.clear();
      JsonWriter w(json);
      w.begin_object();
      w.key("http");
      w.begin_object();
      applayer::http::write_http_object(static_cast<const applayer::http::HttpTx&>(tx), options,
                                        w);
      w.end_object();
      w.end_object();
      // The fileinfo records of the transaction's files.
      const size_t files = applayer::http::http_file_count(tx);
      for (size_t i = 0; i < files; ++i) {
        (void)applayer::http::http_file_direction(tx, i);
        w.begin_object();
        applayer::http::log_http_file(tx, i, w);
        w.end_object();
      }
    });
  });
  return 0;
}
