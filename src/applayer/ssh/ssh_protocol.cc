// Registers SSH with the app layer: TCP, port 22 first, and the "SSH-" probe
// in either direction so SSH on any other port is found too.
#include <memory>

#include "applayer/app_layer.h"
#include "applayer/ssh/ssh_parser.h"

namespace seawall::applayer::ssh {

namespace {

std::unique_ptr<ProtocolState> create_state() { return std::make_unique<SshState>(); }

// Suricata writes no ssh record for a side without a banner.
bool has_record(const Transaction& tx, Direction dir) {
  return static_cast<const SshTransaction&>(tx).side(dir).banner_done;
}

const AppProto kSshProto = register_protocol({
    .name = "ssh",
    .help = "SSH banners and key exchange (KEXINIT algorithms, HASSH) up to NEWKEYS",
    .tcp = true,
    .ports = {22},
    .probe = probe_ssh,
    .probe_min_bytes = 4,
    .create = create_state,
    .eve_type = "ssh",
    .log = log_ssh,
    .has_record = has_record,
});

}  // namespace

AppProto ssh_app_proto() {
  static const AppProto id = find_app_proto("ssh");
  return id;
}

}  // namespace seawall::applayer::ssh
