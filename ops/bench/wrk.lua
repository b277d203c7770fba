-- wrk script of the benchmark harness (ops/bench/bench.py writes the request list, one request a line:
-- "METHOD PATH [JSON BODY]"). The list is split into one slice per wrk thread (BENCH_THREADS) and each thread
-- walks its own slice, so a list of distinct requests (the writes: one salary change per employee and day) is
-- never sent twice within a run while it is longer than the run; done() prints one JSON line with the counts and
-- the latency percentiles (microseconds) that bench.py parses.
local token = os.getenv("BENCH_TOKEN")
local file = os.getenv("BENCH_REQUESTS")
local threads = tonumber(os.getenv("BENCH_THREADS") or "1")
local next_thread = 0
local requests = {}
local position = 0

function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  for line in io.lines(file) do
    local method, path, body = line:match("^(%S+) (%S+) ?(.*)$")
    local headers = {}
    if token ~= nil and token ~= "" then
      headers["Authorization"] = "Bearer " .. token
    end
    if body == "" then
      body = nil
    else
      headers["Content-Type"] = "application/json"
    end
    requests[#requests + 1] = wrk.format(method, path, headers, body)
  end
  -- Before the first request of this thread's slice; request() wraps around the whole list.
  position = math.floor((thread_id or 0) * #requests / threads)
end

function request()
  position = position % #requests + 1
  return requests[position]
end

function done(summary, latency, requests_)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"status_errors":%d,"socket_errors":%d,' ..
    '"p50":%d,"p95":%d,"p99":%d,"mean":%.1f}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean))
end
