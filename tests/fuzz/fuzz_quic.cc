// libFuzzer target for the QUIC parser (src/applayer/quic/).
// Input: a sequence of records [flags u8][len u16 BE][bytes].
//   flags bit 0: direction (0 client -> server, 1 server -> client)
//   flags bit 1: the bytes are the plaintext frames of an Initial packet,
//                which the harness protects with the flow's Initial keys
//                (so the fuzzer reaches frame parsing, CRYPTO reassembly and
//                the ClientHello/ServerHello parsers); otherwise they are a
//                raw datagram (headers, coalescing, gQUIC, probe).
//   flags bits 2-3: version of a protected Initial (v1, v2, draft-29, Q050).
// After the records: end of stream both ways, every transaction logged to
// EVE JSON, marked done and removed, as the app-layer framework does.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "applayer/quic/quic_crypto.h"
#include "applayer/quic/quic_parser.h"
#include "output/eve/json_writer.h"

namespace {

using namespace seawall;
using namespace seawall::quic;

constexpr uint8_t kDcid[] = {0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08};
constexpr uint32_t kVersions[] = {kVersion1, kVersion2, kVersionDraft29, 0x51303530};

// Header + protected payload of an Initial with 2-byte packet number `pn`.
bool protect_initial(uint32_t version, bool server, uint16_t pn, const uint8_t* frames,
                     size_t len, std::vector<uint8_t>& out) {
  std::vector<uint8_t> plain(frames, frames + len);
  if (plain.size() < 20) plain.resize(20, 0);  // room for the header-protection sample
  const uint8_t type_bits = version == kVersion2 ? 1 : 0;
  out.clear();
  out.push_back(static_cast<uint8_t>(0xc1 | (type_bits << 4)));
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<uint8_t>(version >> (8 * i)));
  if (server) {
    out.push_back(0);  // DCID: the client's (empty) SCID
    out.push_back(sizeof(kDcid));
    out.insert(out.end(), kDcid, kDcid + sizeof(kDcid));
  } else {
    out.push_back(sizeof(kDcid));
    out.insert(out.end(), kDcid, kDcid + sizeof(kDcid));
    out.push_back(0);
  }
  out.push_back(0);  // no token
  const size_t length = 2 + plain.size() + kAeadTagLen;
  if (length > 0x3fff) return false;
  out.push_back(static_cast<uint8_t>(0x40 | (length >> 8)));
  out.push_back(static_cast<uint8_t>(length));
  const size_t pn_offset = out.size();
  out.push_back(static_cast<uint8_t>(pn >> 8));
  out.push_back(static_cast<uint8_t>(pn));
  PacketKeys keys;
  PacketCipher cipher;
  if (!derive_initial_keys(version, ByteView(kDcid, sizeof(kDcid)), server, keys) ||
      !cipher.set_keys(keys))
    return false;
  const size_t header_len = out.size();
  out.resize(header_len + plain.size() + kAeadTagLen);
  if (!cipher.seal(pn, ByteView(out.data(), header_len), ByteView(plain.data(), plain.size()),
                   out.data() + header_len))
    return false;
  uint8_t mask[5];
  if (!cipher.header_mask(out.data() + pn_offset + 4, mask)) return false;
  out[0] ^= mask[0] & 0x0f;
  out[pn_offset] ^= mask[1];
  out[pn_offset + 1] ^= mask[2];
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  QuicState state;
  applayer::ParseContext ctx;
  ctx.udp = true;
  std::vector<uint8_t> packet;
  uint16_t pn[2] = {0, 0};
  size_t pos = 0;
  while (pos + 3 <= size) {
    const uint8_t flags = data[pos];
    size_t len = (static_cast<size_t>(data[pos + 1]) << 8) | data[pos + 2];
    pos += 3;
    if (len > size - pos) len = size - pos;
    const auto dir = (flags & 1) ? applayer::Direction::kToClient : applayer::Direction::kToServer;
    ByteView datagram(data + pos, len);
    if (flags & 2) {
      const int d = flags & 1;
      if (!protect_initial(kVersions[(flags >> 2) & 3], d == 1, pn[d]++, data + pos, len, packet))
        packet.clear();
      datagram = ByteView(packet.data(), packet.size());
    } else {
      (void)probe(dir, datagram);
    }
    if (!datagram.empty()) state.parse(dir, datagram, ctx);
    pos += len;
  }
  state.end_of_stream(applayer::Direction::kToServer);
  state.end_of_stream(applayer::Direction::kToClient);

  std::string json;
  for (size_t i = 0; i < state.tx_count(); ++i) {
    applayer::Transaction* tx = state.tx_at(i);
    if (!tx->complete[0] || !tx->complete[1]) __builtin_trap();  // all complete at flow end
    json.clear();
    JsonWriter w(json);
    w.begin_object();
    log_tx(state, *tx, {}, w);
    w.end_object();
    tx->logged = true;
    tx->inspected = {true, true};
  }
  state.remove_done();
  if (state.tx_count() != 0) __builtin_trap();
  return 0;
}
