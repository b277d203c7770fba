#!/usr/bin/env python3
"""Soak: steady mixed load on the local stack for a while, and whether the service stays the same meanwhile.

  ops/faults/soak.py [--minutes 10] [--interval 60] [--workers 4] [--pause 0.1] [--up]

The load of ops/faults/load.py (authenticated reads, cached reads, hires with a marker and an Idempotency-Key)
goes through the stack's ingress for MINUTES. Every INTERVAL seconds, for each routed instance: a full GC
(`jcmd PID GC.run`) and then the heap in use (= heap after GC), the pool's connections (Hikari total/active), the
JVM's live threads and the process's RSS; on the primary the number of PostgreSQL connections to the database.
Expectations (exit 1 otherwise, with the figures): no failed request (every answer 2xx), no acknowledged write lost
or duplicated (SQL), heap after GC flat (the last third of the samples at most 15 % or 16 MiB above the first
third, whichever is larger), pool and PostgreSQL connections stable (max - min within 5 after the first sample).
Not a CI step: run it by hand (`--up` starts a stack of two instances and one replica, and stops it at the end).
Report: target/faults/soak.json and soak.md.
"""
import argparse
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import load as L  # noqa: E402

stack = L.stack
OUT = os.path.join(L.ROOT, "target", "faults")
T0 = time.time()
MIB = 1024 * 1024


def log(msg):
    print(f"[soak {time.time() - T0:6.1f}s] {msg}", flush=True)


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def sample(st, load, since):
    row = {"t_min": round((time.time() - load.started) / 60, 1)}
    rec = load.window(since)
    row["requests"] = len(rec)
    row["failed"] = sum(1 for r in rec if not r.ok)
    row["p99_ms"] = round(L.percentile([r.seconds for r in rec], 99) * 1000)
    for name in st["routed"]:
        inst, pid = st["instances"][name], st["procs"]["instance-" + name]
        subprocess.run([os.path.join(stack.JAVA_HOME, "bin", "jcmd"), str(pid), "GC.run"], capture_output=True,
                       timeout=60)
        m = L.metrics(f"http://127.0.0.1:{inst['management_port']}/metrics")
        row[name] = {
            "heap_after_gc_mib": round(L.metric_sum(m, "jvm_memory_used_bytes", area="heap") / MIB, 1),
            "pool_total": L.metric_sum(m, "hikaricp_connections", pool="employee-api"),
            "pool_active": L.metric_sum(m, "hikaricp_connections_active", pool="employee-api"),
            "threads": L.metric_sum(m, "jvm_threads_live_threads"),
            "rss_mib": round(rss_mib(pid)),
        }
    row["pg_connections"] = int(stack.psql(st, "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                               f"'{stack.DB}'").strip())
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=float(os.environ.get("SOAK_MINUTES", "10")))
    ap.add_argument("--interval", type=float, default=60)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--pause", type=float, default=0.1)
    ap.add_argument("--up", action="store_true", help="bring up a stack of its own and stop it at the end")
    a = ap.parse_args()
    if a.up:
        subprocess.run([os.path.join(L.ROOT, "ops", "stack"), "up", "--instances", "2", "--replicas", "1",
                        "--no-monitoring"], check=True)
    try:
        st = stack.load_state()
        if not st or not st.get("routed"):
            log("no running stack with routed instances: ops/stack up first (or --up)")
            return 1
        run_id = "s" + time.strftime("%H%M%S")
        load = L.Load(st, L.Target.ingress(st), L.login(st), run_id, workers=a.workers, pause=a.pause,
                      max_requests=10 ** 7).start()
        load.started = time.time()
        log(f"{a.minutes} min of mixed load through the ingress on {st['routed']} ({a.workers} workers, pause "
            f"{a.pause} s); a sample every {a.interval:.0f} s")
        samples, since, end = [], time.time(), time.time() + a.minutes * 60
        while True:
            time.sleep(max(0.0, min(a.interval, end - time.time())))
            row = sample(st, load, since)
            since = time.time()
            samples.append(row)
            log(json.dumps(row))
            if time.time() >= end - 1:
                break
        load.stop()
        rec = load.window()
        lost, dup, _ = L.verify_writes(st, load.writes, run_id)
        failed = [r for r in rec if not r.ok]
        violations = []
        if failed:
            violations.append(f"{len(failed)} failed requests, e.g. "
                              f"{[(r.status, r.error or r.body[:120]) for r in failed[:3]]}")
        if lost or dup:
            violations.append(f"acknowledged writes lost {len(lost)}, duplicated {len(dup)}")
        third = max(1, len(samples) // 3)
        for name in st["routed"]:
            heap = [s[name]["heap_after_gc_mib"] for s in samples]
            first, last = sum(heap[:third]) / third, sum(heap[-third:]) / third
            if last > first + max(0.15 * first, 16):
                violations.append(f"{name}: heap after GC grew from {first:.1f} to {last:.1f} MiB")
            pool = [s[name]["pool_total"] for s in samples[1:]] or [0]
            if max(pool) - min(pool) > 5:
                violations.append(f"{name}: pool connections vary {min(pool)}..{max(pool)}")
        pg = [s["pg_connections"] for s in samples[1:]] or [0]
        if max(pg) - min(pg) > 5:
            violations.append(f"PostgreSQL connections vary {min(pg)}..{max(pg)}")
        la = os.getloadavg()
        report = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "minutes": a.minutes,
                  "requests": len(rec), "failed": len(failed), "writes": len(load.writes),
                  "acked": sum(1 for w in load.writes if w["acked"]), "lost": len(lost), "duplicated": len(dup),
                  "p99_ms": round(L.percentile([r.seconds for r in rec], 99) * 1000), "loadavg": la,
                  "samples": samples, "violations": violations}
        os.makedirs(OUT, exist_ok=True)
        with open(os.path.join(OUT, "soak.json"), "w") as f:
            json.dump(report, f, indent=2)
        names = st["routed"]
        lines = ["| minute | requests | failed | p99 | " + " | ".join(
            f"{n}: heap after GC / pool / threads / RSS" for n in names) + " | PostgreSQL connections |",
            "| --- | --- | --- | --- | " + " | ".join("---" for _ in names) + " | --- |"]
        for s in samples:
            lines.append(f"| {s['t_min']} | {s['requests']} | {s['failed']} | {s['p99_ms']} ms | " + " | ".join(
                f"{s[n]['heap_after_gc_mib']} MiB / {s[n]['pool_total']:.0f} / {s[n]['threads']:.0f} / "
                f"{s[n]['rss_mib']} MiB" for n in names) + f" | {s['pg_connections']} |")
        md = "\n".join(lines)
        with open(os.path.join(OUT, "soak.md"), "w") as f:
            f.write(md + "\n")
        print(md)
        log(f"{len(rec)} requests, {len(failed)} failed; writes {report['acked']} acknowledged of "
            f"{len(load.writes)}, lost {len(lost)}, duplicated {len(dup)}; p99 {report['p99_ms']} ms; load average "
            f"{la[0]:.1f} {la[1]:.1f} {la[2]:.1f}")
        log("SOAK " + ("PASSED" if not violations else "FAILED: " + "; ".join(violations)))
        return 1 if violations else 0
    finally:
        if a.up:
            subprocess.run([os.path.join(L.ROOT, "ops", "stack"), "down"])


if __name__ == "__main__":
    sys.exit(main())
