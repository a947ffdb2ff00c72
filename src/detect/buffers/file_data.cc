// file.data (file_data): file contents extracted by the app layer.
#include "detect/buffers/buffer_registry.h"

namespace seawall::detect {

namespace {

const uint16_t kFileData = register_buffer({
    .name = "file.data",
    .help = "file contents (HTTP bodies, SMTP attachments ...)",
    .aliases = {"file_data"},
    .unsupported_reason = "needs the HTTP/SMTP file extraction (app-layer) — not yet available",
});

}  // namespace

}  // namespace seawall::detect
