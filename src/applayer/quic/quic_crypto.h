// QUIC Initial packet protection (RFC 9001 section 5, RFC 9369 section 3.3):
// the per-version salt and labels, HKDF-Extract / HKDF-Expand-Label over
// SHA-256, header protection with AES-128-ECB and payload protection with
// AEAD_AES_128_GCM. Only Initial packets use keys an observer can derive (from
// the client's first Destination Connection ID), so only they are opened.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/byte_view.h"

// OpenSSL's context type, kept out of this header.
struct evp_cipher_ctx_st;

namespace seawall::quic {

inline constexpr size_t kSecretLen = 32;  // SHA-256 output
inline constexpr size_t kKeyLen = 16;     // AES-128
inline constexpr size_t kIvLen = 12;
inline constexpr size_t kHpSampleLen = 16;
inline constexpr size_t kAeadTagLen = 16;
inline constexpr size_t kMaxPacketNumberLen = 4;

// How a version protects its Initial packets; false for versions whose
// Initial keys are unknown (or that are not encrypted at all, gQUIC Q046 and
// older).
struct InitialParams {
  ByteView salt;
  bool v2_labels = false;  // "quicv2 key" ... instead of "quic key" ...
};
bool initial_params(uint32_t version, InitialParams& out);

// RFC 5869 HKDF-Extract(salt, ikm) with SHA-256.
bool hkdf_extract(ByteView salt, ByteView ikm, uint8_t out[kSecretLen]);
// RFC 8446 section 7.1 HKDF-Expand-Label(secret, label, "", out_len), "tls13 " prefixed.
bool hkdf_expand_label(ByteView secret, std::string_view label, uint8_t* out, size_t out_len);

// Key material for one direction.
struct PacketKeys {
  uint8_t key[kKeyLen] = {};
  uint8_t iv[kIvLen] = {};
  uint8_t hp[kKeyLen] = {};
};

// client_initial_secret / server_initial_secret for `version` keyed on the
// client's original Destination Connection ID.
bool initial_secret(uint32_t version, ByteView client_dcid, bool server,
                    uint8_t out[kSecretLen]);
// key / iv / hp from a traffic secret.
bool derive_packet_keys(ByteView secret, bool v2_labels, PacketKeys& out);
// Both steps: the keys protecting the client's (server = false) or the
// server's Initial packets.
bool derive_initial_keys(uint32_t version, ByteView client_dcid, bool server, PacketKeys& out);

// Opens (and, for building test packets, seals) packets with one direction's
// keys. Holds its OpenSSL contexts for the flow's lifetime so the per-packet
// path allocates nothing.
class PacketCipher {
 public:
  PacketCipher() = default;
  ~PacketCipher();
  PacketCipher(const PacketCipher&) = delete;
  PacketCipher& operator=(const PacketCipher&) = delete;

  bool set_keys(const PacketKeys& keys);
  bool ready() const { return ready_; }

  // The 5-byte header-protection mask from a 16-byte sample.
  bool header_mask(const uint8_t* sample, uint8_t mask[5]);

  // AEAD-opens `sealed` (ciphertext followed by the 16-byte tag) into `out`
  // (room for sealed.size() - 16 bytes). The associated data is the
  // unprotected header, given in three parts so it need not be copied:
  // first byte, the bytes up to the packet number, the packet number bytes.
  bool open(uint64_t packet_number, uint8_t first_byte, ByteView header_middle,
            ByteView packet_number_bytes, ByteView sealed, uint8_t* out);

  // Seals `plain` with associated data `header` (already unprotected form)
  // into `out` (plain.size() + 16 bytes).
  bool seal(uint64_t packet_number, ByteView header, ByteView plain, uint8_t* out);

 private:
  void nonce(uint64_t packet_number, uint8_t out[kIvLen]) const;

  evp_cipher_ctx_st* aead_ = nullptr;
  evp_cipher_ctx_st* seal_ = nullptr;
  evp_cipher_ctx_st* hp_ = nullptr;
  uint8_t key_[kKeyLen] = {};
  uint8_t iv_[kIvLen] = {};
  bool ready_ = false;
};

// RFC 9000 A.3: full packet number from its truncated encoding.
uint64_t decode_packet_number(uint64_t largest_seen, bool any_seen, uint64_t truncated,
                              size_t length_bytes);

}  // namespace seawall::quic
