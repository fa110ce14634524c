"""Money and the ISO lists behind a store's currency and country.

Every amount on a page goes through ``money_format`` (the ``money`` template filter): Babel
formats it by the currency's own rules (JPY has no decimals, most currencies two) in the
portal's locale, rounding half up. An amount a file or a message writes as a bare number (an
export's cell, "at least the price (1500)") goes through ``money_plain``: the same decimals.
Currencies come from Babel's CLDR data (those legal tender somewhere today), countries from
django-countries.

An amount a person types goes through ``apps.core.inputs.money``: the one rule of what a valid
amount is (not negative, at most 9,999,999,999.99, at most two decimals, and no more decimals
than the store's currency has: a yen amount is whole). The catalog, orders, shipping and
payments call it from their forms, APIs and imports.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import cache

from babel import Locale
from babel.numbers import (
    format_currency,
    get_currency_name,
    get_currency_precision,
    get_territory_currencies,
)
from django.core.exceptions import ValidationError
from django_countries import countries

# The locale money is written in: en writes "€1,234.56", de_DE would write "1.234,56 €".
DEFAULT_LOCALE = "en"


def money_format(value, currency: str, *, locale: str = DEFAULT_LOCALE) -> str:
    """``money_format(Decimal("1234.5"), "JPY")`` → ``¥1,235``; empty for None or ""."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    with localcontext() as context:
        context.rounding = ROUND_HALF_UP
        return format_currency(amount, currency, locale=locale)


@cache
def _current_currencies() -> frozenset[str]:
    today = datetime.date.today()
    codes: set[str] = set()
    for territory in Locale("en").territories:
        if territory.isalpha():  # regions like "001" have no currency of their own
            codes.update(get_territory_currencies(territory, today, tender=True))
    return frozenset(codes)


@cache
def currency_choices() -> list[tuple[str, str]]:
    """``[("AED", "AED — UAE Dirham"), …]``: the ISO 4217 codes in use today, by code."""
    return [
        (code, f"{code} — {get_currency_name(code, locale=DEFAULT_LOCALE)}")
        for code in sorted(_current_currencies())
    ]


def country_choices() -> list[tuple[str, str]]:
    """``[("AF", "Afghanistan"), …]``: ISO 3166 countries by name (django-countries)."""
    return [(country.code, str(country.name)) for country in countries]


def is_currency(code: str) -> bool:
    return code in _current_currencies()


def is_country(code: str) -> bool:
    return bool(code) and code in countries


def validate_currency(value: str) -> None:
    if not is_currency(value):
        raise ValidationError(f"{value} is not an ISO 4217 currency code in use, e.g. EUR.")


def validate_country(value: str) -> None:
    if not is_country(value):
        raise ValidationError(f"{value} is not an ISO 3166 country code, e.g. DE.")


def currency_decimals(code: str) -> int:
    """How many decimals an amount in ``code`` has (JPY 0, EUR 2, KWD 3), by Babel's data."""
    return get_currency_precision(code)


def currency_unit(code: str) -> Decimal:
    """The smallest amount written in ``code``: 1 for JPY, 0.01 for EUR."""
    return Decimal(1).scaleb(-currency_decimals(code))


def money_rounded(value: Decimal, currency: str) -> Decimal:
    """``value`` rounded half up to the currency's own decimals (JPY whole, EUR cents)."""
    return value.quantize(currency_unit(currency), rounding=ROUND_HALF_UP)


def money_plain(value, currency: str) -> str:
    """``money_plain(Decimal("1500.00"), "JPY")`` → ``1500``; ``"EUR"`` → ``1500.00``: the
    amount with the currency's decimals (rounded half up) and no symbol."""
    return str(money_rounded(Decimal(str(value)), currency))
