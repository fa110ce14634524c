"""Status changes, tracking numbers and internal notes, each on the timeline and audited."""

from __future__ import annotations

from django.db import transaction

from apps.audit.services import audit_record
from apps.core.exceptions import DomainError
from apps.core.models import Store
from apps.core.money import money_format
from apps.customers.inputs import note as note_text
from apps.orders import rules
from apps.orders.models import Order, OrderEvent
from apps.orders.services.common import event_add, order_lock
from apps.orders.services.customers import customer_stats_refresh


@transaction.atomic
def order_status_change(
    *, store: Store, actor, order: Order, status: str, tracking_number: str = ""
) -> Order:
    """Move the order to ``status`` if the rules allow it (``rules.transition_check``);
    shipping records the tracking number, delivered or returned with one corrects it. Paid
    records the total as paid."""
    order = order_lock(store=store, order=order)
    tracking = rules.tracking_number(tracking_number)
    target = str(status or "").strip().lower()
    rules.transition_check(current=order.status, target=target, tracking=tracking)
    before = {"status": order.status, "tracking_number": order.tracking_number}
    order.status = target
    message = ""
    if target == "shipped":
        order.tracking_number = tracking
        carrier = f" with {order.shipping_carrier}" if order.shipping_carrier else ""
        message = f"Shipped{carrier}, tracking number {tracking}."
    elif tracking and tracking != order.tracking_number:  # delivered or returned
        message = f"Tracking number changed from {order.tracking_number or '—'} to {tracking}."
        order.tracking_number = tracking
    elif target == "paid":
        order.amount_paid = order.total
        message = f"Paid {money_format(order.total, order.currency)}."
    order.save()
    event_add(
        store=store,
        order=order,
        kind=target,
        actor=actor,
        message=message,
        data={"tracking_number": tracking} if tracking else {},
    )
    if target == "cancelled" and order.customer_id:
        customer_stats_refresh(store=store, customer_ids=[order.customer_id])
    audit_record(
        store=store,
        actor=actor,
        action=f"order.{target}",
        target=order,
        changes={
            name: [before[name], getattr(order, name)]
            for name in before
            if before[name] != getattr(order, name)
        },
    )
    return order


TRACKED_STATUSES = rules.TRACKED_STATUSES


@transaction.atomic
def order_tracking_update(*, store: Store, actor, order: Order, tracking_number: str) -> Order:
    """Correct the tracking number of a shipped order."""
    order = order_lock(store=store, order=order)
    tracking = rules.tracking_number(tracking_number)
    if order.status not in TRACKED_STATUSES:
        raise DomainError("Ship the order to give it a tracking number.", field="tracking_number")
    if not tracking:
        raise DomainError("Enter the tracking number.", field="tracking_number")
    if tracking == order.tracking_number:
        return order
    before = order.tracking_number
    order.tracking_number = tracking
    order.save(update_fields=["tracking_number", "updated_at"])
    event_add(
        store=store,
        order=order,
        kind="note",
        actor=actor,
        message=f"Tracking number changed from {before or '—'} to {tracking}.",
    )
    audit_record(
        store=store,
        actor=actor,
        action="order.tracking_changed",
        target=order,
        changes={"tracking_number": [before, tracking]},
    )
    return order


@transaction.atomic
def order_note_add(*, store: Store, actor, order: Order, body: str) -> OrderEvent:
    """An internal note on the order's timeline (never shown to the customer)."""
    text = note_text(body)
    event = event_add(store=store, order=order, kind="note", actor=actor, message=text)
    audit_record(
        store=store,
        actor=actor,
        action="order.note_added",
        target=order,
        changes={"note": [None, text[:200]]},
    )
    return event
