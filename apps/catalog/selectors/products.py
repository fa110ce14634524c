"""Catalog reads: the product list's search and filters, categories, stock.

``product_filter(store=, params=)`` is the one place the product list's GET parameters
(``q``, ``status``, ``category``, ``vendor``, ``stock``) turn into a queryset. The list page,
its bulk actions ("all matching the filter"), the API and the export all call it, so they
always agree on which products "the current filter" means.

Stock state of a product (``stock=in|low|out``), decided per variant so that it can be
answered with EXISTS subqueries on indexed columns instead of aggregating every variant:

- a variant is *sellable* when it does not track inventory or has stock above zero;
- a variant is *low* when it tracks inventory and its stock is at or below the product's
  low-stock threshold (sold-out variants included);
- **out**: no sellable variant; **low**: sellable, and at least one variant is low;
  **in**: sellable, and no variant is low. Every product is in exactly one of the three.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import (
    DateTimeField,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Concat

from apps.catalog import inputs
from apps.catalog.models import (
    Product,
    ProductImage,
    ProductStatus,
    Variant,
)
from apps.catalog.selectors.categories import category_descendant_ids
from apps.core.models import Store
from apps.core.selectors import ILike, object_get

STOCK_IN = inputs.STOCK_IN
STOCK_LOW = inputs.STOCK_LOW
STOCK_OUT = inputs.STOCK_OUT
STOCK_CHOICES = list(inputs.STOCK_LABELS.items())

SEARCH_MIN_LENGTH = 1
SKU_INLINE_MAX = 500  # up to this many products found by SKU are inlined as an id list


# -- search and filters --------------------------------------------------------------------------
def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def product_search(*, store: Store, queryset: QuerySet[Product], q: str) -> QuerySet[Product]:
    """Products matching ``q`` in the title, vendor or a variant's SKU, tagged exactly ``q``, or
    with a variant whose barcode or SKU is exactly ``q`` (a scanned code).

    From three characters on, title, vendor and SKU match anywhere (``ILIKE '%q%'``); a
    shorter query matches their start, so that the first keystrokes stay cheap too. Tags
    match exactly
    (the usual casings). The title, vendor and tag conditions are OR-ed so that PostgreSQL
    combines the indexes' bitmaps instead of scanning every product; products found by SKU
    are looked up first and inlined as ids (or joined with UNION ALL when there are many).
    """
    q = " ".join(q.split())
    if len(q) < SEARCH_MIN_LENGTH:
        return queryset
    escaped = _escape_like(q[:100])
    # one or two characters: a prefix (contains would read most of the trigram index)
    pattern = f"%{escaped}%" if len(q) >= 3 else f"{escaped}%"
    casings = sorted({q, q.lower(), q.upper(), q.capitalize(), q.title()})
    condition = Q(tags__overlap=casings) | Q(ILike("title", pattern)) | Q(ILike("vendor", pattern))
    # a scanned code: the exact barcode or SKU, whatever the query's length
    skus = (
        Variant.objects.filter(store=store)
        .filter(Q(ILike("sku", pattern)) | Q(barcode=q) | Q(sku=q))
        .order_by()
    )
    sku_products = list(skus.values_list("product_id", flat=True).distinct()[: SKU_INLINE_MAX + 1])
    if len(sku_products) <= SKU_INLINE_MAX:
        # the usual case: few SKUs match, so one bitmap OR over the product's own indexes
        # answers the whole search (no join back from a subquery)
        return queryset.filter(condition | Q(pk__in=sku_products))
    by_product = Product.objects.filter(store=store).filter(condition).order_by().values("pk")
    by_sku = skus.values("product_id")
    return queryset.filter(pk__in=by_product.union(by_sku, all=True))


def filter_stock(queryset: QuerySet[Product], value: str) -> QuerySet[Product]:
    """in / low / out, from the summary the database keeps for each product (migration 0005)."""
    if value in {STOCK_IN, STOCK_LOW, STOCK_OUT}:
        return queryset.filter(summary__stock_state=value)
    return queryset


def filter_status(queryset: QuerySet[Product], value: str) -> QuerySet[Product]:
    if value in ProductStatus.values:
        return queryset.filter(status=value)
    return queryset


def filter_vendor(queryset: QuerySet[Product], value: str) -> QuerySet[Product]:
    return queryset.filter(vendor=value) if value else queryset


def filter_category(*, store: Store, queryset: QuerySet[Product], value: str) -> QuerySet[Product]:
    """Products in the category or any category below it; ``none`` = uncategorised."""
    if value == "none":
        return queryset.filter(category__isnull=True)
    try:
        category_id = int(value)
    except (TypeError, ValueError):
        return queryset
    ids = category_descendant_ids(store=store, category_id=category_id)
    if not ids:
        return queryset.none()
    return queryset.filter(category_id__in=ids)


def product_filter(*, store: Store, params: Mapping[str, str]) -> QuerySet[Product]:
    """The store's products narrowed by the list page's GET parameters.

    ``params`` is ``request.GET`` or any mapping with the keys ``q`` (search), ``status``
    (draft/active/archived), ``category`` (a category id, subcategories included, or
    ``none``), ``vendor`` (exact) and ``stock`` (in/low/out). Unknown or empty values are
    ignored. The result is ordered by title; callers may re-order it.
    """
    queryset = Product.objects.filter(store=store)
    q = (params.get("q") or "").strip()
    if q:
        queryset = product_search(store=store, queryset=queryset, q=q)
    queryset = filter_status(queryset, params.get("status") or "")
    category = params.get("category") or ""
    if category:
        queryset = filter_category(store=store, queryset=queryset, value=category)
    queryset = filter_vendor(queryset, params.get("vendor") or "")
    queryset = filter_stock(queryset, params.get("stock") or "")
    return queryset.order_by("title", "pk")


FILTER_LABELS = {"q": "Search", "status": "Status", "category": "Category", "vendor": "Vendor"}


def product_filter_summary(params: Mapping[str, str], category_choices: list) -> list[str]:
    """The list's filter in words, as its chips name it ("Search: linen", "Category: Shirts"):
    the bulk confirmation and the export page say which products they mean."""
    categories = dict(category_choices) | {"none": "No category"}
    stock = dict(STOCK_CHOICES)
    summary = []
    for key, value in params.items():
        if key == "category":
            value = categories.get(value, value)
        elif key == "stock":
            summary.append(f"Stock: {stock.get(value, value)}")
            continue
        elif key == "status":
            value = dict(ProductStatus.choices).get(value, value)
        summary.append(f"{FILTER_LABELS.get(key, key)}: {value}")
    return summary


# -- list rows -----------------------------------------------------------------------------------
def with_sort_keys(queryset: QuerySet[Product], *, searching: bool) -> QuerySet[Product]:
    """``sort_title``, ``sort_status``, ``sort_vendor``, ``sort_updated`` for the list's sorts.

    Plain columns normally, so that the first page of 100,000 products reads 25 entries of
    an index. While searching, the same values as expressions no index provides: otherwise
    PostgreSQL may walk the whole sort index hoping to meet 25 matches early, which takes
    a full scan when only a handful of products match; sorting the matches is cheap.
    """

    if not searching:
        return queryset.alias(
            sort_title=F("title"),
            sort_status=F("status"),
            sort_vendor=F("vendor"),
            sort_updated=F("updated_at"),
            sort_price=F("summary__price_min"),
            sort_stock=F("summary__stock_total"),
        )
    return queryset.alias(
        sort_title=Concat(F("title"), Value("")),
        sort_status=Concat(F("status"), Value("")),
        sort_vendor=Concat(F("vendor"), Value("")),
        sort_updated=ExpressionWrapper(
            F("updated_at") + Value(timedelta(0)), output_field=DateTimeField()
        ),
        sort_price=ExpressionWrapper(
            F("summary__price_min") + Value(Decimal("0")), output_field=DecimalField()
        ),
        sort_stock=ExpressionWrapper(
            F("summary__stock_total") + Value(0), output_field=IntegerField()
        ),
    )


def product_list_queryset(*, store: Store, params: Mapping[str, str]) -> QuerySet[Product]:
    """The product list's rows: filtered, sortable by the computed columns, with categories."""
    return product_filter(store=store, params=params).select_related("category")


def product_rows_prefetch(products: list[Product]) -> None:
    """Load the variants and first image of a page of products in two queries."""

    prefetch_related_objects(
        products,
        Prefetch("variants", queryset=Variant.objects.order_by("position", "id")),
        Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")),
    )


def product_row_values(product: Product) -> None:
    """Set the list row's computed values on a product whose variants are prefetched."""
    variants = list(product.variants.all())
    tracked = [v for v in variants if v.track_inventory]
    prices = [v.price for v in variants]
    product.variant_count = len(variants)
    product.tracked_count = len(tracked)
    product.stock_total = sum(v.stock_quantity for v in tracked)
    product.low_count = sum(
        inputs.variant_is_low(
            track_inventory=True,
            stock_quantity=v.stock_quantity,
            threshold=product.low_stock_threshold,
        )
        for v in tracked
    )
    product.price_min = min(prices) if prices else None
    product.price_max = max(prices) if prices else None
    product.first_image = next(iter(product.images.all()), None)
    product.stock_state = product_stock_state(product)


def product_stock_state(product: Product) -> str:
    """in/low/out for one product whose variants are loaded (``inputs.stock_state``)."""
    return inputs.stock_state(
        ((v.track_inventory, v.stock_quantity) for v in product.variants.all()),
        threshold=product.low_stock_threshold,
    )


# -- single objects ------------------------------------------------------------------------------
# ``<entity>_get(*, store, <entity>_id)`` returns the store's object or raises ``Http404``: another
# store's id and a missing id look the same (pages answer 404, the API answers 404 too).
def product_detail_queryset(*, store: Store) -> QuerySet[Product]:
    """Products with their category, variants and images loaded (detail page, API)."""
    return (
        Product.objects.for_store(store)
        .select_related("category")
        .prefetch_related(
            Prefetch("variants", queryset=Variant.objects.order_by("position", "id")),
            Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")),
        )
    )


def product_get(*, store: Store, product_id: int) -> Product:
    return object_get(
        product_detail_queryset(store=store), not_found="No such product.", pk=product_id
    )


def product_vendors(*, store: Store, limit: int = 500) -> list[str]:
    """The store's distinct vendors, A→Z.

    A "loose index scan" (one index probe per vendor on ``(store, vendor)``) instead of
    ``SELECT DISTINCT`` over every product: milliseconds on 100,000 products.
    """

    table = Product._meta.db_table
    sql = f"""
        WITH RECURSIVE vendors(name) AS (
            (SELECT vendor FROM {table} WHERE store_id = %s AND vendor > ''
             ORDER BY vendor LIMIT 1)
            UNION ALL
            SELECT (SELECT vendor FROM {table} WHERE store_id = %s AND vendor > vendors.name
                    ORDER BY vendor LIMIT 1)
            FROM vendors WHERE vendors.name IS NOT NULL
        )
        SELECT name FROM vendors WHERE name IS NOT NULL LIMIT %s
    """  # noqa: S608 - the table name is the model's, every value is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [store.pk, store.pk, limit])
        return [row[0] for row in cursor.fetchall()]


def product_taken_values(
    *, store: Store, product: Product | None, handle: str, skus: list[str]
) -> tuple[bool, set[str]]:
    """Whether another product of the store uses ``handle``, and which of ``skus`` other
    products' variants use: the product form shows these with its other errors (two queries)."""
    others = Product.objects.for_store(store)
    variants = Variant.objects.for_store(store)
    if product is not None:
        others = others.exclude(pk=product.pk)
        variants = variants.exclude(product=product)
    handle_taken = bool(handle) and others.filter(handle=handle).exists()
    taken = set(variants.filter(sku__in=skus).values_list("sku", flat=True)) if skus else set()
    return handle_taken, taken
