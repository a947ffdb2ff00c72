// Registers DNS (UDP and TCP, port 53) with the app-layer framework.
#include "applayer/app_layer.h"
#include "applayer/dns/dns_parser.h"

namespace seawall::applayer::dns {
namespace {

// A side without a message (a response whose request was never seen) has no record.
bool has_record(const Transaction& tx, Direction dir) {
  return static_cast<const DnsTx&>(tx).message(dir).present;
}

const AppProto kDns = register_protocol({
    .name = "dns",
    .aliases = {},
    .help = "Domain Name System over UDP and TCP (RFC 1035)",
    .tcp = true,
    .udp = true,
    .ports = {53},
    .probe = probe,
    // A header; TCP adds its 2-byte length.
    .probe_min_bytes = static_cast<uint32_t>(kHeaderSize),
    .create = create_state,
    .eve_type = "dns",
    .log = log_tx,
    // Suricata writes a record per message: request and response separately.
    .log_per_direction = true,
    .has_record = has_record,
});

}  // namespace
}  // namespace seawall::applayer::dns
