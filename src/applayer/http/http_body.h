// Body content decoding: gzip / zlib / raw deflate (Content-Encoding) with
// zlib, bounded like libhtp (a decompressed-size cap and a compression-ratio
// "bomb" check), feeding a sink that keeps the first body-limit bytes.
#pragma once

#include <cstddef>
#include <array>
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
  // Sees every byte handed on, kept or not (file hashing); nullptr: none.
  using Tap = void (*)(void* context, const uint8_t* p, size_t n);
  void set_tap(Tap tap, void* context) {
    tap_ = tap;
    tap_context_ = context;
  }

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
  Tap tap_ = nullptr;
  void* tap_context_ = nullptr;
  void hand_on(const uint8_t* p, size_t n, std::string& out, size_t out_limit);
};

// Content-Encoding layers as libhtp-rs reads the header: a value that is
// exactly gzip / x-gzip / deflate / x-deflate is one layer; anything else is
// split on ',' and ' ', every non-empty token counting against `layer_limit`
// (0: none; Suricata's response-body-decompress-layer-limit), a token
// containing "gzip" or "deflate" adding that layer, others (identity, lzma,
// unknown) adding none. `decode` lists the layers in decoding order: the
// encoding applied last is undone first.
inline constexpr int kMaxDecodeLayers = 4;
struct EncodingLayers {
  std::array<ContentEncoding, kMaxDecodeLayers> decode{};
  int count = 0;
  bool too_many = false;  // tokens past the layer limit were ignored
};
EncodingLayers parse_content_encodings(std::string_view value, uint32_t layer_limit);

// A chain of BodyDecoders, one per Content-Encoding layer; an empty chain
// passes the body through. Intermediate output lives in per-layer scratch
// strings whose capacity is kept across bodies.
class LayeredDecoder {
 public:
  void start(const EncodingLayers& layers, const DecompressLimits& limits);
  void reset();
  bool identity() const { return count_ == 0; }
  int layers() const { return count_; }
  // As BodyDecoder::feed; the status is the first non-kOk of any layer.
  BodyDecoder::Status feed(const uint8_t* p, size_t n, std::string& out, size_t out_limit);
  // Every byte out of the last layer (or passed through) also goes to `tap`.
  void set_tap(BodyDecoder::Tap tap, void* context);
  // Bytes out of the last layer (or passed through), kept or not.
  uint64_t emitted() const {
    return count_ == 0 ? passed_ : layers_[static_cast<size_t>(count_ - 1)].emitted();
  }

 private:
  std::array<BodyDecoder, kMaxDecodeLayers> layers_;
  std::array<std::string, kMaxDecodeLayers - 1> scratch_;
  int count_ = 0;
  uint64_t passed_ = 0;
  BodyDecoder::Tap tap_ = nullptr;
  void* tap_context_ = nullptr;
};

}  // namespace seawall::applayer::http
