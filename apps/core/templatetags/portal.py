"""The portal's display helpers, used by every area's templates: ``{% load portal %}``."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from apps.core.money import money_format
from apps.core.portal import page_panels as registered_panels
from apps.core.tenancy import can

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


@register.simple_tag(takes_context=True)
def page_panels(context, page: str, obj) -> SafeString:
    """``{% page_panels "order" order %}``: the panels other apps registered for this page
    (``apps.core.portal.PagePanel``), those the user's role may see, in their order."""
    request = context["request"]
    parts = []
    for panel in registered_panels(page):
        if not can(request, panel.perm):
            continue
        values = panel.context(request=request, obj=obj)
        if values is None:
            continue
        panel_template = context.template.engine.get_template(panel.template)
        with context.push(**values):
            parts.append(panel_template.render(context))
    return mark_safe("".join(parts))  # noqa: S308 - rendered templates, escaped by Django
