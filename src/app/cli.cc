#include "app/cli.h"

#include <getopt.h>

#include <fstream>
#include <sstream>

namespace seawall {
namespace {

enum LongOnly {
  kOptSet = 1000,
  kOptRunmode,
  kOptThreads,
  kOptBuildInfo,
  kOptListCounters,
  kOptDisableDetection,
  kOptSimulateIps,
  kOptListKeywords,
};

bool parse_unsigned(const char* text, unsigned& out) {
  char* end = nullptr;
  unsigned long v = std::strtoul(text, &end, 10);
  if (end == text || *end != '\0' || v > 4096) return false;
  out = static_cast<unsigned>(v);
  return true;
}

}  // namespace

std::string cli_usage(const char* program) {
  std::ostringstream o;
  o << "Usage: " << program << " [options] [bpf filter]\n"
    << "\n"
    << "  -r <path>                 read a pcap/pcapng file, or every capture in a directory\n"
    << "  -i <interface>            capture live from an interface (libpcap)\n"
    << "  -c <file>                 YAML configuration (Suricata's suricata.yaml is accepted)\n"
    << "  -l <dir>                  default log directory (eve.json is written there)\n"
    << "  -k <all|none|auto>        checksum validation\n"
    << "  -F <file>                 read the BPF filter from a file\n"
    << "  -T                        test the configuration and exit\n"
    << "  -v                        more verbose (repeat for more)\n"
    << "  -S <file> / -s <file>     rule files (exclusive / additional)\n"
    << "  --set <key>=<value>       override a configuration value\n"
    << "  --runmode <mode>          single, autofp or workers\n"
    << "  --threads <n>             worker threads (default: one per core)\n"
    << "  --disable-detection       run without the detection engine\n"
    << "  --simulate-ips            IPS mode on pcap input: drop/reject rules block packets\n"
    << "  --list-counters           list every statistics counter with its meaning\n"
    << "  --list-keywords           list every rule keyword, whether it is supported, and its meaning\n"
    << "  --build-info              show build information\n"
    << "  -V, --version             show the version\n"
    << "  -h, --help                this help\n";
  return o.str();
}

std::optional<CliOptions> parse_cli(int argc, char** argv, std::string& error) {
  static const option kLong[] = {
      {"set", required_argument, nullptr, kOptSet},
      {"runmode", required_argument, nullptr, kOptRunmode},
      {"threads", required_argument, nullptr, kOptThreads},
      {"build-info", no_argument, nullptr, kOptBuildInfo},
      {"list-counters", no_argument, nullptr, kOptListCounters},
      {"disable-detection", no_argument, nullptr, kOptDisableDetection},
      {"simulate-ips", no_argument, nullptr, kOptSimulateIps},
      {"list-keywords", no_argument, nullptr, kOptListKeywords},
      {"version", no_argument, nullptr, 'V'},
      {"help", no_argument, nullptr, 'h'},
      {nullptr, 0, nullptr, 0},
  };
  CliOptions o;
  std::string bpf_file;
  optind = 1;
  opterr = 0;
  int c;
  while ((c = getopt_long(argc, argv, "+r:i:c:l:k:F:S:s:TvVh", kLong, nullptr)) != -1) {
    switch (c) {
      case 'r': o.pcap_path = optarg; break;
      case 'i': o.interface = optarg; break;
      case 'c': o.config_path = optarg; break;
      case 'l': o.log_dir = optarg; break;
      case 'k': {
        std::string v = optarg;
        if (v != "all" && v != "none" && v != "auto") {
          error = "-k: expected all, none or auto, got '" + v + "'";
          return std::nullopt;
        }
        o.checksum_mode = v;
        break;
      }
      case 'F': bpf_file = optarg; break;
      case 'S': o.exclusive_rule_files.push_back(optarg); break;
      case 's': o.extra_rule_files.push_back(optarg); break;
      case 'T': o.test_config = true; break;
      case 'v': ++o.verbosity; break;
      case 'V': o.show_version = true; break;
      case 'h': o.show_help = true; break;
      case kOptSet: {
        std::string kv = optarg;
        auto eq = kv.find('=');
        if (eq == std::string::npos || eq == 0) {
          error = "--set: expected key=value, got '" + kv + "'";
          return std::nullopt;
        }
        o.sets.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
        break;
      }
      case kOptRunmode: {
        std::string v = optarg;
        if (v != "single" && v != "autofp" && v != "workers") {
          error = "--runmode: expected single, autofp or workers, got '" + v + "'";
          return std::nullopt;
        }
        o.runmode = v;
        break;
      }
      case kOptThreads: {
        unsigned n = 0;
        if (!parse_unsigned(optarg, n) || n == 0) {
          error = std::string("--threads: expected a number from 1 to 4096, got '") + optarg + "'";
          return std::nullopt;
        }
        o.threads = n;
        break;
      }
      case kOptBuildInfo: o.show_build_info = true; break;
      case kOptListCounters: o.list_counters = true; break;
      case kOptDisableDetection: o.disable_detection = true; break;
      case kOptSimulateIps: o.simulate_ips = true; break;
      case kOptListKeywords: o.list_keywords = true; break;
      case '?':
      default:
        if (optopt != 0 && optopt < 256) {
          error = std::string("option -") + static_cast<char>(optopt) +
                  (std::string("r:i:c:l:k:F:S:s:").find(static_cast<char>(optopt)) != std::string::npos
                       ? " requires an argument"
                       : " is unknown");
        } else {
          error = std::string("unknown option '") + argv[optind - 1] + "'";
        }
        return std::nullopt;
    }
  }
  for (int i = optind; i < argc; ++i) {
    if (!o.bpf_filter.empty()) o.bpf_filter += ' ';
    o.bpf_filter += argv[i];
  }
  if (!bpf_file.empty()) {
    if (!o.bpf_filter.empty()) {
      error = "-F and a filter on the command line are exclusive";
      return std::nullopt;
    }
    std::ifstream in(bpf_file);
    if (!in) {
      error = "-F: cannot read BPF filter file " + bpf_file;
      return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    o.bpf_filter = text.str();
    while (!o.bpf_filter.empty() && (o.bpf_filter.back() == '\n' || o.bpf_filter.back() == ' '))
      o.bpf_filter.pop_back();
  }
  if (!o.pcap_path.empty() && !o.interface.empty()) {
    error = "-r and -i are exclusive";
    return std::nullopt;
  }
  return o;
}

}  // namespace seawall
