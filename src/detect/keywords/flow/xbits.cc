#include "detect/keywords/flow/xbits.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>

#include "core/hash.h"
#include "detect/keywords/keyword.h"
#include "detect/keywords/packet/uint_parse.h"

namespace seawall::detect {

namespace {

// Open addressing, bounded probing; a full window evicts the entry that
// expires first, so memory stays fixed whatever the traffic.
constexpr size_t kTableSize = 8192;  // power of two
constexpr size_t kProbe = 8;

struct Entry {
  uint64_t name_hash = 0;
  IpAddress a, b;  // host in a; pair as (min, max) so both directions agree
  int64_t expires_us = 0;
  bool pair = false;
  bool used = false;
};

struct Table {
  std::unique_ptr<Entry[]> slots;
  Entry* get() {
    if (!slots) slots = std::make_unique<Entry[]>(kTableSize);  // once per thread
    return slots.get();
  }
};

thread_local Table t_table;

struct Key {
  uint64_t name_hash;
  IpAddress a, b;
  bool pair;
};

bool key_of(const XbitSpec& spec, const Packet& p, Key& key) {
  if (p.ip_version == 0) return false;
  key.name_hash = spec.name_hash;
  key.pair = spec.track == XbitTrack::kIpPair;
  if (key.pair) {
    key.a = std::min(p.src, p.dst);
    key.b = std::max(p.src, p.dst);
  } else {
    // Host bits are one table for ip_src and ip_dst tracking (Suricata's
    // host table): set with ip_dst, check with ip_src on the reply.
    key.a = spec.track == XbitTrack::kIpSrc ? p.src : p.dst;
    key.b = IpAddress{};
  }
  return true;
}

size_t bucket_of(const Key& k) {
  uint64_t h = hash_bytes(k.a.bytes.data(), 16, k.name_hash ^ (k.pair ? 0x9e37u : 0));
  if (k.pair) h = hash_bytes(k.b.bytes.data(), 16, h);
  return static_cast<size_t>(h) & (kTableSize - 1);
}

bool same(const Entry& e, const Key& k) {
  return e.used && e.name_hash == k.name_hash && e.pair == k.pair && e.a == k.a && e.b == k.b;
}

Entry* find(Entry* slots, const Key& k, int64_t now_us) {
  size_t b = bucket_of(k);
  for (size_t i = 0; i < kProbe; ++i) {
    Entry& e = slots[(b + i) & (kTableSize - 1)];
    if (same(e, k)) {
      if (e.expires_us <= now_us) {
        e.used = false;  // expired: gone
        return nullptr;
      }
      return &e;
    }
  }
  return nullptr;
}

Entry& insert_slot(Entry* slots, const Key& k, int64_t now_us) {
  size_t b = bucket_of(k);
  Entry* victim = nullptr;
  for (size_t i = 0; i < kProbe; ++i) {
    Entry& e = slots[(b + i) & (kTableSize - 1)];
    if (!e.used || e.expires_us <= now_us) return e;
    if (victim == nullptr || e.expires_us < victim->expires_us) victim = &e;
  }
  return *victim;
}

}  // namespace

bool xbit_isset(const XbitSpec& spec, const Packet& p) {
  Key k;
  if (!key_of(spec, p, k)) return false;
  return find(t_table.get(), k, p.ts.micros()) != nullptr;
}

void xbit_apply(const XbitSpec& spec, const Packet& p) {
  Key k;
  if (!key_of(spec, p, k)) return;
  Entry* slots = t_table.get();
  int64_t now = p.ts.micros();
  Entry* e = find(slots, k, now);
  bool want_set = spec.cmd == XbitCmd::kSet || (spec.cmd == XbitCmd::kToggle && e == nullptr);
  if (!want_set) {
    if (e != nullptr && (spec.cmd == XbitCmd::kUnset || spec.cmd == XbitCmd::kToggle)) {
      e->used = false;
    }
    return;
  }
  if (e == nullptr) {
    e = &insert_slot(slots, k, now);
    e->name_hash = k.name_hash;
    e->a = k.a;
    e->b = k.b;
    e->pair = k.pair;
    e->used = true;
  }
  e->expires_us = now + int64_t{spec.expire_seconds} * 1000000;  // a new set refreshes expiry
}

void xbit_reset_thread_table() {
  Entry* slots = t_table.get();
  for (size_t i = 0; i < kTableSize; ++i) slots[i] = Entry{};
}

size_t xbit_live_entries(Timestamp now) {
  Entry* slots = t_table.get();
  size_t n = 0;
  for (size_t i = 0; i < kTableSize; ++i) {
    if (slots[i].used && slots[i].expires_us > now.micros()) ++n;
  }
  return n;
}

XbitSpec parse_xbits_option(std::string_view value, std::string* name_out) {
  auto parts = split_trim(value, ',');
  if (parts.size() < 3 || parts.size() > 4) {
    keyword_error("xbits", "expected <cmd>,<name>,track <ip_src|ip_dst|ip_pair>[,expire <seconds>]");
  }
  XbitSpec spec;
  if (parts[0] == "set") spec.cmd = XbitCmd::kSet;
  else if (parts[0] == "unset") spec.cmd = XbitCmd::kUnset;
  else if (parts[0] == "toggle") spec.cmd = XbitCmd::kToggle;
  else if (parts[0] == "isset") spec.cmd = XbitCmd::kIsset;
  else if (parts[0] == "isnotset") spec.cmd = XbitCmd::kIsnotset;
  else keyword_error("xbits", "unknown command '" + std::string(parts[0]) + "'");
  std::string_view name = parts[1];
  if (name.empty()) keyword_error("xbits", "empty name");
  for (char c : name) {
    if (std::isspace(static_cast<unsigned char>(c))) keyword_error("xbits", "spaces in name");
  }
  spec.name_hash = hash_bytes(name.data(), name.size(), 0x78626974);  // "xbit"
  if (name_out != nullptr) *name_out = std::string(name);

  auto name_value = [](std::string_view part, std::string_view want, std::string_view& v) {
    if (part.substr(0, want.size()) != want || part.size() <= want.size() ||
        !std::isspace(static_cast<unsigned char>(part[want.size()]))) {
      return false;
    }
    v = trim(part.substr(want.size()));
    return true;
  };
  std::string_view track;
  if (!name_value(parts[2], "track", track)) keyword_error("xbits", "third option must be 'track ...'");
  if (track == "ip_src") spec.track = XbitTrack::kIpSrc;
  else if (track == "ip_dst") spec.track = XbitTrack::kIpDst;
  else if (track == "ip_pair") spec.track = XbitTrack::kIpPair;
  else keyword_error("xbits", "invalid track '" + std::string(track) + "' (ip_src, ip_dst, ip_pair)");
  if (parts.size() == 4) {
    std::string_view ex;
    uint64_t n = 0;
    if (!name_value(parts[3], "expire", ex) || !parse_u64(ex, 0xffffffffu, n) || n == 0) {
      keyword_error("xbits", "invalid '" + std::string(parts[3]) + "' (expected expire <seconds>)");
    }
    spec.expire_seconds = static_cast<uint32_t>(n);
  }
  return spec;
}

namespace {

class XbitsCheck final : public PacketMatcher {
 public:
  explicit XbitsCheck(XbitSpec spec) : spec_(spec) {}
  const XbitSpec& spec() const { return spec_; }
  bool match(const MatchContext& ctx) const override {
    if (ctx.packet.ip_version == 0) return false;
    return xbit_isset(spec_, ctx.packet) == (spec_.cmd == XbitCmd::kIsset);
  }

 private:
  XbitSpec spec_;
};

class XbitsAction final : public PostMatcher {
 public:
  explicit XbitsAction(XbitSpec spec) : spec_(spec) {}
  const XbitSpec& spec() const { return spec_; }
  void apply(const MatchContext& ctx) const override { xbit_apply(spec_, ctx.packet); }

 private:
  XbitSpec spec_;
};

void setup_xbits(RuleBuilder& b, std::string_view value) {
  if (trim(value) == "noalert") {
    b.rule().noalert = true;
    return;
  }
  XbitSpec spec = parse_xbits_option(value);
  if (spec.cmd == XbitCmd::kIsset || spec.cmd == XbitCmd::kIsnotset) {
    b.add_packet(std::make_unique<XbitsCheck>(spec));
  } else {
    b.add_post(std::make_unique<XbitsAction>(spec));
  }
}

}  // namespace

void xbits_usage(const Rule& rule, bool pair, bool& reads, bool& writes) {
  reads = writes = false;
  for (const auto& m : rule.packet_matchers)
    if (const auto* c = dynamic_cast<const XbitsCheck*>(m.get()))
      if ((c->spec().track == XbitTrack::kIpPair) == pair) reads = true;
  for (const auto& m : rule.post_matchers)
    if (const auto* a = dynamic_cast<const XbitsAction*>(m.get()))
      if ((a->spec().track == XbitTrack::kIpPair) == pair) writes = true;
}

namespace {

// hostbits:<cmd>,<name>[,src|dst] (Suricata's detect-hostbits.c): the same
// per-host store and name space as xbits with track ip_src / ip_dst (the
// Suricata docs: "no difference"); direction defaults to src, expiry to 30 s.
void setup_hostbits(RuleBuilder& b, std::string_view value) {
  auto parts = split_trim(value, ',');
  if (parts.empty() || parts[0].empty()) keyword_error("hostbits", "missing command");
  if (parts[0] == "noalert") {
    if (parts.size() != 1) keyword_error("hostbits", "noalert takes no name");
    b.rule().noalert = true;
    return;
  }
  if (parts.size() < 2 || parts.size() > 3)
    keyword_error("hostbits", "expected <cmd>,<name>[,src|dst]");
  std::string text(parts[0]);
  text += ',';
  text += parts[1];
  if (parts.size() == 3 && parts[2] != "src" && parts[2] != "dst") {
    keyword_error("hostbits", "invalid direction '" + std::string(parts[2]) +
                                  "' (src or dst)");
  }
  text += parts.size() == 3 && parts[2] == "dst" ? ",track ip_dst" : ",track ip_src";
  XbitSpec spec = parse_xbits_option(text);
  if (spec.cmd == XbitCmd::kIsset || spec.cmd == XbitCmd::kIsnotset) {
    b.add_packet(std::make_unique<XbitsCheck>(spec));
  } else {
    b.add_post(std::make_unique<XbitsAction>(spec));
  }
}

const bool kRegisteredHostbits = register_keyword(
    {.name = "hostbits",
     .help = "set/unset/toggle/isset/isnotset a bit on the source or destination host: "
             "<cmd>,<name>[,src|dst] (xbits with track ip_src/ip_dst; per worker thread)",
     .kind = KeywordKind::kPacket, .flags = kValueRequired, .setup = setup_hostbits});

const bool kRegistered = register_keyword(
    {.name = "xbits",
     .help = "set/unset/toggle/check bits per host or address pair, with expiry "
             "(per worker thread)",
     .kind = KeywordKind::kPacket, .flags = kValueRequired, .setup = setup_xbits});

}  // namespace
}  // namespace seawall::detect
