"""What the order services share: the timeline entry, the locked order, the order number."""

from __future__ import annotations

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from apps.core.models import Store
from apps.customers.services import actor_parts
from apps.orders.models import Order, OrderEvent

FIRST_ORDER_NUMBER = 1001
_NUMBER_LOCK = 7_100_001  # pg_advisory_xact_lock(class, store id): one number at a time


def event_add(
    *, store: Store, order: Order, kind: str, actor, message: str = "", data=None, when=None
) -> OrderEvent:
    user, label = actor_parts(actor)
    return OrderEvent.objects.create(
        store=store,
        order=order,
        kind=kind,
        message=message,
        actor=user,
        actor_label=label,
        occurred_at=when or timezone.now(),
        data=data or {},
    )


def order_lock(*, store: Store, order: Order) -> Order:
    """The order's row, locked for the rest of the transaction (read fresh)."""
    return Order.objects.select_for_update().get(store=store, pk=order.pk)


def order_number_next(*, store: Store) -> int:
    """The store's next order number (inside the caller's transaction, one at a time)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_NUMBER_LOCK, store.pk])
    highest = Order.objects.filter(store=store).aggregate(top=Max("number"))["top"]
    return (highest or FIRST_ORDER_NUMBER - 1) + 1
