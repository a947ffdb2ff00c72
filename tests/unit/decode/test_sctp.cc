// SCTP common header and chunk walk.
#include "decode/decoder.h"

#include "base_test_util.h"

namespace seawall::test {
namespace {

using SctpTest = DecodeFixture;

Bytes sctp(const Bytes& chunks) {
  Bytes b;
  put16(b, 2905);  // M3UA
  put16(b, 2906);
  put32(b, 0x11223344);
  put32(b, 0);
  append(b, chunks);
  return b;
}

TEST_F(SctpTest, PortsAndChunks) {
  Bytes data_chunk = {0, 3, 0, 17};  // DATA, 17 bytes (padded to 20)
  data_chunk.resize(20, 0xee);
  Bytes sack = {3, 0, 0, 16, 0, 0, 0, 1, 0, 0, 0xff, 0xff, 0, 0, 0, 0};
  decode(cat({ethernet(0x0800), ipv4(132, sctp(cat({data_chunk, sack})))}));
  EXPECT_TRUE(p.has_ports);
  EXPECT_EQ(p.sport, 2905);
  EXPECT_EQ(p.dport, 2906);
  EXPECT_EQ(p.event_count, 0);
  EXPECT_EQ(counter("decoder.sctp"), 1u);
  EXPECT_EQ(counter("decoder.sctp_chunks"), 2u);
}

TEST_F(SctpTest, MalformedChunks) {
  decode(cat({ethernet(0x0800), ipv4(132, sctp({1, 0, 0, 2, 0, 0, 0, 0}))}));  // length < 4
  EXPECT_TRUE(has(DecodeEvent::kSctpPktTooSmall));
  EXPECT_TRUE(p.has_ports);
  decode(cat({ethernet(0x0800), ipv4(132, sctp({1, 0, 0, 40, 0, 0, 0, 0}))}));  // past the end
  EXPECT_TRUE(has(DecodeEvent::kSctpPktTooSmall));
  decode(cat({ethernet(0x0800), ipv4(132, sctp({1, 0}))}));  // partial chunk header
  EXPECT_TRUE(has(DecodeEvent::kSctpPktTooSmall));
}

TEST_F(SctpTest, HeaderTooSmall) {
  decode(cat({ethernet(0x0800), ipv4(132, Bytes(11, 0))}));
  EXPECT_TRUE(has(DecodeEvent::kSctpPktTooSmall));
  EXPECT_TRUE(p.invalid);
  EXPECT_FALSE(p.has_ports);
}

}  // namespace
}  // namespace seawall::test
