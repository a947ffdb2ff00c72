// Rule identity and metadata keywords: msg sid rev gid classtype priority
// reference metadata target. They only fill fields of Rule.
#pragma once

namespace seawall::detect {

// The rule parser calls this so that a static archive always keeps the meta
// keywords' object file (their registration is a static initializer).
void link_meta_keywords();

}  // namespace seawall::detect
