"""Shipping's input rules, pure Python: what a valid postal rule, band table, tracking URL
template, country list, region list and service code is. The forms, the services and the CSV
import call these, so a value gets the same verdict and message everywhere. Each returns the
cleaned value or raises ``DomainError`` naming its field."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from functools import partial
from typing import Any

from apps.core.exceptions import DomainError
from apps.core.inputs import MAX_PRICE as MAX_AMOUNT
from apps.core.inputs import decimal_number as number_input
from apps.core.inputs import money as money_input
from apps.core.money import is_country, money_format
from apps.shipping.engine import (
    FLAT,
    PER_ITEM,
    SUBTOTAL,
    WEIGHT,
    Band,
    PostalRule,
    bands_overlap,
    kg_text,
    postal_normalized,
)

GRAM = Decimal("0.001")
MAX_WEIGHT = Decimal("9999999.999")
MAX_BANDS = 50
MAX_POSTAL_RULES = 500
MAX_REGIONS = 200
MAX_DAYS = 365
TRACKING_PLACEHOLDER = "{tracking_number}"
# a rate's amounts: field → (label, the most it may be: money or a weight in kg)
RATE_AMOUNTS = {
    "price": ("price", MAX_AMOUNT),
    "free_over": ("free-shipping threshold", MAX_AMOUNT),
    "min_weight": ("minimum weight", MAX_WEIGHT),
    "max_weight": ("maximum weight", MAX_WEIGHT),
    "min_subtotal": ("minimum subtotal", MAX_AMOUNT),
    "max_subtotal": ("maximum subtotal", MAX_AMOUNT),
    "handling_fee": ("handling fee", MAX_AMOUNT),
}
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
REGION_PATTERN = re.compile(r"^[A-Z0-9]{1,10}$")
POSTAL_PATTERN = re.compile(r"^[A-Z0-9]{1,16}$")


def items(value: Iterable[Any] | str | None) -> list[str]:
    """A list from a list, or from text split on commas, semicolons and new lines."""
    if value is None:
        return []
    if isinstance(value, str):
        value = re.split(r"[,;\n]", value)
    return [str(item).strip() for item in value if str(item).strip()]


def code(value: Any, *, field: str = "code", label: str = "code") -> str:
    text = str(value or "").strip().lower()
    if not text:
        raise DomainError(f"Enter a {label}, e.g. dhl-express.", field=field)
    if not CODE_PATTERN.match(text):
        raise DomainError(
            f"The {label} may hold lowercase letters, digits, hyphens and underscores "
            "(at most 40), e.g. dhl-express.",
            field=field,
        )
    return text


def country_list(value: Iterable[Any] | str | None, *, field: str = "countries") -> list[str]:
    codes: list[str] = []
    for item in items(value):
        item = item.upper()
        if not is_country(item):
            raise DomainError(f"“{item[:20]}” is not a country code, e.g. DE.", field=field)
        if item not in codes:
            codes.append(item)
    return sorted(codes)


def region_list(value: Iterable[Any] | str | None, *, field: str = "regions") -> list[str]:
    regions: list[str] = []
    for item in items(value):
        item = item.upper()
        if not REGION_PATTERN.match(item):
            raise DomainError(
                f"“{item[:20]}” is not a region code: up to 10 letters or digits, e.g. BE.",
                field=field,
            )
        if item not in regions:
            regions.append(item)
    if len(regions) > MAX_REGIONS:
        raise DomainError(f"A zone can name at most {MAX_REGIONS} regions.", field=field)
    return regions


def _postal_rule_refused(raw: str, field: str, why: str = "") -> DomainError:
    return DomainError(
        f"“{raw[:20]}” is not a postal rule{why}; write a code (10115), a prefix (SW1*) or a "
        "range of digits (10000-19999).",
        field=field,
    )


def postal_rule(text: str, *, field: str = "postal_include") -> PostalRule:
    """One postal rule: an exact code (``10115``, ``SW1A 1AA``), a prefix ending in one ``*``
    (``SW1*``), or a range of digits whose ends have the same number of digits
    (``10000-19999``). Digits on both sides of a hyphen always read as a range, so a code
    written with a hyphen (``00-950``) is written without it (``00950``): codes compare
    without spaces and hyphens."""
    raw = str(text).strip().upper()
    if "-" in raw:
        low, _, high = (part.strip() for part in raw.partition("-"))
        if low.isdigit() and high.isdigit():
            if len(low) != len(high):
                raise DomainError(
                    f"In the range {raw[:40]}, both ends have the same number of digits, e.g. "
                    f"10000-19999; for a single postal code leave out the hyphen "
                    f"({postal_normalized(raw)[:16]}).",
                    field=field,
                )
            if int(high) < int(low):
                raise DomainError(
                    f"In the range {raw[:40]}, the upper end is below the lower end.", field=field
                )
            return PostalRule("range", low=int(low), high=int(high), width=len(low))
        if not low or not high:
            raise _postal_rule_refused(raw, field)
    stars = raw.count("*")
    if stars > 1 or (stars == 1 and not raw.endswith("*")):
        raise DomainError(
            f"“{raw[:20]}” is not a postal rule: a prefix ends in one *, e.g. SW1*.", field=field
        )
    value = postal_normalized(raw.removesuffix("*"))
    if not value or not POSTAL_PATTERN.match(value):
        raise _postal_rule_refused(raw, field)
    return PostalRule("prefix" if stars else "exact", value=value)


def postal_rules(value: Iterable[Any] | str | None, *, field: str) -> list[str]:
    """The rules as the merchant wrote them, checked; stored as text, parsed by the selectors."""
    rules: list[str] = []
    for item in items(value):
        rule = postal_rule(item, field=field)
        text = str(rule)
        if text not in rules:
            rules.append(text)
    if len(rules) > MAX_POSTAL_RULES:
        raise DomainError(f"A zone can have at most {MAX_POSTAL_RULES} postal rules.", field=field)
    return rules


def weight(value: Any, *, field: str, label: str, required: bool = False) -> Decimal | None:
    """A weight in kg: from 0 to ``MAX_WEIGHT`` with at most three decimals."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise DomainError(f"Enter the {label} in kg, e.g. 2.5.", field=field)
        return None
    number = number_input(value, field=field, label=label, example="2.5")
    if number < 0:
        raise DomainError(f"The {label} cannot be negative.", field=field)
    if number > MAX_WEIGHT:
        raise DomainError(f"The {label} is too large; the most is {MAX_WEIGHT:,} kg.", field=field)
    if number != number.quantize(GRAM):
        raise DomainError(f"The {label} has more than three decimals.", field=field)
    return number.quantize(GRAM)


def amount(
    value: Any,
    *,
    field: str,
    label: str,
    required: bool = False,
    maximum=MAX_AMOUNT,
    currency: str | None = None,
) -> Decimal | None:
    """An amount of money (``maximum`` ``MAX_AMOUNT``: core's ``money_input``, with the store's
    ``currency`` when given, so a yen amount is whole) or a weight in kg (``maximum``
    ``MAX_WEIGHT``: ``weight``)."""
    if maximum == MAX_WEIGHT:
        return weight(value, field=field, label=label, required=required)
    return money_input(value, field=field, label=label, required=required, currency=currency)


def _band_value(
    text: str, *, field: str, line: int, label: str, unit: str, currency: str | None
) -> Decimal:
    """One number of a band line, by the amount rules: a weight bound (``unit`` kg), a
    subtotal bound or a price (money, in ``currency``); any other bound: three decimals."""
    try:
        if unit == "money":
            number = money_input(text, field=field, label=label, currency=currency)
        else:
            number = weight(text, field=field, label=label, required=True)
    except DomainError as error:
        message = error.message
        if message.startswith("The "):
            message = "the " + message[4:]
        raise DomainError(f"Line {line}: {message}", field=field) from None
    return number  # type: ignore[return-value]


BAND_LINE = re.compile(r"^\s*([^-:]*?)\s*-\s*([^:]*?)\s*:\s*(\S+)\s*$")


def bands(
    value: Any, *, field: str = "bands", kind: str | None = None, currency: str | None = None
) -> list[Band]:
    """Bands from text, one per line: ``0-2: 4.90`` (from 0 up to, not including, 2),
    ``10-: 12.90`` (10 and over). Upper below lower and overlapping bands are refused. Prices
    (and, for ``kind`` ``subtotal``, the bounds) are amounts in ``currency``; weight bounds
    have at most three decimals."""
    bound_unit = "money" if kind == SUBTOTAL else "kg"
    number_of = partial(_band_value, field=field, currency=currency)
    found: list[Band] = []
    lines = [line for line in str(value or "").splitlines() if line.strip()]
    if len(lines) > MAX_BANDS:
        raise DomainError(f"A rate can have at most {MAX_BANDS} bands.", field=field)
    for number, text in enumerate(lines, start=1):
        match = BAND_LINE.match(text)
        if not match:
            raise DomainError(
                f"Line {number}: write a band as from-to: price, e.g. 0-2: 4.90 (or 10-: 12.90 "
                "for 10 and over).",
                field=field,
            )
        lower_text, upper_text, price_text = match.groups()
        lower = number_of(lower_text or "0", line=number, label="lower bound", unit=bound_unit)
        upper = (
            number_of(upper_text, line=number, label="upper bound", unit=bound_unit)
            if upper_text
            else None
        )
        price = number_of(price_text, line=number, label="price", unit="money")
        if upper is not None and upper <= lower:
            raise DomainError(
                f"Line {number}: the upper bound {_plain(upper)} is not above the lower bound "
                f"{_plain(lower)}.",
                field=field,
            )
        found.append(Band(lower=lower, upper=upper, price=price))
    clash = bands_overlap(found)
    if clash:
        first, second = clash
        raise DomainError(
            f"The bands {band_text(first)} and {band_text(second)} overlap; "
            "a band starts where the one before it ends.",
            field=field,
        )
    return sorted(found, key=lambda band: band.lower)


def band_text(band: Band) -> str:
    upper = "" if band.upper is None else _plain(band.upper)
    return f"{_plain(band.lower)}-{upper}"


def bands_to_text(found: Iterable[Band]) -> str:
    return "\n".join(f"{band_text(band)}: {band.price:f}" for band in found)


def _plain(value: Decimal) -> str:
    """``2.000`` → ``2``, ``2.50`` → ``2.5``, ``10`` → ``10`` (never ``1E+1``)."""
    return f"{value.normalize():f}"


def bands_to_json(found: Iterable[Band]) -> list[list[str | None]]:
    return [
        [_plain(band.lower), None if band.upper is None else _plain(band.upper), str(band.price)]
        for band in found
    ]


def bands_from_json(rows: Iterable[Iterable[Any]]) -> tuple[Band, ...]:
    return tuple(
        Band(Decimal(lower), None if upper is None else Decimal(upper), Decimal(price))
        for lower, upper, price in rows
    )


def tracking_url_template(value: Any, *, field: str = "tracking_url_template") -> str:
    text = str(value or "").strip()
    if not text:
        return ""
    if len(text) > 500:
        raise DomainError("The tracking URL is longer than 500 characters.", field=field)
    if not text.startswith(("https://", "http://")):
        raise DomainError("The tracking URL starts with https://.", field=field)
    if TRACKING_PLACEHOLDER not in text:
        raise DomainError(
            f"Put {TRACKING_PLACEHOLDER} where the tracking number goes, e.g. "
            "https://track.example/?id={tracking_number}.",
            field=field,
        )
    leftover = text.replace(TRACKING_PLACEHOLDER, "")
    if "{" in leftover or "}" in leftover:
        raise DomainError(
            f"The only placeholder a tracking URL may hold is {TRACKING_PLACEHOLDER}.", field=field
        )
    return text


def delivery_days(days_min: Any, days_max: Any) -> tuple[int, int]:
    values = []
    for raw, field, label in (
        (days_min, "days_min", "fastest delivery"),
        (days_max, "days_max", "slowest delivery"),
    ):
        try:
            number = int(str(raw).strip())
        except (TypeError, ValueError):
            raise DomainError(f"Enter the {label} in business days, e.g. 2.", field=field) from None
        if not 0 <= number <= MAX_DAYS:
            raise DomainError(f"The {label} is between 0 and {MAX_DAYS} days.", field=field)
        values.append(number)
    if values[1] < values[0]:
        raise DomainError(
            "The slowest delivery cannot be faster than the fastest one.", field="days_max"
        )
    return values[0], values[1]


def limits(
    lower: Decimal | None,
    upper: Decimal | None,
    *,
    field: str,
    label: str,
    currency: str | None = None,
    kg: bool = False,
) -> None:
    """A maximum is not below its minimum; the message writes them in kg or in ``currency``."""
    if lower is not None and upper is not None and upper < lower:

        def text(value: Decimal) -> str:
            if kg:
                return kg_text(value)
            return money_format(value, currency) if currency else _plain(value)

        raise DomainError(
            f"The maximum {label} ({text(upper)}) is below the minimum ({text(lower)}).",
            field=field,
        )


def zone_scope(countries: list[str], regions: list[str], postal_include: list[str]) -> None:
    """Regions and postal codes belong to a country: a zone naming them names its countries."""
    if (regions or postal_include) and not countries:
        raise DomainError(
            "Name the country the regions or postal codes belong to.", field="countries"
        )


def rate_price(value: Any, *, kind: str, currency: str | None = None) -> Decimal:
    """The flat price or the price per item (required for those kinds; banded rates take their
    prices from the bands, so 0 there)."""
    needed = kind in (FLAT, PER_ITEM)
    price = amount(value, field="price", label="price", required=needed, currency=currency)
    return price if price is not None else Decimal("0.00")


def rate_bands(value: Any, *, kind: str, currency: str | None = None) -> list[Band]:
    """The bands of a rate priced by weight or subtotal (at least one), else none."""
    if kind not in (WEIGHT, SUBTOTAL):
        return []
    found = bands(value, field="bands", kind=kind, currency=currency)
    if not found:
        raise DomainError("Enter at least one band, e.g. 0-2: 4.90.", field="bands")
    return found
