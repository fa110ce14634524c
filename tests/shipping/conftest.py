"""A small shipping setup for the store of tests/conftest.py, made through the services."""

from __future__ import annotations

import pytest

from apps.shipping import services
from tests.catalog.factories import ProductFactory, VariantFactory


@pytest.fixture
def shipping_setup(store, owner):
    """DHL Standard (weight bands 0-2: 4.90, 2-10: 7.90; free from 50) and Express (9.90, up to
    30 kg, not for "oversized") in a Germany zone; two products."""
    carrier = services.carrier_create(store=store, actor=owner, name="DHL")
    standard = services.service_create(
        store=store, actor=owner, carrier=carrier, name="Standard", code="dhl-standard",
        days_min=2, days_max=4, tracking_url_template="https://dhl.example/t?id={tracking_number}",
    )  # fmt: skip
    express = services.service_create(
        store=store, actor=owner, carrier=carrier, name="Express", code="dhl-express",
        days_min=1, days_max=1,
    )  # fmt: skip
    germany = services.zone_create(store=store, actor=owner, name="Germany", countries="DE")
    services.rate_create(
        store=store, actor=owner, zone=germany, service=standard, name="Standard",
        kind="weight", bands="0-2: 4.90\n2-10: 7.90", free_over="50",
    )  # fmt: skip
    services.rate_create(
        store=store, actor=owner, zone=germany, service=express, name="Express",
        price="9.90", max_weight="30", excluded_tags="oversized",
    )  # fmt: skip
    mug = VariantFactory(
        product=ProductFactory(store=store, title="Mug"), sku="MUG-1", price="12.00",
        weight="500", weight_unit="g",
    )  # fmt: skip
    sofa = VariantFactory(
        product=ProductFactory(store=store, title="Sofa", tags=["Oversized"]), sku="SOFA-1",
        price="400.00", weight="16", weight_unit="kg",
    )  # fmt: skip
    return {
        "carrier": carrier, "standard": standard, "express": express, "zone": germany,
        "mug": mug, "sofa": sofa,
    }  # fmt: skip
