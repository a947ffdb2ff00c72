// EVE "dns" records checked against Suricata's published expectations: each
// suricata-verify case's capture is replayed through the parser (payloads
// extracted by tshark), every record is rendered with JsonWriter, and the
// case's own test.yaml filters on event_type dns (Suricata 8 expectations)
// are evaluated over our records by Python, which also validates every
// record against the "dns" definition of the EVE JSON schema.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <string>

#include "../../output/json_check.h"
#include "dns_pcap_util.h"

namespace seawall::applayer::dns {
namespace {

using namespace test;

// Keys of a filter that our record carries (addresses/ports belong to the
// framework's envelope).
constexpr const char* kChecker = R"PY(
import re, yaml, jsonschema
yaml_path, schema_path = sys.argv[2], sys.argv[3]
spec = yaml.safe_load(open(yaml_path))
schema_all = json.load(open(schema_path))
dns_schema = dict(schema_all['properties']['dns'])
dns_schema['$defs'] = schema_all['$defs']
bad = 0
for r in records:
    try:
        jsonschema.validate(r['dns'], dns_schema)
    except jsonschema.ValidationError as e:
        print('SCHEMA-ERROR pcap_cnt %s: %s' % (r.get('pcap_cnt'), e.message)); bad += 1

def ver_ok(req):
    if not req: return True
    if 'lt-version' in req: return False
    mv = str(req.get('min-version', '0')).split('.')[0]
    return int(mv) <= 8

def resolve(obj, path):
    for part in path.split('.'):
        m = re.match(r'^([^\[]+)((?:\[\d+\])*)$', part)
        if not m: return ('missing',)
        name, idx = m.group(1), m.group(2)
        if name == '__len':
            if not isinstance(obj, (list, dict, str)): return ('missing',)
            obj = len(obj)
        else:
            if not isinstance(obj, dict) or name not in obj: return ('missing',)
            obj = obj[name]
        for i in re.findall(r'\[(\d+)\]', idx):
            i = int(i)
            if not isinstance(obj, list) or i >= len(obj): return ('missing',)
            obj = obj[i]
    return ('ok', obj)

checked = 0
for c in spec.get('checks', []):
    f = c.get('filter')
    if not f or 'filename' in f or not ver_ok(f.get('requires', spec.get('requires'))): continue
    match = f.get('match', {})
    et = match.get('event_type')
    if et != 'dns' and not (et is None and match and all(k.startswith('dns.') or k == 'pcap_cnt' for k in match)):
        continue
    keys = {k: v for k, v in match.items()
            if k.startswith('dns.') or k == 'pcap_cnt'}
    n = 0
    for r in records:
        if all(resolve(r, k) == ('ok', v) for k, v in keys.items()): n += 1
    checked += 1
    if n != f.get('count', 1):
        bad += 1
        print('MISMATCH expected %s got %d for %s' % (f.get('count'), n, json.dumps(keys)[:300]))
        for r in records:
            if r.get('pcap_cnt') == keys.get('pcap_cnt'): print('  ours:', json.dumps(r)[:600])
print('CHECKED %d BAD %d' % (checked, bad))
)PY";

struct Case {
  const char* dir;  // under suricata-verify/tests
  uint32_t port;
  int min_checks;   // filters on dns records the case must contribute
  // The case's outputs.eve-log.types.dns settings (its suricata.yaml / env).
  int version = 3;
  bool requests = true, responses = true;
  std::vector<uint16_t> types = {};
};

// Sets the logging options for one test and restores the defaults after.
struct ScopedLogOptions {
  explicit ScopedLogOptions(const DnsLogOptions& o) { set_dns_log_options(o); }
  ~ScopedLogOptions() { set_dns_log_options(DnsLogOptions{}); }
};

class SuricataVerifyDns : public ::testing::TestWithParam<Case> {};

TEST_P(SuricataVerifyDns, RecordsMatchExpectations) {
  const Case c = GetParam();
  const std::filesystem::path dir = verify_dir() + "/" + c.dir;
  if (!std::filesystem::exists(dir / "test.yaml"))
    GTEST_SKIP() << "corpus not found at " << dir;
  if (!have_tshark() || !seawall::test::python_available())
    GTEST_SKIP() << "tshark or python3 not installed";
  const std::string pcap = case_pcap(dir);
  ASSERT_TRUE(std::filesystem::exists(pcap)) << pcap;

  DnsLogOptions options;
  options.version = c.version;
  options.requests = c.requests;
  options.responses = c.responses;
  options.types = c.types;
  const ScopedLogOptions scoped(options);
  const auto packets = dns_packets(pcap, c.port);
  ASSERT_FALSE(packets.empty()) << "tshark found no DNS-port packets in " << pcap;
  CaptureReplay replay;
  for (const auto& p : packets) replay.feed(p);
  const std::string lines = replay.finish();
  ASSERT_FALSE(lines.empty());

  const std::string script = std::string(kChecker);
  // run_python passes the records file as argv[1]; the rest are appended here.
  const std::string out = seawall::test::run_python(
      lines, "sys.argv += ['" + (dir / "test.yaml").string() + "', '" + corpus_dir() +
                 "/eve-schema.json']\n" + script);
  EXPECT_EQ(out.find("PARSE-ERROR"), std::string::npos) << out;
  EXPECT_EQ(out.find("SCHEMA-ERROR"), std::string::npos) << out;
  EXPECT_EQ(out.find("MISMATCH"), std::string::npos) << out;
  int checked = -1, bad = -1;
  const size_t at = out.rfind("CHECKED ");
  ASSERT_NE(at, std::string::npos) << out;
  ASSERT_EQ(std::sscanf(out.c_str() + at, "CHECKED %d BAD %d", &checked, &bad), 2) << out;
  EXPECT_EQ(bad, 0) << out;
  EXPECT_GE(checked, c.min_checks) << out;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SuricataVerifyDns,
    ::testing::Values(Case{"dns/bug-1158", 53, 100}, Case{"dns/dns-udp-eve-dig", 53, 3},
                      Case{"dns/dns-forward-pointer", 53, 2}, Case{"dns/dns-invalid-opcode", 53, 3},
                      Case{"dns/dns-sshfp", 53, 1}, Case{"dns/dns-udp-null", 53, 2},
                      Case{"dns/dns-eve-empty-format", 53, 1},
                      Case{"dns/dns-corrupt-additionals", 53, 1},
                      Case{"dns/dns-single-request", 53, 2}, Case{"dns/dns-eve", 53, 2},
                      Case{"dns/dns-udp-unsolicited-response", 53, 2},
                      Case{"dns/dns-additionals-rdata", 53, 2},
                      Case{"dns/dns-incomplete", 5353, 1},
                      Case{"dns/dns-tcp-multirequest-buffer", 53, 2},
                      Case{"dns-tcp-ts-gap", 53, 2}, Case{"dns-udp-junkrequest-first", 53, 1},
                      Case{"vxlan-decoder-03", 53, 1},
                      // EVE version 2 (Suricata 7's layout) and the log filters.
                      Case{"dns/v2/bug-1158", 53, 100, 2},
                      Case{"dns/v2/dns-udp-eve-dig", 53, 2, 2},
                      Case{"dns/v2/dns-tcp-multirequest-buffer", 53, 2, 2},
                      Case{"dns/v2/dns-udp-null", 53, 2, 2},
                      Case{"dns/v2/dns-udp-unsolicited-response", 53, 2, 2},
                      Case{"dns/v2/dns-udp-eve-log-query-only", 53, 2, 2, true, false},
                      Case{"dns/v2/dns-udp-eve-log-answer-only", 53, 2, 2, false, true},
                      Case{"dns/v2/dns-udp-eve-log-mx-only", 53, 2, 2, true, true,
                           {rrtype::kMx}},
                      Case{"dns/v2/dns-udp-eve-log-aaaa-only", 53, 2, 2, true, true,
                           {rrtype::kAaaa}},
                      Case{"dns/dns-udp-eve-log-mx-only", 53, 4, 3, true, true, {rrtype::kMx}},
                      Case{"dns/dns-udp-eve-log-answer-only", 53, 2, 3, false, true}),
    [](const ::testing::TestParamInfo<Case>& param_info) {
      std::string n = param_info.param.dir;
      for (char& ch : n)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return n;
    });


// Formatting details of Suricata's log.rs on a hand-built response: IPv6 as
// eight zero-padded groups, flags in plain hex, an OPT record without options
// left out of "additionals", non-UTF-8 bytes as \xNN text, "grouped" by type.
TEST(DnsEve, FormattingDetails) {
  MsgBuilder q(0x0102, 0x0100, 1, 0);
  q.question("v6.example", rrtype::kAaaa);
  MsgBuilder r(0x0102, 0x8580, 1, 3, 0, 1);
  r.question("v6.example", rrtype::kAaaa);
  r.pointer(12).rr_fixed(rrtype::kAaaa, 60).u32(0x20010db8).u32(0).u32(0).u32(1).end_rr();
  r.pointer(12).rr_fixed(rrtype::kTxt, 60).u8(2).bytes("\xc5z").end_rr();
  r.pointer(12).rr_fixed(rrtype::kAaaa, 60).u32(0xfe800000).u32(0).u32(0).u32(0xff).end_rr();
  r.name("").rr_fixed(rrtype::kOpt, 0, 1232).end_rr();
  DnsState s;
  ParseContext c;
  c.udp = true;
  s.parse(Direction::kToServer, q.view(), c);
  s.parse(Direction::kToClient, r.view(), c);
  const DnsTx& tx = *s.dns_tx_at(1);  // the response: its own transaction
  const std::string line = render(s, tx, Direction::kToClient, 2);
  EXPECT_NE(line.find("\"flags\":\"8580\",\"qr\":true,\"aa\":true,\"rd\":true,\"ra\":true"),
            std::string::npos) << line;
  EXPECT_NE(line.find("\"rdata\":\"2001:0db8:0000:0000:0000:0000:0000:0001\""), std::string::npos)
      << line;
  EXPECT_NE(line.find("\"rdata\":\"\\\\xc5z\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"grouped\":{\"AAAA\":[\"2001:0db8:0000:0000:0000:0000:0000:0001\","
                      "\"fe80:0000:0000:0000:0000:0000:0000:00ff\"],\"TXT\":[\"\\\\xc5z\"]}"),
            std::string::npos) << line;
  EXPECT_EQ(line.find("additionals"), std::string::npos) << line;
  // An alert carries the same object for its direction.
  const std::string alert =
      render(s, *s.dns_tx_at(0), Direction::kToServer, 1, LogKind::kAlert);
  EXPECT_NE(alert.find("\"dns\":{\"version\":3,\"type\":\"request\",\"tx_id\":0,\"id\":258,"
                       "\"flags\":\"100\",\"rd\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
                       "\"queries\":[{\"rrname\":\"v6.example\",\"rrtype\":\"AAAA\"}]}"),
            std::string::npos) << alert;
}

}  // namespace
}  // namespace seawall::applayer::dns
