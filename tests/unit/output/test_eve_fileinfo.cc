// EveWriter::log_file: Suricata's JsonBuildFileInfoRecord layout — the header
// addressed in the file's direction (a file the server sends has the server
// as src, LOG_DIR_FLOW_TOCLIENT), the transaction's object, app_proto, then
// "fileinfo". Parsed back by Python (json_check.h) and checked key by key.
#include "output/eve/eve_writer.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "flow/app_proto.h"
#include "json_check.h"
#include "output/eve/json_writer.h"

namespace seawall {
namespace {

class Object final : public EveAppObject {
 public:
  Object(std::string_view key, std::string_view member) : key_(key), member_(member) {}
  std::string_view key() const override { return key_; }
  void write_members(JsonWriter& w) const override { w.member("k", member_); }

 private:
  std::string_view key_, member_;
};

Flow http_flow() {
  Flow f;
  f.key.src = IpAddress::parse("10.0.0.1");
  f.key.dst = IpAddress::parse("10.0.0.2");
  f.key.sport = 40000;
  f.key.dport = 80;
  f.key.proto = 6;
  f.hash = symmetric_flow_hash(f.key);
  f.start = {1333459050, 0};
  f.last = {1333459062, 0};
  f.ip_version = 4;
  // The output library alone has no protocols registered: name one here
  // (register_app_proto returns the existing id when linked with the app layer).
  f.app_proto = register_app_proto("http");
  return f;
}

std::string run(bool to_client) {
  char tmpl[] = "/tmp/seawall-eve-file-XXXXXX";
  const std::string dir = ::mkdtemp(tmpl);
  std::string out;
  {
    EveSinkConfig sink_cfg;
    sink_cfg.path = dir + "/eve.json";
    EveSink sink(sink_cfg);
    EveConfig cfg;
    cfg.community_id = false;
    EveWriter w(cfg, sink);
    const Flow f = http_flow();
    const Object http("http", "tx");
    const Object file("fileinfo", "file");
    w.log_file(f, nullptr, to_client, &http, file);
    w.flush();
    std::ifstream in(sink_cfg.path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    out = ss.str();
  }
  std::filesystem::remove_all(dir);
  return out;
}

TEST(EveFileinfo, HeaderInTheFileDirectionThenHttpAppProtoFileinfo) {
  if (!test::python_available()) GTEST_SKIP() << "python3 not found at " << test::kPython;
  const std::string script = R"(
r = records[0]
keys = list(r.keys())
assert r['event_type'] == 'fileinfo', r
assert keys.index('http') < keys.index('app_proto') < keys.index('fileinfo'), keys
assert keys[-1] == 'fileinfo', keys
assert r['app_proto'] == 'http', r
assert r['http'] == {'k': 'tx'} and r['fileinfo'] == {'k': 'file'}, r
)";
  // Sent by the server: the server is src.
  EXPECT_EQ(test::run_python(run(true), script + R"(
assert (r['src_ip'], r['src_port'], r['dest_ip'], r['dest_port']) == ('10.0.0.2', 80, '10.0.0.1', 40000), r
print('OK'))"),
            "OK");
  // Uploaded by the client: the client is src.
  EXPECT_EQ(test::run_python(run(false), script + R"(
assert (r['src_ip'], r['src_port'], r['dest_ip'], r['dest_port']) == ('10.0.0.1', 40000, '10.0.0.2', 80), r
print('OK'))"),
            "OK");
}

}  // namespace
}  // namespace seawall
