"""Shared checks of catalog input: money, counts, tags, handles, product and variant fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.utils.text import slugify

from apps.catalog import inputs
from apps.catalog.inputs import MAX_TAGS
from apps.catalog.models import (
    Category,
    Product,
    Variant,
)
from apps.core.exceptions import DomainError, NotFound
from apps.core.inputs import CENT, MAX_PRICE
from apps.core.models import Store

__all__ = ["CENT", "MAX_PRICE", "MAX_TAGS", "PRODUCT_FIELDS", "VARIANT_FIELDS", "clean_tags"]

PRODUCT_FIELDS = (
    "title",
    "handle",
    "description",
    "status",
    "category",
    "tags",
    "vendor",
    "seo_title",
    "seo_description",
    "low_stock_threshold",
)
# a product's one-line text fields and the words their messages use
TEXT_LABELS = {"vendor": "vendor", "seo_title": "SEO title", "seo_description": "SEO description"}
# the one list of a variant's editable fields: the services, the product form's rows, the API's
# input and output serializers and the import's variant columns are checked against it
VARIANT_FIELDS = (
    "sku",
    "option_values",
    "price",
    "compare_at_price",
    "cost",
    "weight",
    "weight_unit",
    "barcode",
    "track_inventory",
    "position",
)


def _snapshot(obj, fields: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


def _prefixed(prefix: str, field: str) -> str:
    return f"{prefix}.{field}" if prefix else field


def _money(
    value: Any, *, field: str, label: str, required: bool = True, currency: str | None = None
) -> Decimal | None:
    return inputs.money(value, field=field, label=label, required=required, currency=currency)


def _whole(value: Any, *, field: str, label: str, minimum: int | None = 0) -> int:
    return inputs.count(value, field=field, label=label, minimum=minimum)


def clean_tags(raw: Iterable[str] | str | None) -> list[str]:
    """Tags from a list or a comma-separated string (the rules are ``inputs.tags``)."""
    return inputs.tags(raw)


def _category_for(store: Store, category: Category | int | str | None) -> Category | None:
    if category in (None, ""):
        return None
    if isinstance(category, Category):
        if category.store_id != store.pk:
            raise DomainError("This category does not exist in this store.", field="category")
        return category
    try:
        category_id = int(category)
    except (TypeError, ValueError):
        raise DomainError(f"{category} is not a category.", field="category") from None
    found = Category.objects.for_store(store).filter(pk=category_id).first()
    if found is None:
        raise DomainError(
            f"Category {category_id} does not exist in this store; pick one from the list.",
            field="category",
        )
    return found


def _unique_handle(store: Store, base: str, exclude_pk: int | None = None) -> str:
    base = (base or "product")[:240].strip("-") or "product"
    taken = set(
        Product.objects.for_store(store)
        .filter(handle__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("handle", flat=True)
    )
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _check_handle(store: Store, handle: str, exclude_pk: int | None = None) -> str:
    handle = inputs.handle(handle)
    duplicate = Product.objects.for_store(store).filter(handle=handle).exclude(pk=exclude_pk)
    if duplicate.exists():
        raise DomainError(
            f"Another product already uses the handle “{handle}”; choose another.",
            field="handle",
        )
    return handle


def _clean_product_fields(
    store: Store, data: Mapping[str, Any], *, product: Product | None
) -> dict[str, Any]:
    """Validate the product fields present in ``data``; returns model-ready values."""
    cleaned: dict[str, Any] = {}
    if "title" in data or product is None:
        cleaned["title"] = inputs.line(
            data.get("title"),
            field="title",
            label="title",
            required=True,
            required_message="Enter a title.",
        )
    if "handle" in data and data["handle"]:
        cleaned["handle"] = _check_handle(
            store, str(data["handle"]), exclude_pk=product.pk if product else None
        )
    elif product is None:
        cleaned["handle"] = _unique_handle(store, slugify(cleaned["title"]))
    if "status" in data:
        cleaned["status"] = inputs.status(data["status"])
    if "category" in data:
        cleaned["category"] = _category_for(store, data["category"])
    if "tags" in data:
        cleaned["tags"] = clean_tags(data["tags"])
    for name, label in TEXT_LABELS.items():
        if name in data:
            cleaned[name] = inputs.line(data[name], field=name, label=label)
    if "description" in data:
        cleaned["description"] = str(data["description"] or "").strip()
    if "low_stock_threshold" in data:
        cleaned["low_stock_threshold"] = _whole(
            data["low_stock_threshold"], field="low_stock_threshold", label="low stock threshold"
        )
    return cleaned


def _clean_variant_fields(
    store: Store,
    data: Mapping[str, Any],
    *,
    variant: Variant | None,
    prefix: str = "",
) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}

    def name(field: str) -> str:
        return _prefixed(prefix, field)

    if "sku" in data or variant is None:
        sku = inputs.sku(data.get("sku"), field=name("sku"))
        clash = Variant.objects.for_store(store).filter(sku=sku)
        if variant is not None:
            clash = clash.exclude(pk=variant.pk)
        other = clash.select_related("product").first()
        if other is not None:
            raise DomainError(
                f"The SKU {sku} is already used by “{other.product.title}”.", field=name("sku")
            )
        cleaned["sku"] = sku
    if "price" in data or variant is None:
        cleaned["price"] = _money(
            data.get("price"), field=name("price"), label="price", currency=store.currency
        )
    for field, label in (("compare_at_price", "compare-at price"), ("cost", "cost")):
        if field in data:
            cleaned[field] = _money(
                data[field], field=name(field), label=label, required=False, currency=store.currency
            )
    if "weight" in data:
        cleaned["weight"] = inputs.weight(data["weight"], field=name("weight"))
    if "weight_unit" in data:
        cleaned["weight_unit"] = inputs.weight_unit(data["weight_unit"], field=name("weight_unit"))
    if "barcode" in data:
        cleaned["barcode"] = inputs.barcode(data["barcode"], field=name("barcode"))
    if "option_values" in data:
        options = data["option_values"] or {}
        if not isinstance(options, Mapping):
            raise DomainError("Options must be pairs like Size: M.", field=name("option_values"))
        cleaned["option_values"] = {
            str(key).strip(): str(value).strip()
            for key, value in options.items()
            if str(key).strip() and str(value).strip()
        }
    if "track_inventory" in data:
        cleaned["track_inventory"] = bool(data["track_inventory"])
    if "position" in data and data["position"] is not None:
        cleaned["position"] = _whole(data["position"], field=name("position"), label="position")
    price = cleaned.get("price", variant.price if variant else None)
    compare = cleaned.get("compare_at_price", variant.compare_at_price if variant else None)
    inputs.compare_at_price_checked(
        price=price,
        compare_at_price=compare,
        field=name("compare_at_price"),
        currency=store.currency,
    )
    return cleaned


def _clean_stock(value: Any, *, field: str) -> int:
    return _whole(value, field=field, label="stock")


def _lock_product(store: Store, product: Product | int) -> Product:
    pk = product.pk if isinstance(product, Product) else product
    found = Product.objects.for_store(store).select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound("This product does not exist in this store.", field="product")
    return found


def _actor_user(actor):
    return (
        actor if getattr(actor, "pk", None) and getattr(actor, "is_authenticated", False) else None
    )
