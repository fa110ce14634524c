"""Catalog pages of the demo store (seed_demo's bulk catalog) through Django's test Client:
server time of the product list, searches, filters and sorts; an import and the CSV export."""

from __future__ import annotations

import os
import tempfile

from django.test import Client

from tests.bench import measure
from tests.bench.parts import Bench


def run(bench: Bench) -> None:
    from apps.accounts.models import User
    from apps.catalog.models import Variant
    from apps.core.models import Store

    store = Store.objects.get(handle="demo")
    owner = User.objects.get(email="owner@demo.test")
    variants = Variant.objects.for_store(store).count()
    bench.notes["demo store variants"] = f"{variants:,}"
    sku = Variant.objects.for_store(store).order_by("-pk").values_list("sku", flat=True).first()
    client = Client()
    client.force_login(owner)
    base = f"/store/{store.handle}/catalog/"

    def page(query: str):
        def call():
            response = client.get(base + query)
            assert response.status_code == 200, response.status_code

        return call

    bench.time("product list, first page", page(""))
    bench.time("product search by title word", page("?q=merino"))
    bench.time("product search by SKU", page(f"?q={sku}"))
    bench.time("product list, stock=low", page("?stock=low"))
    bench.time("product list, sorted by price", page("?sort=price"))


IMPORT_ROWS = {"small": 10_000, "large": 100_000}


def run_import_export(bench: Bench) -> None:
    """A catalog import of new products (check, then run: COPY staging and upserts) into a
    store of its own, and the CSV export of every demo variant: wall time and peak RSS of
    this process (the import's job body runs here, as a worker would run it)."""
    from django.core.files import File

    from apps.accounts.models import User
    from apps.accounts.services import store_create
    from apps.catalog import demo_bulk
    from apps.catalog.models import Variant
    from apps.catalog.services import imports
    from apps.core.models import Store
    from tests.bench.run_catalog import write_import_csv

    owner = User.objects.get(email="owner@demo.test")
    rows = IMPORT_ROWS[bench.scale]
    number = Store.objects.filter(handle__startswith="bench-import-").count() + 1
    store = store_create(
        owner=owner, name=f"Bench import {number}", handle=f"bench-import-{number}"
    )
    demo_bulk._ensure_categories(store=store, actor=owner)
    imports.INLINE_MAX_ROWS = 10**9  # the job body in this process, timed
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "import.csv")
        write_import_csv(path, rows=rows, offset=number)
        with open(path, "rb") as handle:
            job = imports.import_job_create(
                store=store, actor=owner, upload=File(handle, name="bench.csv")
            )
    with measure.rss_sampled() as check:
        imports.import_job_configure(store=store, job=job, mapping=job.mapping, mode="skip")
    job.refresh_from_db()
    assert job.summary["error_rows"] == 0, job.summary["errors"][:3]
    with measure.rss_sampled() as run:
        imports.import_job_start(store=store, job=job, actor=owner)
    job.refresh_from_db()
    assert job.status == "done", job.failure_message
    for label, found in (("check (dry run)", check), ("run (COPY + upserts)", run)):
        bench.add(_once(f"catalog import, {rows:,}-row CSV of new products: {label}", found))
    bench.memory_mb.set("catalog_import_peak_rss", max(check["peak_mb"], run["peak_mb"]))

    demo = Store.objects.get(handle="demo")
    client = Client()
    client.force_login(owner)
    variants = Variant.objects.for_store(demo).count()

    def export():
        response = client.get(f"/store/{demo.handle}/catalog/export/?format=csv")
        assert response.status_code == 200, response.status_code
        size = sum(len(block) for block in response.streaming_content)
        response.close()
        return size

    export()  # warm-up
    with measure.rss_sampled() as found:
        export()
    bench.add(_once(f"catalog export, {variants:,} variants as CSV (streamed)", found))
    bench.memory_mb.set("catalog_export_peak_rss", found["peak_mb"])


def _once(name: str, found: dict) -> dict:
    ms = round(found["seconds"] * 1000, 1)
    return {"name": name, "median_ms": ms, "p95_ms": ms, "max_ms": ms, "n": 1}
