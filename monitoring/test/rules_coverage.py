#!/usr/bin/python3
"""Proves the promtool unit tests cover every alert both ways and can fail.

For every alert in monitoring/prometheus/rules/alerts.yml:
  1. the tests contain a case where it fires (non-empty exp_alerts) and one where it must not (exp_alerts: []);
  2. its firing cases FAIL when its expression is replaced by one that never fires (vector(0) > 1), and its
     not-firing cases FAIL when its expression is replaced by one that always fires (vector(1));
  3. its runbook_url is docs/runbooks/<alert>.md and that file exists;
  4. it carries severity critical or warning, and a summary and description.

Usage: rules_coverage.py TESTS_FILE REPO_ROOT
"""
import copy
import os
import subprocess
import sys
import tempfile

import yaml


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def alerts(rules):
    for group in rules["groups"]:
        for rule in group["rules"]:
            if "alert" in rule:
                yield rule


def cases(tests, alert, firing):
    """Test groups with an alert_rule_test for `alert`, kept to the wanted kind (firing or not)."""
    selected = []
    for test in tests["tests"]:
        wanted = [c for c in test.get("alert_rule_test", [])
                  if c["alertname"] == alert and bool(c.get("exp_alerts")) == firing]
        if wanted:
            t = copy.deepcopy(test)
            t["alert_rule_test"] = wanted
            t.pop("promql_expr_test", None)
            selected.append(t)
    return selected


def promtool_passes(rule_files, test_groups, workdir):
    test_file = os.path.join(workdir, "test.yml")
    with open(test_file, "w", encoding="utf-8") as f:
        yaml.safe_dump({"rule_files": rule_files, "evaluation_interval": "1m", "tests": test_groups}, f)
    return subprocess.run(["promtool", "test", "rules", test_file], capture_output=True).returncode == 0


def main(tests_file, repo):
    tests = load(tests_file)
    test_dir = os.path.dirname(os.path.abspath(tests_file))
    originals = [os.path.normpath(os.path.join(test_dir, p)) for p in tests["rule_files"]]
    alert_file = next(p for p in originals if os.path.basename(p) == "alerts.yml")
    rules = load(alert_file)
    errors, count = [], 0
    with tempfile.TemporaryDirectory() as workdir:
        for rule in alerts(rules):
            name = rule["alert"]
            count += 1
            firing, quiet = cases(tests, name, True), cases(tests, name, False)
            if not firing or not quiet:
                errors.append(f"{name}: needs a firing and a not-firing test (has {len(firing)} and {len(quiet)})")
                continue
            if not promtool_passes(originals, firing + quiet, workdir):
                errors.append(f"{name}: its own tests fail against the real rules")
            for replacement, groups, kind in (("vector(0) > 1", firing, "firing"), ("vector(1)", quiet, "not-firing")):
                mutated = copy.deepcopy(rules)
                for r in alerts(mutated):
                    if r["alert"] == name:
                        r["expr"] = replacement
                mutated_file = os.path.join(workdir, "alerts.yml")
                with open(mutated_file, "w", encoding="utf-8") as f:
                    yaml.safe_dump(mutated, f)
                files = [mutated_file if p == alert_file else p for p in originals]
                if promtool_passes(files, groups, workdir):
                    errors.append(f"{name}: its {kind} tests still pass with expr '{replacement}'")
            url = rule.get("annotations", {}).get("runbook_url")
            if url != f"docs/runbooks/{name}.md" or not os.path.isfile(os.path.join(repo, url)):
                errors.append(f"{name}: runbook_url {url!r} must be docs/runbooks/{name}.md and exist")
            if rule.get("labels", {}).get("severity") not in ("critical", "warning"):
                errors.append(f"{name}: severity must be critical or warning")
            if not {"summary", "description"} <= set(rule.get("annotations", {})):
                errors.append(f"{name}: needs summary and description")
    runbooks = {f[:-3] for f in os.listdir(os.path.join(repo, "docs", "runbooks")) if f.endswith(".md")}
    stray = runbooks - {r["alert"] for r in alerts(rules)} - {"README"}
    if stray:
        errors.append(f"runbooks without an alert: {sorted(stray)}")
    if errors:
        print("\n".join(errors), file=sys.stderr)
        sys.exit(1)
    print(f"rules coverage: {count} alerts, each with firing and not-firing tests that fail when its expression is "
          "broken either way; runbooks present")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
