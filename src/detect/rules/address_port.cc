// Header address and port expressions: Suricata's grammar (any, negation,
// nested lists, variables, CIDR, netmask and a-b ranges, port ranges) reduced
// to an exact set of intervals, then written back as the smaller of
// "these prefixes" or "anything except these prefixes".
#include "detect/rules/rule_parser.h"

#include <algorithm>
#include <string>
#include <vector>

#include "detect/rules/option_value.h"

namespace seawall::detect {

namespace {

__extension__ typedef unsigned __int128 U128;

constexpr U128 kMaxV4 = 0xffffffffu;
constexpr U128 kMaxV6 = ~static_cast<U128>(0);
constexpr U128 kMaxPort = 65535;
constexpr int kMaxDepth = 32;  // nesting of brackets, negations and variables

struct Interval {
  U128 lo, hi;  // inclusive
};
using Intervals = std::vector<Interval>;

void normalize(Intervals& v) {
  std::sort(v.begin(), v.end(), [](const Interval& a, const Interval& b) { return a.lo < b.lo; });
  Intervals out;
  for (const Interval& i : v) {
    // Merge overlapping or adjacent intervals (hi + 1 guarded against overflow).
    if (!out.empty() && (i.lo <= out.back().hi || i.lo - 1 == out.back().hi)) {
      out.back().hi = std::max(out.back().hi, i.hi);
    } else {
      out.push_back(i);
    }
  }
  v.swap(out);
}

void unite_into(Intervals& dst, const Intervals& src) {
  dst.insert(dst.end(), src.begin(), src.end());
  normalize(dst);
}

// a minus b; both normalized.
Intervals subtract(const Intervals& a, const Intervals& b) {
  Intervals out;
  for (const Interval& x : a) {
    U128 lo = x.lo;
    bool done = false;
    for (const Interval& y : b) {
      if (y.hi < lo || y.lo > x.hi) continue;
      if (y.lo > lo) out.push_back({lo, y.lo - 1});
      if (y.hi >= x.hi) {
        done = true;
        break;
      }
      lo = y.hi + 1;
    }
    if (!done) out.push_back({lo, x.hi});
  }
  return out;
}

Intervals complement(const Intervals& a, U128 max) { return subtract({{0, max}}, a); }

bool is_full(const Intervals& a, U128 max) {
  return a.size() == 1 && a[0].lo == 0 && a[0].hi == max;
}

// An address set: IPv4 and IPv6 halves in their own key spaces.
struct IpSet {
  Intervals v4, v6;
};

IpSet universe() { return {{{0, kMaxV4}}, {{0, kMaxV6}}}; }

[[noreturn]] void fail(const std::string& reason) { throw RuleError(reason); }

// Splits "a,[b,c],d" at top-level commas; validates brackets.
std::vector<std::string_view> split_top_level(std::string_view text, std::string_view what) {
  std::vector<std::string_view> items;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '[') {
      ++depth;
    } else if (c == ']') {
      if (--depth < 0) fail("unbalanced ']' in " + std::string(what) + " '" + std::string(text) + "'");
    } else if (c == ',' && depth == 0) {
      items.push_back(trim_space(text.substr(start, i - start)));
      start = i + 1;
    }
  }
  if (depth != 0) fail("unbalanced '[' in " + std::string(what) + " '" + std::string(text) + "'");
  items.push_back(trim_space(text.substr(start)));
  for (std::string_view item : items) {
    if (item.empty()) fail("empty item in " + std::string(what) + " '" + std::string(text) + "'");
  }
  return items;
}

// True when text is one "[...]" group (its first '[' closes at the very end).
bool wholly_bracketed(std::string_view text) {
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') return false;
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '[') ++depth;
    if (text[i] == ']' && --depth == 0) return i + 1 == text.size();
  }
  return false;
}

const std::string* find_var(const std::map<std::string, std::string>& vars,
                            std::string_view name) {
  auto it = vars.find(std::string(name));
  if (it == vars.end()) it = vars.find("$" + std::string(name));
  return it == vars.end() ? nullptr : &it->second;
}

// The shared expression walker: list semantics are Suricata's — the union of
// the positive items minus the union of the negated ones, where a list with
// only negated items starts from "any".
template <typename Set, typename Leaf>
class ExpressionParser {
 public:
  ExpressionParser(const std::map<std::string, std::string>& vars, std::string_view what,
                   Leaf leaf, Set all)
      : vars_(vars), what_(what), leaf_(leaf), all_(std::move(all)) {}

  Set expression(std::string_view text, int depth) {
    text = trim_space(text);
    if (text.empty()) fail("empty " + std::string(what_));
    if (depth > kMaxDepth) fail(std::string(what_) + " nested too deeply");
    std::string_view inner = wholly_bracketed(text) ? text.substr(1, text.size() - 2) : text;
    Set positive{}, negative{};
    bool any_positive = false;
    for (std::string_view item : split_top_level(inner, what_)) {
      if (item.front() == '!') {
        unite(negative, element(trim_space(item.substr(1)), depth + 1, true));
      } else {
        unite(positive, element(item, depth + 1, false));
        any_positive = true;
      }
    }
    if (!any_positive) positive = all_;
    return minus(positive, negative);
  }

 private:
  Set element(std::string_view item, int depth, bool negated) {
    if (item.empty()) fail("'!' without a " + std::string(what_));
    if (item.front() == '[' || item.front() == '!') return expression(item, depth);
    if (item.front() == '$') {
      std::string_view name = item.substr(1);
      const std::string* value = find_var(vars_, name);
      if (value == nullptr) {
        fail("unknown " + std::string(what_) + " variable '" + std::string(item) + "'");
      }
      for (const std::string& open : stack_) {
        if (open == name) fail(std::string(what_) + " variable '" + std::string(item) + "' refers to itself");
      }
      stack_.emplace_back(name);
      Set s = expression(*value, depth);
      stack_.pop_back();
      return s;
    }
    if (to_lower_ascii(item) == "any") {
      if (negated) fail("'!any' negates the complete " + std::string(what_) + " space");
      return all_;
    }
    return leaf_(item);
  }

  static void unite(IpSet& dst, const IpSet& src) {
    unite_into(dst.v4, src.v4);
    unite_into(dst.v6, src.v6);
  }
  static void unite(Intervals& dst, const Intervals& src) { unite_into(dst, src); }
  static IpSet minus(const IpSet& a, const IpSet& b) {
    return {subtract(a.v4, b.v4), subtract(a.v6, b.v6)};
  }
  static Intervals minus(const Intervals& a, const Intervals& b) { return subtract(a, b); }

  const std::map<std::string, std::string>& vars_;
  std::string_view what_;
  Leaf leaf_;
  Set all_;
  std::vector<std::string> stack_;  // variables being expanded (loop detection)
};

U128 to_key(const IpAddress& a) {
  U128 k = 0;
  for (size_t i = 0; i < a.size(); ++i) k = (k << 8) | a.bytes[i];
  return k;
}

IpAddress from_key(U128 k, uint8_t family) {
  IpAddress a;
  a.family = family;
  const size_t n = family == 4 ? 4 : 16;
  for (size_t i = 0; i < n; ++i) {
    a.bytes[n - 1 - i] = static_cast<uint8_t>(k & 0xff);
    k >>= 8;
  }
  return a;
}

IpAddress parse_ip(std::string_view text, std::string_view whole) {
  IpAddress a = IpAddress::parse(std::string(trim_space(text)));
  if (a.family == 0) fail("invalid address '" + std::string(whole) + "'");
  return a;
}

// Mask with the top `bits` bits set in a `width`-bit space.
U128 prefix_mask(unsigned bits, unsigned width) {
  if (bits == 0) return 0;
  U128 ones = width == 128 ? kMaxV6 : ((static_cast<U128>(1) << width) - 1);
  return ones ^ ((static_cast<U128>(1) << (width - bits)) - 1);
}

// One literal: address, address/len, IPv4 address/netmask, or first-last.
IpSet parse_ip_literal(std::string_view item) {
  IpSet set;
  IpAddress lo_addr, hi_addr;
  U128 lo = 0, hi = 0;
  if (size_t slash = item.find('/'); slash != std::string_view::npos) {
    IpAddress a = parse_ip(item.substr(0, slash), item);
    const unsigned width = a.is_v4() ? 32 : 128;
    std::string_view len_text = trim_space(item.substr(slash + 1));
    unsigned bits = 0;
    if (a.is_v4() && len_text.find('.') != std::string_view::npos) {
      IpAddress m = parse_ip(len_text, item);
      if (!m.is_v4()) fail("invalid netmask in '" + std::string(item) + "'");
      U128 mask = to_key(m);
      while (bits < 32 && (mask >> (31 - bits) & 1)) ++bits;
      if (mask != prefix_mask(bits, 32)) fail("non-contiguous netmask in '" + std::string(item) + "'");
    } else {
      bool ok = !len_text.empty() && len_text.size() <= 3;
      for (char c : len_text) ok = ok && c >= '0' && c <= '9';
      if (ok) bits = static_cast<unsigned>(std::stoul(std::string(len_text)));
      if (!ok || bits > width) fail("invalid prefix length in '" + std::string(item) + "'");
    }
    U128 mask = prefix_mask(bits, width);
    lo = to_key(a) & mask;  // host bits are ignored, as Suricata does
    hi = lo | (mask ^ (width == 128 ? kMaxV6 : kMaxV4));
    (a.is_v4() ? set.v4 : set.v6).push_back({lo, hi});
    return set;
  }
  if (size_t dash = item.find('-'); dash != std::string_view::npos) {
    lo_addr = parse_ip(item.substr(0, dash), item);
    hi_addr = parse_ip(item.substr(dash + 1), item);
    if (lo_addr.family != hi_addr.family) fail("mixed address families in range '" + std::string(item) + "'");
    lo = to_key(lo_addr);
    hi = to_key(hi_addr);
    if (lo > hi) fail("address range '" + std::string(item) + "' ends before it starts");
    (lo_addr.is_v4() ? set.v4 : set.v6).push_back({lo, hi});
    return set;
  }
  IpAddress a = parse_ip(item, item);
  (a.is_v4() ? set.v4 : set.v6).push_back({to_key(a), to_key(a)});
  return set;
}

unsigned trailing_zeros(U128 v, unsigned width) {
  if (v == 0) return width;
  unsigned n = 0;
  while ((v & 1) == 0) {
    v >>= 1;
    ++n;
  }
  return n;
}

// Smallest list of CIDR blocks covering exactly [lo, hi].
void to_prefixes(const Intervals& intervals, uint8_t family, std::vector<IpPrefix>& out) {
  const unsigned width = family == 4 ? 32 : 128;
  for (const Interval& iv : intervals) {
    U128 lo = iv.lo;
    while (true) {
      unsigned size = std::min(trailing_zeros(lo, width), width);
      // Shrink the block until it ends inside the interval.
      while (size > 0) {
        U128 span = size == 128 ? kMaxV6 : ((static_cast<U128>(1) << size) - 1);
        if (span <= iv.hi - lo) break;
        --size;
      }
      out.push_back({from_key(lo, family), static_cast<uint8_t>(width - size)});
      U128 span = size == 128 ? kMaxV6 : ((static_cast<U128>(1) << size) - 1);
      if (lo + span >= iv.hi) break;
      lo = lo + span + 1;
    }
  }
}

std::vector<IpPrefix> prefixes(const IpSet& s) {
  std::vector<IpPrefix> out;
  to_prefixes(s.v4, 4, out);
  to_prefixes(s.v6, 6, out);
  return out;
}

Intervals parse_port_literal(std::string_view item) {
  auto number = [&](std::string_view t) -> U128 {
    t = trim_space(t);
    bool ok = !t.empty() && t.size() <= 5;
    for (char c : t) ok = ok && c >= '0' && c <= '9';
    unsigned long v = ok ? std::stoul(std::string(t)) : 0;
    if (!ok || v > 65535) fail("invalid port '" + std::string(item) + "'");
    return v;
  };
  if (size_t colon = item.find(':'); colon != std::string_view::npos) {
    std::string_view a = trim_space(item.substr(0, colon));
    std::string_view b = trim_space(item.substr(colon + 1));
    if (a.empty() && b.empty()) fail("invalid port range '" + std::string(item) + "'");
    U128 lo = a.empty() ? 0 : number(a);
    U128 hi = b.empty() ? kMaxPort : number(b);
    if (lo > hi) fail("port range '" + std::string(item) + "' ends before it starts");
    return {{lo, hi}};
  }
  U128 p = number(item);
  return {{p, p}};
}

}  // namespace

AddressSet parse_address_set(std::string_view text, const RuleLoadContext& context) {
  ExpressionParser<IpSet, IpSet (*)(std::string_view)> parser(context.address_vars, "address",
                                                                 &parse_ip_literal, universe());
  IpSet set = parser.expression(text, 0);
  AddressSet result;
  if (set.v4.empty() && set.v6.empty()) {
    fail("address '" + std::string(trim_space(text)) + "' matches nothing (complete IP space negated)");
  }
  if (is_full(set.v4, kMaxV4) && is_full(set.v6, kMaxV6)) return result;  // any
  IpSet rest{complement(set.v4, kMaxV4), complement(set.v6, kMaxV6)};
  std::vector<IpPrefix> in = prefixes(set);
  std::vector<IpPrefix> out = prefixes(rest);
  if (out.size() < in.size()) {
    result.any = true;
    result.exclude = std::move(out);
  } else {
    result.any = false;
    result.include = std::move(in);
  }
  return result;
}

PortSet parse_port_set(std::string_view text, const RuleLoadContext& context) {
  ExpressionParser<Intervals, Intervals (*)(std::string_view)> parser(
      context.port_vars, "port", &parse_port_literal, Intervals{{0, kMaxPort}});
  Intervals set = parser.expression(text, 0);
  PortSet result;
  if (set.empty()) fail("port '" + std::string(trim_space(text)) + "' matches nothing");
  if (is_full(set, kMaxPort)) return result;
  Intervals rest = complement(set, kMaxPort);
  auto to_ranges = [](const Intervals& v) {
    std::vector<PortRange> r;
    for (const Interval& i : v) r.push_back({static_cast<uint16_t>(i.lo), static_cast<uint16_t>(i.hi)});
    return r;
  };
  if (rest.size() < set.size()) {
    result.any = true;
    result.exclude = to_ranges(rest);
  } else {
    result.any = false;
    result.include = to_ranges(set);
  }
  return result;
}

}  // namespace seawall::detect
