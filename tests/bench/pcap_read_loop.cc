// Baseline for scripts/bench.sh: the fastest a libpcap reader can go through a
// capture (pcap_next_ex, touching each packet's first byte), printed as
//   packets=N bytes=N seconds=S mbit_per_s=X packets_per_s=Y
#include <pcap/pcap.h>

#include <chrono>
#include <cstdint>
#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CAPTURE\n", argv[0]);
    return 2;
  }
  char errbuf[PCAP_ERRBUF_SIZE];
  pcap_t* handle = pcap_open_offline(argv[1], errbuf);
  if (handle == nullptr) {
    std::fprintf(stderr, "pcap_read_loop: %s: %s\n", argv[1], errbuf);
    return 1;
  }
  uint64_t packets = 0, bytes = 0;
  unsigned checksum = 0;  // keeps the first-byte reads from being optimised away
  auto start = std::chrono::steady_clock::now();
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  int rc;
  while ((rc = pcap_next_ex(handle, &header, &data)) == 1) {
    ++packets;
    bytes += header->caplen;
    if (header->caplen > 0) checksum += data[0];
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (rc == PCAP_ERROR) std::fprintf(stderr, "pcap_read_loop: %s: %s\n", argv[1], pcap_geterr(handle));
  pcap_close(handle);
  if (seconds <= 0) seconds = 1e-9;
  std::printf("packets=%llu bytes=%llu seconds=%.6f mbit_per_s=%.1f packets_per_s=%.0f first_byte_sum=%u\n",
              static_cast<unsigned long long>(packets), static_cast<unsigned long long>(bytes),
              seconds, bytes * 8.0 / seconds / 1e6, packets / seconds, checksum);
  return rc == PCAP_ERROR ? 1 : 0;
}
