"""A shopper's storefront behaviour for tests, sent through the ingestion code path
(``ingest.batch_ingest``) and folded with ``rollup.refresh``, as the storefront and the beat job
would."""

from __future__ import annotations

import datetime
import itertools
import uuid

from django.utils import timezone

from apps.events import ingest, rollup

_ids = itertools.count(1)


class Shopper:
    """``Shopper(store, email=…).visit(…)`` builds one session's events; ``send()`` ingests
    them all and folds them."""

    def __init__(self, store, *, email: str = "", visitor: str | None = None, device="mobile"):
        self.store = store
        self.email = email
        self.visitor = visitor or f"v-{next(_ids)}"
        self.device = device
        self.events: list[dict] = []

    def event(self, kind: str, at: datetime.datetime, session: str, **extra) -> dict:
        body = {
            "event_id": str(uuid.uuid4()),
            "type": kind,
            "occurred_at": at.isoformat(),
            "visitor_id": self.visitor,
            "session_id": session,
            "device": self.device,
            "channel": "web",
            "country": "DE",
        }
        body.update(extra)
        self.events.append(body)
        return body

    def visit(
        self,
        *,
        start: datetime.datetime,
        session: str | None = None,
        cart: str | None = None,
        skus=(("MUG-1", 2, "12.50"),),
        checkout: tuple[str, ...] = (),
        order_id: str | None = None,
        total: str = "25.00",
        email: str | None = None,
        landing: str = "https://shop.example/mugs?utm_source=news",
        referrer: str = "",
        utm_source: str = "",
    ) -> str:
        """One session: a landing page view, product views and adds (when ``cart``), the
        checkout steps named, and a purchase when ``order_id``. Returns the session id."""
        session = session or f"s-{next(_ids)}"
        email = self.email if email is None else email
        at = start
        self.event("page_view", at, session, url=landing, referrer=referrer, utm_source=utm_source)
        if not cart:
            return session
        for sku, quantity, price in skus:
            at += datetime.timedelta(seconds=30)
            self.event("product_view", at, session, url=f"https://shop.example/p/{sku}")
            at += datetime.timedelta(seconds=30)
            self.event(
                "add_to_cart",
                at,
                session,
                cart_id=cart,
                customer_email=email,
                properties={"sku": sku, "quantity": quantity, "price": price},
            )
        for step in checkout:
            at += datetime.timedelta(seconds=40)
            if step == "started":
                self.event("checkout_started", at, session, cart_id=cart, customer_email=email)
            else:
                self.event(
                    "checkout_step",
                    at,
                    session,
                    cart_id=cart,
                    customer_email=email,
                    properties={"step": step, "shipping_price": "4.90"},
                )
        if order_id:
            at += datetime.timedelta(seconds=40)
            self.event(
                "purchase",
                at,
                session,
                cart_id=cart,
                customer_email=email,
                properties={"order_id": order_id, "total": total, "currency": "EUR"},
            )
        return session

    def send(self, *, now: datetime.datetime | None = None) -> None:
        now = now or timezone.now()
        for start in range(0, len(self.events), 500):
            result = ingest.batch_ingest(self.store, {"events": self.events[start : start + 500]})
            assert not result.rejected, result.rejected
        self.events = []
        rollup.refresh(now=now)
