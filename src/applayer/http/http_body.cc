#include "applayer/http/http_body.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace seawall::applayer::http {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

void append_limited(std::string& out, const uint8_t* p, size_t n, size_t limit) {
  if (out.size() >= limit) return;
  const size_t room = limit - out.size();
  out.append(reinterpret_cast<const char*>(p), std::min(n, room));
}

bool icontains(std::string_view hay, std::string_view needle) {
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i)
    if (iequals(hay.substr(i, needle.size()), needle)) return true;
  return false;
}

}  // namespace

EncodingLayers parse_content_encodings(std::string_view value, uint32_t layer_limit) {
  EncodingLayers out;
  const std::string_view v = trim(value);
  const ContentEncoding single = parse_content_encoding(v);
  if (single != ContentEncoding::kIdentity) {
    out.decode[0] = single;
    out.count = 1;
    return out;
  }
  std::array<ContentEncoding, kMaxDecodeLayers> listed{};
  int listed_count = 0;
  uint32_t tokens = 0;
  size_t i = 0;
  while (i < v.size()) {
    while (i < v.size() && (v[i] == ',' || v[i] == ' ')) ++i;
    size_t j = i;
    while (j < v.size() && v[j] != ',' && v[j] != ' ') ++j;
    if (j == i) break;
    const std::string_view token = v.substr(i, j - i);
    i = j;
    ++tokens;
    if (layer_limit != 0 && tokens > layer_limit) {
      out.too_many = true;
      break;
    }
    ContentEncoding e = ContentEncoding::kIdentity;
    if (icontains(token, "gzip")) e = ContentEncoding::kGzip;
    else if (icontains(token, "deflate")) e = ContentEncoding::kDeflate;
    if (e == ContentEncoding::kIdentity) continue;
    if (listed_count == kMaxDecodeLayers) {
      out.too_many = true;  // our own bound, below any sane configured limit
      break;
    }
    listed[static_cast<size_t>(listed_count++)] = e;
  }
  // libhtp-rs prepends each decompressor: the last listed runs first.
  for (int k = 0; k < listed_count; ++k)
    out.decode[static_cast<size_t>(k)] = listed[static_cast<size_t>(listed_count - 1 - k)];
  out.count = listed_count;
  return out;
}

void BodyDecoder::hand_on(const uint8_t* p, size_t n, std::string& out, size_t out_limit) {
  emitted_ += n;
  if (tap_ != nullptr) tap_(tap_context_, p, n);
  append_limited(out, p, n, out_limit);
}

void LayeredDecoder::set_tap(BodyDecoder::Tap tap, void* context) {
  tap_ = tap;
  tap_context_ = context;
  if (count_ > 0) layers_[static_cast<size_t>(count_ - 1)].set_tap(tap, context);
}

void LayeredDecoder::start(const EncodingLayers& layers, const DecompressLimits& limits) {
  reset();
  count_ = std::min(layers.count, kMaxDecodeLayers);
  for (int i = 0; i < count_; ++i) {
    layers_[static_cast<size_t>(i)].start(layers.decode[static_cast<size_t>(i)], limits);
    layers_[static_cast<size_t>(i)].set_tap(nullptr, nullptr);
  }
}

void LayeredDecoder::reset() {
  for (int i = 0; i < count_; ++i) layers_[static_cast<size_t>(i)].reset();
  for (std::string& s : scratch_) s.clear();
  count_ = 0;
  passed_ = 0;
  tap_ = nullptr;
  tap_context_ = nullptr;
}

BodyDecoder::Status LayeredDecoder::feed(const uint8_t* p, size_t n, std::string& out,
                                         size_t out_limit) {
  if (count_ == 0) {
    passed_ += n;
    if (tap_ != nullptr) tap_(tap_context_, p, n);
    append_limited(out, p, n, out_limit);
    return BodyDecoder::Status::kOk;
  }
  BodyDecoder::Status result = BodyDecoder::Status::kOk;
  const uint8_t* in = p;
  size_t len = n;
  for (int i = 0; i < count_; ++i) {
    const bool last = i == count_ - 1;
    std::string& dst = last ? out : scratch_[static_cast<size_t>(i)];
    if (!last) dst.clear();
    const BodyDecoder::Status st =
        layers_[static_cast<size_t>(i)].feed(in, len, dst, last ? out_limit : SIZE_MAX);
    if (st != BodyDecoder::Status::kOk && result == BodyDecoder::Status::kOk) result = st;
    if (!last) {
      in = reinterpret_cast<const uint8_t*>(dst.data());
      len = dst.size();
      if (len == 0) break;
    }
  }
  return result;
}

ContentEncoding parse_content_encoding(std::string_view value) {
  const std::string_view v = trim(value);
  if (iequals(v, "gzip") || iequals(v, "x-gzip")) return ContentEncoding::kGzip;
  if (iequals(v, "deflate") || iequals(v, "x-deflate")) return ContentEncoding::kDeflate;
  return ContentEncoding::kIdentity;
}

struct BodyDecoder::Zlib {
  z_stream stream{};
  bool initialised = false;
  ~Zlib() {
    if (initialised) inflateEnd(&stream);
  }
};

BodyDecoder::BodyDecoder() = default;
BodyDecoder::~BodyDecoder() = default;

void BodyDecoder::reset() {
  if (z_ && z_->initialised) {
    inflateEnd(&z_->stream);
    z_->initialised = false;
  }
  encoding_ = ContentEncoding::kIdentity;
  stream_ready_ = tried_raw_ = passthrough_ = stopped_ = finished_ = false;
  total_in_ = total_out_ = emitted_ = 0;
  head_len_ = 0;
  fed_ = 0;
}

void BodyDecoder::start(ContentEncoding encoding, const DecompressLimits& limits) {
  reset();
  encoding_ = encoding;
  limits_ = limits;
}

bool BodyDecoder::init_stream(bool raw) {
  if (!z_) z_ = std::make_unique<Zlib>();
  if (z_->initialised) {
    inflateEnd(&z_->stream);
    z_->initialised = false;
  }
  z_->stream = z_stream{};
  // 15+32: zlib or gzip header auto-detected; -15: raw deflate (servers that
  // send "deflate" without the zlib wrapper).
  if (inflateInit2(&z_->stream, raw ? -15 : 15 + 32) != Z_OK) return false;
  z_->initialised = true;
  stream_ready_ = true;
  return true;
}

BodyDecoder::Status BodyDecoder::inflate_some(const uint8_t* p, size_t n, std::string& out,
                                              size_t out_limit) {
  uint8_t scratch[8192];
  z_stream& s = z_->stream;
  s.next_in = const_cast<Bytef*>(p);
  s.avail_in = static_cast<uInt>(n);
  while (true) {
    s.next_out = scratch;
    s.avail_out = sizeof(scratch);
    const uInt before_in = s.avail_in;
    const int rc = inflate(&s, Z_NO_FLUSH);
    const size_t produced = sizeof(scratch) - s.avail_out;
    total_in_ += before_in - s.avail_in;
    if (produced > 0) {
      total_out_ += produced;
      hand_on(scratch, produced, out, out_limit);
      if (total_out_ > limits_.max_output) {
        stopped_ = true;
        const bool bomb = total_out_ > static_cast<uint64_t>(limits_.bomb_ratio) *
                                           std::max<uint64_t>(total_in_, 1);
        return bomb ? Status::kBomb : Status::kCapped;
      }
    }
    if (rc == Z_STREAM_END) {
      finished_ = true;
      return Status::kOk;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) return Status::kFailed;
    if (s.avail_in == 0 && produced < sizeof(scratch)) return Status::kOk;
    if (rc == Z_BUF_ERROR && produced == 0) return Status::kOk;
  }
}

BodyDecoder::Status BodyDecoder::feed(const uint8_t* p, size_t n, std::string& out,
                                      size_t out_limit) {
  if (n == 0) return Status::kOk;
  if (encoding_ == ContentEncoding::kIdentity || passthrough_) {
    hand_on(p, n, out, out_limit);
    return Status::kOk;
  }
  if (stopped_ || finished_) return Status::kOk;
  const size_t keep = std::min(n, sizeof(head_) - head_len_);
  const uint64_t fed_before = fed_;
  std::memcpy(head_ + head_len_, p, keep);
  head_len_ += keep;
  fed_ += n;
  if (!stream_ready_ && !init_stream(false)) {
    passthrough_ = true;
    hand_on(p, n, out, out_limit);
    return Status::kFailed;
  }
  Status st;
  if (fed_before <= 3 && fed_ > 3 && head_[0] == 0x1f && head_[1] == 0x8b &&
      (head_[3] & 0xe0) != 0) {
    // A gzip header with reserved flag bits (RFC 1952 says MUST reject; the
    // decoders browsers and libhtp-rs use ignore them): zlib would refuse the
    // stream, so the bits are cleared on the way in.
    head_[3] &= 0x1f;
    const size_t at = static_cast<size_t>(3 - fed_before);
    uint8_t flag = static_cast<uint8_t>(p[at] & 0x1f);
    st = inflate_some(p, at, out, out_limit);
    if (st != Status::kFailed) st = inflate_some(&flag, 1, out, out_limit);
    if (st != Status::kFailed && n > at + 1)
      st = inflate_some(p + at + 1, n - at - 1, out, out_limit);
  } else {
    st = inflate_some(p, n, out, out_limit);
  }
  if (st == Status::kFailed && !tried_raw_ && total_out_ == 0 && fed_ - n == head_len_ - keep) {
    // libhtp retries a body that is not zlib/gzip as raw deflate; everything
    // seen so far is still in head_, so replay it.
    tried_raw_ = true;
    total_in_ = 0;
    if (init_stream(true)) st = inflate_some(head_, head_len_, out, out_limit);
    if (st != Status::kFailed && n > keep && !stopped_ && !finished_)
      st = inflate_some(p + keep, n - keep, out, out_limit);
  }
  if (st == Status::kFailed) {
    // Not compressed after all: hand the bytes over unchanged from here on.
    passthrough_ = true;
    if (total_out_ == 0) hand_on(p, n, out, out_limit);
  }
  return st;
}

}  // namespace seawall::applayer::http
