// PCRE2 helpers shared by the pcre keyword and the pcrexform transform:
// load-time compilation (with JIT when available) and the per-thread match data.
#pragma once

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace seawall::detect {

// Owns a compiled pattern (+ its match context with Suricata's default limits).
class CompiledRegex {
 public:
  // Throws RuleError("<keyword>: ...") with PCRE2's message and offset.
  CompiledRegex(std::string_view keyword, std::string_view pattern, uint32_t options,
                bool unlimited);
  ~CompiledRegex();
  CompiledRegex(const CompiledRegex&) = delete;
  CompiledRegex& operator=(const CompiledRegex&) = delete;

  // pcre2_match on data[0,len) from start_offset, using the calling thread's
  // match data. Returns the PCRE2 result code; ovector() is valid when >= 0.
  int match(const uint8_t* data, uint32_t len, uint32_t start_offset) const;
  static const PCRE2_SIZE* ovector();
  uint32_t capture_count() const;
  bool jit() const { return jit_; }

 private:
  pcre2_code* code_ = nullptr;
  pcre2_match_context* context_ = nullptr;
  bool jit_ = false;
};

// Per-thread match data (created on a thread's first match, freed at thread
// exit): pcre2_match_data must not be shared between threads. A later step may
// move it into DetectThread; thread_local keeps the hot path allocation-free.
pcre2_match_data* thread_match_data();

}  // namespace seawall::detect
