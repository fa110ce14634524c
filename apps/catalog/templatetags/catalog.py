"""Catalog display helpers: money in the store's currency, option labels, stock badges."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF "}


@register.filter
def money(value, currency: str = "EUR") -> str:
    """``19.9|money:"EUR"`` → ``€19.90``; thousands separated; empty for None."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    sign = "-" if amount < 0 else ""
    text = f"{abs(amount):,.2f}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    if symbol:
        return f"{sign}{symbol}{text}"
    return f"{sign}{text} {currency}"


@register.filter
def option_label(option_values) -> str:
    """``{"Size": "M", "Colour": "Red"}`` → ``M / Red``."""
    if not option_values:
        return ""
    return " / ".join(str(value) for value in option_values.values())


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
