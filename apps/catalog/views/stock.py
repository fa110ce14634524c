"""Stock pages: a variant's stock history and adjustments, and the low-stock list."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from apps.catalog import inputs, selectors, services
from apps.catalog.forms import (
    StockAdjustForm,
    apply_domain_error,
)
from apps.catalog.permissions import VIEW_CATALOG
from apps.catalog.views.common import can_edit_catalog, catalog_url, require_catalog_edit
from apps.core.exceptions import DomainError
from apps.core.htmx import redirect_with_message, render_page
from apps.core.tables import Column, TableQuery
from apps.core.tenancy import store_view

LOW_STOCK_COLUMNS = [
    Column("product", "Product", "product__title"),
    Column("sku", "SKU", "sku"),
    Column("stock", "Stock", "stock_quantity", numeric=True),
    Column("threshold", "Threshold", "product__low_stock_threshold", numeric=True),
    Column("actions", ""),
]


@store_view(VIEW_CATALOG)
@require_http_methods(["GET", "POST"])
def variant_detail(request: HttpRequest, variant_id: int) -> HttpResponse:
    """A variant's stock history for everyone who reads the catalog; adjusting needs MANAGE."""
    if request.method == "POST":
        require_catalog_edit(request)
    variant = selectors.variant_get(store=request.store, variant_id=variant_id)
    status = 200
    if request.method == "POST":
        form = StockAdjustForm(request.POST)
        if form.is_valid():
            try:
                services.stock_adjust(
                    store=request.store, actor=request.user, variant=variant, **form.cleaned_data
                )
            except DomainError as error:
                apply_domain_error(error, form)
            else:
                delta = form.cleaned_data["delta"]
                return redirect_with_message(
                    request,
                    catalog_url("variant-detail", request, variant_id=variant.pk),
                    f"Stock of {variant.sku} changed by {delta:+d}.",
                )
        status = 400
    else:
        form = StockAdjustForm()
    table = TableQuery(
        request=request,
        queryset=selectors.variant_movements(store=request.store, variant=variant),
        columns=[
            Column("created_at", "When", "created_at"),
            Column("delta", "Change", numeric=True),
            Column("after", "Stock after", numeric=True),
            Column("reason", "Reason"),
            Column("actor", "Who"),
        ],
        default_sort="-created_at",
    )
    state = inputs.variant_stock_state(
        track_inventory=variant.track_inventory,
        stock_quantity=variant.stock_quantity,
        threshold=variant.product.low_stock_threshold,
    )
    context = {
        "variant": variant,
        "product": variant.product,
        "stock_state": state,
        "stock_label": inputs.STOCK_LABELS[state],
        "form": form,
        "table": table,
        "can_edit": can_edit_catalog(request),
    }
    return render_page(
        request, "catalog/variant_detail.html", context, partial="movement-table", status=status
    )


@store_view(VIEW_CATALOG)
def low_stock_list(request: HttpRequest) -> HttpResponse:
    table = TableQuery(
        request=request,
        queryset=selectors.low_stock_variants(store=request.store),
        columns=LOW_STOCK_COLUMNS,
        search_fields=("sku", "product__title"),
        default_sort="stock",
    )
    context = {"table": table, "can_edit": can_edit_catalog(request)}
    return render_page(request, "catalog/low_stock_list.html", context, partial="low-stock-table")
