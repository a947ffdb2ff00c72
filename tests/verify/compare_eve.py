#!/usr/bin/env python3
"""Compares the flow and anomaly records of two EVE files as multisets.

  compare_eve.py REFERENCE.json OTHER.json [--max N]

Records are compared whole (every field, canonical key order); only the line
order is free, and `stats` records are left out (they describe the run: uptime,
per-thread counters). No other field is dropped: flow_id, community_id,
timestamps (packet time, or the packet clock at which the flow ended), counters
and states must all be the same whatever the run mode or thread count, because
every worker sees the same packet clock (the reader broadcasts time ticks).
Exit 0 when equal, 1 otherwise (differences printed grouped by 5-tuple).
"""

import collections
import json
import sys


def load(path):
    records = collections.Counter()
    with open(path) as f:
        for line in f:
            rec = json.loads(line)
            if rec.get("event_type") in ("flow", "anomaly"):
                records[json.dumps(rec, sort_keys=True, separators=(",", ":"))] += 1
    return records


def tuple_of(text):
    r = json.loads(text)
    return "%s %s:%s -> %s:%s" % (r.get("proto"), r.get("src_ip"), r.get("src_port", ""),
                                  r.get("dest_ip"), r.get("dest_port", ""))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--max")]
    limit = 6
    for a in sys.argv[1:]:
        if a.startswith("--max="):
            limit = int(a.split("=", 1)[1])
    ref, other = load(args[0]), load(args[1])
    only_ref, only_other = ref - other, other - ref
    if not only_ref and not only_other:
        print("equal: %d records" % sum(ref.values()))
        return 0
    print("DIFFERENT: %d records only in the reference, %d only in the other (of %d / %d)"
          % (sum(only_ref.values()), sum(only_other.values()), sum(ref.values()),
             sum(other.values())))
    groups = collections.defaultdict(lambda: ([], []))
    for text in only_ref:
        groups[tuple_of(text)][0].append(text)
    for text in only_other:
        groups[tuple_of(text)][1].append(text)
    for key in sorted(groups)[:limit]:
        print("  %s" % key)
        for text in groups[key][0][:3]:
            print("    reference: " + text[:700])
        for text in groups[key][1][:3]:
            print("    other:     " + text[:700])
    if len(groups) > limit:
        print("  ... %d more 5-tuples differ" % (len(groups) - limit))
    return 1


if __name__ == "__main__":
    sys.exit(main())
