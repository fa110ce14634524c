"""Reading the analytics figures from the daily rollups (never from raw events): a range of
store-local days with optional device, channel and country filters → the summary and the
funnel, with the definitions of DESIGN.md ("Analytics")."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from apps.core.models import Store
from apps.events.models import FIGURES, DayRollup, RollupState
from apps.events.rollup import STATE
from apps.events.rules import DEVICES

MAX_DAYS = 366
DEFAULT_DAYS = 30
FUNNEL_STEPS = (
    ("sessions", "sessions"),
    ("product_view", "product_view_sessions"),
    ("add_to_cart", "add_to_cart_sessions"),
    ("checkout_started", "checkout_sessions"),
    ("purchase", "purchase_sessions"),
)


@dataclass(frozen=True)
class AnalyticsQuery:
    start: datetime.date
    end: datetime.date  # inclusive
    device: str = ""
    channel: str = ""
    country: str = ""


def _date(value: str, field: str, errors: dict[str, list[str]]) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        errors[field] = [f"{value[:20]!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-01."]
        return None


def analytics_query_read(
    store: Store, params: Mapping[str, str]
) -> tuple[AnalyticsQuery | None, dict[str, list[str]]]:
    """``start``/``end`` (store-local days, both included; the last 30 days by default) and the
    optional filters → the query, or the problems by parameter."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate(timezone=store.tzinfo)
    end = _date(params["end"], "end", errors) if params.get("end") else today
    if params.get("start"):
        start = _date(params["start"], "start", errors)
    else:
        start = end - datetime.timedelta(days=DEFAULT_DAYS - 1) if end else None
    if start and end:
        if end < start:
            errors["end"] = ["The end date is before the start date."]
        elif (end - start).days + 1 > MAX_DAYS:
            errors["end"] = [f"Choose a range of at most {MAX_DAYS} days."]
    device = params.get("device", "").strip().lower()
    if device and device not in DEVICES:
        errors["device"] = [f"The device is one of {', '.join(DEVICES)}."]
    country = params.get("country", "").strip().upper()
    if country and len(country) != 2:
        errors["country"] = ["The country is a two-letter code, e.g. DE."]
    if errors:
        return None, errors
    channel = params.get("channel", "").strip().lower()
    return AnalyticsQuery(start, end, device, channel, country), {}


def _totals(store: Store, query: AnalyticsQuery) -> dict[str, Decimal | int]:
    rows = DayRollup.objects.filter(store=store, day__gte=query.start, day__lte=query.end)
    for name in ("device", "channel", "country"):
        if getattr(query, name):
            rows = rows.filter(**{name: getattr(query, name)})
    totals = rows.aggregate(**{name: Sum(name) for name in FIGURES})
    return {name: totals[name] or 0 for name in FIGURES}


def _rate(part, whole) -> float | None:
    return round(part / whole, 4) if whole else None


def refreshed_at() -> datetime.datetime | None:
    """When the rollups last folded new events."""
    state = RollupState.objects.filter(name=STATE).first()
    return state.refreshed_at if state else None


def analytics_summary(*, store: Store, query: AnalyticsQuery) -> dict:
    totals = _totals(store, query)
    revenue = Decimal(totals["revenue"])
    orders = totals["orders"]
    return {
        "revenue": revenue,
        "orders": orders,
        "average_order_value": revenue / orders if orders else None,
        "sessions": totals["sessions"],
        "conversion_rate": _rate(totals["purchase_sessions"], totals["sessions"]),
        "carts": totals["carts"],
        "abandoned_carts": totals["abandoned_carts"],
        "abandonment_rate": _rate(totals["abandoned_carts"], totals["carts"]),
        "abandoned_value": Decimal(totals["abandoned_value"]),
        "recovered_revenue": Decimal(totals["recovered_revenue"]),
    }


def analytics_funnel(*, store: Store, query: AnalyticsQuery) -> list[dict]:
    """Each step's sessions and the share lost since the step before (``drop_off``)."""
    totals = _totals(store, query)
    steps, before = [], None
    for name, figure in FUNNEL_STEPS:
        count = totals[figure]
        drop_off = None if before is None else _rate(before - count, before)
        steps.append({"name": name, "count": count, "drop_off": drop_off})
        before = count
    return steps
