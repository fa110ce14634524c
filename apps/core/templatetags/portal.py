"""The portal's display helpers, used by every area's templates: ``{% load portal %}``."""

from __future__ import annotations

from django import template

from apps.core.money import money_format

register = template.Library()


@register.filter
def money(value, currency: str = "EUR") -> str:
    """``{{ price|money:store.currency }}`` → ``€19.90``, ``¥1,235``; empty for None."""
    return money_format(value, currency)


# the colour of a status badge: what the status means, never the only sign of it
BADGE_TONES = {
    **dict.fromkeys(("success", "active", "done", "ok", "imported", "completed"), "success"),
    **dict.fromkeys(("warning", "low", "pending", "partial", "expiring"), "warning"),
    **dict.fromkeys(("critical", "failed", "error", "out", "down", "expired"), "critical"),
    **dict.fromkeys(("info", "draft", "running", "queued", "uploaded", "new"), "info"),
}


@register.filter
def badge_tone(status) -> str:
    """``"active"|badge_tone`` → ``success``; unknown statuses are neutral grey."""
    return BADGE_TONES.get(str(status or "").lower(), "neutral")
