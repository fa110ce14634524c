"""Catalog display helpers: money in the store's currency, option labels, stock badges."""

from __future__ import annotations

from django import template

from apps.core.templatetags.portal import money as portal_money

register = template.Library()

# the one money format of the portal (Babel, the currency's own digits), under its old name here
register.filter("money", portal_money)


@register.filter
def option_label(option_values) -> str:
    """``{"Size": "M", "Colour": "Red"}`` → ``M / Red``."""
    if not option_values:
        return ""
    return " / ".join(str(value) for value in option_values.values())


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def low_stock_label(count, suffix: str = "") -> str:
    """``172`` → ``Low stock: 172``; with ``"left"``, ``Low stock: 3 left``: the words of a
    low-stock badge, which need no mark beside them."""
    words = f"Low stock: {int(count):,}"
    return f"{words} {suffix}" if suffix else words
