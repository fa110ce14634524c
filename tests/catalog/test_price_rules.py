"""The bulk price change rule (pure): to the currency's own smallest unit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from apps.catalog.rules import compare_at_adjusted, price_adjusted


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
