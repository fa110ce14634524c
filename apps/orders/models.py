"""Orders: the order with its snapshots (shipping, payment, address, customer as they were at
purchase), its lines, its timeline of events, refunds/returns by line, and export jobs."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q

from apps.core.models import Job, StoreOwnedModel
from apps.customers.models import Customer
from apps.orders import rules

ZERO = Decimal("0")


def _money_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=14, decimal_places=2, default=ZERO, **kwargs)


class Channel(models.TextChoices):
    WEB = "web", "Web store"
    APP = "app", "Mobile app"
    MARKETPLACE = "marketplace", "Marketplace"
    POS = "pos", "Point of sale"
    PHONE = "phone", "Phone"


OrderStatus = models.TextChoices(
    "OrderStatus", [(code, (code, label)) for code, label in rules.STATUS_LABELS.items()]
)
EventKind = models.TextChoices(
    "EventKind", [(code, (code, label)) for code, label in rules.EVENT_LABELS.items()]
)


class Order(StoreOwnedModel):
    number = models.PositiveIntegerField()  # per store, shown as #1001
    external_id = models.CharField(max_length=100)  # the store's own order id (idempotency)
    # the order as it was received, normalised: a repeat is compared with it (409 on change)
    ingest_payload = models.JSONField(default=dict, blank=True)
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.WEB)
    source = models.CharField(max_length=100, blank=True)  # e.g. the marketplace's name
    status = models.CharField(max_length=12, choices=OrderStatus.choices, default="placed")
    currency = models.CharField(max_length=3)
    placed_at = models.DateTimeField()
    cart_id = models.CharField(max_length=100, blank=True)

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    # the customer as the order named them
    customer_email = models.CharField(max_length=254, blank=True)
    customer_phone = models.CharField(max_length=16, blank=True)
    customer_name = models.CharField(max_length=201, blank=True)

    # totals at purchase
    subtotal = _money_field()
    discount_total = _money_field()
    shipping_price = _money_field()
    total = _money_field()
    amount_paid = _money_field()
    amount_refunded = _money_field()

    # shipping address as it was
    ship_name = models.CharField(max_length=200, blank=True)
    ship_line1 = models.CharField(max_length=200, blank=True)
    ship_line2 = models.CharField(max_length=200, blank=True)
    ship_city = models.CharField(max_length=100, blank=True)
    ship_region = models.CharField(max_length=100, blank=True)
    ship_postal_code = models.CharField(max_length=20, blank=True)
    ship_country = models.CharField(max_length=2, blank=True)

    # shipping snapshot (services.order_shipping_snapshot) and tracking
    shipping_service_code = models.CharField(max_length=100, blank=True)
    shipping_service_name = models.CharField(max_length=200, blank=True)
    shipping_carrier = models.CharField(max_length=200, blank=True)
    tracking_url_template = models.CharField(max_length=500, blank=True)
    delivery_estimate = models.CharField(max_length=100, blank=True)
    tracking_number = models.CharField(max_length=100, blank=True)

    # payment snapshot (services.order_payment_snapshot)
    payment_method_code = models.CharField(max_length=100, blank=True)
    payment_method_name = models.CharField(max_length=200, blank=True)
    payment_reference = models.CharField(max_length=200, blank=True)
    payment_fee = _money_field()

    class Meta:
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["store", "number"], name="order_unique_store_number"),
            models.UniqueConstraint(
                fields=["store", "external_id"], name="order_unique_store_external_id"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative"),
            models.CheckConstraint(
                condition=Q(amount_refunded__lte=models.F("amount_paid")),
                name="order_refund_not_above_paid",
            ),
        ]
        indexes = [
            models.Index(fields=["store", "placed_at", "id"], name="order_store_placed"),
            models.Index(fields=["store", "status", "placed_at"], name="order_store_status"),
            models.Index(fields=["store", "total", "id"], name="order_store_total"),
            models.Index(fields=["store", "customer_email"], name="order_store_email"),
            models.Index(fields=["store", "tracking_number"], name="order_store_tracking"),
            models.Index(fields=["store", "payment_reference"], name="order_store_payment_ref"),
            models.Index(fields=["customer", "placed_at"], name="order_customer_placed"),
            GinIndex(
                name="order_email_trgm", fields=["customer_email"], opclasses=["gin_trgm_ops"]
            ),
            GinIndex(name="order_name_trgm", fields=["customer_name"], opclasses=["gin_trgm_ops"]),
            GinIndex(
                name="order_phone_trgm", fields=["customer_phone"], opclasses=["gin_trgm_ops"]
            ),
            GinIndex(
                name="order_postal_trgm", fields=["ship_postal_code"], opclasses=["gin_trgm_ops"]
            ),
            GinIndex(
                name="order_tracking_trgm", fields=["tracking_number"], opclasses=["gin_trgm_ops"]
            ),
            GinIndex(
                name="order_payref_trgm", fields=["payment_reference"], opclasses=["gin_trgm_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number}"

    @property
    def tracking_url(self) -> str:
        return rules.tracking_url(self.tracking_url_template, self.tracking_number)

    @property
    def allowed_statuses(self) -> list[str]:
        return rules.allowed_transitions(self.status)

    @property
    def refundable(self) -> Decimal:
        return self.amount_paid - self.amount_refunded


class OrderLine(StoreOwnedModel):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    sku = models.CharField(max_length=64)
    product_name = models.CharField(max_length=255, blank=True)
    variant_title = models.CharField(max_length=255, blank=True)
    image_url = models.CharField(max_length=500, blank=True)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=14, decimal_places=2)
    total = models.DecimalField(max_digits=14, decimal_places=2)
    quantity_returned = models.PositiveIntegerField(default=0)
    amount_refunded = _money_field()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orderline_quantity_positive"),
            models.CheckConstraint(
                condition=Q(amount_refunded__lte=models.F("total")),
                name="orderline_refund_not_above_total",
            ),
            models.CheckConstraint(
                condition=Q(quantity_returned__lte=models.F("quantity")),
                name="orderline_returned_not_above_quantity",
            ),
        ]
        indexes = [
            models.Index(fields=["order", "position"], name="orderline_order_position"),
            models.Index(fields=["store", "sku"], name="orderline_store_sku"),
            GinIndex(name="orderline_sku_trgm", fields=["sku"], opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.sku}"

    @property
    def refundable(self) -> Decimal:
        return self.total - self.amount_refunded

    @property
    def returnable(self) -> int:
        return self.quantity - self.quantity_returned


class OrderEvent(StoreOwnedModel):
    """One entry of the order's timeline: who did what and when. Append-only."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    message = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)
    occurred_at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["order", "-occurred_at"], name="orderevent_order_time")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of order {self.order_id}"


class Refund(StoreOwnedModel):
    """A refund and/or return: amounts and returned quantities by line, plus shipping."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="refunds")
    amount = _money_field()  # lines + shipping
    shipping_amount = _money_field()
    reason = models.CharField(max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Refund {self.pk} of order {self.order_id}"


class RefundLine(models.Model):
    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="refund_lines")
    quantity = models.PositiveIntegerField(default=0)  # items returned
    amount = _money_field()

    def __str__(self) -> str:
        return f"{self.quantity} × line {self.line_id}: {self.amount}"


class OrderExportJob(Job):
    """An export of the order list (its filter in ``params``) built in the background into a
    private CSV; ``processed``/``total`` count orders."""

    params = models.JSONField(default=dict, blank=True)
    filename = models.CharField(max_length=255, blank=True)

    runner = "apps.orders.services.exports.order_export_run"
    file_retention = "exports"

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Export {self.filename or self.pk}"
