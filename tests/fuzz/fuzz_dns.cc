// libFuzzer target for the DNS parser (src/applayer/dns/).
// Byte 0: bit 0 selects UDP (one datagram per chunk) or TCP (stream chunks);
// the rest is a sequence of chunks, each introduced by one byte: bit 7 the
// direction, bit 6 a gap before it (TCP), bits 0-5 its length. Every chunk is
// parsed, every completed direction of every transaction is logged into a
// JsonWriter (as the framework does for a per-direction logger), and done
// transactions are removed; the flow ends with end_of_stream both ways.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "applayer/dns/dns_parser.h"
#include "output/eve/json_writer.h"

namespace {

using namespace seawall;
using namespace seawall::applayer;

void log_and_collect(dns::DnsState& state, std::string& out) {
  for (size_t i = 0; i < state.tx_count(); ++i) {
    Transaction& tx = *state.tx_at(i);
    for (int d = 0; d < 2; ++d) {
      if (!tx.complete[d] || tx.inspected[d]) continue;
      tx.inspected[d] = true;
      out.clear();
      JsonWriter w(out);
      w.begin_object();
      dns::log_tx(state, tx, LogContext{d == 0 ? LogKind::kRecord : LogKind::kAlert,
                                        static_cast<Direction>(d)},
                  w);
      w.end_object();
    }
    if (tx.inspected[0] && tx.inspected[1]) tx.logged = true;
  }
  state.remove_done();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  ParseContext ctx;
  ctx.udp = (data[0] & 1) != 0;
  static std::string json;
  (void)dns::probe(Direction::kToServer, ByteView(data + 1, size - 1));

  dns::DnsState state;
  size_t pos = 1;
  while (pos < size) {
    const uint8_t control = data[pos++];
    const auto dir = (control & 0x80) != 0 ? Direction::kToClient : Direction::kToServer;
    size_t len = control & 0x3f;
    if (len == 0) len = size - pos;  // 0: the rest of the input
    if (len > size - pos) len = size - pos;
    if (!ctx.udp && (control & 0x40) != 0 && !state.gap(dir, 7)) break;
    // A heap copy of exactly the chunk, so ASan sees any read past its end.
    const std::vector<uint8_t> chunk(data + pos, data + pos + len);
    pos += len;
    if (state.parse(dir, ByteView(chunk.data(), chunk.size()), ctx) == ParseResult::kError) break;
    log_and_collect(state, json);
  }
  state.end_of_stream(Direction::kToServer);
  state.end_of_stream(Direction::kToClient);
  log_and_collect(state, json);
  return 0;
}
