#!/usr/bin/python3
"""Validate EVE JSON files against Suricata's EVE schema plus Seawall's overlay.

usage: validate_eve.py [--schema PATH] [--overlay PATH] [--max-errors N] FILE...

The schema comes from --schema, else $SEAWALL_EVE_SCHEMA, else
<repo>/../shared/corpus/eve-schema.json. The overlay (schema/eve-schema-overlay.json)
is deep-merged into it; it may only add new properties, never change or relax an
existing constraint (checked here). Every line of every FILE must be a JSON object
valid against the merged schema.

Prints "N records valid, M invalid"; exit 1 if any record is invalid (the first
errors are printed with file:line), 2 on usage/schema problems, 0 otherwise.
Exits 0 with "skipped: ..." when the corpus schema is absent.
"""

import argparse
import copy
import json
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_SCHEMA = os.path.join(REPO, "..", "shared", "corpus", "eve-schema.json")
DEFAULT_OVERLAY = os.path.join(REPO, "schema", "eve-schema-overlay.json")

# Keys that only describe and never constrain: an overlay may add them anywhere.
ANNOTATIONS = {"description", "$comment", "title", "suricata", "examples"}


class OverlayError(Exception):
    pass


def merge_overlay(base, overlay, path="#"):
    """Merges overlay into base (in place), additions only.

    New keys are accepted inside a "properties" map (new property names) and
    annotations anywhere; a whole new subtree is taken as is. Anything else that
    would change an existing node (a new or different "type",
    "additionalProperties", "required", ...) raises OverlayError.
    """
    if not isinstance(base, dict) or not isinstance(overlay, dict):
        if base != overlay:
            raise OverlayError("%s: overlay changes %r to %r" % (path, base, overlay))
        return
    if "$ref" in base and set(overlay) - ANNOTATIONS:
        raise OverlayError("%s: cannot extend a $ref node (%s)" % (path, base["$ref"]))
    in_properties_map = path.endswith("/properties") or path.endswith("/$defs")
    for key, value in overlay.items():
        where = "%s/%s" % (path, key)
        if key in base:
            if key in ANNOTATIONS:
                continue  # keep the schema's own wording
            merge_overlay(base[key], value, where)
        elif in_properties_map or key in ANNOTATIONS:
            base[key] = copy.deepcopy(value)
        else:
            raise OverlayError("%s: overlay adds constraint keyword %r to an existing node"
                               % (path, key))


def check_additions_only(before, after, path="#"):
    """Independent re-check of the merge result: every constraint of the original
    schema is still there, unchanged."""
    if isinstance(before, dict):
        assert isinstance(after, dict), path
        for key, value in before.items():
            assert key in after, "%s/%s removed" % (path, key)
            check_additions_only(value, after[key], "%s/%s" % (path, key))
        if not (path.endswith("/properties") or path.endswith("/$defs")):
            extra = set(after) - set(before) - ANNOTATIONS
            assert not extra, "%s: keys added to an existing node: %s" % (path, sorted(extra))
    else:
        assert before == after, "%s changed" % path


def load_schema(schema_path, overlay_path):
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    original = copy.deepcopy(schema)
    if overlay_path and os.path.exists(overlay_path):
        with open(overlay_path, encoding="utf-8") as f:
            overlay = json.load(f)
        overlay.pop("$comment", None)
        merge_overlay(schema, overlay)
        check_additions_only(original, schema)
    return schema


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--schema", default=os.environ.get("SEAWALL_EVE_SCHEMA", DEFAULT_SCHEMA))
    parser.add_argument("--overlay", default=DEFAULT_OVERLAY)
    parser.add_argument("--max-errors", type=int, default=10)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(argv)

    if not os.path.exists(args.schema):
        print("skipped: EVE schema not found at %s" % os.path.normpath(args.schema))
        return 0
    try:
        import jsonschema
    except ImportError:
        print("skipped: python3-jsonschema is not installed")
        return 0

    try:
        schema = load_schema(args.schema, args.overlay)
    except (OverlayError, AssertionError) as e:
        print("error: invalid overlay %s: %s" % (args.overlay, e))
        return 2
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    cls.check_schema(schema)
    validator = cls(schema)

    valid = invalid = 0
    shown = 0
    for name in args.files:
        with open(name, "rb") as f:
            for lineno, raw in enumerate(f, 1):
                problems = []
                try:
                    record = json.loads(raw.decode("utf-8"))
                except (UnicodeDecodeError, ValueError) as e:
                    problems.append("not valid JSON: %s" % e)
                    record = None
                if record is not None:
                    if not isinstance(record, dict):
                        problems.append("not a JSON object")
                    else:
                        for err in sorted(validator.iter_errors(record), key=lambda e: list(e.path)):
                            where = "/".join(str(p) for p in err.absolute_path) or "(root)"
                            problems.append("%s: %s" % (where, err.message))
                if problems:
                    invalid += 1
                    for p in problems:
                        if shown < args.max_errors:
                            print("%s:%d: %s" % (name, lineno, p))
                            shown += 1
                else:
                    valid += 1
    print("%d records valid, %d invalid" % (valid, invalid))
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
