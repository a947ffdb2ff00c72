// SSH rule buffers and keywords (Suricata's detect-ssh-*.c):
//   ssh.proto / ssh_proto, ssh.software / ssh_software  the inspected direction's banner parts
//   ssh.hassh, ssh.hassh.string                          client fingerprint (to server)
//   ssh.hassh.server, ssh.hassh.server.string            server fingerprint (to client)
//   ssh.protoversion:<v>|2_compat, ssh.softwareversion:<s>  legacy exact-match keywords
// Registering the buffers replaces their placeholders in
// detect/buffers/app_layer_placeholders.cc.
#include <memory>
#include <string>
#include <string_view>

#include "applayer/ssh/ssh_parser.h"
#include "detect/buffers/buffer_registry.h"
#include "detect/keywords/keyword.h"

namespace seawall::applayer::ssh {

namespace {

using detect::BufferDirection;
using detect::MatchContext;

const SshTransaction* ssh_tx(const MatchContext& ctx) {
  if (ctx.tx == nullptr || ctx.tx_proto != ssh_app_proto()) return nullptr;
  return static_cast<const SshTransaction*>(ctx.tx);
}

// The side whose data is being inspected: the client's to server.
const SshSide* inspected_side(const MatchContext& ctx) {
  const SshTransaction* tx = ssh_tx(ctx);
  if (tx == nullptr) return nullptr;
  return ctx.tx_dir == 0 ? &tx->client : &tx->server;
}

bool view_of(const std::string& s, ByteView& out) {
  if (s.empty()) return false;
  out = ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  return true;
}

bool get_proto(const MatchContext& ctx, ByteView& out) {
  const SshSide* side = inspected_side(ctx);
  return side != nullptr && view_of(side->proto_version, out);
}

bool get_software(const MatchContext& ctx, ByteView& out) {
  const SshSide* side = inspected_side(ctx);
  return side != nullptr && view_of(side->software_version, out);
}

// HASSH buffers exist only in their own direction.
const SshSide* fingerprint_side(const MatchContext& ctx, bool server) {
  const SshTransaction* tx = ssh_tx(ctx);
  if (tx == nullptr || ctx.tx_dir != (server ? 1 : 0)) return nullptr;
  return server ? &tx->server : &tx->client;
}

bool get_hassh(const MatchContext& ctx, ByteView& out) {
  const SshSide* side = fingerprint_side(ctx, false);
  return side != nullptr && view_of(side->hassh, out);
}

bool get_hassh_string(const MatchContext& ctx, ByteView& out) {
  const SshSide* side = fingerprint_side(ctx, false);
  return side != nullptr && view_of(side->hassh_string, out);
}

bool get_hassh_server(const MatchContext& ctx, ByteView& out) {
  const SshSide* side = fingerprint_side(ctx, true);
  return side != nullptr && view_of(side->hassh, out);
}

bool get_hassh_server_string(const MatchContext& ctx, ByteView& out) {
  const SshSide* side = fingerprint_side(ctx, true);
  return side != nullptr && view_of(side->hassh_string, out);
}

// Suricata's SIGMATCH_QUOTES_OPTIONAL: surrounding blanks and quotes are dropped.
std::string_view option_text(std::string_view v) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  v = trim(v);
  if (!v.empty() && v.front() == '"') v.remove_prefix(1);
  if (!v.empty() && v.back() == '"') v.remove_suffix(1);
  return trim(v);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// ssh.protoversion: an exact protocol version ("2.0", "1.99") or 2_compat
// (any version starting with '2', or 1.99).
class ProtoVersionMatcher final : public detect::PacketMatcher {
 public:
  ProtoVersionMatcher(std::string version, bool compat2)
      : version_(std::move(version)), compat2_(compat2) {}
  bool match(const MatchContext& ctx) const override {
    const SshSide* side = inspected_side(ctx);
    if (side == nullptr || side->proto_version.empty()) return false;
    const std::string& v = side->proto_version;
    if (compat2_) return v[0] == '2' || v.compare(0, 4, "1.99") == 0;
    return v == version_;
  }

 private:
  std::string version_;
  bool compat2_;
};

void setup_protoversion(detect::RuleBuilder& builder, std::string_view value) {
  const std::string_view v = option_text(value);
  bool valid = v == "2_compat";
  if (!valid && !v.empty() && is_digit(v.front())) {
    valid = true;
    for (char c : v)
      if (!is_digit(c) && c != '.' && c != '-') valid = false;
  }
  if (!valid)
    throw detect::RuleError("ssh.protoversion: invalid value '" + std::string(value) +
                            "' (expected a version such as 2.0, or 2_compat)");
  builder.require_app_proto("ssh", 0);
  builder.add_packet(std::make_unique<ProtoVersionMatcher>(std::string(v), v == "2_compat"));
}

// ssh.softwareversion: the software version equals the value.
class SoftwareVersionMatcher final : public detect::PacketMatcher {
 public:
  explicit SoftwareVersionMatcher(std::string software) : software_(std::move(software)) {}
  bool match(const MatchContext& ctx) const override {
    const SshSide* side = inspected_side(ctx);
    return side != nullptr && !side->software_version.empty() &&
           side->software_version == software_;
  }

 private:
  std::string software_;
};

void setup_softwareversion(detect::RuleBuilder& builder, std::string_view value) {
  const std::string_view v = option_text(value);
  bool valid = !v.empty();
  for (char c : v) {
    const bool alnum = is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alnum && c != ':' && c != '.' && c != '-' && c != '_' && c != '+' && c != ' ' &&
        c != '\t')
      valid = false;
  }
  if (!valid)
    throw detect::RuleError("ssh.softwareversion: invalid value '" + std::string(value) + "'");
  builder.require_app_proto("ssh", 0);
  builder.add_packet(std::make_unique<SoftwareVersionMatcher>(std::string(v)));
}

const bool kRegistered = [] {
  using detect::register_buffer;
  register_buffer({.name = "ssh.proto",
                   .help = "SSH protocol version of the inspected side's banner",
                   .aliases = {"ssh_proto"},
                   .app_proto = "ssh",
                   .get = get_proto});
  register_buffer({.name = "ssh.software",
                   .help = "SSH software version of the inspected side's banner",
                   .aliases = {"ssh_software"},
                   .app_proto = "ssh",
                   .get = get_software});
  register_buffer({.name = "ssh.hassh",
                   .help = "HASSH: MD5 of the client's KEXINIT algorithm string",
                   .app_proto = "ssh",
                   .direction = BufferDirection::kToServer,
                   .get = get_hassh});
  register_buffer({.name = "ssh.hassh.string",
                   .help = "HASSH string: client kex;encryption;mac;compression lists",
                   .app_proto = "ssh",
                   .direction = BufferDirection::kToServer,
                   .get = get_hassh_string});
  register_buffer({.name = "ssh.hassh.server",
                   .help = "HASSH-server: MD5 of the server's KEXINIT algorithm string",
                   .app_proto = "ssh",
                   .direction = BufferDirection::kToClient,
                   .get = get_hassh_server});
  register_buffer({.name = "ssh.hassh.server.string",
                   .help = "HASSH-server string: server kex;encryption;mac;compression lists",
                   .app_proto = "ssh",
                   .direction = BufferDirection::kToClient,
                   .get = get_hassh_server_string});
  detect::register_keyword({.name = "ssh.protoversion",
                            .help = "SSH protocol version equals the value, or 2_compat "
                                    "(2.x or 1.99); deprecated, use ssh.proto",
                            .kind = detect::KeywordKind::kPacket,
                            .flags = detect::kValueRequired | detect::kDeprecated,
                            .setup = setup_protoversion});
  detect::register_keyword({.name = "ssh.softwareversion",
                            .help = "SSH software version equals the value; deprecated, use "
                                    "ssh.software",
                            .kind = detect::KeywordKind::kPacket,
                            .flags = detect::kValueRequired | detect::kDeprecated,
                            .setup = setup_softwareversion});
  return true;
}();

}  // namespace

}  // namespace seawall::applayer::ssh
