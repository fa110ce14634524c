"""Shipping and payments benchmark: one in-process quote on a store with 50 zones × 20 rates
and 20 payment methods (issue 8's target: under 2 ms at the median).

    .venv/bin/python -m tests.bench.run_shipping [--runs 2000]

Builds the engines' plain config (the shape the cached selectors return), then times
``shipping_quote`` + ``payment_options`` for a three-line cart to a postal-code zone near the
end of the list: median and 95th percentile. No database; not collected by pytest.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import time
from decimal import Decimal as D

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "merchant_portal.settings")


def build():
    from apps.payments.engine import MethodSpec, PaymentConfig
    from apps.shipping import inputs
    from apps.shipping.engine import (
        Band,
        Cart,
        CartLine,
        Destination,
        RateSpec,
        ServiceSpec,
        ShippingConfig,
        ZoneSpec,
    )

    services = [ServiceSpec(f"svc-{n}", "Carrier", f"Service {n}", 1, 3 + n % 4) for n in range(10)]
    countries = ["DE", "AT", "FR", "NL", "BE", "IT", "ES", "PL", "SE", "DK"]
    zones = []
    for z in range(50):
        country = countries[z % len(countries)]
        postal = (inputs.postal_rule(f"{10000 + z * 100}-{10099 + z * 100}"),) if z % 3 == 0 else ()
        rates = []
        for r in range(20):
            kind = ("flat", "weight", "subtotal", "per_item")[r % 4]
            bands = tuple(Band(D(b * 2), D(b * 2 + 2), D(4 + b)) for b in range(10))
            rates.append(
                RateSpec(
                    id=z * 100 + r,
                    name=f"Rate {r}",
                    service=services[r % 10],
                    kind=kind,
                    price=D("4.90"),
                    bands=bands,
                    free_over=D("150") if r % 5 == 0 else None,
                    max_weight=D(30) if r % 2 else None,
                    excluded_tags=frozenset({"oversized"}),
                    excluded_categories=((7, "Furniture"),),
                    handling_fee=D("0.50"),
                )  # fmt: skip
            )
        zones.append(
            ZoneSpec(
                id=z,
                name=f"Zone {z}",
                countries=frozenset({country}),
                regions=frozenset({"BE"}) if z % 4 == 1 else frozenset(),
                postal_include=postal,
                rates=tuple(rates),
                position=z,
            )  # fmt: skip
        )
    shipping = ShippingConfig.build(currency="EUR", zones=zones, services=services)
    methods = tuple(
        MethodSpec(
            code=f"m{n}",
            name=f"Method {n}",
            kind="card",
            fee_fixed=D("0.25"),
            fee_percent=D("2.9"),
            fee_cap=D(5) if n % 2 else None,
            min_total=D(10) if n % 3 == 0 else None,
            max_total=D(500) if n % 4 == 0 else None,
            countries=frozenset({"DE", "AT"}) if n % 5 == 0 else frozenset(),
            service_codes=frozenset({"svc-1"}) if n % 6 == 0 else frozenset(),
            sort_order=n,
        )  # fmt: skip
        for n in range(20)
    )
    payments = PaymentConfig("EUR", methods)
    cart = Cart(
        (
            CartLine("A", 2, D("19.90"), D("0.5"), frozenset({"new"}), frozenset({3})),
            CartLine("B", 1, D("49.00"), D("1.2"), frozenset(), frozenset({4, 2})),
            CartLine("C", 3, D("5.00"), D("0.1"), frozenset({"sale"}), frozenset()),
        )
    )
    destination = Destination("DE", "", "13050")  # zone 30: a postal range, late in the list
    return shipping, payments, cart, destination


def main() -> None:
    import django

    django.setup()
    from apps.payments.engine import payment_options
    from apps.shipping.engine import shipping_quote

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2000)
    args = parser.parse_args()
    shipping, payments, cart, destination = build()
    today = datetime.date(2026, 5, 4)

    def once():
        quote = shipping_quote(shipping, cart, destination, today=today)
        chosen = quote.options[0]
        payment_options(
            payments, country="DE", total=quote.subtotal + chosen.price,
            service_code=chosen.service_code, service_names=shipping.service_names,
        )  # fmt: skip
        return quote

    quote = once()
    print(f"zone {quote.zone!r}: {len(quote.options)} options, {len(quote.excluded)} excluded")
    for _ in range(200):
        once()
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        once()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(
        f"quote + payment methods, 50 zones × 20 rates, 20 methods ({args.runs} runs): "
        f"median {statistics.median(times):.3f} ms, p95 {p95:.3f} ms"
    )


if __name__ == "__main__":
    main()
