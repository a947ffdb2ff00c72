"""Known differences between tshark and Seawall flows (test_tshark_flows.py).

Key: capture path relative to corpus/pcaps. Each entry names the exact flows
(as the test prints them) and why Seawall does not see them. No entry may hide
a flow that Seawall is meant to track; remove an entry when the engine starts
tracking what it describes (the test prints a note for entries no longer needed).
"""

# libpcap 1.10 (Debian 12) refuses pcapng files whose interfaces have different
# snap lengths ("an interface has a snapshot length N different from the snapshot
# length of the first interface", sf-pcapng.c) and stops after the first
# interface's packets; tshark's own reader accepts them. Seawall reads captures
# through libpcap, warns "capture truncated after packet N" and exits 0.
_LIBPCAP_PCAPNG_SNAPLEN = ("libpcap cannot read pcapng interfaces with differing snaplen; "
                           "Seawall warns and stops at that packet")

# The frames were captured truncated (caplen 176 < IP total length 168+14 and
# 188+14): like Suricata (DecodeIPV4 -> IPV4_TRUNC_PKT), Seawall raises
# decoder.ipv4.trunc_pkt on the outer header and does not track the packet or
# anything inside it. tshark dissects as far as the bytes go.
_TRUNCATED_OUTER_IP = "outer IPv4 total length exceeds captured bytes: decoder.ipv4.trunc_pkt"

KNOWN_DIFFERENCES = {
    "gtp/pcapplusplus__gtp.pcap": {
        "reason": _LIBPCAP_PCAPNG_SNAPLEN,
        "missing": [
            "TCP 10.155.182.202:41511 <-> 10.155.186.57:6005",
            "UDP 10.155.148.149:9000 <-> 10.155.148.157:2152",
            "UDP 192.168.168.238:2123 <-> 192.168.168.245:2123",
            "UDP 192.168.40.178:2152 <-> 192.168.40.179:2152",
            "UDP [2001:507:0:1:200:8600:0:1]:2396 <-> [2001:507:0:1:200:8600:0:2]:53",
            "UDP 5.233.130.55:2152 <-> 5.233.130.56:1024",
        ],
    },
    "gtp/pcapplusplus__gtpv2.pcap": {
        "reason": _LIBPCAP_PCAPNG_SNAPLEN,
        "missing": [
            "TCP 192.168.1.100:2123 <-> 192.168.1.200:2123",
            "UDP 111.71.236.49:2123 <-> 221.177.252.21:2123",
            "UDP 192.168.1.100:2123 <-> 192.168.1.200:2123",
        ],
    },
    "tunnels/zeek__geneve-vxlan-dns-truncated.pcap": {
        "reason": _TRUNCATED_OUTER_IP,
        "missing": [
            "UDP 1.1.1.1:53 <-> 172.16.11.201:36872",
            "UDP 127.0.0.1:4789 <-> 127.0.0.1:26383",
            "UDP 127.0.0.1:6081 <-> 127.0.0.1:11803",
        ],
    },
}
