#!/usr/bin/env python3
"""Scenario runner of the benchmark harness (started by ops/bench/run.sh, which starts PostgreSQL and the service).

For every scenario it runs wrk against the API and then, right after it (interleaved, same concurrency, same
duration), pgbench with the SQL the service sends for that request (ops/bench/sql/*.sql). For each run it records
requests or transactions per second, p50/p95/p99 latency, CPU per request of the JVM and of PostgreSQL (from
/proc, process and children ticks) and the load average. It writes results.json and results.md into the output
directory. Loopback only; every run is bounded by --seconds.

Python standard library only.
"""

import argparse
import datetime
import glob
import json
import os
import random
import re
import subprocess
import sys
import time
import urllib.request
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
TICK = os.sysconf("SC_CLK_TCK")
FIRST_EMP_NO = 10001


def log(message):
    print(f"[bench {datetime.datetime.now(datetime.timezone.utc):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def proc_ticks(pid, children=False):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    # fields[0] is the state (field 3); utime, stime, cutime, cstime are fields 14-17.
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks


def jit_ticks(pid):
    """CPU of the JVM's JIT compiler threads (C1/C2; the kernel cuts thread names to 15 characters)."""
    total = 0
    for stat in glob.glob(f"/proc/{pid}/task/[0-9]*/stat"):
        try:
            with open(stat) as f:
                content = f.read()
        except OSError:
            continue
        name = content[content.index("(") + 1:content.rindex(")")]
        if name.startswith(("C1 CompilerThre", "C2 CompilerThre")):
            fields = content.rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total


def postgres_ticks(postmaster):
    """CPU of the postmaster, its live children and (through cutime/cstime) the children it has reaped."""
    total = proc_ticks(postmaster, children=True)
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as f:
                content = f.read()
        except OSError:
            continue
        fields = content.rsplit(")", 1)[1].split()
        if fields[1] == str(postmaster):
            total += int(fields[11]) + int(fields[12])
    return total


def load_average():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


class Target:
    def __init__(self, args):
        self.base = args.base_url.rstrip("/")
        self.metrics_url = args.metrics_url
        self.token = args.token
        self.jvm = args.jvm_pid
        self.postmaster = args.postmaster_pid
        self.db_port = args.db_port
        self.employees = args.employees
        self.connections = args.connections
        self.seconds = args.seconds
        self.out = args.out
        self.sql_dir = args.sql_dir
        claims = json.loads(_b64(self.token.split(".")[1])) if self.token else {}
        self.jti = claims.get("jti", "")
        self.sid = claims.get("sid", "00000000-0000-0000-0000-000000000000")
        # Employees a salary change today is valid for (employed, current salary not from today): writes that succeed.
        # Even numbers only: pgbench's write script changes odd ones, so a run on the same data set later the same
        # day still finds these unchanged.
        self.writable = [int(v) for v in self.psql(
            "SELECT emp_no FROM employees e WHERE status <> 'TERMINATED' AND emp_no % 2 = 0 AND NOT EXISTS"
            " (SELECT 1 FROM salaries s WHERE s.emp_no = e.emp_no AND s.to_date = '9999-12-31'"
            " AND s.from_date >= current_date) ORDER BY md5(CAST(emp_no AS text)) LIMIT 50002").split()]

    @property
    def last_emp_no(self):
        return FIRST_EMP_NO + self.employees - 1

    def get_json(self, path):
        request = urllib.request.Request(self.base + path, headers={"Authorization": f"Bearer {self.token}"})
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())

    def post_json(self, path, body):
        request = urllib.request.Request(
            self.base + path,
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as e:
            return e.code

    def psql(self, sql):
        return subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.db_port), "-U", "postgres", "-d", "employees", "-Atqc", sql],
            check=True, capture_output=True, text=True).stdout.strip()

    def cache_gets(self):
        """Sums cache_gets_total over all caches by result (hit/miss) from the management port's /metrics."""
        totals = {"hit": 0.0, "miss": 0.0}
        with urllib.request.urlopen(self.metrics_url, timeout=30) as response:
            for line in response.read().decode().splitlines():
                if line.startswith("cache_gets_total{"):
                    match = re.search(r'result="(\w+)"', line)
                    if match and match.group(1) in totals:
                        totals[match.group(1)] += float(line.rsplit(" ", 1)[1])
        return totals

    def statement_calls(self, marker):
        """Executions so far of statements whose text contains marker (pg_stat_statements)."""
        escaped = marker.replace("'", "''")
        return int(self.psql(
            f"SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE query LIKE '%{escaped}%'"
            " AND query NOT LIKE '%pg_stat_statements%'") or 0)


def _b64(segment):
    import base64
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def run_wrk(target, name, lines, connections, seconds, with_token=True):
    path = os.path.join(target.out, f"{name}.requests")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    threads = max(1, min(2, connections))
    env = dict(os.environ, BENCH_REQUESTS=path, BENCH_TOKEN=target.token if with_token else "",
               BENCH_THREADS=str(threads))
    jvm0, jit0, pg0, load = proc_ticks(target.jvm), jit_ticks(target.jvm), postgres_ticks(target.postmaster), \
        load_average()
    result = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "60s",
         "-s", os.path.join(HERE, "wrk.lua"), target.base],
        env=env, capture_output=True, text=True, timeout=seconds + 120)
    jvm1, jit1, pg1 = proc_ticks(target.jvm), jit_ticks(target.jvm), postgres_ticks(target.postmaster)
    line = next((l for l in result.stdout.splitlines() if l.startswith("BENCH ")), None)
    if result.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed for {name}: {result.stdout}\n{result.stderr}")
    data = json.loads(line[6:])
    n = max(1, data["requests"])
    return {
        "rate": data["requests"] / (data["duration_us"] / 1e6),
        "requests": data["requests"],
        "errors": data["status_errors"] + data["socket_errors"],
        "p50_ms": data["p50"] / 1000, "p95_ms": data["p95"] / 1000, "p99_ms": data["p99"] / 1000,
        "jvm_cpu_ms": (jvm1 - jvm0) * 1000 / TICK / n,
        # Part of jvm_cpu_ms: compiling, not serving. High while the JIT is still warming up the code path.
        "jit_cpu_ms": (jit1 - jit0) * 1000 / TICK / n,
        "pg_cpu_ms": (pg1 - pg0) * 1000 / TICK / n,
        "load": load,
    }


def run_pgbench(target, name, script, connections, seconds, options=""):
    log_dir = os.path.join(target.out, f"pgbench-{name}")
    os.makedirs(log_dir, exist_ok=True)
    for old in glob.glob(os.path.join(log_dir, "tx*")):
        os.remove(old)
    env = dict(os.environ, PGOPTIONS=options) if options else dict(os.environ)
    threads = max(1, min(2, connections))
    pages = max(2, target.employees // 20)
    pg0, load = postgres_ticks(target.postmaster), load_average()
    result = subprocess.run(
        ["pgbench", "-n", "-M", "prepared", "-h", "127.0.0.1", "-p", str(target.db_port), "-U", "postgres",
         "-c", str(connections), "-j", str(threads), "-T", str(seconds), "-f", os.path.join(target.sql_dir, script),
         "-D", f"jti={target.jti}", "-D", f"sid={target.sid}", "-D", f"last_emp={target.last_emp_no}",
         "-D", f"page_lo={pages // 4}", "-D", f"page_hi={pages * 3 // 4}",
         "-D", f"key_lo={FIRST_EMP_NO + target.employees // 4}", "-D", f"key_hi={FIRST_EMP_NO + target.employees // 2}",
         "-l", "--log-prefix", os.path.join(log_dir, "tx"), "employees"],
        env=env, capture_output=True, text=True, timeout=seconds + 120)
    pg1 = postgres_ticks(target.postmaster)
    if result.returncode != 0:
        raise RuntimeError(f"pgbench failed for {name}: {result.stdout}\n{result.stderr}")
    latencies = []
    for path in glob.glob(os.path.join(log_dir, "tx*")):
        with open(path) as f:
            for row in f:
                parts = row.split()
                if len(parts) >= 3 and parts[2].isdigit():
                    latencies.append(int(parts[2]))
    latencies.sort()
    tps = float(re.search(r"tps = ([0-9.]+)", result.stdout).group(1))
    n = max(1, len(latencies))

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] / 1000 if latencies else 0.0

    return {
        "rate": tps, "requests": len(latencies), "errors": 0,
        "p50_ms": pct(50), "p95_ms": pct(95), "p99_ms": pct(99),
        "jvm_cpu_ms": None, "jit_cpu_ms": None, "pg_cpu_ms": (pg1 - pg0) * 1000 / TICK / n, "load": load,
    }


def dates(seed, count, parity):
    """Distinct days in [2016-01-01, 2026-01-01) with the given parity (warm-up and measured runs never share one)."""
    start = datetime.date(2016, 1, 1)
    days = [d for d in range(0, 3650) if d % 2 == parity]
    random.Random(seed).shuffle(days)
    return [(start + datetime.timedelta(days=d)).isoformat() for d in days[:count]]


ANALYTICS = [
    # name, path with {d} for the uncached (as-of) variant, path of the cached current-state variant
    ("salary-statistics", "/api/v1/analytics/salary-statistics?asOf={d}", "/api/v1/analytics/salary-statistics"),
    ("salary-distribution", "/api/v1/analytics/salary-distribution?asOf={d}",
     "/api/v1/analytics/salary-distribution"),
    ("department-performance", "/api/v1/analytics/department-performance?to={d}",
     "/api/v1/analytics/department-performance"),
    ("employee-trends", "/api/v1/analytics/employee-trends?interval=MONTH&to={d}",
     "/api/v1/analytics/employee-trends"),
    ("gender-diversity", "/api/v1/analytics/gender-diversity?asOf={d}", "/api/v1/analytics/gender-diversity"),
    ("title-distribution", "/api/v1/analytics/title-distribution?asOf={d}", "/api/v1/analytics/title-distribution"),
    ("summary", "/api/v1/analytics/summary?asOf={d}", "/api/v1/analytics/summary"),
]


def scenarios(target, rnd):
    """(name, description, request lines, warm-up lines or None, pgbench script or None, PGOPTIONS)."""
    hi = target.last_emp_no
    ids = [rnd.randint(FIRST_EMP_NO, hi) for _ in range(20000)]
    out = [
        ("floor", "GET /health/live (no auth, no database)", ["GET /api/v1/health/live"], None, None),
        ("cached-read", "GET /titles (authenticated, cached)", ["GET /api/v1/titles"], None, None),
        ("point-read", "GET /employees/{empNo} (uncached)", [f"GET /api/v1/employees/{i}" for i in ids], None,
         "point-read.sql"),
        ("list-department", "GET /employees?department=d005&size=20",
         ["GET /api/v1/employees?department=d005&size=20"], None, "list-department.sql"),
        ("search", "GET /employees?q=Bamford&size=20", ["GET /api/v1/employees?q=Bamford&size=20"], None,
         "search.sql"),
    ]
    pages = max(2, (target.employees // 20))
    lo, up = pages // 4, pages * 3 // 4
    out.append(("deep-offset", f"GET /employees?size=20&page=P, P in [{lo}, {up})",
                [f"GET /api/v1/employees?size=20&page={rnd.randrange(lo, max(lo + 1, up))}" for _ in range(2000)],
                None, "deep-offset.sql"))
    out.append(("deep-keyset", "GET /employees?size=20&cursor=C (cursors a quarter to half way in)",
                None, None, "deep-keyset.sql"))
    for name, asof_path, current_path in ANALYTICS:
        out.append((f"{name}-cached", f"GET {current_path} (cached)", [f"GET {current_path}"], None, None))
        out.append((f"{name}-uncached", f"GET {asof_path.replace('{d}', 'D')}, distinct D each request",
                    [f"GET {asof_path.format(d=d)}" for d in dates(zlib.crc32(name.encode()), 1800, 1)],
                    [f"GET {asof_path.format(d=d)}" for d in dates(zlib.crc32(name.encode()), 40, 0)],
                    f"analytics-{name}.sql"))
    body = json.dumps({"salary": {"amount": 70000.00, "currency": "USD"}}, separators=(",", ":"))
    # Warm-up and measured run on different employees (the first two are the read mix's and the stampede's): a
    # second change of one employee on the same day would answer 409.
    warm_ids, write_ids = target.writable[2::5], [e for i, e in enumerate(target.writable) if i >= 2 and i % 5 != 2]
    out.append(("write-salary-change", "POST /employees/{empNo}/salary-changes (distinct employees)",
                [f"POST /api/v1/employees/{i}/salary-changes {body}" for i in write_ids],
                [f"POST /api/v1/employees/{i}/salary-changes {body}" for i in warm_ids], "write-salary-change.sql"))
    return [s + ("",) for s in out]


def keyset_lines(target, rnd):
    """Cursors from real pages a quarter to half way into the list (the service's own nextCursor values)."""
    pages = max(2, target.employees // 20)
    lines = []
    for page in sorted(rnd.sample(range(pages // 4, max(pages // 4 + 1, pages // 2)), min(12, pages // 4 or 1))):
        cursor = target.get_json(f"/api/v1/employees?size=20&page={page}").get("nextCursor")
        if cursor:
            lines.append(f"GET /api/v1/employees?size=20&cursor={cursor}")
    return lines


def read_mix(target, rnd, seconds):
    """80 % of the requests on 10 hot current-state keys, 20 % on 400 as-of keys; run right after a write (which
    clears the caches) and again, for as long, once it has warmed. Returns the hit ratio of each half."""
    hot = [f"GET {current}" for _, _, current in ANALYTICS] + [
        "GET /api/v1/titles", "GET /api/v1/analytics/salary-statistics?department=d005",
        "GET /api/v1/analytics/title-distribution?department=d005"]
    cold = [f"GET {asof.format(d=d)}" for (name, asof, _) in ANALYTICS for d in dates(7, 58, 0)][:400]
    lines = [rnd.choice(hot) if rnd.random() < 0.8 else rnd.choice(cold) for _ in range(20000)]
    status = target.post_json(f"/api/v1/employees/{target.writable[0]}/salary-changes",
                              {"salary": {"amount": 71000.00, "currency": "USD"}})
    results = {}
    for phase in ("after-write", "warm"):
        before = target.cache_gets()
        run = run_wrk(target, f"read-mix-{phase}", lines, target.connections, seconds)
        after = target.cache_gets()
        hits, misses = after["hit"] - before["hit"], after["miss"] - before["miss"]
        run["hit_ratio"] = hits / (hits + misses) if hits + misses else None
        results[phase] = run
    results["write_status"] = status
    return results


def stampede(target, rnd):
    """Right after a write, every connection asks for the same uncached key at once: how many times does the
    service run the query? (One query per key per miss is the target.)"""
    status = target.post_json(f"/api/v1/employees/{target.writable[1]}/salary-changes",
                              {"salary": {"amount": 72000.00, "currency": "USD"}})
    marker = "AS bigint) AS headcount"
    before = target.statement_calls(marker)
    run = run_wrk(target, "stampede", ["GET /api/v1/analytics/department-performance"], target.connections,
                  max(2, min(target.seconds, 5)))
    run["queries"] = target.statement_calls(marker) - before
    run["write_status"] = status
    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--metrics-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--jvm-pid", type=int, required=True)
    parser.add_argument("--postmaster-pid", type=int, required=True)
    parser.add_argument("--db-port", type=int, required=True)
    parser.add_argument("--employees", type=int, required=True)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--warmup-seconds", type=int, default=2)
    parser.add_argument("--only", default="", help="comma-separated scenario names (default: all)")
    parser.add_argument("--label", default="run")
    parser.add_argument("--startup-seconds", type=float)
    parser.add_argument("--out", required=True)
    parser.add_argument("--sql-dir", default=os.path.join(HERE, "sql"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    target = Target(args)
    rnd = random.Random(20261201)
    only = {s for s in args.only.split(",") if s}
    results = {"label": args.label, "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "employees": args.employees, "connections": args.connections, "seconds": args.seconds,
               "startup_seconds": args.startup_seconds, "scenarios": {}}
    todo = [s for s in scenarios(target, rnd) if not only or s[0] in only]
    if args.warmup_seconds > 0:
        # A fresh JVM interprets before it compiles: warm the common path until the JIT compiler is nearly done
        # with it (under 10 % of the JVM's CPU; at most two minutes), so that the first scenarios are not measured
        # while the compiler threads take half of the JVM's CPU (JVM CPU per request counts them too).
        mix = ["GET /api/v1/health/live", "GET /api/v1/titles"] + [
            f"GET /api/v1/employees/{rnd.randint(FIRST_EMP_NO, target.last_emp_no)}" for _ in range(200)]
        spent, share = 0, 1.0
        while spent < args.warmup_seconds * 4 or (share >= 0.10 and spent < 120):
            run = run_wrk(target, "jit-warmup", mix, args.connections, args.warmup_seconds * 2)
            spent += args.warmup_seconds * 2
            share = run["jit_cpu_ms"] / run["jvm_cpu_ms"] if run["jvm_cpu_ms"] else 0.0
        log(f"JIT warm-up: {spent} s over the floor, a cached and an uncached read; JIT compiler {share:.0%} of"
            " the JVM's CPU in its last round")
    for index, (name, description, lines, warmup, script, options) in enumerate(todo, 1):
        if lines is None:
            lines = keyset_lines(target, rnd)
        log(f"{index}/{len(todo)} {name}: {description}")
        auth = name != "floor"
        if warmup is None:
            # Fill the cache (or the JIT) with one request per distinct line first, so that a cached scenario
            # measures hits and not the first request's miss.
            for line in list(dict.fromkeys(lines))[:20]:
                method, path = line.split(" ")[:2]
                if method == "GET":
                    target.get_json(path) if auth else urllib.request.urlopen(target.base + path, timeout=60).read()
        if args.warmup_seconds > 0:
            run_wrk(target, f"{name}-warmup", warmup or lines, min(2, args.connections), args.warmup_seconds, auth)
        entry = {"description": description, "api": run_wrk(target, name, lines, args.connections, args.seconds,
                                                              auth)}
        if name.startswith("write-") and entry["api"]["requests"] > len(lines):
            log(f"   WARNING: {entry['api']['requests']} writes but only {len(lines)} employees left whose salary"
                " can change today on this data set: the rest repeat an employee and answer 409")
        if script:
            entry["sql"] = run_pgbench(target, name, script, args.connections, args.seconds, options)
        results["scenarios"][name] = entry
        api = entry["api"]
        sql = entry.get("sql")
        log(f"   api {api['rate']:.1f}/s p95 {api['p95_ms']:.1f} ms errors {api['errors']}"
            + (f" | sql {sql['rate']:.1f}/s p95 {sql['p95_ms']:.1f} ms ratio {api['rate'] / sql['rate']:.2f}"
               if sql else "") + f" | load {api['load']:.2f}")
    if not only or "read-mix" in only:
        log("read mix 80/20 (after a write, then warm)")
        results["read_mix"] = read_mix(target, rnd, args.seconds)
        log("   hit ratio after write {:.3f}, warm {:.3f}".format(
            results["read_mix"]["after-write"]["hit_ratio"] or 0, results["read_mix"]["warm"]["hit_ratio"] or 0))
    if not only or "stampede" in only:
        log("stampede: concurrent misses of one key")
        results["stampede"] = stampede(target, rnd)
        log(f"   {results['stampede']['queries']} queries for {args.connections} concurrent first requests")
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    table = subprocess.run([sys.executable, os.path.join(HERE, "report.py"), os.path.join(args.out, "results.json")],
                           check=True, capture_output=True, text=True).stdout
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write(table)
    print(table)
    errors = sum(e["api"]["errors"] for e in results["scenarios"].values())
    log(f"done: {len(results['scenarios'])} scenarios, {errors} API errors (non-2xx or socket) in all")


if __name__ == "__main__":
    main()
