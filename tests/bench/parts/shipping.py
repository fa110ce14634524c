"""Shipping and payments: a store with issue #8's 50 zones × 20 rates and 20 payment methods,
built through the shipping and payment services; the quote in-process (engine alone, and the
checkout with its database reads) and through Django's test Client (quote API, simulator)."""

from __future__ import annotations

import json
import pickle
import time

from django.db import transaction
from django.test import Client

from tests.bench.parts import Bench

HANDLE = "bench-checkout"
# one zone per country, so no two zones compete for a destination
COUNTRIES = (
    "DE", "AT", "FR", "NL", "BE", "IT", "ES", "PL", "SE", "DK", "FI", "IE", "PT", "CZ", "SK",
    "HU", "SI", "HR", "RO", "BG", "GR", "CY", "MT", "LU", "LT", "LV", "EE", "NO", "CH", "GB",
    "IS", "LI", "MC", "SM", "AD", "US", "CA", "MX", "BR", "AR", "CL", "AU", "NZ", "JP", "KR",
    "SG", "IN", "ZA", "TR", "IL",
)  # fmt: skip
KINDS = ("flat", "weight", "subtotal", "per_item")
BANDS = "\n".join(f"{b * 2}-{b * 2 + 2}: {4 + b}" for b in range(10))
SUBTOTAL_BANDS = "\n".join(f"{b * 20}-{b * 20 + 20}: {4 + b}" for b in range(10))
# three lines to a postal-code zone late in the list (zone 30: Iceland, postal codes 13000-13099)
DESTINATION = (COUNTRIES[30], "13050")
QUOTE_BODY = {
    "items": [
        {"sku": "BCH-A", "quantity": 2},
        {"sku": "BCH-B", "quantity": 1},
        {"sku": "BCH-C", "quantity": 3},
    ],
    "destination": {"country": DESTINATION[0], "postal_code": DESTINATION[1]},
    "currency": "EUR",
}
PAYMENT_QUERY = f"country={DESTINATION[0]}&total=49.90&currency=EUR"


def checkout_store_setup(owner):
    """The store, built once per database (``--reuse`` keeps it): 10 services, 50 zones × 20
    rates (every kind, bands, exclusions), 20 payment methods, three products."""
    from apps.accounts.services import store_create
    from apps.catalog.services import category_create, product_create
    from apps.core.models import Store
    from apps.payments import services as payments
    from apps.shipping import services as shipping

    store = Store.objects.filter(handle=HANDLE).first()
    if store is not None:
        return store, None
    started = time.perf_counter()
    with transaction.atomic():
        store = store_create(owner=owner, name="Bench checkout", handle=HANDLE, currency="EUR")
        furniture = category_create(store=store, actor=owner, name="Furniture")
        kitchen = category_create(store=store, actor=owner, name="Kitchen")
        for sku, price, weight, tags, category in (
            ("BCH-A", "19.90", "0.5", ["new"], None),
            ("BCH-B", "49.00", "1.2", [], kitchen),
            ("BCH-C", "5.00", "0.1", ["sale"], None),
        ):
            product_create(
                store=store, actor=owner, title=f"Bench {sku}", status="active", tags=tags,
                category=category,
                variants=[{"sku": sku, "price": price, "weight": weight, "weight_unit": "kg",
                           "stock_quantity": 100}],
            )  # fmt: skip
        services = []
        for number in range(10):
            carrier = shipping.carrier_create(store=store, actor=owner, name=f"Carrier {number}")
            services.append(
                shipping.service_create(
                    store=store,
                    actor=owner,
                    carrier=carrier,
                    name=f"Service {number}",
                    code=f"svc-{number}",
                    days_min=1,
                    days_max=3 + number % 4,
                )  # fmt: skip
            )
        for z, country in enumerate(COUNTRIES):
            postal = f"{10000 + z * 100}-{10099 + z * 100}" if z % 3 == 0 else ""
            zone = shipping.zone_create(
                store=store, actor=owner, name=f"Zone {z}", countries=country,
                postal_include=postal,
            )  # fmt: skip
            for r in range(20):
                kind = KINDS[r % 4]
                shipping.rate_create(
                    store=store, actor=owner, zone=zone, service=services[r % 10],
                    name=f"Rate {r}", kind=kind, price="4.90",
                    bands=SUBTOTAL_BANDS if kind == "subtotal" else BANDS,
                    free_over="150" if r % 5 == 0 else None,
                    max_weight="30" if r % 2 else None,
                    excluded_tags="oversized", excluded_categories=[furniture.pk],
                    handling_fee="0.50",
                )  # fmt: skip
        for n in range(20):
            payments.method_create(
                store=store, actor=owner, kind="card", code=f"m{n}", display_name=f"Method {n}",
                gateway="Stripe",
                fee_fixed="0.25", fee_percent="2.9", fee_cap="5" if n % 2 else None,
                min_total="10" if n % 3 == 0 else None, max_total="500" if n % 4 == 0 else None,
                countries="SK, AT" if n % 5 == 0 else "",
                shipping_service_codes=["svc-1"] if n % 6 == 0 else [], sort_order=n,
            )  # fmt: skip
    return store, time.perf_counter() - started


def run(bench: Bench) -> None:
    from apps.accounts.models import User
    from apps.payments.selectors import payment_config_build
    from apps.shipping import engine
    from apps.shipping.selectors import shipping_config, shipping_config_build
    from apps.storefront import checkout

    owner = User.objects.get(email="owner@demo.test")
    store, seconds = checkout_store_setup(owner)
    if seconds is not None:
        bench.notes["checkout store setup (50 zones × 20 rates, 20 methods)"] = f"{seconds:.1f} s"
    bench.shared["checkout_store"] = store
    config = shipping_config_build(store=store)
    rates = sum(len(zone.rates) for zone in config.zones)
    bench.notes["checkout store config"] = (
        f"{len(config.zones)} zones, {rates} rates, "
        f"{len(payment_config_build(store=store).methods)} payment methods; shipping config "
        f"{len(pickle.dumps(config)) / 1024:.0f} KB pickled"
    )
    print(f"checkout store: {bench.notes['checkout store config']}", flush=True)

    bench.time(
        "shipping config build from the database (50 zones × 20 rates)",
        lambda: shipping_config_build(store=store),
        runs=max(5, bench.runs // 4),
    )
    cached = shipping_config(store=store)
    problems = checkout.Problems()
    cart = checkout.cart_build(
        store, tuple((i["sku"], i["quantity"]) for i in QUOTE_BODY["items"]), problems,
        config=cached,
    )  # fmt: skip
    assert not problems, problems.errors
    destination = engine.Destination(DESTINATION[0], "", DESTINATION[1])
    options = engine.shipping_quote(cached, cart, destination).options
    assert options, "the bench quote finds no shipping option"
    bench.time(
        "quote in-process, engine only (issue #8: < 2 ms median)",
        lambda: engine.shipping_quote(cached, cart, destination),
        runs=bench.runs * 20,
    )
    bench.time(
        "quote in-process, checkout (SKUs read, cached config)",
        lambda: checkout.shipping_quote(store, QUOTE_BODY),
        runs=bench.runs * 5,
    )

    client = Client()
    body = json.dumps(QUOTE_BODY)
    headers = {"HTTP_X_STORE_KEY": store.publishable_key}

    def quote():
        response = client.post(
            "/api/storefront/v1/shipping/quote", body, content_type="application/json", **headers
        )
        assert response.status_code == 200, response.content[:300]

    def methods():
        response = client.get(f"/api/storefront/v1/payment-methods?{PAYMENT_QUERY}", **headers)
        assert response.status_code == 200, response.content[:300]

    bench.time("storefront quote API, server time (test Client)", quote, runs=bench.runs * 5)
    bench.time("storefront payment methods API, server time (test Client)", methods)

    portal = Client()
    portal.force_login(owner)
    sim = (
        f"/store/{HANDLE}/shipping/simulator/?sku=BCH-A&qty=2&sku=BCH-B&qty=1&sku=BCH-C&qty=3"
        f"&country={DESTINATION[0]}&postal_code={DESTINATION[1]}"
    )

    def page(url):
        def call():
            response = portal.get(url)
            assert response.status_code == 200, response.status_code

        return call

    bench.time("shipping simulator page (50 zones × 20 rates)", page(sim))
    bench.time("shipping zones page (50 zones)", page(f"/store/{HANDLE}/shipping/"))
