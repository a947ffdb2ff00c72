// Multi-pattern matcher on Vectorscan (Hyperscan API) in block mode: one
// compiled database per (rule group, buffer), shared read-only by all workers;
// per-thread scratch; matches reported as rule ids into a per-thread,
// de-duplicated candidate set (no allocation per packet).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/byte_view.h"

struct hs_database;
struct hs_scratch;

namespace seawall::detect {

// One literal to find: raw bytes (any value, including NUL), case folding,
// and the rule it stands for. Several rules may share the same literal.
struct MpmPattern {
  std::string bytes;
  bool nocase = false;
  uint32_t rule_id = 0;
};

// The rules found by a scan, each once, in insertion order. Membership is a
// generation-stamped array sized for every rule of the engine, so clear() is
// O(1) and insert() never allocates.
class CandidateSet {
 public:
  void resize(size_t rule_count);  // load/thread-setup time only
  void clear();
  // Adds id (ignored when already present or out of range).
  void insert(uint32_t id) {
    if (id >= stamps_.size() || stamps_[id] == generation_) return;
    stamps_[id] = generation_;
    ids_.push_back(id);  // capacity reserved by resize(): no allocation
  }
  bool contains(uint32_t id) const { return id < stamps_.size() && stamps_[id] == generation_; }
  std::span<uint32_t> ids() { return ids_; }
  size_t size() const { return ids_.size(); }
  size_t capacity() const { return stamps_.size(); }

 private:
  std::vector<uint32_t> stamps_;
  std::vector<uint32_t> ids_;
  uint32_t generation_ = 1;
};

// A compiled literal set. Throws std::runtime_error with Vectorscan's message
// when compilation fails. An empty pattern set is valid and matches nothing.
class MpmDatabase {
 public:
  explicit MpmDatabase(const std::vector<MpmPattern>& patterns);
  ~MpmDatabase();
  MpmDatabase(const MpmDatabase&) = delete;
  MpmDatabase& operator=(const MpmDatabase&) = delete;

  bool empty() const { return db_ == nullptr; }
  size_t pattern_count() const { return literal_count_; }  // distinct (bytes, nocase)
  size_t rule_count() const { return rule_ids_.size(); }
  size_t bytes() const;  // compiled database size

  // Scans data; every rule whose literal occurs is inserted into out. Returns
  // false only on a Vectorscan runtime error (the set then holds what was found).
  bool scan(ByteView data, hs_scratch* scratch, CandidateSet& out) const;

  hs_database* raw() const { return db_; }

 private:
  friend struct MpmScanContext;
  hs_database* db_ = nullptr;
  size_t literal_count_ = 0;
  // Literal i maps to rule_ids_[offsets_[i] .. offsets_[i+1]).
  std::vector<uint32_t> offsets_;
  std::vector<uint32_t> rule_ids_;
};

// Scratch space for scanning; one per worker thread. grow_for() at setup time
// for every database the thread may scan (hs_alloc_scratch sizes it for all).
class MpmScratch {
 public:
  MpmScratch() = default;
  ~MpmScratch();
  MpmScratch(const MpmScratch&) = delete;
  MpmScratch& operator=(const MpmScratch&) = delete;
  MpmScratch(MpmScratch&& other) noexcept : scratch_(other.scratch_) { other.scratch_ = nullptr; }

  void grow_for(const MpmDatabase& db);  // throws std::runtime_error
  // A copy for another thread (hs_clone_scratch); throws on failure.
  MpmScratch clone() const;
  hs_scratch* get() const { return scratch_; }

 private:
  hs_scratch* scratch_ = nullptr;
};

}  // namespace seawall::detect
