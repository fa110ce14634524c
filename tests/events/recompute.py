"""The analytics definitions of DESIGN.md computed the straightforward way, straight from the
raw events: what the rollups must equal."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from apps.events.models import FIGURES, Event
from apps.events.rules import landing_page


def _zero() -> dict:
    return {name: Decimal(0) if name.endswith(("value", "revenue")) else 0 for name in FIGURES}


def recompute(store, *, now: datetime.datetime) -> tuple[dict, dict]:
    """({(day, device, channel, country): figures}, {(day, landing_page): (sessions, bought)})."""
    tz = store.tzinfo
    window = datetime.timedelta(minutes=store.abandonment_window_minutes)
    events = sorted(
        Event.objects.filter(store=store), key=lambda e: (e.occurred_at, e.event_id.int)
    )
    days: dict = defaultdict(_zero)
    landing: dict = defaultdict(lambda: [0, 0])

    sessions = defaultdict(list)
    carts = defaultdict(list)
    orders = defaultdict(list)
    for event in events:
        sessions[event.session_id].append(event)
        if event.cart_id:
            carts[event.cart_id].append(event)
        if event.type == "purchase":
            orders[event.properties["order_id"]].append(event)

    def local_day(moment):
        return moment.astimezone(tz).date()

    for session_events in sessions.values():
        first = session_events[0]
        types = {e.type for e in session_events}
        figures = days[(local_day(first.occurred_at), first.device, first.channel, first.country)]
        figures["sessions"] += 1
        figures["product_view_sessions"] += "product_view" in types
        figures["add_to_cart_sessions"] += "add_to_cart" in types
        figures["checkout_sessions"] += "checkout_started" in types
        figures["purchase_sessions"] += "purchase" in types
        page = landing[(local_day(first.occurred_at), landing_page(first.url))]
        page[0] += 1
        page[1] += "purchase" in types

    for cart_events in carts.values():
        adds = [e for e in cart_events if e.type == "add_to_cart"]
        if not adds:
            continue
        first = cart_events[0]
        figures = days[(local_day(adds[0].occurred_at), first.device, first.channel, first.country)]
        figures["carts"] += 1
        last_activity = max(e.occurred_at for e in cart_events if e.type != "purchase")
        purchases = sorted(
            (e for e in cart_events if e.type == "purchase"),
            key=lambda e: (e.occurred_at, e.properties["order_id"]),
        )
        quantities: dict = defaultdict(int)
        prices: dict = {}
        for event in cart_events:
            sku = event.properties.get("sku")
            if event.type == "add_to_cart":
                quantities[sku] += event.properties["quantity"]
                key = (event.occurred_at, Decimal(event.properties["price"]))
                prices[sku] = max(prices.get(sku, key), key)
            elif event.type == "remove_from_cart":
                quantities[sku] -= event.properties["quantity"]
        value = sum(
            (q * prices[sku][1] for sku, q in quantities.items() if q > 0 and sku in prices),
            Decimal(0),
        )
        deadline = last_activity + window
        bought = purchases[0] if purchases else None
        abandoned = (bought is None and deadline <= now) or (
            bought is not None and bought.occurred_at > deadline
        )
        recovered = bought is not None and bought.occurred_at > deadline
        figures["purchased_carts"] += bought is not None and not abandoned
        figures["abandoned_carts"] += abandoned
        figures["abandoned_value"] += value if abandoned else 0
        figures["recovered_carts"] += recovered
        if recovered:
            figures["recovered_revenue"] += Decimal(bought.properties["total"])

    for order_events in orders.values():
        first = order_events[0]
        figures = days[(local_day(first.occurred_at), first.device, first.channel, first.country)]
        figures["orders"] += 1
        figures["revenue"] += Decimal(first.properties["total"])

    return dict(days), {key: tuple(value) for key, value in landing.items()}
