"""POST /api/storefront/v1/events: each event validated on its own, a re-sent event stored
once, the batch and body bounds, and nothing half-written when the database fails."""

from __future__ import annotations

import datetime
import json
import uuid
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from apps.events.models import Event

URL = "/api/storefront/v1/events"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(store):
    store.allowed_origins = ["https://shop.example"]
    store.save()
    return Client(headers={"X-Store-Key": store.publishable_key})


def event(kind="page_view", **extra):
    body = {
        "event_id": str(uuid.uuid4()),
        "type": kind,
        "occurred_at": timezone.now().isoformat(),
        "visitor_id": "v-1",
        "session_id": "s-1",
        "url": "https://shop.example/mugs?x=1",
        "device": "mobile",
        "country": "DE",
    }
    body.update(extra)
    return body


def post(client, events, **headers):
    return client.post(
        URL, json.dumps({"events": events}), content_type="application/json", headers=headers
    )


def test_a_batch_is_stored_and_a_resent_event_counted_once(api, store):
    first = [
        event(),
        event(
            "add_to_cart", cart_id="c-1", properties={"sku": "MUG", "quantity": 2, "price": "9.90"}
        ),
        event(
            "purchase",
            cart_id="c-1",
            properties={"order_id": "1001", "total": "19.80", "currency": "EUR"},
        ),
    ]
    response = post(api, first, Origin="https://shop.example")

    assert response.status_code == 200
    assert response.json() == {"accepted": 3, "duplicates": 0, "rejected": []}
    assert response["Access-Control-Allow-Origin"] == "https://shop.example"

    again = post(api, [*first, event()])  # a retrying storefront re-sends the batch, plus one

    assert again.json() == {"accepted": 1, "duplicates": 3, "rejected": []}
    assert Event.objects.filter(store=store).count() == 4
    stored = Event.objects.get(store=store, type="add_to_cart")
    assert stored.properties == {"sku": "MUG", "quantity": 2, "price": "9.90"}
    assert stored.device == "mobile"


def test_the_same_event_twice_in_one_batch_is_one_event(api, store):
    one = event()
    assert post(api, [one, one]).json() == {"accepted": 1, "duplicates": 1, "rejected": []}


def test_each_bad_event_is_refused_with_its_reason_and_the_good_ones_kept(api, store):
    now = timezone.now()
    bad = [
        event(),  # 0: good
        event(event_id=None),  # 1: missing id
        event("teleport"),  # 2: unknown type
        event(occurred_at=(now + datetime.timedelta(days=2)).isoformat()),  # 3: future
        event(occurred_at=(now - datetime.timedelta(days=800)).isoformat()),  # 4: too old
        event(session_id=42.5),  # 5: wrong type
        event("add_to_cart", cart_id="c", properties={"sku": "A", "quantity": "two", "price": "1"}),
        event("checkout_step", cart_id="c", properties={"step": "teleport"}),  # 7
        event("purchase", properties={"order_id": "1", "total": "abc", "currency": "EUR"}),  # 8
        "not an object",  # 9
        event(occurred_at="2026-12-05T10:00:00"),  # 10: no offset
        event("product_view"),  # 11: good
    ]
    answer = post(api, bad).json()

    assert answer["accepted"] == 2
    assert answer["duplicates"] == 0
    reasons = {item["index"]: item["errors"] for item in answer["rejected"]}
    assert sorted(reasons) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert "event_id" in reasons[1]
    assert "unknown event type 'teleport'" in reasons[2]["type"][0]
    assert reasons[3] == {"occurred_at": ["occurred_at is in the future."]}
    assert reasons[4] == {"occurred_at": ["occurred_at is older than the store keeps events."]}
    assert "session_id" in reasons[5]
    assert "properties.quantity" in reasons[6]
    assert "properties.step" in reasons[7]
    assert "properties.total" in reasons[8]
    assert "non_field_errors" in reasons[9]
    assert "offset" in reasons[10]["occurred_at"][0]
    assert Event.objects.filter(store=store).count() == 2


def test_more_than_500_events_or_10000_are_refused_whole(api, store):
    response = post(api, [{"type": "page_view"}] * 10_000)

    assert response.status_code == 400
    assert "at most 500 events, not 10,000" in response.json()["errors"]["events"][0]
    assert post(api, [event() for _ in range(501)]).status_code == 400
    assert Event.objects.filter(store=store).count() == 0


def test_a_body_over_one_megabyte_is_413(api, store):
    big = [event(url="https://shop.example/" + "x" * 2000) for _ in range(500)]  # ~1.2 MB
    response = post(api, big)

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_an_unknown_key_is_401_and_a_foreign_origin_403(store):
    assert post(Client(headers={"X-Store-Key": "mp_pk_nope"}), [event()]).status_code == 401
    client = Client(headers={"X-Store-Key": store.publishable_key})
    assert post(client, [event()], Origin="https://evil.example").status_code == 403


def test_database_down_is_503_with_retry_after_and_nothing_half_written(api, store):
    real_execute = None

    def failing_insert(self, sql, params=None):
        if sql.startswith("INSERT INTO events_event"):
            raise OperationalError("server closed the connection unexpectedly")
        return real_execute(self, sql, params)

    from django.db.backends.utils import CursorWrapper

    real_execute = CursorWrapper.execute
    with mock.patch.object(CursorWrapper, "execute", failing_insert):
        response = post(api, [event(), event()])

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert Event.objects.filter(store=store).count() == 0
