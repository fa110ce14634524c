"""GET /api/v1/analytics/summary and /funnel: the figures of store-local days read from the
daily rollups, filtered; owners and managers only; bad parameters named."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from apps.events.models import DayRollup
from tests.events.test_ingest_api import URL
from tests.events.test_rollup import Shop
from tests.factories import StoreFactory

pytestmark = pytest.mark.django_db
SUMMARY = "/api/v1/analytics/summary"
FUNNEL = "/api/v1/analytics/funnel"


def day(store, when, device="mobile", country="DE", **figures):
    return DayRollup.objects.create(
        store=store, day=when, device=device, channel="", country=country, **figures
    )


@pytest.fixture
def rollups(store, other_store):
    figures = dict(
        sessions=100,
        product_view_sessions=60,
        add_to_cart_sessions=30,
        checkout_sessions=12,
        purchase_sessions=5,
        carts=30,
        purchased_carts=6,
        abandoned_carts=24,
        abandoned_value=Decimal("480.00"),
        recovered_carts=1,
        recovered_revenue=Decimal("20.00"),
        orders=5,
        revenue=Decimal("250.00"),
    )
    day(store, datetime.date(2026, 11, 1), **figures)
    day(store, datetime.date(2026, 11, 2), device="desktop", **figures)
    day(store, datetime.date(2026, 11, 3), **figures)  # outside the range asked
    day(other_store, datetime.date(2026, 11, 1), **figures)  # never counted


def get(client, url, store, **params):
    return client.get(url, params, HTTP_X_STORE=store.handle)


def test_the_summary_adds_up_the_days_asked(rollups, store, manager, client_for):
    response = get(client_for(manager), SUMMARY, store, start="2026-11-01", end="2026-11-02")

    assert response.status_code == 200
    body = response.json()
    assert body == {
        "start": "2026-11-01",
        "end": "2026-11-02",
        "currency": "EUR",
        "updated_at": None,
        "revenue": "500.00",
        "orders": 10,
        "average_order_value": "50.00",
        "sessions": 200,
        "conversion_rate": 0.05,
        "carts": 60,
        "abandoned_carts": 48,
        "abandonment_rate": 0.8,
        "abandoned_value": "960.00",
        "recovered_revenue": "40.00",
    }


def test_filters_narrow_the_figures(rollups, store, owner, client_for):
    client = client_for(owner)
    mobile = get(client, SUMMARY, store, start="2026-11-01", end="2026-11-03", device="mobile")
    french = get(client, SUMMARY, store, start="2026-11-01", end="2026-11-03", country="fr")

    assert mobile.json()["sessions"] == 200
    assert french.json()["sessions"] == 0
    assert french.json()["conversion_rate"] is None  # no sessions, no rate


def test_the_funnel_counts_each_steps_sessions_and_drop_off(rollups, store, owner, client_for):
    response = get(client_for(owner), FUNNEL, store, start="2026-11-01", end="2026-11-01")

    assert response.json()["steps"] == [
        {"name": "sessions", "count": 100, "drop_off": None},
        {"name": "product_view", "count": 60, "drop_off": 0.4},
        {"name": "add_to_cart", "count": 30, "drop_off": 0.5},
        {"name": "checkout_started", "count": 12, "drop_off": 0.6},
        {"name": "purchase", "count": 5, "drop_off": 0.5833},
    ]


def test_support_may_not_read_analytics(rollups, store, support, client_for):
    assert get(client_for(support), SUMMARY, store).status_code == 403
    assert get(client_for(support), FUNNEL, store).status_code == 403


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-13-01"}, "start"),
        ({"start": "2026-11-05", "end": "2026-11-01"}, "end"),
        ({"start": "2024-01-01", "end": "2026-11-01"}, "end"),
        ({"device": "fridge"}, "device"),
        ({"country": "Germany"}, "country"),
    ],
)
def test_bad_parameters_are_400_naming_them(store, owner, client_for, params, field):
    response = get(client_for(owner), SUMMARY, store, **params)

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_events_sent_by_the_storefront_reach_the_summary(events_db, client_for, make_member):
    store = StoreFactory(handle="flow", timezone="Europe/Berlin")
    manager = make_member(store, "manager")
    storefront = Client(headers={"X-Store-Key": store.publishable_key})
    at = timezone.now() - datetime.timedelta(hours=3)
    session = {"id": "s-1", "visitor": "v-1", "device": "mobile", "channel": "", "country": "DE"}
    shop = Shop(0, at)
    events = [
        shop.event("page_view", at, session),
        shop.event("add_to_cart", at, session, cart_id="c-1",
                   properties={"sku": "MUG", "quantity": 1, "price": "12.50"}),
        shop.event("purchase", at + datetime.timedelta(minutes=5), session, cart_id="c-1",
                   properties={"order_id": "77", "total": "12.50", "currency": "EUR"}),
        shop.event("page_view", at, {**session, "id": "s-2"}),
    ]  # fmt: skip
    sent = storefront.post(URL, json.dumps({"events": events}), content_type="application/json")
    assert sent.json()["accepted"] == 4
    call_command("refresh_analytics")

    today = timezone.localdate(timezone=store.tzinfo)
    body = get(client_for(manager), SUMMARY, store, start=str(today - datetime.timedelta(1)))

    assert (body.json()["sessions"], body.json()["orders"], body.json()["revenue"]) == (
        2,
        1,
        "12.50",
    )
    assert body.json()["conversion_rate"] == 0.5
    assert body.json()["updated_at"] is not None
