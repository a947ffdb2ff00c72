// HTTP against independent oracles on real captures: suricata-verify's expected
// EVE "http" records and tshark's HTTP dissector. TCP payloads per direction
// are extracted with `tshark -z follow,tcp,raw` and fed segment by segment.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "applayer/http/http_eve.h"
#include "applayer/http/http_parser.h"
#include "http_test_util.h"
#include "output/eve/json_writer.h"

namespace seawall::applayer::http {
namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = SEAWALL_CORPUS_DIR;
const fs::path kVerify = kCorpus / "suricata-verify" / "tests";

bool have_tshark() { return fs::exists("/usr/bin/tshark"); }

std::string run(const std::string& cmd) {
  std::string out;
  FILE* f = popen(cmd.c_str(), "r");
  if (f == nullptr) return out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0) out.append(buf, n);
  pclose(f);
  return out;
}

struct Segment {
  int node;  // 0 or 1 as tshark numbers the endpoints
  std::string data;
};

std::string unhex(std::string_view h) {
  std::string out;
  auto v = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  for (size_t i = 0; i + 1 < h.size(); i += 2)
    out.push_back(static_cast<char>(v(h[i]) * 16 + v(h[i + 1])));
  return out;
}

std::vector<Segment> follow(const fs::path& pcap, int stream) {
  const std::string text = run("/usr/bin/tshark -r '" + pcap.string() +
                               "' -q -z follow,tcp,raw," + std::to_string(stream) + " 2>/dev/null");
  std::vector<Segment> segs;
  std::istringstream in(text);
  std::string line;
  bool body = false;
  while (std::getline(in, line)) {
    if (line.rfind("Node 1:", 0) == 0) {
      body = true;
      continue;
    }
    if (!body || line.empty() || line[0] == '=') continue;
    const bool server = line[0] == '\t';
    const std::string hex = server ? line.substr(1) : line;
    segs.push_back({server ? 1 : 0, unhex(hex)});
  }
  return segs;
}

// Parses one TCP stream; the client is the endpoint whose first bytes are a request.
std::unique_ptr<HttpState> parse_stream(const fs::path& pcap, int stream) {
  const std::vector<Segment> segs = follow(pcap, stream);
  int client = 0;
  for (const Segment& s : segs) {
    if (s.data.empty()) continue;
    const ProbeResult r = probe_http(Direction::kToServer, test::bytes_of(s.data));
    const bool response = s.data.rfind("HTTP/", 0) == 0;
    client = (r == ProbeResult::kYes && !response) ? s.node : 1 - s.node;
    break;
  }
  auto st = std::make_unique<HttpState>();
  const ParseContext ctx{};
  for (const Segment& s : segs) {
    const Direction d = s.node == client ? Direction::kToServer : Direction::kToClient;
    st->parse(d, test::bytes_of(s.data), ctx);
  }
  st->end_of_stream(Direction::kToServer);
  st->end_of_stream(Direction::kToClient);
  return st;
}

// TCP streams in which tshark sees HTTP (its default ports plus our others).
std::vector<int> tcp_streams(const fs::path& pcap) {
  const std::string text =
      run("/usr/bin/tshark -r '" + pcap.string() +
          "' -d tcp.port==8000,http -d tcp.port==8008,http -d tcp.port==8888,http"
          " -Y http -T fields -e tcp.stream 2>/dev/null");
  std::set<int> ids;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) ids.insert(std::stoi(line));
  return {ids.begin(), ids.end()};
}

std::string eve(const HttpTx& tx, const HttpLogOptions& options = HttpLogOptions{}) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  write_http_object(tx, options, w);
  w.end_object();
  w.sync();
  return out;
}

std::vector<std::string> all_records(const fs::path& pcap, const HttpLogOptions& options = {}) {
  std::vector<std::string> records;
  for (int s : tcp_streams(pcap)) {
    auto st = parse_stream(pcap, s);
    for (size_t i = 0; i < st->tx_count(); ++i) records.push_back(eve(*st->http_tx(i), options));
  }
  return records;
}

#define REQUIRE_CORPUS(dir)                                                      \
  if (!fs::exists(dir)) GTEST_SKIP() << "corpus not found at " << (dir);         \
  if (!have_tshark()) GTEST_SKIP() << "tshark not installed at /usr/bin/tshark"

// suricata-verify tests/http-all-headers (dump-all-headers: both).
TEST(HttpCorpus, SuricataVerifyAllHeaders) {
  const fs::path pcap = kVerify / "http-all-headers" / "input.pcap";
  REQUIRE_CORPUS(pcap);
  HttpLogOptions options;
  options.request_headers = options.response_headers = true;
  std::vector<const HttpTx*> txs;
  auto st = parse_stream(pcap, 0);
  ASSERT_EQ(st->tx_count(), 1u);  // count: 1 event_type http
  const HttpTx& tx = *st->http_tx(0);
  ASSERT_EQ(tx.request.header_count, 9u);   // http.request_headers.__len: 9
  ASSERT_EQ(tx.response.header_count, 9u);  // http.response_headers.__len: 9
  EXPECT_EQ(tx.request.headers[0].name, "Host");
  EXPECT_EQ(tx.request.headers[0].value, "www.ethereal.com");
  EXPECT_EQ(tx.response.headers[5].name, "Content-Length");
  EXPECT_EQ(tx.response.headers[5].value, "18070");
  const std::string json = eve(tx, options);
  EXPECT_NE(json.find("\"request_headers\":[{\"name\":\"Host\",\"value\":\"www.ethereal.com\"}"),
            std::string::npos) << json;
  EXPECT_NE(json.find("{\"name\":\"Content-Length\",\"value\":\"18070\"}"), std::string::npos);
  // Suricata's field order for the basic and extended members.
  EXPECT_EQ(json.rfind("{\"hostname\":\"www.ethereal.com\",\"url\":\"/download.html\","
                       "\"http_user_agent\":\"Mozilla/5.0 (Windows; U; Windows NT 5.1; en-US; "
                       "rv:1.6) Gecko/20040113\",\"http_content_type\":\"text/html\","
                       "\"http_refer\":\"http://www.ethereal.com/development.html\","
                       "\"http_method\":\"GET\",\"protocol\":\"HTTP/1.1\",\"status\":200,"
                       "\"length\":18070,",
                       0),
            0u)
      << json;
  EXPECT_EQ(eve(tx).find("request_headers"), std::string::npos);  // default: off
}

struct VerifyCase {
  const char* test;
  std::vector<std::string_view> parts;
  size_t count;
};

// Expected "http" records of suricata-verify tests (their test.yaml filters).
TEST(HttpCorpus, SuricataVerifyExpectedRecords) {
  REQUIRE_CORPUS(kVerify);
  const std::vector<VerifyCase> cases = {
      {"bug-28",
       {"\"hostname\":\"btg.btgrab.com\"",
        "\"url\":\"/a/Drk.syn?adcontext=ROUTINE_CHECKIN&contextpeak=0",
        "&PI=55274-640-1781551-23400&MA=005400123457&TM=-1\"",
        "\"http_user_agent\":\"{2CAA09DF-35D8-471C-9979-A11DA0CC54DB}|0.21.5.110\""},
       1},
      {"http-ipv6", {"\"hostname\":\"[::1]\""}, 1},
      {"bug-4810", {"\"status\":200", "\"http_method\":\"GET\"", "\"url\":\"/\""}, 1},
      {"http-multiple100", {"\"status\":200"}, 1},
      {"http-protocol-nodup", {"\"protocol\":\"HTTP/1.1\""}, 40},
      {"http-not09", {"\"http_user_agent\":\"myscript\""}, 1},
      {"http-gap-simple", {"\"url\":\"/1\"", "\"status\":200"}, 1},
      {"bug-2512", {"\"url\":\"secure-assets.rubiconproject.com:443\""}, 1},
  };
  for (const VerifyCase& c : cases) {
    const fs::path pcap = kVerify / c.test / "input.pcap";
    if (!fs::exists(pcap)) continue;
    const auto records = all_records(pcap);
    size_t n = 0;
    for (const std::string& r : records) {
      bool all = true;
      for (std::string_view p : c.parts) all = all && r.find(p) != std::string::npos;
      n += all ? 1 : 0;
    }
    EXPECT_EQ(n, c.count) << c.test << ": " << records.size() << " records, first: "
                          << (records.empty() ? "" : records.front());
  }
}

// Every record of every suricata-verify HTTP capture validates against the EVE
// schema's "http" object (keys and JSON types), checked by Python's json module.
TEST(HttpCorpus, RecordsValidateAgainstEveSchema) {
  REQUIRE_CORPUS(kVerify);
  if (!fs::exists("/usr/bin/python3")) GTEST_SKIP() << "python3 not installed";
  const fs::path schema = kCorpus / "eve-schema.json";
  if (!fs::exists(schema)) GTEST_SKIP() << "corpus not found at " << schema;
  const fs::path out = fs::temp_directory_path() / "seawall_http_records.jsonl";
  std::ofstream f(out);
  size_t total = 0;
  HttpLogOptions options;
  options.request_headers = options.response_headers = true;
  for (const char* t : {"http-all-headers", "bug-28", "http-ipv6", "bug-4810", "http-multiple100",
                        "http-protocol-nodup", "http-not09", "http-gap-simple", "bug-2512"}) {
    const fs::path pcap = kVerify / t / "input.pcap";
    if (!fs::exists(pcap)) continue;
    for (const std::string& r : all_records(pcap, options)) {
      f << r << "\n";
      ++total;
    }
  }
  f.close();
  ASSERT_GT(total, 40u);
  const std::string script =
      "import json,sys\n"
      "s=json.load(open(sys.argv[1]))['properties']['http']\n"
      "T={'string':str,'integer':int,'array':list,'object':dict}\n"
      "bad=0\n"
      "for line in open(sys.argv[2]):\n"
      "  r=json.loads(line)\n"
      "  for k,v in r.items():\n"
      "    p=s['properties'].get(k)\n"
      "    if p is None or not isinstance(v,T[p['type']]): bad+=1; print(k,v)\n"
      "print('bad',bad)\n";
  const fs::path py = fs::temp_directory_path() / "seawall_http_schema.py";
  std::ofstream(py) << script;
  const std::string result = run("/usr/bin/python3 '" + py.string() + "' '" + schema.string() +
                                 "' '" + out.string() + "' 2>&1");
  EXPECT_NE(result.find("bad 0"), std::string::npos) << result;
}

// Differential check against tshark's HTTP dissector: per TCP stream, the
// sequence of (method, URI, Host) of requests and of response codes.
TEST(HttpCorpus, MatchesTsharkOnCorpusCaptures) {
  REQUIRE_CORPUS(kCorpus / "pcaps");
  std::vector<fs::path> pcaps;
  for (const char* t : {"http-all-headers", "bug-28", "http-ipv6", "bug-4810", "http-multiple100",
                        "http-protocol-nodup", "alert-testmyids-async", "compress_ipv6-01",
                        "decode-chdlc-01", "eve-ip-version-4"})
    if (fs::exists(kVerify / t / "input.pcap")) pcaps.push_back(kVerify / t / "input.pcap");
  for (const char* p : {"tunnels/zeek__vxlan-encapsulated-http.pcap", "tunnels/zeek__mpls-in-vlan.pcap",
                        "tunnels/zeek__vlan-qinqinq.pcap", "tunnels/zeek__http-qinq-0.pcap",
                        "tunnels/arkime__twovlan.pcap", "tunnels/zeek__ayiya3.pcap",
                        "tunnels/zeek__gre-over-udp-4754.pcap",
                        "gtp/zeek__gtp2_different_udp_port.pcap"})
    if (fs::exists(kCorpus / "pcaps" / p)) pcaps.push_back(kCorpus / "pcaps" / p);
  ASSERT_FALSE(pcaps.empty());
  size_t compared_requests = 0, compared_responses = 0;
  for (const fs::path& pcap : pcaps) {
    // tshark's view: one line per HTTP request / response, with its TCP stream.
    std::map<int, std::vector<std::string>> want_req, want_resp;
    // Several messages in one frame come as space-joined field values.
    auto fields = [](const std::string& line) {
      std::vector<std::vector<std::string>> cols;
      std::istringstream cs(line);
      std::string col;
      while (std::getline(cs, col, '\t')) {
        std::vector<std::string> values;
        std::istringstream vs(col);
        std::string v;
        while (vs >> v) values.push_back(v);
        cols.push_back(values);
      }
      return cols;
    };
    std::istringstream req(run("/usr/bin/tshark -r '" + pcap.string() +
                               "' -Y http.request -T fields -E separator=/t -E aggregator=/s "
                               "-e tcp.stream -e http.request.method -e http.request.uri "
                               "-e http.host 2>/dev/null"));
    std::string line;
    while (std::getline(req, line)) {
      const auto cols = fields(line);
      if (cols.size() < 3 || cols[0].empty()) continue;
      for (size_t i = 0; i < cols[1].size(); ++i) {
        const std::string host = cols.size() > 3 && i < cols[3].size() ? cols[3][i] : "";
        const std::string uri = i < cols[2].size() ? cols[2][i] : "";
        want_req[std::stoi(cols[0][0])].push_back(cols[1][i] + "\t" + uri + "\t" + host);
      }
    }
    std::istringstream resp(run("/usr/bin/tshark -r '" + pcap.string() +
                                "' -Y http.response -T fields -E separator=/t -E aggregator=/s "
                                "-e tcp.stream -e http.response.code 2>/dev/null"));
    while (std::getline(resp, line)) {
      const auto cols = fields(line);
      if (cols.size() < 2 || cols[0].empty()) continue;
      for (const std::string& code : cols[1]) {
        // tshark also lists interim 1xx responses; a transaction keeps the final one.
        if (!code.empty() && code[0] == '1') continue;
        want_resp[std::stoi(cols[0][0])].push_back(code);
      }
    }
    for (const auto& [stream, requests] : want_req) {
      auto st = parse_stream(pcap, stream);
      std::vector<std::string> got_req, got_resp;
      for (size_t i = 0; i < st->tx_count(); ++i) {
        const HttpTx& tx = *st->http_tx(i);
        if (tx.request_started)
          got_req.push_back(tx.method + "\t" + tx.uri_raw + "\t" +
                            std::string(tx.request.header_value("host")));
        if (tx.status > 0) got_resp.push_back(std::to_string(tx.status));
      }
      EXPECT_EQ(got_req, requests) << pcap << " stream " << stream;
      compared_requests += requests.size();
      if (want_resp.count(stream) != 0) {
        EXPECT_EQ(got_resp, want_resp[stream]) << pcap << " stream " << stream;
        compared_responses += want_resp[stream].size();
      }
    }
  }
  EXPECT_GT(compared_requests, 50u);
  EXPECT_GT(compared_responses, 40u);
  std::printf("compared %zu requests and %zu responses with tshark over %zu captures\n",
              compared_requests, compared_responses, pcaps.size());
}

}  // namespace
}  // namespace seawall::applayer::http
