"""The catalog's part of the top bar's global search: products by title, SKU, vendor or tag."""

from __future__ import annotations

from django.urls import reverse

from apps.catalog.selectors import product_filter
from apps.core.models import Store
from apps.core.search import SearchHit


def product_hits(*, store: Store, query: str, limit: int) -> list[SearchHit]:
    products = product_filter(store=store, params={"q": query}).select_related("category")
    return [
        SearchHit(
            title=product.title,
            subtitle=" · ".join(
                part
                for part in (
                    product.get_status_display(),
                    product.vendor,
                    str(product.category or ""),
                )
                if part
            ),
            url=reverse(
                "catalog:product-update", kwargs={"handle": store.handle, "product_id": product.pk}
            ),
        )
        for product in products.order_by("title", "pk")[:limit]
    ]
