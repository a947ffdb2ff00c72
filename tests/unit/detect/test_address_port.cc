// Header address and port expressions: every form Suricata accepts, the
// set semantics of negation inside lists, variables, and the errors.
#include <gtest/gtest.h>

#include "detect/rules/rule_parser.h"

namespace seawall::detect {
namespace {

IpAddress ip(const char* text) {
  IpAddress a = IpAddress::parse(text);
  EXPECT_NE(a.family, 0) << text;
  return a;
}

RuleLoadContext default_vars() {
  RuleLoadContext c;
  c.address_vars["HOME_NET"] = "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]";
  c.address_vars["EXTERNAL_NET"] = "!$HOME_NET";
  c.address_vars["HTTP_SERVERS"] = "$HOME_NET";
  c.port_vars["HTTP_PORTS"] = "[80,8080]";
  c.port_vars["SHELLCODE_PORTS"] = "!80";
  c.port_vars["FILE_DATA_PORTS"] = "[$HTTP_PORTS,110,143]";
  return c;
}

TEST(IpPrefix, ContainsRespectsLengthAndFamily) {
  IpPrefix p{ip("10.1.0.0"), 16};
  EXPECT_TRUE(p.contains(ip("10.1.255.255")));
  EXPECT_FALSE(p.contains(ip("10.2.0.0")));
  EXPECT_FALSE(p.contains(ip("::ffff:10.1.0.1")));
  IpPrefix odd{ip("192.168.0.128"), 25};
  EXPECT_TRUE(odd.contains(ip("192.168.0.200")));
  EXPECT_FALSE(odd.contains(ip("192.168.0.127")));
  IpPrefix zero{ip("0.0.0.0"), 0};
  EXPECT_TRUE(zero.contains(ip("255.1.2.3")));
  IpPrefix v6{ip("2001:db8::"), 33};
  EXPECT_TRUE(v6.contains(ip("2001:db8:7fff::1")));
  EXPECT_FALSE(v6.contains(ip("2001:db8:8000::1")));
}

TEST(AddressSet, AnyMatchesBothFamilies) {
  RuleLoadContext c;
  AddressSet s = parse_address_set("any", c);
  EXPECT_TRUE(s.any);
  EXPECT_TRUE(s.include.empty());
  EXPECT_TRUE(s.exclude.empty());
  EXPECT_TRUE(s.contains(ip("1.2.3.4")));
  EXPECT_TRUE(s.contains(ip("::1")));
  EXPECT_TRUE(parse_address_set("ANY", c).any);
}

TEST(AddressSet, SingleAddressCidrNetmaskAndRange) {
  RuleLoadContext c;
  AddressSet one = parse_address_set("1.2.3.4", c);
  ASSERT_FALSE(one.any);
  ASSERT_EQ(one.include.size(), 1u);
  EXPECT_EQ(one.include[0].length, 32);
  EXPECT_TRUE(one.contains(ip("1.2.3.4")));
  EXPECT_FALSE(one.contains(ip("1.2.3.5")));

  // Host bits are dropped, as Suricata does.
  AddressSet cidr = parse_address_set("192.168.1.77/24", c);
  ASSERT_EQ(cidr.include.size(), 1u);
  EXPECT_EQ(cidr.include[0].address, ip("192.168.1.0"));
  EXPECT_EQ(cidr.include[0].length, 24);

  AddressSet mask = parse_address_set("10.0.0.0/255.255.0.0", c);
  ASSERT_EQ(mask.include.size(), 1u);
  EXPECT_EQ(mask.include[0].length, 16);

  // 10.0.0.1-10.0.0.6 is exactly 10.0.0.1/32 + 10.0.0.2/31 + 10.0.0.4/31 + 10.0.0.6/32.
  AddressSet range = parse_address_set("10.0.0.1-10.0.0.6", c);
  ASSERT_EQ(range.include.size(), 4u);
  EXPECT_FALSE(range.contains(ip("10.0.0.0")));
  for (int i = 1; i <= 6; ++i) {
    std::string a = "10.0.0." + std::to_string(i);
    EXPECT_TRUE(range.contains(ip(a.c_str()))) << a;
  }
  EXPECT_FALSE(range.contains(ip("10.0.0.7")));
}

TEST(AddressSet, Ipv6Forms) {
  RuleLoadContext c;
  AddressSet s = parse_address_set("[2001:db8::/32,::1,fe80::1-fe80::3]", c);
  EXPECT_FALSE(s.any);
  EXPECT_TRUE(s.contains(ip("2001:db8:ffff::5")));
  EXPECT_TRUE(s.contains(ip("::1")));
  EXPECT_TRUE(s.contains(ip("fe80::2")));
  EXPECT_FALSE(s.contains(ip("fe80::4")));
  EXPECT_FALSE(s.contains(ip("2001:db9::")));
  EXPECT_FALSE(s.contains(ip("0.0.0.1")));
  AddressSet all6 = parse_address_set("::/0", c);
  EXPECT_TRUE(all6.contains(ip("ffff::1")));
  EXPECT_FALSE(all6.contains(ip("1.1.1.1")));
}

TEST(AddressSet, NegationIsAnyMinus) {
  RuleLoadContext c;
  AddressSet s = parse_address_set("!1.2.3.4", c);
  EXPECT_TRUE(s.any);
  ASSERT_EQ(s.exclude.size(), 1u);
  EXPECT_FALSE(s.contains(ip("1.2.3.4")));
  EXPECT_TRUE(s.contains(ip("1.2.3.5")));
  EXPECT_TRUE(s.contains(ip("::1")));
}

TEST(AddressSet, VariablesRecursiveAndNegated) {
  RuleLoadContext c = default_vars();
  AddressSet home = parse_address_set("$HOME_NET", c);
  EXPECT_FALSE(home.any);
  EXPECT_EQ(home.include.size(), 3u);
  EXPECT_TRUE(home.contains(ip("10.9.9.9")));
  EXPECT_TRUE(home.contains(ip("172.31.255.255")));
  EXPECT_FALSE(home.contains(ip("172.32.0.0")));

  AddressSet ext = parse_address_set("$EXTERNAL_NET", c);
  EXPECT_TRUE(ext.any);
  EXPECT_EQ(ext.exclude.size(), 3u);
  EXPECT_TRUE(ext.contains(ip("8.8.8.8")));
  EXPECT_FALSE(ext.contains(ip("192.168.3.4")));
  EXPECT_TRUE(ext.contains(ip("2001:db8::1")));

  // Double negation through a variable gives HOME_NET back.
  AddressSet back = parse_address_set("!$EXTERNAL_NET", c);
  EXPECT_TRUE(back.contains(ip("10.0.0.1")));
  EXPECT_FALSE(back.contains(ip("8.8.8.8")));
  EXPECT_FALSE(back.contains(ip("::1")));

  AddressSet chained = parse_address_set("$HTTP_SERVERS", c);
  EXPECT_TRUE(chained.contains(ip("192.168.1.1")));
}

TEST(AddressSet, NestedGroupsWithNegation) {
  RuleLoadContext c = default_vars();
  AddressSet s = parse_address_set("[$HOME_NET,![10.0.0.0/8,1.2.3.4]]", c);
  EXPECT_TRUE(s.contains(ip("192.168.0.1")));
  EXPECT_TRUE(s.contains(ip("172.16.0.1")));
  EXPECT_FALSE(s.contains(ip("10.1.1.1")));
  EXPECT_FALSE(s.contains(ip("1.2.3.4")));
  EXPECT_FALSE(s.contains(ip("8.8.8.8")));

  // Only negated items: start from any.
  AddressSet only_neg = parse_address_set("[!10.0.0.0/8, !192.168.0.0/16]", c);
  EXPECT_TRUE(only_neg.contains(ip("8.8.8.8")));
  EXPECT_FALSE(only_neg.contains(ip("10.0.0.1")));
  EXPECT_FALSE(only_neg.contains(ip("192.168.4.4")));

  // ET style: [$EXTERNAL_NET,!255.255.255.255]
  AddressSet et = parse_address_set("[$EXTERNAL_NET,!255.255.255.255]", c);
  EXPECT_TRUE(et.contains(ip("8.8.8.8")));
  EXPECT_FALSE(et.contains(ip("255.255.255.255")));
  EXPECT_FALSE(et.contains(ip("10.0.0.1")));

  // Negating a group that itself holds a negation: !(1/8 minus 1.2/16).
  AddressSet inner = parse_address_set("![1.0.0.0/8,!1.2.0.0/16]", c);
  EXPECT_FALSE(inner.contains(ip("1.1.1.1")));
  EXPECT_TRUE(inner.contains(ip("1.2.3.4")));
  EXPECT_TRUE(inner.contains(ip("2.0.0.0")));
}

TEST(AddressSet, Errors) {
  RuleLoadContext c = default_vars();
  c.address_vars["LOOP_A"] = "[$LOOP_B,1.1.1.1]";
  c.address_vars["LOOP_B"] = "$LOOP_A";
  auto error_of = [&](const char* text) -> std::string {
    try {
      parse_address_set(text, c);
    } catch (const RuleError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(error_of("1.2.3.256"), "invalid address '1.2.3.256'");
  EXPECT_EQ(error_of("1.2.3.0/33"), "invalid prefix length in '1.2.3.0/33'");
  EXPECT_EQ(error_of("$NOPE"), "unknown address variable '$NOPE'");
  EXPECT_EQ(error_of("$LOOP_A"), "address variable '$LOOP_A' refers to itself");
  EXPECT_EQ(error_of("[1.2.3.4"), "unbalanced '[' in address '[1.2.3.4'");
  EXPECT_EQ(error_of("[1.2.3.4,,5.6.7.8]"), "empty item in address '1.2.3.4,,5.6.7.8'");
  EXPECT_EQ(error_of("!any"), "'!any' negates the complete address space");
  EXPECT_EQ(error_of("[1.2.3.4,!1.2.3.4]"),
            "address '[1.2.3.4,!1.2.3.4]' matches nothing (complete IP space negated)");
  EXPECT_EQ(error_of("10.0.0.9-10.0.0.1"), "address range '10.0.0.9-10.0.0.1' ends before it starts");
  EXPECT_EQ(error_of("1.2.3.4-::1"), "mixed address families in range '1.2.3.4-::1'");
  EXPECT_EQ(error_of("10.0.0.0/255.0.255.0"), "non-contiguous netmask in '10.0.0.0/255.0.255.0'");
  EXPECT_EQ(error_of("$HTTP_PORTS"), "unknown address variable '$HTTP_PORTS'");
  std::string deep(40, '[');
  deep += "1.2.3.4" + std::string(40, ']');
  EXPECT_EQ(error_of(deep.c_str()), "address nested too deeply");
}

TEST(PortSet, Forms) {
  RuleLoadContext c = default_vars();
  EXPECT_TRUE(parse_port_set("any", c).any);

  PortSet one = parse_port_set("80", c);
  EXPECT_FALSE(one.any);
  EXPECT_TRUE(one.contains(80));
  EXPECT_FALSE(one.contains(81));

  PortSet range = parse_port_set("80:90", c);
  EXPECT_TRUE(range.contains(80));
  EXPECT_TRUE(range.contains(90));
  EXPECT_FALSE(range.contains(91));

  PortSet open_hi = parse_port_set("1024:", c);
  EXPECT_TRUE(open_hi.contains(65535));
  EXPECT_FALSE(open_hi.contains(1023));
  PortSet open_lo = parse_port_set(":1023", c);
  EXPECT_TRUE(open_lo.contains(0));
  EXPECT_FALSE(open_lo.contains(1024));

  PortSet neg = parse_port_set("!80", c);
  EXPECT_TRUE(neg.any);
  ASSERT_EQ(neg.exclude.size(), 1u);
  EXPECT_FALSE(neg.contains(80));
  EXPECT_TRUE(neg.contains(81));

  PortSet list = parse_port_set("[1024:5000,49152:]", c);
  EXPECT_TRUE(list.contains(5000));
  EXPECT_FALSE(list.contains(5001));
  EXPECT_TRUE(list.contains(60000));

  PortSet mixed = parse_port_set("[1:100,!50:60, 200]", c);
  EXPECT_TRUE(mixed.contains(49));
  EXPECT_FALSE(mixed.contains(55));
  EXPECT_TRUE(mixed.contains(61));
  EXPECT_TRUE(mixed.contains(200));
  EXPECT_FALSE(mixed.contains(150));

  PortSet var = parse_port_set("$FILE_DATA_PORTS", c);
  EXPECT_TRUE(var.contains(80));
  EXPECT_TRUE(var.contains(8080));
  EXPECT_TRUE(var.contains(110));
  EXPECT_TRUE(var.contains(143));
  EXPECT_FALSE(var.contains(25));

  PortSet shell = parse_port_set("$SHELLCODE_PORTS", c);
  EXPECT_FALSE(shell.contains(80));
  EXPECT_TRUE(shell.contains(443));

  PortSet all = parse_port_set("0:65535", c);
  EXPECT_TRUE(all.any);
  EXPECT_TRUE(all.exclude.empty());
}

TEST(PortSet, Errors) {
  RuleLoadContext c = default_vars();
  auto error_of = [&](const char* text) -> std::string {
    try {
      parse_port_set(text, c);
    } catch (const RuleError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(error_of("65536"), "invalid port '65536'");
  EXPECT_EQ(error_of("http"), "invalid port 'http'");
  EXPECT_EQ(error_of("90:80"), "port range '90:80' ends before it starts");
  EXPECT_EQ(error_of(":"), "invalid port range ':'");
  EXPECT_EQ(error_of("!any"), "'!any' negates the complete port space");
  EXPECT_EQ(error_of("[80,!80]"), "port '[80,!80]' matches nothing");
  EXPECT_EQ(error_of("$HOME_NET"), "unknown port variable '$HOME_NET'");
  EXPECT_EQ(error_of("[80"), "unbalanced '[' in port '[80'");
}

}  // namespace
}  // namespace seawall::detect
