"""Pure catalog rules (no database): price adjustments used by bulk edits and their preview."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
PRICE_MODES = {"percent": "By percent", "amount": "By amount"}


def price_adjusted(price: Decimal, *, mode: str, value: Decimal, decimals: int = 2) -> Decimal:
    """The new price after ``+value %`` (``percent``) or ``+value`` (``amount``), rounded to the
    currency's smallest unit (``decimals``: 2 for the cent, 0 for the yen), kept to the cent."""
    result = price * (Decimal(100) + value) / Decimal(100) if mode == "percent" else price + value
    unit = Decimal(1).scaleb(-min(decimals, 2))
    return result.quantize(unit, rounding=ROUND_HALF_UP).quantize(CENT)


def compare_at_adjusted(
    compare_at: Decimal | None,
    *,
    new_price: Decimal,
    mode: str,
    value: Decimal,
    decimals: int = 2,
) -> Decimal | None:
    """The compare-at price moves by the same rule and never ends below the new price."""
    if compare_at is None:
        return None
    return max(price_adjusted(compare_at, mode=mode, value=value, decimals=decimals), new_price)
