#!/usr/bin/env python3
"""Renders benchmark results (results.json written by bench.py) as Markdown.

  report.py RESULTS.json               one run: every scenario, API beside its SQL
  report.py BEFORE.json AFTER.json     the before/after table: the issue's ratios, each from one run
"""

import json
import sys


def fmt(value, digits=1):
    return "–" if value is None else f"{value:,.{digits}f}"


def jit(api):
    """The JIT compiler's part of the JVM CPU, when the run recorded it."""
    return f" ({fmt(api['jit_cpu_ms'], 2)})" if api.get("jit_cpu_ms") is not None else ""


def one(run):
    lines = [
        f"### {run['label']}: {run['date']}, {run['employees']:,} employees, {run['connections']} connections, "
        f"{run['seconds']} s per run",
        "",
        f"Start → ready: {fmt(run.get('startup_seconds'))} s.",
        "",
        "| Scenario | API req/s | p50 / p95 / p99 ms | JVM CPU ms/req (JIT) | PG CPU ms/req | SQL tx/s (pgbench) "
        "| SQL p50 / p95 / p99 ms | PG CPU ms/tx | API ÷ SQL | errors | load |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, entry in run["scenarios"].items():
        a, s = entry["api"], entry.get("sql")
        sql_cols = (f"{fmt(s['rate'])} | {fmt(s['p50_ms'])} / {fmt(s['p95_ms'])} / {fmt(s['p99_ms'])} | "
                    f"{fmt(s['pg_cpu_ms'], 2)} | {a['rate'] / s['rate']:.2f}") if s else "– | – | – | –"
        lines.append(f"| {name} | {fmt(a['rate'])} | {fmt(a['p50_ms'])} / {fmt(a['p95_ms'])} / {fmt(a['p99_ms'])} | "
                     f"{fmt(a['jvm_cpu_ms'], 2)}{jit(a)} | {fmt(a['pg_cpu_ms'], 2)} | {sql_cols} | {a['errors']} | "
                     f"{a['load']:.2f} |")
    mix = run.get("read_mix")
    if mix:
        lines += ["", f"Read mix 80/20: cache hit ratio {fmt(mix['after-write']['hit_ratio'], 3)} in the "
                      f"{run['seconds']} s right after a write, {fmt(mix['warm']['hit_ratio'], 3)} in the next "
                      f"{run['seconds']} s ({fmt(mix['after-write']['rate'])} and {fmt(mix['warm']['rate'])} req/s)."]
    st = run.get("stampede")
    if st:
        lines += ["", f"Stampede: {run['connections']} connections asking for one just-evicted key "
                      f"(department-performance) ran its query {st['queries']} time(s)."]
    return "\n".join(lines) + "\n"


def ratios(run):
    s = run["scenarios"]

    def rate(name, side="api"):
        entry = s.get(name)
        return entry[side]["rate"] if entry and side in entry else None

    def div(a, b):
        return a / b if a is not None and b else None

    def analytics(suffix, key):
        values = sorted(e["api"][key] for n, e in s.items() if n.endswith(suffix) and n not in ("cached-read",))
        return values[len(values) // 2] if values else None

    mix = run.get("read_mix") or {}
    return [
        ("point read rps ÷ pgbench tps of its SQL", div(rate("point-read"), rate("point-read", "sql")), 2),
        ("JVM CPU per point read (ms)", s.get("point-read", {}).get("api", {}).get("jvm_cpu_ms"), 2),
        ("cached read (/titles) rps ÷ /health/live rps", div(rate("cached-read"), rate("floor")), 2),
        ("list d005 size 20: p50 ms", s.get("list-department", {}).get("api", {}).get("p50_ms"), 1),
        ("list d005 size 20: p95 ms", s.get("list-department", {}).get("api", {}).get("p95_ms"), 1),
        ("deep offset page p95 ms", s.get("deep-offset", {}).get("api", {}).get("p95_ms"), 1),
        ("deep keyset page p95 ms", s.get("deep-keyset", {}).get("api", {}).get("p95_ms"), 1),
        ("analytics uncached (as-of): median over 7 endpoints of p50 ms", analytics("-uncached", "p50_ms"), 1),
        ("analytics uncached (as-of): median of p95 ms", analytics("-uncached", "p95_ms"), 1),
        ("analytics cached: median of p95 ms", analytics("-cached", "p95_ms"), 1),
        ("writes rps ÷ pgbench tps of their SQL",
         div(rate("write-salary-change"), rate("write-salary-change", "sql")), 2),
        ("cache hit ratio, 80/20 mix, just after a write", (mix.get("after-write") or {}).get("hit_ratio"), 3),
        ("cache hit ratio, 80/20 mix, warm", (mix.get("warm") or {}).get("hit_ratio"), 3),
        ("queries per key per miss (stampede)",
         (run.get("stampede") or {}).get("queries"), 0),
        ("start → ready (s)", run.get("startup_seconds"), 1),
    ]


def compare(before, after):
    lines = [
        f"| What | {before['label']} ({before['date'][:16]}) | {after['label']} ({after['date'][:16]}) | "
        "after ÷ before |",
        "|---|---|---|---|",
    ]
    for (what, b, digits), (_, a, _) in zip(ratios(before), ratios(after)):
        change = f"{a / b:.2f}" if a is not None and b else "–"
        lines.append(f"| {what} | {fmt(b, digits)} | {fmt(a, digits)} | {change} |")
    return "\n".join(lines) + "\n"


def main():
    runs = [json.load(open(path)) for path in sys.argv[1:]]
    if len(runs) == 1:
        print(one(runs[0]))
    elif len(runs) == 2:
        print(compare(*runs))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
