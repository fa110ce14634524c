"""Input rules every app shares, pure Python: a blank value, a decimal number, an amount of
money (by the currency's decimals) and a whole count. Each returns the cleaned value or raises
``DomainError`` naming the plain field (callers prefix it, e.g. ``lines[2].unit_price``); the
catalog, the orders and their forms, API and import call these, so one value gets one verdict
and one message everywhere. Imports nothing but ``apps.core``.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from apps.core.exceptions import DomainError
from apps.core.money import currency_decimals

CENT = Decimal("0.01")
MAX_PRICE = Decimal("9999999999.99")
MONEY_EXAMPLES = {0: "1990", 1: "19.9", 2: "19.90"}  # an amount, by the currency's decimals
MAX_COUNT = 2_000_000_000


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def decimal_number(value: Any, *, field: str, label: str, example: str) -> Decimal:
    if isinstance(value, bool):
        raise DomainError(f"The {label} must be a number like {example}.", field=field)
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip().replace(" ", "")
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        hint = f" Use a dot for decimals, e.g. {example}." if "," in text else ""
        raise DomainError(
            f"The {label} must be a number like {example}.{hint}", field=field
        ) from None
    if not number.is_finite():
        raise DomainError(f"The {label} must be a number like {example}.", field=field)
    return number


def money(
    value: Any,
    *,
    field: str = "price",
    label: str = "price",
    required: bool = True,
    currency: str | None = None,
) -> Decimal | None:
    """An amount: not negative, at most 9,999,999,999.99, at most two decimals — and, given the
    store's ``currency``, no more decimals than it has (a yen price is whole; its messages
    write yen amounts whole too)."""
    decimals = min(currency_decimals(currency), 2) if currency else 2
    example = MONEY_EXAMPLES[decimals]
    if blank(value):
        if required:
            raise DomainError(f"Enter the {label}, e.g. {example}.", field=field)
        return None
    amount = decimal_number(value, field=field, label=label, example=example)
    if amount < 0:
        raise DomainError(f"The {label} cannot be negative.", field=field)
    unit = Decimal(1).scaleb(-decimals)
    if amount > MAX_PRICE:
        most = f"{MAX_PRICE.quantize(unit, rounding=ROUND_DOWN):,}"
        raise DomainError(f"The {label} is too large; the most is {most}.", field=field)
    if amount != amount.quantize(unit):
        if decimals == 2:
            raise DomainError(
                f"The {label} has more than two decimals; write it like 19.90.", field=field
            )
        rounded = amount.quantize(unit, rounding=ROUND_HALF_UP)
        noun = "no decimals" if decimals == 0 else f"at most {decimals} decimal"
        raise DomainError(
            f"{currency} prices have {noun}; write the {label} like {rounded}.", field=field
        )
    return amount.quantize(CENT)


def count(
    value: Any,
    *,
    field: str,
    label: str,
    minimum: int | None = 0,
    default: int | None = None,
) -> int:
    """A whole number (stock, threshold, position); ``12.0`` from a spreadsheet is 12."""
    if blank(value):
        if default is not None:
            return default
        raise DomainError(f"Enter the {label} as a whole number.", field=field)
    number = decimal_number(value, field=field, label=label, example="12")
    if number != number.to_integral_value():
        raise DomainError(f"The {label} must be a whole number.", field=field)
    if minimum is not None and number < minimum:
        if minimum == 0:
            raise DomainError(f"The {label} cannot be negative.", field=field)
        raise DomainError(f"The {label} cannot be below {minimum}.", field=field)
    if abs(number) > MAX_COUNT:
        raise DomainError(f"The {label} is too large.", field=field)
    return int(number)
