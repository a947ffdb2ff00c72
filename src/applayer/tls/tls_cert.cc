#include "applayer/tls/tls_cert.h"

#include <openssl/asn1.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/provider.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <memory>
#include <vector>

#include "core/hash.h"

namespace seawall::tls {
namespace {

// Attribute names as Suricata's x509 printer spells them (emailAddress is
// "Email"); other known attributes use OpenSSL's short names, unknown ones
// their dotted OID.
void append_attribute_name(std::string& out, const ASN1_OBJECT* obj) {
  const int nid = OBJ_obj2nid(obj);
  if (nid == NID_pkcs9_emailAddress) {
    out.append("Email");
    return;
  }
  if (nid != NID_undef) {
    if (const char* sn = OBJ_nid2sn(nid)) {
      out.append(sn);
      return;
    }
  }
  char buf[128];
  const int n = OBJ_obj2txt(buf, sizeof buf, obj, 1);
  if (n > 0) out.append(buf, static_cast<size_t>(std::min<int>(n, sizeof buf - 1)));
}

void format_name(const X509_NAME* name, std::string& out) {
  out.clear();
  const int count = X509_NAME_entry_count(name);
  int last_set = -1;
  for (int i = 0; i < count; ++i) {
    const X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, i);
    if (entry == nullptr) continue;
    const int set = X509_NAME_ENTRY_set(entry);
    if (i != 0) out.append(set == last_set ? " + " : ", ");
    last_set = set;
    append_attribute_name(out, X509_NAME_ENTRY_get_object(entry));
    out.push_back('=');
    const ASN1_STRING* value = X509_NAME_ENTRY_get_data(entry);
    unsigned char* utf8 = nullptr;
    const int len = ASN1_STRING_to_UTF8(&utf8, value);
    if (len >= 0 && utf8 != nullptr) {
      out.append(reinterpret_cast<const char*>(utf8), static_cast<size_t>(len));
    }
    OPENSSL_free(utf8);
  }
}

void append_colon_hex(std::string& out, const unsigned char* data, size_t len, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  for (size_t i = 0; i < len; ++i) {
    if (i != 0) out.push_back(':');
    out.push_back(digits[data[i] >> 4]);
    out.push_back(digits[data[i] & 0xf]);
  }
}

bool time_to_epoch(const ASN1_TIME* t, int64_t& out) {
  if (t == nullptr) return false;
  struct tm tm {};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return false;
  out = static_cast<int64_t>(timegm(&tm));
  return true;
}

struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};

// Certificates are decoded in a library context holding only OpenSSL's null
// provider. d2i_X509 decodes the subject public key opportunistically (a
// failure there is not a decoding failure); with the default providers
// OpenSSL 3 builds a decoder context over every key type for each
// certificate, most of the certificate's cost, for a key nothing here reads.
// nullptr (default context) if the null provider cannot be loaded.
OSSL_LIB_CTX* certificate_libctx() {
  static OSSL_LIB_CTX* const ctx = [] {
    OSSL_LIB_CTX* c = OSSL_LIB_CTX_new();
    if (c != nullptr && OSSL_PROVIDER_load(c, "null") == nullptr) {
      OSSL_LIB_CTX_free(c);
      c = nullptr;
    }
    return c;
  }();
  return ctx;
}

// SHA-1 fetched once: EVP_sha1() makes OpenSSL 3 look the algorithm up on
// every digest.
const EVP_MD* sha1_md() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  return md != nullptr ? md : EVP_sha1();
}

}  // namespace

void CertInfo::clear() {
  subject.clear();
  issuer.clear();
  serial.clear();
  fingerprint.clear();
  not_before = 0;
  not_after = 0;
  san_dns.clear();
}

namespace {

bool decode_with_openssl(ByteView der, CertInfo& out, std::string_view& event);

// Servers send the same certificate to every client: a per-thread cache of
// recently decoded certificates (keyed by the whole DER, compared in full)
// spares the ASN.1 decoding of repeats.
struct CachedCertificate {
  std::vector<uint8_t> der;
  CertInfo info;
  std::string_view event;
  bool ok = false;
  bool used = false;
};
constexpr size_t kCertificateCacheSize = 128;
// Larger certificates are decoded every time: the cache's memory stays
// bounded (128 x 16 KiB per thread) whatever a peer sends.
constexpr size_t kMaxCachedCertificateBytes = 16 * 1024;

}  // namespace

bool decode_certificate(ByteView der, CertInfo& out, std::string_view& event) {
  if (der.size() > kMaxCachedCertificateBytes) return decode_with_openssl(der, out, event);
  thread_local std::vector<CachedCertificate> cache(kCertificateCacheSize);
  CachedCertificate& slot = cache[hash_bytes(der.data(), der.size()) % kCertificateCacheSize];
  if (slot.used && slot.der.size() == der.size() &&
      std::equal(der.begin(), der.end(), slot.der.begin())) {
    out = slot.info;
    if (!slot.ok) event = slot.event;
    return slot.ok;
  }
  std::string_view decode_event;
  const bool ok = decode_with_openssl(der, out, decode_event);
  if (!ok) event = decode_event;
  slot.der.assign(der.begin(), der.end());
  slot.info = out;
  slot.event = decode_event;
  slot.ok = ok;
  slot.used = true;
  return ok;
}

namespace {

bool decode_with_openssl(ByteView der, CertInfo& out, std::string_view& event) {
  out.clear();
  const unsigned char* p = der.data();
  const long der_len = static_cast<long>(der.size());
  OSSL_LIB_CTX* libctx = certificate_libctx();
  X509* raw = libctx != nullptr ? reinterpret_cast<X509*>(ASN1_item_d2i_ex(
                                      nullptr, &p, der_len, ASN1_ITEM_rptr(X509), libctx, nullptr))
                                : d2i_X509(nullptr, &p, der_len);
  if (raw == nullptr) {
    event = "certificate_invalid_der";
    return false;
  }
  std::unique_ptr<X509, X509Deleter> cert(raw);

  const X509_NAME* subject = X509_get_subject_name(raw);
  const X509_NAME* issuer = X509_get_issuer_name(raw);
  if (subject != nullptr) format_name(subject, out.subject);
  if (issuer != nullptr) format_name(issuer, out.issuer);

  // The DER re-encoding restores the 0x00 sign byte that Suricata prints.
  if (const ASN1_INTEGER* serial = X509_get0_serialNumber(raw)) {
    unsigned char* enc = nullptr;
    const int len = i2d_ASN1_INTEGER(serial, &enc);
    if (len > 2 && enc != nullptr) {
      // Skip tag and length (short or long form).
      size_t header = 2;
      if (enc[1] & 0x80) header += enc[1] & 0x7f;
      if (header < static_cast<size_t>(len)) {
        append_colon_hex(out.serial, enc + header, static_cast<size_t>(len) - header, true);
      }
    }
    OPENSSL_free(enc);
  }

  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  if (EVP_Digest(der.data(), der.size(), digest, &digest_len, sha1_md(), nullptr) == 1) {
    append_colon_hex(out.fingerprint, digest, digest_len, false);
  }

  const bool dates_ok = time_to_epoch(X509_get0_notBefore(raw), out.not_before) &&
                        time_to_epoch(X509_get0_notAfter(raw), out.not_after);

  auto* names = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(raw, NID_subject_alt_name, nullptr, nullptr));
  if (names != nullptr) {
    const int n = sk_GENERAL_NAME_num(names);
    for (int i = 0; i < n; ++i) {
      const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names, i);
      if (gn == nullptr || gn->type != GEN_DNS) continue;
      const ASN1_STRING* s = gn->d.dNSName;
      out.san_dns.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                               static_cast<size_t>(ASN1_STRING_length(s)));
    }
    GENERAL_NAMES_free(names);
  }
  if (!dates_ok) {
    event = "certificate_invalid_date";
    return false;
  }
  return true;
}

}  // namespace

size_t format_cert_time(int64_t epoch_seconds, char* out, size_t cap) {
  const time_t t = static_cast<time_t>(epoch_seconds);
  struct tm tm {};
  if (cap == 0 || gmtime_r(&t, &tm) == nullptr) return 0;
  const int n = std::snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                              tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  if (n < 0) return 0;
  return std::min(static_cast<size_t>(n), cap - 1);
}

}  // namespace seawall::tls
