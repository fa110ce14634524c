"""The stock-state rule is written three times: in Python (``inputs.stock_state``, which the pages
and the API show), in SQL (the product summary's trigger, migration 0005, which the product
list filters on by index) and as the low-stock list's query (``selectors.low_stock_variants``).
One grid of cases goes through all three, and they must agree."""

from __future__ import annotations

import itertools

import pytest
from django.db import IntegrityError, transaction

from apps.catalog import inputs, selectors
from apps.catalog.models import Product, ProductSummary
from tests.catalog.factories import ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db

THRESHOLDS = (0, 5)


def _quantities(threshold: int) -> list[int]:
    """Negative, zero, below, at and above the threshold."""
    return sorted({-3, 0, threshold - 1, threshold, threshold + 1})


def _single_variant_cases() -> list[tuple[int, list[tuple[bool, int]]]]:
    return [
        (threshold, [(tracked, quantity)])
        for threshold in THRESHOLDS
        for tracked in (True, False)
        for quantity in _quantities(threshold)
        if not (tracked and quantity < 0)  # a tracked variant cannot go below 0 (see below)
    ]


def _two_variant_cases() -> list[tuple[int, list[tuple[bool, int]]]]:
    pool = [(True, 0), (True, 4), (True, 5), (True, 6), (False, 0), (False, -2)]
    return [
        (threshold, list(pair))
        for threshold in THRESHOLDS
        for pair in itertools.combinations_with_replacement(pool, 2)
    ]


def _disagreements(products: dict[int, list], low_list: set[int]) -> list[str]:
    found = []
    for product in Product.objects.filter(pk__in=products).select_related("summary"):
        pairs = [(v.track_inventory, v.stock_quantity) for v in products[product.pk]]
        threshold = product.low_stock_threshold
        python = inputs.stock_state(pairs, threshold=threshold)
        sql = ProductSummary.objects.get(product=product).stock_state
        page = selectors.product_stock_state(product)  # what the product pages show
        if not python == sql == page:
            found.append(f"threshold {threshold} {pairs}: python {python}, sql {sql}, page {page}")
        for variant in products[product.pk]:
            pair = (variant.track_inventory, variant.stock_quantity)
            rule = inputs.variant_is_low(
                track_inventory=variant.track_inventory,
                stock_quantity=variant.stock_quantity,
                threshold=threshold,
            )
            if rule != (variant.pk in low_list):
                found.append(
                    f"threshold {threshold} variant {pair}: rule says low={rule}, "
                    f"low-stock list says {variant.pk in low_list}"
                )
            if variant.track_inventory and rule != (
                inputs.variant_stock_state(
                    track_inventory=True,
                    stock_quantity=variant.stock_quantity,
                    threshold=threshold,
                )
                in {inputs.STOCK_LOW, inputs.STOCK_OUT}
            ):
                found.append(f"threshold {threshold} variant {pair}: low list vs its state")
    return found


def test_python_sql_and_the_low_stock_list_agree_on_every_case(store):
    products: dict[int, list] = {}
    for threshold, pairs in _single_variant_cases() + _two_variant_cases():
        product = ProductFactory(store=store, low_stock_threshold=threshold)
        products[product.pk] = [
            VariantFactory(product=product, track_inventory=tracked, stock_quantity=quantity)
            for tracked, quantity in pairs
        ]

    def low_list() -> set[int]:
        return set(selectors.low_stock_variants(store=store).values_list("pk", flat=True))

    # the summary was written by the variant triggers
    assert _disagreements(products, low_list()) == []

    # a changed threshold (the product trigger) moves every case to the other threshold
    for threshold in THRESHOLDS:
        moved = Product.objects.filter(pk__in=products, low_stock_threshold=threshold)
        moved.update(low_stock_threshold=THRESHOLDS[1] if threshold == 0 else THRESHOLDS[0])
    assert _disagreements(products, low_list()) == []

    # the grid did reach every state, and the list is not empty
    states = set(ProductSummary.objects.filter(store=store).values_list("stock_state", flat=True))
    assert states == {inputs.STOCK_IN, inputs.STOCK_LOW, inputs.STOCK_OUT}
    assert low_list()


def test_a_tracked_variant_cannot_hold_negative_stock(store):
    """Why the grid has no tracked negative case: the database refuses it."""
    product = ProductFactory(store=store)

    with pytest.raises(IntegrityError), transaction.atomic():
        VariantFactory(product=product, track_inventory=True, stock_quantity=-1)
