"""The portal's display helpers, used by every area's templates: ``{% load portal %}``."""

from __future__ import annotations

from django import template

from apps.core.money import money_format

register = template.Library()


@register.filter
def money(value, currency: str = "EUR") -> str:
    """``{{ price|money:store.currency }}`` → ``€19.90``, ``¥1,235``; empty for None."""
    return money_format(value, currency)


@register.filter
def label_of(key, labels) -> str:
    """``{{ code|label_of:service_names }}``: the label a mapping gives ``key``, else the key."""
    try:
        return labels.get(key, key)
    except AttributeError:
        return key


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


@register.inclusion_tag("components/breadcrumbs.html")
def breadcrumbs(*parts):
    """The trail above a page's heading: pairs of (label, address), then the page itself::

    {% breadcrumbs "Catalog" products_url "Imports" imports_url job.original_name %}
    """
    *links, current = parts
    if len(links) % 2:
        raise template.TemplateSyntaxError("breadcrumbs takes (label, url) pairs, then the page")
    return {"links": list(zip(links[::2], links[1::2], strict=True)), "current": current}
