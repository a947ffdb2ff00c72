// Process log on stderr (operator messages, not EVE). Thread-safe, line-atomic.
#pragma once

#include <string_view>

namespace seawall {

enum class LogLevel : int { kError = 0, kWarning = 1, kNotice = 2, kInfo = 3, kDebug = 4 };

void set_log_level(LogLevel level);
LogLevel log_level();

void log_message(LogLevel level, std::string_view message);

inline void log_error(std::string_view m) { log_message(LogLevel::kError, m); }
inline void log_warning(std::string_view m) { log_message(LogLevel::kWarning, m); }
inline void log_notice(std::string_view m) { log_message(LogLevel::kNotice, m); }
inline void log_info(std::string_view m) { log_message(LogLevel::kInfo, m); }

}  // namespace seawall
