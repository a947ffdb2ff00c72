// Community ID v1 against the spec's published vectors.
//
// Sources (copied verbatim, not produced by this program):
//  [T] corelight/community-id-spec, baseline/README.md: "Default settings" and
//      "A custom seed=1 value" tables (TCP, UDP, SCTP, ICMP, ICMP6, RSVP).
//  [J] corelight/community-id-spec, baseline/baseline_deflt.json and
//      baseline_seed1.json (tuples from pcaps/combined.pcap.gz). For ICMP the
//      JSON's sport/dport are already port equivalents (type, counterpart type
//      or code); feeding them as (type, code) yields the same equivalents.
//  [P] corelight/pycommunityid, tests/communityid_test.py (ICMP inputs there
//      are (type, code); includes the one-way type 20 and ICMPv6 type 3 cases
//      and pycommunityid issue #3).
#include "flow/flow.h"

#include <gtest/gtest.h>

#include <string>

namespace seawall {
namespace {

struct Vector {
  const char* src;
  const char* dst;
  uint8_t proto;
  uint16_t sport, dport;  // ICMP: type, code
  uint16_t seed;
  const char* expected;
};

std::string cid(const Vector& v) {
  const IpAddress src = IpAddress::parse(v.src), dst = IpAddress::parse(v.dst);
  EXPECT_NE(src.family, 0) << v.src;
  EXPECT_NE(dst.family, 0) << v.dst;
  char out[kCommunityIdMaxLen];
  const size_t n = community_id_v1(src, dst, v.proto, v.sport, v.dport, v.seed, out);
  return std::string(out, n);
}

const Vector kVectors[] = {
    // ---- [T] default seed ----
    {"1.2.3.4", "5.6.7.8", 6, 1122, 3344, 0, "1:wCb3OG7yAFWelaUydu0D+125CLM="},
    {"5.6.7.8", "1.2.3.4", 6, 3344, 1122, 0, "1:wCb3OG7yAFWelaUydu0D+125CLM="},
    {"1.2.3.4", "5.6.7.8", 17, 1122, 3344, 0, "1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg="},
    {"5.6.7.8", "1.2.3.4", 17, 3344, 1122, 0, "1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg="},
    {"1.2.3.4", "5.6.7.8", 132, 1122, 3344, 0, "1:EKt4MsxuyaE6mL+hmrEkQ9csDD8="},
    {"5.6.7.8", "1.2.3.4", 132, 3344, 1122, 0, "1:EKt4MsxuyaE6mL+hmrEkQ9csDD8="},
    {"1.2.3.4", "5.6.7.8", 1, 8, 0, 0, "1:crodRHL2FEsHjbv3UkRrfbs4bZ0="},
    {"5.6.7.8", "1.2.3.4", 1, 0, 0, 0, "1:crodRHL2FEsHjbv3UkRrfbs4bZ0="},
    {"1.2.3.4", "5.6.7.8", 1, 11, 0, 0, "1:f/YiSyWqczrTgfUCZlBUnvHRcPk="},
    {"fe80:0001:0203:0405:0607:0809:0A0B:0C0D", "fe80:1011:1213:1415:1617:1819:1A1B:1C1D", 58,
     128, 0, 0, "1:0bf7hyMJUwt3fMED7z8LIfRpBeo="},
    {"fe80:1011:1213:1415:1617:1819:1A1B:1C1D", "fe80:0001:0203:0405:0607:0809:0A0B:0C0D", 58,
     129, 0, 0, "1:0bf7hyMJUwt3fMED7z8LIfRpBeo="},
    {"fe80:0001:0203:0405:0607:0809:0A0B:0C0D", "fe80:1011:1213:1415:1617:1819:1A1B:1C1D", 58,
     146, 0, 0, "1:fYC8+pz24E+EhANP1EZhpX0Dw10="},
    {"1.2.3.4", "5.6.7.8", 46, 0, 0, 0, "1:ikv3kmf89luf73WPz1jOs49S768="},
    {"5.6.7.8", "1.2.3.4", 46, 0, 0, 0, "1:ikv3kmf89luf73WPz1jOs49S768="},
    {"fe80:0001:0203:0405:0607:0809:0A0B:0C0D", "fe80:1011:1213:1415:1617:1819:1A1B:1C1D", 46,
     0, 0, 0, "1:wQ/2mwrnXP4lmJcHdGL5ePjR+e0="},
    {"fe80:1011:1213:1415:1617:1819:1A1B:1C1D", "fe80:0001:0203:0405:0607:0809:0A0B:0C0D", 46,
     0, 0, 0, "1:wQ/2mwrnXP4lmJcHdGL5ePjR+e0="},
    // ---- [T] seed 1 ----
    {"1.2.3.4", "5.6.7.8", 6, 1122, 3344, 1, "1:HhA1B+6CoLbiKPEs5nhNYN4XWfk="},
    {"5.6.7.8", "1.2.3.4", 6, 3344, 1122, 1, "1:HhA1B+6CoLbiKPEs5nhNYN4XWfk="},
    {"1.2.3.4", "5.6.7.8", 17, 1122, 3344, 1, "1:OShq+iKDAMVouh/4bMxB9Sz4amw="},
    {"5.6.7.8", "1.2.3.4", 17, 3344, 1122, 1, "1:OShq+iKDAMVouh/4bMxB9Sz4amw="},
    {"1.2.3.4", "5.6.7.8", 132, 1122, 3344, 1, "1:uitchpn5MMGAQKBJh7bIr/bAr7s="},
    {"5.6.7.8", "1.2.3.4", 132, 3344, 1122, 1, "1:uitchpn5MMGAQKBJh7bIr/bAr7s="},
    {"1.2.3.4", "5.6.7.8", 1, 8, 0, 1, "1:9pr4ZGTICiuZoIh90RRYE2RyXpU="},
    {"5.6.7.8", "1.2.3.4", 1, 0, 0, 1, "1:9pr4ZGTICiuZoIh90RRYE2RyXpU="},
    {"1.2.3.4", "5.6.7.8", 1, 11, 0, 1, "1:1DD7cWGC/Yg91YGsQeni8du3pIA="},
    {"fe80:0001:0203:0405:0607:0809:0A0B:0C0D", "fe80:1011:1213:1415:1617:1819:1A1B:1C1D", 58,
     128, 0, 1, "1:IO27GQzPuCtNnwFvjWALMHu5tJE="},
    {"fe80:1011:1213:1415:1617:1819:1A1B:1C1D", "fe80:0001:0203:0405:0607:0809:0A0B:0C0D", 58,
     129, 0, 1, "1:IO27GQzPuCtNnwFvjWALMHu5tJE="},
    {"fe80:0001:0203:0405:0607:0809:0A0B:0C0D", "fe80:1011:1213:1415:1617:1819:1A1B:1C1D", 58,
     146, 0, 1, "1:Cv4IKJe56BNkF0MBW2YxQ3Nwc3s="},
    {"1.2.3.4", "5.6.7.8", 46, 0, 0, 1, "1:/buhqeOmaRCopOZFy9HnoJd5XW8="},
    {"5.6.7.8", "1.2.3.4", 46, 0, 0, 1, "1:/buhqeOmaRCopOZFy9HnoJd5XW8="},
    {"fe80:0001:0203:0405:0607:0809:0A0B:0C0D", "fe80:1011:1213:1415:1617:1819:1A1B:1C1D", 46,
     0, 0, 1, "1:j6EyyfBzL4vWKHFXgUqb5Az3OxM="},
    {"fe80:1011:1213:1415:1617:1819:1A1B:1C1D", "fe80:0001:0203:0405:0607:0809:0A0B:0C0D", 46,
     0, 0, 1, "1:j6EyyfBzL4vWKHFXgUqb5Az3OxM="},
    // ---- [J] baseline_deflt.json ----
    {"fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 58, 135, 136, 0,
     "1:dGHyGvjMfljg6Bppwm3bg0LO8TY="},
    {"fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 58, 136, 135, 0,
     "1:dGHyGvjMfljg6Bppwm3bg0LO8TY="},
    {"fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 58, 135, 136, 0,
     "1:zavyT/cezQr1fmImYCwYnMXbgck="},
    {"fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 58, 136, 135, 0,
     "1:zavyT/cezQr1fmImYCwYnMXbgck="},
    {"3ffe:501:1800:2345::2", "3ffe:507:0:1:200:86ff:fe05:80da", 58, 3, 0, 0,
     "1:2ObVBgIn28oZvibYZhZMBgh7WdQ="},
    {"3ffe:501:410:0:2c0:dfff:fe47:33e", "3ffe:507:0:1:200:86ff:fe05:80da", 58, 1, 4, 0,
     "1:hLZd0XGWojozrvxqE0dWB1iM6R0="},
    {"3ffe:507:0:1:200:86ff:fe05:80da", "3ffe:501:0:1001::2", 58, 128, 129, 0,
     "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg="},
    {"3ffe:501:0:1001::2", "3ffe:507:0:1:200:86ff:fe05:80da", 58, 129, 128, 0,
     "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg="},
    {"fe80::200:86ff:fe05:80da", "ff02::2", 58, 133, 134, 0, "1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0="},
    {"fe80::260:97ff:fe07:69ea", "ff02::1", 58, 134, 133, 0, "1:pkvHqCL88/tg1k4cPigmZXUtL00="},
    {"192.168.0.89", "192.168.0.1", 1, 8, 0, 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk="},
    {"192.168.0.1", "192.168.0.89", 1, 0, 8, 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk="},
    {"10.0.0.1", "10.0.0.2", 1, 11, 0, 0, "1:YHxtAirCG//0OzkcVAukqKQN9xM="},
    {"2001:470:e5bf:dead:4957:2174:e82c:4887", "2607:f8b0:400c:c03::1a", 6, 63943, 25, 0,
     "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4="},
    {"2607:f8b0:400c:c03::1a", "2001:470:e5bf:dead:4957:2174:e82c:4887", 6, 25, 63943, 0,
     "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4="},
    {"192.168.170.8", "192.168.170.56", 132, 7, 7, 0, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs="},
    {"192.168.170.56", "192.168.170.8", 132, 7, 7, 0, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs="},
    {"128.232.110.120", "66.35.250.204", 6, 34855, 80, 0, "1:LQU9qZlK+B5F3KDmev6m5PMibrg="},
    {"66.35.250.204", "128.232.110.120", 6, 80, 34855, 0, "1:LQU9qZlK+B5F3KDmev6m5PMibrg="},
    {"192.168.1.52", "8.8.8.8", 17, 54585, 53, 0, "1:d/FP5EW3wiY1vCndhwleRRKHowQ="},
    {"8.8.8.8", "192.168.1.52", 17, 53, 54585, 0, "1:d/FP5EW3wiY1vCndhwleRRKHowQ="},
    {"10.1.12.1", "10.1.12.2", 46, 0, 0, 0, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw="},
    {"10.1.12.2", "10.1.12.1", 46, 0, 0, 0, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw="},
    // ---- [J] baseline_seed1.json ----
    {"fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 58, 135, 136, 1,
     "1:kHa1FhMYIT6Ym2Vm2AOtoOARDzY="},
    {"fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 58, 136, 135, 1,
     "1:kHa1FhMYIT6Ym2Vm2AOtoOARDzY="},
    {"fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 58, 135, 136, 1,
     "1:2hSqmsDZ2kdcY9kbiUzOEBic0iM="},
    {"fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 58, 136, 135, 1,
     "1:2hSqmsDZ2kdcY9kbiUzOEBic0iM="},
    {"3ffe:501:1800:2345::2", "3ffe:507:0:1:200:86ff:fe05:80da", 58, 3, 0, 1,
     "1:lVEtCZpYu84Xqaa++3lXFyuu2n4="},
    {"3ffe:501:410:0:2c0:dfff:fe47:33e", "3ffe:507:0:1:200:86ff:fe05:80da", 58, 1, 4, 1,
     "1:W8MHwXpWzpoSTD+cGcaJr4u0ys8="},
    {"3ffe:507:0:1:200:86ff:fe05:80da", "3ffe:501:0:1001::2", 58, 128, 129, 1,
     "1:GfZxjAkDk2MkegpBYHV6tadtFXQ="},
    {"3ffe:501:0:1001::2", "3ffe:507:0:1:200:86ff:fe05:80da", 58, 129, 128, 1,
     "1:GfZxjAkDk2MkegpBYHV6tadtFXQ="},
    {"fe80::200:86ff:fe05:80da", "ff02::2", 58, 133, 134, 1, "1:L7Ka0ZMYu+J3bL4ulW2PrqyXNo8="},
    {"fe80::260:97ff:fe07:69ea", "ff02::1", 58, 134, 133, 1, "1:K/ee5UCqAMAQXDorP5nSa2CGLjc="},
    {"192.168.0.89", "192.168.0.1", 1, 8, 0, 1, "1:03g6IloqVBdcZlPyX8r0hgoE7kA="},
    {"192.168.0.1", "192.168.0.89", 1, 0, 8, 1, "1:03g6IloqVBdcZlPyX8r0hgoE7kA="},
    {"10.0.0.1", "10.0.0.2", 1, 11, 0, 1, "1:XjUibYHaafLQ3pxQeiMI8g25q20="},
    {"2001:470:e5bf:dead:4957:2174:e82c:4887", "2607:f8b0:400c:c03::1a", 6, 63943, 25, 1,
     "1:eJYTW6AOzFLlSUoESovMjnu7rMw="},
    {"2607:f8b0:400c:c03::1a", "2001:470:e5bf:dead:4957:2174:e82c:4887", 6, 25, 63943, 1,
     "1:eJYTW6AOzFLlSUoESovMjnu7rMw="},
    {"192.168.170.8", "192.168.170.56", 132, 7, 7, 1, "1:5w3ZRjeKBzqT3zsaEECDGjUbYeg="},
    {"192.168.170.56", "192.168.170.8", 132, 7, 7, 1, "1:5w3ZRjeKBzqT3zsaEECDGjUbYeg="},
    {"128.232.110.120", "66.35.250.204", 6, 34855, 80, 1, "1:3V71V58M3Ksw/yuFALMcW0LAHvc="},
    {"66.35.250.204", "128.232.110.120", 6, 80, 34855, 1, "1:3V71V58M3Ksw/yuFALMcW0LAHvc="},
    {"192.168.1.52", "8.8.8.8", 17, 54585, 53, 1, "1:Q9We8WO3piVF8yEQBNJF4uiSVrI="},
    {"8.8.8.8", "192.168.1.52", 17, 53, 54585, 1, "1:Q9We8WO3piVF8yEQBNJF4uiSVrI="},
    {"10.1.12.1", "10.1.12.2", 46, 0, 0, 1, "1:rYir8gphR31noO9iDRQmF/BteEI="},
    {"10.1.12.2", "10.1.12.1", 46, 0, 0, 1, "1:rYir8gphR31noO9iDRQmF/BteEI="},
    // ---- [P] pycommunityid unit tests (default seed, then seed 1) ----
    {"192.168.0.89", "192.168.0.1", 1, 20, 0, 0, "1:3o2RFccXzUgjl7zDpqmY7yJi8rI="},
    {"192.168.0.89", "192.168.0.1", 1, 20, 0, 1, "1:lCXHHxavE1Vq3oX9NH5ladQg02o="},
    {"192.168.0.89", "192.168.0.1", 1, 20, 1, 0, "1:tz/fHIDUHs19NkixVVoOZywde+I="},
    {"192.168.0.89", "192.168.0.1", 1, 20, 1, 1, "1:Ie3wmFyxiEyikbsbcO03d2nh+PM="},
    {"192.168.0.1", "192.168.0.89", 1, 0, 20, 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk="},
    {"192.168.0.1", "192.168.0.89", 1, 0, 20, 1, "1:03g6IloqVBdcZlPyX8r0hgoE7kA="},
    {"fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 58, 135, 0, 0,
     "1:dGHyGvjMfljg6Bppwm3bg0LO8TY="},
    {"fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 58, 136, 0, 1,
     "1:kHa1FhMYIT6Ym2Vm2AOtoOARDzY="},
    {"3ffe:507:0:1:260:97ff:fe07:69ea", "3ffe:507:0:1:200:86ff:fe05:80da", 58, 3, 0, 0,
     "1:NdobDX8PQNJbAyfkWxhtL2Pqp5w="},
    {"3ffe:507:0:1:260:97ff:fe07:69ea", "3ffe:507:0:1:200:86ff:fe05:80da", 58, 3, 0, 1,
     "1:OlOWx9psIbBFi7lOCw/4MhlKR9M="},
    {"3ffe:507:0:1:200:86ff:fe05:80da", "3ffe:507:0:1:260:97ff:fe07:69ea", 58, 3, 0, 0,
     "1:/OGBt9BN1ofenrmSPWYicpij2Vc="},
    {"3ffe:507:0:1:200:86ff:fe05:80da", "3ffe:507:0:1:260:97ff:fe07:69ea", 58, 3, 0, 1,
     "1:Ij4ZxnC87/MXzhOjvH2vHu7LRmE="},
    {"192.168.170.8", "192.168.170.56", 132, 7, 80, 0, "1:jQgCxbku+pNGw8WPbEc/TS/uTpQ="},
    {"192.168.170.56", "192.168.170.8", 132, 80, 7, 1, "1:Y1/0jQg6e+I3ZwZZ9LP65DNbTXU="},
    {"10.0.0.1", "10.0.0.2", 6, 10, 11569, 0, "1:SXBGMX1lBOwhhoDrZynfROxnhnM="},
    {"10.0.0.1", "10.0.0.2", 6, 10, 11569, 1, "1:HmBRGR+fUyXF4t8WEtal7Y0gEAo="},
    {"10.1.24.4", "10.1.12.1", 46, 0, 0, 0, "1:/nQI4Rh/TtY3mf0R2gJFBkVlgS4="},
    {"10.1.12.1", "10.1.24.4", 46, 0, 0, 1, "1:BK3BVW3U2eemuwVQVN3zd/GULno="},
};

TEST(CommunityId, PublishedVectors) {
  for (const Vector& v : kVectors) {
    EXPECT_EQ(cid(v), v.expected) << v.src << " -> " << v.dst << " proto " << int(v.proto)
                                  << " " << v.sport << "/" << v.dport << " seed " << v.seed;
  }
}

TEST(CommunityId, KeyOverloadMatchesTuple) {
  FlowKey k;
  k.src = IpAddress::parse("66.35.250.204");
  k.dst = IpAddress::parse("128.232.110.120");
  k.proto = 6;
  k.sport = 80;
  k.dport = 34855;
  char out[kCommunityIdMaxLen];
  EXPECT_EQ(std::string(out, community_id_v1(k, 0, out)), "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
}

// The flow-table key holds 0/0 for ICMP; the Flow overload uses the first
// packet's type/code instead, so an echo flow gets the echo id.
TEST(CommunityId, FlowOverloadUsesIcmpTypeOfFirstPacket) {
  Flow f;
  f.key.src = IpAddress::parse("192.168.0.1");
  f.key.dst = IpAddress::parse("192.168.0.89");
  f.key.proto = 1;
  f.has_icmp = true;
  f.icmp_type = 0;  // echo reply seen first
  f.icmp_code = 0;
  char out[kCommunityIdMaxLen];
  EXPECT_EQ(std::string(out, community_id_v1(f, 0, out)), "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=");
  f.icmp_type = 8;  // same pair, echo request from the other side: same id
  std::swap(f.key.src, f.key.dst);
  EXPECT_EQ(std::string(out, community_id_v1(f, 0, out)), "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=");
}

}  // namespace
}  // namespace seawall
