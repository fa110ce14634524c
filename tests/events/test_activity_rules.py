"""The words support reads of storefront behaviour: a cart's state by the store's abandonment
window, and a session's steps."""

import datetime

from apps.events import activity

AT = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)


def state(minutes_since_activity: int, purchased_after: int | None = None) -> str:
    now = AT + datetime.timedelta(minutes=minutes_since_activity)
    purchased = (
        None if purchased_after is None else AT + datetime.timedelta(minutes=purchased_after)
    )
    return activity.cart_state(
        last_activity_at=AT, purchased_at=purchased, window_minutes=60, now=now
    )


def test_a_cart_is_open_while_the_window_runs_and_abandoned_once_it_passed():
    assert state(59) == "open"
    assert state(60) == "abandoned"
    assert state(600) == "abandoned"


def test_a_cart_bought_within_the_window_is_purchased_and_after_it_recovered():
    assert state(5, purchased_after=5) == "purchased"
    assert state(600, purchased_after=60) == "purchased"
    assert state(600, purchased_after=61) == "recovered"


def test_the_session_steps_say_what_the_shopper_did_in_the_stores_currency():
    def say(kind, **properties):
        return activity.step_describe(
            kind=kind, properties=properties, url="https://shop.example/p/mug?c=2", currency="EUR"
        )

    assert say("product_view") == "Viewed /p/mug?c=2"
    assert say("add_to_cart", sku="MUG-1", quantity=2, price="12.5") == "Added 2 × MUG-1 at €12.50"
    assert say("remove_from_cart", sku="MUG-1", quantity=1) == "Removed 1 × MUG-1"
    assert say("checkout_started") == "Started checkout"
    assert (
        say("checkout_step", step="shipping", shipping_service="dhl", shipping_price="4.9")
        == "Checkout: shipping (dhl, €4.90)"
    )
    assert say("purchase", order_id="1001", total="30", currency="EUR") == "Ordered 1001, €30.00"


def test_a_sessions_source_is_its_utm_source_else_the_referring_site_else_direct():
    def source(referrer="", utm_source="", utm_medium="", utm_campaign=""):
        return activity.session_source(
            referrer=referrer,
            utm_source=utm_source,
            utm_medium=utm_medium,
            utm_campaign=utm_campaign,
        )

    assert source(utm_source="newsletter", utm_medium="email") == "newsletter (email)"
    assert source(referrer="https://www.google.com/search?q=mug") == "www.google.com"
    assert source() == "Direct"


def test_durations_read_as_minutes_and_seconds():
    assert activity.duration_words(0) == "under a second"
    assert activity.duration_words(95) == "1 min 35 s"
    assert activity.duration_words(3 * 3600 + 120) == "3 h 2 min"
