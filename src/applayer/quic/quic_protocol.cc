// Registers QUIC with the app layer.
#include "applayer/quic/quic_parser.h"

namespace seawall::quic {
namespace {

std::unique_ptr<applayer::ProtocolState> create_state() { return std::make_unique<QuicState>(); }

const AppProto kQuic = applayer::register_protocol({
    .name = "quic",
    .help = "QUIC (RFC 9000, v2, drafts) and Google QUIC: Initial handshake, SNI, JA3/JA4",
    .udp = true,
    .ports = {443},
    .probe = probe,
    // A long header needs its first byte and the 4-byte version.
    .probe_min_bytes = 5,
    .create = create_state,
    .eve_type = "quic",
    .log = log_tx,
    .log_per_direction = false,
});

}  // namespace
}  // namespace seawall::quic
