"""Product pages: the list with its bulk actions and their jobs, the product form, delete."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.roles import Perm
from apps.catalog import selectors, services
from apps.catalog.forms import (
    BulkActionForm,
    ImageUploadForm,
    ProductForm,
    VariantFormSet,
    apply_domain_error,
)
from apps.catalog.models import Product, ProductStatus
from apps.catalog.views.common import (
    FILTER_PARAMS,
    catalog_url,
    product_initial,
    product_or_404,
    variant_initial,
)
from apps.core.exceptions import DomainError
from apps.core.htmx import redirect_with_message, render_page
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


def _product_table(request: HttpRequest, category_choices: list) -> TableQuery:
    store = request.store
    q = request.GET.get("q", "").strip()
    products = Product.objects.for_store(store)
    if request.GET.get("sort", "").lstrip("-") in {"price", "stock"}:
        # the summary's own store column lets a price/stock sort walk the summary's index
        products = products.filter(summary__store=store)
    queryset = selectors.with_sort_keys(products, searching=bool(q)).select_related("category")
    if 0 < len(q) < 3:
        # the slow count (a one- or two-letter search): stop counting at 10,000
        queryset = selectors.with_count_cap(queryset, COUNT_CAP)
    return TableQuery(
        request=request,
        queryset=queryset,
        columns=PRODUCT_COLUMNS,
        search=lambda qs, q: selectors.product_search(store=store, queryset=qs, q=q),
        filters=[
            ChoiceFilter("status", "Status", ProductStatus.choices, selectors.filter_status),
            ChoiceFilter(
                "category",
                "Category",
                [("none", "No category"), *category_choices],
                lambda qs, value: selectors.filter_category(store=store, queryset=qs, value=value),
            ),
            ChoiceFilter(
                "vendor",
                "Vendor",
                [(v, v) for v in selectors.product_vendors(store=store)],
                selectors.filter_vendor,
            ),
            ChoiceFilter("stock", "Stock", selectors.STOCK_CHOICES, selectors.filter_stock),
        ],
        default_sort="-updated",
    )


@store_view(Perm.MANAGE_CATALOG)
def product_list(request: HttpRequest) -> HttpResponse:
    category_choices = selectors.category_choices(store=request.store)
    table = _product_table(request, category_choices)
    rows = list(table.page.object_list)
    selectors.product_rows_prefetch(rows)
    for product in rows:
        selectors.product_row_values(product)
    has_products = table.is_filtered or bool(rows) or table.page.paginator.count > 0
    context = {
        "table": table,
        "rows": rows,
        "has_products": has_products,
        "count_is_capped": table.page.paginator.count > COUNT_CAP,
        "count_cap": COUNT_CAP,
        "bulk_form": BulkActionForm(category_choices=category_choices),
    }
    return render_page(request, "catalog/product_list.html", context, partial="product-table")


def _filter_params(data: QueryDict) -> dict[str, str]:
    return {key: data.get(key, "") for key in FILTER_PARAMS if data.get(key)}


@store_view(Perm.MANAGE_CATALOG)
@require_POST
def product_bulk(request: HttpRequest) -> HttpResponse:
    """Apply a bulk action to the selected products or to all matching the list's filter."""
    store = request.store
    category_choices = selectors.category_choices(store=store)
    form = BulkActionForm(request.POST, category_choices=category_choices)
    params = _filter_params(request.POST)
    back = catalog_url("product-list", request)
    if params:
        back = f"{back}?{urlencode(params)}"
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        messages.error(request, first)
        return redirect(back)
    data = form.cleaned_data
    if data["scope"] == "all":
        products = selectors.product_filter(store=store, params=params)
    else:
        products = Product.objects.for_store(store).filter(pk__in=data["ids"])
    action = data["action"]
    if action == "adjust_price" and not data["confirmed"]:
        try:
            services.bulk_price_check(
                store=store, products=products, mode=data["mode"], value=data["value"]
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(back)
        preview = selectors.bulk_price_preview(
            store=store, products=products, mode=data["mode"], value=data["value"]
        )
        return render_page(
            request,
            "catalog/product_bulk_confirm.html",
            {
                "preview": preview,
                "form": form,
                "params": params,
                "ids": data["ids"],
                "back_url": back,
            },
        )
    options = {
        "action": action,
        "category": data.get("category"),
        "tag": data.get("tag") or "",
        "mode": data.get("mode") or "",
        "value": data.get("value"),
    }
    if data["scope"] == "all" and products.count() > services.BULK_INLINE_MAX:
        try:
            job = services.bulk_job_create(
                store=store, actor=request.user, products=products, **options
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(back)
        url = catalog_url("bulk-job-detail", request, bulk_job_id=job.pk)
        return redirect(f"{url}?{urlencode({'back': back})}")
    try:
        result = services.products_bulk_update(
            store=store,
            actor=request.user,
            products=products,
            action=action,
            category=data.get("category"),
            tag=data.get("tag") or "",
            mode=data.get("mode") or "",
            value=data.get("value"),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    label = services.BULK_ACTIONS[action].lower()
    noun = "product" if result.matched == 1 else "products"
    unchanged = result.matched - result.changed
    message = f"{label.capitalize()}: {result.changed} of {result.matched} {noun} changed."
    if action == "adjust_price":
        message = f"Prices adjusted on {result.changed} {noun}."
    elif unchanged and result.changed == 0:
        message = f"Nothing to change: the {result.matched} {noun} already matched."
    return redirect_with_message(request, back, message)


@store_view(Perm.MANAGE_CATALOG)
def bulk_job_detail(request: HttpRequest, bulk_job_id: int) -> HttpResponse:
    """Progress of a large bulk action, polled by htmx until it is done."""
    job = selectors.bulk_job_get(store=request.store, job_id=bulk_job_id)
    if job is None:
        raise Http404("No such bulk action.")
    back = request.GET.get("back", "")
    if not back.startswith(catalog_url("product-list", request)):
        back = catalog_url("product-list", request)
    context = {
        "job": job,
        "label": services.BULK_ACTIONS.get(job.action, job.action),
        "progress": selectors.bulk_job_progress(job),
        "back_url": back,
    }
    return render_page(request, "catalog/bulkjob_detail.html", context, partial="bulk-progress")


def _product_form_page(request, product, form, formset, status=200) -> HttpResponse:
    context = {
        "product": product,
        "form": form,
        "formset": formset,
        "image_form": ImageUploadForm(),
        "variants_by_id": {v.pk: v for v in product.variants.all()} if product else {},
    }
    return render_page(request, "catalog/product_form.html", context, status=status)


def _save_product(request: HttpRequest, product: Product | None) -> HttpResponse:
    store = request.store
    category_choices = selectors.category_choices(store=store)
    if request.method == "POST":
        form = ProductForm(request.POST, category_choices=category_choices)
        formset = VariantFormSet(request.POST, prefix="variants")
        if form.is_valid() and formset.is_valid():
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
        return _product_form_page(request, product, form, formset, status=400)
    if product is None:
        form = ProductForm(category_choices=category_choices)
        formset = VariantFormSet(prefix="variants")
    else:
        form = ProductForm(initial=product_initial(product), category_choices=category_choices)
        formset = VariantFormSet(initial=variant_initial(product), prefix="variants")
    return _product_form_page(request, product, form, formset)


@store_view(Perm.MANAGE_CATALOG)
@require_http_methods(["GET", "POST"])
def product_create(request: HttpRequest) -> HttpResponse:
    return _save_product(request, None)


@store_view(Perm.MANAGE_CATALOG)
@require_http_methods(["GET", "POST"])
def product_update(request: HttpRequest, product_id: int) -> HttpResponse:
    return _save_product(request, product_or_404(request, product_id))


@store_view(Perm.MANAGE_CATALOG)
@require_POST
def product_delete(request: HttpRequest, product_id: int) -> HttpResponse:
    product = product_or_404(request, product_id)
    services.product_delete(store=request.store, actor=request.user, product=product)
    return redirect_with_message(
        request, catalog_url("product-list", request), f"Product “{product.title}” deleted."
    )
