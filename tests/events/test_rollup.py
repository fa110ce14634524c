"""The rollups equal a straightforward recomputation from the raw events — on generated data
with store-local day boundaries, duplicates, late events and carts spanning midnight — and
fold each event once."""

from __future__ import annotations

import datetime
import random
import uuid
from decimal import Decimal

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from apps.events import ingest, rollup
from apps.events.models import DayRollup, HourRollup, LandingPageDayRollup, Purchase, Session
from tests.events.recompute import recompute
from tests.factories import StoreFactory
from tests.orders.helpers import make_order


def iso(moment: datetime.datetime) -> str:
    return moment.isoformat()


class Shop:
    """Generated storefront behaviour: sessions, funnels, carts, purchases."""

    def __init__(self, seed: int, start: datetime.datetime):
        self.rng = random.Random(seed)
        self.start = start
        self.orders = 0

    def event(self, kind, at, session, **extra):
        body = {
            "event_id": str(uuid.UUID(int=self.rng.getrandbits(128))),
            "type": kind,
            "occurred_at": iso(at),
            "visitor_id": session["visitor"],
            "session_id": session["id"],
            "device": session["device"],
            "channel": session["channel"],
            "country": session["country"],
            "url": self.rng.choice(
                ["https://shop.example/", "https://shop.example/mugs?c=1", "/sale#top", ""]
            ),
        }
        body.update(extra)
        return body

    def session(self):
        rng = self.rng
        session = {
            "id": f"s-{rng.getrandbits(40):x}",
            "visitor": f"v-{rng.randrange(30)}",
            "device": rng.choice(["desktop", "mobile", "tablet"]),
            "channel": rng.choice(["", "email", "ads"]),
            "country": rng.choice(["DE", "FR", ""]),
        }
        at = self.start + datetime.timedelta(minutes=rng.randrange(0, 4 * 24 * 60))
        events = [self.event("page_view", at, session)]

        def later(most=40):
            nonlocal at
            at += datetime.timedelta(minutes=rng.randrange(0, most), seconds=rng.randrange(60))
            return at

        if rng.random() < 0.7:
            events.append(self.event("product_view", later(), session))
        if rng.random() < 0.6:
            cart = f"c-{rng.getrandbits(40):x}"
            for _ in range(rng.randrange(1, 4)):
                sku = rng.choice(["MUG", "TEE", "CAP"])
                props = {
                    "sku": sku,
                    "quantity": rng.randrange(1, 4),
                    "price": rng.choice(["9.90", "19.00", "4.50"]),
                }
                events.append(
                    self.event("add_to_cart", later(90), session, cart_id=cart, properties=props)
                )
                if rng.random() < 0.3:
                    props = {"sku": sku, "quantity": 1}
                    events.append(
                        self.event(
                            "remove_from_cart", later(), session, cart_id=cart, properties=props
                        )
                    )
            if rng.random() < 0.5:
                events.append(
                    self.event(
                        "checkout_started",
                        later(),
                        session,
                        cart_id=cart,
                        customer_email=f"{session['visitor']}@example.com",
                    )
                )
                events.append(
                    self.event(
                        "checkout_step",
                        later(),
                        session,
                        cart_id=cart,
                        properties={"step": "shipping", "shipping_price": "4.90"},
                    )
                )
                if rng.random() < 0.6:
                    self.orders += 1
                    # some purchases come long after: a cart abandoned, then recovered
                    at_purchase = later(30 if rng.random() < 0.7 else 200)
                    props = {"order_id": f"{self.orders}", "total": "42.00", "currency": "EUR"}
                    events.append(
                        self.event("purchase", at_purchase, session, cart_id=cart, properties=props)
                    )
                    if rng.random() < 0.2:  # the storefront reports the order twice
                        events.append(
                            self.event("purchase", later(), session, cart_id=cart, properties=props)
                        )
        return session, events


def send(store, events):
    for start in range(0, len(events), 200):
        result = ingest.batch_ingest(store, {"events": events[start : start + 200]})
        assert not result.rejected, result.rejected


def rolled_days(store):
    found = {}
    for row in DayRollup.objects.filter(store=store):
        figures = {name: getattr(row, name) for name in recompute_figures()}
        if any(figures.values()):
            found[(row.day, row.device, row.channel, row.country)] = figures
    return found


def recompute_figures():
    from apps.events.models import FIGURES

    return FIGURES


def normalized(days):
    return {
        key: {
            name: Decimal(value) if isinstance(value, Decimal) else value
            for name, value in figures.items()
        }
        for key, figures in days.items()
        if any(figures.values())
    }


def assert_rollups_equal_recomputation(store, now):
    expected_days, expected_pages = recompute(store, now=now)
    assert normalized(rolled_days(store)) == normalized(expected_days)
    pages = {
        (row.day, row.landing_page): (row.sessions, row.purchase_sessions)
        for row in LandingPageDayRollup.objects.filter(store=store)
    }
    assert pages == expected_pages
    hours = HourRollup.objects.filter(store=store)
    assert sum(h.sessions for h in hours) == Session.objects.filter(store=store).count()


@pytest.mark.parametrize(
    ("seed", "zone"), [(1, "America/New_York"), (2, "Asia/Kolkata"), (3, "Europe/Berlin")]
)
def test_rollups_equal_a_recomputation_from_raw_events(events_db, seed, zone):
    store = StoreFactory(handle=f"gen-{seed}", timezone=zone, abandonment_window_minutes=45)
    other = StoreFactory(handle=f"other-{seed}", timezone="UTC")
    now = timezone.now()
    start = (now - datetime.timedelta(days=6)).astimezone(store.tzinfo)
    shop = Shop(seed, start.replace(hour=20, minute=0, second=0, microsecond=0))
    generated = [shop.session() for _ in range(60)]
    events = [e for _session, session_events in generated for e in session_events]
    shop.rng.shuffle(events)
    send(store, events)
    send(other, events[:50])  # another store's events never mix in
    send(store, shop.rng.sample(events, 40))  # a retrying storefront: duplicates

    rollup.refresh(now=now)
    assert_rollups_equal_recomputation(store, now)

    # late events: earlier first events (sessions move to another hour, day and device),
    # carts that go on past midnight, a purchase of a cart abandoned days ago
    late = []
    for session, session_events in shop.rng.sample(generated, 15):
        first = min(session_events, key=lambda e: e["occurred_at"])
        earlier = datetime.datetime.fromisoformat(first["occurred_at"]) - datetime.timedelta(
            hours=shop.rng.randrange(1, 30)
        )
        late.append(shop.event("page_view", earlier, {**session, "device": "other"}))
        carts = {e["cart_id"] for e in session_events if e.get("cart_id")}
        for cart in carts:
            last = max(datetime.datetime.fromisoformat(e["occurred_at"]) for e in session_events)
            props = {"sku": "CAP", "quantity": 2, "price": "7.00"}
            late.append(
                shop.event(
                    "add_to_cart",
                    last + datetime.timedelta(hours=5),
                    session,
                    cart_id=cart,
                    properties=props,
                )
            )
            props = {"order_id": f"late-{cart}", "total": "14.00", "currency": "EUR"}
            late.append(
                shop.event(
                    "purchase",
                    last + datetime.timedelta(hours=9),
                    session,
                    cart_id=cart,
                    properties=props,
                )
            )
    send(store, late)
    send(store, late[:5])
    later_now = timezone.now()

    result = rollup.refresh(now=later_now)

    assert result.events == len(late)  # only the new events, each once
    assert_rollups_equal_recomputation(store, later_now)
    assert_rollups_equal_recomputation(other, later_now)


def test_a_cart_turns_abandoned_when_its_window_passes_without_new_events(events_db):
    store = StoreFactory(handle="window", timezone="Europe/Berlin", abandonment_window_minutes=60)
    at = timezone.now() - datetime.timedelta(minutes=30)
    session = {"id": "s-1", "visitor": "v-1", "device": "mobile", "channel": "", "country": "DE"}
    shop = Shop(0, at)
    send(
        store,
        [
            shop.event(
                "add_to_cart",
                at,
                session,
                cart_id="c-1",
                properties={"sku": "MUG", "quantity": 2, "price": "9.90"},
            )
        ],
    )

    rollup.refresh(now=at + datetime.timedelta(minutes=59))
    day = DayRollup.objects.get(store=store)
    assert (day.carts, day.abandoned_carts) == (1, 0)

    assert rollup.refresh(now=at + datetime.timedelta(minutes=61)).events == 0
    day = DayRollup.objects.get(store=store)
    assert (day.carts, day.abandoned_carts, day.abandoned_value) == (1, 1, Decimal("19.80"))


def test_the_command_folds_new_events_and_links_purchases_to_orders(events_db, capsys):
    store = StoreFactory(handle="cmd")
    at = timezone.now() - datetime.timedelta(hours=1)
    session = {"id": "s-1", "visitor": "v-1", "device": "desktop", "channel": "", "country": ""}
    shop = Shop(0, at)
    props = {"order_id": "1001", "total": "10.00", "currency": "EUR"}
    send(store, [shop.event("purchase", at, session, properties=props)])

    call_command("refresh_analytics", "--partitions")

    assert "Folded 1 events" in capsys.readouterr().out
    assert Purchase.objects.get(store=store).order_id is None  # no such order yet
    order = make_order(store, external_id="1001")
    call_command("refresh_analytics")
    assert "Folded 0 events" in capsys.readouterr().out
    assert Purchase.objects.get(store=store).order_id == order.pk  # linked once it exists


def test_an_event_committed_after_a_refresh_by_an_older_transaction_is_folded_next_time(
    events_db,
):
    """A batch whose transaction began before a refresh and commits after it is neither lost
    (its id is below the watermark) nor folded twice."""
    store = StoreFactory(handle="slow")
    at = timezone.now() - datetime.timedelta(hours=1)
    session = {"id": "s-1", "visitor": "v-1", "device": "mobile", "channel": "", "country": ""}
    shop = Shop(0, at)
    slow = psycopg.connect(**connection.get_connection_params())
    try:
        with slow.cursor() as cursor:  # a slow ingestion: its transaction is still open
            cursor.execute(
                "INSERT INTO events_event (store_id, event_id, occurred_at, type, visitor_id, "
                "session_id) VALUES (%s, %s, %s, 'page_view', 'v-9', 's-9')",
                [store.pk, uuid.uuid4(), at],
            )
        send(store, [shop.event("page_view", at, session)])  # a later batch, committed

        assert rollup.refresh().events == 1
        slow.commit()
        assert rollup.refresh().events == 1
        assert rollup.refresh().events == 0
    finally:
        slow.close()
    assert sum(row.sessions for row in DayRollup.objects.filter(store=store)) == 2
