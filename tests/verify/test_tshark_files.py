#!/usr/bin/env python3
"""Differential test: Seawall's EVE `fileinfo` records against tshark's HTTP objects.

  test_tshark_files.py BUILD_DIR

For each capture below, `tshark --export-objects http` writes every HTTP body it
reassembled (de-chunked, decompressed) as a file named after the last segment of
the request path, and Seawall (--runmode single, no rules, files with
force-hash md5 + sha256) logs one `fileinfo` record per HTTP file. Compared as
multisets of (name, size, md5, sha256), the digests of tshark's side computed
over the exported bytes:

* tshark's name: the exported file name with its percent-escapes undone ("%2f" is
  "/", the name of a path ending in "/"), without the " (n)" / "(n)" suffix tshark
  adds to repeated names and without a query ("?...").
* Seawall's name: the last segment of fileinfo.filename, or "/" when the path
  ends with "/".

The captures are plain HTTP/1.1 exchanges (no Content-Disposition, no multipart
upload, no Content-Encoding), where both tools mean the same thing by "the
file": the response body. Where tshark splits one body into several objects
(TOTAL_ONLY), only the total size is compared.

Exit 77 (skipped) without the corpus or tshark.
"""
import collections
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.environ.get("SEAWALL_CORPUS", os.path.join(HERE, "..", "..", "..", "shared", "corpus"))

CAPTURES = [
    "pcaps/tunnels/zeek__http-qinq-0.pcap",
    "pcaps/tunnels/zeek__vlan-qinqinq.pcap",
    "pcaps/tunnels/zeek__vxlan-encapsulated-http.pcap",
    "pcaps/tunnels/zeek__ayiya3.pcap",
    "pcaps/tunnels/zeek__gre-over-udp-4754.pcap",
    "pcaps/tunnels/arkime__gre-erspan-vxlan.pcap",
    "pcaps/gtp/zeek__gtp2_different_udp_port.pcap",
    "pcaps/tunnels/zeek__mixed-vlan-mpls.pcap",
    "suricata-verify/tests/http-ipv6/input.pcap",
    "suricata-verify/tests/bug-3286-01-no-evasion/without_evasion.pcap",
]
# tshark exports this capture's one 3429-byte response body as three objects
# (1428 + 1428 + 573): only the totals are compared.
TOTAL_ONLY = {"pcaps/tunnels/zeek__mixed-vlan-mpls.pcap"}


def tshark_objects(capture, outdir):
    subprocess.run(["tshark", "-r", capture, "-q", "--export-objects", "http," + outdir],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    items = []
    for name in os.listdir(outdir):
        name_on_disk = name
        size = os.path.getsize(os.path.join(outdir, name))
        name = re.sub(r"\s*\(\d+\)$", "", name)
        name = re.sub(r"\(\d+\)(\.[^.]*)?$", lambda m: m.group(1) or "", name)
        name = urllib.parse.unquote(name).split("?", 1)[0]
        with open(os.path.join(outdir, name_on_disk), "rb") as f:
            data = f.read()
        items.append((name, size, hashlib.md5(data).hexdigest(), hashlib.sha256(data).hexdigest()))
    return items


CONFIG = """%YAML 1.1
---
outputs:
  - eve-log:
      enabled: yes
      filename: eve.json
      types:
        - files:
            force-hash: [md5, sha256]
"""


def seawall_files(seawall, capture, logdir):
    config = os.path.join(logdir, "seawall.yaml")
    with open(config, "w") as f:
        f.write(CONFIG)
    subprocess.run([seawall, "-c", config, "--runmode", "single", "-k", "none", "-r", capture,
                    "-l", logdir],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    items = []
    with open(os.path.join(logdir, "eve.json")) as f:
        for line in f:
            rec = json.loads(line)
            if rec.get("event_type") != "fileinfo":
                continue
            info = rec["fileinfo"]
            path = info["filename"]
            name = "/" if path.endswith("/") else path.rsplit("/", 1)[-1]
            items.append((name, info["size"], info.get("md5"), info.get("sha256")))
    return items


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    seawall = os.path.join(sys.argv[1], "seawall")
    if not os.access(seawall, os.X_OK):
        print(f"FAIL: {seawall} not built")
        return 1
    if shutil.which("tshark") is None:
        print("SKIP: tshark not installed")
        return 77
    if not os.path.isdir(os.path.join(CORPUS, "pcaps")):
        print(f"SKIP: corpus not found at {CORPUS}")
        return 77
    failures = 0
    compared = 0
    for rel in CAPTURES:
        capture = os.path.join(CORPUS, rel)
        if not os.path.exists(capture):
            print(f"skip {rel}: not in this corpus")
            continue
        with tempfile.TemporaryDirectory() as tdir:
            objdir = os.path.join(tdir, "objects")
            logdir = os.path.join(tdir, "log")
            os.mkdir(objdir)
            os.mkdir(logdir)
            want = tshark_objects(capture, objdir)
            got = seawall_files(seawall, capture, logdir)
        if not want:
            print(f"FAIL {rel}: tshark exported nothing (the capture list needs HTTP bodies)")
            failures += 1
            continue
        compared += 1
        if rel in TOTAL_ONLY:
            ok = bool(got) and sum(i[1] for i in want) == sum(i[1] for i in got)
        else:
            ok = collections.Counter(want) == collections.Counter(got)
        status = "ok  " if ok else "FAIL"
        def brief(items):
            return sorted((i[0], i[1], (i[2] or "-")[:8]) for i in items)
        print(f"{status} {rel}: tshark {brief(want)} seawall {brief(got)}")
        failures += 0 if ok else 1
    print(f"{compared} captures compared, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
