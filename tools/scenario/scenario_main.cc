// seawall-scenario: writes a pcap from a scenario description (see tools/README.md).
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "scenario/scenario_writer.h"

namespace {

constexpr const char* kUsage =
    "usage: seawall-scenario FILE.scn -o OUT.pcap [--manifest OUT.tsv]\n"
    "       seawall-scenario --builtin NAME -o OUT.pcap [--manifest OUT.tsv]\n"
    "       seawall-scenario --print-builtin NAME\n"
    "\n"
    "Writes a classic pcap (Ethernet, microsecond timestamps) of the traffic described in\n"
    "FILE.scn. Output is deterministic: the same description gives the same bytes.\n"
    "  -o, --output FILE     pcap to write (required)\n"
    "  --manifest FILE       one line per frame: number, scenario line, malformed (0/1),\n"
    "                        description (tab separated)\n"
    "  --builtin NAME        use a built-in description instead of a file (NAME: demo)\n"
    "  --print-builtin NAME  print a built-in description and exit\n";

bool write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out.flush());
}

}  // namespace

int main(int argc, char** argv) {
  using namespace seawall::scenario;
  std::string input, output, manifest, builtin;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char* flag) -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "seawall-scenario: %s needs a value\n", flag);
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (arg == "-o" || arg == "--output") {
      output = value("-o");
    } else if (arg == "--manifest") {
      manifest = value("--manifest");
    } else if (arg == "--builtin") {
      builtin = value("--builtin");
    } else if (arg == "--print-builtin") {
      std::string name = value("--print-builtin");
      std::string_view text = builtin_scenario(name);
      if (text.empty()) {
        std::fprintf(stderr, "seawall-scenario: no built-in scenario '%s' (try: demo)\n",
                     name.c_str());
        return 2;
      }
      std::fwrite(text.data(), 1, text.size(), stdout);
      return 0;
    } else if (!arg.empty() && arg[0] == '-') {
      std::fprintf(stderr, "seawall-scenario: unknown option '%s'\n%s", arg.c_str(), kUsage);
      return 2;
    } else if (input.empty()) {
      input = arg;
    } else {
      std::fprintf(stderr, "seawall-scenario: more than one input file\n");
      return 2;
    }
  }
  if (output.empty() || input.empty() == builtin.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }

  std::string text, source;
  if (!builtin.empty()) {
    std::string_view t = builtin_scenario(builtin);
    if (t.empty()) {
      std::fprintf(stderr, "seawall-scenario: no built-in scenario '%s' (try: demo)\n",
                   builtin.c_str());
      return 2;
    }
    text = std::string(t);
    source = "<builtin " + builtin + ">";
  } else {
    std::ifstream in(input, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "seawall-scenario: cannot read %s\n", input.c_str());
      return 1;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    text = ss.str();
    source = input;
  }

  try {
    PcapWriter pcap;
    Scene scene(pcap);
    run_scenario(text, source, scene);
    pcap.save(output);
    if (!manifest.empty() && !write_text(manifest, scene.manifest())) {
      std::fprintf(stderr, "seawall-scenario: cannot write %s\n", manifest.c_str());
      return 1;
    }
    std::fprintf(stderr, "seawall-scenario: wrote %zu packets to %s\n", pcap.record_count(),
                 output.c_str());
  } catch (const ScenarioError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "seawall-scenario: %s\n", e.what());
    return 1;
  }
  return 0;
}
