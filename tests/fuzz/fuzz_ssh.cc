// libFuzzer target for the SSH parser, driven as the app-layer framework
// does. Input: [flags u8] then records [op u8][len u8][bytes]:
//   op & 1      direction (0 to server, 1 to client)
//   op >> 1 % 8 0-5 parse `len` bytes, 6 gap of `len` bytes, 7 end of stream
// After every step the transaction is read the way detection and logging
// would (buffer getters for both directions, the EVE object) and, once done,
// removed. A direction that returned an error is not fed again.
#include <cstddef>
#include <cstdint>
#include <string>

#include "applayer/ssh/ssh_parser.h"
#include "decode/packet.h"
#include "detect/buffers/buffer_registry.h"
#include "detect/engine/detect_engine.h"
#include "detect/keywords/keyword.h"
#include "output/eve/json_writer.h"

namespace {

using namespace seawall;
using namespace seawall::applayer;

detect::DetectThread& no_thread() {
  // The SSH getters never touch the DetectThread.
  alignas(detect::DetectThread) static unsigned char storage[sizeof(detect::DetectThread)] = {};
  return *reinterpret_cast<detect::DetectThread*>(storage);
}

void inspect(ssh::SshState& state, std::string& json) {
  static const char* const kBuffers[] = {"ssh.proto",        "ssh.software",
                                         "ssh.hassh",        "ssh.hassh.string",
                                         "ssh.hassh.server", "ssh.hassh.server.string"};
  static Packet packet;
  for (size_t i = 0; i < state.tx_count(); ++i) {
    Transaction* tx = state.tx_at(i);
    if (tx == nullptr) __builtin_trap();
    for (uint8_t dir = 0; dir < 2; ++dir) {
      detect::MatchContext ctx{packet, nullptr, no_thread()};
      ctx.tx = tx;
      ctx.tx_proto = ssh::ssh_app_proto();
      ctx.tx_dir = dir;
      for (const char* name : kBuffers) {
        const detect::BufferDescriptor* d = detect::find_buffer(name);
        ByteView out;
        if (d != nullptr && d->get != nullptr && d->get(ctx, out)) {
          volatile uint8_t sink = out.empty() ? 0 : out[out.size() - 1];
          (void)sink;
        }
      }
      if (tx->complete[dir]) tx->inspected[dir] = true;
    }
    if (tx->complete[0] && tx->complete[1] && !tx->logged) {
      json.clear();
      JsonWriter w(json);
      w.begin_object();
      w.key("ssh");
      w.begin_object();
      ssh::log_ssh(state, *tx, LogContext{}, w);
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
  ssh::set_hassh_logging((data[0] & 1) != 0);
  ssh::SshState state;
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
    inspect(state, json);
  }
  state.end_of_stream(Direction::kToServer);
  state.end_of_stream(Direction::kToClient);
  inspect(state, json);
  return 0;
}
