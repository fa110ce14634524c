"""Product pages: the list (its bulk bar posts to ``views/bulk.py``), the product form, delete."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods, require_POST

from apps.catalog import selectors, services
from apps.catalog.forms import (
    BulkActionForm,
    ImageUploadForm,
    ProductForm,
    VariantFormSet,
    apply_domain_error,
)
from apps.catalog.models import Product, ProductStatus
from apps.catalog.permissions import MANAGE_CATALOG, VIEW_CATALOG
from apps.catalog.views.bulk import bulk_retry_pop, carried_filters
from apps.catalog.views.common import (
    can_edit_catalog,
    catalog_url,
    filter_params,
    product_initial,
    product_or_404,
    require_catalog_edit,
    variant_initial,
)
from apps.core.exceptions import DomainError
from apps.core.htmx import redirect_with_message, render_page
from apps.core.selectors import with_count_cap
from apps.core.tables import ChoiceFilter, Column, TableQuery
from apps.core.tenancy import store_view

PRODUCT_COLUMNS = [
    Column("title", "Product", "sort_title"),
    Column("status", "Status", "sort_status"),
    Column("category", "Category", "category__name"),
    Column("vendor", "Vendor", "sort_vendor"),
    Column("stock", "Stock", "sort_stock", numeric=True),
    Column("price", "Price", "sort_price", numeric=True),
    Column("updated", "Updated", "sort_updated"),
]


COUNT_CAP = 10_000


def _already_applied(queryset, value):
    """The list's filters are applied by ``product_filter``; TableQuery only shows them."""
    return queryset


def _product_table(request: HttpRequest, category_choices: list) -> TableQuery:
    """The list is ``product_filter`` (the one place that decides which products a filter
    means, as "all matching" and the export do) with the list's sorts; the ChoiceFilters only
    draw the controls and the chips."""
    store = request.store
    params = filter_params(request.GET)
    q = params.get("q", "").strip()
    products = selectors.product_filter(store=store, params=params)
    if request.GET.get("sort", "").lstrip("-") in {"price", "stock"}:
        # the summary's own store column lets a price/stock sort walk the summary's index
        products = products.filter(summary__store=store)
    queryset = selectors.with_sort_keys(products, searching=bool(q)).select_related("category")
    if 0 < len(q) < 3:
        # the slow count (a one- or two-letter search): stop counting at 10,000
        queryset = with_count_cap(queryset, COUNT_CAP)
    vendors = selectors.product_vendors(store=store)
    if params.get("vendor") and params["vendor"] not in vendors:
        vendors = [*vendors, params["vendor"]]  # beyond the menu's first vendors: still shown
    return TableQuery(
        request=request,
        queryset=queryset,
        columns=PRODUCT_COLUMNS,
        search=_already_applied,
        filters=[
            ChoiceFilter("status", "Status", ProductStatus.choices, _already_applied),
            ChoiceFilter(
                "category",
                "Category",
                [("none", "No category"), *category_choices],
                _already_applied,
            ),
            ChoiceFilter("vendor", "Vendor", [(v, v) for v in vendors], _already_applied),
            ChoiceFilter("stock", "Stock", selectors.STOCK_CHOICES, _already_applied),
        ],
        default_sort="-updated",
    )


@store_view(VIEW_CATALOG)
def product_list(request: HttpRequest) -> HttpResponse:
    category_choices = selectors.category_choices(store=request.store)
    table = _product_table(request, category_choices)
    rows = list(table.page.object_list)
    selectors.product_rows_prefetch(rows)
    for product in rows:
        selectors.product_row_values(product)
    has_products = table.is_filtered or bool(rows) or table.page.paginator.count > 0
    # a bulk action refused a moment ago: its choices, its selection and why, shown in the bar
    retry = bulk_retry_pop(request)
    bulk_form = BulkActionForm(retry.get("data"), category_choices=category_choices)
    context = {
        "table": table,
        "rows": rows,
        "has_products": has_products,
        "count_is_capped": table.page.paginator.count > COUNT_CAP,
        "count_cap": COUNT_CAP,
        "bulk_form": bulk_form,
        "bulk_error": retry.get("error", ""),
        "bulk_selected": set(retry.get("ids", [])),
        "bulk_filters": carried_filters(filter_params(request.GET)),
        "can_edit": can_edit_catalog(request),
    }
    return render_page(request, "catalog/product_list.html", context, partial="product-table")


def _currency(request: HttpRequest) -> dict:
    """The variant rows' form arguments: the store's currency decides a price's decimals."""
    return {"currency": request.store.currency}


def product_form_page(
    request, product, form, formset, *, image_form=None, status=200
) -> HttpResponse:
    """The product page (the form, or read-only for support) with its images section."""
    can_edit = can_edit_catalog(request)
    if not can_edit:
        form.show_read_only()
    context = {
        "product": product,
        "form": form,
        "formset": formset,
        "image_form": image_form or ImageUploadForm(),
        # keyed by the id as text: a row posted back holds its id as text, a fresh one as a number
        "variants_by_id": {str(v.pk): v for v in product.variants.all()} if product else {},
        "can_edit": can_edit,
    }
    return render_page(request, "catalog/product_form.html", context, status=status)


def _add_taken_errors(store, product: Product | None, form, formset) -> None:
    """Name a handle or SKUs other products already use, next to the form's other errors
    (when the form is valid the save itself reports them, in the same words)."""
    rows = []
    for index, row in enumerate(formset.forms):
        data = getattr(row, "cleaned_data", {})
        if data.get("sku") and not data.get("DELETE") and "sku" not in row.errors:
            rows.append((index, data["sku"]))
    handle = getattr(form, "cleaned_data", {}).get("handle") or ""
    handle_taken, taken = selectors.product_taken_values(
        store=store, product=product, handle=handle, skus=[sku for _, sku in rows]
    )
    if handle_taken and "handle" not in form.errors:
        form.add_error("handle", f"Another product already uses the handle “{handle}”.")
    for index, sku in rows:
        if sku in taken:
            formset.forms[index].add_error(
                "sku", f"The SKU {sku} is already used by another variant."
            )


def _save_product(request: HttpRequest, product: Product | None) -> HttpResponse:
    store = request.store
    category_choices = selectors.category_choices(store=store)
    if request.method == "POST":
        form = ProductForm(request.POST, category_choices=category_choices)
        formset = VariantFormSet(request.POST, prefix="variants", form_kwargs=_currency(request))
        # both validated, and the handle and SKUs checked against the store, so every error
        # shows on the first save rather than one group per save
        form_is_valid, formset_is_valid = form.is_valid(), formset.is_valid()
        if not (form_is_valid and formset_is_valid):
            _add_taken_errors(store, product, form, formset)
        else:
            try:
                saved = services.product_save_with_variants(
                    store=store,
                    actor=request.user,
                    product=product,
                    fields=form.product_fields(),
                    variants=formset.rows(form.option_names()),
                )
            except DomainError as error:
                apply_domain_error(error, form, formset)
            else:
                verb = "created" if product is None else "saved"
                return redirect_with_message(
                    request,
                    catalog_url("product-update", request, product_id=saved.pk),
                    f"Product “{saved.title}” {verb}.",
                )
        return product_form_page(request, product, form, formset, status=400)
    if product is None:
        form = ProductForm(category_choices=category_choices)
        formset = VariantFormSet(prefix="variants", form_kwargs=_currency(request))
    else:
        form = ProductForm(initial=product_initial(product), category_choices=category_choices)
        formset = VariantFormSet(
            initial=variant_initial(product), prefix="variants", form_kwargs=_currency(request)
        )
    return product_form_page(request, product, form, formset)


@store_view(MANAGE_CATALOG)
@require_http_methods(["GET", "POST"])
def product_create(request: HttpRequest) -> HttpResponse:
    return _save_product(request, None)


@store_view(VIEW_CATALOG)
@require_http_methods(["GET", "POST"])
def product_update(request: HttpRequest, product_id: int) -> HttpResponse:
    """The product page: an edit form for managers, the same page read-only for support."""
    if request.method == "POST":
        require_catalog_edit(request)
    return _save_product(request, product_or_404(request, product_id))


@store_view(MANAGE_CATALOG)
@require_POST
def product_delete(request: HttpRequest, product_id: int) -> HttpResponse:
    product = product_or_404(request, product_id)
    services.product_delete(store=request.store, actor=request.user, product=product)
    return redirect_with_message(
        request, catalog_url("product-list", request), f"Product “{product.title}” deleted."
    )
