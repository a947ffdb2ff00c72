// Hashes of HTTP files (Suricata's outputs.eve-log.types.files.force-hash):
// md5 / sha1 / sha256 computed as the file's bytes arrive, with OpenSSL.
// The contexts are allocated once per file slot and reused for later files.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace seawall::applayer::http {

struct FileHashConfig {
  bool md5 = false;
  bool sha1 = false;
  bool sha256 = false;
  bool any() const { return md5 || sha1 || sha256; }
};

struct FileDigests {
  std::array<uint8_t, 16> md5{};
  std::array<uint8_t, 20> sha1{};
  std::array<uint8_t, 32> sha256{};
  bool md5_set = false, sha1_set = false, sha256_set = false;
};

class FileHasher {
 public:
  FileHasher() = default;
  ~FileHasher();
  FileHasher(const FileHasher&) = delete;
  FileHasher& operator=(const FileHasher&) = delete;

  // Starts the hashes `config` asks for (ends any running ones).
  void start(const FileHashConfig& config);
  bool running() const { return running_; }
  void update(const uint8_t* p, size_t n);
  // Final digests of a completely seen file; stops hashing.
  void finish(FileDigests& out);
  // Stops without digests (a file with gaps or cut short is not hashed).
  void stop() { running_ = false; }

 private:
  struct Contexts;
  Contexts* ctx_ = nullptr;
  FileHashConfig config_;
  bool running_ = false;
};

}  // namespace seawall::applayer::http
