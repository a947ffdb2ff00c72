#!/usr/bin/python3
"""Run Suricata's own verification tests (suricata-verify) against Seawall.

  suricata_verify.py BUILD_DIR [--only NAME]... [--verbose] [--update-baseline]
  suricata_verify.py --self-test

The cases are the 771 names of ../shared/corpus/suricata-verify/DEV_TESTS.txt
(tests/<name>/test.yaml + rules + pcap, copied unchanged from OISF/suricata-verify).
Each case is run and judged the way suricata-verify's run.py does it:

* requires: min-version / lt-version / gt-version / version / features /
  not-features / command / env / files / script / lambda / os / arch / pcap; an unmet
  requirement SKIPs the case.
  Seawall answers as Suricata-compatible version 8.0.2; its features are the
  words of the "Features:" line of `seawall --build-info` (plus "X support: yes"
  lines, as run.py reads them), so any Suricata build feature (HAVE_JA3, ...) is
  missing and the case is skipped with that reason. `skip:` entries likewise.
* command line, as run.py builds it: test `args:` (split on whitespace, ${VAR}
  substituted from the environment with TEST_DIR/OUTPUT_DIR/SRCDIR/TZ), then
  --set classification-file / reference-config-file (the corpus' suricata-etc
  copies), -l OUTDIR, --simulate-ips when the test name contains "ips", -c the
  test's suricata.yaml (none: Seawall's built-in defaults stand in for
  Suricata's stock suricata.yaml), -r the `pcap:` key or the single pcap of the
  folder, -S the single *.rules file (none: --disable-detection; a file named
  minX.rules only for versions >= X; firewall.rules: --firewall-rules-exclusive).
  Seawall always runs with --runmode single (placed first, so a test's own
  --runmode wins). `command:` tests are skipped.
* --init-errors-fatal (run.py always passes it; Seawall has no such option) is
  emulated: a rule listed in OUTDIR/rules-failed.json makes the exit code 1,
  as Suricata would exit, so the case fails on the expected exit code (0 unless
  `exit-code:` says otherwise) with the rule's error as the reason.
* An option Seawall does not know (it exits 2 with "unknown option") SKIPs the
  case with "unsupported option X" (--firewall-rules-exclusive,
  ...). A suricata.yaml or --set value Seawall rejects FAILs the case with
  "config not accepted: <message>" -- the test configurations are valid for
  Suricata, so a rejection is a compatibility bug -- unless the message says the
  feature is unsupported, which is a declared limitation and SKIPs the case.
  An include: of a file the corpus copy does not carry (upstream's etc/) SKIPs.
* checks: filter (count of EVE records matching every key: dotted paths, [i]
  indexes, __len, __contains/__find/__startswith/__endswith, numeric
  __gt/__gte/__lt/__lte, has-key / not-has-key (one or a list), optional
  filename, per-check requires; matching as in suricata-verify's current
  lib/checks.py), stats (the last stats record), shell and file-compare
  (not run here: the check is skipped). As in run.py a case FAILs when a check
  fails, is SKIPPED when every check was skipped, and PASSes otherwise (some
  checks may have been skipped: --verbose lists them).

Output: one line per case (PASS name / FAIL name: <first failed check> /
SKIP name: <reason>), a summary by reason, REGRESSION lines, and the closing
line "N passed, N failed, N skipped". The baseline (suricata-verify-baseline.txt)
lists the cases that pass; the exit code is 1 when one of them does not pass,
0 otherwise (other failures are reported only), 77 when the corpus is absent.
"""

import argparse
import collections
import concurrent.futures
import glob
import json
import os
import platform
import re
import shutil
import string
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BASELINE = os.path.join(HERE, "suricata-verify-baseline.txt")
SKIP_EXIT = 77
SURICATA_COMPAT_VERSION = "8.0.2"
DEFAULT_JOBS = 2
DEFAULT_TIMEOUT = 60  # seconds per case (run.py allows 300; our captures are small)

try:
    import yaml
except ImportError:  # reported by main(); --self-test needs it too
    yaml = None


def corpus_dir():
    return os.path.realpath(os.environ.get(
        "SEAWALL_CORPUS", os.path.join(HERE, "..", "..", "..", "shared", "corpus")))


# ---------------------------------------------------------------- outcomes

class TestError(Exception):
    """A check or the run failed (run.py: TestError)."""


class Unsatisfied(Exception):
    """A requirement is not met: skip (run.py: UnsatisfiedRequirementError)."""


# ---------------------------------------------------------------- versions (run.py)

class SuricataVersion(collections.namedtuple("SuricataVersion", "major minor patch")):
    pass


def parse_suricata_version(buf, expr=None):
    m = re.search(r"(?:Suricata version |^)(\d+)\.?(\d+)?\.?(\d+)?.*", str(buf).strip())
    if not m:
        return None
    default = None if expr == "equal" else 0
    return SuricataVersion(*(int(g) if g else default for g in m.groups()))


def version_is_equal(a, b):
    if a.major != b.major:
        return False
    if a.minor is not None and b.minor is not None and a.minor != b.minor:
        return False
    if a.patch is not None and b.patch is not None and a.patch != b.patch:
        return False
    return True


def version_is_gte(v1, v2):
    return (v1.major, v1.minor, v1.patch) >= (v2.major, v2.minor, v2.patch)


def version_is_gt(v1, v2):
    return (v1.major, v1.minor, v1.patch) > (v2.major, v2.minor, v2.patch)


def version_is_lt(v1, v2):
    # run.py's is_lt compares minor/patch without requiring the higher parts to
    # be equal; kept as is so that verdicts match (no difference at X.0.0).
    if v1.major > v2.major:
        return False
    if v1.major < v2.major:
        return True
    if v1.minor < v2.minor:
        return True
    if v1.patch < v2.patch:
        return True
    return False


VERSION_TESTS = {"equal": version_is_equal, "gte": version_is_gte, "gt": version_is_gt,
                 "lt": version_is_lt}


def is_version_compatible(version, suri_version, expr):
    return VERSION_TESTS[expr](suri_version, parse_suricata_version(version, expr))


def rule_is_version_compatible(rulefile, suri_version):
    if rulefile.startswith("min"):  # minX.rules: only for versions >= X
        return is_version_compatible(rulefile[3:-6], suri_version, "gte")
    return True


# ---------------------------------------------------------------- engine description

class Engine:
    """What run.py learns from `suricata -V` / `--build-info` / `--dump-config`."""

    def __init__(self, binary, features, version=SURICATA_COMPAT_VERSION):
        self.binary = binary
        self.version = parse_suricata_version(version)
        self.features = set(features)

    @staticmethod
    def parse_build_info(text):
        features = set()
        start_support = False
        for line in text.splitlines():
            if line.startswith("Features:"):
                features = set(line.split()[1:])
            if "Suricata Configuration" in line:
                start_support = True
            if start_support and " support:" in line:
                key, val = line.split(" support:", 1)
                if val.strip().startswith("yes"):
                    features.add(key.strip())
        return features

    def has_feature(self, feature):
        return feature in self.features


def check_requires(requires, engine, test_dir=None):
    if not isinstance(requires, dict):
        raise TestError("requires must be a mapping")
    for command in requires.get("command") or []:
        if shutil.which(command) is None:
            raise Unsatisfied("requires command {}".format(command))
    if "gt-version" in requires and "lt-version" in requires and not version_is_lt(
            parse_suricata_version(requires["gt-version"], "lt"),
            parse_suricata_version(requires["lt-version"], "lt")):
        raise TestError("test has both lt-version {} and gt-version {}".format(
            requires["lt-version"], requires["gt-version"]))
    for key in requires:
        value = requires[key]
        if key == "min-version":
            if not is_version_compatible(value, engine.version, "gte"):
                raise Unsatisfied("requires at least version {}".format(value))
        elif key == "lt-version":
            if not is_version_compatible(value, engine.version, "lt"):
                raise Unsatisfied("for version less than {}".format(value))
        elif key == "gt-version":
            if not is_version_compatible(value, engine.version, "gt"):
                raise Unsatisfied("for version greater than {}".format(value))
        elif key == "version":
            if not is_version_compatible(value, engine.version, "equal"):
                raise Unsatisfied("only for version {}".format(value))
        elif key == "features":
            for feature in value:
                if not engine.has_feature(feature):
                    raise Unsatisfied("requires feature {}".format(feature))
        elif key == "not-features":
            # Older suricata-verify (README): a mapping feature -> reason, or a list.
            items = value.items() if isinstance(value, dict) else [(f, None) for f in value]
            for feature, why in items:
                if engine.has_feature(feature):
                    raise Unsatisfied(why or "not for feature {}".format(feature))
        elif key == "env":
            for env in value:
                if env not in os.environ:
                    raise Unsatisfied("requires env var {}".format(env))
        elif key == "files":
            for filename in value:
                if test_dir and not os.path.isabs(filename):
                    filename = os.path.join(test_dir, filename)
                if not os.path.exists(filename):
                    raise Unsatisfied("requires file {}".format(filename))
        elif key == "script":
            # run.py runs these in the Suricata source tree (e.g. grep a symbol in
            # src/*.h); there is none here, so they run in an empty directory.
            for script in value:
                with tempfile.TemporaryDirectory(prefix="sv-script-") as empty:
                    try:
                        ok = subprocess.run(str(script), shell=True, cwd=empty, timeout=30,
                                            stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL).returncode == 0
                    except subprocess.TimeoutExpired:
                        ok = False
                if not ok:
                    raise Unsatisfied("requires script returned false")
        elif key in ("pcap", "command"):
            pass  # pcap: handled by the caller; command: checked above
        elif key == "lambda":
            if not eval(value, {"os": os, "platform": platform, "sys": sys}):  # as run.py
                raise Unsatisfied(value)
        elif key == "os":
            if not platform.system().lower().startswith(str(value).lower()):
                raise Unsatisfied(value)
        elif key == "arch":
            if not platform.machine().lower().startswith(str(value).lower()):
                raise Unsatisfied(value)
        else:
            raise TestError("unknown requires type: {}".format(key))


def check_filter_test_version_compat(requires, test_version):
    # run.py's lint of per-check version requirements; it fails the test.
    for key in requires:
        if key == "lt-version" and "min" in test_version:
            if not is_version_compatible(requires["lt-version"],
                                         parse_suricata_version(test_version["min"]), "lt"):
                raise TestError("internal error: test requires min {} check requires "
                                "lt-version {}".format(test_version["min"],
                                                       requires["lt-version"]))
        elif key == "min-version" and "min" in test_version:
            if requires["min-version"] == test_version["min"]:
                raise TestError("internal error: test already requires min {} not needed "
                                "for the check".format(test_version["min"]))


# ---------------------------------------------------------------- checks (run.py)

# Matching follows the current suricata-verify check library (lib/checks.py):
# operators are None-safe, has-key takes a list, numeric __gt/__gte/__lt/__lte.
MATCH_OPERATORS = ("__contains", "__find", "__startswith", "__endswith")
COMPARISON_OPERATORS = {"__gt": ">", "__gte": ">=", "__lt": "<", "__lte": "<="}
OPERATOR_SUFFIXES = set(MATCH_OPERATORS) | set(COMPARISON_OPERATORS)
FILTER_KEYS = ("count", "match", "filename", "requires", "comment",
               "version", "min-version", "lt-version", "feature")  # last 4: older run.py


def find_value(name, obj):
    """Value at a dotted path ("alert.signature_id", "smtp.rcpt_to[0]",
    "dns.answers.__len"); None when absent."""
    for part in name.split("."):
        if part == "__len":
            try:
                return len(obj)
            except TypeError:
                return -1
        if part in OPERATOR_SUFFIXES:
            break  # the caller applies the operator to the object found so far
        index = None
        m = re.match(r"^(.*)\[(\d+)\]$", part)
        if m:
            part, index = m.group(1), m.group(2)
        if not isinstance(obj, dict) or part not in obj:
            return None
        obj = obj[part]
        if index is not None:
            try:
                obj = obj[int(index)]
            except (IndexError, KeyError, TypeError):
                return None
    return obj


def comparison_operator(key):
    suffix = key.rsplit(".", 1)[-1]
    return suffix if suffix in COMPARISON_OPERATORS else None


def compare_values(actual, expected, operator):
    if isinstance(actual, bool) or isinstance(expected, bool):
        return False
    if not isinstance(actual, (int, float)) or not isinstance(expected, (int, float)):
        return False
    return {"__gt": actual > expected, "__gte": actual >= expected,
            "__lt": actual < expected, "__lte": actual <= expected}[operator]


def as_list(value):
    return value if isinstance(value, list) else [value]


def contains(value, expected):
    if value is None:
        return False
    try:
        return expected in value
    except TypeError:
        return False


def filter_matches(match, event):
    for key, expected in match.items():
        if key == "has-key":
            if any(find_value(item, event) is None for item in as_list(expected)):
                return False
        elif key == "not-has-key":
            if any(find_value(item, event) is not None for item in as_list(expected)):
                return False
        else:
            val = find_value(key, event)
            if key.endswith("__find"):
                if val is None or str(val).find(str(expected)) < 0:
                    return False
            elif key.endswith("__contains"):
                if not contains(val, expected):
                    return False
            elif key.endswith("__startswith"):
                if val is None or not str(val).startswith(str(expected)):
                    return False
            elif key.endswith("__endswith"):
                if val is None or not str(val).endswith(str(expected)):
                    return False
            elif comparison_operator(key):
                if not compare_values(val, expected, comparison_operator(key)):
                    return False
            elif val != expected:
                return False
    return True


def read_events(path, skip_bad=False):
    events = []
    with open(path, "r", encoding="utf-8", errors="strict") as f:
        for lineno, line in enumerate(f, 1):
            try:
                events.append(json.loads(line))
            except ValueError as e:
                if skip_bad:
                    continue
                raise TestError("filter check failed for {}: line {}: {}".format(
                    os.path.basename(path), lineno, e))
    return events


def describe_match(match):
    return " ".join("{}={}".format(k, json.dumps(v)) for k, v in match.items())


def near_misses(match, events, limit=5):
    """For --verbose: what the records of the same event_type hold at the match keys."""
    event_type = match.get("event_type")
    seen = []
    for ev in events:
        if event_type is not None and ev.get("event_type") != event_type:
            continue
        values = {}
        if event_type == "alert":  # which rule, whatever the filter asked
            values["alert.signature_id"] = find_value("alert.signature_id", ev)
            values["alert.signature"] = find_value("alert.signature", ev)
        for key in match:
            for path in as_list(match[key] if key in ("has-key", "not-has-key") else key):
                for op in OPERATOR_SUFFIXES:
                    if str(path).endswith("." + op):
                        path = path[:-len(op) - 1]
                values[path] = find_value(str(path), ev)
        seen.append(values)
        if len(seen) >= limit:
            break
    return seen


def run_filter_check(cfg, outdir, engine, test_version, details, test_dir=None):
    for key in cfg:
        if key not in FILTER_KEYS:
            raise TestError("Unexpected key in filter check: {}".format(key))
    for key in ("count", "match"):
        if key not in cfg:
            raise TestError("filter check missing {}".format(key))
    requires = dict(cfg.get("requires") or {})
    for key in ("version", "min-version", "lt-version"):
        if cfg.get(key) is not None:
            requires[key] = cfg[key]
    check_filter_test_version_compat(requires, test_version)
    if cfg.get("feature") is not None:
        requires["features"] = [cfg["feature"]]
    check_requires(requires, engine, test_dir)

    filename = os.path.join(outdir, cfg.get("filename", "eve.json"))
    if not os.path.exists(filename):
        raise TestError("{} does not exist".format(cfg.get("filename", "eve.json")))
    try:
        events = read_events(filename)
    except UnicodeDecodeError as e:
        raise TestError("filter check failed for {}: {}".format(cfg.get("filename", "eve.json"), e))
    match = cfg.get("match") or {}
    count = 0
    for ev in events:
        try:
            if filter_matches(match, ev):
                count += 1
        except Exception as e:  # e.g. a non-numeric __len on a record
            raise TestError("filter check failed: {}: {} on {}".format(
                type(e).__name__, e, describe_match(match)))
    if count == cfg["count"]:
        return
    label = cfg["comment"] + ": " if "comment" in cfg else ""
    details.append("      values seen in the first {} records{}: {}".format(
        5, " of event_type " + str(match["event_type"]) if "event_type" in match else "",
        json.dumps(near_misses(match, events), default=str)))
    raise TestError("{}expected {}, got {}: {}".format(label, cfg["count"], count,
                                                       describe_match(match)))


def run_stats_check(cfg, outdir, details):
    stats = None
    path = os.path.join(outdir, "eve.json")
    if not os.path.exists(path):
        raise TestError("eve.json not found")
    for ev in read_events(path, skip_bad=True):
        if isinstance(ev, dict) and ev.get("event_type") == "stats":
            stats = ev.get("stats")
    if stats is None:
        raise TestError("no stats event found in eve.json")
    failures = []
    for key, expected in cfg.items():
        val = find_value(key, stats)
        op = comparison_operator(key)
        if op is not None:
            if not compare_values(val, expected, op):
                failures.append("stats.{}: expected {} {}; got {}".format(
                    key, COMPARISON_OPERATORS[op], expected, val))
        elif val != expected:
            failures.append("stats.{}: expected {}; got {}".format(key, expected, val))
    if failures:
        details.extend("    " + f for f in failures[1:])
        raise TestError(failures[0])


def run_shell_check(cfg, engine):
    if not cfg or "args" not in cfg:
        raise TestError("shell check missing args")
    check_requires({k: cfg[k] for k in ("version", "min-version", "lt-version")
                    if cfg.get(k) is not None}, engine)
    raise Unsatisfied("shell check not run")


def run_checks(config, outdir, engine, test_version, details, test_dir=None):
    """Returns (success, failure, skipped, first failure message, skip reasons)."""
    success = failure = 0
    skipped = []
    first_failure = None
    for num, check in enumerate(config.get("checks") or [], 1):
        for kind in check:
            mark = len(details)  # a failure's own message goes before its details
            try:
                if kind == "filter":
                    run_filter_check(check[kind], outdir, engine, test_version, details,
                                     test_dir)
                elif kind == "stats":
                    run_stats_check(check[kind], outdir, details)
                elif kind == "shell":
                    run_shell_check(check[kind], engine)
                elif kind == "file-compare":
                    raise Unsatisfied("file-compare check not run")
                else:
                    details.append("    check {}: unknown check type {} (ignored, as "
                                   "run.py does)".format(num, kind))
                    continue
                success += 1
            except Unsatisfied as e:
                skipped.append(str(e))
                details.append("    check {} ({}): skipped: {}".format(num, kind, e))
            except TestError as e:
                failure += 1
                msg = "check {} ({}): {}".format(num, kind, e)
                details.insert(mark, "    " + msg)
                if first_failure is None:
                    first_failure = msg
                if str(e).startswith("internal error"):
                    # run.py raises these out of the checking: it ends there.
                    return success, failure, skipped, first_failure
    return success, failure, skipped, first_failure


# ---------------------------------------------------------------- one case

def load_test_yaml(directory):
    path = os.path.join(directory, "test.yaml")
    if not os.path.exists(path):
        return {}
    try:
        with open(path, "rb") as f:
            return yaml.safe_load(f) or {}
    except yaml.YAMLError as e:
        raise TestError("test.yaml: {}".format(str(e).splitlines()[0]))


def flatten_config(node, prefix="", out=None):
    """suricata --dump-config style keys (a.b.0.c = value) for `skip: config`."""
    out = {} if out is None else out
    if isinstance(node, dict):
        for k, v in node.items():
            flatten_config(v, "{}{}".format(prefix + "." if prefix else "", k), out)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            flatten_config(v, "{}{}".format(prefix + "." if prefix else "", i), out)
    else:
        out[prefix] = "yes" if node is True else "no" if node is False else str(node)
    return out


def check_skip(config, directory, engine):
    skip = config.get("skip")
    if skip is None:
        return
    if isinstance(skip, bool):
        if skip:
            raise Unsatisfied("skipped by default")
        return
    dumped = None
    for entry in skip:
        if "uid" in entry and os.getuid() == entry["uid"]:
            raise Unsatisfied(entry.get("msg", "not for uid {}".format(entry["uid"])))
        if "feature" in entry and engine.has_feature(entry["feature"]):
            raise Unsatisfied(entry.get("msg", "not for feature {}".format(entry["feature"])))
        if "config" in entry:
            # Seawall has no --dump-config: the test's own suricata.yaml stands in.
            if dumped is None:
                dumped = {}
                path = os.path.join(directory, "suricata.yaml")
                if os.path.exists(path):
                    try:
                        with open(path, "rb") as f:
                            dumped = flatten_config(yaml.safe_load(f) or {})
                    except yaml.YAMLError:
                        dumped = {}
            for pattern, need in entry["config"].items():
                for key, val in dumped.items():
                    if re.match(pattern, key) and str(need) == str(val):
                        raise Unsatisfied("not for {} = {}".format(key, need))


def build_args(name, directory, outdir, config, engine, env):
    args = [engine.binary, "--runmode", "single"]
    for arg in config.get("args") or []:
        args += re.split(r"\s", str(arg))
    etc = os.path.join(corpus_dir(), "suricata-etc")
    for key, fname in (("classification-file", "classification.config"),
                       ("reference-config-file", "reference.config")):
        if os.path.exists(os.path.join(etc, fname)):
            args += ["--set", "{}={}".format(key, os.path.realpath(os.path.join(etc, fname)))]
    args += ["-l", outdir]
    if "ips" in os.path.basename(name):
        args.append("--simulate-ips")
    yaml_path = os.path.join(directory, "suricata.yaml")
    if os.path.exists(yaml_path):
        args += ["-c", yaml_path]

    if "pcap" in config:
        pcap = os.path.join(directory, str(config["pcap"]))
        if not os.path.exists(pcap):
            raise TestError("PCAP filename does not exist: {}".format(config["pcap"]))
        args += ["-r", os.path.realpath(pcap)]
    else:
        pcaps = glob.glob(os.path.join(directory, "*.pcap"))
        pcaps += glob.glob(os.path.join(directory, "*.pcapng"))
        if len(pcaps) > 1:
            raise TestError("More than 1 pcap file found")
        if pcaps:
            args += ["-r", pcaps[0]]

    rules = sorted(glob.glob(os.path.join(directory, "*.rules")))
    if not rules:
        args.append("--disable-detection")
    elif len(rules) == 1:
        if rules[0].endswith("firewall.rules"):
            args += ["--firewall-rules-exclusive", rules[0]]
        elif rule_is_version_compatible(os.path.basename(rules[0]), engine.version):
            args += ["-S", rules[0]]
        else:
            args.append("--disable-detection")
    elif len(rules) == 2 and rules[0].endswith("firewall.rules") \
            and rules[1].endswith("td.rules"):
        args += ["--firewall-rules-exclusive", rules[0], "-S", rules[1]]
    elif len(rules) == 2:
        raise TestError("multi rule file should have firewall.rules and td.rules")
    else:
        raise TestError("More than 1 rule file found")

    safe_env = {k: str(v) for k, v in env.items()}
    try:
        return [string.Template(a).substitute(safe_env) for a in args]
    except (KeyError, ValueError) as e:
        raise TestError("args: cannot substitute {}".format(e))


def first_line(text):
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line
    return ""


def rule_failures(outdir):
    """The rules Seawall did not load (OUTDIR/rules-failed.json), in file order."""
    path = os.path.join(outdir, "rules-failed.json")
    failures = []
    if os.path.exists(path):
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if not line.strip():
                    continue
                try:
                    failures.append(json.loads(line))
                except ValueError:
                    failures.append({"reason": line.strip()})
    return failures


def run_once(args, directory, outdir, env, timeout):
    """Runs Seawall; returns (effective exit code, stderr text, rules not loaded)."""
    if os.path.exists(outdir):
        shutil.rmtree(outdir)
    os.makedirs(outdir)
    with open(os.path.join(outdir, "cmdline"), "w") as f:
        f.write(" ".join(args) + "\n")
    with open(os.path.join(outdir, "stdout"), "wb") as out, \
            open(os.path.join(outdir, "stderr"), "wb") as err:
        try:
            rc = subprocess.run(args, cwd=directory, env=env, stdout=out, stderr=err,
                                timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            raise TestError("timed out after {} s".format(timeout))
    with open(os.path.join(outdir, "stderr"), encoding="utf-8", errors="replace") as f:
        stderr = f.read()
    if rc < 0:
        raise TestError("killed by signal {}: {}".format(-rc, first_line(stderr)))
    if rc == 2:
        m = re.search(r"unknown option '([^']+)'|option (-\S) is unknown", stderr)
        if m:
            raise Unsatisfied("unsupported option {}".format(m.group(1) or m.group(2)))
    m = re.search(r"configuration error: (.*)", stderr)
    if rc != 0 and m:
        message = m.group(1).strip()
        missing = re.search(r"include: cannot open '([^']+)': No such file", message)
        if missing and os.path.realpath(missing.group(1)).startswith(corpus_dir() + os.sep):
            # An include of upstream's etc/ that the corpus copy does not carry.
            raise Unsatisfied("included file not in the corpus: " +
                              os.path.relpath(os.path.realpath(missing.group(1)),
                                              corpus_dir()))
        if re.search(r"unsupported|not supported", message, re.I):
            raise Unsatisfied("config not accepted: " + message)
        raise TestError("config not accepted: " + message)
    failures = rule_failures(outdir)
    if rc == 0 and failures:
        rc = 1  # --init-errors-fatal: Suricata would have stopped here
    return rc, stderr, failures


def rule_failure_message(failure):
    where = ""
    if failure.get("file"):
        where = "{}:{}: ".format(os.path.basename(failure["file"]), failure.get("line", "?"))
    sid = "sid {}: ".format(failure["sid"]) if failure.get("sid") else ""
    return "rule not loaded: {}{}{}".format(where, sid, failure.get("reason", "?"))


def rule_failure_group(failure):
    reason = failure.get("reason", "")
    m = re.search(r"not supported yet: (.*?)(?:\s*[-\u2014]+\s*not yet available)?$", reason)
    if m:
        return "rule not loaded: " + m.group(1)
    if failure.get("unsupported") or reason.startswith("unknown keyword"):
        return "rule not loaded: unknown/unsupported keyword '{}'".format(
            failure.get("keyword", "?"))
    # A rule error: the message without the values that make each one unique.
    return "rule not loaded: " + re.sub(r"'[^']*'|\d+", "_", reason)[:80]


def alert_checks(config):
    """The filter checks on alert records."""
    found = []
    for check in config.get("checks") or []:
        cfg = check.get("filter") if isinstance(check, dict) else None
        if isinstance(cfg, dict) and (cfg.get("match") or {}).get("event_type") == "alert":
            found.append(cfg)
    return found


def involves_alerts(config, directory):
    return bool(glob.glob(os.path.join(directory, "*.rules")) or alert_checks(config))


def run_case(name, tests_dir, work_dir, engine, timeout, keep):
    """One test; returns a dict: name, status (PASS/FAIL/SKIP), reason, group, details."""
    directory = os.path.join(tests_dir, name)
    outdir = os.path.join(work_dir, name.replace("/", "__"))
    result = {"name": name, "status": "PASS", "reason": "", "group": "", "details": [],
              "alerts": False, "skipped_checks": 0, "rule_keywords": [], "rule_group": "",
              "expects_alerts": False}
    started = time.monotonic()
    try:
        if not os.path.isdir(directory):
            raise TestError("test directory missing")
        config = load_test_yaml(directory)
        result["alerts"] = involves_alerts(config, directory)
        result["expects_alerts"] = any(c.get("count") for c in alert_checks(config))
        requires = config.get("requires") or {}
        check_requires(requires, engine, directory)
        test_version = {}
        for key, short in (("min-version", "min"), ("lt-version", "lt"),
                           ("gt-version", "gt"), ("version", "eq")):
            if key in requires:
                test_version[short] = requires[key]
        if "command" not in config:
            pcap_required = requires.get("pcap", True)
            if "pcap" in config and not config["pcap"]:
                pcap_required = False
                del config["pcap"]
            if pcap_required and "pcap" not in config:
                if not glob.glob(os.path.join(directory, "*.pcap")) + \
                        glob.glob(os.path.join(directory, "*.pcapng")):
                    raise Unsatisfied("No pcap file found")
        check_skip(config, directory, engine)
        if "command" in config:
            raise Unsatisfied("custom command not supported")
        if "setup" in config:
            raise Unsatisfied("setup scripts not supported")

        env = dict(os.environ)
        scratch_src = os.path.join(work_dir, ".srcdir")
        os.makedirs(scratch_src, exist_ok=True)
        env.update({"SRCDIR": scratch_src, "TZ": "UTC", "TEST_DIR": directory,
                    "OUTPUT_DIR": outdir})
        for key, val in (config.get("env") or {}).items():
            env[key] = str(val)
        args = build_args(name, directory, outdir, config, engine, env)
        expected_rc = config.get("exit-code", 0)
        retries = config.get("retry", 1)
        while True:
            retries -= 1
            for _ in range(config.get("count", 1)):
                result["details"] = ["    command: " + " ".join(args)]
                rc, stderr, failed_rules = run_once(args, directory, outdir, env, timeout)
                result["rule_keywords"] = sorted({f.get("keyword") or "?" for f in failed_rules})
                if rc != expected_rc:
                    if failed_rules and expected_rc == 0:
                        result["rule_group"] = rule_failure_group(failed_rules[0])
                        raise TestError(rule_failure_message(failed_rules[0]))
                    detail = first_line(stderr)
                    raise TestError("got exit code {}, expected {}{}".format(
                        rc, expected_rc, ": " + detail if detail else ""))
                success, failure, skipped, first_failure = run_checks(
                    config, outdir, engine, test_version, result["details"], directory)
            if failure and retries > 0:
                continue
            break
        result["skipped_checks"] = len(skipped)
        if failure:
            raise TestError(first_failure)
        if skipped and not success:
            raise Unsatisfied(skipped[-1])
    except Unsatisfied as e:
        result["status"], result["reason"] = "SKIP", str(e)
    except TestError as e:
        result["status"], result["reason"] = "FAIL", str(e)
    except Exception as e:  # a framework error is a failure of this case, not of the run
        result["status"], result["reason"] = "FAIL", "runner error: {}: {}".format(
            type(e).__name__, e)
    result["group"] = reason_group(result)
    result["seconds"] = time.monotonic() - started
    if not keep and os.path.exists(outdir):
        shutil.rmtree(outdir, ignore_errors=True)
    return result


def reason_group(result):
    """A short category for the summary (counts by reason)."""
    reason = result["reason"]
    if result["status"] == "PASS":
        return ""
    if result["status"] == "SKIP":
        return reason
    if result["rule_group"]:
        return result["rule_group"]
    m = re.match(r"check \d+ \(filter\): .*?(?:: )?expected \d+, got \d+: (.*)$", reason)
    if m:
        et = re.search(r"event_type=(\"[^\"]*\")", m.group(1))
        return "filter count mismatch, event_type {}".format(
            json.loads(et.group(1)) if et else "any")
    m = re.match(r"check \d+ \((\w[\w-]*)\): internal error", reason)
    if m:
        return "filter on a missing/mistyped field"
    m = re.match(r"check \d+ \(stats\)", reason)
    if m:
        return "stats mismatch"
    m = re.match(r"got exit code (-?\d+), expected (\d+)", reason)
    if m:
        return "exit code {} (expected {})".format(m.group(1), m.group(2))
    if reason.startswith("timed out"):
        return "timeout"
    if reason.startswith("killed by signal"):
        return "crash"
    if reason.startswith("config not accepted"):
        return "config not accepted"
    if reason.startswith("check") and "does not exist" in reason:
        return "output file missing"
    if re.match(r"check \d+ \(filter\): filter check failed for", reason):
        return "output is not valid JSON"
    return reason.split(":")[0]


# ---------------------------------------------------------------- driver

def read_names(path):
    with open(path) as f:
        return sorted(l.strip() for l in f if l.strip() and not l.startswith("#"))


def read_baseline():
    if not os.path.exists(BASELINE):
        return set()
    return set(read_names(BASELINE))


def write_baseline(passing):
    with open(BASELINE, "w") as f:
        f.write("# suricata-verify cases that Seawall passes (tests/verify/suricata_verify.py).\n"
                "# A case listed here that stops passing fails the verify_suricata test.\n"
                "# Regenerate after a change that fixes cases:\n"
                "#   tests/verify/suricata_verify.py BUILD_DIR --update-baseline\n")
        for name in sorted(passing):
            f.write(name + "\n")


def print_summary(results):
    by_status = collections.defaultdict(collections.Counter)
    for r in results:
        if r["status"] != "PASS":
            by_status[r["status"]][r["group"]] += 1
    for status, title in (("FAIL", "failures"), ("SKIP", "skips")):
        if by_status[status]:
            print("\n{} by reason:".format(title))
            for group, n in sorted(by_status[status].items(), key=lambda kv: (-kv[1], kv[0])):
                print("  {:5d}  {}".format(n, group))
    blocking = collections.Counter()
    for r in results:
        if r["rule_group"]:
            blocking.update(r["rule_keywords"])
    if blocking:
        print("\nrule keywords not loaded, by cases they fail (top 25):")
        for kw, n in blocking.most_common(25):
            print("  {:5d}  {}".format(n, kw))
    passed = [r for r in results if r["status"] == "PASS"]
    partial = sum(1 for r in passed if r["skipped_checks"])
    alerts = sum(1 for r in passed if r["alerts"])
    print("\npassing cases that exercise the rule engine (rules or alert checks): {}".format(
        alerts))
    print("passing cases that expect at least one alert: {}".format(
        sum(1 for r in passed if r["expects_alerts"])))
    print("passing cases with some checks skipped (shell/file-compare/requires): {}".format(
        partial))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build_dir", nargs="?", help="build directory holding seawall")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="run only this case (repeatable; exact name from DEV_TESTS.txt)")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="print the command and every failed check with the values seen")
    parser.add_argument("--update-baseline", action="store_true",
                        help="rewrite suricata-verify-baseline.txt with the passing cases")
    parser.add_argument("--jobs", "-j", type=int,
                        default=int(os.environ.get("VERIFY_JOBS", DEFAULT_JOBS)))
    parser.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT,
                        help="seconds per case (default %(default)s)")
    parser.add_argument("--seawall", help="the binary (default BUILD_DIR/seawall)")
    parser.add_argument("--keep-output", metavar="DIR",
                        help="keep every case's output directory under DIR")
    parser.add_argument("--self-test", action="store_true",
                        help="check the runner's own logic on hand-made outputs and exit")
    opts = parser.parse_args(argv)

    if yaml is None:
        print("SKIP: the python3 yaml module (Debian package python3-yaml) is not installed")
        return SKIP_EXIT
    if opts.self_test:
        return self_test()
    if not opts.build_dir and not opts.seawall:
        parser.error("BUILD_DIR is required")

    sv_dir = os.path.join(corpus_dir(), "suricata-verify")
    names_file = os.path.join(sv_dir, "DEV_TESTS.txt")
    if not os.path.exists(names_file):
        print("SKIP: suricata-verify corpus not found at {}".format(os.path.abspath(sv_dir)))
        return SKIP_EXIT
    binary = os.path.abspath(opts.seawall or os.path.join(opts.build_dir, "seawall"))
    if not os.access(binary, os.X_OK):
        print("FAIL: {} not built".format(binary))
        return 1
    try:
        build_info = subprocess.run([binary, "--build-info"], capture_output=True, text=True,
                                    timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired) as e:
        print("FAIL: {} --build-info: {}".format(binary, e))
        return 1
    engine = Engine(binary, Engine.parse_build_info(build_info))

    names = read_names(names_file)
    if opts.only:
        unknown = [n for n in opts.only if n not in names]
        if unknown:
            print("FAIL: not in DEV_TESTS.txt: {}".format(", ".join(unknown)))
            return 1
        names = sorted(set(opts.only))

    started = time.monotonic()
    work_dir = opts.keep_output or tempfile.mkdtemp(prefix="seawall-sv-")
    os.makedirs(work_dir, exist_ok=True)
    tests_dir = os.path.join(sv_dir, "tests")
    results = []
    try:
        with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
            futures = [pool.submit(run_case, n, tests_dir, work_dir, engine, opts.timeout,
                                   bool(opts.keep_output)) for n in names]
            for fut in futures:  # in name order, as each finishes
                r = fut.result()
                results.append(r)
                if r["status"] == "PASS":
                    print("PASS " + r["name"])
                else:
                    print("{} {}: {}".format(r["status"], r["name"], r["reason"]))
                if opts.verbose and (r["status"] != "PASS" or r["skipped_checks"]):
                    for line in r["details"]:
                        print(line)
                sys.stdout.flush()
    finally:
        if not opts.keep_output:
            shutil.rmtree(work_dir, ignore_errors=True)
    elapsed = time.monotonic() - started

    print_summary(results)
    passing = {r["name"] for r in results if r["status"] == "PASS"}
    status = {r["name"]: r for r in results}
    rc = 0
    if opts.update_baseline:
        if opts.only:  # update just the selected entries
            merged = (read_baseline() - set(names)) | passing
        else:
            merged = passing
        write_baseline(merged)
        print("\nwrote {} ({} cases)".format(os.path.relpath(BASELINE), len(merged)))
    else:
        regressions = sorted(n for n in read_baseline() if n in status and n not in passing)
        for n in regressions:
            r = status[n]
            print("REGRESSION {}: {} {}".format(n, r["status"], r["reason"]))
        if regressions:
            rc = 1
    counts = collections.Counter(r["status"] for r in results)
    print("\n{} cases in {:.1f} s with {} jobs".format(len(results), elapsed, opts.jobs))
    print("{} passed, {} failed, {} skipped".format(counts["PASS"], counts["FAIL"], counts["SKIP"]))
    return rc


# ---------------------------------------------------------------- self-test

FAKE_SEAWALL = r'''#!/usr/bin/python3
# Stand-in for seawall: copies $FAKE_EVE to OUTDIR/eve.json; behaviour by $FAKE_MODE.
import os, shutil, sys
args = sys.argv[1:]
mode = os.environ.get("FAKE_MODE", "ok")
if "--build-info" in args:
    print("This is Seawall version 0.0\nFeatures: pcap-file eve-json"); sys.exit(0)
for a in args:
    if a in ("--simulate-ips", "--firewall-rules-exclusive"):
        sys.stderr.write("seawall: unknown option '%s'\n" % a); sys.exit(2)
out = args[args.index("-l") + 1]
if mode == "badconfig":
    sys.stderr.write("seawall: configuration error: x.yaml:3: bad value\n"); sys.exit(1)
if mode == "unsupportedconfig":
    sys.stderr.write("seawall: configuration error: af-packet: not supported\n"); sys.exit(1)
if mode == "rulefail":
    open(os.path.join(out, "rules-failed.json"), "w").write(
        '{"file":"/t/test.rules","line":1,"sid":7,"unsupported":true,"keyword":"lua",'
        '"reason":"unsupported keyword \'lua\'"}\n')
if mode == "hang":
    import time; time.sleep(30)
open(os.path.join(out, "args"), "w").write("\n".join(args))
shutil.copy(os.environ["FAKE_EVE"], os.path.join(out, "eve.json"))
'''

SELF_TEST_EVE = [
    {"event_type": "alert", "pcap_cnt": 3, "alert": {"signature_id": 1, "signature": "TEST one",
                                                     "metadata": {"k": ["a", "b"]}}},
    {"event_type": "alert", "pcap_cnt": 5, "alert": {"signature_id": 2, "signature": "TEST two"}},
    {"event_type": "http", "http": {"hostname": "example.com", "url": "/index.html"}},
    {"event_type": "dns", "dns": {"answers": [{"rrname": "a.example"}, {"rrname": "b"}]}},
    {"event_type": "stats", "stats": {"decoder": {"pkts": 1}}},
    {"event_type": "stats", "stats": {"decoder": {"pkts": 12, "ipv4": 12}}},
]


def self_test():
    """Cases with known verdicts on a fake binary and hand-made eve.json."""
    failures = []
    engine = Engine("/nonexistent", {"pcap-file"})

    def expect(what, got, want):
        if got != want:
            failures.append("{}: got {!r}, want {!r}".format(what, got, want))

    # Version logic (values from run.py's own SelfTest plus our 8.0.2).
    expect("parse 4", parse_suricata_version("4"), (4, 0, 0))
    expect("parse 4.1.0-dev", parse_suricata_version("4.1.0-dev"), (4, 1, 0))
    expect("parse equal 5", parse_suricata_version("5", "equal"), (5, None, None))
    v8 = engine.version
    for ver, expr, want in (("7.0.14", "gte", True), ("8", "gte", True), ("8.0.2", "gte", True),
                            ("8.0.3", "gte", False),
                            ("9", "gte", False), ("8", "lt", False), ("8.0.2", "lt", False),
                            ("8.0.3", "lt", True),
                            ("9", "lt", True), ("7", "lt", False), ("8", "equal", True),
                            ("8.0", "equal", True), ("7", "equal", False),
                            ("7.0.5", "gt", True), ("8", "gt", True), ("8.0.2", "gt", False)):
        expect("{} {} 8.0.2".format(expr, ver), is_version_compatible(ver, v8, expr), want)
    expect("min8.rules", rule_is_version_compatible("min8.rules", v8), True)
    expect("min9.rules", rule_is_version_compatible("min9.rules", v8), False)
    expect("build info", Engine.parse_build_info(
        "Features: A B\nSuricata Configuration:\n  Lua support: yes\n  JA3 support: no\n"),
        {"A", "B", "Lua"})

    # find_value / match operators.
    ev = SELF_TEST_EVE[3]
    expect("index", find_value("dns.answers[1].rrname", ev), "b")
    expect("index out of range", find_value("dns.answers[5].rrname", ev), None)
    expect("__len", find_value("dns.answers.__len", ev), 2)
    expect("__len of number", find_value("event_type.__len", {"event_type": 3}), -1)
    expect("missing", find_value("dns.query", ev), None)
    http = SELF_TEST_EVE[2]
    for match, want in (({"http.url.__startswith": "/index"}, True),
                        ({"http.url.__endswith": ".htm"}, False),
                        ({"http.hostname.__find": "ample"}, True),
                        ({"http.hostname.__contains": "xyz"}, False),
                        ({"has-key": "http.url"}, True), ({"not-has-key": "http.url"}, False),
                        ({"not-has-key": "http.status"}, True),
                        ({"event_type": "http", "http.hostname": "example.com"}, True)):
        expect("match {}".format(match), filter_matches(match, http), want)
    expect("__contains on list", filter_matches(
        {"alert.metadata.k.__contains": "b"}, SELF_TEST_EVE[0]), True)

    # End to end on a fake binary.
    with tempfile.TemporaryDirectory(prefix="sv-selftest-") as tmp:
        fake = os.path.join(tmp, "seawall")
        with open(fake, "w") as f:
            f.write(FAKE_SEAWALL)
        os.chmod(fake, 0o755)
        eve = os.path.join(tmp, "eve.json")
        with open(eve, "w") as f:
            for e in SELF_TEST_EVE:
                f.write(json.dumps(e) + "\n")
        os.environ["FAKE_EVE"] = eve
        tests = os.path.join(tmp, "tests")
        work = os.path.join(tmp, "work")
        os.makedirs(work)
        fake_engine = Engine(fake, Engine.parse_build_info("Features: pcap-file eve-json"))

        def case(name, test_yaml, files=("input.pcap", "test.rules"), mode="ok", timeout=20):
            d = os.path.join(tests, name)
            os.makedirs(d)
            with open(os.path.join(d, "test.yaml"), "w") as f:
                f.write(test_yaml)
            for fname in files:
                open(os.path.join(d, fname), "w").close()
            os.environ["FAKE_MODE"] = mode
            return run_case(name, tests, work, fake_engine, timeout, True)

        def verdict(name, want_status, want_reason, *a, **kw):
            r = case(name, *a, **kw)
            expect(name + " status", r["status"], want_status)
            if want_reason is not None and want_reason not in r["reason"]:
                failures.append("{}: reason {!r} lacks {!r}".format(name, r["reason"],
                                                                     want_reason))
            return r

        r = verdict("pass-basic", "PASS", None, """
args: ["-k none", "--set stream.midstream=true"]
checks:
  - filter: {count: 2, match: {event_type: alert}}
  - filter: {count: 1, match: {event_type: alert, alert.signature_id: 2, pcap_cnt: 5}}
  - filter: {count: 0, match: {event_type: alert, alert.signature_id: 3}}
  - filter: {count: 1, match: {event_type: dns, dns.answers.__len: 2}}
  - stats: {decoder.pkts: 12, decoder.ipv4: 12}
""")
        expect("pass-basic alerts", r["alerts"], True)
        with open(os.path.join(work, "pass-basic", "args")) as f:
            passed = f.read().split("\n")
        for want in ("-k", "none", "--set", "stream.midstream=true", "--runmode", "-S", "-r"):
            if want not in passed:
                failures.append("pass-basic: {} not passed to seawall: {}".format(want, passed))
        verdict("fail-count", "FAIL", "check 2 (filter): expected 2, got 1", """
checks:
  - filter: {count: 1, match: {event_type: http}}
  - filter: {count: 2, match: {event_type: alert, alert.signature: TEST one}}
""")
        verdict("fail-comment", "FAIL", "my comment: expected 1, got 0", """
checks:
  - filter: {count: 1, comment: my comment, match: {event_type: tls}}
""")
        verdict("fail-stats", "FAIL", "stats.decoder.pkts: expected 13; got 12", """
checks:
  - stats: {decoder.pkts: 13}
""")
        verdict("pass-operators-none-safe", "PASS", None, """
checks:
  - filter: {count: 0, match: {event_type: alert, alert.category.__startswith: X}}
  - filter: {count: 2, match: {event_type: alert, alert.signature.__find: TEST}}
  - filter: {count: 1, match: {event_type: alert, pcap_cnt.__gt: 3}}
  - filter: {count: 2, match: {event_type: alert, pcap_cnt.__gte: 3}}
  - filter: {count: 0, match: {event_type: alert, alert.signature.__lt: 3}}
  - filter: {count: 1, match: {has-key: [alert.metadata, alert.signature]}}
  - filter: {count: 1, match: {event_type: alert, not-has-key: [alert.metadata, x]}}
  - stats: {decoder.pkts.__gte: 12, decoder.ipv4.__lt: 13}
""")
        verdict("fail-stats-op", "FAIL", "stats.decoder.pkts.__gt: expected > 12; got 12", """
checks:
  - stats: {decoder.pkts.__gt: 12}
""")
        verdict("fail-filter-key", "FAIL", "Unexpected key in filter check: matches", """
checks:
  - filter: {count: 0, matches: {event_type: alert}}
""")
        verdict("skip-command-missing", "SKIP", "requires command no-such-tool-xyz", """
requires: {command: [no-such-tool-xyz]}
checks: [{filter: {count: 1, match: {event_type: http}}}]
""")
        verdict("skip-files-relative", "SKIP", "requires file", """
requires: {files: [nothere.lua]}
checks: [{filter: {count: 1, match: {event_type: http}}}]
""")
        verdict("pass-files-relative", "PASS", None, """
requires: {files: [test.rules]}
checks: [{filter: {count: 1, match: {event_type: http}}}]
""")
        verdict("skip-min-version", "SKIP", "requires at least version 9", """
requires: {min-version: 9}
checks: [{filter: {count: 1, match: {event_type: http}}}]
""")
        verdict("pass-lt-version-7-skipped-check", "PASS", None, """
checks:
  - filter: {count: 1, match: {event_type: http}}
  - filter: {requires: {lt-version: 7}, count: 5, match: {event_type: http}}
""")
        verdict("skip-all-checks", "SKIP", "requires at least version 8.1", """
checks:
  - filter: {min-version: 8.1, count: 5, match: {event_type: http}}
""")
        verdict("fail-check-lint", "FAIL", "internal error: test already requires min 7", """
requires: {min-version: 7}
checks:
  - filter: {min-version: 7, count: 1, match: {event_type: http}}
""")
        verdict("pass-not-features", "PASS", None, """
requires: {not-features: {RUST: not with rust}}
checks: [{filter: {count: 1, match: {event_type: http}}}]
""")
        verdict("skip-not-features", "SKIP", "not for feature eve-json", """
requires: {not-features: [eve-json]}
checks: [{filter: {count: 1, match: {event_type: http}}}]
""")
        verdict("skip-feature", "SKIP", "requires feature HAVE_JA3", """
requires: {features: [HAVE_JA3]}
checks: [{filter: {count: 1, match: {event_type: tls}}}]
""")
        verdict("skip-script", "SKIP", "requires script returned false", """
requires: {script: ["grep X src/decode-ipv4.h"]}
checks: [{filter: {count: 1, match: {event_type: http}}}]
""")
        verdict("skip-nopcap", "SKIP", "No pcap file found", """
checks: [{filter: {count: 1, match: {event_type: http}}}]
""", files=())
        verdict("skip-option", "SKIP", "unsupported option --simulate-ips", """
args: [--simulate-ips]
checks: [{filter: {count: 1, match: {event_type: http}}}]
""")
        verdict("name-with-ips-in-it", "SKIP", "unsupported option --simulate-ips", """
checks: [{filter: {count: 1, match: {event_type: http}}}]
""")
        verdict("skip-command", "SKIP", "custom command", """
command: "${SRCDIR}/src/suricata --list-keywords"
checks: [{filter: {count: 1, match: {event_type: http}}}]
""")
        verdict("pass-shell-skipped", "PASS", None, """
checks:
  - filter: {count: 1, match: {event_type: http}}
  - shell: {args: "cat fast.log | wc -l | xargs", expect: 1}
""")
        verdict("skip-shell-only", "SKIP", "shell check not run", """
checks:
  - shell: {args: "cat fast.log | wc -l | xargs", expect: 1}
""")
        verdict("fail-config", "FAIL", "config not accepted: x.yaml:3: bad value", """
checks: [{filter: {count: 1, match: {event_type: http}}}]
""", mode="badconfig")
        verdict("skip-config", "SKIP", "config not accepted: af-packet: not supported", """
checks: [{filter: {count: 1, match: {event_type: http}}}]
""", mode="unsupportedconfig")
        r = verdict("fail-rule", "FAIL", "rule not loaded: test.rules:1: sid 7: unsupported", """
checks: [{filter: {count: 1, match: {event_type: http}}}]
""", mode="rulefail")
        expect("fail-rule group", r["group"], "rule not loaded: unknown/unsupported keyword 'lua'")
        verdict("pass-rule-expected-exit", "PASS", None, """
exit-code: 1
checks: [{filter: {count: 1, match: {event_type: http}}}]
""", mode="rulefail")
        verdict("fail-timeout", "FAIL", "timed out after 2 s", """
checks: [{filter: {count: 1, match: {event_type: http}}}]
""", mode="hang", timeout=2)
        verdict("fail-other-file", "FAIL", "http.json does not exist", """
checks: [{filter: {filename: http.json, count: 1, match: {event_type: http}}}]
""")
        verdict("fail-two-pcaps", "FAIL", "More than 1 pcap", """
checks: [{filter: {count: 1, match: {event_type: http}}}]
""", files=("a.pcap", "b.pcapng"))
        verdict("pass-pcap-key", "PASS", None, """
pcap: ../pass-basic/input.pcap
checks: [{filter: {count: 1, match: {event_type: http}}}]
""", files=())
        verdict("fail-pcap-key-missing", "FAIL", "PCAP filename does not exist", """
pcap: nothere.pcap
checks: [{filter: {count: 1, match: {event_type: http}}}]
""", files=())
        verdict("skip-flag", "SKIP", "skipped by default", """
skip: true
checks: [{filter: {count: 1, match: {event_type: http}}}]
""")

    for f in failures:
        print("SELF-TEST FAIL " + f)
    print("self-test: {} failure(s)".format(len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into head & co.
        sys.exit(1)
