"""One storefront event's rules: a checkout step's destination and quoted shipping price."""

import datetime
import uuid

from apps.events.rules import event_read

NOW = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)


def step(**properties):
    raw = {
        "event_id": str(uuid.uuid4()),
        "type": "checkout_step",
        "occurred_at": NOW.isoformat(),
        "visitor_id": "v",
        "session_id": "s",
        "cart_id": "c",
        "properties": {"step": "shipping", **properties},
    }
    return event_read(raw, now=NOW, oldest=NOW - datetime.timedelta(days=400))


def test_a_shipping_step_keeps_its_destination_and_the_price_quoted():
    event, errors = step(
        shipping_price="4.90",
        shipping_service="dhl-standard",
        destination={"country": "de", "postal_code": " 10115 "},
    )
    assert errors == {}
    assert event.values["properties"] == {
        "step": "shipping",
        "shipping_price": "4.90",
        "shipping_service": "dhl-standard",
        "destination": {"country": "DE", "postal_code": "10115"},
    }


def test_a_destination_is_optional_and_its_postal_code_too():
    event, errors = step()
    assert errors == {} and "destination" not in event.values["properties"]
    event, errors = step(destination={"country": "US"})
    assert event.values["properties"]["destination"] == {"country": "US"}


def test_a_bad_destination_is_named_by_its_field():
    _event, errors = step(destination="Berlin")
    assert errors == {
        "properties.destination": ['The destination is an object: {"country": "DE"}.']
    }
    _event, errors = step(destination={"country": "XX", "postal_code": "1" * 17})
    assert set(errors) == {"properties.destination.country", "properties.destination.postal_code"}
    _event, errors = step(shipping_price="-1")
    assert "properties.shipping_price" in errors
