"""Variants: create, update, delete (one at a time or from the product form)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction

from apps.audit.services import audit_record, changes_between
from apps.catalog import inputs
from apps.catalog.models import (
    InventoryMovement,
    InventoryReason,
    Product,
    Variant,
)
from apps.catalog.services.common import (
    VARIANT_FIELDS,
    _actor_user,
    _clean_stock,
    _clean_variant_fields,
    _lock_product,
    _prefixed,
    _snapshot,
)
from apps.core.exceptions import DomainError, NotFound
from apps.core.models import Store


def _variant_create(
    *, store: Store, actor, product: Product, data: Mapping[str, Any], prefix: str = ""
) -> Variant:
    unknown = set(data) - set(VARIANT_FIELDS) - {"stock_quantity"}
    if unknown:
        field = sorted(unknown)[0]
        raise DomainError(f"Unknown field {field}.", field=_prefixed(prefix, field))
    cleaned = _clean_variant_fields(store, data, variant=None, prefix=prefix)
    stock = _clean_stock(data.get("stock_quantity") or 0, field=_prefixed(prefix, "stock_quantity"))
    if "position" not in cleaned:
        cleaned["position"] = Variant.objects.for_store(store).filter(product=product).count()
    try:
        with transaction.atomic():
            variant = Variant.objects.create(
                store=store, product=product, stock_quantity=stock, **cleaned
            )
    except IntegrityError:
        raise DomainError(
            f"The SKU {cleaned['sku']} is already used by another variant.",
            field=_prefixed(prefix, "sku"),
        ) from None
    audit_record(
        store=store,
        actor=actor,
        action="variant.created",
        target=variant,
        changes=changes_between(
            {}, {**_snapshot(variant, VARIANT_FIELDS), "stock_quantity": stock}
        ),
    )
    if stock:
        InventoryMovement.objects.create(
            store=store,
            variant=variant,
            delta=stock,
            quantity_after=stock,
            reason=InventoryReason.RECEIVED,
            note="Opening stock",
            actor=_actor_user(actor),
        )
    return variant


@transaction.atomic
def variant_create(*, store: Store, actor, product: Product, **fields: Any) -> Variant:
    """Add a variant: ``sku``, ``price`` (required), ``option_values``, ``compare_at_price``,
    ``cost``, ``weight``, ``weight_unit``, ``barcode``, ``stock_quantity`` (opening stock,
    recorded as received), ``track_inventory``."""
    product = _lock_product(store, product)
    count = Variant.objects.for_store(store).filter(product=product).count()
    inputs.variant_count(count + 1, before=count, field="product")
    return _variant_create(store=store, actor=actor, product=product, data=fields)


def _variant_update(
    *, store: Store, actor, variant: Variant, data: Mapping[str, Any], prefix: str = ""
) -> Variant:
    unknown = set(data) - set(VARIANT_FIELDS)
    if "stock_quantity" in data:
        raise DomainError(
            "Change stock with a stock adjustment, which records the reason.",
            field=_prefixed(prefix, "stock_quantity"),
        )
    if unknown:
        field = sorted(unknown)[0]
        raise DomainError(f"Unknown field {field}.", field=_prefixed(prefix, field))
    variant = Variant.objects.for_store(store).select_for_update().get(pk=variant.pk)
    cleaned = _clean_variant_fields(store, data, variant=variant, prefix=prefix)
    before = _snapshot(variant, VARIANT_FIELDS)
    for name, value in cleaned.items():
        setattr(variant, name, value)
    if variant.track_inventory and variant.stock_quantity < 0:
        raise DomainError(
            "This variant has negative stock; count it before tracking inventory again.",
            field=_prefixed(prefix, "track_inventory"),
        )
    changes = changes_between(before, _snapshot(variant, VARIANT_FIELDS))
    if changes:
        try:
            with transaction.atomic():
                variant.save()
        except IntegrityError:
            raise DomainError(
                f"The SKU {variant.sku} is already used by another variant.",
                field=_prefixed(prefix, "sku"),
            ) from None
        audit_record(
            store=store, actor=actor, action="variant.updated", target=variant, changes=changes
        )
    return variant


@transaction.atomic
def variant_update(*, store: Store, actor, variant: Variant, **fields: Any) -> Variant:
    """Change the given variant fields. Stock is changed with ``stock_adjust`` only."""
    if not Variant.objects.for_store(store).filter(pk=variant.pk).exists():
        raise NotFound("This variant does not exist in this store.", field="variant")
    return _variant_update(store=store, actor=actor, variant=variant, data=fields)


@transaction.atomic
def variant_delete(*, store: Store, actor, variant: Variant) -> None:
    variant = Variant.objects.for_store(store).select_for_update().filter(pk=variant.pk).first()
    if variant is None:
        raise NotFound("This variant does not exist in this store.", field="variant")
    audit_record(
        store=store,
        actor=actor,
        action="variant.deleted",
        target=variant,
        changes={"sku": [variant.sku, None], "stock_quantity": [variant.stock_quantity, None]},
    )
    variant.delete()
