// Parses every UDP DNS message of real captures and compares the result with
// tshark's dissection of the same packets (an independent decoder): id,
// flags, question names and types, section counts, every record's owner name
// and type, A/AAAA addresses and CNAME/NS/PTR/MX targets.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "dns_test_util.h"

namespace seawall::applayer::dns {
namespace {

using namespace test;

const char* const kCaptures[] = {
    "suricata-verify/tests/cond-log-dns-dig/input.pcap",
    "suricata-verify/tests/dns/bug-1158/input.pcap",
    "suricata-verify/tests/dns/dns-eve/input.pcap",
    "suricata-verify/tests/dns/dns-eve-empty-format/input.pcap",
    "suricata-verify/tests/dns/dns-forward-pointer/input.pcap",
    "suricata-verify/tests/dns/dns-invalid-opcode/input.pcap",
    "suricata-verify/tests/dns/dns-sshfp/dns-sshfp.pcap",
    "suricata-verify/tests/dns/dns-udp-null/input.pcap",
    "suricata-verify/tests/dns/dns-udp-eve-log-answer-only/dns-udp-google.com-a-aaaa-mx.pcap",
    "suricata-verify/tests/dns/dns-single-request/input.pcap",
    "suricata-verify/tests/dns/dns-udp-unsolicited-response/dns-response-2x.pcap",
    "suricata-verify/tests/dns-opcode/dns-notify.pcap",
    "suricata-verify/pcaps/20250221-dns-ptr.pcap",
    "suricata-verify/pcaps/20250224-dns-additionals-with-cname.pcap",
    "suricata-verify/tests/vxlan-decoder-03/vxlan.pcap",
    "pcaps/gtp/zeek__gtp3_false_gtp.pcap",
    "pcaps/gtp/pcapplusplus__gtp.pcap",
    "pcaps/gtp/arkime__ipv6-gtp6.pcap",
    "pcaps/tunnels/zeek__gre-over-udp-4754.pcap",
    "pcaps/tunnels/zeek__gre-pptp.pcap",
    "pcaps/tunnels/zeek__vxlan-triple-v2.pcap",
    "pcaps/tunnels/zeek__geneve-vxlan-dns-truncated.pcap",
};

std::vector<std::string> list(const std::string& field) {
  if (field.empty()) return {};
  return split(field, '|');
}

std::string shown_name(std::string_view n) { return n.empty() ? "<Root>" : std::string(n); }

bool printable(const std::vector<std::string>& names) {
  for (const auto& n : names)
    for (char c : n)
      if (c == '\\' || c < 0x21 || c > 0x7e) return false;
  return true;
}

std::string dotted(std::string_view a) {
  if (a.size() != 4) return "?";
  char buf[20];
  std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", static_cast<unsigned char>(a[0]),
                static_cast<unsigned char>(a[1]), static_cast<unsigned char>(a[2]),
                static_cast<unsigned char>(a[3]));
  return buf;
}

TEST(DnsCorpus, MatchesTshark) {
  if (!std::filesystem::exists(corpus_dir())) GTEST_SKIP() << "corpus not found at " << corpus_dir();
  if (!have_tshark()) GTEST_SKIP() << "tshark not installed at /usr/bin/tshark";
  size_t messages = 0, names_compared = 0, records_compared = 0, captures = 0;
  for (const char* rel : kCaptures) {
    const std::string pcap = corpus_dir() + "/" + rel;
    if (!std::filesystem::exists(pcap)) continue;
    ++captures;
    const std::string cmd =
        "tshark -r '" + pcap +
        "' -Y 'dns && udp' -T fields -E separator=/t -E aggregator='|' -e frame.number "
        "-e udp.payload -e dns.id -e dns.flags -e dns.qry.name -e dns.qry.type "
        "-e dns.count.answers -e dns.count.auth_rr -e dns.count.add_rr -e dns.resp.name "
        "-e dns.resp.type -e dns.a -e dns.cname -e _ws.malformed 2>/dev/null";
    std::istringstream in(run_command(cmd));
    std::string line;
    while (std::getline(in, line)) {
      const auto f = split(line, '\t');
      ASSERT_GE(f.size(), 13u) << line;
      const std::string where = std::string(rel) + " frame " + f[0];
      const auto payloads = list(f[1]);
      if (payloads.empty() || f[2].empty()) continue;
      const auto bytes = from_hex(payloads.back());
      Message m;
      ParseEvents events;
      const MessageStatus status = parse_message(ByteView(bytes.data(), bytes.size()), m, events);
      ASSERT_NE(status, MessageStatus::kTooShort) << where;
      ++messages;
      EXPECT_EQ(m.id, std::stoul(f[2], nullptr, 16)) << where;
      EXPECT_EQ(m.flags, std::stoul(f[3], nullptr, 16)) << where;

      const auto qnames = list(f[4]);
      const auto qtypes = list(f[5]);
      if (printable(qnames)) {
        std::vector<std::string> ours;
        for (const auto& q : m.queries) ours.push_back(shown_name(m.text(q.name)));
        EXPECT_EQ(ours, qnames) << where;
        names_compared += ours.size();
      }
      ASSERT_EQ(m.queries.size(), qtypes.size()) << where;
      for (size_t i = 0; i < qtypes.size(); ++i)
        EXPECT_EQ(m.queries[i].rrtype, std::stoul(qtypes[i])) << where;

      // Sections only where both decoders read the whole message.
      const bool tshark_malformed = f.size() > 13 && !f[13].empty();
      if (status != MessageStatus::kOk || tshark_malformed || events.count != 0) continue;
      EXPECT_EQ(m.answers.size(), std::stoul(f[6])) << where;
      EXPECT_EQ(m.authorities.size(), std::stoul(f[7])) << where;
      EXPECT_EQ(m.additionals.size(), std::stoul(f[8])) << where;
      std::vector<std::string> rnames, rtypes, addrs, cnames;
      for (const auto* section : {&m.answers, &m.authorities, &m.additionals}) {
        for (const Record& r : *section) {
          rnames.push_back(shown_name(m.text(r.name)));
          rtypes.push_back(std::to_string(r.rrtype));
          if (r.rrtype == rrtype::kA) addrs.push_back(dotted(m.text(r.data)));
          if (r.rrtype == rrtype::kCname) cnames.push_back(std::string(m.text(r.rdata_name)));
        }
      }
      const auto tnames = list(f[9]);
      if (printable(tnames)) {
        EXPECT_EQ(rnames, tnames) << where;
        EXPECT_EQ(cnames, list(f[12])) << where;
      }
      EXPECT_EQ(rtypes, list(f[10])) << where;
      EXPECT_EQ(addrs, list(f[11])) << where;
      records_compared += rtypes.size();
    }
  }
  if (captures == 0) GTEST_SKIP() << "no DNS captures found under " << corpus_dir();
  std::printf("[ corpus  ] %zu captures, %zu messages, %zu query names, %zu records vs tshark\n",
              captures, messages, names_compared, records_compared);
  EXPECT_GE(messages, 100u);
  EXPECT_GE(records_compared, 100u);
}

}  // namespace
}  // namespace seawall::applayer::dns
