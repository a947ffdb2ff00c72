// Shared driver for app-layer fuzz targets over a TCP stream (fuzz_http,
// fuzz_ssh). Input after the target's own flag byte: records [op u8][len u8][bytes]:
//   op & 1      direction (0 to server, 1 to client)
//   op >> 1 % 8 0-5 parse `len` bytes, 6 gap of `len` bytes, 7 end of stream
// A direction that returned an error (or a refused gap) is not fed again.
// After every step each transaction is read the way the framework would:
// every listed buffer getter for both directions, then the target's logger
// once both directions are complete, then done transactions are removed.
#pragma once

#include <cstddef>
#include <cstdint>

#include "applayer/app_layer.h"
#include "decode/packet.h"
#include "detect/buffers/buffer_registry.h"
#include "detect/engine/detect_engine.h"
#include "detect/keywords/keyword.h"

namespace seawall::fuzz {

inline detect::DetectThread& no_thread() {
  // App-layer buffer getters never touch the DetectThread.
  alignas(detect::DetectThread) static unsigned char storage[sizeof(detect::DetectThread)] = {};
  return *reinterpret_cast<detect::DetectThread*>(storage);
}

inline void touch(ByteView out) {
  volatile uint8_t sink = 0;
  for (size_t i = 0; i < out.size(); i += 64) sink = static_cast<uint8_t>(sink ^ out[i]);
  if (!out.empty()) sink = static_cast<uint8_t>(sink ^ out[out.size() - 1]);
  (void)sink;
}

// Reads every buffer in `names` for both directions of every transaction,
// logs (log(tx)) each transaction once both directions are complete, and
// removes done ones.
template <size_t N, typename Log>
void hand_over(applayer::ProtocolState& state, AppProto proto, const char* const (&names)[N],
               Log log) {
  static Packet packet;
  for (size_t i = 0; i < state.tx_count(); ++i) {
    applayer::Transaction* tx = state.tx_at(i);
    if (tx == nullptr) __builtin_trap();
    for (uint8_t dir = 0; dir < 2; ++dir) {
      detect::MatchContext ctx{packet, nullptr, no_thread()};
      ctx.tx = tx;
      ctx.tx_proto = proto;
      ctx.tx_dir = dir;
      for (const char* name : names) {
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
      log(*tx);
      tx->logged = true;
    }
  }
  state.remove_done();
}

// Feeds the records of data[1..size) to `state`, calling after_step() after
// each, then ends both directions and calls after_step() once more.
template <typename AfterStep>
void drive_stream(applayer::ProtocolState& state, const uint8_t* data, size_t size,
                  AfterStep after_step) {
  using applayer::Direction;
  applayer::ParseContext ctx;
  bool stopped[2] = {false, false};
  size_t pos = 1;
  while (pos + 2 <= size) {
    const uint8_t op = data[pos];
    size_t len = data[pos + 1];
    pos += 2;
    if (len > size - pos) len = size - pos;
    const Direction dir = (op & 1) ? Direction::kToClient : Direction::kToServer;
    const int d = applayer::dir_index(dir);
    const int action = (op >> 1) % 8;
    if (!stopped[d] && !state.no_more_inspection()) {
      if (action <= 5) {
        if (state.parse(dir, ByteView(data + pos, len), ctx) == applayer::ParseResult::kError)
          stopped[d] = true;
      } else if (action == 6) {
        if (!state.gap(dir, static_cast<uint32_t>(len))) stopped[d] = true;
      } else {
        state.end_of_stream(dir);
      }
    }
    if (action <= 5) pos += len;
    after_step();
  }
  state.end_of_stream(Direction::kToServer);
  state.end_of_stream(Direction::kToClient);
  after_step();
}

}  // namespace seawall::fuzz
