"""Known differences between tshark and Seawall app-layer records
(test_tshark_applayer.py).

Key: capture path relative to corpus/pcaps. The value is one entry or a list of
entries, each {"reason": why, "missing": [...], "extra": [...]} naming the exact
items as the test prints them ("<proto> <flow> <item>"): "missing" = tshark
dissected it and Seawall logged nothing equal, "extra" = Seawall logged it on a
flow tshark dissected as that protocol and tshark shows no such item. A reason
must be a property of the protocols, of the capture files or of the dissectors,
never a Seawall bug; remove an entry when it is no longer needed (the test
prints a note for those).
"""

# Same cause as in tshark_flow_exceptions.py: libpcap 1.10 stops reading a pcapng
# file at the first interface whose snap length differs from the first
# interface's; tshark's reader goes on. The flows below are never read by Seawall.
_LIBPCAP_PCAPNG_SNAPLEN = ("libpcap cannot read pcapng interfaces with differing snaplen; "
                           "Seawall warns and stops at that packet")

# Same cause as in tshark_flow_exceptions.py: the outer IPv4 total length exceeds
# the captured bytes, so like Suricata (IPV4_TRUNC_PKT) Seawall decodes nothing
# inside; tshark dissects as far as the bytes go.
_TRUNCATED_OUTER_IP = "outer IPv4 total length exceeds captured bytes: decoder.ipv4.trunc_pkt"

# A TCP segment with no handshake before it (the capture holds one data packet
# of the connection). With stream.midstream false, Suricata's default and
# Seawall's, such a session is not picked up, so no app-layer parser sees its
# data; tshark dissects every segment on its own.
_NO_HANDSHAKE = "lone mid-stream TCP segment: stream.midstream is off (Suricata default)"

KNOWN_DIFFERENCES = {
    "gtp/pcapplusplus__gtp.pcap": {
        "reason": _LIBPCAP_PCAPNG_SNAPLEN,
        "missing": [
            "dns UDP [2001:507:0:1:200:8600:0:1]:2396 <-> [2001:507:0:1:200:8600:0:2]:53 "
            "response NOERROR itojun.org/ANY",
        ],
    },
    "tunnels/zeek__geneve-vxlan-dns-truncated.pcap": {
        "reason": _TRUNCATED_OUTER_IP,
        "missing": [
            "dns UDP 1.1.1.1:53 <-> 172.16.11.201:36872 request corelight.com A",
            "dns UDP 1.1.1.1:53 <-> 172.16.11.201:36872 response NOERROR corelight.com/A",
        ],
    },
    "tunnels/pcapplusplus__MplsPackets.pcap": {
        "reason": _NO_HANDSHAKE,
        "missing": [
            "http TCP 2.3.4.6:20636 <-> 12.13.14.15:80 request GET /i/?tid=199&hash=8ktxrl&subid=0",
        ],
    },
    "tunnels/zeek__mpls-in-vlan.pcap": {
        "reason": _NO_HANDSHAKE,
        "missing": [
            "http TCP 65.65.65.65:80 <-> 65.65.65.65:19244 request GET /" + "A" * 48,
            "http TCP 65.65.65.65:80 <-> 65.65.65.65:61193 request GET /" + "A" * 179,
        ],
    },
}
