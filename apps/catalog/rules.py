"""Pure catalog rules (no database): price adjustments used by bulk edits and their preview."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
PRICE_MODES = {"percent": "By percent", "amount": "By amount"}


def price_adjusted(price: Decimal, *, mode: str, value: Decimal) -> Decimal:
    """The new price after ``+value %`` (``percent``) or ``+value`` (``amount``), to the cent."""
    result = price * (Decimal(100) + value) / Decimal(100) if mode == "percent" else price + value
    return result.quantize(CENT, rounding=ROUND_HALF_UP)


def compare_at_adjusted(
    compare_at: Decimal | None, *, new_price: Decimal, mode: str, value: Decimal
) -> Decimal | None:
    """The compare-at price moves by the same rule and never ends below the new price."""
    if compare_at is None:
        return None
    return max(price_adjusted(compare_at, mode=mode, value=value), new_price)
