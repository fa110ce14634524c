"""Catalog writes: categories, products, variants, images, stock and bulk edits.

Every function takes ``store=`` first and ``actor=`` (the user, an API key principal or a
label such as "import"), owns its transaction, checks the business rules and raises
``DomainError`` naming the field at fault, and records an audit entry. Views, the API, the
importer and the demo seeder all come through here.

Field names in errors are the input names: ``sku``, ``price``… for one variant, and
``variants[2].sku`` when a product is created or saved together with its variants.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils.text import slugify

from apps.audit.services import audit_record, audit_record_many, changes_between
from apps.catalog.models import (
    BulkJob,
    BulkJobStatus,
    Category,
    InventoryMovement,
    InventoryReason,
    Product,
    ProductImage,
    ProductStatus,
    Variant,
    WeightUnit,
)
from apps.catalog.rules import PRICE_MODES, compare_at_adjusted, price_adjusted
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
IMAGE_MAX_BYTES = 10 * 1024 * 1024
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
THUMBNAIL_SIZE = (320, 320)
MAX_TAGS = 50


# --- helpers --------------------------------------------------------------------------------------
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


# --- categories -----------------------------------------------------------------------------------
def _unique_slug(store: Store, base: str, exclude_pk: int | None = None) -> str:
    base = (base or "category")[:130]
    taken = set(
        Category.objects.for_store(store)
        .filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def _siblings(store: Store, parent_id: int | None) -> QuerySet[Category]:
    return (
        Category.objects.for_store(store)
        .filter(parent_id=parent_id)
        .order_by("position", "name", "id")
    )


def _renumber(store: Store, parent_id: int | None, ordered: list[Category] | None = None) -> None:
    siblings = ordered if ordered is not None else list(_siblings(store, parent_id))
    changed = []
    for index, category in enumerate(siblings):
        if category.position != index:
            category.position = index
            changed.append(category)
    if changed:
        Category.objects.bulk_update(changed, ["position"])


def _category_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("Enter a name.", field="name")
    if len(name) > 120:
        raise DomainError("The name is longer than 120 characters.", field="name")
    return name


@transaction.atomic
def category_create(
    *, store: Store, actor, name: str, parent: Category | int | None = None, slug: str = ""
) -> Category:
    name = _category_name(name)
    parent_category = _category_for(store, parent)
    if slug:
        slug = slugify(slug)
        if Category.objects.for_store(store).filter(slug=slug).exists():
            raise DomainError(f"Another category already uses “{slug}”.", field="slug")
    else:
        slug = _unique_slug(store, slugify(name))
    parent_id = parent_category.pk if parent_category else None
    position = _siblings(store, parent_id).count()
    category = Category.objects.create(
        store=store, name=name, slug=slug, parent=parent_category, position=position
    )
    audit_record(
        store=store,
        actor=actor,
        action="category.created",
        target=category,
        changes={"name": [None, name], "parent": [None, str(parent_category or "") or None]},
    )
    return category


@transaction.atomic
def category_update(*, store: Store, actor, category: Category, name: str) -> Category:
    category = _lock_category(store, category)
    before = _snapshot(category, ["name"])
    category.name = _category_name(name)
    category.save(update_fields=["name", "updated_at"])
    changes = changes_between(before, _snapshot(category, ["name"]))
    if changes:
        audit_record(
            store=store, actor=actor, action="category.updated", target=category, changes=changes
        )
    return category


def _lock_category(store: Store, category: Category | int) -> Category:
    pk = category.pk if isinstance(category, Category) else category
    found = Category.objects.for_store(store).select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound("This category does not exist in this store.", field="category")
    return found


@transaction.atomic
def category_move(*, store: Store, actor, category: Category, direction: str) -> Category:
    """Swap the category with its previous (``up``) or next (``down``) sibling."""
    if direction not in {"up", "down"}:
        raise DomainError("Move a category up or down.", field="direction")
    category = _lock_category(store, category)
    siblings = list(_siblings(store, category.parent_id))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == category.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
        _renumber(store, category.parent_id, siblings)
        audit_record(
            store=store,
            actor=actor,
            action="category.moved",
            target=category,
            changes={"position": [index, target]},
        )
    category.refresh_from_db()
    return category


@transaction.atomic
def category_set_parent(
    *, store: Store, actor, category: Category, parent: Category | int | None
) -> Category:
    """Put the category (with its subtree) under ``parent``, or at the top when ``None``."""
    category = _lock_category(store, category)
    new_parent = _category_for(store, parent)
    if new_parent is not None:
        ancestor = new_parent
        seen = set()
        while ancestor is not None and ancestor.pk not in seen:
            if ancestor.pk == category.pk:
                raise DomainError(
                    "A category cannot be moved inside itself or one of its subcategories.",
                    field="parent",
                )
            seen.add(ancestor.pk)
            ancestor = (
                Category.objects.for_store(store).filter(pk=ancestor.parent_id).first()
                if ancestor.parent_id
                else None
            )
    new_parent_id = new_parent.pk if new_parent else None
    if new_parent_id == category.parent_id:
        return category
    old_parent_id, old_parent = category.parent_id, category.parent
    category.parent = new_parent
    category.position = _siblings(store, new_parent_id).count()
    category.save(update_fields=["parent", "position", "updated_at"])
    _renumber(store, old_parent_id)
    audit_record(
        store=store,
        actor=actor,
        action="category.moved",
        target=category,
        changes={
            "parent": [str(old_parent) if old_parent else None, str(new_parent or "") or None]
        },
    )
    return category


@transaction.atomic
def category_delete(*, store: Store, actor, category: Category) -> None:
    """Delete the category; its subcategories move up one level, its products lose it."""
    category = _lock_category(store, category)
    parent_id = category.parent_id
    product_count = Product.objects.for_store(store).filter(category=category).count()
    children = list(_siblings(store, category.pk))
    offset = _siblings(store, parent_id).count()
    for index, child in enumerate(children):
        child.parent_id = parent_id
        child.position = offset + index
    Category.objects.bulk_update(children, ["parent", "position"])
    Product.objects.for_store(store).filter(category=category).update(category=None)
    audit_record(
        store=store,
        actor=actor,
        action="category.deleted",
        target=category,
        changes={"name": [category.name, None], "products": [product_count, 0]},
    )
    category.delete()
    _renumber(store, parent_id)


# --- products -------------------------------------------------------------------------------------
def _lock_product(store: Store, product: Product | int) -> Product:
    pk = product.pk if isinstance(product, Product) else product
    found = Product.objects.for_store(store).select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound("This product does not exist in this store.", field="product")
    return found


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


# --- variants -------------------------------------------------------------------------------------
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


# --- stock ----------------------------------------------------------------------------------------
def _actor_user(actor):
    return (
        actor if getattr(actor, "pk", None) and getattr(actor, "is_authenticated", False) else None
    )


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
    note = " ".join((note or "").split())
    if len(note) > 255:
        raise DomainError("The note is longer than 255 characters.", field="note")
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


# --- images ---------------------------------------------------------------------------------------
def _delete_files(image: ProductImage) -> None:
    for file in (image.image, image.thumbnail):
        if file:
            file.delete(save=False)


def _read_image(upload) -> tuple[bytes, str, Any]:
    from PIL import Image, UnidentifiedImageError

    size = getattr(upload, "size", None)
    if size is not None and size > IMAGE_MAX_BYTES:
        raise DomainError(
            f"The image is {size / 1024 / 1024:.1f} MB; the limit is "
            f"{IMAGE_MAX_BYTES // 1024 // 1024} MB.",
            field="image",
        )
    data = upload.read()
    if len(data) > IMAGE_MAX_BYTES:
        raise DomainError(
            f"The image is larger than {IMAGE_MAX_BYTES // 1024 // 1024} MB.", field="image"
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        picture = Image.open(io.BytesIO(data))
        picture.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise DomainError(
            "This file is not an image we can read; upload a JPEG, PNG, WebP or GIF.",
            field="image",
        ) from None
    if picture.format not in IMAGE_FORMATS:
        raise DomainError(
            f"{picture.format} images are not supported; upload a JPEG, PNG, WebP or GIF.",
            field="image",
        )
    return data, IMAGE_FORMATS[picture.format], picture


def _thumbnail(picture) -> tuple[bytes, str]:
    thumb = picture.copy()
    if thumb.mode not in ("RGB", "RGBA"):
        thumb = thumb.convert("RGBA" if "transparency" in thumb.info else "RGB")
    thumb.thumbnail(THUMBNAIL_SIZE)
    out = io.BytesIO()
    thumb.save(out, format="PNG" if thumb.mode == "RGBA" else "JPEG", quality=85)
    return out.getvalue(), ("png" if thumb.mode == "RGBA" else "jpg")


@transaction.atomic
def image_add(*, store: Store, actor, product: Product, upload, alt_text: str = "") -> ProductImage:
    """Attach an uploaded image (JPEG/PNG/WebP/GIF, up to 10 MB) and make its thumbnail."""
    product = _lock_product(store, product)
    alt_text = " ".join((alt_text or "").split())
    if len(alt_text) > 255:
        raise DomainError("The alt text is longer than 255 characters.", field="alt_text")
    data, extension, picture = _read_image(upload)
    thumb_data, thumb_extension = _thumbnail(picture)
    stem = slugify(os.path.splitext(getattr(upload, "name", "") or "")[0])[:60] or "image"
    position = ProductImage.objects.for_store(store).filter(product=product).count()
    image = ProductImage(store=store, product=product, alt_text=alt_text, position=position)
    image.image.save(f"{stem}.{extension}", ContentFile(data), save=False)
    image.thumbnail.save(f"{stem}-thumb.{thumb_extension}", ContentFile(thumb_data), save=False)
    image.save()
    audit_record(
        store=store,
        actor=actor,
        action="product.image_added",
        target=product,
        changes={"image": [None, image.image.name]},
    )
    return image


def _image_for(store: Store, product: Product, image: ProductImage | int) -> ProductImage:
    pk = image.pk if isinstance(image, ProductImage) else image
    found = ProductImage.objects.for_store(store).filter(product=product, pk=pk).first()
    if found is None:
        raise NotFound("This image does not exist on this product.", field="image")
    return found


@transaction.atomic
def image_update(
    *, store: Store, actor, product: Product, image: ProductImage | int, alt_text: str
) -> ProductImage:
    image = _image_for(store, product, image)
    alt_text = " ".join((alt_text or "").split())
    if len(alt_text) > 255:
        raise DomainError("The alt text is longer than 255 characters.", field="alt_text")
    if alt_text != image.alt_text:
        old = image.alt_text
        image.alt_text = alt_text
        image.save(update_fields=["alt_text", "updated_at"])
        audit_record(
            store=store,
            actor=actor,
            action="product.image_updated",
            target=product,
            changes={"alt_text": [old, alt_text]},
        )
    return image


@transaction.atomic
def image_reorder(*, store: Store, actor, product: Product, image_ids: Sequence[int]) -> None:
    """Put the product's images in the order of ``image_ids`` (every image, once)."""
    product = _lock_product(store, product)
    images = {i.pk: i for i in ProductImage.objects.for_store(store).filter(product=product)}
    try:
        ordered_ids = [int(pk) for pk in image_ids]
    except (TypeError, ValueError):
        raise DomainError("The image order lists an unknown image.", field="image_ids") from None
    if sorted(ordered_ids) != sorted(images):
        raise DomainError(
            "The new order must list each of the product's images exactly once.",
            field="image_ids",
        )
    before = [i.pk for i in sorted(images.values(), key=lambda i: (i.position, i.pk))]
    for position, pk in enumerate(ordered_ids):
        images[pk].position = position
    ProductImage.objects.bulk_update(images.values(), ["position"])
    if before != ordered_ids:
        audit_record(
            store=store,
            actor=actor,
            action="product.images_reordered",
            target=product,
            changes={"images": [before, ordered_ids]},
        )


@transaction.atomic
def image_move(
    *, store: Store, actor, product: Product, image: ProductImage | int, direction: str
) -> None:
    """Move one image a place earlier (``up``) or later (``down``)."""
    image = _image_for(store, product, image)
    ids = list(
        ProductImage.objects.for_store(store)
        .filter(product=product)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
    index = ids.index(image.pk)
    target = index - 1 if direction == "up" else index + 1
    if direction not in {"up", "down"} or not 0 <= target < len(ids):
        return
    ids[index], ids[target] = ids[target], ids[index]
    image_reorder(store=store, actor=actor, product=product, image_ids=ids)


@transaction.atomic
def image_delete(*, store: Store, actor, product: Product, image: ProductImage | int) -> None:
    image = _image_for(store, product, image)
    audit_record(
        store=store,
        actor=actor,
        action="product.image_removed",
        target=product,
        changes={"image": [image.image.name, None]},
    )
    image.delete()
    transaction.on_commit(lambda: _delete_files(image))
    remaining = list(
        ProductImage.objects.for_store(store).filter(product=product).order_by("position", "id")
    )
    for position, other in enumerate(remaining):
        other.position = position
    ProductImage.objects.bulk_update(remaining, ["position"])


# --- bulk actions ---------------------------------------------------------------------------------
BULK_ACTIONS = {
    "activate": "Set as active",
    "archive": "Archive",
    "draft": "Set as draft",
    "set_category": "Change category",
    "add_tag": "Add tag",
    "remove_tag": "Remove tag",
    "adjust_price": "Adjust price",
}
AUDIT_BATCH = 2000


@dataclass(frozen=True)
class BulkResult:
    action: str
    matched: int
    changed: int


def _price_value(mode: str, value: Any) -> Decimal:
    if mode not in PRICE_MODES:
        raise DomainError("Choose to adjust by percent or by amount.", field="mode")
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(f"{value} is not a number.", field="value") from None
    if amount == 0:
        raise DomainError("Enter a change other than 0.", field="value")
    if mode == "percent" and amount <= -100:
        raise DomainError("A price cannot drop by 100 % or more.", field="value")
    return amount


def bulk_price_check(
    *, store: Store, products: QuerySet[Product], mode: str, value: Any
) -> Decimal:
    """Validate a price adjustment over ``products``; raises if any price would go below 0."""
    amount = _price_value(mode, value)
    if mode == "amount" and amount < 0:
        lowest = (
            Variant.objects.for_store(store)
            .filter(product__in=products.order_by().values("pk"))
            .order_by("price")
            .select_related("product")
            .first()
        )
        if lowest is not None and lowest.price + amount < 0:
            raise DomainError(
                f"{lowest.sku} costs {lowest.price}; lowering it by {-amount} would make the "
                "price negative. Choose a smaller amount.",
                field="value",
            )
    return amount


@transaction.atomic
def products_bulk_update(
    *,
    store: Store,
    actor,
    products: QuerySet[Product],
    action: str,
    category: Category | int | None = None,
    tag: str = "",
    mode: str = "",
    value: Any = None,
) -> BulkResult:
    """Apply one bulk action to ``products`` (a queryset of the store's products).

    Actions: ``activate``, ``archive``, ``draft``, ``set_category`` (``category`` or None
    for none), ``add_tag``/``remove_tag`` (``tag``), ``adjust_price`` (``mode`` percent or
    amount, ``value``; compare-at prices move by the same rule so sales stay sales).
    Each changed product gets an audit entry. ``products`` stays a subquery throughout, so
    "all 100,000 matching the filter" never travels as a list of ids.
    """
    if action not in BULK_ACTIONS:
        raise DomainError("Choose an action.", field="action")
    scope = Product.objects.for_store(store).filter(pk__in=products.order_by().values("pk"))
    matched = scope.count()
    if not matched:
        raise DomainError("Select at least one product.", field="products")
    now = _now()
    changed: list[tuple[int, str]]
    changes: dict[str, list]
    if action in {"activate", "archive", "draft"}:
        status = {
            "activate": ProductStatus.ACTIVE,
            "archive": ProductStatus.ARCHIVED,
            "draft": ProductStatus.DRAFT,
        }[action]
        target = scope.exclude(status=status)
        changed = list(target.order_by("pk").values_list("pk", "title"))
        target.update(status=status, updated_at=now)
        changes = {"status": [None, status]}
    elif action == "set_category":
        new = _category_for(store, category)
        target = scope.exclude(category=new) if new else scope.exclude(category__isnull=True)
        changed = list(target.order_by("pk").values_list("pk", "title"))
        target.update(category=new, updated_at=now)
        changes = {"category": [None, new.name if new else None]}
    elif action in {"add_tag", "remove_tag"}:
        tags = clean_tags([tag])
        if not tags:
            raise DomainError("Enter a tag.", field="tag")
        name = tags[0]
        updated = []
        for product in scope.only("pk", "title", "tags").order_by("pk").iterator(chunk_size=2000):
            has = any(t.lower() == name.lower() for t in product.tags)
            if action == "add_tag" and not has:
                if len(product.tags) >= MAX_TAGS:
                    raise DomainError(
                        f"“{product.title}” already has {MAX_TAGS} tags.", field="tag"
                    )
                product.tags = [*product.tags, name]
            elif action == "remove_tag" and has:
                product.tags = [t for t in product.tags if t.lower() != name.lower()]
            else:
                continue
            product.updated_at = now
            updated.append(product)
        Product.objects.bulk_update(updated, ["tags", "updated_at"], batch_size=2000)
        changed = [(p.pk, p.title) for p in updated]
        changes = {"tags": [None, f"+{name}" if action == "add_tag" else f"-{name}"]}
    else:
        amount = bulk_price_check(store=store, products=scope, mode=mode, value=value)
        variants = Variant.objects.for_store(store).filter(product_id__in=scope.values("pk"))
        updated = []
        for variant in variants.only("pk", "price", "compare_at_price").iterator(chunk_size=2000):
            variant.price = price_adjusted(variant.price, mode=mode, value=amount)
            variant.compare_at_price = compare_at_adjusted(
                variant.compare_at_price, new_price=variant.price, mode=mode, value=amount
            )
            updated.append(variant)
        Variant.objects.bulk_update(updated, ["price", "compare_at_price"], batch_size=2000)
        target = scope.filter(pk__in=variants.values("product_id"))
        changed = list(target.order_by("pk").values_list("pk", "title"))
        target.update(updated_at=now)
        suffix = " %" if mode == "percent" else ""
        changes = {"price": [None, f"{'+' if amount > 0 else ''}{amount}{suffix}"]}
    if changed:
        audit_record_many(
            store=store,
            actor=actor,
            action=f"product.bulk_{action}",
            model=Product,
            targets=changed,
            changes=changes,
            batch_size=AUDIT_BATCH,
        )
    return BulkResult(action=action, matched=matched, changed=len(changed))


def _now():
    from django.utils import timezone

    return timezone.now()


# --- bulk actions too large for one request -------------------------------------------------------
BULK_INLINE_MAX = 1000  # above this many products a bulk action runs as a Celery task
BULK_CHUNK = 2000


@transaction.atomic
def bulk_job_create(
    *,
    store: Store,
    actor,
    products: QuerySet[Product],
    action: str,
    category: Category | int | None = None,
    tag: str = "",
    mode: str = "",
    value: Any = None,
) -> BulkJob:
    """Queue ``action`` over ``products`` (fixed now) for a worker; bad options fail here."""
    from apps.catalog.tasks import product_bulk_task

    if action not in BULK_ACTIONS:
        raise DomainError("Choose an action.", field="action")
    ids = list(
        Product.objects.for_store(store)
        .filter(pk__in=products.order_by().values("pk"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not ids:
        raise DomainError("Select at least one product.", field="products")
    if action == "adjust_price":
        value = bulk_price_check(store=store, products=products, mode=mode, value=value)
    if action in {"add_tag", "remove_tag"} and not clean_tags([tag]):
        raise DomainError("Enter a tag.", field="tag")
    new_category = _category_for(store, category) if action == "set_category" else None
    job = BulkJob.objects.create(
        store=store,
        action=action,
        options={
            "category": new_category.pk if new_category else None,
            "tag": tag,
            "mode": mode,
            "value": None if value is None else str(value),
        },
        product_ids=ids,
        total=len(ids),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    transaction.on_commit(lambda: product_bulk_task.delay(job.pk))
    return job


def bulk_job_run(*, job_id: int) -> BulkJob | None:
    """Run (or resume) a bulk job chunk by chunk; each chunk commits with its progress."""
    job = BulkJob.objects.select_related("store", "created_by").filter(pk=job_id).first()
    if job is None or job.status in (BulkJobStatus.DONE, BulkJobStatus.FAILED):
        return job
    if job.status == BulkJobStatus.QUEUED:
        job.status, job.started_at = BulkJobStatus.RUNNING, _now()
        job.save(update_fields=["status", "started_at", "updated_at"])
    options = job.options
    while job.processed < job.total:
        with transaction.atomic():
            locked = BulkJob.objects.select_for_update().get(pk=job.pk)
            chunk = locked.product_ids[locked.processed : locked.processed + BULK_CHUNK]
            try:
                result = products_bulk_update(
                    store=job.store,
                    actor=job.created_by,
                    products=Product.objects.for_store(job.store).filter(pk__in=chunk),
                    action=job.action,
                    category=options.get("category"),
                    tag=options.get("tag") or "",
                    mode=options.get("mode") or "",
                    value=options.get("value"),
                )
                changed = result.changed
            except DomainError as error:
                if error.field != "products":  # products deleted meanwhile are skipped
                    return _bulk_job_fail(job, error.message)
                changed = 0
            locked.processed += len(chunk)
            locked.changed += changed
            locked.save(update_fields=["processed", "changed", "updated_at"])
        job.processed, job.changed = locked.processed, locked.changed
    job.status, job.finished_at = BulkJobStatus.DONE, _now()
    job.save(update_fields=["status", "finished_at", "updated_at"])
    return job


def _bulk_job_fail(job: BulkJob, message: str) -> BulkJob:
    done = f" {job.processed:,} of {job.total:,} products were done before it stopped."
    job.status, job.finished_at = BulkJobStatus.FAILED, _now()
    job.failure_message = message + (done if job.processed else " Nothing was changed.")
    job.save(update_fields=["status", "finished_at", "failure_message", "updated_at"])
    return job
