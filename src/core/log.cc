#include "core/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

namespace seawall {
namespace {
std::atomic<int> g_level{static_cast<int>(LogLevel::kNotice)};
std::mutex g_mutex;
constexpr const char* kLevelNames[] = {"Error", "Warning", "Notice", "Info", "Debug"};
}  // namespace

void set_log_level(LogLevel level) { g_level.store(static_cast<int>(level)); }
LogLevel log_level() { return static_cast<LogLevel>(g_level.load()); }

void log_message(LogLevel level, std::string_view message) {
  if (static_cast<int>(level) > g_level.load(std::memory_order_relaxed)) return;
  std::string line;
  line.reserve(message.size() + 16);
  line += kLevelNames[static_cast<int>(level)];
  line += ": ";
  line += message;
  line += '\n';
  std::lock_guard lock(g_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace seawall
