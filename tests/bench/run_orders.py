"""Orders benchmark: support search and the order page on a store with 1M orders / 400k
customers (the numbers issue 7 names).

Run from the project folder (see tests/bench/README.md):

    .venv/bin/python -m tests.bench.run_orders --orders 1000000 --customers 400000

It builds its own database (``mp_bench_orders`` on the same PostgreSQL server; dropped at the
end unless ``--keep``), seeds it through the demo's bulk path (``apps.orders.demo_bulk``, the
same code as ``seed_demo --scale large``), then measures the median server time of each lookup
— the selector alone, and the whole search page through Django's test Client — and of the order
page. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import random
import sys

# before run_catalog's own defaults: this benchmark has a database of its own
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "merchant_portal.settings")
os.environ.setdefault("DATABASE_TEST_NAME", "mp_bench_orders")

from tests.bench.run_catalog import measured, print_table, timed_median  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=400_000)
    parser.add_argument("--runs", type=int, default=11, help="runs per lookup (median)")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept, seeded database")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    database = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.reuse)
    print(f"bench database {database}", flush=True)

    from apps.accounts.models import Membership, User
    from apps.catalog.models import Product, Variant
    from apps.core.demo import DemoContext, Progress
    from apps.core.models import Store
    from apps.orders import demo_bulk
    from apps.orders.models import Order
    from apps.orders.selectors import customer_search, order_search

    results: list = []
    try:
        store = Store.objects.filter(handle="bench").first()
        owner = User.objects.filter(email="bench@bench.test").first()
        if store is None:
            owner = User.objects.create_user(email="bench@bench.test", password="bench-only-pass")
            store = Store.objects.create(handle="bench", name="Bench", currency="EUR")
            Membership.objects.create(user=owner, store=store, role="support")
        if not Order.objects.for_store(store).exists():
            for number in range(200):
                product = Product.objects.create(
                    store=store, title=f"Bench product {number}", handle=f"bench-{number}"
                )
                for size in ("S", "M", "L"):
                    Variant.objects.create(
                        store=store, product=product, sku=f"BEN-{number:04d}-{size}",
                        price="19.90", option_values={"Size": size},
                    )  # fmt: skip
            demo_bulk.SIZES = {"large": (args.orders, args.customers)}
            context = DemoContext(
                rng=random.Random(42), scale="large", progress=Progress(sys.stderr)
            )
            context.stores["main"] = store
            with (
                measured(results, f"seed {args.orders:,} orders / {args.customers:,} customers"),
                transaction.atomic(),
            ):
                demo_bulk.seed(context)
            with connection.cursor() as cursor:
                for table in ("orders_order", "orders_orderline", "customers_customer"):
                    cursor.execute(f"VACUUM ANALYZE {table}")
        count = Order.objects.for_store(store).count()
        print(f"store has {count:,} orders", flush=True)

        sample = Order.objects.for_store(store).exclude(tracking_number="").order_by("?").first()
        email = sample.customer_email
        local = email.split("@")[0]
        name = sample.customer_name
        cut = len(name) - 4
        typo = name[:cut] + name[cut + 1] + name[cut] + name[cut + 2 :]  # two letters swapped
        queries = [
            ("order number", f"#{sample.number}"),
            ("email, exact", email),
            ("tracking number, exact", sample.tracking_number),
            ("payment reference, exact", sample.payment_reference),
            ("email, part", local[-12:]),
            ("customer name", name),
            ("customer name with a typo", typo),
            ("SKU", "BEN-0042-M"),
        ]
        for label, query in queries:
            timed_median(
                results, f"orders: {label} (“{query}”)", args.runs,
                lambda query=query: order_search(store=store, query=query, limit=5),
            )  # fmt: skip
        for label, query in (("email, exact", email), ("name with a typo", typo)):
            timed_median(
                results, f"customers: {label} (“{query}”)", args.runs,
                lambda query=query: customer_search(store=store, query=query, limit=5),
            )  # fmt: skip

        client = Client()
        client.force_login(owner)

        def get(url):
            def call():
                response = client.get(url)
                assert response.status_code == 200, response.status_code

            return call

        get("/store/bench/")()  # warm up the session
        for label, query in (("email, exact", email), ("name with a typo", typo)):
            timed_median(
                results, f"search page (orders + customers + products): {label}", args.runs,
                get(f"/store/bench/search/?q={query}"),
            )  # fmt: skip
        timed_median(results, "order page", args.runs, get(f"/store/bench/orders/{sample.number}/"))
        timed_median(results, "order list, first page", args.runs, get("/store/bench/orders/"))
        timed_median(
            results, "order list, channel=app & country=DE", args.runs,
            get("/store/bench/orders/?channel=app&country=DE"),
        )  # fmt: skip
        print_table(results)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(database, verbosity=0)
            print("bench database dropped", flush=True)


if __name__ == "__main__":
    main()
