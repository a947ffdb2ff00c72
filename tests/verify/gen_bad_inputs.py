#!/usr/bin/env python3
"""Writes the inputs of test_bad_input.sh into OUT_DIR (python3 struct only).

  gen_bad_inputs.py OUT_DIR
"""

import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pcaplib as pl  # noqa: E402


def udp_frames(n, base_port=20000):
    """n packets, each its own UDP flow (distinct source ports)."""
    return [pl.udp_ipv4_frame(sport=base_port + i, dport=53, payload=b"q" * 20) for i in range(n)]


def main():
    out = sys.argv[1]
    os.makedirs(os.path.join(out, "dir"), exist_ok=True)
    rng = random.Random(1234)

    open(os.path.join(out, "empty.pcap"), "wb").close()

    with open(os.path.join(out, "garbage.pcap"), "wb") as f:
        f.write(bytes(rng.randrange(256) for _ in range(4096)))

    # 10 records, cut in the middle of record 7 (6 complete records remain).
    full = os.path.join(out, "full.pcap")
    pl.write_pcap(full, udp_frames(10))
    with open(full, "rb") as f:
        data = f.read()
    rec_len = 16 + len(udp_frames(1)[0])
    cut = 24 + 6 * rec_len + 16 + 10
    with open(os.path.join(out, "truncated.pcap"), "wb") as f:
        f.write(data[:cut])
    os.remove(full)

    good = udp_frames(2, base_port=30000)
    with open(os.path.join(out, "zero_len.pcap"), "wb") as f:
        f.write(pl.pcap_header())
        f.write(pl.pcap_record(good[0], 1700000000.0))
        f.write(pl.pcap_record(b"", 1700000000.1, caplen=0, wirelen=60))
        f.write(pl.pcap_record(good[1], 1700000000.2))

    with open(os.path.join(out, "oversize.pcap"), "wb") as f:
        f.write(pl.pcap_header())
        f.write(pl.pcap_record(good[0], 1700000000.0))
        big = 300000
        f.write(pl.pcap_record(b"\x00" * big, 1700000000.1, caplen=big, wirelen=big))
        f.write(pl.pcap_record(good[1], 1700000000.2))

    # snaplen 64, but the record holds the whole 80-byte frame.
    frame = pl.udp_ipv4_frame(sport=40000, payload=b"z" * 38)
    with open(os.path.join(out, "over_snaplen.pcap"), "wb") as f:
        f.write(pl.pcap_header(snaplen=64))
        f.write(pl.pcap_record(frame, 1700000000.0))

    inner = pl.ipv4(pl.udp(b"hello", 1111, 2222, "10.9.9.1", "10.9.9.2"), 17, "10.9.9.1", "10.9.9.2")
    pl.write_pcap(os.path.join(out, "nested_gtpu.pcap"), [pl.ethernet(pl.nested_gtpu_ip(1000, inner))])
    pl.write_pcap(os.path.join(out, "nested_gre.pcap"), [pl.ethernet(pl.nested_gre_ip(1000, inner))])

    # Name order: a_good, b_garbage, c_good.
    pl.write_pcap(os.path.join(out, "dir", "a_good.pcap"), udp_frames(1, base_port=41000))
    with open(os.path.join(out, "dir", "b_garbage.pcap"), "wb") as f:
        f.write(bytes(rng.randrange(256) for _ in range(512)))
    pl.write_pcap(os.path.join(out, "dir", "c_good.pcap"), udp_frames(1, base_port=42000))

    pl.write_pcap(os.path.join(out, "bad_link.pcap"), udp_frames(1), linktype=147)
    return 0


if __name__ == "__main__":
    sys.exit(main())
