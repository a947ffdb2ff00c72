// QUIC sticky buffers: quic.sni, quic.version (the 4 version bytes as on the
// wire, as Suricata matches them), quic.ua (gQUIC UAID), quic.cyu.hash and
// quic.cyu.string (one instance per CYU fingerprint). A transaction carries
// one direction's handshake, so a buffer exists only when inspecting that
// direction (the client's SNI is not matched again as to_client).
#include "applayer/quic/quic_parser.h"
#include "detect/buffers/buffer_registry.h"

namespace seawall::quic {
namespace {

using detect::BufferDirection;
using detect::MatchContext;

const QuicTx* quic_tx(const MatchContext& ctx) {
  if (ctx.tx == nullptr || ctx.tx_proto != app_proto_id()) return nullptr;
  const auto* tx = static_cast<const QuicTx*>(ctx.tx);
  return applayer::dir_index(tx->dir) == ctx.tx_dir ? tx : nullptr;
}

ByteView as_bytes(const std::string& s) {
  return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

bool get_sni(const MatchContext& ctx, ByteView& out) {
  const QuicTx* tx = quic_tx(ctx);
  if (tx == nullptr || tx->sni.empty()) return false;
  out = as_bytes(tx->sni);
  return true;
}

bool get_version(const MatchContext& ctx, ByteView& out) {
  const QuicTx* tx = quic_tx(ctx);
  if (tx == nullptr || !tx->has_version) return false;
  out = ByteView(tx->version_bytes.data(), tx->version_bytes.size());
  return true;
}

bool get_ua(const MatchContext& ctx, ByteView& out) {
  const QuicTx* tx = quic_tx(ctx);
  if (tx == nullptr || tx->ua.empty()) return false;
  out = as_bytes(tx->ua);
  return true;
}

bool get_cyu_hash(const MatchContext& ctx, uint32_t index, ByteView& out) {
  const QuicTx* tx = quic_tx(ctx);
  if (tx == nullptr || index >= tx->cyu.size()) return false;
  out = as_bytes(tx->cyu[index].hash);
  return true;
}

bool get_cyu_string(const MatchContext& ctx, uint32_t index, ByteView& out) {
  const QuicTx* tx = quic_tx(ctx);
  if (tx == nullptr || index >= tx->cyu.size()) return false;
  out = as_bytes(tx->cyu[index].string);
  return true;
}

const bool kRegistered = [] {
  detect::register_buffer({.name = "quic.sni",
                           .help = "QUIC server name (TLS SNI of the Initial ClientHello, gQUIC SNI tag)",
                           .app_proto = "quic",
                           .direction = BufferDirection::kBoth,
                           .get = get_sni});
  detect::register_buffer({.name = "quic.version",
                           .help = "QUIC version field of long-header packets (4 bytes)",
                           .app_proto = "quic",
                           .direction = BufferDirection::kBoth,
                           .get = get_version});
  detect::register_buffer({.name = "quic.ua",
                           .help = "Google QUIC user agent (CHLO UAID tag)",
                           .app_proto = "quic",
                           .direction = BufferDirection::kBoth,
                           .get = get_ua});
  detect::register_buffer({.name = "quic.cyu.hash",
                           .help = "Google QUIC CYU fingerprint, MD5 hex",
                           .app_proto = "quic",
                           .direction = BufferDirection::kBoth,
                           .get_multi = get_cyu_hash});
  detect::register_buffer({.name = "quic.cyu.string",
                           .help = "Google QUIC CYU fingerprint string (version,TAG-TAG-...)",
                           .app_proto = "quic",
                           .direction = BufferDirection::kBoth,
                           .get_multi = get_cyu_string});
  return true;
}();

}  // namespace
}  // namespace seawall::quic
