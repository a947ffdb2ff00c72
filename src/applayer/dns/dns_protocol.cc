// Registers DNS (UDP and TCP, port 53) with the app-layer framework.
#include "applayer/app_layer.h"
#include "applayer/dns/dns_eve.h"
#include "applayer/dns/dns_parser.h"

namespace seawall::applayer::dns {
namespace {

// A transaction has the record of its one message, unless the logging
// options (requests/responses, rrtype filter) leave it out.
bool has_record(const Transaction& tx, Direction dir) {
  return record_enabled(static_cast<const DnsTx&>(tx), dir, dns_log_options());
}

// Suricata 8 addresses version 3 responses from the server; version 2
// records keep the flow's direction.
bool log_in_packet_direction(Direction dir) {
  return dir == Direction::kToClient && dns_log_options().version != 2;
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
    .log_in_packet_direction = log_in_packet_direction,
});

}  // namespace
}  // namespace seawall::applayer::dns
