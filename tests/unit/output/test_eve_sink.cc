// EveSink against real targets: a file, /dev/full (ENOSPC), a file-size limit
// (EFBIG after a partial write), a non-blocking pipe with a slow reader.
#include "output/eve/eve_sink.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace seawall {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/seawall-sink-XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string make_lines(int first, int count, size_t width = 30) {
  std::string out;
  for (int i = first; i < first + count; ++i) {
    std::string line = "{\"n\":" + std::to_string(i) + ",\"pad\":\"";
    while (line.size() + 3 < width) line.push_back('x');
    out += line + "\"}\n";
  }
  return out;
}

TEST(EveSink, WritesLinesAndCounts) {
  TempDir dir;
  EveSinkConfig cfg;
  cfg.path = dir.file("eve.json");
  {
    EveSink sink(cfg);
    std::string a = make_lines(0, 3), b = make_lines(3, 2);
    sink.write_batch(a, 3);
    sink.write_batch(b, 2);
    EveSinkStats s = sink.stats();
    EXPECT_EQ(s.lines_written, 5u);
    EXPECT_EQ(s.bytes_written, a.size() + b.size());
    EXPECT_EQ(s.write_errors, 0u);
    EXPECT_EQ(s.bytes_spooled, 0u);
    EXPECT_EQ(s.spool_pending, 0u);
  }
  EXPECT_EQ(read_file(cfg.path), make_lines(0, 5));
  EXPECT_FALSE(fs::exists(cfg.path + ".spool"));
}

TEST(EveSink, AppendKeepsAndTruncateReplaces) {
  TempDir dir;
  EveSinkConfig cfg;
  cfg.path = dir.file("eve.json");
  { std::ofstream(cfg.path) << "old\n"; }
  {
    EveSink sink(cfg);  // append: yes (default)
    sink.write_batch("new\n", 1);
  }
  EXPECT_EQ(read_file(cfg.path), "old\nnew\n");
  cfg.append = false;
  {
    EveSink sink(cfg);
    sink.write_batch("only\n", 1);
  }
  EXPECT_EQ(read_file(cfg.path), "only\n");
}

TEST(EveSink, UnopenablePathThrowsWithReason) {
  EveSinkConfig cfg;
  cfg.path = "/nonexistent-dir-for-seawall/eve.json";
  try {
    EveSink sink(cfg);
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir-for-seawall/eve.json"),
              std::string::npos);
    EXPECT_NE(std::string(e.what()).find("No such file"), std::string::npos);
  }
}

TEST(EveSink, DevFullSpoolsInMemoryAndCountsErrors) {
  if (::access("/dev/full", W_OK) != 0) GTEST_SKIP() << "/dev/full not available";
  TempDir dir;
  EveSinkConfig cfg;
  cfg.path = "/dev/full";
  cfg.spool_path = dir.file("eve.spool");
  cfg.write_retries = 2;
  std::string lines = make_lines(0, 4);
  {
    EveSink sink(cfg);
    sink.write_batch(lines, 4);
    EveSinkStats s = sink.stats();
    EXPECT_EQ(s.lines_written, 0u);
    EXPECT_EQ(s.write_errors, 3u);  // first attempt + 2 retries, all ENOSPC
    EXPECT_EQ(s.bytes_spooled, lines.size());
    EXPECT_EQ(s.spool_pending, lines.size());
    EXPECT_EQ(s.bytes_dropped, 0u);
    // While spooled, a new batch queues behind with a single attempt.
    sink.write_batch("{\"late\":1}\n", 1);
    s = sink.stats();
    EXPECT_EQ(s.write_errors, 4u);
    EXPECT_EQ(s.spool_pending, lines.size() + 11);
    sink.flush();  // still full: stays spooled
    EXPECT_EQ(sink.stats().spool_pending, lines.size() + 11);
  }
  // At shutdown nothing is silently lost: the spool is saved, in order.
  EXPECT_EQ(read_file(cfg.spool_path), lines + "{\"late\":1}\n");
}

TEST(EveSink, DevFullOverflowsMemoryIntoSpoolFileInOrder) {
  if (::access("/dev/full", W_OK) != 0) GTEST_SKIP() << "/dev/full not available";
  TempDir dir;
  EveSinkConfig cfg;
  cfg.path = "/dev/full";
  cfg.spool_path = dir.file("eve.spool");
  cfg.write_retries = 0;
  cfg.spool_memory_limit = 100;  // three 30-byte lines fit, the rest goes to the file
  std::string expect;
  {
    EveSink sink(cfg);
    for (int i = 0; i < 10; ++i) {
      std::string line = make_lines(i, 1);
      expect += line;
      sink.write_batch(line, 1);
    }
    EveSinkStats s = sink.stats();
    EXPECT_EQ(s.bytes_spooled, expect.size());
    EXPECT_EQ(s.spool_pending, expect.size());
    EXPECT_EQ(s.bytes_dropped, 0u);
    EXPECT_EQ(s.write_errors, 10u);
    // The file holds the lines past the memory limit.
    EXPECT_EQ(read_file(cfg.spool_path), expect.substr(90));
  }
  EXPECT_EQ(read_file(cfg.spool_path), expect);
}

TEST(EveSink, DropsOnlyWhenSpoolFileFailsToo) {
  if (::access("/dev/full", W_OK) != 0) GTEST_SKIP() << "/dev/full not available";
  EveSinkConfig cfg;
  cfg.path = "/dev/full";
  cfg.spool_path = "/nonexistent-dir-for-seawall/eve.spool";
  cfg.write_retries = 0;
  cfg.spool_memory_limit = 40;
  EveSink sink(cfg);
  std::string a = make_lines(0, 1), b = make_lines(1, 1);
  sink.write_batch(a, 1);  // fits in memory
  sink.write_batch(b, 1);  // memory full, spool file cannot be created
  EveSinkStats s = sink.stats();
  EXPECT_EQ(s.bytes_spooled, a.size());
  EXPECT_EQ(s.bytes_dropped, b.size());
  EXPECT_EQ(s.spool_pending, a.size());
}

// RLIMIT_FSIZE makes write(2) stop at a byte count (partial write) and then
// fail with EFBIG: a real, recoverable failure of a regular file.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    old_handler_ = ::signal(SIGXFSZ, SIG_IGN);
    rlimit r = saved_;
    r.rlim_cur = bytes;
    ok_ = ::setrlimit(RLIMIT_FSIZE, &r) == 0;
  }
  ~FileSizeLimit() { lift(); }
  void lift() {
    if (lifted_) return;
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    ::signal(SIGXFSZ, old_handler_);
    lifted_ = true;
  }
  bool ok() const { return ok_; }

 private:
  rlimit saved_{};
  sighandler_t old_handler_ = SIG_DFL;
  bool ok_ = false, lifted_ = false;
};

TEST(EveSink, PartialWriteThenRecoveryDrainsSpoolInOrder) {
  TempDir dir;
  EveSinkConfig cfg;
  cfg.path = dir.file("eve.json");
  cfg.write_retries = 1;
  std::string all = make_lines(0, 10);  // 300 bytes
  {
    EveSink sink(cfg);
    {
      FileSizeLimit limit(100);
      ASSERT_TRUE(limit.ok());
      sink.write_batch(std::string_view(all).substr(0, 150), 5);
      sink.write_batch(std::string_view(all).substr(150), 5);
      EveSinkStats s = sink.stats();
      EXPECT_EQ(s.bytes_written, 100u);    // 3 lines + 10 bytes of the 4th
      EXPECT_EQ(s.lines_written, 3u);
      EXPECT_EQ(s.spool_pending, 200u);
      EXPECT_EQ(s.bytes_spooled, 200u);
      EXPECT_GE(s.write_errors, 2u);
      EXPECT_EQ(read_file(cfg.path), all.substr(0, 100));
    }
    sink.flush();  // limit lifted: the spool drains, oldest first
    EveSinkStats s = sink.stats();
    EXPECT_EQ(s.spool_pending, 0u);
    EXPECT_EQ(s.lines_written, 10u);
    EXPECT_EQ(s.bytes_written, all.size());
    EXPECT_EQ(s.bytes_dropped, 0u);
    sink.write_batch("{\"after\":1}\n", 1);
  }
  EXPECT_EQ(read_file(cfg.path), all + "{\"after\":1}\n");
}

TEST(EveSink, ReopenFollowsRotation) {
  TempDir dir;
  EveSinkConfig cfg;
  cfg.path = dir.file("eve.json");
  EveSink sink(cfg);
  sink.write_batch("one\n", 1);
  fs::rename(cfg.path, dir.file("eve.json.1"));
  sink.write_batch("two\n", 1);  // still the rotated file
  sink.reopen();
  sink.write_batch("three\n", 1);
  EXPECT_EQ(read_file(dir.file("eve.json.1")), "one\ntwo\n");
  EXPECT_EQ(read_file(cfg.path), "three\n");
}

TEST(EveSink, ReopenFailureSpoolsUntilNextSuccess) {
  TempDir dir;
  fs::create_directory(dir.file("logs"));
  EveSinkConfig cfg;
  cfg.path = dir.file("logs/eve.json");
  cfg.spool_path = dir.file("eve.spool");
  cfg.write_retries = 0;
  EveSink sink(cfg);
  sink.write_batch("a\n", 1);
  fs::remove_all(dir.file("logs"));
  sink.reopen();  // directory gone: cannot open
  sink.write_batch("b\n", 1);
  EXPECT_EQ(sink.stats().spool_pending, 2u);
  fs::create_directory(dir.file("logs"));
  sink.reopen();
  sink.write_batch("c\n", 1);
  EXPECT_EQ(read_file(cfg.path), "b\nc\n");
  EXPECT_EQ(sink.stats().spool_pending, 0u);
}

TEST(EveSink, ConcurrentBatchesNeverInterleave) {
  TempDir dir;
  EveSinkConfig cfg;
  cfg.path = dir.file("eve.json");
  {
    EveSink sink(cfg);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&sink, t] {
        for (int i = 0; i < 200; ++i) {
          std::string batch = make_lines(t * 1000 + i * 5, 5, 60);
          sink.write_batch(batch, 5);
        }
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(sink.stats().lines_written, 4000u);
  }
  std::string content = read_file(cfg.path);
  std::istringstream in(content);
  std::string line;
  int count = 0;
  while (std::getline(in, line)) {
    ASSERT_EQ(line.size(), 59u) << line;
    ASSERT_EQ(line.substr(0, 5), "{\"n\":");
    ASSERT_EQ(line.substr(line.size() - 2), "\"}");
    ++count;
  }
  EXPECT_EQ(count, 4000);
}

// stdout redirected to a non-blocking pipe with a slow reader: write(2) returns
// short counts and EAGAIN; everything must arrive once, in order.
TEST(EveSink, NonBlockingPipeWithSlowReader) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ::fcntl(fds[1], F_SETFL, ::fcntl(fds[1], F_GETFL) | O_NONBLOCK);
  std::fflush(stdout);
  int saved_stdout = ::dup(STDOUT_FILENO);
  ASSERT_GE(saved_stdout, 0);
  ASSERT_EQ(::dup2(fds[1], STDOUT_FILENO), STDOUT_FILENO);
  ::close(fds[1]);

  std::string received;
  std::thread reader([&] {
    char buf[4096];
    while (true) {
      ssize_t n = ::read(fds[0], buf, sizeof buf);
      if (n > 0) {
        received.append(buf, static_cast<size_t>(n));
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      } else if (n == 0 || errno != EINTR) {
        break;
      }
    }
  });

  std::string expect;
  EveSinkStats stats;
  {
    EveSinkConfig cfg;
    cfg.path = "-";
    cfg.write_retries = 2;
    EveSink sink(cfg);
    for (int b = 0; b < 32; ++b) {
      std::string batch = make_lines(b * 1000, 1000, 64);  // 64 KB per batch
      expect += batch;
      sink.write_batch(batch, 1000);
    }
    for (int i = 0; i < 5000 && sink.stats().spool_pending > 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      sink.flush();
    }
    stats = sink.stats();
  }
  ::dup2(saved_stdout, STDOUT_FILENO);  // closes the pipe's last write end
  ::close(saved_stdout);
  reader.join();
  ::close(fds[0]);

  EXPECT_EQ(stats.spool_pending, 0u);
  EXPECT_EQ(stats.bytes_dropped, 0u);
  EXPECT_EQ(stats.lines_written, 32000u);
  EXPECT_EQ(stats.bytes_written, expect.size());
  EXPECT_GT(stats.write_errors, 0u);  // EAGAIN happened: the path was exercised
  EXPECT_EQ(received.size(), expect.size());
  EXPECT_TRUE(received == expect) << "pipe content differs from what was written";
}

}  // namespace
}  // namespace seawall
