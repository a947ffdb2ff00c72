// seawall: read a capture or an interface, decode, track flows, write EVE JSON.
#include <openssl/opensslv.h>
#include <pcap/pcap.h>
#include <yaml-cpp/yaml.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>

#include "app/cli.h"
#include "capture/pcap_file.h"
#include "capture/pcap_live.h"
#include "config/config.h"
#include "core/counters.h"
#include "core/log.h"
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

void print_summary(const RunSummary& s) {
  auto value = [&](std::string_view name) { return merged_value(s.counters, name); };
  uint64_t anomalies = 0;
  for (size_t i = 0; i < all_counters().size() && i < s.counters.size(); ++i) {
    if (all_counters()[i].name.starts_with("decoder.event.")) anomalies += s.counters[i];
  }
  std::ostringstream o;
  o << "processed " << s.frames << " packets (" << s.bytes << " bytes) in " << s.seconds << " s: "
    << value("flow.total") << " flows, " << anomalies << " decoder anomalies, " << s.eve.lines_written
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
  set_log_level(static_cast<LogLevel>(std::min(static_cast<int>(LogLevel::kNotice) + cli->verbosity,
                                               static_cast<int>(LogLevel::kDebug))));

  if (!cli->rule_files.empty() && !cli->disable_detection) {
    std::cerr << "seawall: -S/-s: this build has no detection engine yet; "
                 "run without rules or add --disable-detection\n";
    return 2;
  }

  Config config;
  LoadedSettings settings;
  try {
    if (!cli->config_path.empty()) config = Config::load_file(cli->config_path);
    for (const auto& [key, value] : cli->sets) config.set(key, value);
    settings = load_engine_settings(config);
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
  std::string checksum = cli->checksum_mode.empty() ? settings.checksum_mode : cli->checksum_mode;
  // "auto" follows Suricata's intent (do not flag offloaded checksums as bad):
  // validation stays off unless asked for with -k all.
  engine_config.decode.validate_checksums = checksum == "all";

  std::string log_dir = cli->log_dir.empty() ? settings.log_dir : cli->log_dir;
  if (cli->test_config) {
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
