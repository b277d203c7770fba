#!/usr/bin/env python3
"""Fault suite on the local stack (ops/stack): real faults injected into real processes under bounded mixed load.

  ops/faults/run.py [--short] [--faults 1,2,...] [--up]

Needs a running `ops/stack up` with at least one PostgreSQL replica (`--up` brings up its own: 2 instances,
1 replica, no monitoring, and stops it at the end); starts instances until two are routed. For each fault, the
mixed load of ops/faults/load.py (authenticated reads, cached reads, hires with a marker and an Idempotency-Key)
runs through the ingress while the fault is injected and cleared, then the suite prints: requests, status classes,
p99, the slowest answer against the fault's bound, error answers that are not application/problem+json (and 503s
without Retry-After), time from "fault cleared" to the first success and to steady success, and acknowledged writes
lost or duplicated (counted in SQL on the primary). Each fault asserts what the service promises
(docs/operations/resilience.md); the exit status is 1 when any expectation failed, with the diagnosis printed.

Faults: 1 PostgreSQL restart (fast), 2 PostgreSQL crash (SIGKILL of the postmaster, restart with crash recovery),
3 PostgreSQL down for 20 s, 4 Redis killed and restarted, 6 table lock held (LOCK TABLE; full run: small and large
pool), 7 concurrent conditional updates on two instances (same If-Match), 8 loss of a replica (full run: then a
replica lagging past max-lag), 5 SIGTERM of an instance under load (last: it leaves one instance fewer). --short: shorter outages and fewer requests (CI).
Report: target/faults/report.json and report.md (the table for the docs).
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import load as L  # noqa: E402

stack = L.stack
OUT = os.path.join(L.ROOT, "target", "faults")
T0 = time.time()
SLACK = float(os.environ.get("FAULTS_SLACK", "1.5"))  # for time bounds on a busy 2-core machine


def log(msg):
    print(f"[faults {time.time() - T0:6.1f}s] {msg}", flush=True)


class Settings:
    def __init__(self, short):
        self.short = short
        self.workers = 6
        self.pause = 0.05
        self.baseline = 2 if short else 5
        self.settle = 2 if short else 5
        self.recover_timeout = 45 if short else 90
        self.down = 5 if short else 20        # fault 3
        self.redis_down = 5 if short else 15  # fault 4 (longer than the breaker's open-for, 10 s)
        self.lock_hold = 4 if short else 10   # fault 6
        self.rounds = 5 if short else 20      # fault 7
        self.patches = 6 if short else 8
        self.replica_down = 5 if short else 15  # fault 8


# ------------------------------------------------------------------------------------------------- the observation
class Observation:
    """Runs the load, injects and clears a fault, waits for recovery, then measures and checks."""

    def __init__(self, ctx, fid, title, bound, target=None):
        self.ctx, self.fid, self.title, self.bound = ctx, fid, title, bound
        self.target = target or L.Target.ingress(ctx.st)
        self.violations, self.notes, self.extra = [], [], {}
        self.t_inject = self.t_clear = None

    def run(self, inject, clear):
        c = self.ctx
        log(f"== fault {self.fid}: {self.title}")
        self.run_id = f"{c.run}{self.fid}"
        load = L.Load(c.st, self.target, c.token, self.run_id, workers=c.s.workers, pause=c.s.pause).start()
        self.t_start = time.time()
        time.sleep(c.s.baseline)
        self.t_inject = time.time()
        try:
            inject()
            log(f"   injected ({time.time() - self.t_inject:.1f} s)")
            clear()
        finally:
            self.t_clear = time.time()
        log(f"   cleared {self.t_clear - self.t_inject:.1f} s after the injection")
        self.wait_recovered(load)
        stuck = load.stop()
        if stuck:
            self.violations.append(f"{len(stuck)} load workers did not finish within 60 s")
        self.t_end = time.time()
        self.load = load
        return self

    def wait_recovered(self, load):
        """Until SETTLE seconds of nothing but successes after the last failure (bounded by RECOVER_TIMEOUT)."""
        s = self.ctx.s
        deadline = self.t_clear + s.recover_timeout
        self.first_success = self.steady = None
        while time.time() < deadline:
            after = sorted(load.window(self.t_clear - 60), key=lambda r: r.start)
            after = [r for r in after if r.end >= self.t_clear]
            ok = [r for r in after if r.ok and r.start >= self.t_clear]
            if ok and self.first_success is None:
                self.first_success = min(r.end for r in ok) - self.t_clear
            failed = [r for r in after if not r.ok]
            steady_from = max((r.end for r in failed), default=self.t_clear)
            if any(r.ok and r.start >= steady_from for r in after) and time.time() - steady_from >= s.settle:
                self.steady = max(0.0, steady_from - self.t_clear)
                return
            time.sleep(0.25)
        last = [r for r in load.window(self.t_clear) if not r.ok][-3:]
        self.violations.append(f"no steady success within {s.recover_timeout} s of clearing the fault; last "
                               f"failures: {[(r.status, r.error or r.body[:120]) for r in last]}")

    # ------------------------------------------------------------------------------------------- measurement
    def measure(self):
        rec = self.load.window()
        fault_window = [r for r in rec if r.end >= self.t_inject - 0.5 and r.start <= self.t_clear + 1]
        m = {"fault": self.fid, "title": self.title, "requests": len(rec),
             "2xx": sum(1 for r in rec if 200 <= r.status < 300), "4xx": sum(1 for r in rec if 400 <= r.status < 500),
             "5xx": sum(1 for r in rec if r.status >= 500), "conn_errors": sum(1 for r in rec if r.status == 0),
             "statuses": {}, "p99_s": round(L.percentile([r.seconds for r in rec], 99), 3),
             "p99_fault_window_s": round(L.percentile([r.seconds for r in fault_window], 99), 3),
             "slowest_s": round(max((r.seconds for r in rec), default=0), 3),
             "slowest_status": max(rec, key=lambda r: r.seconds).status if rec else None, "bound_s": self.bound,
             "baseline_p99_s": round(L.percentile([r.seconds for r in rec if r.end < self.t_inject], 99), 3),
             "fault_s": round(self.t_clear - self.t_inject, 1),
             "first_success_s": None if self.first_success is None else round(self.first_success, 2),
             "steady_s": None if self.steady is None else round(self.steady, 2)}
        for r in rec:
            m["statuses"][str(r.status)] = m["statuses"].get(str(r.status), 0) + 1
        errors = [r for r in rec if r.status >= 400]
        m["not_problem_json"] = sum(1 for r in errors if r.ctype != L.PROBLEM)
        m["503_without_retry_after"] = sum(1 for r in rec if r.status == 503 and not r.retry_after)
        writes = self.load.writes
        lost, dup, unacked = L.verify_writes(self.ctx.st, writes, self.run_id)
        m.update({"writes": len(writes), "acked": sum(1 for w in writes if w["acked"]), "lost": len(lost),
                  "duplicated": len(dup), "committed_unacknowledged": len(unacked),
                  "retried_writes": sum(1 for w in writes if w["attempts"] > 1)})
        m.update(self.extra)
        self.m = m
        self.sample_errors = [(r.status, r.ctype, r.error or r.body[:160].decode(errors="replace")) for r in errors
                              + [r for r in rec if r.status == 0]][:5]
        return m

    def check(self, allowed_5xx=(503, 504), allow_conn_errors=False, require_errors=False, max_failed=None):
        m, v = self.m, self.violations
        bad5 = {s: n for s, n in m["statuses"].items() if int(s) >= 500 and int(s) not in allowed_5xx}
        if bad5:
            v.append(f"unexpected 5xx {bad5} (allowed: {list(allowed_5xx) or 'none'}); e.g. {self.sample_errors}")
        if m["4xx"]:
            v.append(f"{m['4xx']} answers 4xx ({ {s: n for s, n in m['statuses'].items() if s.startswith('4')} })")
        if m["conn_errors"] and not allow_conn_errors:
            v.append(f"{m['conn_errors']} requests got no answer: {self.sample_errors}")
        if m["not_problem_json"]:
            v.append(f"{m['not_problem_json']} error answers not {L.PROBLEM}: {self.sample_errors}")
        if m["503_without_retry_after"]:
            v.append(f"{m['503_without_retry_after']} answers 503 without Retry-After")
        # The bound is the service's promise; the machine adds its own delay (2 shared cores), measured as the p99
        # of the same load before the fault.
        limit = m["limit_s"] = round(self.bound * SLACK + m["baseline_p99_s"], 2)
        if m["slowest_s"] > limit:
            slow = max(self.load.window(), key=lambda r: r.seconds)
            v.append(f"slowest answer {m['slowest_s']} s > bound {self.bound} s x {SLACK} + baseline p99 "
                     f"{m['baseline_p99_s']} s ({slow.kind}, status {slow.status}, "
                     f"{slow.error or slow.body[:100]!r})")
        if m["lost"] or m["duplicated"]:
            v.append(f"acknowledged writes lost {m['lost']}, duplicated {m['duplicated']}")
        if m["acked"] == 0:
            v.append("no write was acknowledged: the load did not exercise writes")
        failed = m["requests"] - m["2xx"]
        if require_errors and failed == 0:
            v.append("no request failed: the fault did not reach the service (the check would prove nothing)")
        if max_failed is not None and failed > max_failed:
            v.append(f"{failed} requests failed (at most {max_failed} expected)")
        return self

    def report(self):
        m = self.m
        log(f"   {m['requests']} requests: 2xx {m['2xx']}, 4xx {m['4xx']}, 5xx {m['5xx']}, no answer "
            f"{m['conn_errors']} ({m['statuses']}); p99 {m['p99_s']} s; slowest {m['slowest_s']} s (bound "
            f"{m['bound_s']} s; baseline p99 {m['baseline_p99_s']} s); not problem+json {m['not_problem_json']}; "
            f"fault {m['fault_s']} s; recovered: first success {m['first_success_s']} s, steady {m['steady_s']} s "
            f"after clearing; writes {m['writes']}, "
            f"acknowledged {m['acked']}, lost {m['lost']}, duplicated {m['duplicated']}, retried "
            f"{m['retried_writes']}, committed but unacknowledged {m['committed_unacknowledged']}")
        for k, val in self.extra.items():
            log(f"   {k}: {val}")
        for n in self.notes:
            log(f"   note: {n}")
        for v in self.violations:
            log(f"   FAIL fault {self.fid}: {v}")
        if not self.violations:
            log(f"   PASS fault {self.fid}")
        m["violations"] = self.violations
        m["notes"] = self.notes
        self.ctx.results.append(m)


def noop():
    pass


# ------------------------------------------------------------------------------------------------- processes
def primary(st):
    return st["pg"][0]


def pg_stop(node, mode="fast"):
    stack.as_postgres([f"{stack.PG_BIN}/pg_ctl", "-D", node["dir"], "-m", mode, "-w", "-t", "60", "stop"],
                      stdout=subprocess.DEVNULL)


def postmaster_pid(node):
    with open(os.path.join(node["dir"], "postmaster.pid")) as f:
        return int(f.readline())


def children(pid):
    out = subprocess.run(["ps", "--ppid", str(pid), "-o", "pid="], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def wait_for(what, pred, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if pred():
            return True
        time.sleep(0.2)
    raise RuntimeError(f"{what} within {seconds} s")


def redis_ping(st):
    r = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(st["env"]["STACK_REDIS_PORT"]), "ping"],
                       capture_output=True, text=True, timeout=5)
    return r.stdout.strip() == "PONG"


def instance_metrics(st, names=None):
    return {n: L.metrics(f"http://127.0.0.1:{i['management_port']}/metrics")
            for n, i in st["instances"].items() if names is None or n in names}


def ensure_routed(ctx, count):
    st = ctx.st
    routed = [n for n in st["routed"] if n in st["instances"]]
    n = 1
    new = []
    while len(routed) + len(new) < count:
        name = f"f{n}"
        n += 1
        if name in st["instances"]:
            continue
        stack.start_instance(st, name)
        new.append(name)
    for name in new:
        stack.wait_ready(st, name)
    if new:
        stack.route(st, routed + new)
    return st["routed"]


# ------------------------------------------------------------------------------------------------- faults
def fault_restart(ctx):
    node = primary(ctx.st)

    def inject():
        pg_stop(node, "fast")
        stack.pg_start(node)
    o = Observation(ctx, 1, "PostgreSQL restart (pg_ctl stop -m fast, start)", bound=2.0).run(inject, noop)
    o.measure()
    o.check(allowed_5xx=(503,), require_errors=False).report()


def fault_crash(ctx):
    node = primary(ctx.st)

    def inject():
        pid = postmaster_pid(node)
        backends = children(pid)
        os.kill(pid, signal.SIGKILL)
        # The backends notice that their postmaster died and exit; only then can a new one start.
        try:
            wait_for("orphaned backends exited", lambda: not any(stack.alive(b) for b in backends), 20)
        except RuntimeError as e:
            raise RuntimeError(f"{e}: {[b for b in backends if stack.alive(b)]}") from None
        time.sleep(1 if ctx.s.short else 3)

    def clear():
        stack.pg_start(node)  # crash recovery first
    o = Observation(ctx, 2, "PostgreSQL crash (SIGKILL of the postmaster, restart with crash recovery)",
                    bound=2.0).run(inject, clear)
    o.measure()
    o.check(allowed_5xx=(503,), require_errors=True).report()


def fault_down(ctx):
    node = primary(ctx.st)
    secs = ctx.s.down
    ready = {}

    def inject():
        pg_stop(node, "fast")

    def clear():
        time.sleep(secs / 2)
        # Readiness answers 503 within its bound while the database is down (the ingress keeps routing here;
        # Kubernetes would take the pods out of the Service).
        inst = ctx.st["instances"][ctx.st["routed"][0]]
        r = L.request(L.Target(f"http://127.0.0.1:{inst['port']}"), "GET", "/api/v1/health/ready")
        ready.update(status=r.status, seconds=round(r.seconds, 2), ctype=r.ctype)
        time.sleep(secs / 2)
        stack.pg_start(node)
    o = Observation(ctx, 3, f"PostgreSQL down for {secs} s", bound=2.0).run(inject, clear)
    o.extra["readiness_while_down"] = ready
    o.measure()
    o.check(allowed_5xx=(503,), require_errors=True)
    if ready.get("status") != 503 or ready.get("seconds", 99) > 1.0 * SLACK:
        o.violations.append(f"readiness while the database was down: {ready} (expected 503 within 1 s)")
    o.report()


def fault_redis(ctx):
    st = ctx.st
    secs = ctx.s.redis_down

    def inject():
        pid = st["procs"]["redis"]
        os.kill(pid, signal.SIGKILL)
        wait_for("Redis gone", lambda: gone(pid), 10)

    def clear():
        time.sleep(secs)
        o.extra["breaker_open_while_down"] = {
            n: L.metric_sum(mm, "resilience4j_circuitbreaker_state", name="redis-cache", state="open")
            for n, mm in instance_metrics(st, st["routed"]).items()}
        stack.start_redis(st)
        wait_for("Redis answering PONG", lambda: redis_ping(st), 15)
    o = Observation(ctx, 4, f"Redis killed (SIGKILL) for {secs} s, then restarted", bound=1.0)
    o.run(inject, clear)
    rec = o.load.window()
    base = [r for r in rec if r.ok and r.end < o.t_inject]
    during = [r for r in rec if r.ok and r.start >= o.t_inject + 0.5 and r.end <= o.t_clear]
    added = {}
    for kind in ("read", "cached", "write"):
        b = [r.seconds for r in base if r.kind == kind]
        d = [r.seconds for r in during if r.kind == kind]
        if b and d:
            added[kind] = {"baseline_p50_ms": round(L.percentile(b, 50) * 1000), "down_p50_ms":
                           round(L.percentile(d, 50) * 1000), "added_p50_ms":
                           round((L.percentile(d, 50) - L.percentile(b, 50)) * 1000),
                           "down_p99_ms": round(L.percentile(d, 99) * 1000), "n_down": len(d)}
    o.extra["latency_redis_down"] = added
    o.measure()
    o.check(allowed_5xx=(), max_failed=0)
    for kind in ("read", "cached", "write"):
        if kind not in added:
            o.violations.append(f"no successful {kind} while Redis was down")
        elif added[kind]["added_p50_ms"] > 100 * SLACK:
            o.violations.append(f"{kind}s took {added[kind]['added_p50_ms']} ms longer (median) with Redis down "
                                f"(bound ~100 ms x {SLACK})")
    o.report()


def gone(pid):
    """PID has exited (and is reaped, when it was started by this process: a restarted Redis is)."""
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return True
    except ChildProcessError:
        pass
    return not stack.alive(pid)


def lock_table(ctx, secs):
    """A session that holds LOCK TABLE employees (ACCESS EXCLUSIVE) for SECS seconds; returns it once granted."""
    st = ctx.st
    sql = f"BEGIN; LOCK TABLE employees IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep({secs}); COMMIT;"
    p = subprocess.Popen(["runuser", "-u", "postgres", "--", f"{stack.PG_BIN}/psql", "-h", "127.0.0.1", "-p",
                          str(primary(st)["port"]), "-U", "postgres", "-d", stack.DB, "-qAtc", sql],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_for("LOCK TABLE granted", lambda: stack.psql(
        st, "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'employees' "
            "AND l.mode = 'AccessExclusiveLock' AND l.granted").strip() == "1", 10)
    return p


def fault_lock(ctx):
    st = ctx.st
    secs = ctx.s.lock_hold
    # A write may wait 1.5 s for a pooled connection and then up to its lock timeout (2 s) per lock it needs,
    # always within its statement timeout (5 s).
    bound = 5.0
    if ctx.s.short:
        variants = [("ingress, default pool", None, None)]
    else:
        variants = [("small pool (2 connections)", "lock-small", {"SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE": "2",
                                                                 "SPRING_DATASOURCE_HIKARI_MINIMUM_IDLE": "2"}),
                    ("large pool (60 connections)", "lock-large", {"SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE": "60",
                                                                  "SPRING_DATASOURCE_HIKARI_MINIMUM_IDLE": "10"})]
        for _, name, env in variants:
            stack.start_instance(st, name, env=env)
        for _, name, env in variants:
            stack.wait_ready(st, name)
    for i, (label, name, _) in enumerate(variants):
        target = L.Target.instance(st, name) if name else None
        holder = {}

        def inject():
            holder["p"] = lock_table(ctx, secs)

        def clear():
            p = holder["p"]
            try:
                p.wait(secs + 15)
            except subprocess.TimeoutExpired:
                p.kill()
                raise RuntimeError("the lock-holding session did not end") from None
        fid = 6 if len(variants) == 1 else f"6{'ab'[i]}"
        o = Observation(ctx, fid, f"LOCK TABLE employees held {secs} s, {label}", bound=bound, target=target)
        o.run(inject, clear)
        o.measure()
        o.check(allowed_5xx=(503, 504), require_errors=True).report()
    for _, name, _ in variants:
        if name:
            stack.stop_instance(st, name, prestop=False)


def fault_conditional(ctx):
    st = ctx.st
    a, b = st["routed"][:2]
    ta, tb = L.Target.instance(st, a), L.Target.instance(st, b)
    marker = f"flt-{ctx.run}7-target"
    hire = L.request(ta, "POST", "/api/v1/employees", ctx.token, {
        "firstName": "Fault", "lastName": marker, "birthDate": "1990-01-01", "gender": "X",
        "hireDate": time.strftime("%Y-%m-%d"), "email": f"{marker}@faults.example.com", "deptNo": "d005",
        "title": "Engineer", "salary": {"amount": 50000}})
    if hire.status != 201:
        raise RuntimeError(f"could not hire the employee for fault 7: {hire.status} {hire.body[:200]!r}")
    emp = json.loads(hire.body)["empNo"]
    rounds = []

    def inject():
        for rnd in range(ctx.s.rounds):
            g = L.request(ta, "GET", f"/api/v1/employees/{emp}", ctx.token)
            etag = g.etag
            v0 = stack.psql(st, f"SELECT version FROM employees WHERE emp_no = {emp}").strip()
            barrier = threading.Barrier(ctx.s.patches)
            answers = [None] * ctx.s.patches

            def patch(i):
                barrier.wait(10)
                answers[i] = L.request(ta if i % 2 == 0 else tb, "PATCH", f"/api/v1/employees/{emp}", ctx.token,
                                       {"address": f"round {rnd} writer {i}"},
                                       {"If-Match": etag, "Content-Type": "application/merge-patch+json"})
            threads = [threading.Thread(target=patch, args=(i,)) for i in range(ctx.s.patches)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(30)
            statuses = [r.status if r else None for r in answers]
            winners = [i for i, s in enumerate(statuses) if s == 200]
            row = stack.psql(st, f"SELECT version, address FROM employees WHERE emp_no = {emp}").strip().split("|")
            rounds.append({"round": rnd, "statuses": statuses, "version_before": int(v0), "version_after":
                           int(row[0]), "address": row[1], "winner": winners,
                           "412_problem": all(r.ctype == L.PROBLEM for r in answers if r and r.status == 412),
                           "instances": sorted({r.upstream or "direct" for r in answers if r})})
    o = Observation(ctx, 7, f"{ctx.s.rounds} rounds of {ctx.s.patches} concurrent PATCHes with one If-Match on "
                            f"instances {a} and {b}", bound=2.0).run(inject, noop)
    o.measure()
    o.check(allowed_5xx=())
    bad = [r for r in rounds if sorted(r["statuses"]) != [200] + [412] * (ctx.s.patches - 1)
           or r["version_after"] != r["version_before"] + 1 or not r["412_problem"]
           or r["address"] != f"round {r['round']} writer {r['winner'][0] if r['winner'] else '?'}"]
    o.extra["conditional_updates"] = (f"{len(rounds)} rounds: {len(rounds) - len(bad)} with exactly one 200 and "
                                      f"{ctx.s.patches - 1} x 412 problem+json, version +1 and the winner's value "
                                      f"in the row")
    if bad or len(rounds) != ctx.s.rounds:
        o.violations.append(f"rounds not as expected: {bad[:3]}")
    o.report()


def reads(ms):
    """employee_mgmt_db_reads_total summed over instances, by "target/reason"."""
    out = {}
    for mm in ms.values():
        for series, val in mm.items():
            if series.startswith("employee_mgmt_db_reads_total{"):
                labels = dict(kv.split("=", 1) for kv in series[series.index("{") + 1:-1].split(","))
                key = f"{labels.get('target', '?').strip(chr(34))}/{labels.get('reason', '?').strip(chr(34))}"
                out[key] = out.get(key, 0) + val
    return out


def gauge(ms, name):
    return {n: {s[s.index("{"):]: v for s, v in mm.items() if s.startswith(name + "{")} for n, mm in ms.items()}


def in_rotation(st, names):
    return all(L.metric_sum(mm, "employee_mgmt_db_replica_available") >= 1
               for mm in instance_metrics(st, names).values())


def psql_on(node, sql):
    subprocess.run(["runuser", "-u", "postgres", "--", f"{stack.PG_BIN}/psql", "-h", "127.0.0.1", "-p",
                    str(node["port"]), "-U", "postgres", "-qAtc", sql], check=True, capture_output=True)


def fault_replica_lag(ctx, node, names):
    """Full run only: the standby stops replaying WAL (pg_wal_replay_pause) while hires continue, so it falls behind
    by more than max-lag (5 s): it must be skipped (reads to the primary, no failure), the lag gauge must show it,
    and it must return to rotation once replay resumes."""
    st = ctx.st
    secs = 12
    snap = {"lag_max": 0.0}

    def inject():
        snap["before"] = reads(instance_metrics(st, names))
        psql_on(node, "SELECT pg_wal_replay_pause()")

    def clear():
        deadline = time.time() + secs
        while time.time() < deadline:
            ms = instance_metrics(st, names)
            snap["lag_max"] = max([snap["lag_max"]] + [L.metric_sum(mm, "employee_mgmt_db_replica_lag_seconds")
                                                       for mm in ms.values()])
            time.sleep(1)
        ms = instance_metrics(st, names)
        snap["during"] = reads(ms)
        snap["available_end"] = gauge(ms, "employee_mgmt_db_replica_available")
        psql_on(node, "SELECT pg_wal_replay_resume()")

    o = Observation(ctx, "8b", f"replica {node['name']} stops replaying WAL for {secs} s (lag > max-lag 5 s)",
                    bound=2.0).run(inject, clear)
    try:
        wait_for("the replica back in rotation after replay resumed", lambda: in_rotation(st, names), 30)
    except RuntimeError as e:
        o.violations.append(str(e))
    delta = {k: v - snap["before"].get(k, 0) for k, v in snap["during"].items() if v - snap["before"].get(k, 0)}
    o.extra.update({"reads_while_paused": delta, "lag_max_s": round(snap["lag_max"], 1),
                    "replica_available_at_end_of_pause": snap["available_end"]})
    o.measure()
    o.check(allowed_5xx=(), max_failed=0)
    if snap["lag_max"] <= 5:
        o.violations.append(f"the lag gauge never passed max-lag (max {snap['lag_max']} s)")
    if any(v for d in snap["available_end"].values() for v in d.values()):
        o.violations.append(f"the lagging replica was still in rotation: {snap['available_end']}")
    if not delta.get("primary/no-replica-in-rotation"):
        o.violations.append(f"no read was sent to the primary for want of a replica in rotation: {delta}")
    o.report()


def fault_replica(ctx):
    st = ctx.st
    if len(st["pg"]) < 2:
        ctx.results.append({"fault": 8, "title": "loss of a replica", "violations": ["the stack has no replica"]})
        log("   FAIL fault 8: the stack has no PostgreSQL replica (ops/stack up --replicas 1)")
        return
    node = st["pg"][1]
    secs = ctx.s.replica_down
    names = list(st["routed"])
    snap = {}

    def inject():
        snap["before"] = reads(instance_metrics(st, names))
        snap["lag_before"] = gauge(instance_metrics(st, names), "employee_mgmt_db_replica_lag_seconds")
        pg_stop(node, "immediate")

    def clear():
        time.sleep(secs)
        ms = instance_metrics(st, names)
        snap["during"] = reads(ms)
        snap["available_during"] = gauge(ms, "employee_mgmt_db_replica_available")
        stack.pg_start(node)

    o = Observation(ctx, 8, f"loss of replica {node['name']} (pg_ctl stop -m immediate) for {secs} s",
                    bound=2.0).run(inject, clear)
    t_back = None
    try:
        wait_for("the replica back in rotation on every instance", lambda: in_rotation(st, names), 30)
        t_back = time.time() - o.t_clear
    except RuntimeError as e:
        o.violations.append(str(e))
    snap["back"] = reads(instance_metrics(st, names))
    # A few more seconds of load so that reads return to the replica.
    more = L.Load(st, o.target, ctx.token, f"{ctx.run}8x", workers=2, pause=0.1).start()
    time.sleep(3)
    more.stop()
    after = reads(instance_metrics(st, names))
    delta_fault = {k: v - snap["before"].get(k, 0) for k, v in snap["during"].items() if v - snap["before"].get(k, 0)}
    delta_after = {k: v - snap["back"].get(k, 0) for k, v in after.items() if v - snap["back"].get(k, 0)}
    o.extra.update({"reads_during_loss": delta_fault, "reads_3s_after_return": delta_after,
                    "replica_available_during": snap["available_during"],
                    "replica_lag_s_before": snap["lag_before"],
                    "replica_lag_s_after": gauge(instance_metrics(st, names), "employee_mgmt_db_replica_lag_seconds"),
                    "back_in_rotation_s": None if t_back is None else round(t_back, 1)})
    o.measure()
    # A read running on the standby when it dies fails (503); every later read goes to the primary.
    o.check(allowed_5xx=(503,), max_failed=ctx.s.workers * 2)
    if not any(k.startswith("primary/") and k != "primary/replica" for k in delta_fault):
        o.violations.append(f"no read fell back to the primary while the replica was gone: {delta_fault}")
    if any(v for d in snap["available_during"].values() for v in d.values()):
        o.violations.append(f"replica still reported available while stopped: {snap['available_during']}")
    if not any(k.startswith("replica-") for k in delta_after):
        o.violations.append(f"reads did not return to the replica after it came back: {delta_after}")
    o.report()
    if not ctx.s.short:
        fault_replica_lag(ctx, node, names)


def fault_sigterm(ctx):
    st = ctx.st
    victim = st["routed"][-1]
    manifest = st["prestop_seconds"]
    # The short run compresses the preStop sleep (10 s in the manifest): the routing change is an nginx reload
    # here, not a propagation through kube-proxy.
    secs = min(manifest, 2) if ctx.s.short else manifest

    def inject():
        st["prestop_seconds"] = secs
        try:
            stack.stop_instance(st, victim, prestop=True)
        finally:
            st["prestop_seconds"] = manifest
            stack.save_state(st)
    o = Observation(ctx, 5, f"SIGTERM of instance {victim} under load (out of the routing, preStop {secs} s, "
                            f"SIGTERM, drain)", bound=2.0).run(inject, noop)
    o.measure()
    o.check(allowed_5xx=(503,))
    o.report()


FAULTS = {1: fault_restart, 2: fault_crash, 3: fault_down, 4: fault_redis, 6: fault_lock, 7: fault_conditional,
          8: fault_replica, 5: fault_sigterm}


# ------------------------------------------------------------------------------------------------- main
class Context:
    def __init__(self, st, s):
        self.st, self.s = st, s
        self.run = time.strftime("%H%M%S")
        self.results = []
        self.token = None


def slowest_status(m):
    return f", {m['slowest_status']}" if m.get("slowest_status") is not None else ""


def table(results):
    lines = ["| Fault | Requests | 2xx / 4xx / 5xx / no answer | p99 | slowest (bound; limit here) | not problem+json "
             "| recovery: first success / steady | writes acked | lost / duplicated | result |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for m in results:
        if "requests" not in m:
            lines.append(f"| {m['fault']}. {m['title']} | — | — | — | — | — | — | — | — | FAIL: "
                         f"{'; '.join(m['violations'])} |")
            continue
        rec = (f"{m['first_success_s']} s / {m['steady_s']} s" if m["first_success_s"] is not None else "—")
        lines.append(f"| {m['fault']}. {m['title']} | {m['requests']} | {m['2xx']} / {m['4xx']} / {m['5xx']} / "
                     f"{m['conn_errors']} | {m['p99_s']:.2f} s | {m['slowest_s']:.2f} s{slowest_status(m)} "
                     f"({m['bound_s']:.0f} s; {m.get('limit_s', 0):.2f} s) | "
                     f"{m['not_problem_json']} | {rec} | {m['acked']} of {m['writes']} | {m['lost']} / "
                     f"{m['duplicated']} | {'PASS' if not m['violations'] else 'FAIL'} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--short", action="store_true", help="shorter outages, fewer requests (CI)")
    ap.add_argument("--faults", default="1,2,3,4,6,7,8,5", help="which faults, in this order")
    ap.add_argument("--up", action="store_true", help="bring up a stack of its own (2 instances, 1 replica) and "
                                                      "stop it at the end")
    a = ap.parse_args()
    s = Settings(a.short)
    if a.up:
        subprocess.run([os.path.join(L.ROOT, "ops", "stack"), "up", "--instances", "2", "--replicas", "1",
                        "--no-monitoring"], check=True)
    try:
        st = stack.load_state()
        if not st or not st["procs"]:
            log("no running stack: ops/stack up --instances 2 --replicas 1 first (or --up)")
            return 1
        ctx = Context(st, s)
        t = time.time()
        routed = ensure_routed(ctx, 2)
        log(f"routed instances: {routed} ({time.time() - t:.0f} s to make sure of two); "
            f"{'short' if s.short else 'full'} run; load {s.workers} workers, pause {s.pause} s; "
            f"time bounds x {SLACK}")
        ctx.token = L.login(st)
        for path in L.CACHED:  # warm the cache
            L.request(L.Target.ingress(st), "GET", path, ctx.token)
        for f in a.faults.split(","):
            t = time.time()
            try:
                FAULTS[int(f)](ctx)
            except Exception as e:  # a fault that could not be run is a failure with its diagnosis
                log(f"   FAIL fault {f}: could not run it: {type(e).__name__}: {e}")
                ctx.results.append({"fault": int(f), "title": FAULTS[int(f)].__name__, "violations":
                                    [f"could not run: {type(e).__name__}: {e}"]})
            log(f"   ({time.time() - t:.1f} s)")
        la = os.getloadavg()
        os.makedirs(OUT, exist_ok=True)
        report = {"mode": "short" if s.short else "full", "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                  "seconds": round(time.time() - T0, 1), "loadavg": la, "slack": SLACK, "results": ctx.results}
        with open(os.path.join(OUT, "report.json"), "w") as f:
            json.dump(report, f, indent=2, default=str)
        md = table(ctx.results)
        with open(os.path.join(OUT, "report.md"), "w") as f:
            f.write(md + "\n")
        print(md)
        failed = [m for m in ctx.results if m["violations"]]
        log(f"{len(ctx.results)} faults in {time.time() - T0:.0f} s, load average {la[0]:.1f} {la[1]:.1f} "
            f"{la[2]:.1f}; report {OUT}/report.json")
        log("FAULT SUITE " + ("PASSED" if not failed else
                              "FAILED: " + "; ".join(f"{m['fault']}: {' / '.join(m['violations'])}" for m in failed)))
        return 1 if failed else 0
    finally:
        if a.up:
            subprocess.run([os.path.join(L.ROOT, "ops", "stack"), "down"])


if __name__ == "__main__":
    sys.exit(main())
