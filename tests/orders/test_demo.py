"""Demo orders: the quick demo through the ingest, and the bulk path (COPY) at scale."""

import io
import random
from decimal import Decimal

import pytest
from django.db.models import F, Sum

from apps.core.demo import DemoContext, Progress
from apps.core.money import money_format
from apps.customers.models import Customer
from apps.orders import demo, demo_bulk
from apps.orders.models import Order, OrderEvent, OrderLine
from tests.catalog.factories import VariantFactory

pytestmark = pytest.mark.django_db


def _context(store, owner, scale="small"):
    context = DemoContext(
        rng=random.Random(3), scale=scale, progress=Progress(stream=io.StringIO())
    )
    context.stores["main"] = store
    context.users["owner"] = owner
    return context


@pytest.fixture
def variants(store):
    return [VariantFactory(product__store=store, price="19.90") for _ in range(5)]


def test_the_quick_demo_has_orders_on_every_channel_with_their_history(
    store, owner, variants, monkeypatch
):
    monkeypatch.setattr(demo, "ORDERS", 60)

    demo.seed(_context(store, owner))

    orders = Order.objects.for_store(store)
    assert orders.count() == 60
    assert set(orders.values_list("channel", flat=True)) == {
        "web", "app", "marketplace", "pos", "phone"
    }  # fmt: skip
    assert orders.filter(status="delivered").exclude(tracking_number="").exists()
    assert Customer.objects.for_store(store).filter(order_count__gt=1).exists()
    assert OrderEvent.objects.filter(store=store, kind="shipped").exists()


def test_the_bulk_demo_writes_consistent_orders_lines_events_and_customer_figures(
    store, owner, variants, monkeypatch
):
    monkeypatch.setattr(demo_bulk, "SIZES", {"medium": (300, 80)})
    monkeypatch.setattr(demo_bulk, "BATCH", 100)  # several staging batches

    demo_bulk.seed(_context(store, owner, scale="medium"))

    orders = Order.objects.for_store(store)
    assert orders.count() == 300
    assert Customer.objects.for_store(store).count() == 80
    # every order's total is its lines less the discount plus shipping
    line_totals = dict(
        OrderLine.objects.filter(store=store).values_list("order_id").annotate(total=Sum("total"))
    )
    for order in orders.only("pk", "total", "discount_total", "shipping_price"):
        assert order.total == line_totals[order.pk] - order.discount_total + order.shipping_price
    assert OrderEvent.objects.filter(store=store, kind="placed").count() == 300
    paid = OrderEvent.objects.filter(store=store, kind="paid").select_related("order").first()
    assert paid.message == f"Paid {money_format(paid.order.total, paid.order.currency)}."
    customer = Customer.objects.for_store(store).filter(order_count__gt=0).first()
    kept = orders.filter(customer=customer).exclude(status="cancelled")
    assert customer.order_count == kept.count()
    assert customer.total_spent == (kept.aggregate(s=Sum(F("total")))["s"] or Decimal("0"))
    assert orders.filter(customer_email=F("customer__email")).count() == 300


def test_the_small_scale_adds_no_bulk_orders(store, owner, variants):
    demo_bulk.seed(_context(store, owner, scale="small"))

    assert not Order.objects.for_store(store).exists()
