// Registers TLS with the app layer.
#include <memory>

#include "applayer/app_layer.h"
#include "applayer/tls/tls_eve.h"
#include "applayer/tls/tls_parser.h"

namespace seawall::tls {
namespace {

std::unique_ptr<applayer::ProtocolState> create_tls_state() {
  return std::make_unique<TlsState>();
}

const AppProto kTls = applayer::register_protocol({
    .name = "tls",
    .help = "TLS/SSL: handshake, certificates, JA3/JA3S/JA4",
    .tcp = true,
    .ports = {443, 465, 993, 995, 8443, 636, 853, 5061},
    .probe = probe_tls,
    .probe_min_bytes = 6,
    .create = create_tls_state,
    .eve_type = "tls",
    .log = log_tls_tx,
});

}  // namespace
}  // namespace seawall::tls
