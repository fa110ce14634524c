"""The bulk price change rule: to the currency's own smallest unit, in Python (the preview)
and in SQL (the change itself), the same to the cent."""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

import pytest

from apps.catalog import services
from apps.catalog.models import Product, Variant
from apps.catalog.rules import compare_at_adjusted, price_adjusted
from apps.core.money import currency_decimals
from tests.catalog.factories import VariantFactory


@pytest.mark.parametrize(
    ("price", "mode", "value", "decimals", "expected"),
    [
        ("19.90", "percent", "10", 2, "21.89"),
        ("75.00", "percent", "10", 0, "83.00"),  # ¥82.5 → ¥83: a yen price stays whole
        ("70.00", "amount", "-5", 0, "65.00"),
        ("10.00", "percent", "-10", 2, "9.00"),
    ],
)
def test_price_adjusted_rounds_to_the_currencys_unit(price, mode, value, decimals, expected):
    adjusted = price_adjusted(Decimal(price), mode=mode, value=Decimal(value), decimals=decimals)

    assert str(adjusted) == expected


def test_compare_at_moves_by_the_same_rule_and_unit():
    assert compare_at_adjusted(
        Decimal("95.00"),
        new_price=Decimal("83.00"),
        mode="percent",
        value=Decimal("10"),
        decimals=0,
    ) == Decimal("105.00")


# --- the bulk price change in SQL mirrors the rule -----------------------------------------------
CASES = [
    # price, compare-at, mode, value, currency
    ("19.90", None, "percent", "10", "EUR"),
    ("19.99", "24.99", "percent", "-12.5", "EUR"),
    ("0.05", "0.10", "percent", "-50", "EUR"),  # 0.025 → 0.03: half away from zero
    ("10.00", "12.00", "percent", "-33.35", "EUR"),  # 6.665 → 6.67 (an amount has cents only)
    ("75.00", "95.00", "percent", "10", "JPY"),  # ¥82.5 → ¥83, compare-at ¥104.5 → ¥105
    ("70.00", "71.00", "amount", "-5", "JPY"),
    ("10.00", "10.50", "percent", "33.33", "EUR"),  # compare-at would end below: kept at price
    ("999.99", None, "amount", "0.01", "EUR"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("price", "compare_at", "mode", "value", "currency"), CASES)
def test_the_bulk_price_change_applies_the_rule_exactly(
    store, owner, price, compare_at, mode, value, currency
):

    store.currency = currency
    store.save()
    variant = VariantFactory(product__store=store, price=price, compare_at_price=compare_at)
    decimals = currency_decimals(currency)
    expected_price = price_adjusted(
        Decimal(price), mode=mode, value=Decimal(value), decimals=decimals
    )
    expected_compare_at = compare_at_adjusted(
        None if compare_at is None else Decimal(compare_at),
        new_price=expected_price,
        mode=mode,
        value=Decimal(value),
        decimals=decimals,
    )

    services.products_bulk_update(
        store=store,
        actor=owner,
        products=Product.objects.for_store(store),
        options=services.BulkOptions(action="adjust_price", mode=mode, value=Decimal(value)),
    )

    variant.refresh_from_db()
    assert (variant.price, variant.compare_at_price) == (expected_price, expected_compare_at)


@pytest.mark.django_db
def test_the_bulk_price_change_loads_no_variant_into_python(store, owner):

    for _ in range(3):
        VariantFactory(product__store=store, price="10.00")

    with mock.patch.object(Variant, "from_db", side_effect=AssertionError("a variant loaded")):
        result = services.products_bulk_update(
            store=store,
            actor=owner,
            products=Product.objects.for_store(store),
            options=services.BulkOptions(action="adjust_price", mode="amount", value=Decimal("1")),
        )

    assert result.changed == 3
    assert (
        sorted(Variant.objects.for_store(store).values_list("price", flat=True))
        == [Decimal("11.00")] * 3
    )
