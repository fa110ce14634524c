"""Variant reads: one variant, the variant list, stock history and the low-stock list."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import (
    F,
    Q,
    QuerySet,
)

from apps.catalog.models import (
    InventoryMovement,
    ProductStatus,
    Variant,
)
from apps.core.models import Store
from apps.core.selectors import object_get


def variant_get(*, store: Store, variant_id: int) -> Variant:
    return object_get(
        Variant.objects.for_store(store).select_related("product", "product__category"),
        not_found="No such variant.",
        pk=variant_id,
    )


def variant_list(*, store: Store, params: Mapping[str, str] | None = None) -> QuerySet[Variant]:
    """Variants of the store; ``params`` may carry ``product`` (id), ``q`` (SKU or barcode)."""
    params = params or {}
    queryset = Variant.objects.for_store(store).select_related("product")
    product = params.get("product") or ""
    if product:
        try:
            queryset = queryset.filter(product_id=int(product))
        except ValueError:
            return queryset.none()
    q = (params.get("q") or "").strip()
    if q:
        queryset = queryset.filter(Q(sku__icontains=q) | Q(barcode=q))
    return queryset.order_by("product_id", "position", "id")


def variant_movements(*, store: Store, variant: Variant) -> QuerySet[InventoryMovement]:
    return (
        InventoryMovement.objects.for_store(store)
        .filter(variant=variant)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def low_stock_variants(*, store: Store) -> QuerySet[Variant]:
    """Tracked variants at or below their product's low-stock threshold, emptiest first.

    ``inputs.variant_is_low`` as a query (archived products left out); the stock-state
    agreement test holds the two together."""
    return (
        Variant.objects.for_store(store)
        .filter(track_inventory=True, stock_quantity__lte=F("product__low_stock_threshold"))
        .exclude(product__status=ProductStatus.ARCHIVED)
        .select_related("product")
        .order_by("stock_quantity", "product__title", "id")
    )
