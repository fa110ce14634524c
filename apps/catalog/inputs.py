"""The catalog's input rules, pure Python: one place that says what a valid handle, amount,
count, tag list, status, weight unit and barcode is, and what a product's stock state is.

The product form, the admin API and the import (``io/validation.py``) all call these
functions, so the same value gets the same verdict and the same message on every path.
Each check returns the cleaned value or raises ``DomainError`` (the field is the plain input
name; callers prefix it, e.g. ``variants[2].price``). Messages never repeat the input's field
path and never depend on how the value was typed (``1e12`` or ``1000000000000``).

Barcodes: a code made only of digits must be a GTIN (8, 12, 13 or 14 digits with a valid
check digit). Codes with other characters (letters, ``-``, ``.``, ``/``) are allowed as
internal codes, up to 64 characters without spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from apps.core import inputs as core_inputs
from apps.core.exceptions import DomainError
from apps.core.handles import handle_normalized, handle_pattern
from apps.core.inputs import blank as _blank
from apps.core.inputs import decimal_number as _decimal
from apps.core.money import money_plain

MAX_WEIGHT = Decimal("9999999.999")
MAX_TAGS = 50
MAX_TAG_LENGTH = 50
MAX_HANDLE_LENGTH = 255
MAX_SKU_LENGTH = 64
MAX_BARCODE_LENGTH = 64
MAX_VARIANTS_PER_PRODUCT = 100
# the longest text each field holds: the models' columns, the forms, the API and the import
TEXT_LIMITS = {
    "title": 255,
    "vendor": 120,
    "seo_title": 70,
    "seo_description": 320,
    "category_name": 120,
    "alt_text": 255,
    "note": 255,
    "option_name": 30,
    "option_value": 60,
}
# the import builds this message in SQL (``io/bulk.py``), so it is a template as well as a rule
VARIANT_LIMIT_MESSAGE = "A product can have at most {limit} variants; this one would have {count}."

STATUSES = ("draft", "active", "archived")
WEIGHT_UNITS = ("g", "kg", "lb", "oz")

HANDLE_PATTERN = handle_pattern("-_")  # a store's handle joins words with hyphens only
INTERNAL_CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./_-]*$")
GTIN_LENGTHS = (8, 12, 13, 14)

# a product's stock state: every product is in exactly one of the three
STOCK_IN = "in"
STOCK_LOW = "low"
STOCK_OUT = "out"
STOCK_LABELS = {STOCK_IN: "In stock", STOCK_LOW: "Low stock", STOCK_OUT: "Out of stock"}


# --- text ------------------------------------------------------------------------------------
def handle(value: Any, *, field: str = "handle") -> str:
    """A product's address name: lowercase letters and digits joined by ``-`` or ``_``."""
    text = handle_normalized(value)
    if not text:
        raise DomainError("Enter a handle, e.g. linen-shirt.", field=field)
    if len(text) > MAX_HANDLE_LENGTH:
        raise DomainError(f"The handle is longer than {MAX_HANDLE_LENGTH} characters.", field=field)
    if not HANDLE_PATTERN.match(text):
        raise DomainError(
            f"The handle “{text[:60]}” may only hold letters, digits, hyphens and "
            "underscores, e.g. linen-shirt.",
            field=field,
        )
    return text


def sku(value: Any, *, field: str = "sku") -> str:
    text = str(value or "").strip()
    if not text:
        raise DomainError("Enter a SKU.", field=field)
    if len(text) > MAX_SKU_LENGTH:
        raise DomainError(f"The SKU is longer than {MAX_SKU_LENGTH} characters.", field=field)
    return text


def status(value: Any, *, field: str = "status") -> str:
    text = str(value or "").strip().lower()
    if text not in STATUSES:
        raise DomainError(
            f"“{str(value)[:30]}” is not a status; use draft, active or archived.", field=field
        )
    return text


def weight_unit(value: Any, *, field: str = "weight_unit") -> str:
    text = str(value or "").strip().lower()
    if text not in WEIGHT_UNITS:
        raise DomainError(
            f"“{str(value)[:30]}” is not a weight unit; use g, kg, lb or oz.", field=field
        )
    return text


def tags(value: Iterable[Any] | str | None, *, field: str = "tags") -> list[str]:
    """Tags from a list or a comma-separated string: spaces collapsed, de-duplicated without
    regard to case (the first spelling wins), order kept; at most 50 of up to 50 characters."""
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    cleaned: list[str] = []
    seen: set[str] = set()
    for item in items:
        tag = " ".join(str(item).split())
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise DomainError(
                f"The tag “{tag[:20]}…” is longer than {MAX_TAG_LENGTH} characters.", field=field
            )
        if tag.lower() not in seen:
            seen.add(tag.lower())
            cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        raise DomainError(
            f"A product can have at most {MAX_TAGS} tags; this one has {len(cleaned)}.",
            field=field,
        )
    return cleaned


def variant_count(count: int, *, before: int = 0, field: str = "variants") -> int:
    """How many variants a product would have after a change: at most 100.

    ``before`` is how many it has now; a product already over the limit (made before there
    was one) may still be saved and lose variants, only not gain any.
    """
    if count > MAX_VARIANTS_PER_PRODUCT and count > before:
        raise DomainError(
            VARIANT_LIMIT_MESSAGE.format(limit=MAX_VARIANTS_PER_PRODUCT, count=count), field=field
        )
    return count


# --- numbers ---------------------------------------------------------------------------------
# amounts and counts are every app's rules (``apps.core.inputs``); the catalog's callers name
# them here
money = core_inputs.money
count = core_inputs.count


def compare_at_price_checked(
    *,
    price: Decimal | None,
    compare_at_price: Decimal | None,
    field: str = "compare_at_price",
    currency: str | None = None,
) -> None:
    """The compare-at price (the "was" price) is empty or at least the price (the amounts in
    the message with ``currency``'s decimals)."""
    if price is not None and compare_at_price is not None and compare_at_price < price:
        was, now = (
            (money_plain(compare_at_price, currency), money_plain(price, currency))
            if currency
            else (compare_at_price, price)
        )
        raise DomainError(
            f"The compare-at price ({was}) must be at least the price ({now}), or left empty.",
            field=field,
        )


def weight(value: Any, *, field: str = "weight") -> Decimal | None:
    if _blank(value):
        return None
    amount = _decimal(value, field=field, label="weight", example="0.25")
    if amount < 0:
        raise DomainError("The weight cannot be negative.", field=field)
    if amount > MAX_WEIGHT:
        raise DomainError(f"The weight is too large; the most is {MAX_WEIGHT:,}.", field=field)
    if amount != amount.quantize(Decimal("0.001")):
        raise DomainError("The weight has more than three decimals.", field=field)
    return amount.quantize(Decimal("0.001"))


# --- barcodes --------------------------------------------------------------------------------
def gtin_check_digit(body: str) -> int:
    """The GS1 check digit for the digits before it (weights 3, 1, 3, … from the right)."""
    total = sum(int(digit) * (3 if index % 2 == 0 else 1) for index, digit in enumerate(body[::-1]))
    return (10 - total % 10) % 10


def gtin13(body: str) -> str:
    """A GTIN-13 from its first 12 digits (demo data, tests)."""
    return body + str(gtin_check_digit(body))


def barcode(value: Any, *, field: str = "barcode") -> str:
    """A GTIN-8/12/13/14 with a valid check digit, an internal code, or empty."""
    text = str(value or "").strip()
    if not text:
        return ""
    if text.isdigit():
        if len(text) not in GTIN_LENGTHS:
            raise DomainError(
                f"Barcode {text[:20]} has {len(text)} digits; a GTIN has 8, 12, 13 or 14. "
                "Check the number.",
                field=field,
            )
        if gtin_check_digit(text[:-1]) != int(text[-1]):
            raise DomainError(
                f"Barcode {text} has a wrong check digit; check the number.", field=field
            )
        return text
    if len(text) > MAX_BARCODE_LENGTH:
        raise DomainError(
            f"The barcode is longer than {MAX_BARCODE_LENGTH} characters.", field=field
        )
    if not INTERNAL_CODE_PATTERN.match(text):
        raise DomainError(
            f"Barcode “{text[:30]}” may only hold letters, digits and . / _ - "
            "(a GTIN is digits only).",
            field=field,
        )
    return text


# --- text ----------------------------------------------------------------------------------------
def line(
    value: Any,
    *,
    field: str,
    label: str,
    limit_key: str | None = None,
    required: bool = False,
    required_message: str = "",
) -> str:
    """One line of text (a title, a vendor, a name, a note): runs of spaces fold into one, and it
    holds at most ``TEXT_LIMITS[limit_key or field]`` characters."""
    text = " ".join(str(value or "").split())
    if required and not text:
        raise DomainError(required_message or f"Enter the {label}.", field=field)
    limit = TEXT_LIMITS[limit_key or field]
    if len(text) > limit:
        raise DomainError(f"The {label} is longer than {limit} characters.", field=field)
    return text


# --- stock state -----------------------------------------------------------------------------
def variant_is_low(*, track_inventory: bool, stock_quantity: int, threshold: int) -> bool:
    """A tracked variant at or below the product's low-stock threshold (sold out included)."""
    return track_inventory and stock_quantity <= threshold


def variant_is_sellable(*, track_inventory: bool, stock_quantity: int) -> bool:
    return not track_inventory or stock_quantity > 0


def variant_stock_state(*, track_inventory: bool, stock_quantity: int, threshold: int) -> str:
    """The stock state of one variant, by the same rule as a product's."""
    return stock_state([(track_inventory, stock_quantity)], threshold=threshold)


def stock_state(variants: Iterable[tuple[bool, int]], *, threshold: int) -> str:
    """``in`` / ``low`` / ``out`` from ``(track_inventory, stock_quantity)`` pairs.

    **out**: no sellable variant; **low**: sellable and at least one variant is low;
    **in**: sellable and no variant is low. PostgreSQL keeps the same rule in the product
    summary's trigger (migration 0005) so that lists filter by index, and the low-stock list
    queries ``variant_is_low`` as SQL (``selectors.low_stock_variants``);
    tests/catalog/test_stock_state_agreement.py runs one grid of cases through all three.
    """
    pairs = list(variants)
    if not any(variant_is_sellable(track_inventory=t, stock_quantity=q) for t, q in pairs):
        return STOCK_OUT
    if any(
        variant_is_low(track_inventory=t, stock_quantity=q, threshold=threshold) for t, q in pairs
    ):
        return STOCK_LOW
    return STOCK_IN
