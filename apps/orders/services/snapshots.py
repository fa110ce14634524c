"""What the order keeps of the store's shipping and payment settings as they were at purchase.

The service / method is looked up in the store's shipping and payment settings by its code
(``apps.shipping.selectors.service_for_order``, ``apps.payments.selectors.method_for_order``);
what the order's payload gives wins (it is what the shopper saw and paid), the settings fill in
what it left out (carrier, service name, tracking URL template, delivery estimate, method name).
An unknown code is kept as sent. The order keeps a copy either way, never a live join, so later
edits to the settings never change a placed order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from apps.core.models import Store
from apps.payments.selectors import method_for_order
from apps.shipping.selectors import service_for_order


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
    known = service_for_order(store=store, code=service_code) if service_code else None
    estimate = ""
    if known is not None:
        days = (
            f"{known.days_min}" if known.days_min == known.days_max
            else f"{known.days_min}–{known.days_max}"
        )  # fmt: skip
        estimate = f"{days} business day{'' if days == '1' else 's'}"
    return ShippingSnapshot(
        service_code=service_code,
        service_name=given.get("name") or (known.service_name if known else service_code),
        carrier=given.get("carrier") or (known.carrier_name if known else ""),
        tracking_url_template=(
            given.get("tracking_url_template") or (known.tracking_url_template if known else "")
        ),
        price=given.get("price", "0.00"),
        delivery_estimate=given.get("delivery_estimate") or estimate,
    )


def order_payment_snapshot(
    *, store: Store, method_code: str, given: Mapping[str, str]
) -> PaymentSnapshot:
    """The payment method named ``method_code`` as the order keeps it."""
    known = method_for_order(store=store, code=method_code) if method_code else None
    return PaymentSnapshot(
        method_code=method_code,
        method_name=given.get("name") or (known.name if known else method_code),
        reference=given.get("reference", ""),
        fee=given.get("fee", "0.00"),
    )
