// App-layer sticky buffers that rules (ET Open, suricata-verify) use but whose
// protocol parser does not exist yet. They are registered with a reason so a
// rule using them is reported unsupported with that reason instead of failing
// as an unknown keyword. A protocol folder (src/applayer/<proto>/) replaces an
// entry here by registering the buffer with a getter.
#include <string_view>
#include <vector>

#include "detect/buffers/buffer_registry.h"

namespace seawall::detect {

namespace {

struct Placeholder {
  std::string_view name;
  std::vector<std::string_view> aliases;
  std::vector<std::string_view> modifiers;
  BufferDirection direction = BufferDirection::kBoth;
};

constexpr std::string_view kHttp = "needs the HTTP parser — not yet available";
constexpr std::string_view kDns = "needs the DNS parser — not yet available";
constexpr std::string_view kTls = "needs the TLS parser — not yet available";
constexpr std::string_view kSsh = "needs the SSH parser — not yet available";
constexpr std::string_view kQuic = "needs the QUIC parser — not yet available";
constexpr std::string_view kSip = "needs the SIP parser — not yet available";
constexpr std::string_view kSdp = "needs the SDP parser — not yet available";
constexpr std::string_view kSmtp = "needs the SMTP parser — not yet available";
constexpr std::string_view kFtp = "needs the FTP parser — not yet available";
constexpr std::string_view kSmb = "needs the SMB parser — not yet available";
constexpr std::string_view kKrb5 = "needs the KRB5 parser — not yet available";

using D = BufferDirection;

void register_group(std::string_view proto, std::string_view reason,
                    const std::vector<Placeholder>& entries) {
  for (const auto& e : entries) {
    register_buffer({.name = e.name,
                     .help = "app-layer buffer (placeholder)",
                     .aliases = e.aliases,
                     .content_modifiers = e.modifiers,
                     .app_proto = proto,
                     .direction = e.direction,
                     .unsupported_reason = reason});
  }
}

const bool kRegistered = [] {
  register_group("http", kHttp, {
      {"http.uri", {}, {"http_uri"}, D::kToServer},
      {"http.uri.raw", {}, {"http_raw_uri"}, D::kToServer},
      {"http.method", {}, {"http_method"}, D::kToServer},
      {"http.host", {}, {"http_host"}, D::kToServer},
      {"http.host.raw", {}, {"http_raw_host"}, D::kToServer},
      {"http.user_agent", {}, {"http_user_agent"}, D::kToServer},
      {"http.header", {}, {"http_header"}},
      {"http.header.raw", {}, {"http_raw_header"}},
      {"http.header_names", {"http_header_names"}, {}},
      {"http.cookie", {}, {"http_cookie"}},
      {"http.request_line", {"http_request_line"}, {}, D::kToServer},
      {"http.request_body", {}, {"http_client_body"}, D::kToServer},
      {"http.stat_code", {}, {"http_stat_code"}, D::kToClient},
      {"http.stat_msg", {}, {"http_stat_msg"}, D::kToClient},
      {"http.response_line", {"http_response_line"}, {}, D::kToClient},
      {"http.response_body", {}, {"http_server_body"}, D::kToClient},
      {"http.content_type", {"http_content_type"}, {}},
      {"http.content_len", {"http_content_len"}, {}},
      {"http.protocol", {"http_protocol"}, {}},
      {"http.start", {"http_start"}, {}},
      {"http.referer", {"http_referer"}, {}, D::kToServer},
      {"http.accept", {"http_accept"}, {}, D::kToServer},
      {"http.accept_enc", {"http_accept_enc"}, {}, D::kToServer},
      {"http.accept_lang", {"http_accept_lang"}, {}, D::kToServer},
      {"http.connection", {"http_connection"}, {}},
      {"http.location", {}, {}, D::kToClient},
      {"http.server", {}, {}, D::kToClient},
      {"http.request_header", {}, {}, D::kToServer},
      {"http.response_header", {}, {}, D::kToClient},
  });
  register_group("dns", kDns, {
      {"dns.query", {"dns_query"}, {}, D::kToServer},
      {"dns.answer.name", {}, {}},
      {"dns.queries.rrname", {}, {}},
  });
  register_group("tls", kTls, {
      {"tls.sni", {"tls_sni"}, {}, D::kToServer},
      {"tls.cert_subject", {"tls_cert_subject"}, {}, D::kToClient},
      {"tls.cert_issuer", {"tls_cert_issuer"}, {}, D::kToClient},
      {"tls.cert_serial", {"tls_cert_serial"}, {}, D::kToClient},
      {"tls.cert_fingerprint", {"tls_cert_fingerprint"}, {}, D::kToClient},
      {"tls.certs", {}, {}, D::kToClient},
      {"tls.subjectaltname", {}, {}, D::kToClient},
      {"tls.alpn", {}, {}},
      {"ja3.hash", {"ja3_hash"}, {}, D::kToServer},
      {"ja3.string", {"ja3_string"}, {}, D::kToServer},
      {"ja3s.hash", {}, {}, D::kToClient},
      {"ja3s.string", {}, {}, D::kToClient},
      {"ja4.hash", {}, {}, D::kToServer},
  });
  register_group("ssh", kSsh, {
      {"ssh.proto", {"ssh_proto"}, {}},
      {"ssh.software", {"ssh_software"}, {}},
      {"ssh.hassh", {}, {}, D::kToServer},
      {"ssh.hassh.string", {}, {}, D::kToServer},
      {"ssh.hassh.server", {}, {}, D::kToClient},
      {"ssh.hassh.server.string", {}, {}, D::kToClient},
  });
  register_group("quic", kQuic, {
      {"quic.sni", {}, {}},
      {"quic.version", {}, {}},
      {"quic.ua", {}, {}},
      {"quic.cyu.hash", {}, {}},
      {"quic.cyu.string", {}, {}},
  });
  register_group("sip", kSip, {
      {"sip.method", {}, {}, D::kToServer},
      {"sip.uri", {}, {}, D::kToServer},
      {"sip.protocol", {}, {}},
      {"sip.stat_code", {}, {}, D::kToClient},
      {"sip.stat_msg", {}, {}, D::kToClient},
      {"sip.request_line", {}, {}, D::kToServer},
      {"sip.response_line", {}, {}, D::kToClient},
      {"sip.from", {}, {}},
      {"sip.to", {}, {}},
      {"sip.via", {}, {}},
      {"sip.user_agent", {}, {}},
      {"sip.content_type", {}, {}},
      {"sip.content_length", {}, {}},
  });
  register_group("sdp", kSdp, {
      {"sdp.origin", {}, {}}, {"sdp.session_name", {}, {}}, {"sdp.session_info", {}, {}},
      {"sdp.uri", {}, {}}, {"sdp.email", {}, {}}, {"sdp.phone_number", {}, {}},
      {"sdp.connection_data", {}, {}}, {"sdp.bandwidth", {}, {}}, {"sdp.time", {}, {}},
      {"sdp.repeat_time", {}, {}}, {"sdp.timezone", {}, {}}, {"sdp.encryption_key", {}, {}},
      {"sdp.attribute", {}, {}}, {"sdp.media.media", {}, {}},
      {"sdp.media.media_info", {}, {}}, {"sdp.media.connection_data", {}, {}},
      {"sdp.media.encryption_key", {}, {}},
  });
  register_group("smtp", kSmtp, {
      {"smtp.helo", {}, {}, D::kToServer},
      {"smtp.mail_from", {}, {}, D::kToServer},
      {"smtp.rcpt_to", {}, {}, D::kToServer},
  });
  register_group("ftp", kFtp, {
      {"ftp.command", {}, {}, D::kToServer},
      {"ftp.command_data", {}, {}, D::kToServer},
  });
  register_group("smb", kSmb, {
      {"smb.named_pipe", {}, {}},
      {"smb.share", {}, {}},
      {"smb.ntlmssp_user", {}, {}},
      {"smb.ntlmssp_domain", {}, {}},
  });
  register_group("krb5", kKrb5, {
      {"krb5.cname", {}, {}},
      {"krb5.sname", {}, {}},
  });
  return true;
}();

}  // namespace

}  // namespace seawall::detect
