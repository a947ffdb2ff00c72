#include "capture/pcap_file.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "capture/link_type.h"
#include "core/log.h"

namespace seawall {
namespace fs = std::filesystem;

namespace {
constexpr size_t kReadBufferBytes = size_t{1} << 16;
}  // namespace

namespace {
// A filter that does not compile is the operator's error: refuse it before
// any thread starts reading (it would otherwise surface mid-run, per file).
void check_bpf_syntax(const std::string& filter) {
  if (filter.empty()) return;
  // A filter may compile for one link type and not for another: refuse only
  // what compiles for none of the link types read here.
  std::string first_error;
  for (int dlt : {DLT_EN10MB, DLT_LINUX_SLL, 276 /* SLL2 */, DLT_RAW, DLT_NULL, DLT_PPP,
                  DLT_C_HDLC}) {
    pcap_t* dead = pcap_open_dead(dlt, 65535);
    if (dead == nullptr) return;  // checked again when each file opens
    bpf_program program{};
    const bool ok = pcap_compile(dead, &program, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) == 0;
    if (ok) pcap_freecode(&program);
    else if (first_error.empty()) first_error = pcap_geterr(dead);
    pcap_close(dead);
    if (ok) return;
  }
  throw std::runtime_error("invalid BPF filter '" + filter + "': " + first_error);
}
}  // namespace

PcapFileSource::PcapFileSource(const std::string& path, std::string bpf_filter)
    : bpf_filter_(std::move(bpf_filter)) {
  check_bpf_syntax(bpf_filter_);
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      if (entry.is_regular_file()) files_.push_back(entry.path().string());
    }
    std::sort(files_.begin(), files_.end());
    if (files_.empty()) throw std::runtime_error("no capture files in directory " + path);
  } else if (fs::exists(path, ec)) {
    files_.push_back(path);
  } else {
    throw std::runtime_error("capture file not found: " + path);
  }
}

PcapFileSource::PcapFileSource(std::vector<std::string> files, std::string bpf_filter, bool quiet)
    : files_(std::move(files)), bpf_filter_(std::move(bpf_filter)), quiet_(quiet) {}

PcapFileSource::~PcapFileSource() { close_current(); }

std::unique_ptr<CaptureSource> PcapFileSource::open_replica() const {
  return std::unique_ptr<CaptureSource>(new PcapFileSource(files_, bpf_filter_, /*quiet=*/true));
}

void PcapFileSource::close_current() {
  if (handle_ != nullptr) {
    pcap_close(handle_);
    handle_ = nullptr;
  }
}

bool PcapFileSource::open_next_file() {
  close_current();
  while (next_file_ < files_.size()) {
    current_name_ = files_[next_file_++];
    char errbuf[PCAP_ERRBUF_SIZE] = {0};
    // Our own stream with a 64 KiB buffer: libpcap's default stdio buffer
    // (4 KiB) costs one read() per few packets. libpcap closes the stream.
    // If it cannot be opened, libpcap's own open reports why.
    handle_ = nullptr;
    if (FILE* f = std::fopen(current_name_.c_str(), "rb")) {
      read_buffer_.resize(kReadBufferBytes);
      // On failure stdio keeps its default buffer.
      (void)std::setvbuf(f, read_buffer_.data(), _IOFBF, read_buffer_.size());
      handle_ = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
      if (handle_ == nullptr) std::fclose(f);  // not taken over on failure
    } else {
      handle_ = pcap_open_offline_with_tstamp_precision(current_name_.c_str(),
                                                        PCAP_TSTAMP_PRECISION_MICRO, errbuf);
    }
    if (handle_ == nullptr) {
      if (!quiet_) log_error(current_name_ + ": not a readable pcap/pcapng capture: " + errbuf);
      ++open_failures_;
      continue;
    }
    int dlt = pcap_datalink(handle_);
    link_ = layer_for_datalink(dlt);
    if (link_ == LayerKind::kUnknown) {
      const char* name = pcap_datalink_val_to_name(dlt);
      if (!quiet_)
        log_error(current_name_ + ": unsupported link type " + std::to_string(dlt) + " (" +
                (name ? name : "unknown") + ")");
      ++open_failures_;
      close_current();
      continue;
    }
    if (!bpf_filter_.empty()) {
      bpf_program program{};
      if (pcap_compile(handle_, &program, bpf_filter_.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0 ||
          pcap_setfilter(handle_, &program) != 0) {
        std::string err = pcap_geterr(handle_);
        pcap_freecode(&program);
        close_current();
        // A bad filter is the operator's error, not the file's: stop the run.
        throw std::runtime_error("invalid BPF filter '" + bpf_filter_ + "': " + err);
      }
      pcap_freecode(&program);
    }
    file_packets_ = 0;
    if (!quiet_) log_info("reading " + current_name_);
    return true;
  }
  return false;
}

ReadStatus PcapFileSource::next(RawFrame& out) {
  for (;;) {
    if (handle_ == nullptr && !open_next_file()) return ReadStatus::kEnd;
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    int rc = pcap_next_ex(handle_, &header, &data);
    if (rc == 1) {
      ++file_packets_;
      out.ts = Timestamp{header->ts.tv_sec, static_cast<int32_t>(header->ts.tv_usec)};
      out.data = data;
      out.caplen = header->caplen;
      out.wirelen = header->len;
      out.link = link_;
      out.pcap_cnt = ++pcap_cnt_;
      return ReadStatus::kFrame;
    }
    if (rc == PCAP_ERROR) {
      // libpcap reports a record cut short as an error; like Suricata we
      // keep what was read and say exactly where the file ends.
      if (!quiet_)
        log_warning(current_name_ + ": capture truncated after packet " +
                  std::to_string(file_packets_) + " (packet " + std::to_string(file_packets_ + 1) +
                  " unreadable: " + pcap_geterr(handle_) + ")");
      ++truncated_files_;
    }
    close_current();  // PCAP_ERROR_BREAK (end of file) or error: next file
  }
}

}  // namespace seawall
