"""Shipping's input rules, pure Python: what a valid postal rule, band table, tracking URL
template, country list, region list and service code is. The forms, the services and the CSV
import call these, so a value gets the same verdict and message everywhere. Each returns the
cleaned value or raises ``DomainError`` naming its field."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from apps.core.exceptions import DomainError
from apps.core.money import is_country
from apps.shipping.engine import Band, PostalRule, bands_overlap, postal_normalized

MAX_AMOUNT = Decimal("9999999999.99")
MAX_WEIGHT = Decimal("9999999.999")
MAX_BANDS = 50
MAX_POSTAL_RULES = 500
MAX_REGIONS = 200
MAX_DAYS = 365
TRACKING_PLACEHOLDER = "{tracking_number}"
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


def postal_rule(text: str, *, field: str = "postal_include") -> PostalRule:
    raw = str(text).strip().upper()
    if "-" in raw:
        low, _, high = (part.strip() for part in raw.partition("-"))
        if low.isdigit() and high.isdigit() and len(low) == len(high):
            if int(high) < int(low):
                raise DomainError(
                    f"In the range {raw}, the upper end is below the lower end.", field=field
                )
            return PostalRule("range", low=int(low), high=int(high), width=len(low))
    prefix = raw.endswith("*")
    value = postal_normalized(raw.rstrip("*"))
    if not value or not POSTAL_PATTERN.match(value) or "*" in value:
        raise DomainError(
            f"“{raw[:20]}” is not a postal rule; write a code (10115), a prefix (SW1*) or "
            "a range of digits (10000-19999).",
            field=field,
        )
    return PostalRule("prefix" if prefix else "exact", value=value)


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


def amount(
    value: Any,
    *,
    field: str,
    label: str,
    required: bool = False,
    maximum=MAX_AMOUNT,
    places: int | None = None,
) -> Decimal | None:
    """A number from 0 to ``maximum`` with at most ``places`` decimals (2 for money, 3 for a
    weight in kg: ``maximum`` says which), kept with exactly that many."""
    text = str(value if value is not None else "").strip()
    if not text:
        if required:
            raise DomainError(f"Enter the {label}.", field=field)
        return None
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise DomainError(f"The {label} must be a number like 4.90.", field=field) from None
    if not number.is_finite():
        raise DomainError(f"The {label} must be a number like 4.90.", field=field)
    if number < 0:
        raise DomainError(f"The {label} cannot be negative.", field=field)
    if number > maximum:
        raise DomainError(f"The {label} is too large; the most is {maximum:,}.", field=field)
    places = places if places is not None else (3 if maximum == MAX_WEIGHT else 2)
    unit = Decimal(1).scaleb(-places)
    if number != number.quantize(unit):
        raise DomainError(f"The {label} has more than {places} decimals.", field=field)
    return number.quantize(unit)


def _band_value(text: str, *, field: str, line: int) -> Decimal:
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise DomainError(
            f"Line {line}: “{text[:20]}” is not a number; write a band like 0-2: 4.90.",
            field=field,
        ) from None
    if not number.is_finite() or number < 0:
        raise DomainError(f"Line {line}: bounds and prices cannot be negative.", field=field)
    return number


BAND_LINE = re.compile(r"^\s*([^-:]*?)\s*-\s*([^:]*?)\s*:\s*(\S+)\s*$")


def bands(value: Any, *, field: str = "bands") -> list[Band]:
    """Bands from text, one per line: ``0-2: 4.90`` (from 0 up to, not including, 2),
    ``10-: 12.90`` (10 and over). Upper below lower and overlapping bands are refused."""
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
        lower = _band_value(lower_text or "0", field=field, line=number)
        upper = _band_value(upper_text, field=field, line=number) if upper_text else None
        price = _band_value(price_text, field=field, line=number)
        if upper is not None and upper <= lower:
            raise DomainError(
                f"Line {number}: the upper bound {upper} is not above the lower bound {lower}.",
                field=field,
            )
        if price > MAX_AMOUNT or lower > MAX_AMOUNT or (upper or 0) > MAX_AMOUNT:
            raise DomainError(f"Line {number}: the number is too large.", field=field)
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
    upper = "" if band.upper is None else f"{band.upper.normalize():f}"
    return f"{band.lower.normalize():f}-{upper}"


def bands_to_text(found: Iterable[Band]) -> str:
    return "\n".join(f"{band_text(band)}: {band.price:f}" for band in found)


def bands_to_json(found: Iterable[Band]) -> list[list[str | None]]:
    return [
        [str(band.lower), None if band.upper is None else str(band.upper), str(band.price)]
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


def limits(lower: Decimal | None, upper: Decimal | None, *, field: str, label: str) -> None:
    if lower is not None and upper is not None and upper < lower:
        raise DomainError(
            f"The maximum {label} ({upper}) is below the minimum ({lower}).", field=field
        )
