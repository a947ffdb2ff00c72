#include "capture/pcap_live.h"

#include <stdexcept>

#include "capture/link_type.h"

namespace seawall {

PcapLiveSource::PcapLiveSource(const std::string& interface, const std::string& bpf_filter,
                               int snaplen, bool promiscuous)
    : interface_(interface) {
  char errbuf[PCAP_ERRBUF_SIZE] = {0};
  handle_ = pcap_create(interface.c_str(), errbuf);
  if (handle_ == nullptr) throw std::runtime_error("interface " + interface + ": " + errbuf);
  pcap_set_snaplen(handle_, snaplen);
  pcap_set_promisc(handle_, promiscuous ? 1 : 0);
  pcap_set_timeout(handle_, 100);  // ms: bounds how long a stop request waits
  pcap_set_buffer_size(handle_, 64 << 20);
  int rc = pcap_activate(handle_);
  if (rc < 0) {
    std::string err = pcap_geterr(handle_);
    pcap_close(handle_);
    handle_ = nullptr;
    throw std::runtime_error("interface " + interface + ": cannot start capture: " + err);
  }
  link_ = layer_for_datalink(pcap_datalink(handle_));
  if (link_ == LayerKind::kUnknown) {
    pcap_close(handle_);
    handle_ = nullptr;
    throw std::runtime_error("interface " + interface + ": unsupported link type");
  }
  if (!bpf_filter.empty()) {
    bpf_program program{};
    if (pcap_compile(handle_, &program, bpf_filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0 ||
        pcap_setfilter(handle_, &program) != 0) {
      std::string err = pcap_geterr(handle_);
      pcap_close(handle_);
      handle_ = nullptr;
      throw std::runtime_error("invalid BPF filter '" + bpf_filter + "': " + err);
    }
    pcap_freecode(&program);
  }
}

PcapLiveSource::~PcapLiveSource() {
  if (handle_ != nullptr) pcap_close(handle_);
}

void PcapLiveSource::request_stop() {
  stop_.store(true);
  if (handle_ != nullptr) pcap_breakloop(handle_);
}

ReadStatus PcapLiveSource::next(RawFrame& out) {
  while (!stop_.load(std::memory_order_relaxed)) {
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    int rc = pcap_next_ex(handle_, &header, &data);
    if (rc == 1) {
      out.ts = Timestamp{header->ts.tv_sec, static_cast<int32_t>(header->ts.tv_usec)};
      out.data = data;
      out.caplen = header->caplen;
      out.wirelen = header->len;
      out.link = link_;
      out.pcap_cnt = ++pcap_cnt_;
      return ReadStatus::kFrame;
    }
    if (rc == 0) continue;  // read timeout: check the stop flag
    if (rc == PCAP_ERROR_BREAK) break;
    return ReadStatus::kError;
  }
  return ReadStatus::kEnd;
}

bool PcapLiveSource::kernel_stats(uint64_t& received, uint64_t& dropped, uint64_t& if_dropped) {
  pcap_stat st{};
  if (handle_ == nullptr || pcap_stats(handle_, &st) != 0) return false;
  received = st.ps_recv;
  dropped = st.ps_drop;
  if_dropped = st.ps_ifdrop;
  return true;
}

}  // namespace seawall
