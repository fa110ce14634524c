"""What the catalog pages share: addresses in the store, the product a URL names, list filters."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, QueryDict
from django.urls import reverse

from apps.catalog import selectors
from apps.catalog.models import Product
from apps.catalog.permissions import MANAGE_CATALOG
from apps.core.tenancy import can

FILTER_PARAMS = ("q", "status", "category", "vendor", "stock")


def catalog_url(name: str, request: HttpRequest, **kwargs) -> str:
    return reverse(f"catalog:{name}", kwargs={"handle": request.store.handle, **kwargs})


def can_edit_catalog(request: HttpRequest) -> bool:
    """Whether the page shows edit controls: support reads the catalog, managers change it."""
    return can(request, MANAGE_CATALOG)


def require_catalog_edit(request: HttpRequest) -> None:
    """For pages anyone with VIEW_CATALOG reads but only MANAGE_CATALOG posts to."""
    if not can_edit_catalog(request):
        raise PermissionDenied("Your role can look at the catalog but not change it.")


def product_or_404(request: HttpRequest, product_id: int) -> Product:
    """The store's product named in the URL (``selectors.product_get`` raises the 404)."""
    return selectors.product_get(store=request.store, product_id=product_id)


def option_names(product: Product | None) -> list[str]:
    if product is None:
        return []
    for variant in product.variants.all():
        if variant.option_values:
            return list(variant.option_values.keys())[:2]
    return []


def product_initial(product: Product) -> dict:
    names = option_names(product)
    return {
        "title": product.title,
        "handle": product.handle,
        "description": product.description,
        "status": product.status,
        "category": product.category_id,
        "vendor": product.vendor,
        "tags": ", ".join(product.tags),
        "low_stock_threshold": product.low_stock_threshold,
        "seo_title": product.seo_title,
        "seo_description": product.seo_description,
        "option1_name": names[0] if names else "",
        "option2_name": names[1] if len(names) > 1 else "",
    }


def variant_initial(product: Product) -> list[dict]:
    names = option_names(product)
    rows = []
    for variant in product.variants.all():
        rows.append(
            {
                "id": variant.pk,
                "option1": variant.option_values.get(names[0], "") if names else "",
                "option2": variant.option_values.get(names[1], "") if len(names) > 1 else "",
                "sku": variant.sku,
                "price": variant.price,
                "compare_at_price": variant.compare_at_price,
                "cost": variant.cost,
                "stock_quantity": variant.stock_quantity,
                "track_inventory": variant.track_inventory,
                "weight": f"{variant.weight.normalize():f}" if variant.weight is not None else None,
                "weight_unit": variant.weight_unit,
                "barcode": variant.barcode,
            }
        )
    return rows


def filter_params(data: QueryDict, *, prefix: str = "") -> dict[str, str]:
    """Only the list's filters: never a form control (scope, confirmation) a link could carry.

    The list's address names them plainly (``?category=12``); the bulk form carries them as
    ``filter-category`` (``prefix=bulk.FILTER_PREFIX``), so that no option of an action (the new
    category, a tag) can ever share a name with a filter and replace it in the POST.
    """
    return {key: data.get(prefix + key, "") for key in FILTER_PARAMS if data.get(prefix + key)}
