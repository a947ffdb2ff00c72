#include "runtime/engine_config.h"

#include "applayer/dns/dns_eve.h"
#include "applayer/dns/dns_parser.h"
#include "applayer/http/http_eve.h"
#include "applayer/http/http_parser.h"
#include "applayer/ssh/ssh_parser.h"

#include <cstdlib>
#include <optional>
#include <filesystem>
#include <string_view>

namespace seawall {
namespace {

void read_timeouts(const Config& c, const std::string& proto, FlowTimeouts& t) {
  const std::string base = "flow-timeouts." + proto + ".";
  auto get = [&](const char* key, uint32_t fallback) {
    return static_cast<uint32_t>(c.get_int(base + key, fallback, 0, 86400 * 365));
  };
  t.new_timeout = get("new", t.new_timeout);
  t.established = get("established", t.established);
  t.closed = get("closed", t.closed);
  t.bypassed = get("bypassed", t.bypassed);
  t.emergency_new = get("emergency-new", t.emergency_new);
  t.emergency_established = get("emergency-established", t.emergency_established);
  t.emergency_closed = get("emergency-closed", t.emergency_closed);
  t.emergency_bypassed = get("emergency-bypassed", t.emergency_bypassed);
}

// First port of a Suricata port value ("4789", "[4789, 8472]", 4789, or a
// port-group variable such as $VXLAN_PORTS).
uint16_t read_tunnel_port(const Config& c, const std::map<std::string, std::string>& port_groups,
                          const std::string& prefix, uint16_t fallback) {
  if (!c.get_bool(prefix + ".enabled", fallback != 0)) return 0;
  auto node = c.find(prefix + ".ports");
  if (!node || node->is_null()) return fallback;
  std::string text;
  if (node->is_sequence()) {
    if (node->size() == 0) return fallback;
    text = node->item(0).scalar();
  } else {
    text = node->scalar();
  }
  if (!text.empty() && text[0] == '$') {
    auto var = port_groups.find(text.substr(1));
    if (var == port_groups.end()) node->fail("unknown port variable '" + text + "'");
    text = var->second;
  }
  std::string digits;
  for (char ch : text) {
    if (ch >= '0' && ch <= '9') digits += ch;
    else if (!digits.empty()) break;
  }
  long v = digits.empty() ? -1 : std::strtol(digits.c_str(), nullptr, 10);
  if (v <= 0 || v > 65535) node->fail("expected a UDP port number, got '" + text + "'");
  return static_cast<uint16_t>(v);
}

// SURICATA_EVE_DNS_VERSION (Suricata's override of the configured version).
int dns_version_from_env(int configured) {
  const char* env = std::getenv("SURICATA_EVE_DNS_VERSION");
  if (env == nullptr) return configured;
  const std::string v = env;
  if (v == "2") return 2;
  if (v == "3") return 3;
  return configured;
}

// outputs.eve-log.types.dns: version, requests/responses, formats, types.
applayer::dns::DnsLogOptions read_dns_log_options(const std::optional<ConfigNode>& node) {
  applayer::dns::DnsLogOptions dns;
  if (node && node->is_map()) {
    if (auto version = node->find("version")) {
      const std::string v = version->scalar();
      if (v == "2") dns.version = 2;
      else if (v == "3") dns.version = 3;
      else version->fail("expected DNS log version 2 or 3, got '" + v + "'");
    }
    // "query"/"answer" are the older spellings of requests/responses.
    dns.requests = node->get_bool("requests", node->get_bool("query", true));
    dns.responses = node->get_bool("responses", node->get_bool("answer", true));
    if (auto formats = node->find("formats"); formats && formats->is_sequence() &&
                                               formats->size() > 0) {
      dns.detailed = dns.grouped = false;
      for (size_t i = 0; i < formats->size(); ++i) {
        const std::string f = formats->item(i).scalar();
        if (f == "detailed") dns.detailed = true;
        else if (f == "grouped") dns.grouped = true;
        else formats->item(i).fail("expected detailed or grouped, got '" + f + "'");
      }
    }
    if (auto types = node->find("types"); types && types->is_sequence()) {
      for (size_t i = 0; i < types->size(); ++i) {
        const std::string t = types->item(i).scalar();
        uint16_t rrtype = 0;
        if (!applayer::dns::rrtype_from_name(t, rrtype))
          types->item(i).fail("unknown DNS record type '" + t + "'");
        dns.types.push_back(rrtype);
      }
    }
  }
  dns.version = dns_version_from_env(dns.version);
  return dns;
}

void read_eve(const Config& c, LoadedSettings& s) {
  {
    // No file hashing unless outputs.eve-log.types.files.force-hash asks.
    applayer::http::HttpConfig http = applayer::http::http_config();
    http.file_hashes = {};
    applayer::http::set_http_config(http);
  }
  EveConfig& eve = s.engine.eve;
  applayer::dns::set_dns_log_options(read_dns_log_options(std::nullopt));
  auto out = c.find("outputs");
  if (!out) return;  // no outputs section: built-in defaults (everything on)
  auto log = c.find("outputs.eve-log");
  if (!log) {
    eve.enabled = false;
    return;
  }
  eve.enabled = log->get_bool("enabled", true);
  std::string filetype = log->get_string("filetype", "regular");
  if (filetype == "file") filetype = "regular";
  if (filetype != "regular") {
    auto ft = log->find("filetype");
    ft->fail("filetype '" + filetype + "' is not supported (supported: regular)");
  }
  s.eve_filename = log->get_string("filename", "eve.json");
  s.engine.eve_sink.append = log->get_bool("append", true);
  eve.community_id = log->get_bool("community-id", eve.community_id);
  eve.ipv6_compress = log->get_bool("ipv6-compress", eve.ipv6_compress);
  eve.community_id_seed =
      static_cast<uint16_t>(log->get_int("community-id-seed", eve.community_id_seed, 0, 65535));
  eve.ethernet = log->get_bool("ethernet", eve.ethernet);
  eve.include_pcap_filename = log->get_bool("pcap-file", eve.include_pcap_filename);

  auto types = log->find("types");
  if (!types || types->is_null()) return;  // Suricata logs nothing without types; keep ours on
  eve.flow = types->find("flow").has_value();
  eve.anomaly = false;
  eve.stats = false;
  if (auto anomaly = types->find("anomaly")) {
    eve.anomaly = anomaly->get_bool("enabled", true);
    eve.anomaly_decode = anomaly->get_bool("types.decode", true);
    eve.anomaly_stream = anomaly->get_bool("types.stream", true);
    eve.anomaly_applayer = anomaly->get_bool("types.applayer", true);
  }
  if (auto stats = types->find("stats")) {
    eve.stats = true;
    eve.stats_totals = stats->get_bool("totals", true);
    eve.stats_threads = stats->get_bool("threads", false);
    eve.stats_deltas = stats->get_bool("deltas", false);
  }
  eve.alert = false;
  if (auto alert = types->find("alert")) {
    eve.alert = true;
    if (alert->is_map()) {
      // metadata: yes|no, or Suricata's map form
      //   metadata: {rule: {metadata: yes, raw: no, reference: no}, ...}
      auto metadata = alert->find("metadata");
      if (metadata && metadata->is_map()) {
        if (auto rule = metadata->find("rule")) {
          eve.alert_metadata = rule->get_bool("metadata", true);
          eve.alert_rule = rule->get_bool("raw", false);
          eve.alert_references = rule->get_bool("reference", false);
        }
      } else {
        eve.alert_metadata = alert->get_bool("metadata", true);
      }
      eve.alert_payload = alert->get_bool("payload", false);
      eve.alert_payload_printable = alert->get_bool("payload-printable", false);
      eve.alert_packet = alert->get_bool("packet", false);
      eve.alert_tagged_packets = alert->get_bool("tagged-packets", false);
      eve.alert_verdict = alert->get_bool("verdict", false);
    }
  }
  // drop records (written in IPS mode only): alerts, flows: start|all, verdict.
  eve.drop = false;
  if (auto drop = types->find("drop")) {
    eve.drop = true;
    if (drop->is_map()) {
      eve.drop_alerts = drop->get_bool("alerts", false);
      eve.drop_verdict = drop->get_bool("verdict", false);
      const std::string flows = drop->get_string("flows", "start");
      if (flows != "start" && flows != "all")
        drop->find("flows")->fail("expected start or all, got '" + flows + "'");
      eve.drop_flows_all = flows == "all";
    }
  }
  // Other event types: app-layer records (dns, http, tls, ...), logged when listed.
  eve.app_all = false;
  eve.app_types.clear();
  for (const std::string& name : types->keys()) {
    if (name == "flow" || name == "anomaly" || name == "stats" || name == "alert" ||
        name == "drop")
      continue;
    auto type = types->find(name);  // listed types are a request, not an unused key
    eve.app_types.push_back(name);
    if (name == "files" && type && type->is_map()) {
      // force-hash: [md5, sha1, sha256] (Suricata's FileForceHashParseCfg).
      applayer::http::HttpConfig http = applayer::http::http_config();
      for (const std::string& algo : type->get_string_list("force-hash")) {
        if (algo == "md5") http.file_hashes.md5 = true;
        else if (algo == "sha1") http.file_hashes.sha1 = true;
        else if (algo == "sha256") http.file_hashes.sha256 = true;
        else type->find("force-hash")->fail("unknown hash '" + algo + "' (md5, sha1, sha256)");
      }
      applayer::http::set_http_config(http);
    }
    if (name == "http" && type && type->is_map()) {
      applayer::http::HttpLogOptions http;
      http.extended = type->get_bool("extended", http.extended);
      const std::string dump = type->get_string("dump-all-headers", "none");
      if (dump == "both" || dump == "request") http.request_headers = true;
      if (dump == "both" || dump == "response") http.response_headers = true;
      if (dump != "none" && dump != "both" && dump != "request" && dump != "response")
        type->find("dump-all-headers")->fail("expected none, request, response or both");
      applayer::http::set_http_log_options(http);
    }
    if (name == "dns") applayer::dns::set_dns_log_options(read_dns_log_options(type));
  }
}

std::string resolve(const std::string& path, const std::string& dir) {
  if (path.empty() || dir.empty() || std::filesystem::path(path).is_absolute()) return path;
  return (std::filesystem::path(dir) / path).string();
}

// stream.*, defrag.* and app-layer.* (Suricata's keys and defaults).
void read_stream_and_app_layer(const Config& c, EngineConfig& e) {
  stream::StreamConfig& st = e.stream;
  st.memcap = c.get_size("stream.memcap", st.memcap);
  st.reassembly_memcap = c.get_size("stream.reassembly.memcap", st.reassembly_memcap);
  st.reassembly_depth =
      static_cast<uint32_t>(std::min<uint64_t>(c.get_size("stream.reassembly.depth",
                                                          st.reassembly_depth), UINT32_MAX));
  st.midstream = c.get_bool("stream.midstream", st.midstream);
  st.async_oneside = c.get_bool("stream.async-oneside", st.async_oneside);
  // Raw stream inspection keeps this much of each direction before a
  // packet's new bytes (Suricata's raw inspection chunk sizes).
  st.raw_lookback[0] = static_cast<uint32_t>(
      c.get_int("stream.reassembly.toserver-chunk-size", st.raw_lookback[0], 0, 65536));
  st.raw_lookback[1] = static_cast<uint32_t>(
      c.get_int("stream.reassembly.toclient-chunk-size", st.raw_lookback[1], 0, 65536));
  // host-os-policy (per-address OS policies) is not applied yet: every
  // host gets stream.reassembly's default policy (Suricata's default: bsd).

  stream::DefragConfig& df = e.defrag;
  e.defrag_enabled = c.get_bool("defrag.enabled", true);
  df.memcap = c.get_size("defrag.memcap", df.memcap);
  df.max_trackers = static_cast<uint32_t>(c.get_int("defrag.trackers", df.max_trackers, 1, 1 << 24));
  df.max_frags = static_cast<uint32_t>(c.get_int("defrag.max-frags", df.max_frags, 1, 1 << 24));
  df.timeout = static_cast<uint32_t>(c.get_int("defrag.timeout", df.timeout, 1, 86400));
  if (auto policy = c.find("defrag.policy")) {
    const std::string name = policy->scalar();
    if (!stream::parse_defrag_policy(name, df.policy)) policy->fail("unknown defrag policy '" + name + "'");
  }

  // Seawall's own switch (no Suricata equivalent): no TCP reassembly and no
  // app-layer parsing at all, for decode + flow only runs and benchmarks.
  e.app_layer_enabled = c.get_bool("app-layer.enabled", true);
  applayer::ssh::set_hassh_logging(c.get_bool("app-layer.protocols.ssh.hassh", false));
  applayer::http::HttpConfig http = {};
  // Set from outputs.eve-log.types.files by read_eve.
  http.file_hashes = applayer::http::http_config().file_hashes;
  const std::string libhtp = "app-layer.protocols.http.libhtp.default-config.";
  http.request_body_limit = static_cast<uint32_t>(std::min<uint64_t>(
      c.get_size(libhtp + "request-body-limit", http.request_body_limit), UINT32_MAX));
  http.response_body_limit = static_cast<uint32_t>(std::min<uint64_t>(
      c.get_size(libhtp + "response-body-limit", http.response_body_limit), UINT32_MAX));
  http.decompress_layer_limit = static_cast<uint32_t>(c.get_int(
      libhtp + "response-body-decompress-layer-limit", http.decompress_layer_limit, 0, 1000));
  applayer::http::set_http_config(http);

  // app-layer.protocols.<name>.enabled: yes | no | detection-only.
  if (auto protocols = c.find("app-layer.protocols"); protocols && protocols->is_map()) {
    for (const std::string& name : protocols->keys()) {
      auto proto = protocols->find(name);
      if (!proto || !proto->is_map()) continue;
      auto enabled = proto->find("enabled");
      if (!enabled || !enabled->is_scalar()) continue;
      const std::string value = enabled->scalar();
      if (value == "no" || value == "false") e.app_layer.disabled.push_back(name);
      else if (value != "yes" && value != "true" && value != "detection-only")
        enabled->fail("expected yes, no or detection-only, got '" + value + "'");
    }
  }
}

void read_detect(const Config& c, const std::string& config_dir, LoadedSettings& s) {
  detect::DetectConfig& d = s.detect;
  d.default_rule_path = resolve(c.get_string("default-rule-path", ""), config_dir);
  d.rule_files = c.get_string_list("rule-files");
  d.classification_file =
      resolve(c.get_string("classification-file", "classification.config"), config_dir);
  d.reference_file = resolve(c.get_string("reference-config-file", "reference.config"), config_dir);
  d.threshold_file = resolve(c.get_string("threshold-file", ""), config_dir);
  d.packet_alert_max = static_cast<uint32_t>(c.get_int("packet-alert-max", 15, 1, 15));
  if (auto order = c.find("action-order")) {
    try {
      d.action_order = detect::parse_action_order(c.get_string_list("action-order"));
    } catch (const std::invalid_argument& e) {
      order->fail(e.what());
    }
  }
  d.address_vars = s.address_groups;
  d.port_vars = s.port_groups;
  if (auto fast = c.find("outputs.fast")) {
    s.engine.fast_log = fast->get_bool("enabled", true);
    s.fast_log_filename = fast->get_string("filename", "fast.log");
    s.engine.fast_log_sink.append = fast->get_bool("append", true);
  }
}

}  // namespace

LoadedSettings load_engine_settings(const Config& c, const std::string& config_dir) {
  LoadedSettings s;
  EngineConfig& e = s.engine;

  s.log_dir = c.get_string("default-log-dir", ".");

  std::string runmode = c.get_string("runmode", "autofp");
  if (runmode == "single") e.runmode = RunMode::kSingle;
  else if (runmode == "autofp") e.runmode = RunMode::kAutofp;
  else if (runmode == "workers") e.runmode = RunMode::kWorkers;
  else c.find("runmode")->fail("expected single, autofp or workers, got '" + runmode + "'");

  e.detect_thread_ratio = c.get_double("threading.detect-thread-ratio", 1.0);
  if (e.detect_thread_ratio <= 0 || e.detect_thread_ratio > 64)
    c.find("threading.detect-thread-ratio")->fail("expected a ratio between 0 and 64");

  e.stats_enabled = c.get_bool("stats.enabled", true);
  e.stats_interval_seconds = static_cast<uint32_t>(c.get_int("stats.interval", 8, 0, 86400));

  read_eve(c, s);

  FlowConfig& f = e.flow;
  f.memcap = c.get_size("flow.memcap", f.memcap);
  if (f.memcap < 1024 * 1024) c.find("flow.memcap")->fail("must be at least 1mb");
  f.hash_size = static_cast<uint32_t>(c.get_int("flow.hash-size", f.hash_size, 1, 1 << 28));
  f.prealloc = static_cast<uint32_t>(c.get_int("flow.prealloc", f.prealloc, 0, 1 << 28));
  f.emergency_recovery =
      static_cast<uint32_t>(c.get_int("flow.emergency-recovery", f.emergency_recovery, 1, 100));
  f.use_vlan_for_tracking = c.get_bool("vlan.use-for-tracking", f.use_vlan_for_tracking);
  read_timeouts(c, "default", f.default_timeouts);
  read_timeouts(c, "tcp", f.tcp);
  read_timeouts(c, "udp", f.udp);
  read_timeouts(c, "icmp", f.icmp);
  read_timeouts(c, "sctp", f.sctp);

  // Address and port groups: rules ($HOME_NET, $HTTP_PORTS) and the port
  // variables used by decoder settings below.
  s.address_groups = c.address_groups();
  s.port_groups = c.port_groups();
  // Suricata's default vars, for whatever the configuration leaves out (and
  // for runs without -c), so stock rulesets load as they do with Suricata.
  static const std::pair<const char*, const char*> kDefaultAddressGroups[] = {
      {"HOME_NET", "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]"},
      {"EXTERNAL_NET", "!$HOME_NET"},
      {"HTTP_SERVERS", "$HOME_NET"}, {"SMTP_SERVERS", "$HOME_NET"}, {"SQL_SERVERS", "$HOME_NET"},
      {"DNS_SERVERS", "$HOME_NET"}, {"TELNET_SERVERS", "$HOME_NET"}, {"AIM_SERVERS", "$EXTERNAL_NET"},
      {"DC_SERVERS", "$HOME_NET"}, {"DNP3_SERVER", "$HOME_NET"}, {"DNP3_CLIENT", "$HOME_NET"},
      {"MODBUS_CLIENT", "$HOME_NET"}, {"MODBUS_SERVER", "$HOME_NET"}, {"ENIP_CLIENT", "$HOME_NET"},
      {"ENIP_SERVER", "$HOME_NET"}};
  static const std::pair<const char*, const char*> kDefaultPortGroups[] = {
      {"HTTP_PORTS", "80"}, {"SHELLCODE_PORTS", "!80"}, {"ORACLE_PORTS", "1521"},
      {"SSH_PORTS", "22"}, {"DNP3_PORTS", "20000"}, {"MODBUS_PORTS", "502"},
      {"FILE_DATA_PORTS", "[$HTTP_PORTS,110,143]"}, {"FTP_PORTS", "21"}, {"GENEVE_PORTS", "6081"},
      {"VXLAN_PORTS", "4789"}, {"TEREDO_PORTS", "3544"}};
  for (const auto& [name, value] : kDefaultAddressGroups) s.address_groups.emplace(name, value);
  for (const auto& [name, value] : kDefaultPortGroups) s.port_groups.emplace(name, value);

  DecodeOptions& d = e.decode;
  d.use_vlan_for_tracking = f.use_vlan_for_tracking;
  d.teredo_port = read_tunnel_port(c, s.port_groups, "decoder.teredo", d.teredo_port);
  d.vxlan_port = read_tunnel_port(c, s.port_groups, "decoder.vxlan", d.vxlan_port);
  d.geneve_port = read_tunnel_port(c, s.port_groups, "decoder.geneve", d.geneve_port);
  d.gtpu_port = read_tunnel_port(c, s.port_groups, "decoder.gtpu", d.gtpu_port);
  d.mpls_over_udp_port = read_tunnel_port(c, s.port_groups, "decoder.mpls-over-udp", d.mpls_over_udp_port);
  d.gre_over_udp_port = read_tunnel_port(c, s.port_groups, "decoder.gre-over-udp", d.gre_over_udp_port);

  read_stream_and_app_layer(c, e);
  read_detect(c, config_dir, s);

  s.checksum_mode = c.get_string("pcap-file.checksum-checks", "auto");
  if (s.checksum_mode == "yes") s.checksum_mode = "all";
  if (s.checksum_mode == "no") s.checksum_mode = "none";
  if (s.checksum_mode != "auto" && s.checksum_mode != "all" && s.checksum_mode != "none")
    c.find("pcap-file.checksum-checks")->fail("expected yes, no or auto, got '" + s.checksum_mode + "'");
  return s;
}

}  // namespace seawall
