"""Orders, customers and support of the demo store (seed_demo's bulk orders): the support
look-ups (selectors alone) and the pages through Django's test Client."""

from __future__ import annotations

from urllib.parse import quote

from django.test import Client

from tests.bench.parts import Bench


def run(bench: Bench) -> None:
    from apps.accounts.models import User
    from apps.core.models import Store
    from apps.customers.models import Customer
    from apps.orders.models import Order
    from apps.orders.selectors import customer_search, order_search

    store = Store.objects.get(handle="demo")
    owner = User.objects.get(email="owner@demo.test")
    orders = Order.objects.for_store(store)
    bench.notes["demo store orders / customers"] = (
        f"{orders.count():,} / {Customer.objects.for_store(store).count():,}"
    )
    # one sample order, the same for a given data set: the middle of those with tracking
    with_tracking = orders.exclude(tracking_number="").order_by("pk")
    sample = with_tracking[with_tracking.count() // 2]
    email = sample.customer_email
    name = sample.customer_name
    cut = len(name) - 4
    typo = name[:cut] + name[cut + 1] + name[cut] + name[cut + 2 :]  # two letters swapped

    for label, query in (
        ("order number", f"#{sample.number}"),
        ("email, exact", email),
        ("tracking number", sample.tracking_number),
        ("email, part", email.split("@")[0][-8:]),
        ("customer name with a typo", typo),
    ):
        bench.time(
            f"support look-up (selector): {label}",
            lambda query=query: order_search(store=store, query=query, limit=5),
        )
    bench.time(
        "support look-up (selector): customers by email",
        lambda: customer_search(store=store, query=email, limit=5),
    )

    client = Client()
    client.force_login(owner)
    base = f"/store/{store.handle}/"

    def page(url: str):
        def call():
            response = client.get(base + url)
            assert response.status_code == 200, (url, response.status_code)

        return call

    bench.time("order list, first page", page("orders/"))
    bench.time("order list, channel=app & country=DE", page("orders/?channel=app&country=DE"))
    bench.time("order page", page(f"orders/{sample.number}/"))
    customer = (
        sample.customer_id or Customer.objects.for_store(store).values_list("pk", flat=True).first()
    )
    bench.time("customer page", page(f"customers/{customer}/"))
    bench.time(
        "search page (orders + customers + products): exact email",
        page(f"search/?q={quote(email)}"),
    )
    bench.time("search page: name with a typo", page(f"search/?q={quote(typo)}"))
