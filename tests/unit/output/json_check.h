// Test helper: an independent JSON oracle. Lines are written to a temp file and
// parsed by Python's json module (strict UTF-8 decoding, strict control-char
// rules), which then evaluates a small expression per test.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace seawall::test {

inline constexpr const char* kPython = "/usr/bin/python3";

inline bool python_available() { return ::access(kPython, X_OK) == 0; }

// Runs `script` with `records` bound to the list of parsed JSON lines of
// `jsonl`; returns what the script prints. On a parse error Python prints
// "PARSE-ERROR <line>: <message>".
inline std::string run_python(const std::string& jsonl, const std::string& script) {
  char path[] = "/tmp/seawall-json-XXXXXX";
  int fd = ::mkstemp(path);
  if (fd < 0) return "mkstemp failed";
  ::close(fd);
  {
    std::ofstream f(path, std::ios::binary);
    f << jsonl;
  }
  char spath[] = "/tmp/seawall-py-XXXXXX";
  int sfd = ::mkstemp(spath);
  if (sfd < 0) return "mkstemp failed";
  ::close(sfd);
  {
    std::ofstream s(spath, std::ios::binary);
    s << "import json, sys\n"
         "records = []\n"
         "with open(sys.argv[1], encoding='utf-8', errors='strict') as f:\n"
         "    for n, line in enumerate(f.read().split('\\n')[:-1], 1):\n"
         "        try:\n"
         "            records.append(json.loads(line))\n"
         "        except Exception as e:\n"
         "            print('PARSE-ERROR %d: %s' % (n, e)); sys.exit(0)\n"
      << script << "\n";
  }
  std::string cmd = std::string(kPython) + " " + spath + " " + path + " 2>&1";
  std::string out;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    ::pclose(p);
  }
  ::unlink(path);
  ::unlink(spath);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace seawall::test
