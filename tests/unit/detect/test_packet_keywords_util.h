// Helpers for the packet/flow keyword tests: decode hand-made packets with
// the real decoder, run a keyword's setup on a RuleBuilder and evaluate the
// rule's packet matchers / post-match actions.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/counters.h"
#include "decode/decoder.h"
#include "decode/packet.h"
#include "detect/keywords/keyword.h"
#include "flow/flow.h"

namespace seawall::detect::testing {

inline std::vector<uint8_t> from_hex(std::string_view hex) {
  std::vector<uint8_t> out;
  auto nibble = [](char c) {
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
  };
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
  }
  return out;
}

// A decoded packet that owns its bytes (not copyable: the Packet points into them).
struct TestPacket {
  std::vector<uint8_t> bytes;
  Packet p;
  TestPacket(std::vector<uint8_t> b, LayerKind link) : bytes(std::move(b)) {
    DecodeOptions options;
    ThreadCounters counters;
    DecodeContext ctx{options, counters};
    reset_packet(p);
    p.data = bytes.data();
    p.caplen = p.wirelen = static_cast<uint32_t>(bytes.size());
    p.link = link;
    decode_packet(ctx, p);
  }
  TestPacket(const TestPacket&) = delete;
  TestPacket& operator=(const TestPacket&) = delete;
};

inline std::unique_ptr<TestPacket> raw_ip(std::string_view hex) {
  return std::make_unique<TestPacket>(from_hex(hex), LayerKind::kIpRaw);
}
inline std::unique_ptr<TestPacket> ethernet(std::string_view hex) {
  return std::make_unique<TestPacket>(from_hex(hex), LayerKind::kEthernet);
}

// The matchers under test never touch the thread; MatchContext still wants one.
inline DetectThread& no_thread() {
  alignas(64) static unsigned char storage[64] = {};
  return *reinterpret_cast<DetectThread*>(storage);
}

// One rule under construction plus the shared load context.
struct Harness {
  Rule rule;
  RuleLoadContext context;
  RuleBuilder builder{rule, context};

  void setup(std::string_view keyword, std::string_view value) {
    const KeywordDescriptor* d = find_keyword(keyword);
    ASSERT_NE(d, nullptr) << keyword;
    ASSERT_NE(d->setup, nullptr) << keyword;
    d->setup(builder, value);
  }
  // The RuleError message of a rejected value ("" when accepted).
  std::string error(std::string_view keyword, std::string_view value) {
    const KeywordDescriptor* d = find_keyword(keyword);
    if (d == nullptr) return "keyword not registered";
    try {
      d->setup(builder, value);
    } catch (const RuleError& e) {
      return e.what();
    }
    return "";
  }
  bool match(const Packet& p, Flow* flow = nullptr) const {
    MatchContext ctx{p, flow, no_thread()};
    for (const auto& m : rule.packet_matchers) {
      if (!m->match(ctx)) return false;
    }
    return true;
  }
  void post(const Packet& p, Flow* flow) const {
    MatchContext ctx{p, flow, no_thread()};
    for (const auto& m : rule.post_matchers) m->apply(ctx);
  }
};

// Accept/reject helpers for a fresh rule each time.
inline bool accepts(std::string_view keyword, std::string_view value) {
  Harness h;
  return h.error(keyword, value).empty();
}
inline std::string rejects(std::string_view keyword, std::string_view value) {
  Harness h;
  return h.error(keyword, value);
}

// Hand-made packets, checked with tshark (checksums, options, flags):
// IPv4 192.168.1.1 -> 192.168.1.2, tos 0x10, id 0x1234, DF, ttl 64, TCP
// 12345 -> 80, seq 1000, flags SYN|ECE|CWR, window 8192, MSS 1460.
inline constexpr std::string_view kTcpSyn =
    "45100030123440004006a530c0a80101c0a8010230390050000003e80000000070c22000aa9a0000020405b4"
    "01010402";
// IPv4 with a record-route option then EOL, id 0x9c5d, no DF, ICMP echo id 0x1234 seq 7.
inline constexpr std::string_view kIcmpEchoRr =
    "470000289c5d000040014e1dc0a80101c0a801020707040000000000080020fe1234000761626364";
// IPv4 UDP first fragment (MF set).
inline constexpr std::string_view kUdpFirstFragment =
    "45000020123420004011c545c0a80101c0a8010214e90035000c7f8a74657374";
// Suricata's detect-csum.c DetectCsumICMPV6Test01 frame: Ethernet, IPv6 with
// destination-options and fragment headers, ICMPv6 echo request, valid checksum
// (tshark agrees).
inline constexpr std::string_view kIcmpv6EchoEth =
    "003018a87c232c4138a7eaeb86dd6000000000403c40ada109800001d6f32001f4beea3c00010000000032b2"
    "000132b20980200100003c000104000000003c000104000000002c000104000000002c000000000000003c00"
    "0000000000002c000104000000003a00000000000000800063c200000000";

}  // namespace seawall::detect::testing
