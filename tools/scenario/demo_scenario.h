// The built-in "demo" description. samples/demo.scn is a verbatim copy; the tshark test
// (tests/verify/test_scenario_tshark.sh) fails when the two drift apart.
// Regenerate with tools/scenario/update_demo.sh after editing samples/demo.scn.
#pragma once

#include <string_view>

namespace seawall::scenario {

inline constexpr std::string_view kDemoScenario = R"SCN(# Seawall demo scene: a small carrier network on a bad morning.
# samples/demo.pcap is written from this file (seawall-scenario samples/demo.scn -o ...);
# the tool carries a built-in copy: after editing, run tools/scenario/update_demo.sh BUILD_DIR.
#
# Left of "via" is the conversation as the endpoints see it; after "via" come the tunnels
# it travels in, outermost first.

time 2024-05-01T10:00:00
gap 0.002

host pe1        10.0.0.1          # provider-edge router
host pe2        10.0.0.2          # second router
host tacacs     10.0.5.10         # AAA server
host resolver   10.1.0.53
host office     10.1.1.5
host web        203.0.113.7
host attacker   198.51.100.23     # operator-owned looking VPS
host sgw        10.20.0.1         # serving gateway (S1-U / N3 side)
host upf        10.20.0.2         # user plane function
host ue         10.45.0.9         # subscriber handset
host vtep1      10.30.0.1
host vtep2      10.30.0.2

# --- ordinary business ---------------------------------------------------------------
dns office -> resolver query www.example.com answer 203.0.113.7
tcp office:51000 -> web:80 payload "GET / HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: Mozilla/5.0\r\nAccept: */*\r\n\r\n" response "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 21\r\n\r\n<html>welcome</html>\n"
dns office -> resolver query updates.example.net type AAAA nxdomain
icmp office -> pe1 count 2

wait 1.5
# --- interactive login to a router on a non-standard SSH port -------------------------
tcp attacker:53122 -> pe1:22222 payload "SSH-2.0-OpenSSH_9.6\r\n" response "SSH-2.0-Cisco-1.25\r\n" payload "\x00\x00\x01\x0c\x0a\x14\x8f\x3e\x21\x55\x90\x0b\xc4\x7d\x1e\x2a\x6b\x33\x01\xfe" response "\x00\x00\x01\x14\x0a\x14\x5e\x8a\x77\x02\x19\xd3\x4c\x60\xaa\x0f\x12\x9b\x88\x41"

wait 2
# --- TACACS+ logins mirrored to an outside collector (ERSPAN II and III) --------------
tcp pe1:33001 -> tacacs:49 payload "\xc0\x01\x01\x01:_\x1c+\x00\x00\x00\x1f\x01\x01\x01\x01\x06\x04\x0d\x00netopstty1198.51.100.23" response "\xc0\x01\x02\x01:_\x1c+\x00\x00\x00\x10\x05\x01\x00\x0a\x00\x00Password: " payload "\xc0\x01\x03\x01:_\x1c+\x00\x00\x00\x11\x00\x0c\x00\x00\x00Sup3rS3cret!" response "\xc0\x01\x04\x01:_\x1c+\x00\x00\x00\x06\x01\x00\x00\x00\x00\x00" via erspan2(pe1>attacker, session=100)
wait 0.5
tcp pe2:33002 -> tacacs:49 payload "\xc0\x01\x01\x01|\x01\xd4\xe9\x00\x00\x00\x1e\x01\x01\x01\x01\x05\x04\x0d\x00admintty1198.51.100.23" response "\xc0\x01\x02\x01|\x01\xd4\xe9\x00\x00\x00\x10\x05\x01\x00\x0a\x00\x00Password: " payload "\xc0\x01\x03\x01|\x01\xd4\xe9\x00\x00\x00\x0d\x00\x08\x00\x00\x00cisco123" response "\xc0\x01\x04\x01|\x01\xd4\xe9\x00\x00\x00\x06\x01\x00\x00\x00\x00\x00" via erspan3(pe2>attacker, session=101, vlan=20)

wait 3
# --- GRE tunnel from the router to the outside carrying an exfiltration session -------
tcp 172.31.255.1:40123 -> 172.31.255.2:8000 payload "POST /u HTTP/1.1\r\nHost: 172.31.255.2\r\nContent-Length: 66\r\n\r\nhostname PE1\nsnmp-server community c4rr13r RO\ntacacs-server key 7 " response "HTTP/1.1 204 No Content\r\n\r\n" via gre(pe1>attacker, key=7)

wait 1
# --- mobile user plane: a subscriber's DNS and web traffic inside GTP-U ---------------
dns ue -> 8.8.8.8 query m.example.org answer 198.18.0.80 via gtpu(sgw>upf, teid=0x1234, teid_dl=0x8765, qfi=9)
tcp ue:41000 -> 198.18.0.80:80 payload "GET /news HTTP/1.1\r\nHost: m.example.org\r\n\r\n" response "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnews" via gtpu(sgw>upf, teid=0x1234, teid_dl=0x8765)

wait 1
# --- data-centre overlay -------------------------------------------------------------
tcp 192.168.10.5:45000 -> 192.168.10.6:80 payload "GET /health HTTP/1.1\r\nHost: app\r\n\r\n" response "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" via vxlan(vtep1>vtep2, vni=5001)

wait 2
# --- packets that should raise decoder anomalies -------------------------------------
malformed ipv4-truncated 192.0.2.66 -> 10.0.0.1
malformed tcp-header-length 192.0.2.66:40000 -> 10.0.0.1:179
malformed unknown-ethertype type=0x1234
malformed gre-version attacker -> pe1 version=2
)SCN";

}  // namespace seawall::scenario
