// Defragmentation tests. Fragments are real IPv4/IPv6 bytes run through the
// decoder; rebuilt datagrams are decoded again and checked at L4. Oracles:
// Suricata's defrag.c unit tests (Sturges/Novak overlap vectors per policy,
// Jeremy/Linux, MF ordering), Snort frag3's bsd-right rules, the reassembled
// packets suricata-verify expects (tests/defrag/*), and tshark's reassembly
// of a real GTP capture.
#include "stream/defrag.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/counters.h"
#include "decode/decoder.h"
#include "../decode/pcap_test_reader.h"

namespace seawall::stream {
namespace {

using Bytes = std::vector<uint8_t>;

void put16(Bytes& b, uint16_t v) {
  b.push_back(static_cast<uint8_t>(v >> 8));
  b.push_back(static_cast<uint8_t>(v));
}
void put32(Bytes& b, uint32_t v) {
  put16(b, static_cast<uint16_t>(v >> 16));
  put16(b, static_cast<uint16_t>(v));
}

// RFC 1071, written independently of src/decode/checksum.cc.
uint16_t ref_checksum(const uint8_t* data, size_t len) {
  uint32_t sum = 0;
  for (size_t i = 0; i < len; i += 2) {
    uint32_t word = uint32_t{data[i]} << 8;
    if (i + 1 < len) word |= data[i + 1];
    sum += word;
  }
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

struct V4 {
  uint8_t proto = 17;
  uint16_t id = 1;
  uint16_t offset_units = 0;  // 8-byte units
  bool more = false;
  std::array<uint8_t, 4> src{1, 1, 1, 1};
  std::array<uint8_t, 4> dst{2, 2, 2, 2};
  Bytes options;  // multiple of 4
};
Bytes ipv4_fragment(const V4& s, const Bytes& data) {
  uint8_t hlen = static_cast<uint8_t>(20 + s.options.size());
  Bytes b = {static_cast<uint8_t>(0x40 | (hlen / 4)), 0};
  put16(b, static_cast<uint16_t>(hlen + data.size()));
  put16(b, s.id);
  put16(b, static_cast<uint16_t>((s.more ? 0x2000 : 0) | s.offset_units));
  b.push_back(64);
  b.push_back(s.proto);
  put16(b, 0);
  b.insert(b.end(), s.src.begin(), s.src.end());
  b.insert(b.end(), s.dst.begin(), s.dst.end());
  b.insert(b.end(), s.options.begin(), s.options.end());
  uint16_t c = ref_checksum(b.data(), b.size());
  b[10] = static_cast<uint8_t>(c >> 8);
  b[11] = static_cast<uint8_t>(c);
  b.insert(b.end(), data.begin(), data.end());
  return b;
}

struct V6 {
  uint8_t next = 17;  // next header inside the fragment header
  uint32_t id = 1;
  uint16_t offset_units = 0;
  bool more = false;
  Bytes unfragmentable;      // extension headers before the fragment header
  uint8_t first_next = 44;   // next header of the fixed header
  uint8_t src_last = 1;
};
Bytes ipv6_fragment(const V6& s, const Bytes& data) {
  Bytes b = {0x60, 0, 0, 0};
  put16(b, static_cast<uint16_t>(s.unfragmentable.size() + 8 + data.size()));
  b.push_back(s.first_next);
  b.push_back(64);
  for (int i = 0; i < 15; ++i) b.push_back(i == 0 ? 0x20 : 0x01);
  b.push_back(s.src_last);
  for (int i = 0; i < 15; ++i) b.push_back(i == 0 ? 0x20 : 0x02);
  b.push_back(2);
  b.insert(b.end(), s.unfragmentable.begin(), s.unfragmentable.end());
  b.push_back(s.next);
  b.push_back(0);
  put16(b, static_cast<uint16_t>((s.offset_units << 3) | (s.more ? 1 : 0)));
  put32(b, s.id);
  b.insert(b.end(), data.begin(), data.end());
  return b;
}

Bytes udp_datagram(uint16_t sport, uint16_t dport, const Bytes& payload) {
  Bytes b;
  put16(b, sport);
  put16(b, dport);
  put16(b, static_cast<uint16_t>(8 + payload.size()));
  put16(b, 0);  // no checksum: validation is off
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

Bytes pattern(size_t n, uint8_t seed) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(seed + i * 7);
  return b;
}
Bytes slice(const Bytes& b, size_t from, size_t len) {
  return Bytes(b.begin() + static_cast<std::ptrdiff_t>(from),
               b.begin() + static_cast<std::ptrdiff_t>(from + len));
}

struct DefragTest : ::testing::Test {
  DecodeOptions options;
  ThreadCounters counters;
  DecodeContext ctx{options, counters};
  DefragConfig config;
  std::unique_ptr<Defragmenter> defrag;
  std::deque<Bytes> frames;  // keeps fragment bytes alive while packets point at them
  Packet last;               // the last fragment fed
  Packet rebuilt;            // the last reassembled datagram, decoded
  Bytes rebuilt_bytes;

  void SetUp() override { make(); }
  void make() { defrag = std::make_unique<Defragmenter>(config, counters); }

  uint64_t counter(std::string_view name) const {
    const auto& all = all_counters();
    for (size_t i = 0; i < all.size(); ++i)
      if (all[i].name == name) return counters.get_index(i);
    ADD_FAILURE() << "no counter named " << name;
    return 0;
  }

  // Decodes a frame and hands it to the defragmenter; true when a datagram
  // came back (then decoded into `rebuilt`).
  bool feed(const Bytes& frame, LayerKind link, Timestamp ts = {1000, 0}) {
    frames.push_back(frame);
    frames.back().shrink_to_fit();
    reset_packet(last);
    last.ts = ts;
    last.data = frames.back().data();
    last.caplen = last.wirelen = static_cast<uint32_t>(frames.back().size());
    last.link = link;
    decode_packet(ctx, last);
    return take(last);
  }
  bool feed4(const V4& s, const Bytes& data, Timestamp ts = {1000, 0}) {
    return feed(ipv4_fragment(s, data), LayerKind::kIpv4, ts);
  }
  bool feed6(const V6& s, const Bytes& data, Timestamp ts = {1000, 0}) {
    return feed(ipv6_fragment(s, data), LayerKind::kIpv6, ts);
  }
  bool take(Packet& p) {
    EXPECT_TRUE(p.is_fragment) << "not decoded as a fragment";
    ByteView out = defrag->add(p);
    if (out.empty()) return false;
    rebuilt_bytes.assign(out.begin(), out.end());
    decode_reassembled(ctx, p, rebuilt_bytes.data(), static_cast<uint32_t>(rebuilt_bytes.size()),
                       rebuilt);
    return true;
  }
};

// ---------------------------------------------------------------- basics

TEST_F(DefragTest, Ipv4InOrderRebuildsUdpDatagram) {
  Bytes payload = pattern(3000, 3);
  Bytes dgram = udp_datagram(5353, 53, payload);  // 3008 bytes
  V4 s;
  s.id = 77;
  s.more = true;
  EXPECT_FALSE(feed4(s, slice(dgram, 0, 1480)));
  s.offset_units = 185;
  EXPECT_FALSE(feed4(s, slice(dgram, 1480, 1480)));
  s.offset_units = 370;
  s.more = false;
  ASSERT_TRUE(feed4(s, slice(dgram, 2960, 48)));

  ASSERT_EQ(rebuilt_bytes.size(), 20u + dgram.size());
  EXPECT_EQ(load_be16(rebuilt_bytes.data() + 2), 20u + dgram.size());
  EXPECT_EQ(load_be16(rebuilt_bytes.data() + 6), 0u);  // MF and offset cleared
  EXPECT_EQ(ref_checksum(rebuilt_bytes.data(), 20), 0u) << "header checksum not recomputed";
  EXPECT_EQ(rebuilt.source, PacketSource::kDefrag);
  EXPECT_FALSE(rebuilt.is_fragment);
  ASSERT_TRUE(rebuilt.is_udp());
  EXPECT_EQ(rebuilt.sport, 5353);
  EXPECT_EQ(rebuilt.dport, 53);
  ASSERT_EQ(rebuilt.payload_len, payload.size());
  EXPECT_TRUE(std::equal(payload.begin(), payload.end(), rebuilt.payload));
  EXPECT_EQ(counter("defrag.ipv4.fragments"), 3u);
  EXPECT_EQ(counter("defrag.ipv4.reassembled"), 1u);
  EXPECT_EQ(defrag->trackers_in_use(), 0u);
  EXPECT_EQ(defrag->memuse(), 0u);
}

TEST_F(DefragTest, Ipv4ReverseOrderAndKeepsDontFragmentBit) {
  Bytes dgram = udp_datagram(1000, 2000, pattern(100, 9));  // 108 bytes
  V4 s;
  s.offset_units = 12;
  EXPECT_FALSE(feed4(s, slice(dgram, 96, 12)));
  s.offset_units = 6;
  s.more = true;
  EXPECT_FALSE(feed4(s, slice(dgram, 48, 48)));
  s.offset_units = 0;
  ASSERT_TRUE(feed4(s, slice(dgram, 0, 48)));
  EXPECT_TRUE(std::equal(dgram.begin(), dgram.end(), rebuilt_bytes.begin() + 20));
  ASSERT_TRUE(rebuilt.is_udp());
  EXPECT_EQ(rebuilt.payload_len, 100u);
  EXPECT_FALSE(last.has_event(DecodeEvent::kIpv4FragOverlap));
}

TEST_F(DefragTest, SuricataSimpleVectorsIpv4AndIpv6) {
  // DefragInOrderSimpleTest / IPV6DefragReverseSimpleTest: A*8, B*8, C*3.
  V4 s;
  s.proto = 1;
  s.id = 12;
  s.more = true;
  EXPECT_FALSE(feed4(s, Bytes(8, 'A')));
  s.offset_units = 1;
  EXPECT_FALSE(feed4(s, Bytes(8, 'B')));
  s.offset_units = 2;
  s.more = false;
  ASSERT_TRUE(feed4(s, Bytes(3, 'C')));
  EXPECT_EQ(load_be16(rebuilt_bytes.data() + 2), 39u);
  EXPECT_EQ(std::string(rebuilt_bytes.begin() + 20, rebuilt_bytes.end()), "AAAAAAAABBBBBBBBCCC");

  V6 v;
  v.next = 58;
  v.id = 12;
  v.offset_units = 2;
  EXPECT_FALSE(feed6(v, Bytes(3, 'C')));
  v.offset_units = 1;
  v.more = true;
  EXPECT_FALSE(feed6(v, Bytes(8, 'B')));
  v.offset_units = 0;
  ASSERT_TRUE(feed6(v, Bytes(8, 'A')));
  EXPECT_EQ(load_be16(rebuilt_bytes.data() + 4), 19u);
  EXPECT_EQ(rebuilt_bytes[6], 58) << "next header must skip the fragment header";
  EXPECT_EQ(std::string(rebuilt_bytes.begin() + 40, rebuilt_bytes.end()), "AAAAAAAABBBBBBBBCCC");
  EXPECT_EQ(counter("defrag.ipv6.reassembled"), 1u);
}

TEST_F(DefragTest, DuplicatesRaiseOverlapAndStillRebuild) {
  Bytes dgram = udp_datagram(1, 2, pattern(40, 1));  // 48 bytes
  V4 s;
  s.more = true;
  EXPECT_FALSE(feed4(s, slice(dgram, 0, 24)));
  EXPECT_FALSE(last.has_event(DecodeEvent::kIpv4FragOverlap));
  EXPECT_FALSE(feed4(s, slice(dgram, 0, 24)));
  EXPECT_TRUE(last.has_event(DecodeEvent::kIpv4FragOverlap));
  s.offset_units = 3;
  s.more = false;
  ASSERT_TRUE(feed4(s, slice(dgram, 24, 24)));
  EXPECT_TRUE(std::equal(dgram.begin(), dgram.end(), rebuilt_bytes.begin() + 20));
  EXPECT_EQ(counter("defrag.overlap"), 1u);
  EXPECT_EQ(counter("decoder.event.ipv4.frag_overlap"), 1u);
}

TEST_F(DefragTest, MissingFirstFragmentNeverCompletes) {
  V4 s;
  s.offset_units = 1;
  s.more = true;
  EXPECT_FALSE(feed4(s, Bytes(8, 'B')));
  s.offset_units = 2;
  s.more = false;
  EXPECT_FALSE(feed4(s, Bytes(8, 'C')));
  EXPECT_EQ(defrag->trackers_in_use(), 1u);
}

// DefragMfIpv4Test / DefragMfIpv6Test: data past the MF=0 fragment is left out.
TEST_F(DefragTest, DataBeyondLastFragmentIsLeftOut) {
  V4 s;
  s.proto = 1;
  s.id = 9;
  s.offset_units = 2;
  s.more = true;
  EXPECT_FALSE(feed4(s, Bytes(8, 'C')));
  s.offset_units = 0;
  EXPECT_FALSE(feed4(s, Bytes(8, 'A')));
  s.offset_units = 1;
  s.more = false;
  ASSERT_TRUE(feed4(s, Bytes(8, 'B')));
  EXPECT_EQ(load_be16(rebuilt_bytes.data() + 2), 36u);

  V6 v;
  v.next = 58;
  v.id = 9;
  v.offset_units = 2;
  v.more = true;
  EXPECT_FALSE(feed6(v, Bytes(8, 'C')));
  v.offset_units = 0;
  EXPECT_FALSE(feed6(v, Bytes(8, 'A')));
  v.offset_units = 1;
  v.more = false;
  ASSERT_TRUE(feed6(v, Bytes(8, 'B')));
  EXPECT_EQ(load_be16(rebuilt_bytes.data() + 4), 16u);
}

// DefragTestBadProto: the protocol is part of the key.
TEST_F(DefragTest, DifferentProtocolDoesNotMix) {
  V4 s;
  s.proto = 1;
  s.id = 12;
  s.more = true;
  EXPECT_FALSE(feed4(s, Bytes(8, 'A')));
  s.proto = 17;
  s.offset_units = 1;
  EXPECT_FALSE(feed4(s, Bytes(8, 'B')));
  s.proto = 1;
  s.offset_units = 2;
  s.more = false;
  EXPECT_FALSE(feed4(s, Bytes(3, 'C')));
  EXPECT_EQ(defrag->trackers_in_use(), 2u);
}

// ---------------------------------------------------------------- Sturges/Novak

struct NovakCase {
  DefragPolicy policy;
  const char* name;
  const char* expected;  // 24 units of 8 bytes, one letter per unit
};

// Suricata defrag.c DefragSturgesNovak*Test expectations (identical for IPv6);
// bsd-right is Snort frag3's rule applied to the same fragments.
const NovakCase kNovakCases[] = {
    {DefragPolicy::kBsd, "bsd", "AAAJJBCCCLLLMMMFFFGGHHIQ"},
    {DefragPolicy::kLinux, "linux", "AAAJJBKKKLLLMMMFFFGGPHQQ"},
    {DefragPolicy::kWindows, "windows", "AAAJBBCCCLLLMEEFFFGGHHIQ"},
    {DefragPolicy::kSolaris, "solaris", "AAAJBBCCCLLLMMMFFFGGHHIQ"},
    {DefragPolicy::kFirst, "first", "AAAJBBCCCLDLMEEFFFGGHHIQ"},
    {DefragPolicy::kLast, "last", "AJJJJBKKKLLLMMMFNFGOPHQQ"},
    {DefragPolicy::kBsdRight, "bsd_right", "AJJJBBKKKLLLMMMFFFGGHHQQ"},
};

struct NovakFragment {
  char letter;
  uint16_t offset;  // bytes
  uint16_t len;
};
// Originals A..I, then the overlapping J..Q (Q has MF=0).
const NovakFragment kNovakFragments[] = {
    {'A', 0, 24},   {'B', 32, 16},  {'C', 48, 24}, {'D', 80, 8},   {'E', 104, 16}, {'F', 120, 24},
    {'G', 144, 16}, {'H', 160, 16}, {'I', 176, 8}, {'J', 8, 32},   {'K', 48, 24},  {'L', 72, 24},
    {'M', 96, 24},  {'N', 128, 8},  {'O', 152, 8}, {'P', 160, 8},  {'Q', 176, 16},
};

std::string expand(const char* units) {
  std::string s;
  for (const char* c = units; *c != '\0'; ++c) s.append(8, *c);
  return s;
}

class SturgesNovak : public DefragTest, public ::testing::WithParamInterface<NovakCase> {};

TEST_P(SturgesNovak, Ipv4) {
  config.policy = GetParam().policy;
  make();
  int overlaps = 0;
  for (size_t i = 0; i < 17; ++i) {
    const auto& f = kNovakFragments[i];
    V4 s;
    s.proto = 1;
    s.id = 1;
    s.offset_units = static_cast<uint16_t>(f.offset >> 3);
    s.more = i != 16;
    bool done = feed4(s, Bytes(f.len, static_cast<uint8_t>(f.letter)));
    if (i < 9) {
      EXPECT_FALSE(last.has_event(DecodeEvent::kIpv4FragOverlap)) << f.letter;
    }
    if (i >= 9 && last.has_event(DecodeEvent::kIpv4FragOverlap)) ++overlaps;
    ASSERT_EQ(done, i == 16) << f.letter;
  }
  EXPECT_GT(overlaps, 0);
  EXPECT_EQ(load_be16(rebuilt_bytes.data() + 2), 20u + 192u);
  EXPECT_EQ(std::string(rebuilt_bytes.begin() + 20, rebuilt_bytes.end()),
            expand(GetParam().expected));
  EXPECT_EQ(defrag->memuse(), 0u) << "fragments not returned";
}

TEST_P(SturgesNovak, Ipv6) {
  config.policy = GetParam().policy;
  make();
  int overlaps = 0;
  for (size_t i = 0; i < 17; ++i) {
    const auto& f = kNovakFragments[i];
    V6 v;
    v.next = 58;
    v.id = 1;
    v.offset_units = static_cast<uint16_t>(f.offset >> 3);
    v.more = i != 16;
    bool done = feed6(v, Bytes(f.len, static_cast<uint8_t>(f.letter)));
    if (i < 9) {
      EXPECT_FALSE(last.has_event(DecodeEvent::kIpv6FragOverlap)) << f.letter;
    }
    if (i >= 9 && last.has_event(DecodeEvent::kIpv6FragOverlap)) ++overlaps;
    ASSERT_EQ(done, i == 16) << f.letter;
  }
  EXPECT_GT(overlaps, 0);
  EXPECT_EQ(load_be16(rebuilt_bytes.data() + 4), 192u);
  EXPECT_EQ(std::string(rebuilt_bytes.begin() + 40, rebuilt_bytes.end()),
            expand(GetParam().expected));
  EXPECT_EQ(defrag->memuse(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Policies, SturgesNovak, ::testing::ValuesIn(kNovakCases),
                         [](const ::testing::TestParamInfo<NovakCase>& c) {
                           return std::string(c.param.name);
                         });

// DefragTestJeremyLinux.
TEST_F(DefragTest, JeremyLinuxOverlap) {
  config.policy = DefragPolicy::kLinux;
  make();
  struct {
    char letter;
    uint16_t offset, len;
    bool more;
  } frags[] = {{'A', 0, 24, true}, {'B', 40, 48, true}, {'C', 24, 48, true}, {'D', 88, 14, false}};
  for (size_t i = 0; i < 4; ++i) {
    V4 s;
    s.proto = 1;
    s.offset_units = static_cast<uint16_t>(frags[i].offset >> 3);
    s.more = frags[i].more;
    EXPECT_EQ(feed4(s, Bytes(frags[i].len, static_cast<uint8_t>(frags[i].letter))), i == 3);
  }
  EXPECT_EQ(std::string(rebuilt_bytes.begin() + 20, rebuilt_bytes.end()),
            std::string(24, 'A') + std::string(48, 'C') + std::string(16, 'B') +
                std::string(14, 'D'));
}

// A fragment landing inside a stored one under "last" splits it in two.
TEST_F(DefragTest, LastPolicySplitsContainingFragment) {
  config.policy = DefragPolicy::kLast;
  make();
  V4 s;
  s.proto = 1;
  s.more = true;
  EXPECT_FALSE(feed4(s, Bytes(32, 'A')));
  s.offset_units = 1;
  EXPECT_FALSE(feed4(s, Bytes(8, 'B')));
  s.offset_units = 4;
  s.more = false;
  ASSERT_TRUE(feed4(s, Bytes(8, 'C')));
  EXPECT_EQ(std::string(rebuilt_bytes.begin() + 20, rebuilt_bytes.end()),
            std::string(8, 'A') + std::string(8, 'B') + std::string(16, 'A') +
                std::string(8, 'C'));
}

TEST(DefragPolicyNames, ParsesSuricataNames) {
  DefragPolicy p = DefragPolicy::kFirst;
  EXPECT_TRUE(parse_defrag_policy("bsd-right", p));
  EXPECT_EQ(p, DefragPolicy::kBsdRight);
  EXPECT_TRUE(parse_defrag_policy("linux", p));
  EXPECT_EQ(p, DefragPolicy::kLinux);
  EXPECT_TRUE(parse_defrag_policy("windows2k3", p));
  EXPECT_EQ(p, DefragPolicy::kWindows);
  EXPECT_TRUE(parse_defrag_policy("macos", p));
  EXPECT_EQ(p, DefragPolicy::kFirst);
  EXPECT_TRUE(parse_defrag_policy("solaris", p));
  EXPECT_EQ(p, DefragPolicy::kSolaris);
  EXPECT_FALSE(parse_defrag_policy("plan9", p));
  EXPECT_FALSE(parse_defrag_policy("", p));
}

// ---------------------------------------------------------------- IPv6 specifics

TEST_F(DefragTest, Ipv6ExtensionHeadersBeforeFragmentHeader) {
  Bytes payload = pattern(200, 5);
  Bytes dgram = udp_datagram(4000, 4001, payload);  // 208 bytes
  V6 v;
  v.first_next = 0;  // hop-by-hop -> destination options -> fragment
  v.unfragmentable = {60, 0, 1, 4, 0, 0, 0, 0,    // HBH: PadN(4)
                      44, 0, 1, 4, 0, 0, 0, 0};   // DstOpts: PadN(4)
  v.id = 0xdeadbeef;
  v.more = true;
  EXPECT_FALSE(feed6(v, slice(dgram, 0, 104)));
  v.offset_units = 13;
  v.more = false;
  ASSERT_TRUE(feed6(v, slice(dgram, 104, 104)));

  ASSERT_EQ(rebuilt_bytes.size(), 40u + 16u + 208u);
  EXPECT_EQ(load_be16(rebuilt_bytes.data() + 4), 16u + 208u);
  EXPECT_EQ(rebuilt_bytes[6], 0);    // still hop-by-hop first
  EXPECT_EQ(rebuilt_bytes[40], 60);  // HBH -> DstOpts unchanged
  EXPECT_EQ(rebuilt_bytes[48], 17);  // DstOpts now names UDP, not the fragment header
  ASSERT_TRUE(rebuilt.is_udp());
  EXPECT_FALSE(rebuilt.is_fragment);
  EXPECT_EQ(rebuilt.sport, 4000);
  ASSERT_EQ(rebuilt.payload_len, payload.size());
  EXPECT_TRUE(std::equal(payload.begin(), payload.end(), rebuilt.payload));
}

TEST_F(DefragTest, Ipv6InvalidLengthIsNotTracked) {
  V6 v;
  v.more = true;
  Bytes frame = ipv6_fragment(v, Bytes(10, 'x'));  // 10 is not a multiple of 8
  frames.push_back(frame);
  Packet p;
  p.ts = {1000, 0};
  p.data = frames.back().data();
  p.caplen = p.wirelen = static_cast<uint32_t>(frame.size());
  p.link = LayerKind::kIpv6;
  decode_packet(ctx, p);
  EXPECT_TRUE(p.has_event(DecodeEvent::kIpv6FragInvalidLength));
  p.is_fragment = true;  // even if a caller insists
  EXPECT_TRUE(defrag->add(p).empty());
  EXPECT_EQ(defrag->trackers_in_use(), 0u);
}

// ---------------------------------------------------------------- size limits

TEST_F(DefragTest, FragmentPastMaximumSizeIsDropped) {
  // DefragIPv4TooLargeTest: 8183 * 8 + 71 bytes extends past 65535.
  V4 s;
  s.proto = 1;
  s.offset_units = 8183;
  EXPECT_FALSE(feed4(s, Bytes(71, 'A')));
  EXPECT_TRUE(last.has_event(DecodeEvent::kIpv4FragPktTooLarge));
  EXPECT_EQ(defrag->trackers_in_use(), 0u);
  EXPECT_EQ(defrag->memuse(), 0u);

  V6 v;
  v.offset_units = 8189;  // 65512 + 32
  EXPECT_FALSE(feed6(v, Bytes(32, 'A')));
  EXPECT_TRUE(last.has_event(DecodeEvent::kIpv6FragPktTooLarge));
  EXPECT_EQ(defrag->trackers_in_use(), 0u);
}

TEST_F(DefragTest, TooLargeWithFirstHeaderDropsTracker) {
  // Each fragment fits with a 20-byte header, but the first one carries 40
  // bytes of options: 60 + 65504 > 65535 only shows on rebuild.
  V4 s;
  s.proto = 17;
  s.options.assign(40, 1);  // NOPs
  s.more = true;
  EXPECT_FALSE(feed4(s, Bytes(8000, 'x')));
  s.options.clear();
  for (uint16_t i = 1; i < 8; ++i) {
    s.offset_units = static_cast<uint16_t>(i * 1000);
    EXPECT_FALSE(feed4(s, Bytes(8000, 'x')));
  }
  s.offset_units = 8000;
  s.more = false;
  EXPECT_FALSE(feed4(s, Bytes(1504, 'x')));
  EXPECT_TRUE(last.has_event(DecodeEvent::kIpv4FragPktTooLarge));
  EXPECT_EQ(defrag->trackers_in_use(), 0u);
  EXPECT_EQ(defrag->memuse(), 0u);
}

TEST_F(DefragTest, LargestDatagramIsRebuilt) {
  V4 s;
  s.more = true;
  for (uint16_t i = 0; i < 8; ++i) {
    s.offset_units = static_cast<uint16_t>(i * 1000);
    EXPECT_FALSE(feed4(s, Bytes(8000, static_cast<uint8_t>('a' + i))));
  }
  s.offset_units = 8000;
  s.more = false;
  ASSERT_TRUE(feed4(s, Bytes(1515, 'z')));  // 20 + 65515 = 65535
  EXPECT_EQ(rebuilt_bytes.size(), 65535u);
  EXPECT_EQ(load_be16(rebuilt_bytes.data() + 2), 65535u);
  EXPECT_EQ(rebuilt_bytes[20 + 8000 * 3], 'd');
}

// ---------------------------------------------------------------- timeouts and limits

TEST_F(DefragTest, ExpireFreesIdleTrackers) {
  V4 s;
  s.more = true;
  EXPECT_FALSE(feed4(s, Bytes(16, 'A'), {100, 0}));
  EXPECT_GT(defrag->memuse(), 0u);
  defrag->expire({160, 0});  // idle exactly the timeout: kept
  EXPECT_EQ(defrag->trackers_in_use(), 1u);
  defrag->expire({161, 0});
  EXPECT_EQ(defrag->trackers_in_use(), 0u);
  EXPECT_EQ(defrag->memuse(), 0u);
  EXPECT_EQ(counter("defrag.timeouts"), 1u);
}

TEST_F(DefragTest, StaleTrackerIsNotCompletedByLateFragment) {
  V4 s;
  s.more = true;
  EXPECT_FALSE(feed4(s, Bytes(16, 'A'), {100, 0}));
  s.offset_units = 2;
  s.more = false;
  EXPECT_FALSE(feed4(s, Bytes(8, 'B'), {200, 0}));
  EXPECT_EQ(counter("defrag.timeouts"), 1u);
  EXPECT_EQ(defrag->trackers_in_use(), 1u);
}

// DefragTimeoutTest: with every tracker in use, a packet arriving after the
// timeout reclaims the idle ones.
TEST_F(DefragTest, FullTrackerPoolReclaimsTimedOutTrackers) {
  config.max_trackers = 16;
  make();
  V4 s;
  s.more = true;
  for (uint16_t i = 0; i < 16; ++i) {
    s.id = i;
    EXPECT_FALSE(feed4(s, Bytes(16, 'A'), {100, 0}));
  }
  s.id = 16;
  EXPECT_FALSE(feed4(s, Bytes(16, 'A'), {100, 0}));
  EXPECT_TRUE(last.has_event(DecodeEvent::kIpv4FragIgnored));
  EXPECT_EQ(counter("defrag.memcap"), 1u);

  s.id = 99;
  EXPECT_FALSE(feed4(s, Bytes(16, 'A'), {161, 0}));
  EXPECT_FALSE(last.has_event(DecodeEvent::kIpv4FragIgnored));
  EXPECT_EQ(defrag->trackers_in_use(), 1u);
  EXPECT_EQ(counter("defrag.timeouts"), 16u);
}

TEST_F(DefragTest, MemcapDropsFragmentsAndRaisesIgnored) {
  config.memcap = 16 * 1024;
  make();
  V4 s;
  s.more = true;
  int ignored = 0;
  for (uint16_t i = 0; i < 64; ++i) {
    s.id = i;
    EXPECT_FALSE(feed4(s, Bytes(1000, 'x')));
    if (last.has_event(DecodeEvent::kIpv4FragIgnored)) ++ignored;
    EXPECT_LE(defrag->memuse(), config.memcap);
  }
  EXPECT_GT(ignored, 0);
  EXPECT_LT(ignored, 64);
  EXPECT_EQ(counter("defrag.memcap"), static_cast<uint64_t>(ignored));
  defrag->expire({2000, 0});
  EXPECT_EQ(defrag->memuse(), 0u);

  // Once memory is back, datagrams rebuild again.
  Bytes dgram = udp_datagram(7, 8, pattern(992, 2));
  s.id = 500;
  EXPECT_FALSE(feed4(s, slice(dgram, 0, 504), {2001, 0}));
  s.offset_units = 63;
  s.more = false;
  EXPECT_TRUE(feed4(s, slice(dgram, 504, 496), {2001, 0}));
}

TEST_F(DefragTest, MaxFragsDropsFragments) {
  config.max_frags = 3;
  make();
  V6 v;
  v.more = true;
  for (uint32_t i = 0; i < 4; ++i) {
    v.id = i;
    EXPECT_FALSE(feed6(v, Bytes(16, 'A')));
    EXPECT_EQ(last.has_event(DecodeEvent::kIpv6FragIgnored), i == 3);
  }
  EXPECT_EQ(counter("defrag.max_frags_reached"), 1u);
  EXPECT_EQ(defrag->trackers_in_use(), 3u) << "no empty tracker left behind";
}

TEST_F(DefragTest, TenThousandConcurrentTrackersThenExpire) {
  Bytes dgram = udp_datagram(9, 10, pattern(56, 4));  // 64 bytes
  V4 s;
  for (uint32_t i = 0; i < 10000; ++i) {
    s.id = static_cast<uint16_t>(i);
    s.src = {10, 0, static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)};
    s.offset_units = 0;
    s.more = true;
    ASSERT_FALSE(feed4(s, slice(dgram, 0, 32), {100, 0}));
  }
  EXPECT_EQ(defrag->trackers_in_use(), 10000u);
  size_t done = 0;
  for (uint32_t i = 0; i < 10000; i += 2) {
    s.id = static_cast<uint16_t>(i);
    s.src = {10, 0, static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)};
    s.offset_units = 4;
    s.more = false;
    if (feed4(s, slice(dgram, 32, 32), {110, 0})) {
      ++done;
      EXPECT_TRUE(rebuilt.is_udp());
      EXPECT_EQ(rebuilt.src.bytes[3], static_cast<uint8_t>(i));
    }
  }
  EXPECT_EQ(done, 5000u);
  EXPECT_EQ(defrag->trackers_in_use(), 5000u);
  defrag->expire({165, 0});
  EXPECT_EQ(defrag->trackers_in_use(), 0u);
  EXPECT_EQ(defrag->memuse(), 0u);
  EXPECT_EQ(counter("defrag.timeouts"), 5000u);
  frames.clear();
}

// ---------------------------------------------------------------- isolation

Bytes ethernet_vlan(uint16_t vid, const Bytes& ip) {
  Bytes b = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x81, 0x00};
  put16(b, vid);
  put16(b, 0x0800);
  b.insert(b.end(), ip.begin(), ip.end());
  return b;
}

// DefragVlanTest / DefragVlanQinQTest.
TEST_F(DefragTest, VlansDoNotMix) {
  V4 a;
  a.proto = 1;
  a.more = true;
  V4 b = a;
  b.offset_units = 1;
  b.more = false;
  EXPECT_FALSE(feed(ethernet_vlan(1, ipv4_fragment(a, Bytes(8, 'A'))), LayerKind::kEthernet));
  EXPECT_FALSE(feed(ethernet_vlan(2, ipv4_fragment(b, Bytes(8, 'B'))), LayerKind::kEthernet));
  EXPECT_EQ(defrag->trackers_in_use(), 2u);
  EXPECT_TRUE(feed(ethernet_vlan(1, ipv4_fragment(b, Bytes(8, 'B'))), LayerKind::kEthernet));
  EXPECT_EQ(rebuilt.vlan[0], 1);
}

Bytes gre_over_ipv4(uint8_t outer_src_last, const Bytes& inner) {
  Bytes gre = {0, 0, 0x08, 0x00};
  gre.insert(gre.end(), inner.begin(), inner.end());
  V4 o;
  o.proto = 47;
  o.src = {192, 0, 2, outer_src_last};
  o.dst = {192, 0, 2, 254};
  return ipv4_fragment(o, gre);  // offset 0, MF clear: not a fragment
}

TEST_F(DefragTest, TunnelsDoNotMix) {
  V4 a;
  a.proto = 1;
  a.more = true;
  V4 b = a;
  b.offset_units = 1;
  b.more = false;
  auto via_tunnel = [&](uint8_t outer_src, const V4& s, char fill) {
    Bytes fragment = ipv4_fragment(s, Bytes(8, static_cast<uint8_t>(fill)));
    frames.push_back(gre_over_ipv4(outer_src, fragment));
    Packet outer;
    outer.ts = {1000, 0};
    outer.data = frames.back().data();
    outer.caplen = outer.wirelen = static_cast<uint32_t>(frames.back().size());
    outer.link = LayerKind::kIpv4;
    decode_packet(ctx, outer);
    EXPECT_TRUE(outer.tunnel.present());
    Packet inner;
    EXPECT_TRUE(decode_tunnel_payload(ctx, outer, inner));
    EXPECT_EQ(inner.tunnel_depth, 1);
    return take(inner);
  };
  EXPECT_FALSE(via_tunnel(1, a, 'A'));
  EXPECT_FALSE(via_tunnel(2, b, 'B'));           // other tunnel endpoint
  EXPECT_FALSE(feed4(b, Bytes(8, 'B')));         // not tunnelled at all
  EXPECT_EQ(defrag->trackers_in_use(), 3u);
  EXPECT_TRUE(via_tunnel(1, b, 'B'));            // same tunnel: completes
  EXPECT_EQ(std::string(rebuilt_bytes.begin() + 20, rebuilt_bytes.end()), "AAAAAAAABBBBBBBB");
}

// ---------------------------------------------------------------- corpus

std::string corpus_dir() { return SEAWALL_CORPUS_DIR; }

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Bytes base64_decode(const std::string& text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  Bytes out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = value(c);
    if (v < 0) continue;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(acc >> bits));
    }
  }
  return out;
}

// suricata-verify tests/defrag/bug-6887-*: the alert's "packet" is the
// datagram Suricata rebuilt (after the link header for the Ethernet cases).
TEST_F(DefragTest, SuricataVerifyDefragCases) {
  const std::string dir = corpus_dir() + "/suricata-verify/tests/defrag";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "corpus not found at " << dir;
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::string yaml = read_text(entry.path().string() + "/test.yaml");
    size_t at = yaml.find("packet: \"");
    ASSERT_NE(at, std::string::npos) << entry.path();
    size_t end = yaml.find('"', at + 9);
    Bytes expected = base64_decode(yaml.substr(at + 9, end - at - 9));
    std::string pcap;
    for (const auto& f : std::filesystem::directory_iterator(entry.path()))
      if (f.path().extension() == ".pcap") pcap = f.path().string();
    auto file = pcap_test::read_file(pcap);
    ASSERT_TRUE(file.ok) << pcap << ": " << file.error;
    LayerKind link = pcap_test::layer_for_link_type(file.link_type);
    make();
    int rebuilt_count = 0;
    for (const auto& rec : file.records) {
      frames.push_back(rec.data);
      Packet p;
      p.ts = {rec.ts_sec, 0};
      p.data = frames.back().data();
      p.caplen = p.wirelen = static_cast<uint32_t>(rec.data.size());
      p.link = link;
      decode_packet(ctx, p);
      if (!p.is_fragment) continue;
      if (!take(p)) continue;
      ++rebuilt_count;
      ASSERT_GE(expected.size(), rebuilt_bytes.size()) << entry.path();
      Bytes tail(expected.end() - static_cast<std::ptrdiff_t>(rebuilt_bytes.size()),
                 expected.end());
      EXPECT_EQ(tail, rebuilt_bytes) << entry.path();
      EXPECT_TRUE(rebuilt.is_tcp()) << entry.path();
      EXPECT_EQ(rebuilt.dport, 8080) << entry.path();
    }
    EXPECT_EQ(rebuilt_count, 1) << entry.path();
    ++checked;
  }
  EXPECT_EQ(checked, 4);
}

// A real capture of GTP-U on Gn with IP-fragmented outer packets: the
// datagrams rebuilt must be the ones tshark reassembles, with the same
// lengths, in the same order.
TEST_F(DefragTest, GtpCaptureMatchesTshark) {
  const std::string pcap = corpus_dir() + "/pcaps/gtp/zeek__gtp1_gn_normal_incl_fragmentation.pcap";
  if (!std::filesystem::exists(pcap)) GTEST_SKIP() << "corpus not found at " << pcap;
  if (std::system("tshark -v >/dev/null 2>&1") != 0) GTEST_SKIP() << "tshark not installed";
  std::vector<uint32_t> expected;
  {
    std::string cmd = "tshark -r '" + pcap +
                      "' -Y ip.reassembled.length -T fields -e ip.reassembled.length 2>/dev/null";
    FILE* pipe = popen(cmd.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    char line[256];
    while (std::fgets(line, sizeof line, pipe) != nullptr)
      expected.push_back(static_cast<uint32_t>(std::strtoul(line, nullptr, 10)));
    pclose(pipe);
  }
  ASSERT_FALSE(expected.empty());
  auto file = pcap_test::read_file(pcap);
  ASSERT_TRUE(file.ok) << file.error;
  std::vector<uint32_t> got;
  int gtp = 0;
  for (const auto& rec : file.records) {
    frames.push_back(rec.data);
    Packet p;
    p.ts = {rec.ts_sec, static_cast<int32_t>(rec.ts_frac)};
    p.data = frames.back().data();
    p.caplen = p.wirelen = static_cast<uint32_t>(rec.data.size());
    p.link = pcap_test::layer_for_link_type(file.link_type);
    decode_packet(ctx, p);
    if (!p.is_fragment || !take(p)) continue;
    uint32_t hlen = uint32_t{rebuilt_bytes[0] & 0x0fu} * 4;
    got.push_back(static_cast<uint32_t>(rebuilt_bytes.size()) - hlen);
    if (rebuilt.is_udp() && rebuilt.dport == 2152 && rebuilt.tunnel.present()) ++gtp;
  }
  EXPECT_EQ(got, expected);
  EXPECT_EQ(gtp, static_cast<int>(got.size())) << "rebuilt datagrams should carry GTP-U";
  // A few first fragments have no partner in the capture: they time out.
  defrag->expire({file.records.back().ts_sec + 3600, 0});
  EXPECT_EQ(defrag->trackers_in_use(), 0u);
  EXPECT_EQ(defrag->memuse(), 0u);
}

}  // namespace
}  // namespace seawall::stream
