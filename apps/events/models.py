"""Storefront behaviour events and what is derived from them.

- ``Event``: the raw events, one append-only table partitioned by month on ``occurred_at``
  (the DDL is in migration 0001: PostgreSQL declarative partitioning, so Django does not manage
  the table). Its primary key ``(store, event_id, occurred_at)`` holds the partition key, so a
  re-sent event is stored once however the table is partitioned. ``ingest_txid`` is the id of
  the transaction that stored the row: the rollup's watermark (ingestion order, not event time).
- ``Session``, ``Cart``, ``CartItem``, ``Purchase``: folded from the events (services/rollup.py).
- ``HourRollup``, ``DayRollup``, ``LandingPageDayRollup``: the figures dashboards read, per
  store-local hour/day and dimension.

Every key and index leads with the store, so the tables can be distributed by store (Citus).
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models

from apps.core.models import Store


class Event(models.Model):
    pk = models.CompositePrimaryKey("store", "event_id", "occurred_at")
    store = models.ForeignKey(Store, on_delete=models.DO_NOTHING, related_name="+")
    event_id = models.UUIDField()
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField()
    ingest_txid = models.BigIntegerField()
    type = models.CharField(max_length=32)
    visitor_id = models.CharField(max_length=64)
    session_id = models.CharField(max_length=64)
    cart_id = models.CharField(max_length=64, blank=True)
    customer_email = models.CharField(max_length=254, blank=True)
    url = models.CharField(max_length=2048, blank=True)
    referrer = models.CharField(max_length=2048, blank=True)
    device = models.CharField(max_length=16, blank=True)
    channel = models.CharField(max_length=32, blank=True)
    country = models.CharField(max_length=2, blank=True)
    utm_source = models.CharField(max_length=200, blank=True)
    utm_medium = models.CharField(max_length=200, blank=True)
    utm_campaign = models.CharField(max_length=200, blank=True)
    utm_term = models.CharField(max_length=200, blank=True)
    utm_content = models.CharField(max_length=200, blank=True)
    properties = models.JSONField(default=dict)

    class Meta:
        managed = False  # partitioned by month: see migration 0001
        db_table = "events_event"

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class Session(models.Model):
    """Events sharing ``session_id``; its dimensions are those of its first event."""

    pk = models.CompositePrimaryKey("store", "session_id")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    session_id = models.CharField(max_length=64)
    visitor_id = models.CharField(max_length=64)
    first_at = models.DateTimeField()
    first_event_id = models.UUIDField()  # ties on first_at go to the smaller event id
    last_at = models.DateTimeField()
    local_hour = models.DateTimeField()  # the store-local hour of first_at (naive, stored as UTC)
    device = models.CharField(max_length=16, blank=True)
    channel = models.CharField(max_length=32, blank=True)
    country = models.CharField(max_length=2, blank=True)
    landing_page = models.CharField(max_length=512, blank=True)  # the path, no query
    events = models.PositiveIntegerField(default=0)
    product_view = models.BooleanField(default=False)
    add_to_cart = models.BooleanField(default=False)
    checkout_started = models.BooleanField(default=False)
    purchase = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["store", "local_hour"], name="events_session_hour"),
            # a customer's sessions: those of the visitors of their carts and orders
            models.Index(fields=["store", "visitor_id", "first_at"], name="events_session_visitor"),
        ]

    def __str__(self) -> str:
        return self.session_id


class Cart(models.Model):
    """A ``cart_id``; counted from its first ``add_to_cart`` (``first_added_at``)."""

    pk = models.CompositePrimaryKey("store", "cart_id")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    cart_id = models.CharField(max_length=64)
    session_id = models.CharField(max_length=64)  # of its first event
    first_at = models.DateTimeField()
    first_event_id = models.UUIDField()
    first_added_at = models.DateTimeField(null=True)
    local_hour = models.DateTimeField(null=True)  # store-local hour of first_added_at
    last_activity_at = models.DateTimeField(null=True)  # its last event other than a purchase
    purchased_at = models.DateTimeField(null=True)  # its first purchase
    purchase_total = models.DecimalField(max_digits=14, decimal_places=4, null=True)
    order_ref = models.CharField(max_length=100, blank=True)  # the first purchase's order_id
    checkout_step = models.PositiveSmallIntegerField(default=0)  # CHECKOUT_STEPS' rank
    customer_email = models.CharField(max_length=254, blank=True)
    customer_email_at = models.DateTimeField(null=True)
    device = models.CharField(max_length=16, blank=True)
    channel = models.CharField(max_length=32, blank=True)
    country = models.CharField(max_length=2, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=4, default=0)
    items = models.PositiveIntegerField(default=0)  # units in the cart

    class Meta:
        indexes = [
            models.Index(fields=["store", "local_hour"], name="events_cart_hour"),
            models.Index(fields=["store", "last_activity_at"], name="events_cart_activity"),
            # a customer's carts, by their email
            models.Index(
                fields=["store", "customer_email", "last_activity_at"], name="events_cart_email"
            ),
        ]

    def __str__(self) -> str:
        return self.cart_id


class CartItem(models.Model):
    """A SKU's net quantity in a cart (added minus removed) and its latest price."""

    pk = models.CompositePrimaryKey("store", "cart_id", "sku")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    cart_id = models.CharField(max_length=64)
    sku = models.CharField(max_length=64)
    quantity = models.IntegerField(default=0)
    price = models.DecimalField(max_digits=14, decimal_places=4, default=0)
    price_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.cart_id} {self.sku}"


class Purchase(models.Model):
    """A ``purchase`` event's order (the first event for an order id), linked to the Order with
    that external id once it exists."""

    pk = models.CompositePrimaryKey("store", "order_ref")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    order_ref = models.CharField(max_length=100)
    event_id = models.UUIDField()
    occurred_at = models.DateTimeField()
    local_hour = models.DateTimeField()
    total = models.DecimalField(max_digits=14, decimal_places=4)
    currency = models.CharField(max_length=3)
    session_id = models.CharField(max_length=64)
    cart_id = models.CharField(max_length=64, blank=True)
    device = models.CharField(max_length=16, blank=True)
    channel = models.CharField(max_length=32, blank=True)
    country = models.CharField(max_length=2, blank=True)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["store", "local_hour"], name="events_purchase_hour"),
            models.Index(fields=["store", "session_id"], name="events_purchase_session"),
        ]

    def __str__(self) -> str:
        return self.order_ref


class RollupFigures(models.Model):
    sessions = models.PositiveIntegerField(default=0)
    product_view_sessions = models.PositiveIntegerField(default=0)
    add_to_cart_sessions = models.PositiveIntegerField(default=0)
    checkout_sessions = models.PositiveIntegerField(default=0)
    purchase_sessions = models.PositiveIntegerField(default=0)
    carts = models.PositiveIntegerField(default=0)
    purchased_carts = models.PositiveIntegerField(default=0)
    abandoned_carts = models.PositiveIntegerField(default=0)  # recovered ones included
    abandoned_value = models.DecimalField(max_digits=16, decimal_places=4, default=0)
    recovered_carts = models.PositiveIntegerField(default=0)
    recovered_revenue = models.DecimalField(max_digits=16, decimal_places=4, default=0)
    orders = models.PositiveIntegerField(default=0)  # purchase events, one per order id
    revenue = models.DecimalField(max_digits=16, decimal_places=4, default=0)

    class Meta:
        abstract = True


FIGURES = [f.name for f in RollupFigures._meta.local_fields]


class HourRollup(RollupFigures):
    """Per store-local hour (naive local time stored as if UTC) and device, channel, country."""

    pk = models.CompositePrimaryKey("store", "hour", "device", "channel", "country")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    device = models.CharField(max_length=16, blank=True)
    channel = models.CharField(max_length=32, blank=True)
    country = models.CharField(max_length=2, blank=True)

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H}:00 {self.device}/{self.channel}/{self.country}"


class DayRollup(RollupFigures):
    """Per store-local day and device, channel, country: the sum of its hours."""

    pk = models.CompositePrimaryKey("store", "day", "device", "channel", "country")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    device = models.CharField(max_length=16, blank=True)
    channel = models.CharField(max_length=32, blank=True)
    country = models.CharField(max_length=2, blank=True)

    def __str__(self) -> str:
        return f"{self.day} {self.device}/{self.channel}/{self.country}"


class LandingPageDayRollup(models.Model):
    """Sessions and their conversions per store-local day and landing page."""

    pk = models.CompositePrimaryKey("store", "day", "landing_page")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    landing_page = models.CharField(max_length=512, blank=True)  # the path, no query
    sessions = models.PositiveIntegerField(default=0)
    purchase_sessions = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day} {self.landing_page}"


class RollupState(models.Model):
    """The rollup's watermark in ingestion order: the events of every transaction id below
    ``txid_done`` are folded, except those of ``txid_pending`` (transactions still running at the
    last run, folded once they end); carts whose abandonment moment is before ``checked_until``
    are counted abandoned."""

    name = models.CharField(max_length=32, primary_key=True)
    txid_done = models.BigIntegerField(default=0)
    txid_pending = ArrayField(models.BigIntegerField(), default=list, blank=True)
    checked_until = models.DateTimeField(null=True)
    refreshed_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return self.name
