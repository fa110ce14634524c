"""Orders for tests, made the way they arrive: through the ingest service (the API's path)."""

from __future__ import annotations

import copy
import itertools

from apps.orders import services

_numbers = itertools.count(1)


def order_body(**overrides) -> dict:
    """An order in the admin API's shape (DESIGN.md), with ``overrides`` replacing keys."""
    body = {
        "external_id": f"EXT-{next(_numbers)}",
        "channel": "web",
        "placed_at": "2025-03-01T14:05:00+01:00",
        "currency": "EUR",
        "customer": {
            "email": "ada.lovelace@example.com",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "phone": "+49 30 1234567",
        },
        "shipping_address": {
            "name": "Ada Lovelace",
            "line1": "Hauptstraße 1",
            "line2": "",
            "city": "Berlin",
            "region": "",
            "postal_code": "10115",
            "country": "DE",
        },
        "lines": [
            {"sku": "MUG-1", "quantity": 2, "unit_price": "12.50"},
            {"sku": "TEE-M", "quantity": 1, "unit_price": "25.00"},
        ],
        "shipping": {
            "service": "dhl-standard",
            "name": "DHL Paket",
            "price": "4.90",
            "carrier": "DHL",
            "tracking_url_template": "https://track.example/?n={tracking_number}",
        },
        "payment": {"method": "card", "name": "Credit card", "reference": "PAY-778899"},
        "discount_total": "5.00",
    }
    body.update(copy.deepcopy(overrides))
    return body


def make_order(store, actor="storefront", **overrides):
    order, _created = services.order_ingest(store=store, actor=actor, data=order_body(**overrides))
    return order


def many_lines(count: int) -> list[dict]:
    return [
        {"sku": f"SKU-{index:03d}", "quantity": 1, "unit_price": "1.00"} for index in range(count)
    ]
