// The TLS EVE logger (LogTxFn), shared by the protocol registration and tests.
#pragma once

#include "applayer/app_layer.h"
#include "applayer/tls/tls_parser.h"

namespace seawall::tls {

void log_tls_tx(const applayer::ProtocolState& state, const applayer::Transaction& tx,
                const applayer::LogContext& ctx, JsonWriter& w);

}  // namespace seawall::tls
