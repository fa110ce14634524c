"""Orders arriving from outside (the admin API; later the storefront's purchase event):
idempotent on the store's ``external_id``, all in one transaction.

- A new ``external_id``: the order, its lines (names and images filled from the catalog's
  variant with that SKU when the payload leaves them out), its customer (matched by email,
  else phone, else created), the shipping and payment snapshots, a "placed" event (and "paid"
  when it arrives paid), the customer's figures, and one audit entry.
- The same ``external_id`` again with the same content: the existing order, nothing written.
- The same ``external_id`` with other content: ``OrderConflict`` naming both versions.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone

from apps.audit.services import audit_record, changes_between
from apps.catalog.models import ProductImage, Variant
from apps.core.exceptions import DomainError
from apps.core.models import Store
from apps.core.money import money_format
from apps.customers.services import customer_address_remember, customer_for_order
from apps.orders import inputs
from apps.orders.models import Order, OrderLine
from apps.orders.services.common import event_add, order_number_next
from apps.orders.services.customers import customer_stats_refresh
from apps.orders.services.snapshots import order_payment_snapshot, order_shipping_snapshot


class OrderConflict(DomainError):
    """The ``external_id`` names an order with other content."""

    code = "conflict"

    def __init__(self, *, order: Order, received: dict, fields: list[str]):
        super().__init__(
            f"Order {order.external_id} exists already as #{order.number} with other content "
            f"(different {', '.join(fields)}); it was not changed.",
            field="external_id",
        )
        self.order = order
        self.existing = order.ingest_payload
        self.received = received
        self.fields = fields


def _catalog_details(*, store: Store, skus: list[str]) -> dict[str, dict[str, str]]:
    """Name, variant title and image of the store's variants with these SKUs (two queries)."""
    variants = (
        Variant.objects.for_store(store)
        .filter(sku__in=skus)
        .select_related("product")
        .prefetch_related(
            Prefetch("product__images", queryset=ProductImage.objects.order_by("position", "id"))
        )
    )
    details = {}
    for variant in variants:
        image = next(iter(variant.product.images.all()), None)
        picture = (image.thumbnail or image.image) if image else None
        details[variant.sku] = {
            "product_name": variant.product.title,
            "variant_title": " / ".join(str(value) for value in variant.option_values.values()),
            "image_url": picture.url if picture else "",
        }
    return details


def _existing(*, store: Store, external_id: str, received: dict) -> Order | None:
    order = Order.objects.for_store(store).filter(external_id=external_id).first()
    if order is None:
        return None
    fields = inputs.payload_differences(order.ingest_payload, received)
    if fields:
        raise OrderConflict(order=order, received=received, fields=fields)
    return order


def order_ingest(*, store: Store, actor, data: Any) -> tuple[Order, bool]:
    """Create the order ``data`` describes, or return the one with its ``external_id``;
    returns ``(order, created)``. Raises ``DomainError`` (naming the field) or
    ``OrderConflict``; nothing is written unless everything is valid."""
    cleaned = inputs.order_payload(data, store_currency=store.currency)
    existing = _existing(store=store, external_id=cleaned["external_id"], received=cleaned)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return _order_create(store=store, actor=actor, cleaned=cleaned), True
    except IntegrityError:
        # the same external_id created by a concurrent request: answer as a repeat
        existing = _existing(store=store, external_id=cleaned["external_id"], received=cleaned)
        if existing is None:
            raise
        return existing, False


def _order_create(*, store: Store, actor, cleaned: dict) -> Order:
    totals = inputs.order_totals(cleaned)
    placed_at = (
        datetime.datetime.fromisoformat(cleaned["placed_at"])
        if cleaned["placed_at"]
        else timezone.now()
    )
    customer = customer_for_order(store=store, actor=actor, data=cleaned["customer"])
    address = cleaned["shipping_address"]
    customer_address_remember(store=store, customer=customer, address=address, when=placed_at)
    shipping = order_shipping_snapshot(
        store=store, service_code=cleaned["shipping"]["service"], given=cleaned["shipping"]
    )
    payment = order_payment_snapshot(
        store=store, method_code=cleaned["payment"]["method"], given=cleaned["payment"]
    )
    paid = cleaned["status"] == "paid"
    first, last = cleaned["customer"]["first_name"], cleaned["customer"]["last_name"]
    order = Order.objects.create(
        store=store,
        number=order_number_next(store=store),
        external_id=cleaned["external_id"],
        ingest_payload=cleaned,
        channel=cleaned["channel"],
        source=cleaned["source"],
        status=cleaned["status"],
        currency=cleaned["currency"],
        placed_at=placed_at,
        cart_id=cleaned["cart_id"],
        customer=customer,
        customer_email=cleaned["customer"]["email"] or customer.email,
        customer_phone=cleaned["customer"]["phone"] or customer.phone,
        customer_name=" ".join(p for p in (first, last) if p) or customer.full_name,
        subtotal=totals["subtotal"],
        discount_total=totals["discount_total"],
        shipping_price=totals["shipping_price"],
        total=totals["total"],
        amount_paid=totals["total"] if paid else Decimal("0"),
        ship_name=address.get("name", ""),
        ship_line1=address.get("line1", ""),
        ship_line2=address.get("line2", ""),
        ship_city=address.get("city", ""),
        ship_region=address.get("region", ""),
        ship_postal_code=address.get("postal_code", ""),
        ship_country=address.get("country", ""),
        shipping_service_code=shipping.service_code,
        shipping_service_name=shipping.service_name,
        shipping_carrier=shipping.carrier,
        tracking_url_template=shipping.tracking_url_template,
        delivery_estimate=shipping.delivery_estimate,
        tracking_number=cleaned["shipping"]["tracking_number"],
        payment_method_code=payment.method_code,
        payment_method_name=payment.method_name,
        payment_reference=payment.reference,
        payment_fee=Decimal(payment.fee),
    )
    catalog = _catalog_details(store=store, skus=[line["sku"] for line in cleaned["lines"]])
    OrderLine.objects.bulk_create(
        [
            OrderLine(
                store=store,
                order=order,
                position=position,
                sku=line["sku"],
                product_name=line["product_name"]
                or catalog.get(line["sku"], {}).get("product_name", ""),
                variant_title=line["variant_title"]
                or catalog.get(line["sku"], {}).get("variant_title", ""),
                image_url=line["image_url"] or catalog.get(line["sku"], {}).get("image_url", ""),
                quantity=line["quantity"],
                unit_price=Decimal(line["unit_price"]),
                total=Decimal(line["unit_price"]) * line["quantity"],
            )
            for position, line in enumerate(cleaned["lines"])
        ]
    )
    source = f" via {cleaned['source']}" if cleaned["source"] else ""
    event_add(
        store=store,
        order=order,
        kind="placed",
        actor=actor,
        message=f"Placed on the {order.get_channel_display().lower()}{source}.",
        when=placed_at,
    )
    if paid:
        event_add(
            store=store,
            order=order,
            kind="paid",
            actor=actor,
            message=f"Paid {money_format(order.total, order.currency)}"
            + (f" by {payment.method_name}" if payment.method_name else "")
            + ".",
            when=placed_at,
        )
    customer_stats_refresh(store=store, customer_ids=[customer.pk])
    audit_record(
        store=store,
        actor=actor,
        action="order.created",
        target=order,
        changes=changes_between(
            {}, {"external_id": order.external_id, "total": order.total, "status": order.status}
        ),
    )
    return order
