"""Bounded mixed load for the fault suite and the soak (ops/faults): authenticated reads, cached reads and
retry-safe writes against the local stack (ops/stack), every request recorded.

A write is a hire (POST /api/v1/employees) whose last name is a unique marker and which carries an Idempotency-Key.
A client that gets no answer, 503 or 504 retries it with the same key, as a well-behaved client would; the write
is *acknowledged* once any attempt got 201 (or the replayed 201). Afterwards `verify_writes` counts each marker in
SQL on the primary: an acknowledged marker missing is a lost write, a marker twice a duplicated one.
"""
import http.client
import itertools
import json
import os
import ssl
import threading
import time
import urllib.parse
import urllib.request
import uuid
from importlib.machinery import SourceFileLoader
from importlib.util import module_from_spec, spec_from_loader

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
_loader = SourceFileLoader("stack", os.path.join(ROOT, "ops", "stack"))
stack = module_from_spec(spec_from_loader("stack", _loader))
_loader.exec_module(stack)

PROBLEM = "application/problem+json"
RETRYABLE = (0, 503, 504)

READS = ["/api/v1/employees?size=5", "/api/v1/employees?size=3&status=ACTIVE", "/api/v1/employees/10001"]
# Served from the Redis cache (titles, department statistics) once warm.
CACHED = ["/api/v1/titles", "/api/v1/departments/d005/statistics"]


class Target:
    """Where requests go: the stack's nginx (TLS; each request from another loopback source address, since the
    ingress limits a client address to 100 requests/min) or one instance directly (plain HTTP)."""

    def __init__(self, url, cafile=None, rotate_sources=False):
        u = urllib.parse.urlparse(url)
        self.url, self.host, self.port, self.tls = url, u.hostname, u.port, u.scheme == "https"
        self.ctx = ssl.create_default_context(cafile=cafile) if self.tls else None
        self.rotate = rotate_sources
        self.sources = itertools.count()  # next() is atomic in CPython: safe across the load's threads

    @classmethod
    def ingress(cls, st):
        return cls(st["env"]["STACK_API_URL"], st["env"]["STACK_CACERT"], rotate_sources=True)

    @classmethod
    def instance(cls, st, name):
        return cls(f"http://127.0.0.1:{st['instances'][name]['port']}")

    def connection(self, timeout):
        src = None
        if self.rotate:
            # 127.20.0.1 onwards, a new address per request: one address sees a request every 62,500 (the
            # blue-green proof's load uses 127.0.1.x).
            c = next(self.sources) % 62500
            src = (f"127.20.{c // 250}.{1 + c % 250}", 0)
        if self.tls:
            return http.client.HTTPSConnection(self.host, self.port, context=self.ctx, timeout=timeout,
                                               source_address=src)
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout, source_address=src)


class Response:
    __slots__ = ("start", "end", "kind", "status", "ctype", "retry_after", "etag", "error", "upstream", "body")

    def __init__(self, start, kind):
        self.start, self.kind = start, kind
        self.end, self.status, self.ctype, self.retry_after, self.etag, self.error, self.upstream, self.body = (
            start, 0, "", None, None, "", "", b"")

    @property
    def seconds(self):
        return self.end - self.start

    @property
    def ok(self):
        return 200 <= self.status < 300


def request(target, method, path, token=None, body=None, headers=None, timeout=30, kind=""):
    """One request on a new connection; never raises: no answer is status 0 with the error."""
    r = Response(time.time(), kind)
    h = {"Connection": "close", "Accept": "application/json"}
    if token:
        h["Authorization"] = "Bearer " + token
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    h.update(headers or {})
    try:
        c = target.connection(timeout)
        try:
            c.request(method, path, body=data, headers=h)
            resp = c.getresponse()
            r.body = resp.read()
            r.status = resp.status
            r.ctype = (resp.getheader("Content-Type") or "").split(";")[0].strip()
            r.retry_after = resp.getheader("Retry-After")
            r.etag = resp.getheader("ETag")
            r.upstream = resp.getheader("X-Upstream-Addr", "")
        finally:
            c.close()
    except Exception as e:  # no answer at all: connection refused/reset, timeout
        r.error = f"{type(e).__name__}: {e}"[:200]
    r.end = time.time()
    return r


def login(st, target=None):
    target = target or Target.ingress(st)
    r = request(target, "POST", "/api/v1/auth/login",
                body={"username": st["env"]["STACK_ADMIN_USERNAME"], "password": st["env"]["STACK_ADMIN_PASSWORD"]})
    if r.status != 200:
        raise RuntimeError(f"login failed: {r.status} {r.error} {r.body[:200]!r}")
    return json.loads(r.body)["accessToken"]


class Load:
    """WORKERS threads against TARGET until stopped (or MAX_REQUESTS per worker): each step is a read, a cached read
    or a write (weights), then PAUSE seconds. Records every request (Response) and every write (Write)."""

    def __init__(self, st, target, token, run_id, workers=6, pause=0.05, weights=(5, 3, 2), max_requests=20000):
        self.st, self.target, self.token, self.run_id = st, target, token, run_id
        self.workers, self.pause, self.weights, self.max_requests = workers, pause, weights, max_requests
        self.responses, self.writes, self.lock = [], [], threading.Lock()
        self.stop_flag, self.threads, self.token_lock = threading.Event(), [], threading.Lock()

    def record(self, r):
        with self.lock:
            self.responses.append(r)

    def relogin(self):
        with self.token_lock:
            try:
                self.token = login(self.st)
            except RuntimeError:
                pass

    def send(self, method, path, kind, body=None, headers=None):
        r = request(self.target, method, path, self.token, body, headers, kind=kind)
        self.record(r)
        if r.status == 401:  # the access token expired (15 min): sign in again, as a client would
            self.relogin()
        return r

    def write(self, w, n):
        marker = f"flt-{self.run_id}-{w}-{n}"
        wr = {"marker": marker, "key": str(uuid.uuid4()), "acked": False, "attempts": 0, "statuses": []}
        body = {"firstName": "Fault", "lastName": marker, "birthDate": "1990-01-01", "gender": "F",
                "hireDate": time.strftime("%Y-%m-%d"), "email": f"{marker}@faults.example.com",
                "deptNo": "d005", "title": "Engineer", "salary": {"amount": 50000}}
        for attempt in range(4):
            r = self.send("POST", "/api/v1/employees", "write", body, {"Idempotency-Key": wr["key"]})
            wr["attempts"] += 1
            wr["statuses"].append(r.status)
            if r.status == 201:
                wr["acked"] = True
                break
            if r.status not in RETRYABLE or self.stop_flag.is_set() and attempt >= 1:
                break
            time.sleep(min(float(r.retry_after or 1), 1.0))
        with self.lock:
            self.writes.append(wr)

    def worker(self, w):
        total = sum(self.weights)
        n = 0
        while not self.stop_flag.is_set() and n < self.max_requests:
            pick = (n * 7 + w) % total
            n += 1
            if pick < self.weights[0]:
                self.send("GET", READS[n % len(READS)], "read")
            elif pick < self.weights[0] + self.weights[1]:
                self.send("GET", CACHED[n % len(CACHED)], "cached")
            else:
                self.write(w, n)
            self.stop_flag.wait(self.pause)

    def start(self):
        for w in range(self.workers):
            t = threading.Thread(target=self.worker, args=(w,), daemon=True)
            t.start()
            self.threads.append(t)
        return self

    def stop(self, join=60):
        self.stop_flag.set()
        deadline = time.time() + join
        for t in self.threads:
            t.join(max(0.1, deadline - time.time()))
        return [t for t in self.threads if t.is_alive()]

    def window(self, t_from=0, t_to=None):
        with self.lock:
            return [r for r in self.responses if r.start >= t_from and (t_to is None or r.start <= t_to)]


def verify_writes(st, writes, run_id):
    """Counts every marker of this run on the primary: (lost, duplicated, committed without acknowledgement)."""
    rows = stack.psql(st, "SELECT last_name, count(*) FROM employees WHERE last_name LIKE "
                          f"'flt-{run_id}-%' GROUP BY last_name")
    counts = dict((line.split("|")[0], int(line.split("|")[1])) for line in rows.splitlines() if line)
    lost = [w["marker"] for w in writes if w["acked"] and counts.get(w["marker"], 0) == 0]
    dup = [m for m, c in counts.items() if c > 1]
    unacked = [w["marker"] for w in writes if not w["acked"] and counts.get(w["marker"], 0) > 0]
    return lost, dup, unacked


def percentile(values, p):
    if not values:
        return 0.0
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def metrics(url, timeout=5):
    """Prometheus text exposition of one instance as {series: value} (series = name{labels})."""
    out = {}
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            for line in r.read().decode().splitlines():
                if line and not line.startswith("#"):
                    series, _, value = line.rpartition(" ")
                    try:
                        out[series] = float(value)
                    except ValueError:
                        pass
    except OSError:
        pass
    return out


def metric_sum(m, metric, **labels):
    """Sum of METRIC's series whose labels include LABELS."""
    total = 0.0
    for series, value in m.items():
        base, _, rest = series.partition("{")
        if base != metric:
            continue
        if all(f'{k}="{v}"' in rest for k, v in labels.items()):
            total += value
    return total
