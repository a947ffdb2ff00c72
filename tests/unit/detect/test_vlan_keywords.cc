// vlan.id / vlan.layers against Suricata's documentation (rules/vlan-keywords:
// layer indexing 0..2 from the outermost tag, -1..-3 from the innermost, any
// by default, all) on frames decoded by the real decoder. The three-tag frame
// is the capture of suricata-verify's detect-vlan-id case (ids 200, 300, 400).
#include <gtest/gtest.h>

#include <string>

#include "test_packet_keywords_util.h"

namespace seawall::detect {
namespace {

using testing::Harness;

constexpr std::string_view kThreeTags =
    "222222222222111111111111810000c88100012c8100019008004500001c00010000400174db0101010102020202"
    "0800f7ff00000000";
constexpr std::string_view kNoTag =
    "11111111111122222222222208004500001c00010000400174db02020202010101010000ffff00000000";
// One 802.1Q tag, id 666.
constexpr std::string_view kOneTag =
    "2222222222221111111111118100029a08004500001c00010000400174db01010101020202020800f7ff00000000";

bool vlan_id(std::string_view value, std::string_view frame) {
  Harness h;
  h.setup("vlan.id", value);
  auto p = testing::ethernet(frame);
  return h.match(p->p);
}

bool vlan_layers(std::string_view value, std::string_view frame) {
  Harness h;
  h.setup("vlan.layers", value);
  auto p = testing::ethernet(frame);
  return h.match(p->p);
}

TEST(VlanKeywords, DecoderSeesTheTags) {
  auto p = testing::ethernet(kThreeTags);
  ASSERT_EQ(p->p.vlan_count, 3);
  EXPECT_EQ(p->p.vlan[0], 200);
  EXPECT_EQ(p->p.vlan[2], 400);
}

TEST(VlanKeywords, VlanIdSuricataVerifyRules) {
  // The rules of detect-vlan-id: each alerts on the three-tag packet.
  for (const char* v : {"200,0", "300", "400,-1", "0x12C,1", "!200,1", "!500,all", "100-600,2",
                        "<400,1", ">=0xC8", ">100,all"}) {
    EXPECT_TRUE(vlan_id(v, kThreeTags)) << v;
    EXPECT_FALSE(vlan_id(v, kNoTag)) << v;  // no VLAN: vlan.id never matches
  }
}

TEST(VlanKeywords, VlanIdLayersAndNonMatches) {
  EXPECT_FALSE(vlan_id("300,0", kThreeTags));
  EXPECT_FALSE(vlan_id("200,1", kThreeTags));
  EXPECT_TRUE(vlan_id("200,-3", kThreeTags));
  EXPECT_TRUE(vlan_id("300,-2", kThreeTags));
  EXPECT_FALSE(vlan_id("500", kThreeTags));
  EXPECT_FALSE(vlan_id("500,any", kThreeTags));
  EXPECT_FALSE(vlan_id(">200,all", kThreeTags));  // 200 is not > 200
  EXPECT_TRUE(vlan_id(">=200,all", kThreeTags));
  // One tag: layer 0 and -1 are the same tag; layer 1 and -2 do not exist.
  EXPECT_TRUE(vlan_id("666,0", kOneTag));
  EXPECT_TRUE(vlan_id("666,-1", kOneTag));
  EXPECT_FALSE(vlan_id("666,1", kOneTag));
  EXPECT_FALSE(vlan_id("!1,1", kOneTag));
  EXPECT_FALSE(vlan_id("!1,-2", kOneTag));
}

TEST(VlanKeywords, VlanIdRejectsBadValues) {
  EXPECT_NE(testing::rejects("vlan.id", "4096"), "");  // ids are 0..4095
  EXPECT_NE(testing::rejects("vlan.id", "300,3"), "");
  EXPECT_NE(testing::rejects("vlan.id", "300,-4"), "");
  EXPECT_NE(testing::rejects("vlan.id", "300,-0"), "");
  EXPECT_NE(testing::rejects("vlan.id", "300,first"), "");
  EXPECT_NE(testing::rejects("vlan.id", "300,1,2"), "");
  EXPECT_NE(testing::rejects("vlan.id", ",1"), "");
  EXPECT_EQ(testing::rejects("vlan.id", "4095,-3"), "");
}

TEST(VlanKeywords, VlanLayers) {
  // The rules of detect-vlan-layers on the same capture.
  EXPECT_TRUE(vlan_layers("3", kThreeTags));
  EXPECT_TRUE(vlan_layers(">2", kThreeTags));
  EXPECT_TRUE(vlan_layers("!1", kThreeTags));
  EXPECT_FALSE(vlan_layers("0", kThreeTags));
  EXPECT_TRUE(vlan_layers("0", kNoTag));
  EXPECT_FALSE(vlan_layers(">2", kNoTag));
  EXPECT_TRUE(vlan_layers("1", kOneTag));
  EXPECT_NE(testing::rejects("vlan.layers", "4"), "");
}

}  // namespace
}  // namespace seawall::detect
