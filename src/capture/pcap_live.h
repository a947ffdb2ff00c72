// Live capture from a network interface through libpcap (-i IFACE).
#pragma once

#include <pcap/pcap.h>

#include <atomic>
#include <string>

#include "capture/source.h"

namespace seawall {

class PcapLiveSource : public CaptureSource {
 public:
  // Throws std::runtime_error naming the interface when it cannot be opened.
  PcapLiveSource(const std::string& interface, const std::string& bpf_filter,
                 int snaplen = 262144, bool promiscuous = true);
  ~PcapLiveSource() override;

  ReadStatus next(RawFrame& out) override;
  void request_stop() override;
  const std::string& current_name() const override { return interface_; }

  // Kernel counters (capture.kernel_packets / kernel_drops / kernel_ifdrops).
  bool kernel_stats(uint64_t& received, uint64_t& dropped, uint64_t& if_dropped);

 private:
  std::string interface_;
  pcap_t* handle_ = nullptr;
  LayerKind link_ = LayerKind::kUnknown;
  uint64_t pcap_cnt_ = 0;
  std::atomic<bool> stop_{false};
};

}  // namespace seawall
