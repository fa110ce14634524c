"""Shared checks of catalog input: money, counts, tags, handles, product and variant fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.text import slugify

from apps.catalog.models import (
    Category,
    Product,
    ProductStatus,
    Variant,
    WeightUnit,
)
from apps.core.exceptions import DomainError, NotFound
from apps.core.models import Store

CENT = Decimal("0.01")
MAX_PRICE = Decimal("9999999999.99")
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
MAX_TAGS = 50


def _snapshot(obj, fields: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


def _prefixed(prefix: str, field: str) -> str:
    return f"{prefix}.{field}" if prefix else field


def _money(value: Any, *, field: str, label: str, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise DomainError(f"Enter a {label}.", field=field)
        return None
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        raise DomainError(f"{value} is not an amount; write it like 19.90.", field=field) from None
    if amount < 0:
        raise DomainError(f"The {label} cannot be negative.", field=field)
    if amount > MAX_PRICE:
        raise DomainError(f"The {label} is too large.", field=field)
    return amount


def _whole(value: Any, *, field: str, label: str, minimum: int | None = 0) -> int:
    if isinstance(value, bool) or value in (None, ""):
        raise DomainError(f"Enter the {label} as a whole number.", field=field)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(f"The {label} must be a whole number.", field=field) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise DomainError(f"The {label} must be a whole number.", field=field)
    if minimum is not None and number < minimum:
        raise DomainError(f"The {label} cannot be below {minimum}.", field=field)
    if abs(number) > 2_000_000_000:
        raise DomainError(f"The {label} is too large.", field=field)
    return int(number)


def clean_tags(raw: Iterable[str] | str | None) -> list[str]:
    """Tags from a list or a comma-separated string: trimmed, de-duplicated, order kept."""
    if raw is None:
        return []
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    tags: list[str] = []
    seen: set[str] = set()
    for item in items:
        tag = " ".join(str(item).split())
        if not tag:
            continue
        if len(tag) > 50:
            raise DomainError(f"The tag “{tag[:20]}…” is longer than 50 characters.", field="tags")
        if tag.lower() not in seen:
            seen.add(tag.lower())
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise DomainError(f"A product can have at most {MAX_TAGS} tags.", field="tags")
    return tags


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
    handle = handle.strip().lower()
    if handle != slugify(handle) or not handle:
        raise DomainError(
            "Use only lowercase letters, digits and hyphens in the handle, e.g. linen-shirt.",
            field="handle",
        )
    if len(handle) > 255:
        raise DomainError("The handle is longer than 255 characters.", field="handle")
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
        title = " ".join(str(data.get("title") or "").split())
        if not title:
            raise DomainError("Enter a title.", field="title")
        if len(title) > 255:
            raise DomainError("The title is longer than 255 characters.", field="title")
        cleaned["title"] = title
    if "handle" in data and data["handle"]:
        cleaned["handle"] = _check_handle(
            store, str(data["handle"]), exclude_pk=product.pk if product else None
        )
    elif product is None:
        cleaned["handle"] = _unique_handle(store, slugify(cleaned["title"]))
    if "status" in data:
        if data["status"] not in ProductStatus.values:
            raise DomainError(
                f"{data['status']} is not a status; use draft, active or archived.",
                field="status",
            )
        cleaned["status"] = data["status"]
    if "category" in data:
        cleaned["category"] = _category_for(store, data["category"])
    if "tags" in data:
        cleaned["tags"] = clean_tags(data["tags"])
    for name, limit in (("vendor", 120), ("seo_title", 70), ("seo_description", 320)):
        if name in data:
            value = " ".join(str(data[name] or "").split())
            if len(value) > limit:
                label = name.replace("seo_", "SEO ").replace("_", " ")
                raise DomainError(f"The {label} is longer than {limit} characters.", field=name)
            cleaned[name] = value
    if "description" in data:
        cleaned["description"] = str(data["description"] or "").strip()
    if "low_stock_threshold" in data:
        cleaned["low_stock_threshold"] = _whole(
            data["low_stock_threshold"], field="low_stock_threshold", label="low-stock threshold"
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
        sku = str(data.get("sku") or "").strip()
        if not sku:
            raise DomainError("Enter a SKU.", field=name("sku"))
        if len(sku) > 64:
            raise DomainError("The SKU is longer than 64 characters.", field=name("sku"))
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
        cleaned["price"] = _money(data.get("price"), field=name("price"), label="price")
    for field, label in (("compare_at_price", "compare-at price"), ("cost", "cost")):
        if field in data:
            cleaned[field] = _money(data[field], field=name(field), label=label, required=False)
    if "weight" in data:
        weight = data["weight"]
        if weight in (None, ""):
            cleaned["weight"] = None
        else:
            try:
                cleaned["weight"] = Decimal(str(weight)).quantize(Decimal("0.001"))
            except (InvalidOperation, ValueError):
                raise DomainError(f"{weight} is not a weight.", field=name("weight")) from None
            if cleaned["weight"] < 0:
                raise DomainError("The weight cannot be negative.", field=name("weight"))
    if "weight_unit" in data:
        if data["weight_unit"] not in WeightUnit.values:
            raise DomainError(
                f"{data['weight_unit']} is not a weight unit; use g, kg, lb or oz.",
                field=name("weight_unit"),
            )
        cleaned["weight_unit"] = data["weight_unit"]
    if "barcode" in data:
        barcode = str(data["barcode"] or "").strip()
        if len(barcode) > 64:
            raise DomainError("The barcode is longer than 64 characters.", field=name("barcode"))
        cleaned["barcode"] = barcode
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
    if compare is not None and price is not None and compare < price:
        raise DomainError(
            f"The compare-at price ({compare}) must be at least the price ({price}), "
            "or left empty.",
            field=name("compare_at_price"),
        )
    return cleaned


def _clean_stock(value: Any, *, field: str) -> int:
    return _whole(value, field=field, label="stock quantity")


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
