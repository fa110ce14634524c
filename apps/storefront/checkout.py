"""The checkout as the storefront sees it: a cart of SKUs and a destination in, shipping
options and payment methods out, every left-out one with its reason.

One place that reads a quote request (every problem at once, named by its field), turns SKUs
into the engines' cart lines (weights in kg, tags, category ancestry) and runs the shipping and
payment engines over the store's cached config. The storefront API and the checkout simulator
page both call it.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import apps.catalog.selectors as catalog_selectors
from apps.core.exceptions import DomainError
from apps.core.inputs import money as money_input
from apps.core.models import Store
from apps.core.money import is_country, is_currency
from apps.payments import engine as payment_engine
from apps.payments.selectors import payment_config
from apps.shipping import engine as shipping_engine
from apps.shipping.inputs import REGION_PATTERN
from apps.shipping.selectors import shipping_config

MAX_LINES = 100
MAX_QUANTITY = 100_000


@dataclass
class Problems:
    """Every problem of a request, by field path: ``{"items[0].sku": ["unknown SKU X"]}``."""

    errors: dict[str, list[str]] = field(default_factory=dict)

    def add(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.errors)


@dataclass(frozen=True)
class CheckoutRequest:
    items: tuple[tuple[str, int], ...]
    destination: shipping_engine.Destination


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _quantity(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def destination_read(
    store: Store, raw: Any, problems: Problems, *, prefix: str = "destination."
) -> shipping_engine.Destination:
    raw = raw if isinstance(raw, Mapping) else {}
    country = _text(raw.get("country")).upper()
    region = _text(raw.get("region")).upper()
    postal = _text(raw.get("postal_code"))
    if not country:
        problems.add(prefix + "country", "Give the destination's country, e.g. DE.")
    elif country and not is_country(country):
        problems.add(prefix + "country", f"unknown country {country[:10]}")
    if region and not REGION_PATTERN.match(region):
        problems.add(prefix + "region", "A region code has up to 10 letters or digits, e.g. BE.")
    destination = shipping_engine.Destination(country, region, postal)
    if country and is_country(country):
        problem = shipping_engine.postal_code_problem(shipping_config(store=store), destination)
        if problem:
            problems.add(prefix + "postal_code", problem)
    return destination


def currency_check(store: Store, raw: Any, problems: Problems) -> None:
    if raw in (None, ""):
        return
    code = _text(raw).upper()
    if not code:
        problems.add("currency", "Give the currency as a three-letter code, e.g. EUR.")
    elif not is_currency(code):
        problems.add("currency", f"unknown currency {code[:10]}")
    elif code != store.currency:
        problems.add("currency", f"The store sells in {store.currency}, not {code}.")


def items_read(raw: Any, problems: Problems) -> tuple[tuple[str, int], ...]:
    if not isinstance(raw, list) or not raw:
        problems.add("items", 'Give at least one item: {"sku": "…", "quantity": 1}.')
        return ()
    if len(raw) > MAX_LINES:
        problems.add("items", f"A quote takes at most {MAX_LINES} items.")
        return ()
    items = []
    for index, item in enumerate(raw):
        item = item if isinstance(item, Mapping) else {}
        sku = _text(item.get("sku"))
        quantity = _quantity(item.get("quantity"))
        if not sku:
            problems.add(f"items[{index}].sku", "Give the item's SKU.")
        elif len(sku) > 64:
            problems.add(f"items[{index}].sku", "A SKU has at most 64 characters.")
        if quantity is None:
            problems.add(f"items[{index}].quantity", "The quantity is a whole number, e.g. 2.")
        elif quantity < 1:
            problems.add(
                f"items[{index}].quantity", f"The quantity must be at least 1, not {quantity}."
            )
        elif quantity > MAX_QUANTITY:
            problems.add(f"items[{index}].quantity", f"The quantity is at most {MAX_QUANTITY:,}.")
        items.append((sku, quantity or 0))
    return tuple(items)


def cart_build(
    store: Store,
    items: tuple[tuple[str, int], ...],
    problems: Problems,
    *,
    config: shipping_engine.ShippingConfig,
) -> shipping_engine.Cart:
    """The engine's cart from ``(sku, quantity)`` pairs; unknown SKUs and SKUs not for sale
    are problems named by their item's index."""
    variants = catalog_selectors.cart_variants(store=store, skus=(sku for sku, _q in items if sku))
    needs_categories = any(rate.excluded_categories for zone in config.zones for rate in zone.rates)
    ancestry = catalog_selectors.category_ancestry(store=store) if needs_categories else {}
    lines = []
    for index, (sku, quantity) in enumerate(items):
        if not sku:
            continue
        variant = variants.get(sku)
        if variant is None:
            problems.add(f"items[{index}].sku", f"unknown SKU {sku}")
            continue
        if not variant.is_for_sale:
            problems.add(
                f"items[{index}].sku", f"SKU {sku} is not for sale (its product is not active)"
            )
            continue
        category = variant.category_id
        lines.append(
            shipping_engine.CartLine(
                sku=sku,
                quantity=quantity,
                unit_price=variant.price,
                weight_kg=variant.weight_kg,
                tags=variant.tags,
                category_ids=ancestry.get(category, frozenset({category} if category else ())),
            )
        )
    return shipping_engine.Cart(tuple(lines))


def shipping_quote(
    store: Store, payload: Any, *, today: datetime.date | None = None
) -> tuple[shipping_engine.ShippingQuote | None, Problems]:
    """A quote for a request body ``{"items", "destination", "currency"?}``, or the problems."""
    problems = Problems()
    payload = payload if isinstance(payload, Mapping) else {}
    config = shipping_config(store=store)
    items = items_read(payload.get("items"), problems)
    destination = destination_read(store, payload.get("destination"), problems)
    currency_check(store, payload.get("currency"), problems)
    cart = cart_build(store, items, problems, config=config)
    if problems:
        return None, problems
    return shipping_engine.shipping_quote(config, cart, destination, today=today), problems


def total_read(store: Store, raw: Any, problems: Problems, *, path: str = "total") -> Decimal:
    """The order total by core's money rule, in the store's currency (a yen total is whole)."""
    try:
        total = money_input(raw, field=path, label="order total", currency=store.currency)
    except DomainError as error:
        problems.add(path, error.message)
        return Decimal("0")
    return total  # type: ignore[return-value]


def payment_methods(
    store: Store, *, country: str, total: Decimal, service_code: str = ""
) -> payment_engine.PaymentAnswer:
    return payment_engine.payment_options(
        payment_config(store=store),
        country=country,
        total=total,
        service_code=service_code,
        service_names=shipping_config(store=store).service_names,
    )


def payment_query(store: Store, params: Mapping[str, Any]):
    """``?country=DE&total=49.90&currency=EUR[&shipping_service=…]`` → the answer, or problems."""
    problems = Problems()
    country = _text(params.get("country")).upper()
    if not country:
        problems.add("country", "Give the country, e.g. DE.")
    elif not is_country(country):
        problems.add("country", f"unknown country {country[:10]}")
    total = total_read(store, params.get("total"), problems)
    currency_check(store, params.get("currency"), problems)
    service = _text(params.get("shipping_service")).lower()
    if service and service not in shipping_config(store=store).services:
        problems.add("shipping_service", f"unknown shipping service {service[:40]}")
    if problems:
        return None, problems
    return payment_methods(store, country=country, total=total, service_code=service), problems
