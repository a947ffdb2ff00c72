#!/usr/bin/env bash
# Refreshes the built-in demo from samples/demo.scn, then rewrites samples/demo.pcap.
# Usage: tools/scenario/update_demo.sh BUILD_DIR   (rebuilds seawall-scenario there)
set -euo pipefail
build_dir=${1:?usage: $0 BUILD_DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
header="$root/tools/scenario/demo_scenario.h"
{
  cat <<'HEAD'
// The built-in "demo" description. samples/demo.scn is a verbatim copy; the tshark test
// (tests/verify/test_scenario_tshark.sh) fails when the two drift apart.
// Regenerate with tools/scenario/update_demo.sh after editing samples/demo.scn.
#pragma once

#include <string_view>

namespace seawall::scenario {

HEAD
  printf 'inline constexpr std::string_view kDemoScenario = R"SCN('
  cat "$root/samples/demo.scn"
  printf ')SCN";\n\n}  // namespace seawall::scenario\n'
} > "$header.tmp"
mv "$header.tmp" "$header"
cmake --build "$build_dir" --target seawall-scenario
"$build_dir/seawall-scenario" --builtin demo -o "$root/samples/demo.pcap"
