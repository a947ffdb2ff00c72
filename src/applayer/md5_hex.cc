#include "applayer/md5_hex.h"

#include <openssl/evp.h>

namespace seawall::applayer {

void md5_hex(std::string_view text, std::string& out) {
  out.clear();
  // Fetched once: EVP_md5() makes OpenSSL 3 look the algorithm up per digest.
  static EVP_MD* const md5 = EVP_MD_fetch(nullptr, "MD5", nullptr);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &len, md5 != nullptr ? md5 : EVP_md5(),
                 nullptr) != 1)
    return;
  static constexpr char kHex[] = "0123456789abcdef";
  out.resize(size_t{len} * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0x0f];
  }
}

}  // namespace seawall::applayer
