"""The demo's storefront behaviour: sent through the ingestion path and folded, with the shape
a manager expects of a small shop (about 70% of carts abandoned, purchases linked to orders,
shoppers online now)."""

import datetime
import io
import time

from django.core.management import call_command
from django.utils import timezone

from apps.core.models import Store
from apps.events import rollup
from apps.events.models import Cart, Event, Purchase, Session
from apps.events.selectors import AnalyticsQuery, analytics_summary
from apps.orders.models import Order
from tests.events.test_rollup import assert_rollups_equal_recomputation


def test_the_demo_fills_the_analytics_through_ingestion_and_the_rollups(events_db):
    started = time.monotonic()
    call_command("seed_demo", seed=7, stdout=io.StringIO(), stderr=io.StringIO())
    seconds = time.monotonic() - started
    store = Store.objects.get(handle="demo")
    now = timezone.now()
    rollup.refresh(now=now)  # what the demo's own transaction could not see folded

    sessions = Session.objects.filter(store=store)
    assert 2_000 <= sessions.count() <= 3_000
    assert {"mobile", "desktop", "tablet"} <= set(sessions.values_list("device", flat=True))
    assert len(set(sessions.values_list("channel", flat=True))) >= 5
    assert len(set(sessions.values_list("country", flat=True))) >= 6
    assert len(set(sessions.values_list("landing_page", flat=True))) >= 10
    today = timezone.localdate(timezone=store.tzinfo)
    summary = analytics_summary(
        store=store, query=AnalyticsQuery(today - datetime.timedelta(days=95), today)
    )
    assert 0.6 <= summary["abandonment_rate"] <= 0.8
    assert summary["recovered_revenue"] > 0
    purchases = Purchase.objects.filter(store=store)
    assert purchases.count() > 30
    assert not purchases.filter(order__isnull=True).exists()  # each links to a demo order
    assert set(purchases.values_list("order_ref", flat=True)) <= set(
        Order.objects.filter(store=store).values_list("external_id", flat=True)
    )
    assert Cart.objects.filter(store=store).exclude(customer_email="").count() >= 5
    live = now - datetime.timedelta(minutes=30)
    assert sessions.filter(last_at__gte=live).count() >= 5
    shipping = Event.objects.filter(store=store, type="checkout_step", properties__step="shipping")
    assert shipping.filter(properties__has_key="destination").exists()
    assert shipping.exclude(properties__has_key="shipping_price").exists()  # no rate there
    assert_rollups_equal_recomputation(store, now)
    assert seconds < 60, seconds
