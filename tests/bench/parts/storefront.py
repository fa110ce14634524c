"""The storefront API under concurrent load: gunicorn on 127.0.0.1 with the bench database and
Redis, driven by wrk (Debian's /usr/bin/wrk) for a bounded time with a bounded number of
connections. Reports requests/s and wrk's latency percentiles (client side, so queueing in
gunicorn's backlog counts), and the workers' peak RSS."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.bench.parts import Bench, stack
from tests.bench.parts.shipping import PAYMENT_QUERY, QUOTE_BODY

WRK = "/usr/bin/wrk"

# wrk's done() hook prints one JSON line the part reads back (latency in microseconds)
REPORT_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"non2xx":%d,"socket_errors":%d,'
    .. '"timeouts":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def _lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


def wrk_script(*, method: str, key: str, body: str | None) -> str:
    lines = [f'wrk.method = "{method}"', f'wrk.headers["X-Store-Key"] = {_lua_string(key)}']
    if body is not None:
        lines.append('wrk.headers["Content-Type"] = "application/json"')
        lines.append(f"wrk.body = {_lua_string(body)}")
    return "\n".join(lines) + "\n" + REPORT_LUA


def wrk_run(url: str, script: str, *, seconds: int, connections: int, threads: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.lua"
        path.write_text(script)
        result = subprocess.run(
            [
                WRK,
                f"--threads={threads}",
                f"--connections={connections}",
                f"--duration={seconds}s",
                "--timeout=10s",
                f"--script={path}",
                url,
            ],  # fmt: skip
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        )
    line = next(line for line in result.stdout.splitlines() if line.startswith("BENCH_JSON "))
    found = json.loads(line.removeprefix("BENCH_JSON "))
    found["req_per_s"] = round(found["requests"] / (found["duration_us"] / 1e6), 1)
    return found


def run(bench: Bench, *, workers: int, seconds: int, connections: int) -> None:
    store = bench.shared["checkout_store"]
    if not shutil.which(WRK):
        reason = f"{WRK} not installed (apt-get install wrk)"
        bench.throughput.missing("quote_req_per_s", reason)
        return
    threads = min(2, connections)
    body = json.dumps(QUOTE_BODY)
    with stack.Gunicorn(workers=workers) as server:
        plans = (
            (
                "quote_req_per_s",
                f"storefront quote over HTTP (gunicorn {workers} workers, wrk {connections} "
                f"connections, {seconds} s)",
                server.base + "/api/storefront/v1/shipping/quote",
                wrk_script(method="POST", key=store.publishable_key, body=body),
            ),
            (
                "payment_methods_req_per_s",
                f"storefront payment methods over HTTP (gunicorn {workers} workers, wrk "
                f"{connections} connections, {seconds} s)",
                server.base + f"/api/storefront/v1/payment-methods?{PAYMENT_QUERY}",
                wrk_script(method="GET", key=store.publishable_key, body=None),
            ),
        )
        for key, name, url, script in plans:
            # warm-up: every worker builds its config and its connections; not counted
            wrk_run(url, script, seconds=3, connections=connections, threads=threads)
            found = wrk_run(url, script, seconds=seconds, connections=connections, threads=threads)
            print(f"  {name}: {json.dumps(found)}", flush=True)
            if found["non2xx"] or found["socket_errors"] or found["timeouts"]:
                bench.notes[f"{key} errors"] = (
                    f"{found['non2xx']} non-2xx, {found['socket_errors']} socket errors, "
                    f"{found['timeouts']} timeouts of {found['requests']}"
                )
            bench.add(
                {
                    "name": name,
                    "median_ms": round(found["p50_us"] / 1000, 2),
                    "p95_ms": round(found["p95_us"] / 1000, 2),
                    "max_ms": round(found["max_us"] / 1000, 2),
                    "n": found["requests"],
                }
            )
            bench.throughput.set(key, found["req_per_s"])
        bench.memory_mb.set("gunicorn_worker_peak_rss", server.workers_peak_rss_mb())
    bench.notes["storefront load"] = (
        f"wrk on the same machine, {threads} threads, {connections} connections, "
        f"{seconds} s per endpoint after a 3 s warm-up; gunicorn {workers} sync workers; "
        f"STOREFRONT_RATE raised to {stack.LOAD_TEST_RATE} for the run"
    )
