#!/usr/bin/env python3
"""Blue-green and rolling-update proof on the local stack (a test harness, not a product feature).

Needs a running `ops/stack up` (any number of instances). Under bounded load through the stack's nginx (the
ingress), it runs, in this order:
  rolling    the dev/staging strategy: every routed instance replaced one at a time, new one ready before the old
             one leaves (maxSurge 1, maxUnavailable 0), the old one drained with the manifest's preStop sleep and
             SIGTERM. Expect 0 failed requests.
  promotion  green starts beside blue (not routed = the preview), the smoke test runs against green, the
             pre-promotion analysis queries run against Prometheus, traffic switches to green (nginx reload =
             activeService selector switch), blue is drained. Expect 0 failed requests; measures green ready -> blue
             gone.
  rollback   a new green (a database role the harness can revoke) is promoted; the post-promotion analysis runs with
             the template's own PromQL, interval, count and failureLimit against Prometheus; the harness's fault
             switch revokes that role's privileges, so green answers 500; the failed measurement switches traffic
             back to blue, which was kept running as Argo keeps the stable ReplicaSet. Measures first failed request
             -> first request served by blue again (spec: < 2 min).
The analysis queries and thresholds are read from the rendered prod overlay's AnalysisTemplates (one source).
Deliberate compressions, printed in the report: scaleDownDelaySeconds (600 s) is not waited for in `promotion`
(blue is drained right after the switch), and the pre-promotion metrics' initialDelay is replaced by waiting until
Prometheus has scraped the ready green. Writes target/stack/bluegreen-report.json; exit 1 if any expectation fails.
"""
import argparse
import http.client
import json
import math
import os
import re
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from importlib.machinery import SourceFileLoader
from importlib.util import module_from_spec, spec_from_loader

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
_loader = SourceFileLoader("stack", os.path.join(ROOT, "ops", "stack"))
stack = module_from_spec(spec_from_loader("stack", _loader))
_loader.exec_module(stack)

T0 = time.time()
FAILED_EXPECTATIONS = []


def log(msg):
    print(f"[proof {time.time() - T0:6.1f}s] {msg}", flush=True)


def expect(ok, what):
    log(("PASS " if ok else "FAIL ") + what)
    if not ok:
        FAILED_EXPECTATIONS.append(what)


# ------------------------------------------------------------------------------------------------- load
class Load:
    """WORKERS threads, each with its own loopback source address (the ingress limits 100 requests/min per client
    address, like real clients), one request per PAUSE seconds, a new TLS connection per request. Every request is
    recorded: start, end, status (0 = no answer), upstream address."""

    def __init__(self, st, token, workers, pause):
        u = urllib.parse.urlparse(st["env"]["STACK_API_URL"])
        self.host, self.port = u.hostname, u.port
        self.ctx = ssl.create_default_context(cafile=st["env"]["STACK_CACERT"])
        self.token, self.workers, self.pause = token, workers, pause
        self.paths = ["/api/v1/employees?size=5", "/api/v1/departments", "/api/v1/employees?size=1&page=3",
                      "/api/v1/titles"]
        self.records, self.lock, self.stop_flag, self.threads = [], threading.Lock(), threading.Event(), []

    def worker(self, n):
        src = f"127.0.{1 + n // 250}.{1 + n % 250}"
        i = 0
        while not self.stop_flag.is_set() and i < 2000:
            path = self.paths[(n + i) % len(self.paths)]
            i += 1
            start = time.time()
            status, upstream = 0, ""
            try:
                c = http.client.HTTPSConnection(self.host, self.port, context=self.ctx, timeout=30,
                                                source_address=(src, 0))
                c.request("GET", path, headers={"Authorization": "Bearer " + self.token, "Connection": "close"})
                r = c.getresponse()
                r.read()
                status, upstream = r.status, r.getheader("X-Upstream-Addr", "")
                c.close()
            except Exception as e:  # no answer at all counts as a failed request
                upstream = f"error: {type(e).__name__}: {e}"
            with self.lock:
                self.records.append((start, time.time(), status, upstream))
            self.stop_flag.wait(self.pause)

    def start(self):
        for n in range(self.workers):
            t = threading.Thread(target=self.worker, args=(n,), daemon=True)
            t.start()
            self.threads.append(t)
        return self

    def stop(self):
        self.stop_flag.set()
        for t in self.threads:
            t.join(40)

    def window(self, t_from, t_to=None):
        with self.lock:
            return [r for r in self.records if r[0] >= t_from and (t_to is None or r[0] <= t_to)]

    @staticmethod
    def failed(records):
        return [r for r in records if not 200 <= r[2] < 300]


def login(st):
    ctx = ssl.create_default_context(cafile=st["env"]["STACK_CACERT"])
    body = json.dumps({"username": st["env"]["STACK_ADMIN_USERNAME"], "password": st["env"]["STACK_ADMIN_PASSWORD"]})
    req = urllib.request.Request(st["env"]["STACK_API_URL"] + "/api/v1/auth/login", data=body.encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, context=ctx, timeout=30) as r:
        return json.load(r)["accessToken"]


# ------------------------------------------------------------------------------------------------- analysis
def analysis_templates():
    out = subprocess.run(["kubectl", "kustomize", os.path.join(ROOT, "k8s/overlays/prod")], check=True,
                         capture_output=True, text=True).stdout
    return {d["metadata"]["name"]: d for d in yaml.safe_load_all(out) if d and d["kind"] == "AnalysisTemplate"}


def rollout_args():
    out = subprocess.run(["kubectl", "kustomize", os.path.join(ROOT, "k8s/overlays/prod")], check=True,
                         capture_output=True, text=True).stdout
    ro = next(d for d in yaml.safe_load_all(out) if d and d["kind"] == "Rollout")
    return ro["spec"]["strategy"]["blueGreen"]


def seconds(v):
    m = re.fullmatch(r"(\d+)(ms|s|m|h)?", str(v or "0"))
    return int(m.group(1)) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600, None: 1}[m.group(2)]


def condition(expr, result):
    """Argo's successCondition (expr language) for the forms our templates use: result[i], len(result),
    isNaN(...), <, <=, >, >=, ==, &&, ||."""
    py = expr.replace("&&", " and ").replace("||", " or ").replace("isNaN", "math.isnan")
    if not re.fullmatch(r"[\w\s\[\]().<>=!&|+\-*/]+", py):
        raise ValueError(f"unsupported condition {expr!r}")
    return bool(eval(py, {"__builtins__": {}, "len": len, "math": math}, {"result": result}))


def prom_query(st, query):
    url = st["env"]["STACK_PROMETHEUS_URL"] + "/api/v1/query?" + urllib.parse.urlencode({"query": query})
    with urllib.request.urlopen(url, timeout=20) as r:
        data = json.load(r)["data"]
    if data["resultType"] == "vector":
        return [float(x["value"][1]) for x in data["result"]]
    if data["resultType"] == "scalar":
        return [float(data["result"][1])]
    raise ValueError(f"unexpected result type {data['resultType']}")


def measure(st, metric, args):
    q = metric["provider"]["prometheus"]["query"]
    for k, v in args.items():
        q = q.replace("{{args.%s}}" % k, v)
    result = prom_query(st, q)
    ok = condition(metric["successCondition"], result)
    return ok, result


class AnalysisRun:
    """The Prometheus metrics of one AnalysisTemplate, measured as Argo's controller measures them: first
    measurement after initialDelay (unless skip_delay), then every interval, up to count; the run fails when a
    metric's failed measurements exceed failureLimit (or errors exceed consecutiveErrorLimit)."""

    def __init__(self, st, template, args, skip_delay=False):
        self.st, self.args = st, args
        self.metrics = [m for m in template["spec"]["metrics"] if "prometheus" in m.get("provider", {})]
        self.skip_delay = skip_delay
        self.phase, self.failed_metric, self.log = "Running", None, []
        self.done = threading.Event()

    def run_metric(self, m):
        if not self.skip_delay:
            time.sleep(seconds(m.get("initialDelay")))
        count, interval = int(m.get("count", 1)), seconds(m.get("interval")) or 0
        failures = errors = 0
        for i in range(count):
            if self.done.is_set():
                return
            try:
                ok, value = measure(self.st, m, self.args)
                errors = 0
            except Exception as e:  # noqa: BLE001 - Argo counts provider errors separately
                errors += 1
                self.log.append((time.time(), m["name"], "Error", str(e)))
                if errors > int(m.get("consecutiveErrorLimit", 4)):
                    self.finish("Error", m["name"])
                    return
                time.sleep(interval or 1)
                continue
            self.log.append((time.time(), m["name"], "Successful" if ok else "Failed", value))
            log(f"  analysis {m['name']} measurement {i + 1}/{count}: {value} -> {'ok' if ok else 'FAILED'}")
            if not ok:
                failures += 1
                if failures > int(m.get("failureLimit", 0)):
                    self.finish("Failed", m["name"])
                    return
            if i + 1 < count:
                self.done.wait(interval)

    def finish(self, phase, metric=None):
        if not self.done.is_set():
            self.phase, self.failed_metric, self.finished_at = phase, metric, time.time()
            self.done.set()

    def start(self):
        self.threads = [threading.Thread(target=self.run_metric, args=(m,), daemon=True) for m in self.metrics]
        for t in self.threads:
            t.start()
        threading.Thread(target=self._join, daemon=True).start()
        return self

    def _join(self):
        for t in self.threads:
            t.join()
        self.finish("Successful")

    def stop(self):
        self.done.set()


# ------------------------------------------------------------------------------------------------- steps
def upstream_of(st, name):
    return f"127.0.0.1:{st['instances'][name]['port']}"


STATE_LOCK = threading.RLock()


def drain(st, names):
    """Out of the routing, then (in parallel, like pods) preStop sleep, SIGTERM and the wait for exit."""
    with STATE_LOCK:
        stack.route(st, [n for n in st["routed"] if n not in names])
    threads = []
    for n in names:
        t = threading.Thread(target=lambda n=n: (time.sleep(st["prestop_seconds"]),
                                                 stack.stop_pid(st["procs"]["instance-" + n], st["grace_seconds"])))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
    with STATE_LOCK:
        for n in names:
            st["procs"].pop("instance-" + n, None)
            st["instances"].pop(n, None)
        stack.write_targets(st)
        stack.save_state(st)


def wait_scraped(st, pod, since, seconds_max=60):
    """Until Prometheus has scraped the pod successfully after SINCE (what the pre-promotion metrics'
    initialDelay waits for in the cluster: a scrape of the ready pod, not one from its start-up)."""
    deadline = time.time() + seconds_max
    q = f'timestamp(up{{job="employee-api", pod="{pod}"}} == 1) > {since:.3f}'
    while time.time() < deadline:
        try:
            if prom_query(st, q):
                return True
        except Exception:  # noqa: BLE001
            pass
        time.sleep(1)
    return False


def smoke(st, name):
    inst = st["instances"][name]
    env = {**os.environ, "SMOKE_USERNAME": st["env"]["STACK_ADMIN_USERNAME"],
           "SMOKE_PASSWORD": st["env"]["STACK_ADMIN_PASSWORD"],
           "SMOKE_METRICS_URL": f"http://127.0.0.1:{inst['management_port']}/metrics"}
    r = subprocess.run(["sh", os.path.join(ROOT, "deploy/smoke-test.sh"), f"http://127.0.0.1:{inst['port']}"],
                       env=env, capture_output=True, text=True)
    log("  smoke test on the preview: " + (r.stdout.strip().splitlines() or ["?"])[-1]
        + (" " + r.stderr.strip() if r.returncode else ""))
    return r.returncode == 0


def rolling(st, load, report):
    log("== rolling update of %d instances (maxSurge 1, maxUnavailable 0)" % len(st["routed"]))
    t_start = time.time()
    old = list(st["routed"])
    drains = []
    for k, name in enumerate(old):
        new = f"r{k + 1}"
        with STATE_LOCK:
            stack.start_instance(st, new)
        stack.wait_ready(st, new)
        with STATE_LOCK:
            stack.route(st, st["routed"] + [new])
        # The old pod terminates (out of the endpoints, preStop, SIGTERM) while the next new one starts, as the
        # Deployment controller does: a terminating pod no longer counts against maxSurge.
        t = threading.Thread(target=drain, args=(st, [name]))
        t.start()
        drains.append(t)
    for t in drains:
        t.join()
    t_end = time.time()
    time.sleep(3)
    rec = load.window(t_start, t_end + 3)
    failed = Load.failed(rec)
    report["rolling"] = {"instances": len(old), "requests": len(rec), "failed": len(failed),
                         "seconds": round(t_end - t_start, 1), "failures": failed[:5]}
    expect(len(failed) == 0 and len(rec) > 0,
           f"rolling update of {len(old)} instances: {len(failed)} failed of {len(rec)} requests "
           f"in {t_end - t_start:.0f} s")


def promotion(st, load, report, templates, bg):
    log("== blue-green promotion")
    blue = list(st["routed"])
    green_hash = stack.rand(10, "bcdfghjklmnpqrstvwxz2456789")
    t_start = time.time()
    stack.start_instance(st, "green", hash_=green_hash)
    stack.wait_ready(st, "green")
    t_ready = time.time()
    log(f"  green ready ({st['instances']['green']['pod']}, not routed = previewService)")
    ok_smoke = smoke(st, "green")
    expect(ok_smoke, "smoke test against the preview (green) passes")
    pre = templates[bg["prePromotionAnalysis"]["templates"][0]["templateName"]]
    scraped = wait_scraped(st, st["instances"]["green"]["pod"], t_ready)
    expect(scraped, "Prometheus scraped the ready green (stands in for the pre-promotion initialDelay)")
    run = AnalysisRun(st, pre, {"new-hash": green_hash}, skip_delay=True).start()
    run.done.wait(120)
    expect(run.phase == "Successful", f"pre-promotion analysis {pre['metadata']['name']}: {run.phase}")
    if not (ok_smoke and run.phase == "Successful"):
        drain(st, ["green"])
        return None
    t_switch = time.time()
    stack.route(st, ["green"])
    # nginx has its new upstreams once route() has checked the config and signalled the reload (a second or more
    # on a busy machine): "every answer from green" counts from then, not from the decision to switch.
    t_routed = time.time()
    log(f"  traffic switched to green ({t_routed - t_switch:.1f} s to reload nginx); draining blue " + ", ".join(blue))
    drain(st, blue)
    t_gone = time.time()
    time.sleep(3)
    rec = load.window(t_start, t_gone + 3)
    failed = Load.failed(rec)
    after = [r for r in load.window(t_routed + 1, t_gone) if 200 <= r[2] < 300]
    elsewhere = [(round(r[0] - t_routed, 2), r[3]) for r in after if r[3] != upstream_of(st, "green")]
    on_green = not elsewhere
    report["promotion"] = {"requests": len(rec), "failed": len(failed),
                           "green_ready_to_switch_s": round(t_switch - t_ready, 1),
                           "green_ready_to_blue_gone_s": round(t_gone - t_ready, 1),
                           "switch_to_blue_gone_s": round(t_gone - t_switch, 1), "failures": failed[:5]}
    expect(len(failed) == 0 and len(rec) > 0,
           f"promotion: {len(failed)} failed of {len(rec)} requests; green ready -> blue gone "
           f"{t_gone - t_ready:.1f} s (smoke + analysis {t_switch - t_ready:.1f} s, drain {t_gone - t_switch:.1f} s)")
    expect(bool(after) and on_green, f"after the switch every answer came from green ({len(after)} requests"
           + (f"; elsewhere, seconds after the reload and upstream: {elsewhere[:5]})" if elsewhere else ")"))
    return green_hash


def rollback(st, load, report, templates, bg):
    log("== automatic rollback (post-promotion analysis on a failing green)")
    blue = list(st["routed"])
    role = "employee_mgmt_green"
    stack.psql(st, f"DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN IN ROLE {stack.DB_OWNER}")
    green_hash = stack.rand(10, "bcdfghjklmnpqrstvwxz2456789")
    stack.start_instance(st, "green2", hash_=green_hash, db_user=role)
    stack.wait_ready(st, "green2")
    expect(smoke(st, "green2"), "smoke test against the new preview (green2) passes before the fault")
    post = templates[bg["postPromotionAnalysis"]["templates"][0]["templateName"]]
    stack.route(st, ["green2"])
    t_switch = time.time()
    log("  traffic switched to green2; blue " + ", ".join(blue) + " kept running (stable ReplicaSet)")
    run = AnalysisRun(st, post, {"new-hash": green_hash}).start()
    time.sleep(5)
    # The harness's fault switch (not in the product): green2 loses its privileges; its requests answer 500.
    t_fault = time.time()
    stack.psql(st, f"REVOKE {stack.DB_OWNER} FROM {role}")
    log("  FAULT: revoked green2's database privileges")
    run.done.wait(240)
    run.stop()
    t_detect = getattr(run, "finished_at", time.time())
    expect(run.phase == "Failed", f"post-promotion analysis {post['metadata']['name']}: {run.phase} "
                                  f"(metric {run.failed_metric}) {t_detect - t_fault:.1f} s after the fault")
    # Argo's abort: activeService back to the stable pods.
    stack.route(st, blue)
    t_back = time.time()
    time.sleep(4)
    rec = load.window(t_switch, t_back + 4)
    failed = Load.failed(load.window(t_fault))
    first_failed = min((r[0] for r in failed), default=None)
    blue_addrs = {upstream_of(st, b) for b in blue}
    first_blue = min((r[1] for r in load.window(t_back) if r[3] in blue_addrs and 200 <= r[2] < 300), default=None)
    after_back = [r for r in load.window(t_back + 1, t_back + 4)]
    expect(first_failed is not None, f"green2 failed under load after the fault ({len(failed)} failed requests)")
    took = (first_blue - first_failed) if (first_failed and first_blue) else None
    expect(took is not None and took < 120,
           f"first failed request -> traffic on blue: {took:.1f} s (spec: < 120 s)" if took else
           "traffic back on blue after the rollback")
    expect(not Load.failed(after_back) and after_back, "after the rollback every request succeeds on blue")
    # The smoke test is red against this broken version (it is still running, unrouted, like an aborted RS).
    expect(not smoke(st, "green2"), "the smoke test fails against the broken green2")
    report["rollback"] = {"requests_during_release": len(rec), "failed_requests_on_bad_version": len(failed),
                          "fault_to_analysis_failed_s": round(t_detect - t_fault, 1),
                          "first_failed_request_to_traffic_on_blue_s": round(took, 1) if took else None,
                          "failed_metric": run.failed_metric,
                          "measurements": [(round(t - T0, 1), n, p, v) for t, n, p, v in run.log]}
    drain(st, ["green2"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenarios", default="rolling,promotion,rollback")
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--pause", type=float, default=0.7, help="seconds between one worker's requests (< 100/min)")
    a = ap.parse_args()
    st = stack.load_state()
    if not st or not st["routed"]:
        log("no running stack with routed instances: ops/stack up first")
        return 1
    templates, bg = analysis_templates(), rollout_args()
    load = Load(st, login(st), a.workers, a.pause).start()
    report = {"load": {"workers": a.workers, "pause_s": a.pause},
              "compressions": ["scaleDownDelaySeconds not waited for in promotion",
                               "pre-promotion initialDelay replaced by waiting for a scrape of the ready green"]}
    try:
        time.sleep(3)
        for s in a.scenarios.split(","):
            {"rolling": rolling, "promotion": lambda st, l, r: promotion(st, l, r, templates, bg),
             "rollback": lambda st, l, r: rollback(st, l, r, templates, bg)}[s](st, load, report)
    finally:
        load.stop()
        report["requests_total"] = len(load.records)
        report["loadavg"] = os.getloadavg()
        with open(os.path.join(stack.DIR, "bluegreen-report.json"), "w") as f:
            json.dump(report, f, indent=2, default=str)
    log(f"report: {os.path.join(stack.DIR, 'bluegreen-report.json')}; {len(load.records)} requests in all; "
        f"load average {os.getloadavg()[0]:.1f}")
    log("PROOF " + ("PASSED" if not FAILED_EXPECTATIONS else "FAILED: " + "; ".join(FAILED_EXPECTATIONS)))
    return 1 if FAILED_EXPECTATIONS else 0


if __name__ == "__main__":
    sys.exit(main())
