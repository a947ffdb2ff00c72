#include "applayer/quic/quic_crypto.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>

#include <cstring>
#include <memory>

namespace seawall::quic {
namespace {

// RFC 9001 section 5.2.
constexpr uint8_t kSaltV1[] = {0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
                               0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a};
// RFC 9369 section 3.3.1.
constexpr uint8_t kSaltV2[] = {0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
                               0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9};
// draft-ietf-quic-tls-29 .. -32.
constexpr uint8_t kSaltDraft29[] = {0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97,
                                    0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99};
// draft-ietf-quic-tls-23 .. -28 (and Facebook's mvfst draft version).
constexpr uint8_t kSaltDraft23[] = {0xc3, 0xee, 0xf7, 0x12, 0xc7, 0x2e, 0xbb, 0x5a, 0x11, 0xa7,
                                    0xd2, 0x43, 0x2b, 0xb4, 0x63, 0x65, 0xbe, 0xf9, 0xf5, 0x02};
// Google QUIC Q050 (IETF-style Initial protection, own salt).
constexpr uint8_t kSaltQ050[] = {0x50, 0x45, 0x74, 0xef, 0xd0, 0x66, 0xfe, 0x2f, 0x9d, 0x94,
                                 0x5c, 0xfc, 0xdb, 0xd3, 0xa7, 0xf0, 0xd3, 0xb5, 0x6b, 0x45};

// HMAC-SHA256 through a per-thread MAC context made once: the one-shot HMAC()
// makes OpenSSL 3 fetch the MAC and digest on every call (several per QUIC
// Initial key derivation). Falls back to HMAC() if the context cannot be made.
struct MacCtxDeleter {
  void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); }
};

EVP_MAC_CTX* hmac_sha256_ctx() {
  thread_local std::unique_ptr<EVP_MAC_CTX, MacCtxDeleter> ctx = [] {
    static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (mac == nullptr) return std::unique_ptr<EVP_MAC_CTX, MacCtxDeleter>();
    std::unique_ptr<EVP_MAC_CTX, MacCtxDeleter> c(EVP_MAC_CTX_new(mac));
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_END};
    if (c != nullptr && EVP_MAC_CTX_set_params(c.get(), params) != 1) c.reset();
    return c;
  }();
  return ctx.get();
}

bool hmac_sha256(ByteView key, const uint8_t* data, size_t len, uint8_t out[kSecretLen]) {
  EVP_MAC_CTX* ctx = hmac_sha256_ctx();
  if (ctx == nullptr) {
    unsigned int md_len = 0;
    return HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data, len, out,
                &md_len) != nullptr &&
           md_len == kSecretLen;
  }
  size_t md_len = 0;
  return EVP_MAC_init(ctx, key.data(), key.size(), nullptr) == 1 &&
         EVP_MAC_update(ctx, data, len) == 1 &&
         EVP_MAC_final(ctx, out, &md_len, kSecretLen) == 1 && md_len == kSecretLen;
}

// Ciphers fetched once (EVP_aes_128_gcm() is looked up again at every init).
const EVP_CIPHER* aes_128_gcm() {
  static EVP_CIPHER* const c = EVP_CIPHER_fetch(nullptr, "AES-128-GCM", nullptr);
  return c != nullptr ? c : EVP_aes_128_gcm();
}

const EVP_CIPHER* aes_128_ecb() {
  static EVP_CIPHER* const c = EVP_CIPHER_fetch(nullptr, "AES-128-ECB", nullptr);
  return c != nullptr ? c : EVP_aes_128_ecb();
}

constexpr uint32_t kVersion1 = 0x00000001;
constexpr uint32_t kVersion2 = 0x6b3343cf;
constexpr uint32_t kVersionQ050 = 0x51303530;
constexpr uint32_t kVersionMvfstDraft = 0xfaceb002;

}  // namespace

bool initial_params(uint32_t version, InitialParams& out) {
  out.v2_labels = false;
  if (version == kVersion1 || (version >= 0xff000021 && version <= 0xff000022)) {
    out.salt = ByteView(kSaltV1);
  } else if (version == kVersion2) {
    out.salt = ByteView(kSaltV2);
    out.v2_labels = true;
  } else if (version >= 0xff00001d && version <= 0xff000020) {
    out.salt = ByteView(kSaltDraft29);
  } else if ((version >= 0xff000017 && version <= 0xff00001c) || version == kVersionMvfstDraft) {
    out.salt = ByteView(kSaltDraft23);
  } else if (version == kVersionQ050) {
    out.salt = ByteView(kSaltQ050);
  } else {
    return false;
  }
  return true;
}

bool hkdf_extract(ByteView salt, ByteView ikm, uint8_t out[kSecretLen]) {
  return hmac_sha256(salt, ikm.data(), ikm.size(), out);
}

bool hkdf_expand_label(ByteView secret, std::string_view label, uint8_t* out, size_t out_len) {
  static constexpr std::string_view kPrefix = "tls13 ";
  if (out_len == 0 || out_len > 255 * kSecretLen || kPrefix.size() + label.size() > 255)
    return false;
  // HkdfLabel: uint16 length, opaque label<7..255>, opaque context<0..255> (empty).
  uint8_t info[2 + 1 + 255 + 1];
  size_t info_len = 0;
  store_be16(info, static_cast<uint16_t>(out_len));
  info[2] = static_cast<uint8_t>(kPrefix.size() + label.size());
  info_len = 3;
  std::memcpy(info + info_len, kPrefix.data(), kPrefix.size());
  info_len += kPrefix.size();
  std::memcpy(info + info_len, label.data(), label.size());
  info_len += label.size();
  info[info_len++] = 0;

  // HKDF-Expand: T(i) = HMAC(PRK, T(i-1) | info | i).
  uint8_t block[kSecretLen + sizeof(info) + 1];
  uint8_t t[kSecretLen];
  size_t t_len = 0;
  size_t done = 0;
  for (uint8_t counter = 1; done < out_len; ++counter) {
    size_t n = 0;
    std::memcpy(block, t, t_len);
    n += t_len;
    std::memcpy(block + n, info, info_len);
    n += info_len;
    block[n++] = counter;
    if (!hmac_sha256(secret, block, n, t)) return false;
    t_len = kSecretLen;
    const size_t take = out_len - done < kSecretLen ? out_len - done : kSecretLen;
    std::memcpy(out + done, t, take);
    done += take;
  }
  return true;
}

bool initial_secret(uint32_t version, ByteView client_dcid, bool server,
                    uint8_t out[kSecretLen]) {
  InitialParams params;
  if (!initial_params(version, params)) return false;
  uint8_t extracted[kSecretLen];
  if (!hkdf_extract(params.salt, client_dcid, extracted)) return false;
  return hkdf_expand_label(ByteView(extracted, kSecretLen), server ? "server in" : "client in",
                           out, kSecretLen);
}

bool derive_packet_keys(ByteView secret, bool v2_labels, PacketKeys& out) {
  return hkdf_expand_label(secret, v2_labels ? "quicv2 key" : "quic key", out.key, kKeyLen) &&
         hkdf_expand_label(secret, v2_labels ? "quicv2 iv" : "quic iv", out.iv, kIvLen) &&
         hkdf_expand_label(secret, v2_labels ? "quicv2 hp" : "quic hp", out.hp, kKeyLen);
}

bool derive_initial_keys(uint32_t version, ByteView client_dcid, bool server, PacketKeys& out) {
  InitialParams params;
  uint8_t secret[kSecretLen];
  return initial_params(version, params) && initial_secret(version, client_dcid, server, secret) &&
         derive_packet_keys(ByteView(secret, kSecretLen), params.v2_labels, out);
}

PacketCipher::~PacketCipher() {
  EVP_CIPHER_CTX_free(aead_);
  EVP_CIPHER_CTX_free(seal_);
  EVP_CIPHER_CTX_free(hp_);
}

bool PacketCipher::set_keys(const PacketKeys& keys) {
  ready_ = false;
  if (aead_ == nullptr) aead_ = EVP_CIPHER_CTX_new();
  if (hp_ == nullptr) hp_ = EVP_CIPHER_CTX_new();
  if (aead_ == nullptr || hp_ == nullptr) return false;
  std::memcpy(key_, keys.key, kKeyLen);
  std::memcpy(iv_, keys.iv, kIvLen);
  // The GCM nonce length is the default 12 bytes (= kIvLen).
  if (EVP_DecryptInit_ex(aead_, aes_128_gcm(), nullptr, key_, nullptr) != 1) return false;
  if (EVP_EncryptInit_ex(hp_, aes_128_ecb(), nullptr, keys.hp, nullptr) != 1) return false;
  EVP_CIPHER_CTX_set_padding(hp_, 0);
  if (seal_ != nullptr &&
      EVP_EncryptInit_ex(seal_, aes_128_gcm(), nullptr, key_, nullptr) != 1)
    return false;
  ready_ = true;
  return true;
}

bool PacketCipher::header_mask(const uint8_t* sample, uint8_t mask[5]) {
  if (!ready_) return false;
  uint8_t block[kHpSampleLen + 16];
  int len = 0;
  if (EVP_EncryptUpdate(hp_, block, &len, sample, static_cast<int>(kHpSampleLen)) != 1 ||
      len != static_cast<int>(kHpSampleLen))
    return false;
  std::memcpy(mask, block, 5);
  return true;
}

void PacketCipher::nonce(uint64_t packet_number, uint8_t out[kIvLen]) const {
  std::memcpy(out, iv_, kIvLen);
  for (int i = 0; i < 8; ++i)
    out[kIvLen - 1 - i] ^= static_cast<uint8_t>(packet_number >> (8 * i));
}

bool PacketCipher::open(uint64_t packet_number, uint8_t first_byte, ByteView header_middle,
                        ByteView packet_number_bytes, ByteView sealed, uint8_t* out) {
  if (!ready_ || sealed.size() < kAeadTagLen || sealed.size() > INT32_MAX) return false;
  uint8_t iv[kIvLen];
  nonce(packet_number, iv);
  int len = 0;
  if (EVP_DecryptInit_ex(aead_, nullptr, nullptr, nullptr, iv) != 1) return false;
  if (EVP_DecryptUpdate(aead_, nullptr, &len, &first_byte, 1) != 1) return false;
  if (!header_middle.empty() &&
      EVP_DecryptUpdate(aead_, nullptr, &len, header_middle.data(),
                        static_cast<int>(header_middle.size())) != 1)
    return false;
  if (EVP_DecryptUpdate(aead_, nullptr, &len, packet_number_bytes.data(),
                        static_cast<int>(packet_number_bytes.size())) != 1)
    return false;
  const size_t plain_len = sealed.size() - kAeadTagLen;
  if (plain_len > 0 &&
      EVP_DecryptUpdate(aead_, out, &len, sealed.data(), static_cast<int>(plain_len)) != 1)
    return false;
  // OpenSSL takes the expected tag through a non-const pointer; it only reads it.
  uint8_t tag[kAeadTagLen];
  std::memcpy(tag, sealed.data() + plain_len, kAeadTagLen);
  if (EVP_CIPHER_CTX_ctrl(aead_, EVP_CTRL_GCM_SET_TAG, static_cast<int>(kAeadTagLen), tag) != 1)
    return false;
  int final_len = 0;
  return EVP_DecryptFinal_ex(aead_, out + plain_len, &final_len) == 1;
}

bool PacketCipher::seal(uint64_t packet_number, ByteView header, ByteView plain, uint8_t* out) {
  if (!ready_ || plain.size() > INT32_MAX || header.size() > INT32_MAX) return false;
  if (seal_ == nullptr) {
    seal_ = EVP_CIPHER_CTX_new();
    if (seal_ == nullptr ||
        EVP_EncryptInit_ex(seal_, aes_128_gcm(), nullptr, key_, nullptr) != 1)
      return false;
  }
  uint8_t iv[kIvLen];
  nonce(packet_number, iv);
  int len = 0;
  if (EVP_EncryptInit_ex(seal_, nullptr, nullptr, nullptr, iv) != 1) return false;
  if (EVP_EncryptUpdate(seal_, nullptr, &len, header.data(), static_cast<int>(header.size())) !=
      1)
    return false;
  if (!plain.empty() &&
      EVP_EncryptUpdate(seal_, out, &len, plain.data(), static_cast<int>(plain.size())) != 1)
    return false;
  int final_len = 0;
  if (EVP_EncryptFinal_ex(seal_, out + plain.size(), &final_len) != 1) return false;
  return EVP_CIPHER_CTX_ctrl(seal_, EVP_CTRL_GCM_GET_TAG, static_cast<int>(kAeadTagLen),
                             out + plain.size()) == 1;
}

uint64_t decode_packet_number(uint64_t largest_seen, bool any_seen, uint64_t truncated,
                              size_t length_bytes) {
  if (length_bytes == 0 || length_bytes > kMaxPacketNumberLen) return truncated;
  const uint64_t expected = any_seen ? largest_seen + 1 : 0;
  const uint64_t win = uint64_t{1} << (length_bytes * 8);
  const uint64_t hwin = win / 2;
  const uint64_t mask = win - 1;
  const uint64_t candidate = (expected & ~mask) | truncated;
  constexpr uint64_t kMax = (uint64_t{1} << 62);
  if (candidate + hwin <= expected && candidate < kMax - win) return candidate + win;
  if (candidate > expected + hwin && candidate >= win) return candidate - win;
  return candidate;
}

}  // namespace seawall::quic
