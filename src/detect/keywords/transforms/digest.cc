// to_md5 / to_sha1 / to_sha256: replace the buffer by its raw digest.
#include <openssl/evp.h>

#include <memory>

#include "detect/keywords/keyword.h"
#include "detect/keywords/transforms/transform_util.h"

namespace seawall::detect {

namespace {

// The algorithm is fetched once at load time and each thread reuses one
// digest context: EVP_Digest would look the algorithm up and allocate a
// context on every packet.
class DigestTransform final : public Transform {
 public:
  DigestTransform(const char* algorithm, std::string_view name)
      : md_(EVP_MD_fetch(nullptr, algorithm, nullptr)), name_(name) {}
  ~DigestTransform() override { EVP_MD_free(md_); }
  void apply(std::span<const uint8_t> in, std::vector<uint8_t>& out) const override {
    thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                              &EVP_MD_CTX_free);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    out.clear();
    if (md_ != nullptr && ctx && EVP_DigestInit_ex(ctx.get(), md_, nullptr) == 1 &&
        EVP_DigestUpdate(ctx.get(), in.data(), in.size()) == 1 &&
        EVP_DigestFinal_ex(ctx.get(), digest, &n) == 1)
      out.assign(digest, digest + n);
  }
  std::string_view name() const override { return name_; }

 private:
  EVP_MD* md_;
  std::string_view name_;
};

template <int Kind>
void setup_digest(RuleBuilder& b, std::string_view) {
  static const std::shared_ptr<const Transform> instance =
      Kind == 0   ? std::make_shared<DigestTransform>("MD5", "to_md5")
      : Kind == 1 ? std::make_shared<DigestTransform>("SHA1", "to_sha1")
                  : std::make_shared<DigestTransform>("SHA256", "to_sha256");
  add_checked_transform(b, instance->name(), instance);
}

const bool kRegistered = [] {
  register_keyword({.name = "to_md5", .help = "replace the buffer by its MD5 digest",
                    .kind = KeywordKind::kTransform, .flags = kNoValue,
                    .setup = setup_digest<0>});
  register_keyword({.name = "to_sha1", .help = "replace the buffer by its SHA-1 digest",
                    .kind = KeywordKind::kTransform, .flags = kNoValue,
                    .setup = setup_digest<1>});
  register_keyword({.name = "to_sha256", .help = "replace the buffer by its SHA-256 digest",
                    .kind = KeywordKind::kTransform, .flags = kNoValue,
                    .setup = setup_digest<2>});
  return true;
}();

}  // namespace

}  // namespace seawall::detect
