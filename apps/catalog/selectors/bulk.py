"""Reads for bulk actions: the price preview and a bulk job's progress."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    Min,
    QuerySet,
)

from apps.catalog.models import (
    BulkJob,
    Product,
    Variant,
)
from apps.catalog.rules import compare_at_adjusted, price_adjusted
from apps.core.models import Store
from apps.core.money import currency_decimals
from apps.core.progress import JobProgress, job_progress
from apps.core.selectors import object_get


@dataclass
class PriceChange:
    product_title: str
    sku: str
    options: str
    price: Decimal
    new_price: Decimal
    compare_at_price: Decimal | None
    new_compare_at_price: Decimal | None


@dataclass
class PricePreview:
    product_count: int
    variant_count: int
    changes: list[PriceChange]
    lowest_new_price: Decimal | None


def bulk_price_preview(
    *, store: Store, products: QuerySet[Product], mode: str, value: Decimal, limit: int = 10
) -> PricePreview:
    """What a price adjustment would do: counts, the first ``limit`` changes, the lowest result."""

    variants = Variant.objects.for_store(store).filter(
        product_id__in=products.order_by().values("pk")
    )
    summary = variants.aggregate(n=Count("pk"), products=Count("product_id", distinct=True))
    lowest = variants.aggregate(low=Min("price"))["low"]
    sample = variants.select_related("product").order_by("product__title", "position", "id")[:limit]
    decimals = currency_decimals(store.currency)
    changes = []
    for variant in sample:
        new_price = price_adjusted(variant.price, mode=mode, value=value, decimals=decimals)
        changes.append(
            PriceChange(
                product_title=variant.product.title,
                sku=variant.sku,
                options=" / ".join(str(v) for v in variant.option_values.values()),
                price=variant.price,
                new_price=new_price,
                compare_at_price=variant.compare_at_price,
                new_compare_at_price=compare_at_adjusted(
                    variant.compare_at_price,
                    new_price=new_price,
                    mode=mode,
                    value=value,
                    decimals=decimals,
                ),
            )
        )
    return PricePreview(
        product_count=summary["products"],
        variant_count=summary["n"],
        changes=changes,
        lowest_new_price=(
            price_adjusted(lowest, mode=mode, value=value, decimals=decimals)
            if lowest is not None
            else None
        ),
    )


def bulk_job_get(*, store: Store, job_id: int) -> BulkJob:
    return object_get(
        BulkJob.objects.for_store(store).defer("product_ids"),
        not_found="No such bulk action.",
        pk=job_id,
    )


def bulk_job_progress(job: BulkJob) -> JobProgress:
    return job_progress(done=job.processed, total=job.total, started_at=job.started_at)
