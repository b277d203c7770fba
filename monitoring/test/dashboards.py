#!/usr/bin/python3
"""Checks the Grafana dashboards under monitoring/grafana/dashboards/.

  check DASHBOARD_DIR PROVISIONING_DIR
      Structure: valid JSON, unique dashboard uids and titles, unique panel ids, every query panel uses the
      ${datasource} variable of type prometheus (provisioned with uid "prometheus"), has targets with an expr and
      unique refIds, and every $variable in an expr is defined by the dashboard or is a Grafana built-in.
  query DASHBOARD_DIR PROMETHEUS_URL RULES_DIR PENDING_FILE
      Runs every panel query against a live Prometheus after resolving the dashboard's variables the way Grafana
      does (label_values(...) queries against the same Prometheus, first value) and substituting
      $__rate_interval = 1m (4 x the 15 s scrape interval), $__interval = 15s, $__range = 5m.
      Every query must return at least one series. Exception, stated in PENDING_FILE: a metric the service does not
      export yet (with the reason). Its queries are reported as pending, and the check fails as soon as such a
      metric exists, so the list cannot go stale.
"""
import glob
import json
import os
import re
import sys
import urllib.parse
import urllib.request

import yaml

BUILTINS = {"__rate_interval": "1m", "__interval": "15s", "__range": "5m"}
VAR = re.compile(r"\$\{?(\w+)\}?")


def dashboards(directory):
    result = []
    for path in sorted(glob.glob(os.path.join(directory, "*.json"))):
        with open(path, encoding="utf-8") as f:
            result.append((os.path.basename(path), json.load(f)))
    if not result:
        sys.exit(f"no dashboards in {directory}")
    return result


def query_panels(dashboard):
    for panel in dashboard["panels"]:
        if panel["type"] == "row":
            yield from (p for p in panel.get("panels", []) if p["type"] != "row")
        else:
            yield panel


def check(directory, provisioning):
    errors = []
    with open(os.path.join(provisioning, "datasources", "prometheus.yml"), encoding="utf-8") as f:
        sources = yaml.safe_load(f)["datasources"]
    if not any(s["type"] == "prometheus" and s["uid"] == "prometheus" for s in sources):
        errors.append("provisioning: no prometheus data source with uid 'prometheus'")
    uids, titles, count = set(), set(), 0
    for name, d in dashboards(directory):
        for key in ("uid", "title", "panels", "templating", "schemaVersion"):
            if key not in d:
                errors.append(f"{name}: missing {key}")
        if d["uid"] in uids or d["title"] in titles:
            errors.append(f"{name}: duplicate uid or title")
        uids.add(d["uid"])
        titles.add(d["title"])
        variables = {v["name"]: v for v in d["templating"]["list"]}
        ds = variables.get("datasource")
        if not ds or ds["type"] != "datasource" or ds["query"] != "prometheus":
            errors.append(f"{name}: needs a datasource variable of type prometheus")
        ids = [p["id"] for p in d["panels"]]
        if len(ids) != len(set(ids)):
            errors.append(f"{name}: duplicate panel ids")
        for v in variables.values():
            if v["type"] == "query" and v["datasource"] != {"type": "prometheus", "uid": "${datasource}"}:
                errors.append(f"{name}: variable {v['name']} does not use ${{datasource}}")
        for p in query_panels(d):
            count += 1
            where = f"{name} / {p.get('title')!r}"
            if not p.get("title") or not {"h", "w", "x", "y"} <= set(p.get("gridPos", {})):
                errors.append(f"{where}: needs a title and a full gridPos")
            if p.get("datasource") != {"type": "prometheus", "uid": "${datasource}"}:
                errors.append(f"{where}: panel datasource must be ${{datasource}}")
            targets = p.get("targets", [])
            if not targets:
                errors.append(f"{where}: no targets")
            refs = [t.get("refId") for t in targets]
            if len(refs) != len(set(refs)) or None in refs:
                errors.append(f"{where}: refIds missing or not unique")
            for t in targets:
                if not t.get("expr", "").strip():
                    errors.append(f"{where}: target {t.get('refId')} has no expr")
                for var in VAR.findall(t.get("expr", "")):
                    if var not in variables and var not in BUILTINS:
                        errors.append(f"{where}: ${var} is not defined")
    if errors:
        print("\n".join(errors), file=sys.stderr)
        sys.exit(1)
    print(f"dashboards: {len(uids)} dashboards, {count} panels structurally valid")


def prometheus(url, path, params):
    with urllib.request.urlopen(f"{url}{path}?{urllib.parse.urlencode(params, doseq=True)}", timeout=10) as r:
        body = json.load(r)
    if body["status"] != "success":
        raise RuntimeError(body)
    return body["data"]


def substitute(expr, values):
    return VAR.sub(lambda m: values.get(m.group(1), m.group(0)), expr)


def resolve_variables(d, url):
    values = dict(BUILTINS)
    for v in d["templating"]["list"]:
        if v["type"] != "query":
            continue
        q = substitute(v["query"]["query"] if isinstance(v["query"], dict) else v["query"], values)
        m = re.fullmatch(r"label_values\((.+),\s*(\w+)\)", q.strip())
        if not m:
            raise RuntimeError(f"variable {v['name']}: unsupported query {q}")
        series = prometheus(url, "/api/v1/series", {"match[]": m.group(1)})
        found = sorted({s[m.group(2)] for s in series if m.group(2) in s})
        if not found:
            raise RuntimeError(f"variable {v['name']}: {q} returned no values")
        values[v["name"]] = found[0]
    return values


def pending_metrics(path, rules_dir):
    """Pending metric names plus the recording rules derived from them (transitively)."""
    pending = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                metric, _, reason = line.partition(" ")
                pending[metric] = reason.strip()
    derived = dict(pending)
    changed = True
    while changed:
        changed = False
        for rule_file in glob.glob(os.path.join(rules_dir, "*.yml")):
            with open(rule_file, encoding="utf-8") as f:
                for group in yaml.safe_load(f)["groups"]:
                    for rule in group["rules"]:
                        record = rule.get("record")
                        if record and record not in derived and any(
                                re.search(rf"(?<![\w:]){re.escape(m)}(?![\w:])", rule["expr"]) for m in derived):
                            derived[record] = f"derived from {', '.join(pending)}"
                            changed = True
    return pending, derived


def query(directory, url, rules_dir, pending_file):
    pending, derived = pending_metrics(pending_file, rules_dir)
    failures, ok, waiting = [], 0, 0
    for metric, reason in pending.items():
        if prometheus(url, "/api/v1/series", {"match[]": metric}):
            failures.append(f"{metric} is listed in {pending_file} ({reason}) but now exists: remove it from the list")
    for name, d in dashboards(directory):
        values = resolve_variables(d, url)
        for p in query_panels(d):
            for t in p["targets"]:
                expr = substitute(t["expr"], values)
                result = prometheus(url, "/api/v1/query", {"query": expr})["result"]
                label = f"{d['title']} / {p['title']} / {t['refId']}"
                blockers = [m for m in derived if re.search(rf"(?<![\w:]){re.escape(m)}(?![\w:])", expr)]
                if result:
                    ok += 1
                    print(f"  ok       {len(result):3d} series  {label}")
                elif blockers:
                    waiting += 1
                    print(f"  pending    0 series  {label}  ({', '.join(blockers)}: not exported yet)")
                else:
                    failures.append(f"{label}: no series for {expr}")
                    print(f"  FAILED     0 series  {label}")
    print(f"dashboard queries: {ok} with series, {waiting} pending, {len(failures)} failed")
    if failures:
        print("\n".join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 6 and sys.argv[1] == "query":
        query(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
    else:
        sys.exit(__doc__)
