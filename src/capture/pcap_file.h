// Reads pcap and pcapng files (libpcap) — one file, or every capture in a
// directory in name order — with an optional BPF filter.
#pragma once

#include <pcap/pcap.h>

#include <string>
#include <vector>

#include "capture/source.h"

namespace seawall {

class PcapFileSource : public CaptureSource {
 public:
  // `path` is a file or a directory. Throws std::runtime_error when the path
  // does not exist or a directory holds no files.
  PcapFileSource(const std::string& path, std::string bpf_filter);
  ~PcapFileSource() override;

  ReadStatus next(RawFrame& out) override;
  uint64_t open_failures() const override { return open_failures_; }
  uint64_t truncated_files() const override { return truncated_files_; }
  const std::string& current_name() const override { return current_name_; }
  std::unique_ptr<CaptureSource> open_replica() const override;
  const std::vector<std::string>& files() const { return files_; }

 private:
  PcapFileSource(std::vector<std::string> files, std::string bpf_filter, bool quiet);

  bool open_next_file();
  void close_current();

  std::vector<std::string> files_;
  size_t next_file_ = 0;
  std::string bpf_filter_;
  pcap_t* handle_ = nullptr;
  // stdio buffer of the open file's stream (glibc only honours a size with a
  // caller buffer); outlives the stream, which pcap_close closes.
  std::vector<char> read_buffer_;
  LayerKind link_ = LayerKind::kUnknown;
  std::string current_name_;
  uint64_t file_packets_ = 0;  // packets read from the current file
  uint64_t pcap_cnt_ = 0;
  uint64_t open_failures_ = 0;
  uint64_t truncated_files_ = 0;
  bool quiet_ = false;  // a replica: the original logs what happens to the files
};

}  // namespace seawall
