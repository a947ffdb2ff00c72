// MD5 in lowercase hex: the hash of the JA3/JA3S, HASSH and CYU
// fingerprint strings (their specs fix MD5), shared by tls/, ssh/ and quic/.
#pragma once

#include <string>
#include <string_view>

namespace seawall::applayer {

// 32 lowercase hex chars in `out` (cleared first; left empty if OpenSSL fails).
void md5_hex(std::string_view text, std::string& out);

}  // namespace seawall::applayer
