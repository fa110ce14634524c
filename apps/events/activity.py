"""What support reads of a shopper's storefront behaviour, in words: a cart's state by the
definitions of DESIGN.md ("Analytics") and each step of a session. Pure functions over plain
values (no ORM, no request): the order and customer panels and the tests call the same code."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from apps.core.money import money_format

OPEN, ABANDONED, PURCHASED, RECOVERED = "open", "abandoned", "purchased", "recovered"
CART_STATE_LABELS = {
    OPEN: "Open",
    ABANDONED: "Abandoned",
    PURCHASED: "Purchased",
    RECOVERED: "Recovered",
}
# the badge colour of each state (the words always say it)
CART_STATE_TONES = {OPEN: "info", ABANDONED: "warning", PURCHASED: "success", RECOVERED: "success"}
# CHECKOUT_STEPS' ranks (rules.py) in words
CHECKOUT_STEP_LABELS = {0: "Cart", 1: "Checkout started", 2: "Shipping", 3: "Payment"}
# the events a session's timeline shows as its steps (page views are counted, not listed)
STEP_TYPES = (
    "product_view",
    "add_to_cart",
    "remove_from_cart",
    "checkout_started",
    "checkout_step",
    "purchase",
)
PAGE_TYPES = ("page_view", "product_view")


def cart_state(
    *,
    last_activity_at: datetime.datetime | None,
    purchased_at: datetime.datetime | None,
    window_minutes: int,
    now: datetime.datetime,
) -> str:
    """A cart's state at ``now``: purchased within the abandonment window after its last
    activity; recovered when purchased after that window; abandoned when the window passed with
    no purchase; open while it runs."""
    if last_activity_at is None:  # only a purchase carried the cart's id
        return PURCHASED if purchased_at else OPEN
    deadline = last_activity_at + datetime.timedelta(minutes=window_minutes)
    if purchased_at is not None:
        return RECOVERED if purchased_at > deadline else PURCHASED
    return ABANDONED if deadline <= now else OPEN


def url_path(url: str) -> str:
    """A page's address as support reads it: the path and query, without the host."""
    if not url:
        return ""
    parts = urlsplit(url)
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


def _amount(value: Any, currency: str) -> str:
    try:
        return money_format(Decimal(str(value)), currency) if value not in (None, "") else ""
    except InvalidOperation:
        return ""


def step_describe(*, kind: str, properties: Mapping[str, Any], url: str, currency: str) -> str:
    """One session step in words: "Added 2 × MUG-01 at €12.00"."""
    sku = properties.get("sku", "")
    quantity = properties.get("quantity", 1)
    if kind == "product_view":
        return f"Viewed {url_path(url) or 'a product'}"
    if kind == "add_to_cart":
        price = _amount(properties.get("price"), currency)
        return f"Added {quantity} × {sku}" + (f" at {price}" if price else "")
    if kind == "remove_from_cart":
        return f"Removed {quantity} × {sku}"
    if kind == "checkout_started":
        return "Started checkout"
    if kind == "checkout_step":
        step = properties.get("step", "")
        words = f"Checkout: {step}" if step else "Checkout step"
        details = [
            part
            for part in (
                properties.get("shipping_service", ""),
                _amount(properties.get("shipping_price"), currency),
            )
            if part
        ]
        return words + (f" ({', '.join(details)})" if details else "")
    if kind == "purchase":
        total = _amount(properties.get("total"), properties.get("currency") or currency)
        order_id = properties.get("order_id", "")
        return f"Ordered {order_id}".strip() + (f", {total}" if total else "")
    if kind == "page_view":
        return f"Viewed {url_path(url) or 'a page'}"
    return kind.replace("_", " ").capitalize()


def duration_words(seconds: float) -> str:
    """``95`` → "1 min 35 s"; "under a second" for 0."""
    seconds = int(seconds)
    if seconds < 1:
        return "under a second"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    return f"{secs} s"


def session_source(*, referrer: str, utm_source: str, utm_medium: str, utm_campaign: str) -> str:
    """Where a session came from: its UTM source (medium, campaign), else the referring site,
    else "Direct"."""
    if utm_source:
        extra = ", ".join(part for part in (utm_medium, utm_campaign) if part)
        return f"{utm_source} ({extra})" if extra else utm_source
    if referrer:
        return urlsplit(referrer).netloc or referrer[:100]
    return "Direct"


def session_happened(
    *, product_view: bool, add_to_cart: bool, checkout_started: bool, purchase: bool
) -> list[str]:
    """A session's funnel steps in words; "Browsed" when it reached none of them."""
    steps = [
        words
        for reached, words in (
            (product_view, "Viewed products"),
            (add_to_cart, "Added to cart"),
            (checkout_started, "Started checkout"),
            (purchase, "Ordered"),
        )
        if reached
    ]
    return steps or ["Browsed"]
