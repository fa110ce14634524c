"""What the order keeps of the store's shipping and payment settings as they were at purchase.

The shipping and payment apps (carriers, services with their tracking URL templates, payment
methods with fees) are built on another branch. Until they are merged, these two functions take
what the order's payload gives; afterwards they will look the service / method up in the
store's settings by its code and fill in what the payload left out. They are the only place
that will change: the order keeps a copy either way, never a live join.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from apps.core.models import Store


@dataclass(frozen=True)
class ShippingSnapshot:
    service_code: str
    service_name: str
    carrier: str
    tracking_url_template: str
    price: str
    delivery_estimate: str


@dataclass(frozen=True)
class PaymentSnapshot:
    method_code: str
    method_name: str
    reference: str
    fee: str


def order_shipping_snapshot(
    *, store: Store, service_code: str, given: Mapping[str, str]
) -> ShippingSnapshot:
    """The shipping service named ``service_code`` as the order keeps it."""
    return ShippingSnapshot(
        service_code=service_code,
        service_name=given.get("name") or service_code,
        carrier=given.get("carrier", ""),
        tracking_url_template=given.get("tracking_url_template", ""),
        price=given.get("price", "0.00"),
        delivery_estimate=given.get("delivery_estimate", ""),
    )


def order_payment_snapshot(
    *, store: Store, method_code: str, given: Mapping[str, str]
) -> PaymentSnapshot:
    """The payment method named ``method_code`` as the order keeps it."""
    return PaymentSnapshot(
        method_code=method_code,
        method_name=given.get("name") or method_code,
        reference=given.get("reference", ""),
        fee=given.get("fee", "0.00"),
    )
