// DetectEngine::load: rule files -> ordered rules -> groups with Vectorscan
// prefilter databases, the IP-only prefix table, thresholds and suppressions.
#include "detect/engine/detect_engine.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "detect/buffers/buffer_registry.h"
#include "detect/engine/detect_engine_impl.h"
#include "detect/engine/fast_pattern.h"
#include "detect/engine/rule_order.h"
#include "detect/engine/threshold_apply.h"
#include "detect/rules/rule_parser.h"

namespace seawall::detect {

ProtoClass proto_class_of(const Packet& p) {
  switch (p.ip_proto) {
    case 6: return ProtoClass::kTcp;
    case 17: return ProtoClass::kUdp;
    case 1:
    case 58: return ProtoClass::kIcmp;
    case 132: return ProtoClass::kSctp;
    default: return ProtoClass::kOther;
  }
}

namespace {

// Explicit port lists up to this size get per-port groups; larger ones (and
// "any", negations) go to the any-port group.
constexpr size_t kMaxPortsPerRule = 32;

uint32_t class_mask(const Rule& r) {
  auto bit = [](ProtoClass c) { return 1u << static_cast<unsigned>(c); };
  switch (r.header.proto) {
    case RuleProto::kIp: return (1u << kProtoClassCount) - 1;
    case RuleProto::kTcp:
    case RuleProto::kTcpPkt:
    case RuleProto::kTcpStream: return bit(ProtoClass::kTcp);
    case RuleProto::kUdp: return bit(ProtoClass::kUdp);
    case RuleProto::kIcmp: return bit(ProtoClass::kIcmp);
    case RuleProto::kSctp: return bit(ProtoClass::kSctp);
    case RuleProto::kApp: return bit(ProtoClass::kTcp) | bit(ProtoClass::kUdp);
  }
  return 0;
}

// Suricata's SignatureIsIPOnly: header addresses only — any protocol but an
// app-layer one (the protocol is checked at verification), any ports, no
// packet or payload conditions. ET's Tor/CINS/compromised lists are
// "alert tcp|udp|ip [list] any -> $HOME_NET any" rules of this kind.
bool is_ip_only(const Rule& r) {
  return r.header.proto != RuleProto::kApp && r.packet_matchers.empty() && r.inspections.empty() &&
         r.header.sport.any && r.header.sport.exclude.empty() && r.header.dport.any &&
         r.header.dport.exclude.empty();
}

FlowDirection rule_direction(const Rule& r);

// The application protocol a rule needs and whether it is inspected per
// transaction. Returns false (with the protocol name in `missing`) when that
// protocol has no parser here, so the rule cannot match.
bool classify_app_rule(const Rule& r, RuleInfo& info, std::string& missing) {
  std::string_view proto;
  bool tx_rule = false;
  uint8_t dirs = 3;
  for (const BufferInspection& insp : r.inspections) {
    if (insp.buffer_id >= buffer_count()) return false;
    const BufferDescriptor& d = buffer_descriptor(insp.buffer_id);
    if (!d.unsupported_reason.empty() || (d.get == nullptr && d.get_multi == nullptr &&
                                          insp.buffer_id != kPktDataBuffer)) {
      missing = d.app_proto.empty() ? std::string(d.name) : std::string(d.app_proto);
      return false;
    }
    if (d.app_proto.empty()) continue;
    tx_rule = true;
    proto = d.app_proto;
    if (d.direction == BufferDirection::kToClient) dirs = 2;
    else if (d.direction == BufferDirection::kToServer && dirs != 2) dirs = 1;
  }
  if (!r.app_keyword_proto.empty()) {
    tx_rule = true;
    proto = r.app_keyword_proto;
    if (r.app_keyword_dir == 2) dirs = 2;
    else if (r.app_keyword_dir == 1 && dirs != 2) dirs = 1;
  }
  if (proto.empty() && r.header.proto == RuleProto::kApp) proto = r.header.app_proto;
  if (proto.empty()) return true;
  // "alert http" with no app buffer or app keyword (only packet conditions, or
  // none) is a packet rule on flows of that protocol, as Suricata's
  // SIG_FLAG_APPLAYER packet rules: it can match every packet of the flow once
  // the protocol is known, not once per transaction.
  const AppProto id = find_app_proto(proto);
  if (id == kAppProtoUnknown || id == kAppProtoFailed) {
    missing = std::string(proto);
    return false;
  }
  switch (rule_direction(r)) {
    case FlowDirection::kToServer: dirs &= 1; break;
    case FlowDirection::kToClient: dirs &= 2; break;
    default: break;
  }
  info.app_proto = id;
  info.tx_rule = tx_rule;
  info.tx_dirs = dirs;
  return true;
}

PayloadMode payload_mode(const Rule& r, const RuleInfo& info) {
  if (info.tx_rule) return PayloadMode::kPacket;
  bool pkt_data = false;
  for (const BufferInspection& insp : r.inspections)
    if (insp.buffer_id == kPktDataBuffer && !insp.matchers.empty()) pkt_data = true;
  if (!pkt_data) return PayloadMode::kPacket;
  switch (r.header.proto) {
    case RuleProto::kTcpStream: return PayloadMode::kStreamOnly;
    case RuleProto::kIp: case RuleProto::kTcp: case RuleProto::kApp: break;
    default: return PayloadMode::kPacket;
  }
  switch (r.stream_inspection) {
    case Rule::StreamInspection::kPacketOnly: return PayloadMode::kPacket;
    case Rule::StreamInspection::kStreamOnly: return PayloadMode::kStreamOnly;
    case Rule::StreamInspection::kDefault: break;
  }
  return PayloadMode::kStreamAndPacket;
}

FlowDirection rule_direction(const Rule& r) {
  for (const auto& m : r.packet_matchers)
    if (const auto* f = dynamic_cast<const FlowMatcher*>(m.get())) return f->direction();
  return FlowDirection::kBoth;
}

// Ports of a small explicit list, or empty when the rule is "any"-like.
std::vector<uint16_t> small_port_list(const PortSet& ports) {
  std::vector<uint16_t> out;
  if (ports.any || !ports.exclude.empty() || ports.include.empty()) return out;
  size_t total = 0;
  for (const PortRange& r : ports.include) total += size_t{r.hi} - r.lo + 1;
  if (total > kMaxPortsPerRule) return out;
  for (const PortRange& r : ports.include)
    for (uint32_t p = r.lo; p <= r.hi; ++p) out.push_back(static_cast<uint16_t>(p));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

class GroupBuilder {
 public:
  GroupBuilder(DetectEngine::Impl& engine, LoadReport& report) : e_(engine), report_(report) {}

  // Shares one RuleGroup among identical rule lists (to-server and to-client
  // often hold the same rules).
  const RuleGroup* make(std::vector<uint32_t> ids) {
    if (ids.empty()) return nullptr;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    auto it = cache_.find(ids);
    if (it != cache_.end()) return it->second;
    auto group = std::make_unique<RuleGroup>();
    group->rules = ids;
    // One database per buffer and transform chain (parameterless transforms
    // are shared instances, so equal chains compare equal by pointer).
    using DatabaseKey = std::pair<uint16_t, std::vector<const Transform*>>;
    struct PendingDatabase {
      const BufferInspection* transformed = nullptr;
      std::vector<MpmPattern> patterns;
    };
    std::map<DatabaseKey, PendingDatabase> per_buffer;
    for (uint32_t id : ids) {
      const RuleInfo& info = e_.info[id];
      const FastPattern& fp = info.fast_pattern;
      if (!fp.present) {
        group->non_prefilter.push_back(id);
        continue;
      }
      DatabaseKey key{fp.buffer_id, {}};
      if (info.fast_pattern_transformed != nullptr)
        for (const auto& t : info.fast_pattern_transformed->transforms) key.second.push_back(t.get());
      PendingDatabase& pending = per_buffer[key];
      pending.transformed = info.fast_pattern_transformed;
      pending.patterns.push_back({fp.bytes, fp.nocase, id});
    }
    for (auto& [key, pending] : per_buffer) {
      auto db = std::make_unique<MpmDatabase>(pending.patterns);
      e_.scratch_prototype.grow_for(*db);
      report_.mpm_databases++;
      report_.mpm_patterns += db->pattern_count();
      report_.mpm_bytes += db->bytes();
      group->databases.push_back({key.first, pending.transformed, std::move(db)});
    }
    const RuleGroup* out = group.get();
    e_.group_storage.push_back(std::move(group));
    cache_.emplace(std::move(ids), out);
    return out;
  }

 private:
  DetectEngine::Impl& e_;
  LoadReport& report_;
  std::map<std::vector<uint32_t>, const RuleGroup*> cache_;
};

void build_groups(DetectEngine::Impl& e, LoadReport& report) {
  GroupBuilder builder(e, report);
  for (size_t cls = 0; cls < kProtoClassCount; ++cls) {
    const bool has_ports = cls == static_cast<size_t>(ProtoClass::kTcp) ||
                           cls == static_cast<size_t>(ProtoClass::kUdp) ||
                           cls == static_cast<size_t>(ProtoClass::kSctp);
    for (size_t dir = 0; dir < 2; ++dir) {
      std::vector<uint32_t> any;
      std::map<uint16_t, std::vector<uint32_t>> by_dport, by_sport;
      for (uint32_t id = 0; id < e.rules.size(); ++id) {
        const Rule& r = *e.rules[id];
        if (r.ip_only || e.info[id].tx_rule || !(class_mask(r) & (1u << cls))) continue;
        const FlowDirection d = e.info[id].direction;
        if ((d == FlowDirection::kToServer && dir == 1) ||
            (d == FlowDirection::kToClient && dir == 0))
          continue;
        std::vector<uint16_t> dports, sports;
        if (has_ports) {
          dports = small_port_list(r.header.dport);
          if (dports.empty()) sports = small_port_list(r.header.sport);
        }
        if (!dports.empty()) {
          for (uint16_t p : dports) {
            by_dport[p].push_back(id);
            // "<>": the listed port may be the packet's source port too.
            if (r.header.bidirectional) by_sport[p].push_back(id);
          }
        } else if (!sports.empty()) {
          for (uint16_t p : sports) {
            by_sport[p].push_back(id);
            if (r.header.bidirectional) by_dport[p].push_back(id);
          }
        } else {
          any.push_back(id);
        }
      }
      DirectionGroups& g = e.groups[cls][dir];
      g.any = builder.make(std::move(any));
      auto fill = [&](std::map<uint16_t, std::vector<uint32_t>>& ports,
                      std::vector<uint32_t>& index) {
        if (ports.empty()) return;
        index.assign(65536, 0);
        for (auto& [port, ids] : ports) {
          const RuleGroup* group = builder.make(std::move(ids));
          auto it = std::find(g.port_groups.begin(), g.port_groups.end(), group);
          if (it == g.port_groups.end()) {
            g.port_groups.push_back(group);
            it = g.port_groups.end() - 1;
          }
          index[port] = static_cast<uint32_t>(it - g.port_groups.begin() + 1);
        }
      };
      fill(by_dport, g.by_dport);
      fill(by_sport, g.by_sport);
    }
  }
  // Transaction rules: one group per app protocol and direction.
  for (size_t proto = 0; proto < kMaxAppProtos; ++proto) {
    for (size_t dir = 0; dir < 2; ++dir) {
      std::vector<uint32_t> ids;
      for (uint32_t id = 0; id < e.rules.size(); ++id) {
        const RuleInfo& info = e.info[id];
        if (info.tx_rule && info.app_proto == proto && (info.tx_dirs & (1u << dir)))
          ids.push_back(id);
      }
      e.tx_groups[proto][dir] = builder.make(std::move(ids));
    }
  }
  report.groups = e.group_storage.size();
}

void build_ip_only(DetectEngine::Impl& e) {
  std::vector<IpOnlyTable::Entry> entries;
  for (uint32_t id = 0; id < e.rules.size(); ++id) {
    const Rule& r = *e.rules[id];
    if (!r.ip_only) continue;
    entries.push_back({&r.header.src, &r.header.dst, id});
    if (r.header.bidirectional) entries.push_back({&r.header.dst, &r.header.src, id});
  }
  e.ip_only.build(entries);
}

std::string resolve_rule_path(const std::string& file, const std::string& default_path) {
  if (file.empty() || file[0] == '/' || default_path.empty()) return file;
  return (std::filesystem::path(default_path) / file).string();
}

}  // namespace

namespace {

// Suricata keeps one rule per gid:sid: a later rule with a higher rev
// replaces the earlier one (a warning there, so a skip here), any other
// duplicate is refused as an error.
size_t drop_duplicate_sids(std::vector<std::unique_ptr<Rule>>& rules,
                           std::vector<RuleFailure>& failures) {
  size_t dropped_count = 0;
  std::unordered_map<uint64_t, size_t> by_id;  // gid << 32 | sid -> index in rules
  by_id.reserve(rules.size());
  auto refuse = [&](const Rule& dropped, const Rule& kept, bool replaced) {
    RuleFailure f;
    f.skipped = replaced;
    f.file = dropped.file;
    f.line = dropped.line;
    f.sid = dropped.sid;
    f.text = dropped.text;
    f.reason = (replaced ? "replaced by a newer revision: gid " : "duplicate signature gid ") +
               std::to_string(dropped.gid) + " sid " + std::to_string(dropped.sid) + " rev " +
               std::to_string(dropped.rev) + ": rev " + std::to_string(kept.rev) + " (" +
               kept.file + ":" + std::to_string(kept.line) + ") is kept";
    failures.push_back(std::move(f));
    if (!replaced) ++dropped_count;
  };
  std::vector<std::unique_ptr<Rule>> kept;
  kept.reserve(rules.size());
  for (auto& r : rules) {
    const uint64_t id = uint64_t{r->gid} << 32 | r->sid;
    auto [it, fresh] = by_id.try_emplace(id, kept.size());
    if (fresh) {
      kept.push_back(std::move(r));
      continue;
    }
    std::unique_ptr<Rule>& earlier = kept[it->second];
    if (r->rev > earlier->rev) {
      refuse(*earlier, *r, /*replaced=*/true);
      earlier = std::move(r);
    } else {
      refuse(*r, *earlier, /*replaced=*/false);
    }
  }
  rules = std::move(kept);
  return dropped_count;
}

}  // namespace

DetectEngine::DetectEngine() : impl_(std::make_unique<Impl>()) {}
DetectEngine::~DetectEngine() = default;

const std::vector<std::unique_ptr<Rule>>& DetectEngine::rules() const { return impl_->rules; }

bool DetectEngine::inspects_raw_stream() const { return impl_->has_stream_rules; }

std::unique_ptr<DetectEngine> DetectEngine::load(const DetectConfig& config, LoadReport& report) {
  const auto started = std::chrono::steady_clock::now();
  std::unique_ptr<DetectEngine> engine(new DetectEngine());
  Impl& e = *engine->impl_;

  e.packet_alert_max = std::clamp<uint32_t>(config.packet_alert_max, 1,
                                            static_cast<uint32_t>(kMaxPacketAlerts));
  if (e.packet_alert_max != config.packet_alert_max)
    report.warnings.push_back("packet-alert-max " + std::to_string(config.packet_alert_max) +
                              " clamped to " + std::to_string(e.packet_alert_max));
  RuleLoadContext context;
  context.address_vars = config.address_vars;
  context.port_vars = config.port_vars;
  if (!config.classification_file.empty())
    load_classification_file(config.classification_file, context);
  if (!config.reference_file.empty()) load_reference_file(config.reference_file, context);

  std::vector<std::unique_ptr<Rule>> loaded;
  const size_t failures_before = report.failures.size();
  for (const std::string& file : config.rule_files) {
    report.files++;
    load_rule_file(resolve_rule_path(file, config.default_rule_path), context, loaded,
                   report.failures);
  }
  for (size_t i = 0; i < config.rule_texts.size(); ++i) {
    RuleFailure failure;
    auto rule = parse_rule(config.rule_texts[i], "<inline>", static_cast<int>(i + 1), context,
                           failure);
    if (rule) loaded.push_back(std::move(rule));
    else report.failures.push_back(std::move(failure));
  }
  report.duplicates += drop_duplicate_sids(loaded, report.failures);
  for (size_t i = failures_before; i < report.failures.size(); ++i) {
    const RuleFailure& f = report.failures[i];
    if (f.skipped) {
      report.skipped++;
    } else if (f.unsupported) {
      report.unsupported++;
      if (!f.keyword.empty()) report.unsupported_keywords[f.keyword]++;
    } else {
      report.failed++;
    }
  }
  report.loaded += loaded.size();
  report.rules_seen += loaded.size() + (report.failures.size() - failures_before);

  const auto build_started = std::chrono::steady_clock::now();
  // App-layer rules that cannot be checked without the app layer stay loaded
  // (for -T and reports) but out of the inspected set.
  for (auto& r : loaded) {
    RuleInfo probe;
    std::string missing;
    if (!classify_app_rule(*r, probe, missing)) {
      report.app_layer_skipped++;
      report.app_layer_skipped_protocols[missing]++;
      e.skipped.push_back(std::move(r));
    } else {
      e.rules.push_back(std::move(r));
    }
  }
  order_rules(e.rules, config.action_order);

  e.flowbit_count = static_cast<uint32_t>(context.flowbit_ids.size());
  e.flowint_count = static_cast<uint32_t>(context.flowint_ids.size());
  e.info.resize(e.rules.size());
  for (uint32_t id = 0; id < e.rules.size(); ++id) {
    Rule& r = *e.rules[id];
    RuleInfo& info = e.info[id];
    r.internal_id = id;
    std::string missing;
    classify_app_rule(r, info, missing);
    if (info.tx_rule) report.tx_rules++;
    info.payload_mode = payload_mode(r, info);
    if (info.payload_mode != PayloadMode::kPacket) {
      report.stream_rules++;
      e.has_stream_rules = true;
    }
    r.ip_only = !info.tx_rule && info.app_proto == kAppProtoUnknown && is_ip_only(r);
    e.max_byte_vars = std::max(e.max_byte_vars, r.byte_var_count);
    info.direction = rule_direction(r);
    // Suricata applies a drop/pass to the whole flow for IP-only and
    // header-only rules ("like IP-only") and app-layer matches; stream
    // matches decide it at match time.
    info.flow_action = r.ip_only || info.tx_rule ||
                       (r.packet_matchers.empty() && r.inspections.empty());
    info.has_threshold = r.has_threshold;
    info.threshold = r.threshold;
    if (r.decode_event && r.inspections.empty() && r.header.proto == RuleProto::kIp &&
        r.header.src.any && r.header.src.exclude.empty() && r.header.dst.any &&
        r.header.dst.exclude.empty() && r.header.sport.any && r.header.dport.any) {
      e.decoder_event_rules.push_back(id);
    }
    if (r.ip_only) {
      report.ip_only_rules++;
      continue;
    }
    const BufferInspection* owner = nullptr;
    FastPattern fp = select_fast_pattern(r, &owner);
    // A negated pattern cannot stand for the rule. A pattern in a transformed
    // buffer can when the prefilter applies the same transforms; without its
    // inspection known, only a buffer no inspection transforms is safe.
    bool usable = fp.present && !fp.negated && !fp.bytes.empty();
    if (owner == nullptr) {
      for (const BufferInspection& insp : r.inspections)
        if (insp.buffer_id == fp.buffer_id && !insp.transforms.empty()) usable = false;
    }
    if (usable) {
      if (owner != nullptr && !owner->transforms.empty()) info.fast_pattern_transformed = owner;
      info.fast_pattern = std::move(fp);
      report.prefilter_rules++;
    } else {
      report.non_prefilter_rules++;
    }
  }

  if (!config.threshold_file.empty()) {
    try {
      report.threshold_entries = apply_threshold_config(
          load_threshold_config(config.threshold_file), context, e, report.warnings);
    } catch (const std::exception& ex) {
      report.warnings.push_back(config.threshold_file + ": " + ex.what());
    }
  }

  build_groups(e, report);
  build_ip_only(e);

#if defined(__GLIBC__)
  // Vectorscan compilation peaks at ~150 MB of short-lived heap for ET Open;
  // hand it back to the system instead of keeping it for the process's life.
  malloc_trim(0);
#endif
  const auto done = std::chrono::steady_clock::now();
  report.build_seconds = std::chrono::duration<double>(done - build_started).count();
  report.load_seconds += std::chrono::duration<double>(done - started).count();
  return engine;
}

}  // namespace seawall::detect
