"""The project benchmark (issue #10):

    .venv/bin/python -m tests.bench --scale small|large [--reuse] [--compare OTHER.json]

Builds its own database ``mp_bench_<scale>`` on the project's PostgreSQL (DATABASE_URL's, else
the embedded one) through ``manage.py migrate`` and ``seed_demo`` (``small`` → seed_demo's
``medium``, ``large`` → its ``large``), starts a Redis of its own (cache and broker) and, for
the storefront part, gunicorn on 127.0.0.1; measures server times (warm-up runs excluded),
storefront throughput under wrk and memory; prints a Markdown table and writes
``bench-results.json`` in the working directory. ``--reuse`` keeps an already seeded database.
Not collected by pytest. See tests/bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from tests.bench import measure
from tests.bench.parts import Bench, stack

RUNS = {"small": 20, "large": 11}


def arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("--scale", choices=("small", "large"), default="small")
    parser.add_argument("--reuse", action="store_true", help="keep a seeded bench database")
    parser.add_argument("--runs", type=int, help="timed runs per page (default 20, large 11)")
    parser.add_argument("--warmup", type=int, default=2, help="uncounted runs before each")
    parser.add_argument("--compare", type=Path, help="results JSON of the other scale")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--seconds", type=int, default=15, help="wrk duration per endpoint")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument(
        "--only",
        help="comma-separated parts to run (catalog, orders, shipping, storefront)",
        default="catalog,orders,shipping,storefront",
    )
    parser.add_argument("--output", type=Path, default=Path("bench-results.json"))
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = arguments(argv)
    parts = set(args.only.split(","))
    bench = Bench(scale=args.scale, runs=args.runs or RUNS[args.scale], warmup=args.warmup)
    machine_text = measure.machine()
    date = measure.now_iso()
    print(f"benchmark, scale {args.scale}, {date}\n{machine_text}", flush=True)

    url = stack.database_url(args.scale)
    kept = stack.database_prepare(url, reuse=args.reuse)
    redis_process, redis_socket = (None, None)
    if not os.environ.get("CACHE_URL"):
        redis_process, redis_socket = stack.redis_start()
    try:
        stack.environment(url=url, redis_socket=redis_socket)
        bench.notes["database"] = urlsplit(url).path.lstrip("/")
        bench.notes["cache and broker"] = (
            "Redis of the benchmark's own (unix socket)" if redis_socket else "CACHE_URL"
        )
        if kept:
            stack.manage("migrate", "-v0")
            bench.notes["data"] = "kept from an earlier run (--reuse): not seeded now"
            bench.memory_mb.missing("seed_peak_rss", "not seeded in this run (--reuse)")
        else:
            print(f"seeding: seed_demo --scale {stack.SEED_SCALE[args.scale]}", flush=True)
            seeded = stack.seed(args.scale)
            bench.notes["seed"] = (
                f"seed_demo --scale {stack.SEED_SCALE[args.scale]}: migrate "
                f"{seeded['migrate_s']} s, seed {seeded['seed_s']} s"
            )
            bench.memory_mb.set("seed_peak_rss", seeded["peak_rss_mb"])

        import django

        django.setup()
        from django.db import connection
        from django.test.utils import setup_test_environment

        setup_test_environment()  # the test Client's templates and response context
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        bench.notes["ANALYZE before measuring"] = f"{time.perf_counter() - started:.1f} s"

        from tests.bench.parts import catalog, orders, shipping, storefront

        if "catalog" in parts:
            print("catalog", flush=True)
            catalog.run(bench)
        if "orders" in parts:
            print("orders and support", flush=True)
            orders.run(bench)
        if "shipping" in parts or "storefront" in parts:
            print("shipping and payments", flush=True)
            shipping.run(bench)
        connection.close()  # gunicorn's workers take the connections from here
        if "storefront" in parts:
            print("storefront under load", flush=True)
            storefront.run(
                bench, workers=args.workers, seconds=args.seconds, connections=args.connections
            )
        if "catalog" in parts:
            # last: its writes evict the other parts' tables from PostgreSQL's cache
            print("catalog import and export", flush=True)
            catalog.run_import_export(bench)
        bench.memory_mb.set("bench_process_peak_rss", round(measure.peak_rss_mb(), 1))
    finally:
        stack.redis_stop(redis_process, redis_socket or "")

    for key in ("ingest_events_per_s", "overlay_req_per_s"):
        bench.throughput.missing(key, measure.NOT_BUILT)
    bench.ratios.missing("kpi_vs_raw", measure.NOT_BUILT)
    for key in ("celery_worker_peak_rss", "report_export_peak_rss"):
        bench.memory_mb.missing(key, measure.NOT_BUILT)
    doc = measure.document(
        scale=args.scale,
        machine_text=machine_text,
        date=date,
        measures=bench.measures,
        throughput=bench.throughput,
        ratios=bench.ratios,
        memory_mb=bench.memory_mb,
        notes=bench.notes,
    )
    previous = json.loads(args.compare.read_text()) if args.compare else None
    value, reason = measure.large_vs_small(doc, previous)
    if value is None:
        bench.ratios.missing("large_vs_small", reason)
    else:
        bench.ratios.set("large_vs_small", value)
        bench.notes["large_vs_small"] = reason
    doc["ratios"] = bench.ratios.as_dict()
    args.output.write_text(json.dumps(doc, indent=2) + "\n")
    sys.stdout.write("\n" + measure.markdown(doc))
    print(f"\nwritten: {args.output.resolve()}", flush=True)


if __name__ == "__main__":
    main()
