// TCP header and options.
#include "decode/decoder.h"

#include "base_test_util.h"

namespace seawall::test {
namespace {

using TcpTest = DecodeFixture;

void decode_tcp_bytes(DecodeFixture& f, const Bytes& seg) {
  f.decode(cat({ethernet(0x0800), ipv4(6, seg)}));
}

TEST_F(TcpTest, FieldsDecoded) {
  Bytes opts = {2, 4, 0x05, 0xb4,              // MSS 1460
                1, 3, 3, 7,                    // NOP, WS 7
                4, 2,                          // SACK permitted
                8, 10, 0, 0, 0, 1, 0, 0, 0, 0,  // timestamps
                1, 1, 1, 1};                   // pad to 24
  decode_tcp_bytes(*this, tcp(49152, 443, tcp_flag::kSyn | tcp_flag::kEce, opts, {'x', 'y'}));
  EXPECT_TRUE(p.is_tcp());
  EXPECT_EQ(p.sport, 49152);
  EXPECT_EQ(p.dport, 443);
  EXPECT_EQ(p.tcp_seq, 0x01020304u);
  EXPECT_EQ(p.tcp_ack, 0x0a0b0c0du);
  EXPECT_EQ(p.tcp_window, 65535);
  EXPECT_EQ(p.tcp_flags, tcp_flag::kSyn | tcp_flag::kEce);
  EXPECT_EQ(p.payload_len, 2u);
  EXPECT_EQ(p.payload[0], 'x');
  EXPECT_EQ(p.event_count, 0);
  EXPECT_EQ(counter("decoder.tcp"), 1u);
}

TEST_F(TcpTest, SackBlocks) {
  Bytes opts = {1, 1, 5, 18, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4};
  decode_tcp_bytes(*this, tcp(1, 2, tcp_flag::kAck, opts));
  EXPECT_EQ(p.event_count, 0);
  Bytes bad = {1, 1, 5, 12, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4};  // (12-2)%8 != 0
  decode_tcp_bytes(*this, tcp(1, 2, tcp_flag::kAck, bad));
  EXPECT_TRUE(has(DecodeEvent::kTcpOptInvalidLen));
  EXPECT_FALSE(p.invalid);
}

TEST_F(TcpTest, TooSmallAndHeaderLength) {
  Bytes seg = tcp(1, 2, 0);
  decode_tcp_bytes(*this, Bytes(seg.begin(), seg.begin() + 19));
  EXPECT_TRUE(has(DecodeEvent::kTcpPktTooSmall));
  EXPECT_TRUE(p.invalid);
  EXPECT_FALSE(p.has_ports);

  seg[12] = 0x60;  // 24-byte header in a 20-byte segment
  decode_tcp_bytes(*this, seg);
  EXPECT_TRUE(has(DecodeEvent::kTcpHlenTooSmall));
  EXPECT_TRUE(p.invalid);

  seg[12] = 0x40;  // data offset 4 words
  decode_tcp_bytes(*this, seg);
  EXPECT_TRUE(has(DecodeEvent::kTcpInvalidOptlen));
  EXPECT_TRUE(p.invalid);
}

TEST_F(TcpTest, MalformedOptions) {
  decode_tcp_bytes(*this, tcp(1, 2, 0, {2, 0, 0, 0}));  // length 0
  EXPECT_TRUE(has(DecodeEvent::kTcpOptInvalidLen));
  EXPECT_TRUE(p.invalid);
  decode_tcp_bytes(*this, tcp(1, 2, 0, {1, 1, 8, 12}));  // runs past the header
  EXPECT_TRUE(has(DecodeEvent::kTcpOptInvalidLen));
  EXPECT_TRUE(p.invalid);
  decode_tcp_bytes(*this, tcp(1, 2, 0, {2, 5, 0, 0, 0, 0, 0, 0}));  // MSS with length 5
  EXPECT_TRUE(has(DecodeEvent::kTcpOptInvalidLen));
  EXPECT_FALSE(p.invalid);
  decode_tcp_bytes(*this, tcp(1, 2, 0, {3, 3, 1, 3, 3, 2, 0, 0}));  // WS twice
  EXPECT_TRUE(has(DecodeEvent::kTcpOptDuplicate));
  EXPECT_TRUE(p.is_tcp());
}

}  // namespace
}  // namespace seawall::test
