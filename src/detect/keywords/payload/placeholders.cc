// Payload keywords that are known but need a component that does not exist
// yet: rules using them are reported unsupported with the reason.
#include "detect/keywords/keyword.h"

namespace seawall::detect {

namespace {

const bool kRegistered = [] {
  register_keyword({.name = "urilen", .help = "length of the HTTP URI",
                    .kind = KeywordKind::kPayload, .flags = kValueRequired,
                    .unsupported_reason = "needs the HTTP parser — not yet available"});
  register_keyword({.name = "asn1", .help = "ASN.1 structure checks on the payload",
                    .kind = KeywordKind::kPayload, .flags = kValueRequired,
                    .unsupported_reason = "needs the ASN.1 decoder — not yet available"});
  register_keyword({.name = "ftpbounce", .help = "FTP PORT bounce detection",
                    .kind = KeywordKind::kPayload, .flags = kNoValue,
                    .unsupported_reason = "needs the FTP parser — not yet available"});
  return true;
}();

}  // namespace

}  // namespace seawall::detect
