// seawall: read a capture or an interface, decode, track flows, write EVE JSON.
#include <openssl/opensslv.h>
#include <pcap/pcap.h>
#include <yaml-cpp/yaml.h>

#include <csignal>
#include <cstdio>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "app/cli.h"
#include "capture/pcap_file.h"
#include "capture/pcap_live.h"
#include "config/config.h"
#include "core/counters.h"
#include "core/log.h"
#include "detect/engine/detect_engine.h"
#include "detect/keywords/keyword.h"
#include "output/eve/json_writer.h"
#include "runtime/engine.h"
#include "runtime/engine_config.h"

namespace {

using namespace seawall;

Engine* g_engine = nullptr;
CaptureSource* g_source = nullptr;

void on_signal(int) {
  if (g_engine != nullptr) g_engine->request_stop();
  if (g_source != nullptr) g_source->request_stop();
}

void print_build_info() {
  std::cout << "This is Seawall version " << SEAWALL_VERSION << "\n"
            << "Features: pcap-file pcap-live autofp eve-json community-id\n"
            << "Compiler: " << __VERSION__ << "\n"
            << "C++ standard: " << __cplusplus << "\n"
            << "libpcap: " << pcap_lib_version() << "\n"
            << "OpenSSL: " << OPENSSL_VERSION_TEXT << "\n"
#ifdef __SANITIZE_ADDRESS__
            << "Sanitizers: address\n"
#endif
            ;
}

void print_counters() {
  for (const CounterDescriptor& d : all_counters()) {
    std::cout << d.name << "\t" << d.help << "\n";
  }
}

std::string_view keyword_kind_name(detect::KeywordKind k) {
  switch (k) {
    case detect::KeywordKind::kMeta: return "meta";
    case detect::KeywordKind::kPayload: return "payload";
    case detect::KeywordKind::kModifier: return "content-modifier";
    case detect::KeywordKind::kStickyBuffer: return "sticky-buffer";
    case detect::KeywordKind::kTransform: return "transform";
    case detect::KeywordKind::kPacket: return "packet";
    case detect::KeywordKind::kPost: return "post-match";
  }
  return "?";
}

void print_keywords() {
  for (const detect::KeywordDescriptor* k : detect::all_keywords()) {
    std::cout << k->name << "\t" << keyword_kind_name(k->kind) << "\t";
    if (k->unsupported_reason.empty()) std::cout << "supported";
    else std::cout << "unsupported: " << k->unsupported_reason;
    std::cout << "\t" << k->help << "\n";
  }
}

// The rules that did not load, one JSON object per line, for tooling.
void write_failed_rules(const detect::LoadReport& report, const std::string& path) {
  std::ofstream out(path, std::ios::trunc);
  if (!out) {
    log_warning("cannot write " + path);
    return;
  }
  // The EVE JSON writer, so rule text with quotes, control bytes or invalid
  // UTF-8 is escaped exactly as in eve.json.
  std::string line;
  for (const detect::RuleFailure& f : report.failures) {
    if (f.skipped) continue;  // `requires` not met or replaced: not a failure
    line.clear();
    JsonWriter w(line);
    w.begin_object();
    w.member("file", f.file);
    w.member_int("line", f.line);
    w.member_uint("sid", f.sid);
    w.member_bool("unsupported", f.unsupported);
    w.member("keyword", f.keyword);
    w.member("reason", f.reason);
    w.end_object();
    w.sync();
    out << line << '\n';
  }
}

void print_load_report(const detect::LoadReport& r, bool verbose) {
  std::ostringstream o;
  o << r.files << " rule files, " << r.rules_seen << " rules: " << r.loaded << " loaded, "
    << r.failed << " failed, " << r.unsupported << " unsupported, " << r.skipped
    << " skipped (requires, replaced revisions) (" << r.load_seconds << " s; "
    << r.prefilter_rules << " prefiltered, " << r.ip_only_rules << " IP-only, " << r.groups
    << " groups)";
  log_notice(o.str());
  if (!r.unsupported_keywords.empty()) {
    std::vector<std::pair<size_t, std::string>> top;
    for (const auto& [k, n] : r.unsupported_keywords) top.emplace_back(n, k);
    std::sort(top.rbegin(), top.rend());
    std::ostringstream u;
    u << "unsupported keywords:";
    for (size_t i = 0; i < top.size() && i < 15; ++i) u << " " << top[i].second << " (" << top[i].first << ")";
    if (top.size() > 15) u << " and " << top.size() - 15 << " more";
    log_notice(u.str());
  }
  if (r.app_layer_skipped > 0) {
    // Loaded (valid) but inspected nowhere: their protocol has no parser here.
    std::vector<std::pair<size_t, std::string>> top;
    for (const auto& [p, n] : r.app_layer_skipped_protocols) top.emplace_back(n, p);
    std::sort(top.rbegin(), top.rend());
    std::ostringstream u;
    u << r.app_layer_skipped << " loaded rules need a protocol without a parser:";
    for (size_t i = 0; i < top.size() && i < 15; ++i) u << " " << top[i].second << " (" << top[i].first << ")";
    log_notice(u.str());
  }
  size_t shown = 0;
  for (const detect::RuleFailure& f : r.failures) {
    if (f.skipped && !verbose) continue;
    if (f.unsupported && !verbose) continue;
    if (!verbose && ++shown > 20) break;
    log_warning(f.file + ":" + std::to_string(f.line) + ": sid " + std::to_string(f.sid) + ": " + f.reason);
  }
  if (!verbose && shown > 20) log_warning("... more rule errors: see rules-failed.json or use -v");
}

void print_summary(const RunSummary& s) {
  auto value = [&](std::string_view name) { return merged_value(s.counters, name); };
  uint64_t anomalies = 0;
  for (size_t i = 0; i < all_counters().size() && i < s.counters.size(); ++i) {
    if (all_counters()[i].name.starts_with("decoder.event.")) anomalies += s.counters[i];
  }
  std::ostringstream o;
  o << "processed " << s.frames << " packets (" << s.bytes << " bytes) in " << s.seconds << " s: "
    << value("flow.total") << " flows, " << value("detect.alert") << " alerts, " << anomalies
    << " decoder anomalies, " << s.eve.lines_written
    << " EVE records";
  if (s.eve.write_errors || s.eve.bytes_spooled || s.eve.bytes_dropped) {
    o << " (EVE write errors " << s.eve.write_errors << ", bytes spooled " << s.eve.bytes_spooled
      << ", bytes dropped " << s.eve.bytes_dropped << ")";
  }
  log_notice(o.str());
}

int run(int argc, char** argv) {
  std::string error;
  auto cli = parse_cli(argc, argv, error);
  if (!cli) {
    std::cerr << "seawall: " << error << "\n" << cli_usage(argv[0]);
    return 2;
  }
  if (cli->show_help) {
    std::cout << cli_usage(argv[0]);
    return 0;
  }
  if (cli->show_version) {
    std::cout << "This is Seawall version " << SEAWALL_VERSION << "\n";
    return 0;
  }
  if (cli->show_build_info) {
    print_build_info();
    return 0;
  }
  if (cli->list_counters) {
    print_counters();
    return 0;
  }
  if (cli->list_keywords) {
    print_keywords();
    return 0;
  }
  set_log_level(static_cast<LogLevel>(std::min(static_cast<int>(LogLevel::kNotice) + cli->verbosity,
                                               static_cast<int>(LogLevel::kDebug))));

  Config config;
  LoadedSettings settings;
  try {
    if (!cli->config_path.empty()) config = Config::load_file(cli->config_path);
    for (const auto& [key, value] : cli->sets) config.set(key, value);
    // Relative rule/classification paths: from the config file's directory,
    // or the shipped etc/ directory when running on built-in defaults.
    std::string config_dir = cli->config_path.empty()
                                 ? std::string(SEAWALL_ETC_DIR)
                                 : std::filesystem::path(cli->config_path).parent_path().string();
    settings = load_engine_settings(config, config_dir);
  } catch (const std::exception& e) {
    std::cerr << "seawall: configuration error: " << e.what() << "\n";
    return 1;
  }
  for (const std::string& w : config.warnings()) log_warning(w);
  if (!cli->config_path.empty()) {
    std::string unused = config.format_unused_warning();
    if (!unused.empty()) log_warning(unused);
  }

  EngineConfig& engine_config = settings.engine;
  if (!cli->runmode.empty()) {
    engine_config.runmode = cli->runmode == "single" ? RunMode::kSingle
                            : cli->runmode == "workers" ? RunMode::kWorkers
                                                        : RunMode::kAutofp;
  }
  if (cli->threads) engine_config.threads = *cli->threads;
  if (cli->simulate_ips) {
    engine_config.ips_mode = true;
    engine_config.eve.ips_mode = true;
  }
  std::string checksum = cli->checksum_mode.empty() ? settings.checksum_mode : cli->checksum_mode;
  // "auto" follows Suricata's intent (do not flag offloaded checksums as bad):
  // validation stays off unless asked for with -k all.
  engine_config.decode.validate_checksums = checksum == "all";

  std::string log_dir = cli->log_dir.empty() ? settings.log_dir : cli->log_dir;

  // Rules: -S replaces the configured rule-files, -s adds to them; rules are
  // only loaded when some are given (the built-in defaults have none).
  // Files named on the command line are taken as given (relative to the
  // current directory); only configured rule-files use default-rule-path.
  auto from_cli = [](const std::vector<std::string>& files) {
    std::vector<std::string> out;
    for (const auto& f : files) out.push_back(std::filesystem::absolute(f).string());
    return out;
  };
  detect::DetectConfig& detect_config = settings.detect;
  if (!cli->exclusive_rule_files.empty()) detect_config.rule_files = from_cli(cli->exclusive_rule_files);
  if (cli->config_path.empty() && cli->exclusive_rule_files.empty()) {
    // No -c: only what -s names (no default rule-files to look for).
    detect_config.rule_files.clear();
  }
  for (const auto& f : from_cli(cli->extra_rule_files)) detect_config.rule_files.push_back(f);
  for (std::string* file : {&detect_config.classification_file, &detect_config.reference_file}) {
    std::error_code exists_ec;
    if (!file->empty() && !std::filesystem::exists(*file, exists_ec)) {
      log_warning("not found: " + *file + " (rule categories/references will be missing)");
      file->clear();
    }
  }
  std::unique_ptr<detect::DetectEngine> detect_engine;
  detect::LoadReport load_report;
  if (!cli->disable_detection && !detect_config.rule_files.empty()) {
    try {
      detect_engine = detect::DetectEngine::load(detect_config, load_report);
    } catch (const std::exception& e) {
      std::cerr << "seawall: rules: " << e.what() << "\n";
      return 1;
    }
    print_load_report(load_report, cli->verbosity > 0);
    engine_config.detect = detect_engine.get();
    // Suricata's counts: rules with errors or unsupported keywords failed;
    // rules loaded without their app layer are skipped (never inspected).
    EveDetectEngineInfo info;
    const auto wall = std::chrono::system_clock::now().time_since_epoch();
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(wall).count();
    info.last_reload = Timestamp{micros / 1000000, static_cast<int32_t>(micros % 1000000)};
    info.rules_loaded = load_report.loaded - load_report.app_layer_skipped;
    info.rules_failed = load_report.failed + load_report.unsupported;
    info.rules_skipped = load_report.app_layer_skipped + load_report.skipped;
    engine_config.detect_info = info;
  }

  if (cli->test_config) {
    if (!cli->log_dir.empty() && !load_report.failures.empty())
      write_failed_rules(load_report, (std::filesystem::path(log_dir) / "rules-failed.json").string());
    if (load_report.failed > 0) {
      log_error("Configuration loaded, but " + std::to_string(load_report.failed) +
                " rule(s) have errors.");
      return 1;
    }
    log_notice("Configuration provided was successfully loaded. Exiting.");
    return 0;
  }
  if (cli->pcap_path.empty() && cli->interface.empty()) {
    std::cerr << "seawall: nothing to read: give -r <pcap file or directory> or -i <interface>\n"
              << cli_usage(argv[0]);
    return 2;
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(log_dir, ec)) {
    std::cerr << "seawall: log directory " << log_dir << " does not exist or is not a directory\n";
    return 1;
  }
  engine_config.eve_sink.path = (std::filesystem::path(log_dir) / settings.eve_filename).string();
  engine_config.fast_log_sink.path =
      (std::filesystem::path(log_dir) / settings.fast_log_filename).string();
  if (!load_report.failures.empty())
    write_failed_rules(load_report, (std::filesystem::path(log_dir) / "rules-failed.json").string());

  std::unique_ptr<CaptureSource> source;
  try {
    if (!cli->pcap_path.empty()) source = std::make_unique<PcapFileSource>(cli->pcap_path, cli->bpf_filter);
    else source = std::make_unique<PcapLiveSource>(cli->interface, cli->bpf_filter);
  } catch (const std::exception& e) {
    std::cerr << "seawall: " << e.what() << "\n";
    return 1;
  }

  Engine engine(engine_config);
  g_engine = &engine;
  g_source = source.get();
  // A closed stdout/pipe must surface as a counted write error, not kill us.
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  RunSummary summary;
  try {
    summary = engine.run(*source);
  } catch (const std::exception& e) {
    std::cerr << "seawall: " << e.what() << "\n";
    return 1;
  }
  g_engine = nullptr;
  g_source = nullptr;
  print_summary(summary);
  if (source->open_failures() > 0) {
    std::cerr << "seawall: " << source->open_failures() << " input file(s) could not be read\n";
    return 1;
  }
  if (summary.eve.bytes_dropped > 0) return 3;
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return run(argc, argv); }
