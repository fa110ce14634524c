"""What a checkout reads of the catalog, as plain data: the variants of a cart by SKU (price,
weight in kg, tags, category), the category ancestry a rate's category exclusions need, and
SKU suggestions for the checkout simulator. The storefront's checkout calls these instead of
querying catalog models itself."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from apps.catalog.models import Category, ProductStatus, Variant
from apps.core import configcache
from apps.core.models import Store

ANCESTRY_CACHE_SECONDS = 24 * 3600  # a category write gives the store a new config version

# a variant's weight unit → kilograms
KG_PER_UNIT = {
    "g": Decimal("0.001"),
    "kg": Decimal("1"),
    "lb": Decimal("0.45359237"),
    "oz": Decimal("0.028349523125"),
}


@dataclass(frozen=True)
class CartVariant:
    sku: str
    price: Decimal
    weight_kg: Decimal  # of one unit
    is_for_sale: bool  # its product is active
    tags: frozenset[str]  # lower case
    category_id: int | None


def weight_kg(weight: Decimal | None, unit: str) -> Decimal:
    return (weight or Decimal("0")) * KG_PER_UNIT.get(unit, Decimal(1))


def cart_variants(*, store: Store, skus: Iterable[str]) -> dict[str, CartVariant]:
    """The store's variants with these SKUs, by SKU (one query, plain rows: the storefront's
    quote calls this on every request)."""
    rows = (
        Variant.objects.for_store(store)
        .filter(sku__in=set(skus))
        .order_by()  # a dict by SKU: the model's ordering would only cost a sort
        .values_list(
            "sku",
            "price",
            "weight",
            "weight_unit",
            "product__status",
            "product__tags",
            "product__category_id",
        )  # fmt: skip
    )
    return {
        sku: CartVariant(
            sku=sku,
            price=price,
            weight_kg=weight_kg(weight, unit),
            is_for_sale=status == ProductStatus.ACTIVE,
            tags=frozenset(tag.lower() for tag in tags),
            category_id=category_id,
        )
        for sku, price, weight, unit, status, tags, category_id in rows
    }


def category_ancestry_build(*, store: Store) -> dict[int, frozenset[int]]:
    """Each category → itself and every category above it (one query)."""
    parents = dict(Category.objects.for_store(store).values_list("pk", "parent_id"))
    found: dict[int, frozenset[int]] = {}
    for pk in parents:
        chain, current = [], pk
        while current is not None and current not in chain:
            chain.append(current)
            current = parents.get(current)
        found[pk] = frozenset(chain)
    return found


def category_ancestry(*, store: Store) -> dict[int, frozenset[int]]:
    """The ancestry, kept with the store's checkout config (apps/core/configcache.py): every
    category write (create, re-parent, delete) bumps the store's config version, so a quote
    reads it without a query while the tree is unchanged."""
    return configcache.store_config(
        "category-ancestry",
        store.pk,
        lambda: category_ancestry_build(store=store),
        timeout=ANCESTRY_CACHE_SECONDS,
    )


def sku_suggestions(*, store: Store, q: str, limit: int = 20) -> list[Variant]:
    """Up to ``limit`` variants whose SKU holds ``q``, by SKU, with their products."""
    q = q.strip()
    if not q:
        return []
    return list(
        Variant.objects.for_store(store)
        .filter(sku__icontains=q)
        .select_related("product")
        .order_by("sku")[:limit]
    )
