#include "output/eve/eve_writer.h"

#include "output/eve/eve_common.h"

#include "output/eve/json_writer.h"

namespace seawall {

namespace {
// Room for the largest record on top of the flush threshold, so appending a
// record never reallocates once the writer exists.
constexpr size_t kRecordHeadroom = 64 * 1024;
}  // namespace

EveWriter::EveWriter(const EveConfig& config, EveSink& sink) : config_(config), sink_(sink) {
  buffer_.reserve(config_.batch_bytes + kRecordHeadroom);
  eve::set_ipv6_compressed(config_.ipv6_compress);
}

EveWriter::~EveWriter() { flush(); }

void EveWriter::begin_record() { record_start_ = buffer_.size(); }

void EveWriter::end_record(JsonWriter& w) {
  // Suricata adds pcap_filename last, just before closing the record.
  if (config_.include_pcap_filename && !pcap_filename_.empty()) {
    w.member("pcap_filename", pcap_filename_);
  }
  w.end_object();
  w.buffer().push_back('\n');  // hands the writer's slack back first
  ++pending_lines_;
  ++records_;
  if (buffer_.size() >= config_.batch_bytes) flush();
}

void EveWriter::flush() {
  if (pending_lines_ == 0) return;
  sink_.write_batch(buffer_, pending_lines_);
  buffer_.clear();  // keeps the capacity
  pending_lines_ = 0;
  record_start_ = 0;
}

}  // namespace seawall
