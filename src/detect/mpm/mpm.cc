#include "detect/mpm/mpm.h"

#include <hs/hs.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <utility>

namespace seawall::detect {

void CandidateSet::resize(size_t rule_count) {
  stamps_.assign(rule_count, 0);
  ids_.clear();
  ids_.reserve(rule_count);
  generation_ = 1;
}

void CandidateSet::clear() {
  ids_.clear();
  if (++generation_ == 0) {  // wrapped: old stamps could alias the new generation
    std::fill(stamps_.begin(), stamps_.end(), 0);
    generation_ = 1;
  }
}

MpmDatabase::MpmDatabase(const std::vector<MpmPattern>& patterns) {
  // Rules sharing a literal share one Vectorscan id; the id maps back to all of them.
  std::map<std::pair<std::string, bool>, std::vector<uint32_t>> literals;
  for (const MpmPattern& p : patterns) {
    if (p.bytes.empty()) throw std::runtime_error("mpm: empty pattern for rule id " +
                                                  std::to_string(p.rule_id));
    literals[{p.bytes, p.nocase}].push_back(p.rule_id);
  }
  literal_count_ = literals.size();
  if (literals.empty()) return;

  // The literal API takes raw bytes and compiles faster with less memory,
  // but rejects a literal whose first byte is NUL; such sets go through the
  // regex compiler with every byte written as \xNN (NUL and metacharacters
  // stay literal).
  bool leading_nul = false;
  for (const auto& entry : literals) leading_nul = leading_nul || entry.first.first[0] == '\0';
  static constexpr char kHex[] = "0123456789abcdef";
  std::vector<std::string> escaped;
  std::vector<const char*> expressions;
  std::vector<size_t> lengths;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  escaped.reserve(literals.size());
  offsets_.reserve(literals.size() + 1);
  for (const auto& [key, rules] : literals) {
    ids.push_back(static_cast<unsigned>(offsets_.size()));
    offsets_.push_back(static_cast<uint32_t>(rule_ids_.size()));
    rule_ids_.insert(rule_ids_.end(), rules.begin(), rules.end());
    if (leading_nul) {
      std::string& e = escaped.emplace_back();
      e.reserve(key.first.size() * 4);
      for (unsigned char c : key.first) {
        e += "\\x";
        e += kHex[c >> 4];
        e += kHex[c & 15];
      }
    } else {
      expressions.push_back(key.first.data());
      lengths.push_back(key.first.size());
    }
    // SINGLEMATCH: one callback per literal per scan is all a prefilter needs.
    flags.push_back(HS_FLAG_SINGLEMATCH | (key.second ? HS_FLAG_CASELESS : 0u));
  }
  offsets_.push_back(static_cast<uint32_t>(rule_ids_.size()));
  for (const std::string& e : escaped) expressions.push_back(e.c_str());

  hs_compile_error_t* error = nullptr;
  hs_error_t rc =
      leading_nul
          ? hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                             static_cast<unsigned>(expressions.size()), HS_MODE_BLOCK, nullptr,
                             &db_, &error)
          : hs_compile_lit_multi(expressions.data(), flags.data(), ids.data(), lengths.data(),
                                 static_cast<unsigned>(expressions.size()), HS_MODE_BLOCK,
                                 nullptr, &db_, &error);
  if (rc != HS_SUCCESS) {
    std::string message = "vectorscan: cannot compile " + std::to_string(expressions.size()) +
                          " literals: ";
    message += error && error->message ? error->message : "unknown error";
    if (error && error->expression >= 0 &&
        static_cast<size_t>(error->expression) < expressions.size())
      message += " (literal #" + std::to_string(error->expression) + ")";
    hs_free_compile_error(error);
    db_ = nullptr;
    throw std::runtime_error(message);
  }
}

MpmDatabase::~MpmDatabase() { hs_free_database(db_); }

size_t MpmDatabase::bytes() const {
  size_t size = 0;
  if (db_ && hs_database_size(db_, &size) != HS_SUCCESS) return 0;
  return size;
}

struct MpmScanContext {
  const MpmDatabase* db;
  CandidateSet* out;

  static int on_match(unsigned id, unsigned long long /*from*/, unsigned long long /*to*/,
                      unsigned /*flags*/, void* context) {
    auto* ctx = static_cast<MpmScanContext*>(context);
    const MpmDatabase& db = *ctx->db;
    if (size_t{id} + 1 >= db.offsets_.size()) return 0;
    for (uint32_t i = db.offsets_[id]; i < db.offsets_[id + 1]; ++i)
      ctx->out->insert(db.rule_ids_[i]);
    return 0;  // keep scanning: every literal's rules are candidates
  }
};

bool MpmDatabase::scan(ByteView data, hs_scratch* scratch, CandidateSet& out) const {
  if (!db_ || data.empty() || !scratch) return db_ == nullptr || data.empty();
  MpmScanContext ctx{this, &out};
  hs_error_t rc = hs_scan(db_, reinterpret_cast<const char*>(data.data()),
                          static_cast<unsigned>(std::min<size_t>(data.size(), UINT32_MAX)), 0,
                          scratch, MpmScanContext::on_match, &ctx);
  return rc == HS_SUCCESS;
}

MpmScratch::~MpmScratch() { hs_free_scratch(scratch_); }

void MpmScratch::grow_for(const MpmDatabase& db) {
  if (db.empty()) return;
  if (hs_alloc_scratch(db.raw(), &scratch_) != HS_SUCCESS)
    throw std::runtime_error("vectorscan: cannot allocate scratch space");
}

MpmScratch MpmScratch::clone() const {
  MpmScratch copy;
  if (scratch_ && hs_clone_scratch(scratch_, &copy.scratch_) != HS_SUCCESS)
    throw std::runtime_error("vectorscan: cannot clone scratch space");
  return copy;
}

}  // namespace seawall::detect
