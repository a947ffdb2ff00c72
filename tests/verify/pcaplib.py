"""Small pcap/pcapng helpers for the verify and fuzz tiers (standard library only).

read_frames(path)      -> iterator of (linktype, frame bytes) for pcap and pcapng files
write_pcap(path, ...)  -> classic pcap writer, including deliberately broken records
Packet builders (ethernet, ipv4, ipv6, udp, tcp, gtpu, gre) produce valid headers with
correct lengths and checksums, so a test input differs from a good packet only where
the test means it to.
"""

import struct

LINKTYPE_ETHERNET = 1
LINKTYPE_RAW = 101
LINKTYPE_LINUX_SLL = 113
LINKTYPE_LINUX_SLL2 = 276
LINKTYPE_NULL = 0
LINKTYPE_LOOP = 108
LINKTYPE_PPP = 9


# ---------------------------------------------------------------- reading

def _read_pcap(f, magic):
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    else:
        endian = ">"
    header = f.read(20)
    if len(header) < 20:
        return
    _vmaj, _vmin, _zone, _sig, _snap, linktype = struct.unpack(endian + "HHiIII", header)
    linktype &= 0xFFFF
    while True:
        rec = f.read(16)
        if len(rec) < 16:
            return
        _sec, _usec, caplen, _wirelen = struct.unpack(endian + "IIII", rec)
        data = f.read(caplen)
        if len(data) < caplen:
            return
        yield linktype, data


def _read_pcapng(f):
    endian = "<"
    links = []
    first = True
    while True:
        head = f.read(8)
        if len(head) < 8:
            return
        if first or head[:4] == b"\x0a\x0d\x0d\x0a":
            # Section header: byte order comes from the magic that follows.
            bom = f.read(4)
            endian = "<" if bom == b"\x4d\x3c\x2b\x1a" else ">"
            block_type, block_len = struct.unpack(endian + "II", head)
            body = f.read(block_len - 12)
            links = []
            first = False
            continue
        block_type, block_len = struct.unpack(endian + "II", head)
        if block_len < 12:
            return
        body = f.read(block_len - 8)
        if len(body) < block_len - 8:
            return
        if block_type == 1:  # interface description
            links.append(struct.unpack(endian + "H", body[:2])[0])
        elif block_type == 6:  # enhanced packet
            iface, _th, _tl, caplen, _wl = struct.unpack(endian + "IIIII", body[:20])
            if iface < len(links):
                yield links[iface], body[20:20 + caplen]
        elif block_type == 3:  # simple packet
            wirelen = struct.unpack(endian + "I", body[:4])[0]
            if links:
                yield links[0], body[4:4 + min(wirelen, len(body) - 8)]


def read_frames(path):
    """Yields (linktype, frame) for every record of a pcap or pcapng file."""
    with open(path, "rb") as f:
        magic = f.read(4)
        if magic == b"\x0a\x0d\x0d\x0a":
            f.seek(0)
            yield from _read_pcapng(f)
        elif magic in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1",
                       b"\xa1\xb2\x3c\x4d"):
            yield from _read_pcap(f, magic)


# ---------------------------------------------------------------- writing

def pcap_header(linktype=LINKTYPE_ETHERNET, snaplen=262144):
    return struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype)


def pcap_record(frame, ts=1700000000.0, caplen=None, wirelen=None):
    sec = int(ts)
    usec = int(round((ts - sec) * 1e6))
    caplen = len(frame) if caplen is None else caplen
    wirelen = len(frame) if wirelen is None else wirelen
    return struct.pack("<IIII", sec, usec, caplen, wirelen) + frame


def write_pcap(path, frames, linktype=LINKTYPE_ETHERNET, start=1700000000.0, step=0.001,
               snaplen=262144):
    """frames: iterable of bytes (or (ts, bytes)). Returns the number of records."""
    n = 0
    with open(path, "wb") as f:
        f.write(pcap_header(linktype, snaplen))
        for i, item in enumerate(frames):
            if isinstance(item, tuple):
                ts, frame = item
            else:
                ts, frame = start + i * step, item
            f.write(pcap_record(frame, ts))
            n += 1
    return n


# ---------------------------------------------------------------- building

def checksum(data):
    if len(data) % 2:
        data += b"\x00"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ip4(text):
    return bytes(int(x) for x in text.split("."))


def ip6(text):
    import ipaddress
    return ipaddress.IPv6Address(text).packed


def ethernet(payload, ethertype=0x0800, src=b"\x00\x11\x22\x33\x44\x55",
             dst=b"\x00\x66\x77\x88\x99\xaa"):
    return dst + src + struct.pack("!H", ethertype) + payload


def ipv4(payload, proto, src="10.0.0.1", dst="10.0.0.2", ttl=64, ident=1, flags_frag=0x4000):
    total = 20 + len(payload)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, ident, flags_frag, ttl, proto, 0,
                      ip4(src), ip4(dst))
    hdr = hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:]
    return hdr + payload


def ipv6(payload, next_header, src="2001:db8::1", dst="2001:db8::2", hop_limit=64):
    return struct.pack("!IHBB", 6 << 28, len(payload), next_header, hop_limit) + ip6(src) + \
        ip6(dst) + payload


def _pseudo4(src, dst, proto, length):
    return ip4(src) + ip4(dst) + struct.pack("!BBH", 0, proto, length)


def udp(payload, sport, dport, src="10.0.0.1", dst="10.0.0.2"):
    length = 8 + len(payload)
    hdr = struct.pack("!HHHH", sport, dport, length, 0)
    c = checksum(_pseudo4(src, dst, 17, length) + hdr + payload) or 0xFFFF
    return struct.pack("!HHHH", sport, dport, length, c) + payload


def tcp(payload, sport, dport, seq=1, ack=0, flags=0x02, src="10.0.0.1", dst="10.0.0.2",
        window=65535):
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, window, 0, 0)
    c = checksum(_pseudo4(src, dst, 6, len(hdr) + len(payload)) + hdr + payload)
    return hdr[:16] + struct.pack("!H", c) + hdr[18:] + payload


def gtpu(inner, teid=1):
    """GTPv1-U G-PDU (flags 0x30, type 0xff) carrying an IP packet."""
    return struct.pack("!BBHI", 0x30, 0xFF, len(inner), teid) + inner


def gre(inner, proto=0x0800):
    """Plain GRE (no options) carrying `proto`."""
    return struct.pack("!HH", 0, proto) + inner


def tcp_ipv4_frame(src="10.0.0.1", dst="10.0.0.2", sport=40000, dport=80, flags=0x02,
                   payload=b""):
    return ethernet(ipv4(tcp(payload, sport, dport, flags=flags, src=src, dst=dst), 6, src, dst))


def udp_ipv4_frame(src="10.0.0.1", dst="10.0.0.2", sport=40000, dport=53, payload=b"x"):
    return ethernet(ipv4(udp(payload, sport, dport, src, dst), 17, src, dst))


def gtpu_frame(inner_ip, outer_src="192.168.0.1", outer_dst="192.168.0.2", teid=1):
    return ethernet(ipv4(udp(gtpu(inner_ip, teid), 2152, 2152, outer_src, outer_dst), 17,
                         outer_src, outer_dst))


def nested_gtpu_ip(depth, innermost):
    """`depth` GTP-U/UDP/IPv4 layers around the IPv4 packet `innermost`."""
    pkt = innermost
    for i in range(depth):
        src, dst = "172.16.%d.1" % (i % 250), "172.16.%d.2" % (i % 250)
        pkt = ipv4(udp(gtpu(pkt, teid=i + 1), 2152, 2152, src, dst), 17, src, dst)
    return pkt


def nested_gre_ip(depth, innermost):
    """`depth` GRE/IPv4 layers around the IPv4 packet `innermost`."""
    pkt = innermost
    for i in range(depth):
        src, dst = "172.17.%d.1" % (i % 250), "172.17.%d.2" % (i % 250)
        pkt = ipv4(gre(pkt), 47, src, dst)
    return pkt
