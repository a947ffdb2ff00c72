// Body content decoding: gzip / zlib / raw deflate (Content-Encoding) with
// zlib, bounded like libhtp (a decompressed-size cap and a compression-ratio
// "bomb" check), feeding a sink that keeps the first body-limit bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace seawall::applayer::http {

struct DecompressLimits {
  uint64_t max_output = 1024 * 1024;  // libhtp's compression bomb limit (bytes per tx)
  uint32_t bomb_ratio = 2048;         // libhtp's HTP_COMPRESSION_BOMB_RATIO
};

enum class ContentEncoding : uint8_t { kIdentity, kGzip, kDeflate };

// "gzip"/"x-gzip" -> kGzip, "deflate"/"x-deflate" -> kDeflate, else identity.
ContentEncoding parse_content_encoding(std::string_view value);

class BodyDecoder {
 public:
  enum class Status : uint8_t { kOk, kFailed, kBomb, kCapped };

  BodyDecoder();
  ~BodyDecoder();
  BodyDecoder(const BodyDecoder&) = delete;
  BodyDecoder& operator=(const BodyDecoder&) = delete;

  // Starts decoding a new body; identity just passes data through.
  void start(ContentEncoding encoding, const DecompressLimits& limits);
  void reset();
  ContentEncoding encoding() const { return encoding_; }
  bool active() const { return encoding_ != ContentEncoding::kIdentity && !stopped_; }

  // Decodes `n` input bytes; decoded output is appended to `out` up to
  // `out_limit` bytes in total (the rest is counted, not kept). Once failed
  // (not compressed data after all), later input passes through unchanged,
  // as libhtp does. Returns what happened on this call.
  Status feed(const uint8_t* p, size_t n, std::string& out, size_t out_limit);

  uint64_t total_in() const { return total_in_; }
  uint64_t total_out() const { return total_out_; }
  // Every byte handed on so far (decoded, or passed through), kept or not:
  // the size of the body as the file tracker sees it.
  uint64_t emitted() const { return emitted_; }

 private:
  struct Zlib;
  bool init_stream(bool raw);
  Status inflate_some(const uint8_t* p, size_t n, std::string& out, size_t out_limit);

  ContentEncoding encoding_ = ContentEncoding::kIdentity;
  DecompressLimits limits_;
  std::unique_ptr<Zlib> z_;
  bool stream_ready_ = false;
  bool tried_raw_ = false;
  bool passthrough_ = false;  // decoding failed: raw bytes from here on
  bool stopped_ = false;      // bomb/cap reached: ignore further input
  bool finished_ = false;     // Z_STREAM_END
  // The first input bytes, replayed when the body turns out to be raw deflate.
  uint8_t head_[16] = {};
  size_t head_len_ = 0;
  uint64_t fed_ = 0;
  uint64_t total_in_ = 0;
  uint64_t total_out_ = 0;
  uint64_t emitted_ = 0;
};

}  // namespace seawall::applayer::http
