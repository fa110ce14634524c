"""Stock: adjustments with a reason, and setting a count (the movements stay)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from apps.audit.services import audit_record
from apps.catalog import inputs
from apps.catalog.models import (
    InventoryMovement,
    InventoryReason,
    Variant,
)
from apps.catalog.services.common import _actor_user, _clean_stock, _whole
from apps.core.exceptions import DomainError, NotFound
from apps.core.models import Store


@transaction.atomic
def stock_adjust(
    *,
    store: Store,
    actor,
    variant: Variant,
    delta: int,
    reason: str,
    note: str = "",
    field: str = "delta",
) -> InventoryMovement:
    """Change a variant's stock by ``delta`` (positive: in, negative: out), with a reason."""
    if reason not in InventoryReason.values:
        raise DomainError("Pick a reason for the stock change.", field="reason")
    delta = _whole(delta, field=field, label="change", minimum=None)
    if delta == 0:
        raise DomainError("Enter a change other than 0.", field=field)
    note = inputs.line(note, field="note", label="note")
    locked = Variant.objects.for_store(store).select_for_update().filter(pk=variant.pk).first()
    if locked is None:
        raise NotFound("This variant does not exist in this store.", field="variant")
    after = locked.stock_quantity + delta
    if after < 0 and locked.track_inventory:
        raise DomainError(
            f"Only {locked.stock_quantity} in stock: removing {-delta} would make it negative.",
            field=field,
        )
    Variant.objects.filter(pk=locked.pk).update(stock_quantity=F("stock_quantity") + delta)
    movement = InventoryMovement.objects.create(
        store=store,
        variant=locked,
        delta=delta,
        quantity_after=after,
        reason=reason,
        note=note,
        actor=_actor_user(actor),
    )
    audit_record(
        store=store,
        actor=actor,
        action="stock.adjusted",
        target=locked,
        changes={"stock_quantity": [locked.stock_quantity, after], "reason": [None, reason]},
    )
    variant.stock_quantity = after
    return movement


def stock_set(
    *,
    store: Store,
    actor,
    variant: Variant,
    quantity: int,
    reason: str = InventoryReason.CORRECTION,
    note: str = "",
    field: str = "quantity",
) -> InventoryMovement | None:
    """Set the stock to ``quantity`` (a count); records the difference as a movement."""
    quantity = _clean_stock(quantity, field=field)
    current = (
        Variant.objects.for_store(store)
        .filter(pk=variant.pk)
        .values_list("stock_quantity", flat=True)
        .first()
    )
    if current is None:
        raise NotFound("This variant does not exist in this store.", field="variant")
    if quantity == current:
        return None
    return stock_adjust(
        store=store,
        actor=actor,
        variant=variant,
        delta=quantity - current,
        reason=reason,
        note=note,
        field=field,
    )
