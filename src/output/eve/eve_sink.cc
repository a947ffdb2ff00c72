#include "output/eve/eve_sink.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <stdexcept>
#include <thread>

#include "core/log.h"

namespace seawall {
namespace {

// Registered so they are listed and rendered like every other counter; the
// values come from EveSink::stats() (process-wide), see EveWriter::log_stats.
[[maybe_unused]] const Counter kLinesWritten = register_counter(
    {.name = "output.eve.lines_written", .help = "EVE lines written to the output"});
[[maybe_unused]] const Counter kWriteErrors = register_counter(
    {.name = "output.eve.write_errors", .help = "failed writes to the EVE output (retried)"});
[[maybe_unused]] const Counter kBytesSpooled = register_counter(
    {.name = "output.eve.bytes_spooled",
     .help = "EVE bytes that waited in the spool because the output was not writable"});
[[maybe_unused]] const Counter kBytesDropped = register_counter(
    {.name = "output.eve.bytes_dropped",
     .help = "EVE bytes lost: output, memory spool and spool file all unavailable"});

constexpr size_t kDrainChunk = 64 * 1024;

size_t count_lines(const char* p, size_t n) {
  return static_cast<size_t>(std::count(p, p + n, '\n'));
}

std::string errno_text(int err) { return std::strerror(err); }

}  // namespace

struct EveSink::Impl {
  EveSinkConfig config;
  mutable std::mutex mu;
  int fd = -1;
  bool is_stdout = false;
  std::string spool_path;

  // The spool is one FIFO: the memory part holds the oldest bytes, the file
  // part the newer ones. New bytes go to the file as soon as it holds any.
  std::deque<std::string> memory;
  size_t memory_front_done = 0;  // bytes of memory.front() already written
  uint64_t memory_bytes = 0;     // pending bytes in memory
  int spool_fd = -1;
  uint64_t file_read = 0, file_write = 0;
  std::string scratch;           // drain buffer for the spool file
  bool drop_logged = false;

  EveSinkStats stats;

  uint64_t file_pending() const { return file_write - file_read; }
  uint64_t pending() const { return memory_bytes + file_pending(); }

  int open_target() const {
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (config.append ? O_APPEND : O_TRUNC);
    return ::open(config.path.c_str(), flags, 0640);
  }

  // Writes as much of [p, p+n) as the target takes. Progress resets the retry
  // budget (a pipe draining slowly is not a failure); without progress, each
  // failure is retried `retries` times with a short exponential backoff.
  size_t write_all(const char* p, size_t n, uint32_t retries) {
    size_t done = 0;
    uint32_t attempt = 0;
    while (done < n) {
      if (fd < 0) {
        ++stats.write_errors;
        return done;
      }
      ssize_t r = ::write(fd, p + done, n - done);
      if (r > 0) {
        done += static_cast<size_t>(r);
        attempt = 0;
        continue;
      }
      if (r < 0 && errno == EINTR) continue;
      ++stats.write_errors;
      if (attempt >= retries) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(1u << attempt, 100u)));
      ++attempt;
    }
    return done;
  }

  void account_written(const char* p, size_t n) {
    stats.bytes_written += n;
    stats.lines_written += count_lines(p, n);
  }

  // Appends bytes to the spool (memory first, then file); counts them as
  // dropped only when neither can take them.
  void spool(const char* p, size_t n) {
    if (n == 0) return;
    if (file_pending() == 0 && memory_bytes + n <= config.spool_memory_limit) {
      memory.emplace_back(p, n);
      memory_bytes += n;
      stats.bytes_spooled += n;
      return;
    }
    if (spool_to_file(p, n)) {
      stats.bytes_spooled += n;
      return;
    }
    stats.bytes_dropped += n;
    if (!drop_logged) {
      log_error("eve: output '" + config.path + "' and spool unavailable, dropping EVE data "
                "(counted in output.eve.bytes_dropped)");
      drop_logged = true;
    }
  }

  bool spool_to_file(const char* p, size_t n) {
    if (spool_path.empty()) return false;
    if (spool_fd < 0) {
      spool_fd = ::open(spool_path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
      if (spool_fd < 0) {
        log_error("eve: cannot open spool file '" + spool_path + "': " + errno_text(errno));
        return false;
      }
      file_read = file_write = 0;
    }
    size_t done = 0;
    while (done < n) {
      ssize_t r = ::pwrite(spool_fd, p + done, n - done, static_cast<off_t>(file_write + done));
      if (r > 0) {
        done += static_cast<size_t>(r);
      } else if (!(r < 0 && errno == EINTR)) {
        // A partial record in the spool would surface as a broken line later:
        // the whole chunk counts as dropped and the file offset stays put.
        return false;
      }
    }
    file_write += n;
    return true;
  }

  // Writes pending spool data to the target, oldest first. True when empty.
  bool drain(uint32_t retries) {
    while (!memory.empty()) {
      const std::string& chunk = memory.front();
      const char* p = chunk.data() + memory_front_done;
      size_t n = chunk.size() - memory_front_done;
      size_t w = write_all(p, n, retries);
      account_written(p, w);
      memory_bytes -= w;
      if (w < n) {
        memory_front_done += w;
        return false;
      }
      memory.pop_front();
      memory_front_done = 0;
    }
    while (file_pending() > 0) {
      size_t want = static_cast<size_t>(std::min<uint64_t>(file_pending(), kDrainChunk));
      scratch.resize(want);
      ssize_t r = ::pread(spool_fd, scratch.data(), want, static_cast<off_t>(file_read));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) {
        log_error("eve: cannot read spool file '" + spool_path + "', its data is lost");
        stats.bytes_dropped += file_pending();
        file_read = file_write = 0;
        break;
      }
      size_t n = static_cast<size_t>(r);
      size_t w = write_all(scratch.data(), n, retries);
      account_written(scratch.data(), w);
      file_read += w;
      if (w < n) return false;
    }
    if (spool_fd >= 0 && file_pending() == 0) {
      // Everything is out: start the file over so it does not grow forever.
      if (::ftruncate(spool_fd, 0) == 0) file_read = file_write = 0;
    }
    if (drop_logged && pending() == 0) drop_logged = false;
    return true;
  }

  // At shutdown, what could not be written stays on disk in spool_path, in order.
  void persist_spool() {
    if (memory_bytes == 0) return;  // file part (if any) is already on disk
    if (spool_path.empty()) {
      stats.bytes_dropped += pending();
      log_error("eve: " + std::to_string(pending()) + " bytes could not be written to stdout");
      return;
    }
    std::string tmp = spool_path + ".tmp";
    int out = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    bool ok = out >= 0;
    auto put = [&](const char* p, size_t n) {
      while (ok && n > 0) {
        ssize_t r = ::write(out, p, n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) { ok = false; break; }
        p += r;
        n -= static_cast<size_t>(r);
      }
    };
    bool first = true;
    for (const std::string& chunk : memory) {
      size_t skip = first ? memory_front_done : 0;
      put(chunk.data() + skip, chunk.size() - skip);
      first = false;
    }
    uint64_t off = file_read;
    while (ok && off < file_write) {
      size_t want = static_cast<size_t>(std::min<uint64_t>(file_write - off, kDrainChunk));
      scratch.resize(want);
      ssize_t r = ::pread(spool_fd, scratch.data(), want, static_cast<off_t>(off));
      if (r <= 0) { ok = false; break; }
      put(scratch.data(), static_cast<size_t>(r));
      off += static_cast<uint64_t>(r);
    }
    if (out >= 0 && ::close(out) != 0) ok = false;
    if (ok && ::rename(tmp.c_str(), spool_path.c_str()) == 0) {
      log_warning("eve: " + std::to_string(pending()) + " bytes could not be written to '" +
                  config.path + "'; they are kept in '" + spool_path + "'");
    } else {
      stats.bytes_dropped += pending();
      log_error("eve: cannot save unwritten EVE data to '" + spool_path + "'");
    }
  }
};

EveSink::EveSink(const EveSinkConfig& config) : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  s.config = config;
  s.is_stdout = config.path.empty() || config.path == "-";
  if (s.is_stdout) {
    s.fd = STDOUT_FILENO;
    s.spool_path = config.spool_path;
  } else {
    s.fd = s.open_target();
    if (s.fd < 0) {
      throw std::runtime_error("cannot open EVE output '" + config.path + "': " +
                               errno_text(errno));
    }
    s.spool_path = config.spool_path.empty() ? config.path + ".spool" : config.spool_path;
  }
}

EveSink::~EveSink() {
  Impl& s = *impl_;
  std::lock_guard lock(s.mu);
  if (s.pending() > 0 && !s.drain(s.config.write_retries)) s.persist_spool();
  if (s.spool_fd >= 0) {
    bool empty = s.pending() == 0;
    ::close(s.spool_fd);
    if (empty) ::unlink(s.spool_path.c_str());
  }
  if (!s.is_stdout && s.fd >= 0) ::close(s.fd);
}

void EveSink::write_batch(std::string_view lines, uint64_t line_count) {
  if (lines.empty()) return;
  Impl& s = *impl_;
  std::lock_guard lock(s.mu);
  if (s.pending() > 0) {
    // The target failed before: one attempt to catch up, no backoff (workers
    // must not stall on a dead disk); if it still fails, queue behind.
    if (!s.drain(0)) {
      s.spool(lines.data(), lines.size());
      return;
    }
  }
  size_t w = s.write_all(lines.data(), lines.size(), s.config.write_retries);
  if (w == lines.size()) {
    s.stats.bytes_written += w;
    s.stats.lines_written += line_count;
    return;
  }
  s.account_written(lines.data(), w);
  s.spool(lines.data() + w, lines.size() - w);
}

void EveSink::flush() {
  Impl& s = *impl_;
  std::lock_guard lock(s.mu);
  if (s.pending() > 0) s.drain(0);
}

void EveSink::reopen() {
  Impl& s = *impl_;
  std::lock_guard lock(s.mu);
  if (s.is_stdout) return;
  if (s.fd >= 0) ::close(s.fd);
  s.fd = s.open_target();
  if (s.fd < 0) {
    log_error("eve: cannot reopen '" + s.config.path + "': " + errno_text(errno) +
              " (output spools until the next reopen)");
    return;
  }
  if (s.pending() > 0) s.drain(0);
}

EveSinkStats EveSink::stats() const {
  const Impl& s = *impl_;
  std::lock_guard lock(s.mu);
  EveSinkStats out = s.stats;
  out.spool_pending = s.pending();
  return out;
}

}  // namespace seawall
