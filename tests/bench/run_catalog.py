"""Catalog benchmark: list pages, import and export on a 100k-product / 300k-variant store.

Run from the project folder (see tests/bench/README.md):

    .venv/bin/python -m tests.bench.run_catalog --products 100000

It builds its own database (``mp_bench_catalog`` on the same PostgreSQL server; dropped at the
end unless ``--keep``), seeds it through the import's bulk path (the same code as
``seed_demo --scale large``), then measures server time through Django's test Client and the
peak resident memory of the process while each step runs. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import tempfile
import threading
import time
from contextlib import contextmanager

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "merchant_portal.settings")
os.environ.setdefault("DATABASE_TEST_NAME", "mp_bench_catalog")


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


@contextmanager
def measured(results: list, label: str, note: str = ""):
    """Wall time and peak RSS (sampled every 20 ms) of the block; appends one result row."""
    peak = [rss_mb()]
    before = peak[0]
    stop = threading.Event()

    def sample():
        while not stop.wait(0.02):
            peak[0] = max(peak[0], rss_mb())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    extra: dict = {}
    try:
        yield extra
    finally:
        elapsed = time.perf_counter() - started
        stop.set()
        sampler.join()
        peak[0] = max(peak[0], rss_mb())
        print(f"  {label}: {elapsed:.2f} s, peak RSS {peak[0]:.0f} MB", flush=True)
        results.append(
            {
                "label": label,
                "seconds": elapsed,
                "runs": 1,
                "rss_before": before,
                "rss_peak": peak[0],
                "note": extra.get("note", note),
            }
        )


def timed_median(results: list, label: str, runs: int, call) -> None:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    print(f"  {label}: median {statistics.median(times) * 1000:.0f} ms", flush=True)
    results.append(
        {
            "label": label,
            "seconds": statistics.median(times),
            "runs": runs,
            "rss_before": None,
            "rss_peak": None,
            "note": f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms",
        }
    )


def print_table(results: list, out=sys.stdout) -> None:
    out.write(
        "\n| step | time | runs | RSS before → peak (MB) | note |\n|---|---:|---:|---:|---|\n"
    )
    for result in results:
        seconds = result["seconds"]
        shown = f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"
        memory = (
            f"{result['rss_before']:.0f} → {result['rss_peak']:.0f}"
            if result["rss_peak"] is not None
            else "—"
        )
        out.write(
            f"| {result['label']} | {shown} | {result['runs']} | {memory} | {result['note']} |\n"
        )
    out.flush()


def write_import_csv(path: str, *, rows: int, offset: int | None) -> None:
    """``rows`` rows in the import format, three variants per product: new products, or
    (``offset=None``) new values for the seeded products' first variants."""
    import random

    from apps.catalog.demo_bulk import CATEGORY_TREE, generate_rows
    from apps.catalog.io.columns import COLUMN_NAMES

    leaves = {
        child: f"{parent} > {child}" for parent, kids in CATEGORY_TREE.items() for child in kids
    }
    handle_at = COLUMN_NAMES.index("handle")
    sku_at = COLUMN_NAMES.index("sku")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMN_NAMES)
        seed = 7 if offset is not None else 99
        generated = generate_rows(rng=random.Random(seed), products=rows // 3 + 1, leaves=leaves)
        for count, cells in enumerate(generated):
            if count >= rows:
                break
            if offset is not None:
                cells[handle_at] = f"imp{offset}-{cells[handle_at]}"
                cells[sku_at] = f"IMP{offset}-{cells[sku_at]}"
            writer.writerow(cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="runs per list query (median)")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept, seeded database")
    parser.add_argument("--skip-xlsx", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    database = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.reuse)
    print(f"bench database {database}", flush=True)

    from apps.accounts.models import Membership, User
    from apps.catalog import demo_bulk
    from apps.catalog import services as io_services
    from apps.catalog.models import Variant
    from apps.core.demo import Progress
    from apps.core.models import Store

    io_services.INLINE_MAX_ROWS = 10**9  # measure the task bodies in this process
    results: list = []
    try:
        store = Store.objects.filter(handle="bench").first()
        owner = User.objects.filter(email="bench@bench.test").first()
        if store is None:
            owner = User.objects.create_user(email="bench@bench.test", password="bench-only-pass")
            store = Store.objects.create(handle="bench", name="Bench", currency="EUR")
            Membership.objects.create(user=owner, store=store, role="owner")
        if not Variant.objects.for_store(store).exists():
            import random

            leaves = demo_bulk._ensure_categories(store=store, actor=owner)
            total = args.products * len(demo_bulk.SIZES)
            progress = Progress(sys.stderr)
            with measured(
                results, f"seed {args.products:,} products / {total:,} variants (bulk path)"
            ):
                io_services.catalog_rows_load(
                    store=store,
                    actor=owner,
                    name="Benchmark catalog",
                    rows=demo_bulk.generate_rows(
                        rng=random.Random(42), products=args.products, leaves=leaves
                    ),
                    total=total,
                    progress=lambda done: progress.step("seeding", min(done, total), total),
                )
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE catalog_product")
                cursor.execute("VACUUM ANALYZE catalog_variant")
        variants = Variant.objects.for_store(store).count()
        print(f"store has {variants:,} variants", flush=True)

        client = Client()
        client.force_login(owner)
        base = f"/store/{store.handle}/catalog/"

        def page(query: str):
            def call():
                response = client.get(base + query)
                assert response.status_code == 200, response.status_code

            return call

        client.get(base)  # warm up
        timed_median(results, "product list, first page", args.runs, page(""))
        timed_median(results, "search by title word (“merino”)", args.runs, page("?q=merino"))
        timed_median(results, "search by SKU (“BLK-054321-M”)", args.runs, page("?q=BLK-054321-M"))
        timed_median(results, "filter stock=low", args.runs, page("?stock=low"))
        timed_median(results, "filter stock=out", args.runs, page("?stock=out"))
        timed_median(results, "sort by price", args.runs, page("?sort=price"))
        timed_median(results, "sort by stock, most first", args.runs, page("?sort=-stock"))
        timed_median(
            results, "search “merino”, sorted by price", args.runs, page("?q=merino&sort=price")
        )

        variants = Variant.objects.for_store(store).count()

        def export(file_format: str):
            response = client.get(f"{base}export/?format={file_format}")
            assert response.status_code == 200
            size = 0
            for block in response.streaming_content:
                size += len(block)
            response.close()
            return size

        for run in range(2):
            with measured(results, f"export {variants:,} variants, CSV (streamed COPY)") as extra:
                extra["note"] = f"{export('csv') / 1e6:.1f} MB" + (" (warm)" if run else " (cold)")
        if not args.skip_xlsx:
            with measured(
                results, f"export {variants:,} variants, XLSX (constant_memory)"
            ) as extra:
                extra["note"] = f"{export('xlsx') / 1e6:.1f} MB"
        # import: dry run (check) and run of a CSV of new products
        with tempfile.TemporaryDirectory() as folder:
            sizes = sorted({min(10_000, args.import_rows), args.import_rows})
            plans = [(rows, rows, "new") for rows in sizes]
            plans.append((args.import_rows, None, "updates"))
            for rows, offset, kind in plans:
                path = os.path.join(folder, f"import-{rows}-{kind}.csv")
                write_import_csv(path, rows=rows, offset=offset)
                size = os.path.getsize(path)
                from django.core.files import File

                with open(path, "rb") as handle:
                    job = io_services.import_job_create(
                        store=store, actor=owner, upload=File(handle, name=f"bench-{rows}.csv")
                    )
                with measured(
                    results,
                    f"import {rows:,}-row CSV, {kind} ({size / 1e6:.1f} MB): check (dry run)",
                ):
                    io_services.import_job_configure(
                        store=store, job=job, mapping=job.mapping, mode="skip"
                    )
                job.refresh_from_db()
                assert job.summary["error_rows"] == 0, job.summary["errors"][:3]
                with measured(
                    results, f"import {rows:,}-row CSV, {kind}: run (upsert + movements)"
                ) as extra:
                    io_services.import_job_start(store=store, job=job, actor=owner)
                    job.refresh_from_db()
                    extra["note"] = (
                        f"{job.created_count:,} created, {job.updated_count:,} updated, "
                        f"{job.summary.get('stock_movements', 0):,} movements; "
                        + ", ".join(f"{k} {v} s" for k, v in job.summary.get("seconds", {}).items())
                    )
                assert job.status == "done", job.failure_message

        # bulk action over every product (set as draft), through the job runner core's task calls
        from apps.catalog import services as catalog_services
        from apps.catalog.models import Product
        from apps.core.jobs import job_run

        catalog_services.bulk.job_enqueue = lambda job: None  # run below, in-process

        everything = Product.objects.for_store(store)
        with measured(
            results, f"bulk 'set as draft' on all {everything.count():,} products: queue"
        ):
            job = catalog_services.bulk_job_create(
                store=store,
                actor=owner,
                products=everything,
                options=catalog_services.BulkOptions(action="draft"),
            )
        with measured(results, "bulk 'set as draft': run (chunks + audit entries)") as extra:
            job_run(label="catalog.BulkJob", job_id=job.pk)
            job.refresh_from_db()
            extra["note"] = f"{job.changed:,} changed, status {job.status}"

        print_table(results)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(database, verbosity=0)
            print("bench database dropped", flush=True)


if __name__ == "__main__":
    main()
