// libFuzzer target for the TLS parser: the input drives both directions in
// chunks (sizes and directions taken from the input itself), then the hello
// parsers and fingerprints are run on the raw input directly.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "applayer/tls/tls_client_hello.h"
#include "applayer/tls/tls_eve.h"
#include "applayer/tls/tls_parser.h"
#include "output/eve/json_writer.h"

using namespace seawall;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  {
    tls::TlsState state;
    applayer::ParseContext ctx;
    size_t pos = 0;
    while (pos < size) {
      // One control byte: direction bit and chunk length (1..128).
      const uint8_t control = data[pos++];
      const auto dir = (control & 0x80) ? applayer::Direction::kToClient
                                        : applayer::Direction::kToServer;
      const size_t len = std::min<size_t>(size - pos, (control & 0x7f) + 1u);
      if (control == 0x7f) {
        state.gap(dir, 100);
      } else {
        state.parse(dir, ByteView(data + pos, len), ctx);
      }
      pos += len;
    }
    state.end_of_stream(applayer::Direction::kToServer);
    state.end_of_stream(applayer::Direction::kToClient);
    std::string json;
    for (size_t i = 0; i < state.tx_count(); ++i) {
      JsonWriter w(json);
      w.begin_object();
      tls::log_tls_tx(state, *state.tx_at(i), {}, w);
      w.end_object();
      state.tx_at(i)->logged = true;
      state.tx_at(i)->inspected = {true, true};
    }
    state.remove_done();
    (void)state.no_more_inspection();
    (void)tls::probe_tls(applayer::Direction::kToServer, ByteView(data, size));
  }
  tls::ClientHello ch;
  if (tls::parse_client_hello(ByteView(data, size), ch)) {
    std::string out;
    tls::ja3_string(ch, out);
    std::string hash;
    tls::md5_hex(out, hash);
    tls::ja4(ch, false, out);
    tls::ja4(ch, true, out);
  }
  tls::ServerHello sh;
  if (tls::parse_server_hello(ByteView(data, size), sh)) {
    std::string out;
    tls::ja3s_string(sh, out);
  }
  tls::CertInfo cert;
  std::string_view event;
  (void)tls::decode_certificate(ByteView(data, size), cert, event);
  return 0;
}
