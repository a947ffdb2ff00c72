// Command line, with Suricata's common flags where they mean the same thing.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace seawall {

struct CliOptions {
  std::string pcap_path;                  // -r
  std::string interface;                  // -i
  std::string config_path;                // -c
  std::string log_dir;                    // -l
  std::string checksum_mode;              // -k all|none|auto
  std::vector<std::pair<std::string, std::string>> sets;  // --set key=value
  std::string runmode;                    // --runmode single|autofp|workers
  std::optional<unsigned> threads;        // --threads N
  std::vector<std::string> exclusive_rule_files;   // -S: only these rules
  std::vector<std::string> extra_rule_files;       // -s: in addition to rule-files
  std::string bpf_filter;                 // trailing arguments or -F file
  bool test_config = false;               // -T
  int verbosity = 0;                      // -v, -vv, ...
  bool show_version = false;              // -V / --version
  bool show_build_info = false;           // --build-info
  bool list_counters = false;             // --list-counters
  bool list_keywords = false;             // --list-keywords
  bool disable_detection = false;         // --disable-detection
  bool simulate_ips = false;              // --simulate-ips
  bool show_help = false;                 // -h / --help
};

// Parses argv. On error returns std::nullopt after writing a message to `error`.
std::optional<CliOptions> parse_cli(int argc, char** argv, std::string& error);

std::string cli_usage(const char* program);

}  // namespace seawall
