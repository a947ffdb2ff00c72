// Registers HTTP/1 with the app-layer framework.
#include "applayer/app_layer.h"
#include "applayer/http/http_eve.h"
#include "applayer/http/http_parser.h"

namespace seawall::applayer::http {

namespace {

std::unique_ptr<ProtocolState> create_state() { return std::make_unique<HttpState>(); }

const AppProto kHttp = register_protocol({
    .name = "http",
    .aliases = {"http1"},
    .help = "HTTP/0.9, 1.0 and 1.1 (requests, responses, chunked/gzip bodies)",
    .tcp = true,
    .ports = {80, 8080, 8000, 8008, 8888, 3128},
    .probe = probe_http,
    .probe_min_bytes = 1,
    .create = create_state,
    .eve_type = "http",
    .log = log_http_tx,
    .file_count = http_file_count,
    .file_direction = http_file_direction,
    .log_file = log_http_file,
});

}  // namespace

}  // namespace seawall::applayer::http
