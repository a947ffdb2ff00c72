// EVE "dns" logging options (outputs.eve-log.types.dns in suricata.yaml) and
// the record-selection rules Suricata's output-json-dns.c applies with them.
#pragma once

#include <cstdint>
#include <vector>

#include "applayer/app_layer.h"

namespace seawall::applayer::dns {

struct DnsTx;

struct DnsLogOptions {
  // 3 (Suricata 8's default): one record per message with "queries" and
  // "answers" arrays. 2 (Suricata 7's default): "query" records with the
  // first query's rrname/rrtype, "answer" records; addressed in the flow's
  // direction. SURICATA_EVE_DNS_VERSION overrides the configuration.
  int version = 3;
  bool requests = true;   // requests: yes|no (v2: "query" records)
  bool responses = true;  // responses: yes|no (v2: "answer" records)
  bool detailed = true;   // formats: [detailed, grouped]
  bool grouped = true;
  // types: [a, mx, ...]: a message is logged when one of its queries has one
  // of these record types. Empty: every type.
  std::vector<uint16_t> types;
};

// Load-time setting used by the registered logger.
const DnsLogOptions& dns_log_options();
void set_dns_log_options(const DnsLogOptions& options);

// Whether the record of `dir` is written under `options` (direction switch
// and rrtype filter).
bool record_enabled(const DnsTx& tx, Direction dir, const DnsLogOptions& options);

}  // namespace seawall::applayer::dns
