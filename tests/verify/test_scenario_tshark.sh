#!/usr/bin/env bash
# Cross-checks seawall-scenario against tshark, an independent dissector:
#   * the built-in demo equals samples/demo.scn and regenerates samples/demo.pcap byte for byte;
#   * every frame that is not malformed on purpose dissects with no expert warning/error,
#     no bad checksum (IP, TCP, UDP, ICMP, SCTP CRC32c, GRE) and no TCP analysis flag;
#   * protocol stacks (frame.protocols) and tunnel inner 5-tuples are as described;
#   * each deliberately malformed packet is seen as broken by tshark too.
# Usage: test_scenario_tshark.sh BUILD_DIR      (exit 77 = skipped: tshark missing)
set -u

build_dir=${1:?usage: $0 BUILD_DIR}
if ! command -v tshark >/dev/null 2>&1; then
  echo "SKIP: tshark not found in PATH"
  exit 77
fi
src_dir=$(cd "$(dirname "$0")/../.." && pwd)
tool="$build_dir/seawall-scenario"
if [[ ! -x "$tool" ]]; then
  echo "FAIL: $tool not built"
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# An empty profile, so local Wireshark preferences cannot change the verdicts.
export WIRESHARK_CONFIG_DIR="$work/wireshark-profile"
mkdir -p "$WIRESHARK_CONFIG_DIR"

passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() {  # check NAME EXPECTED ACTUAL
  if [[ "$2" == "$3" ]]; then pass; else fail "$1: expected '$2', got '$3'"; fi
}

checks=(-o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE -o ip.check_checksum:TRUE
        -o sctp.checksum:CRC-32C)
# tshark with the checksum checks on. It often runs inside $(...), where a failure counter
# would be lost, so its errors are collected in a file and counted at the end.
ts() {
  local err
  err=$(mktemp -p "$work")
  tshark -n -r "$1" "${checks[@]}" "${@:2}" 2>"$err" ||
    { echo "tshark ${*:2}"; grep -v '^Running as user' "$err"; } >> "$work/tshark.errors"
  rm -f "$err"
}
problem_filter='_ws.expert.severity >= "Warning" || _ws.malformed
  || ip.checksum.status == "Bad" || tcp.checksum.status == "Bad"
  || udp.checksum.status == "Bad" || sctp.checksum.status == "Bad"
  || icmp.checksum.status == "Bad" || icmpv6.checksum.status == "Bad"
  || gre.checksum.status == "Bad" || tcp.analysis.flags'

# Frames tshark finds fault with, one number per line.
problem_frames() {
  ts "$1" -Y "$problem_filter" -T fields -e frame.number | sort -n
}

# Field values of one frame: field FILE FRAME FIELD
field() {
  ts "$1" -Y "frame.number == $2" -T fields -e "$3"
}

# Innermost "src dst sport dport" of one frame (last IP layer, last transport layer).
inner_tuple() {
  ts "$1" -Y "frame.number == $2" -T fields \
    -e frame.protocols -e ip.src -e ip.dst -e ipv6.src -e ipv6.dst \
    -e tcp.srcport -e tcp.dstport -e udp.srcport -e udp.dstport -e sctp.srcport -e sctp.dstport |
  awk -F'\t' '
    function last(s,  a, n) { n = split(s, a, ","); return n ? a[n] : "" }
    {
      n = split($1, layers, ":"); inner = ""; l4 = ""
      for (i = 1; i <= n; i++) {
        if (layers[i] == "ip" || layers[i] == "ipv6") inner = layers[i]
        if (layers[i] == "tcp" || layers[i] == "udp" || layers[i] == "sctp") l4 = layers[i]
      }
      src = inner == "ipv6" ? last($4) : last($2); dst = inner == "ipv6" ? last($5) : last($3)
      if (l4 == "tcp") { sp = $6; dp = $7 }
      else if (l4 == "udp") { sp = last($8); dp = last($9) }
      else if (l4 == "sctp") { sp = $10; dp = $11 }
      print src, dst, sp, dp
    }'
}

scenario() {  # scenario NAME TEXT -> writes $work/NAME.pcap and NAME.tsv
  printf '%s\n' "$2" > "$work/$1.scn"
  if ! "$tool" "$work/$1.scn" -o "$work/$1.pcap" --manifest "$work/$1.tsv" 2>"$work/$1.err"
  then
    fail "$1: seawall-scenario failed: $(cat "$work/$1.err")"
    return 1
  fi
}

# ---------------------------------------------------------------------------------------
# 1. Demo: built-in == samples/demo.scn, deterministic, equals the committed pcap.

demo_scn="$src_dir/samples/demo.scn"
demo_pcap="$src_dir/samples/demo.pcap"
if "$tool" --print-builtin demo | cmp -s - "$demo_scn"; then pass
else fail "built-in demo differs from samples/demo.scn"; fi

"$tool" --builtin demo -o "$work/demo_a.pcap" --manifest "$work/demo.tsv" 2>/dev/null
"$tool" "$demo_scn" -o "$work/demo_b.pcap" 2>/dev/null
"$tool" --builtin demo -o "$work/demo_c.pcap" 2>/dev/null
if cmp -s "$work/demo_a.pcap" "$work/demo_b.pcap" && cmp -s "$work/demo_a.pcap" "$work/demo_c.pcap"
then pass; else fail "demo output is not deterministic"; fi
if cmp -s "$work/demo_a.pcap" "$demo_pcap"; then pass
else fail "samples/demo.pcap is stale: regenerate with seawall-scenario --builtin demo -o samples/demo.pcap"; fi

demo="$work/demo_a.pcap"
count=$(ts "$demo" -T fields -e frame.number | wc -l)
if (( count >= 50 && count <= 200 )); then pass; else fail "demo has $count packets (want 50..200)"; fi

# Only frames marked malformed in the manifest may trouble tshark.
awk -F'\t' '$3 == 1 {print $1}' "$work/demo.tsv" | sort -n > "$work/demo.malformed"
problem_frames "$demo" > "$work/demo.problems"
unexpected=$(comm -23 "$work/demo.problems" "$work/demo.malformed" | tr '\n' ' ')
check "demo: frames with tshark warnings/bad checksums outside the malformed set" "" "$unexpected"
check "demo: 4 deliberately malformed frames" "4" "$(wc -l < "$work/demo.malformed")"
# The checksum checks really ran (positive control).
good=$(ts "$demo" -Y 'tcp.checksum.status == "Good"' -T fields -e frame.number | wc -l)
if (( good > 30 )); then pass; else fail "demo: only $good TCP checksums verified"; fi

# Protocol stacks the demo must contain.
ts "$demo" -T fields -e frame.protocols | sort -u > "$work/demo.stacks"
for stack in \
  eth:ethertype:ip:udp:dns \
  eth:ethertype:ip:tcp:http \
  eth:ethertype:ip:icmp:data \
  eth:ethertype:ip:gre:erspan:eth:ethertype:ip:tcp:tacplus \
  eth:ethertype:ip:gre:ip:tcp:http \
  eth:ethertype:ip:udp:gtp:ip:udp:dns \
  eth:ethertype:ip:udp:gtp:ip:tcp:http \
  eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:tcp:http \
  eth:ethertype:data; do
  if grep -qx "$stack" "$work/demo.stacks"; then pass; else fail "demo: no frame with $stack"; fi
done
check "demo: ERSPAN type II and III present" "1 2" \
  "$(ts "$demo" -Y erspan -T fields -e erspan.version | sort -u | tr '\n' ' ' | sed 's/ $//')"
check "demo: TACACS+ users seen through the mirrors" "admin netops" \
  "$(ts "$demo" -Y 'tacplus.user' -T fields -e tacplus.user | sort -u | tr '\n' ' ' | sed 's/ $//')"
check "demo: TACACS+ passwords seen through the mirrors" "Sup3rS3cret! cisco123" \
  "$(ts "$demo" -Y 'tacplus.body_authen_req_cont.user' -T fields \
      -e tacplus.body_authen_req_cont.user | sort -u | tr '\n' ' ' | sed 's/ $//')"

# Inner 5-tuples of the tunnelled demo conversations (first matching frame).
demo_tuple() {  # demo_tuple FILTER
  local f
  f=$(ts "$demo" -Y "$1" -T fields -e frame.number | head -1)
  [[ -n "$f" ]] && inner_tuple "$demo" "$f"
}
check "demo: GRE exfil inner tuple" "172.31.255.1 172.31.255.2 40123 8000" \
  "$(demo_tuple 'gre.key == 7 && tcp.flags.syn == 1 && tcp.flags.ack == 0')"
check "demo: ERSPAN II inner tuple" "10.0.0.1 10.0.5.10 33001 49" \
  "$(demo_tuple 'erspan.version == 1 && tcp.flags.syn == 1 && tcp.flags.ack == 0')"
check "demo: ERSPAN III inner tuple" "10.0.0.2 10.0.5.10 33002 49" \
  "$(demo_tuple 'erspan.version == 2 && tcp.flags.syn == 1 && tcp.flags.ack == 0')"
check "demo: GTP-U uplink inner tuple" "10.45.0.9 198.18.0.80 41000 80" \
  "$(demo_tuple 'gtp.teid == 0x1234 && tcp.flags.syn == 1 && tcp.flags.ack == 0')"
check "demo: VXLAN inner tuple" "192.168.10.5 192.168.10.6 45000 80" \
  "$(demo_tuple 'vxlan.vni == 5001 && tcp.flags.syn == 1 && tcp.flags.ack == 0')"
check "demo: SSH to router on 22222" "198.51.100.23 10.0.0.1 53122 22222" \
  "$(demo_tuple 'tcp.dstport == 22222 && tcp.flags.syn == 1')"

# ---------------------------------------------------------------------------------------
# 2. Per-feature captures: stack of one frame, inner tuple, and a clean bill of health.

# feature NAME "SCENARIO" FRAME "PROTOCOLS" "SRC DST SPORT DPORT" [FIELD=VALUE ...]
feature() {
  local name=$1 text=$2 frame=$3 protocols=$4 tuple=$5
  shift 5
  scenario "$name" "$text" || return
  local file="$work/$name.pcap"
  check "$name: problem frames" "" "$(problem_frames "$file" | tr '\n' ' ')"
  check "$name: frame $frame protocols" "$protocols" "$(field "$file" "$frame" frame.protocols)"
  [[ -n "$tuple" ]] && check "$name: inner tuple" "$tuple" "$(inner_tuple "$file" "$frame")"
  local kv
  for kv in "$@"; do
    check "$name: frame $frame ${kv%%=*}" "${kv#*=}" "$(field "$file" "$frame" "${kv%%=*}")"
  done
}

http='payload "GET / HTTP/1.1\r\nHost: a.example\r\n\r\n" response "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"'
q='query www.example.com answer 192.0.2.80'

feature tcp-handshake "tcp 10.1.1.5:51000 -> 203.0.113.7:80 $http" 1 \
  eth:ethertype:ip:tcp "10.1.1.5 203.0.113.7 51000 80" tcp.flags=0x0002 tcp.options.mss_val=1460
check "tcp: SYN-ACK" "0x0012" "$(field "$work/tcp-handshake.pcap" 2 tcp.flags)"
check "tcp: request stack" "eth:ethertype:ip:tcp:http" \
  "$(field "$work/tcp-handshake.pcap" 4 frame.protocols)"
check "tcp: response seq/ack (relative)" "1 36" \
  "$(ts "$work/tcp-handshake.pcap" -Y 'frame.number == 5' -T fields -E separator=/s \
      -e tcp.seq -e tcp.ack)"
check "tcp: FIN close" "0x0011 0x0011 0x0010" \
  "$(ts "$work/tcp-handshake.pcap" -Y 'frame.number >= 6' -T fields -e tcp.flags | tr '\n' ' ' |
     sed 's/ $//')"
feature tcp-ipv6 "tcp [2001:db8::5]:51001 -> [2001:db8::80]:443 payload \"x\"" 1 \
  eth:ethertype:ipv6:tcp "2001:db8::5 2001:db8::80 51001 443"
feature tcp-segmented "tcp 10.1.1.5:51002 -> 203.0.113.7:9 mss=536 payload \"$(printf 'A%.0s' {1..1200})\"" \
  6 eth:ethertype:ip:tcp:data "10.1.1.5 203.0.113.7 51002 9" tcp.len=128 tcp.seq=1073
feature dns-v4 "dns 10.1.1.5:40053 -> 10.1.0.53 $q" 2 \
  eth:ethertype:ip:udp:dns "10.1.0.53 10.1.1.5 53 40053" dns.a=192.0.2.80 \
  dns.qry.name=www.example.com dns.flags.response=1
check "dns-v4: query from the client to port 53" "10.1.1.5 10.1.0.53 40053 53" \
  "$(inner_tuple "$work/dns-v4.pcap" 1)"
feature dns-v6 "dns 2001:db8::5 -> [2001:db8::53]:53 query v6.example type AAAA answer 2001:db8::80" \
  2 eth:ethertype:ipv6:udp:dns "" dns.aaaa=2001:db8::80
feature udp-v4 "udp 10.1.1.5:40000 -> 10.1.1.6:9999 payload \"ping\" response \"pong\"" 2 \
  eth:ethertype:ip:udp:data "10.1.1.6 10.1.1.5 9999 40000" data.data=706f6e67
feature icmp-v4 "icmp 10.1.1.5 -> 10.1.1.1 count 2" 3 eth:ethertype:ip:icmp:data "" \
  icmp.type=8 icmp.seq=2
feature icmp-v6 "icmp 2001:db8::5 -> 2001:db8::1" 2 eth:ethertype:ipv6:icmpv6:data "" \
  icmpv6.type=129
feature sctp "sctp 10.3.0.1:2905 -> 10.3.0.2:2905 ppid=3 payload \"\x01\x00\x03\x01\x00\x00\x00\x08\"" \
  2 eth:ethertype:ip:sctp:m3ua "10.3.0.1 10.3.0.2 2905 2905" sctp.chunk_type=0 \
  sctp.checksum.status=1 sctp.data_payload_proto_id=3
check "sctp: INIT first, verification tag 0" "1 0x00000000" \
  "$(ts "$work/sctp.pcap" -Y 'frame.number == 1' -T fields -E separator=/s \
      -e sctp.chunk_type -e sctp.verification_tag)"
feature gre "tcp 10.9.9.9:40000 -> 172.16.0.1:8000 $http via gre(192.0.2.1>192.0.2.2,key=7,seq=yes)" \
  4 eth:ethertype:ip:gre:ip:tcp:http "10.9.9.9 172.16.0.1 40000 8000" \
  gre.key=0x00000007 gre.sequence_number=3 ip.src=192.0.2.1,10.9.9.9
check "gre: reply goes back through the tunnel" "192.0.2.2,172.16.0.1" \
  "$(field "$work/gre.pcap" 2 ip.src)"
feature gre-ipv6-outer "dns 10.1.1.5 -> 10.1.0.53 $q via gre(2001:db8::a>2001:db8::b)" 1 \
  eth:ethertype:ipv6:gre:ip:udp:dns ""
feature erspan2 "tcp 10.0.0.1:33001 -> 10.0.5.10:49 payload \"\xc0\x01\x01\x01\x00\x00\x00\x01\x00\x00\x00\x0c\x01\x01\x01\x01\x04\x00\x00\x00root\" via erspan2(10.0.0.1>198.51.100.23,session=100)" \
  4 eth:ethertype:ip:gre:erspan:eth:ethertype:ip:tcp:tacplus "10.0.0.1 10.0.5.10 33001 49" \
  erspan.version=1 erspan.spanid=100
check "erspan2: mirror never reverses" "10.0.0.1,10.0.5.10" "$(field "$work/erspan2.pcap" 2 ip.src)"
feature erspan3 "tcp 10.0.0.2:33002 -> 10.0.5.10:49 payload \"\xc0\x01\x01\x01\x00\x00\x00\x01\x00\x00\x00\x0c\x01\x01\x01\x01\x04\x00\x00\x00root\" via erspan3(10.0.0.2>198.51.100.23,session=101,vlan=20)" \
  4 eth:ethertype:ip:gre:erspan:eth:ethertype:ip:tcp:tacplus "10.0.0.2 10.0.5.10 33002 49" \
  erspan.version=2 erspan.spanid=101 erspan.vlan=20
feature vxlan "dns 192.168.10.5 -> 192.168.10.53 $q via vxlan(10.30.0.1>10.30.0.2,vni=5001)" 1 \
  eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:udp:dns "" vxlan.vni=5001 udp.dstport=4789,53
feature geneve-eth "dns 192.168.10.5 -> 192.168.10.53 $q via geneve(10.30.0.1>10.30.0.2,vni=77)" 1 \
  eth:ethertype:ip:udp:geneve:eth:ethertype:ip:udp:dns "" geneve.vni=0x00004d
feature geneve-ip "dns 192.168.10.5 -> 192.168.10.53 $q via geneve(10.30.0.1>10.30.0.2,vni=77,inner=ip)" 1 \
  eth:ethertype:ip:udp:geneve:ip:udp:dns ""
feature gtpu "dns 10.45.0.9 -> 8.8.8.8 $q via gtpu(10.20.0.1>10.20.0.2,teid=0x1234,teid_dl=0x8765,seq=7,qfi=9)" \
  1 eth:ethertype:ip:udp:gtp:ip:udp:dns "" gtp.teid=0x00001234 gtp.seq_number=0x0007 \
  gtp.ext_hdr.pdu_ses_con.qos_flow_id=9 gtp.message=0xff
check "gtpu: downlink TEID and direction" "0x00008765 10.20.0.2,8.8.8.8" \
  "$(ts "$work/gtpu.pcap" -Y 'frame.number == 2' -T fields -E separator=/s -e gtp.teid -e ip.src)"
feature gtpu-ipv6 "tcp [2001:db8:45::9]:41000 -> [2001:db8::80]:80 $http via gtpu(10.20.0.1>10.20.0.2,teid=0x42)" \
  4 eth:ethertype:ip:udp:gtp:ipv6:tcp:http "2001:db8:45::9 2001:db8::80 41000 80"
feature ipip "udp 10.9.9.9:40008 -> 172.16.0.1:9999 payload \"abc\" via ipip(192.0.2.1>192.0.2.4)" 1 \
  eth:ethertype:ip:ip:udp:data "10.9.9.9 172.16.0.1 40008 9999" ip.proto=4,17
feature 6in4 "udp [2001:db8::9]:40009 -> [2001:db8::1]:9999 payload \"abc\" via 6in4(192.0.2.1>192.0.2.4)" 1 \
  eth:ethertype:ip:ipv6:udp:data "2001:db8::9 2001:db8::1 40009 9999" ip.proto=41
feature teredo "udp [2001:0:4136:e378:8000:63bf:3fff:fdd2]:40010 -> [2001:db8::1]:9999 payload \"abc\" via teredo(192.0.2.1>192.0.2.4)" \
  1 eth:ethertype:ip:udp:teredo:ipv6:udp:data "2001:0:4136:e378:8000:63bf:3fff:fdd2 2001:db8::1 40010 9999"
feature mpls "udp 10.9.9.9:40011 -> 172.16.0.1:9999 payload \"abc\" via mpls(16,17)" 1 \
  eth:ethertype:mpls:ip:udp:data "10.9.9.9 172.16.0.1 40011 9999" mpls.label=16,17 mpls.bottom=0,1
feature vlan "udp 10.9.9.9:40012 -> 172.16.0.1:9999 payload \"abc\" via vlan(100)" 1 \
  eth:ethertype:vlan:ethertype:ip:udp:data "10.9.9.9 172.16.0.1 40012 9999" vlan.id=100
feature qinq "udp 10.9.9.9:40013 -> 172.16.0.1:9999 payload \"abc\" via qinq(100,200)" 1 \
  eth:ethertype:ieee8021ad:ethertype:vlan:ethertype:ip:udp:data "10.9.9.9 172.16.0.1 40013 9999" \
  ieee8021ad.id=100 vlan.id=200
feature chain "tcp 10.9.9.9:40014 -> 172.16.0.1:80 $http via vlan(10) / gre(192.0.2.1>192.0.2.2,key=3) / vxlan(10.0.0.1>10.0.0.2,vni=9) / vlan(20)" \
  4 eth:ethertype:vlan:ethertype:ip:gre:ip:udp:vxlan:eth:ethertype:vlan:ethertype:ip:tcp:http \
  "10.9.9.9 172.16.0.1 40014 80" vlan.id=10,20 vxlan.vni=9

# ---------------------------------------------------------------------------------------
# 3. Malformed on purpose: tshark must agree each one is broken.

malformed() {  # malformed NAME "SCENARIO" EXPECTED-EXPERT-SUBSTRING
  scenario "$1" "$2" || return
  local msgs
  msgs=$(ts "$work/$1.pcap" -T fields -e _ws.expert.message -e _ws.malformed)
  if grep -q -- "$3" <<<"$msgs"; then pass; else fail "$1: tshark did not report '$3' ($msgs)"; fi
  check "$1: manifest marks it malformed" "1" "$(cut -f3 "$work/$1.tsv")"
}
malformed ipv4-truncated "malformed ipv4-truncated 192.0.2.66 -> 10.0.0.1" "Malformed"
malformed ipv4-total-length "malformed ipv4-total-length 192.0.2.66 -> 10.0.0.1" "Bogus IP length"
malformed tcp-hlen "malformed tcp-header-length 192.0.2.66:40000 -> 10.0.0.1:179" \
  "Bogus TCP header length (16"
malformed tcp-hlen-in-gre \
  "malformed tcp-header-length 192.0.2.66:40000 -> 10.0.0.1:179 hlen=8 via gre(192.0.2.1>192.0.2.2)" \
  "Bogus TCP header length (8"
malformed udp-length "malformed udp-length 192.0.2.66:40000 -> 10.0.0.1:53" "Bad length value"
malformed zero-length "malformed zero-length" "Malformed"
scenario gre-version "malformed gre-version 198.51.100.23 -> 10.0.0.1 version=2" &&
  check "gre-version: GRE version field" "2" "$(field "$work/gre-version.pcap" 1 gre.flags.version)"
scenario unknown-ethertype "malformed unknown-ethertype type=0x1234" &&
  check "unknown-ethertype: stack" "eth:ethertype:data 0x1234" \
    "$(ts "$work/unknown-ethertype.pcap" -T fields -E separator=/s -e frame.protocols -e eth.type)"
scenario gtpu-nested "malformed gtpu-nested 10.0.0.1 -> 10.0.0.2" &&
  check "gtpu-nested: GTP-U layers counted by tshark" "1000" \
    "$(ts "$work/gtpu-nested.pcap" -o gui.max_tree_depth:5000 -T fields -e frame.protocols |
       tr ':' '\n' | grep -cx gtp)"
scenario oversize "malformed oversize caplen=262145" &&
  { tshark -r "$work/oversize.pcap" 2>&1 | grep -q "262145-byte packet" && pass ||
    fail "oversize: tshark did not reject the 262145-byte record"; }

# ---------------------------------------------------------------------------------------
# 4. Scenario errors name line and column.

printf '# comment\ntcp 10.0.0.1:1 -> 10.0.0.2:80 via gre(key=7)\n' > "$work/bad.scn"
check "error position" "$work/bad.scn:2:35: gre needs outer endpoints, e.g. gre(192.0.2.1>192.0.2.2)" \
  "$("$tool" "$work/bad.scn" -o "$work/bad.pcap" 2>&1)"
printf 'udp 10.0.0.1:1 -> 10.0.0.2:99999 payload "x"\n' > "$work/bad2.scn"
check "error position (port)" "$work/bad2.scn:1:28: number 99999 is larger than 65535" \
  "$("$tool" "$work/bad2.scn" -o "$work/bad.pcap" 2>&1)"

if [[ -s "$work/tshark.errors" ]]; then
  fail "tshark reported errors:"
  cat "$work/tshark.errors"
fi
echo "$passed passed, $failed failed"
(( failed == 0 ))
