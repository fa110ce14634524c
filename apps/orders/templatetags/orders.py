"""Template filters of the order pages."""

from __future__ import annotations

from django import template

register = template.Library()

# the colour of an order's status badge (the words always say the status)
STATUS_TONES = {
    "placed": "warning",
    "paid": "info",
    "fulfilled": "info",
    "shipped": "info",
    "delivered": "success",
    "returned": "warning",
    "cancelled": "critical",
    "refunded": "neutral",
}


@register.filter
def order_tone(status: str) -> str:
    return STATUS_TONES.get(status, "neutral")


@register.filter
def field_of(form, name: str):
    """``form|field_of:"line_3_amount"``: the bound field by its name."""
    return form[name]
