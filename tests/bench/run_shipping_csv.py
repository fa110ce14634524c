"""Zones-and-rates CSV benchmark: export, dry run and import of 50 zones × 20 rates (issue 8's
store) and of a 20,000-row file (the most one import reads), through the job's bodies.

    .venv/bin/python -m tests.bench.run_shipping_csv [--zones 1000]

It creates its own database (``mp_bench_shipping_csv`` on the project's PostgreSQL, dropped at
the end) and prints the wall time and peak RSS of each step. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "merchant_portal.settings")
os.environ.setdefault("DATABASE_TEST_NAME", "mp_bench_shipping_csv")

from tests.bench.run_catalog import measured, print_table  # noqa: E402

SERVICES = 20


def csv_upload(zones: int, *, price: str = "4.90"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.shipping.io.format import COLUMN_NAMES

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMN_NAMES)
    writer.writeheader()
    for zone in range(zones):
        for rate in range(SERVICES):
            banded = rate % 2 == 0
            writer.writerow(
                {
                    "zone": f"Zone {zone}",
                    "countries": "DE, AT",
                    "postal_include": f"{10000 + zone:05d}-{10000 + zone:05d}, SW{zone}*",
                    "service": f"svc-{rate}",
                    "rate": f"Rate {rate}",
                    "kind": "weight" if banded else "flat",
                    "price": "" if banded else price,
                    "bands": "; ".join(f"{b * 2}-{b * 2 + 2}: {4 + b}.90" for b in range(10))
                    if banded
                    else "",
                    "free_over": "150.00" if rate % 5 == 0 else "",
                    "max_weight": "30" if rate % 3 == 0 else "",
                    "excluded_tags": "oversized",
                }
            )
    return SimpleUploadedFile(f"zones-{zones}.csv", out.getvalue().encode())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zones", type=int, default=1000, help="zones of the large file (× 20)")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    print(f"bench database {database}", flush=True)

    from apps.accounts.models import Membership, User
    from apps.core.models import Store
    from apps.shipping import services
    from apps.shipping.io import exports, imports
    from apps.shipping.models import Rate

    imports.INLINE_MAX_ROWS = 10**9  # measure the job's bodies in this process
    results: list = []
    try:
        owner = User.objects.create_user(email="bench@bench.test", password="bench-only-pass")
        store = Store.objects.create(handle="bench", name="Bench", currency="EUR")
        Membership.objects.create(user=owner, store=store, role="owner")
        carrier = services.carrier_create(store=store, actor=owner, name="Carrier")
        for n in range(SERVICES):
            services.service_create(
                store=store, actor=owner, carrier=carrier, name=f"Service {n}",
                code=f"svc-{n}", days_min=1, days_max=3,
            )  # fmt: skip

        def check_and_run(label: str, upload, mode: str = "merge"):
            with measured(results, f"{label}: dry run"):
                job = imports.shipping_import_create(
                    store=store, actor=owner, upload=upload, mode=mode
                )
            assert job.error_count == 0, job.summary["errors"][:3]
            with measured(results, f"{label}: import (checked again, then written)"):
                imports.shipping_import_start(store=store, job=job, actor=owner)
            job.refresh_from_db()
            assert job.status == "done", job.failure_message
            return job

        check_and_run("50 zones × 20 rates (1,000 rows), new", csv_upload(50))
        with measured(results, "export 50 zones × 20 rates"):
            data = exports.shipping_export_csv(store=store)
        from django.core.files.uploadedfile import SimpleUploadedFile

        job = check_and_run(
            "the export imported back (1,000 rows, unchanged)", SimpleUploadedFile("e.csv", data)
        )
        assert job.summary["rates_unchanged"] == 50 * SERVICES
        check_and_run("1,000 rows, every price changed", csv_upload(50, price="5.90"))
        rows = args.zones * SERVICES
        check_and_run(
            f"{args.zones:,} zones × 20 rates ({rows:,} rows), replace all",
            csv_upload(args.zones),
            mode="replace",
        )
        print(f"store has {Rate.objects.for_store(store).count():,} rates", flush=True)
        with measured(results, f"export {args.zones:,} zones × 20 rates"):
            exports.shipping_export_csv(store=store)
    finally:
        print_table(results, out=sys.stdout)
        if not args.keep:
            connection.creation.destroy_test_db(database, verbosity=0)


if __name__ == "__main__":
    main()
