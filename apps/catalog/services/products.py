"""Products: create, update, save together with their variants, delete."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction

from apps.audit.services import audit_record, changes_between
from apps.catalog import inputs
from apps.catalog.models import (
    InventoryReason,
    Product,
    ProductImage,
    Variant,
)
from apps.catalog.services.common import (
    PRODUCT_FIELDS,
    _clean_product_fields,
    _clean_stock,
    _lock_product,
    _snapshot,
)
from apps.catalog.services.images import _delete_files
from apps.catalog.services.stock import stock_set
from apps.catalog.services.variants import _variant_create, _variant_update, variant_delete
from apps.core.exceptions import DomainError
from apps.core.models import Store


def _check_batch_skus(variants: Sequence[Mapping[str, Any]], start: int = 0) -> None:
    seen: dict[str, int] = {}
    for index, data in enumerate(variants, start=start):
        sku = str(data.get("sku") or "").strip()
        if sku and sku in seen:
            raise DomainError(
                f"The SKU {sku} appears twice in this product's variants.",
                field=f"variants[{index}].sku",
            )
        seen[sku] = index


@transaction.atomic
def product_create(
    *, store: Store, actor, variants: Sequence[Mapping[str, Any]] = (), **fields: Any
) -> Product:
    """Create a product (and its variants, each ``{"sku", "price", "stock_quantity", …}``).

    Product fields: ``title`` (required), ``handle`` (made from the title when empty),
    ``description``, ``status``, ``category`` (a Category or its id), ``tags``, ``vendor``,
    ``seo_title``, ``seo_description``, ``low_stock_threshold``.
    """
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise DomainError(f"Unknown field {sorted(unknown)[0]}.", field=sorted(unknown)[0])
    inputs.variant_count(len(variants))
    cleaned = _clean_product_fields(store, fields, product=None)
    _check_batch_skus(variants)
    try:
        with transaction.atomic():
            product = Product.objects.create(store=store, **cleaned)
    except IntegrityError:
        raise DomainError(
            f"Another product already uses the handle “{cleaned['handle']}”.", field="handle"
        ) from None
    audit_record(
        store=store,
        actor=actor,
        action="product.created",
        target=product,
        changes=changes_between({}, _snapshot(product, PRODUCT_FIELDS)),
    )
    for index, data in enumerate(variants):
        _variant_create(
            store=store, actor=actor, product=product, data=data, prefix=f"variants[{index}]"
        )
    return product


@transaction.atomic
def product_update(*, store: Store, actor, product: Product, **fields: Any) -> Product:
    """Change the given product fields (only those passed)."""
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise DomainError(f"Unknown field {sorted(unknown)[0]}.", field=sorted(unknown)[0])
    product = _lock_product(store, product)
    cleaned = _clean_product_fields(store, fields, product=product)
    before = _snapshot(product, PRODUCT_FIELDS)
    for name, value in cleaned.items():
        setattr(product, name, value)
    changes = changes_between(before, _snapshot(product, PRODUCT_FIELDS))
    if changes:
        try:
            with transaction.atomic():
                product.save()
        except IntegrityError:
            raise DomainError(
                f"Another product already uses the handle “{product.handle}”.", field="handle"
            ) from None
        audit_record(
            store=store, actor=actor, action="product.updated", target=product, changes=changes
        )
    return product


@transaction.atomic
def product_save_with_variants(
    *,
    store: Store,
    actor,
    product: Product | None,
    fields: Mapping[str, Any],
    variants: Sequence[Mapping[str, Any]],
) -> Product:
    """The product form's save: the product, then its variant rows in order.

    Each row is ``{"id": <variant id or None>, "delete": bool, **variant fields,
    "stock_quantity": n}``. A changed stock quantity on an existing variant is recorded as a
    stock count correction. Errors name ``variants[i].<field>``.
    """
    _check_batch_skus([row for row in variants if not row.get("delete")])
    if product is None:
        product = product_create(store=store, actor=actor, **fields)
    else:
        product = product_update(store=store, actor=actor, product=product, **fields)
    existing = {v.pk: v for v in Variant.objects.for_store(store).filter(product=product)}
    # the product is locked now (product_update; a new one is ours): count what it will have
    removed = {int(row["id"]) for row in variants if row.get("id") and row.get("delete")}
    added = sum(1 for row in variants if not row.get("id") and not row.get("delete"))
    inputs.variant_count(len(existing.keys() - removed) + added, before=len(existing))
    # deletions first, so that a SKU freed by a removed row can be reused by another
    for row in variants:
        if row.get("id") and row.get("delete"):
            variant = existing.get(int(row["id"]))
            if variant is not None:
                variant_delete(store=store, actor=actor, variant=variant)
    position = 0
    for index, row in enumerate(variants):
        if row.get("delete"):
            continue
        prefix = f"variants[{index}]"
        data = {key: value for key, value in row.items() if key not in {"id", "delete"}}
        data["position"] = position
        position += 1
        if row.get("id"):
            variant = existing.get(int(row["id"]))
            if variant is None:
                raise DomainError("This variant no longer exists.", field=f"{prefix}.sku")
            stock = data.pop("stock_quantity", None)
            _variant_update(store=store, actor=actor, variant=variant, data=data, prefix=prefix)
            if stock not in (None, ""):
                quantity = _clean_stock(stock, field=f"{prefix}.stock_quantity")
                if quantity != variant.stock_quantity:
                    stock_set(
                        store=store,
                        actor=actor,
                        variant=variant,
                        quantity=quantity,
                        reason=InventoryReason.CORRECTION,
                        note="Edited on the product page",
                        field=f"{prefix}.stock_quantity",
                    )
        else:
            _variant_create(store=store, actor=actor, product=product, data=data, prefix=prefix)
    return product


@transaction.atomic
def product_delete(*, store: Store, actor, product: Product) -> None:
    product = _lock_product(store, product)
    images = list(ProductImage.objects.for_store(store).filter(product=product))
    audit_record(
        store=store,
        actor=actor,
        action="product.deleted",
        target=product,
        changes={"title": [product.title, None], "handle": [product.handle, None]},
    )
    product.delete()
    for image in images:
        transaction.on_commit(lambda image=image: _delete_files(image))
