// libFuzzer target for the HTTP/1 parser, driven as the app-layer framework
// does. Input: [flags u8] then records [op u8][len u8][bytes]:
//   op & 1      direction (0 to server, 1 to client)
//   op >> 1 % 8 0-5 parse `len` bytes, 6 gap of `len` bytes, 7 end of stream
// flags pick small or default limits (body, line, decompression) and whether
// headers are dumped in EVE. After every step each transaction is read the
// way detection and logging would (every http buffer getter for both
// directions, the EVE object) and, once done, removed.
#include <cstddef>
#include <cstdint>
#include <string>

#include "applayer/http/http_eve.h"
#include "applayer/http/http_parser.h"
#include "decode/packet.h"
#include "detect/buffers/buffer_registry.h"
#include "detect/engine/detect_engine.h"
#include "detect/keywords/keyword.h"
#include "flow/app_proto.h"
#include "output/eve/json_writer.h"

namespace {

using namespace seawall;
using namespace seawall::applayer;

detect::DetectThread& no_thread() {
  // The HTTP getters never touch the DetectThread.
  alignas(detect::DetectThread) static unsigned char storage[sizeof(detect::DetectThread)] = {};
  return *reinterpret_cast<detect::DetectThread*>(storage);
}

void touch(ByteView out) {
  volatile uint8_t sink = 0;
  for (size_t i = 0; i < out.size(); i += 64) sink = static_cast<uint8_t>(sink ^ out[i]);
  if (!out.empty()) sink = static_cast<uint8_t>(sink ^ out[out.size() - 1]);
  (void)sink;
}

void inspect(http::HttpState& state, const http::HttpLogOptions& options, std::string& json) {
  static const char* const kBuffers[] = {
      "http.uri", "http.uri.raw", "http.method", "http.host", "http.host.raw",
      "http.user_agent", "http.header", "http.header.raw", "http.header_names", "http.cookie",
      "http.request_line", "http.request_body", "http.stat_code", "http.stat_msg",
      "http.response_line", "http.response_body", "http.content_type", "http.content_len",
      "http.protocol", "http.start", "http.referer", "http.accept", "http.accept_enc",
      "http.accept_lang", "http.connection", "http.location", "http.server",
      "http.request_header", "http.response_header", "file.data"};
  static Packet packet;
  static const AppProto kHttp = find_app_proto("http");
  for (size_t i = 0; i < state.tx_count(); ++i) {
    Transaction* tx = state.tx_at(i);
    if (tx == nullptr) __builtin_trap();
    for (uint8_t dir = 0; dir < 2; ++dir) {
      detect::MatchContext ctx{packet, nullptr, no_thread()};
      ctx.tx = tx;
      ctx.tx_proto = kHttp;
      ctx.tx_dir = dir;
      for (const char* name : kBuffers) {
        const detect::BufferDescriptor* d = detect::find_buffer(name);
        if (d == nullptr) continue;
        ByteView out;
        if (d->get != nullptr && d->get(ctx, out)) touch(out);
        if (d->get_multi != nullptr)
          for (uint32_t k = 0; k < 1024 && d->get_multi(ctx, k, out); ++k) touch(out);
      }
      if (tx->complete[dir]) tx->inspected[dir] = true;
    }
    if (tx->complete[0] && tx->complete[1] && !tx->logged) {
      json.clear();
      JsonWriter w(json);
      w.begin_object();
      w.key("http");
      w.begin_object();
      http::write_http_object(static_cast<const http::HttpTx&>(*tx), options, w);
      w.end_object();
      w.end_object();
      tx->logged = true;
    }
  }
  state.remove_done();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  http::HttpConfig config;
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
  http::HttpLogOptions options;
  options.request_headers = options.response_headers = (data[0] & 4) != 0;
  http::HttpState state(config);
  std::string json;
  ParseContext ctx;
  bool stopped[2] = {false, false};
  size_t pos = 1;
  while (pos + 2 <= size) {
    const uint8_t op = data[pos];
    size_t len = data[pos + 1];
    pos += 2;
    if (len > size - pos) len = size - pos;
    const Direction dir = (op & 1) ? Direction::kToClient : Direction::kToServer;
    const int d = dir_index(dir);
    const int action = (op >> 1) % 8;
    if (!stopped[d] && !state.no_more_inspection()) {
      if (action <= 5) {
        if (state.parse(dir, ByteView(data + pos, len), ctx) == ParseResult::kError)
          stopped[d] = true;
      } else if (action == 6) {
        if (!state.gap(dir, static_cast<uint32_t>(len))) stopped[d] = true;
      } else {
        state.end_of_stream(dir);
      }
    }
    if (action <= 5) pos += len;
    inspect(state, options, json);
  }
  state.end_of_stream(Direction::kToServer);
  state.end_of_stream(Direction::kToClient);
  inspect(state, options, json);
  return 0;
}
