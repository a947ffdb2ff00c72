#include "applayer/http/http_file_hash.h"

#include <openssl/evp.h>

namespace seawall::applayer::http {

struct FileHasher::Contexts {
  EVP_MD_CTX* md5 = EVP_MD_CTX_new();
  EVP_MD_CTX* sha1 = EVP_MD_CTX_new();
  EVP_MD_CTX* sha256 = EVP_MD_CTX_new();
  ~Contexts() {
    EVP_MD_CTX_free(md5);
    EVP_MD_CTX_free(sha1);
    EVP_MD_CTX_free(sha256);
  }
};

FileHasher::~FileHasher() { delete ctx_; }

void FileHasher::start(const FileHashConfig& config) {
  running_ = false;
  config_ = config;
  if (!config.any()) return;
  if (ctx_ == nullptr) ctx_ = new Contexts();
  if (ctx_->md5 == nullptr || ctx_->sha1 == nullptr || ctx_->sha256 == nullptr) return;
  bool ok = true;
  if (config.md5) ok = ok && EVP_DigestInit_ex(ctx_->md5, EVP_md5(), nullptr) == 1;
  if (config.sha1) ok = ok && EVP_DigestInit_ex(ctx_->sha1, EVP_sha1(), nullptr) == 1;
  if (config.sha256) ok = ok && EVP_DigestInit_ex(ctx_->sha256, EVP_sha256(), nullptr) == 1;
  running_ = ok;
}

void FileHasher::update(const uint8_t* p, size_t n) {
  if (!running_ || n == 0) return;
  if (config_.md5) EVP_DigestUpdate(ctx_->md5, p, n);
  if (config_.sha1) EVP_DigestUpdate(ctx_->sha1, p, n);
  if (config_.sha256) EVP_DigestUpdate(ctx_->sha256, p, n);
}

void FileHasher::finish(FileDigests& out) {
  out.md5_set = out.sha1_set = out.sha256_set = false;
  if (!running_) return;
  running_ = false;
  unsigned int len = 0;
  if (config_.md5) out.md5_set = EVP_DigestFinal_ex(ctx_->md5, out.md5.data(), &len) == 1;
  if (config_.sha1) out.sha1_set = EVP_DigestFinal_ex(ctx_->sha1, out.sha1.data(), &len) == 1;
  if (config_.sha256)
    out.sha256_set = EVP_DigestFinal_ex(ctx_->sha256, out.sha256.data(), &len) == 1;
}

}  // namespace seawall::applayer::http
