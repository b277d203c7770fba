#!/usr/bin/python3
"""Copies alert rule files with every `for:` set to one evaluation interval (15s), the documented transformation of
the local end-to-end check (docs/operations/observability.md). Expressions, labels and annotations stay identical;
the script proves it by comparing each rule of the copy with the original minus `for`.

Usage: shorten_for.py OUT_DIR RULE_FILE...
"""
import copy
import os
import sys

import yaml

SHORT_FOR = "15s"


def main(out_dir, files):
    for path in files:
        with open(path, encoding="utf-8") as f:
            original = yaml.safe_load(f)
        shortened = copy.deepcopy(original)
        for group in shortened["groups"]:
            for rule in group["rules"]:
                if "for" in rule:
                    rule["for"] = SHORT_FOR
        for g_orig, g_short in zip(original["groups"], shortened["groups"]):
            for r_orig, r_short in zip(g_orig["rules"], g_short["rules"]):
                a = {k: v for k, v in r_orig.items() if k != "for"}
                b = {k: v for k, v in r_short.items() if k != "for"}
                if a != b:
                    sys.exit(f"shorten_for: rule {r_orig.get('alert') or r_orig.get('record')} changed beyond for:")
        with open(os.path.join(out_dir, os.path.basename(path)), "w", encoding="utf-8") as f:
            yaml.safe_dump(shortened, f, sort_keys=False)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:])
