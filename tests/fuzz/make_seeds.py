#!/usr/bin/env python3
"""Builds seed corpora for the fuzz targets.

  make_seeds.py OUT_DIR [CAPTURE_DIR ...]

OUT_DIR/fuzz_decode/  one file per frame: [link selector byte][frame]
OUT_DIR/fuzz_flow/    one file per capture: [selector][secs][len16][frame] records

Frames come from the captures under CAPTURE_DIR (pcap and pcapng; the corpus is
read at run time and never copied into the repository), plus a few hand-built
frames (TCP/IPv4, UDP, GTP-U, GRE, nested tunnels) so the targets have useful
seeds even without the corpus. Seeds are deduplicated by content.
"""

import hashlib
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "verify"))
import pcaplib  # noqa: E402

# Keep in step with tests/fuzz/fuzz_link.h.
SELECTOR = {
    pcaplib.LINKTYPE_ETHERNET: 0,
    12: 1, 14: 1, pcaplib.LINKTYPE_RAW: 1, 228: 1, 229: 1,
    pcaplib.LINKTYPE_LINUX_SLL: 2,
    pcaplib.LINKTYPE_LINUX_SLL2: 3,
    pcaplib.LINKTYPE_NULL: 4,
    pcaplib.LINKTYPE_LOOP: 5,
    pcaplib.LINKTYPE_PPP: 6, 50: 6,
}
MAX_FRAMES_PER_CAPTURE = 40   # distinct frames taken from one capture
MAX_FLOW_RECORDS = 48         # frames per fuzz_flow seed
MAX_FRAME = 65535


def builtin_frames():
    b = pcaplib
    inner_tcp = b.ipv4(b.tcp(b"GET / HTTP/1.1\r\n\r\n", 43000, 80, flags=0x18,
                             src="10.1.0.1", dst="10.1.0.2"), 6, "10.1.0.1", "10.1.0.2")
    inner6 = b.ipv6(b"\x80\x00\x00\x00\x00\x01\x00\x01", 58)
    return [
        (0, b.tcp_ipv4_frame()),
        (0, b.tcp_ipv4_frame(flags=0x12, src="10.0.0.2", dst="10.0.0.1", sport=80, dport=40000)),
        (0, b.udp_ipv4_frame()),
        (0, b.gtpu_frame(inner_tcp)),
        (0, b.gtpu_frame(inner6)),
        (0, b.ethernet(b.ipv4(b.gre(inner_tcp), 47))),
        (0, b.ethernet(b.nested_gtpu_ip(10, inner_tcp))),
        (0, b.ethernet(b.nested_gre_ip(10, inner_tcp))),
        (0, b.ethernet(b.ipv6(b.udp(b"q", 5353, 53), 17), ethertype=0x86DD)),
        (0, b.ethernet(b"\x00\x64\x08\x00" + inner_tcp, ethertype=0x8100)),
        (1, inner_tcp),
        (4, struct.pack("<I", 2) + inner_tcp),
        (5, struct.pack(">I", 2) + inner_tcp),
        (2, struct.pack("!HHH8sH", 0, 1, 6, b"\x00" * 8, 0x0800) + inner_tcp),
        (3, struct.pack("!HHIHBB8s", 0x0800, 0, 1, 1, 0, 6, b"\x00" * 8) + inner_tcp),
        (6, b"\x00\x21" + inner_tcp),
    ]


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = sys.argv[1]
    decode_dir = os.path.join(out, "fuzz_decode")
    flow_dir = os.path.join(out, "fuzz_flow")
    os.makedirs(decode_dir, exist_ok=True)
    os.makedirs(flow_dir, exist_ok=True)

    seen = set()

    def save(directory, blob):
        digest = hashlib.sha1(blob).hexdigest()
        if digest in seen:
            return False
        seen.add(digest)
        with open(os.path.join(directory, digest), "wb") as f:
            f.write(blob)
        return True

    def flow_seed(frames):
        blob = b"".join(struct.pack("!BBH", sel, 1 if i % 8 == 7 else 0, len(fr)) + fr
                        for i, (sel, fr) in enumerate(frames[:MAX_FLOW_RECORDS]))
        if blob:
            save(flow_dir, blob)

    builtin = builtin_frames()
    n_decode = sum(save(decode_dir, bytes([sel]) + fr) for sel, fr in builtin)
    flow_seed(builtin)
    captures = 0
    for root in sys.argv[2:]:
        paths = []
        for dirpath, _dirs, files in os.walk(root):
            for name in files:
                if ".pcap" in name or name.endswith(".cap"):
                    paths.append(os.path.join(dirpath, name))
        for path in sorted(paths):
            frames = []
            try:
                for linktype, frame in pcaplib.read_frames(path):
                    sel = SELECTOR.get(linktype)
                    if sel is None or len(frame) > MAX_FRAME:
                        continue
                    frames.append((sel, frame))
                    if len(frames) >= 4 * MAX_FRAMES_PER_CAPTURE:
                        break
            except (OSError, struct.error):
                continue
            if not frames:
                continue
            captures += 1
            taken = 0
            for sel, frame in frames:
                if taken >= MAX_FRAMES_PER_CAPTURE:
                    break
                taken += save(decode_dir, bytes([sel]) + frame)
            n_decode += taken
            flow_seed(frames)
    n_flow = len(os.listdir(flow_dir))
    print("seeds: %d decode frames, %d flow sequences from %d captures (+ built-in)"
          % (n_decode, n_flow, captures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
