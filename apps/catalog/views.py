"""Catalog pages: product list and bulk actions, product form, images, stock, categories."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.roles import Perm
from apps.catalog import selectors, services
from apps.catalog.forms import (
    BulkActionForm,
    CategoryForm,
    CategoryParentForm,
    ImageAltForm,
    ImageUploadForm,
    ProductForm,
    StockAdjustForm,
    VariantFormSet,
    apply_domain_error,
)
from apps.catalog.models import Product, ProductStatus
from apps.core.exceptions import DomainError
from apps.core.htmx import redirect_with_message, render_page
from apps.core.tables import ChoiceFilter, Column, TableQuery
from apps.core.tenancy import store_view

FILTER_PARAMS = ("q", "status", "category", "vendor", "stock")

PRODUCT_COLUMNS = [
    Column("title", "Product", "sort_title"),
    Column("status", "Status", "sort_status"),
    Column("category", "Category", "category__name"),
    Column("vendor", "Vendor", "sort_vendor"),
    Column("stock", "Stock", "sort_stock", numeric=True),
    Column("price", "Price", "sort_price", numeric=True),
    Column("updated", "Updated", "sort_updated"),
]

LOW_STOCK_COLUMNS = [
    Column("product", "Product", "product__title"),
    Column("sku", "SKU", "sku"),
    Column("stock", "Stock", "stock_quantity", numeric=True),
    Column("threshold", "Threshold", "product__low_stock_threshold", numeric=True),
    Column("actions", ""),
]


def _url(name: str, request: HttpRequest, **kwargs) -> str:
    return reverse(f"catalog:{name}", kwargs={"handle": request.store.handle, **kwargs})


def _product_or_404(request: HttpRequest, product_id: int) -> Product:
    product = selectors.product_get(store=request.store, product_id=product_id)
    if product is None:
        raise Http404("No such product.")
    return product


# --- product list -------------------------------------------------------------------------------
COUNT_CAP = 10_000


def _product_table(request: HttpRequest, category_choices: list) -> TableQuery:
    store = request.store
    q = request.GET.get("q", "").strip()
    products = selectors.Product.objects.for_store(store)
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
    back = _url("product-list", request)
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
        products = selectors.Product.objects.for_store(store).filter(pk__in=data["ids"])
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
        url = _url("bulk-job-detail", request, bulk_job_id=job.pk)
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
    if not back.startswith(_url("product-list", request)):
        back = _url("product-list", request)
    context = {
        "job": job,
        "label": services.BULK_ACTIONS.get(job.action, job.action),
        "progress": selectors.bulk_job_progress(job),
        "back_url": back,
    }
    return render_page(request, "catalog/bulkjob_detail.html", context, partial="bulk-progress")


# --- product form -------------------------------------------------------------------------------
def _option_names(product: Product | None) -> list[str]:
    if product is None:
        return []
    for variant in product.variants.all():
        if variant.option_values:
            return list(variant.option_values.keys())[:2]
    return []


def _product_initial(product: Product) -> dict:
    names = _option_names(product)
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


def _variant_initial(product: Product) -> list[dict]:
    names = _option_names(product)
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
                    _url("product-update", request, product_id=saved.pk),
                    f"Product “{saved.title}” {verb}.",
                )
        return _product_form_page(request, product, form, formset, status=400)
    if product is None:
        form = ProductForm(category_choices=category_choices)
        formset = VariantFormSet(prefix="variants")
    else:
        form = ProductForm(initial=_product_initial(product), category_choices=category_choices)
        formset = VariantFormSet(initial=_variant_initial(product), prefix="variants")
    return _product_form_page(request, product, form, formset)


@store_view(Perm.MANAGE_CATALOG)
@require_http_methods(["GET", "POST"])
def product_create(request: HttpRequest) -> HttpResponse:
    return _save_product(request, None)


@store_view(Perm.MANAGE_CATALOG)
@require_http_methods(["GET", "POST"])
def product_update(request: HttpRequest, product_id: int) -> HttpResponse:
    return _save_product(request, _product_or_404(request, product_id))


@store_view(Perm.MANAGE_CATALOG)
@require_POST
def product_delete(request: HttpRequest, product_id: int) -> HttpResponse:
    product = _product_or_404(request, product_id)
    services.product_delete(store=request.store, actor=request.user, product=product)
    return redirect_with_message(
        request, _url("product-list", request), f"Product “{product.title}” deleted."
    )


# --- images -------------------------------------------------------------------------------------
def _images_url(request: HttpRequest, product: Product) -> str:
    return _url("product-update", request, product_id=product.pk) + "#images"


@store_view(Perm.MANAGE_CATALOG)
@require_POST
def image_add(request: HttpRequest, product_id: int) -> HttpResponse:
    product = _product_or_404(request, product_id)
    form = ImageUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.image_add(
                store=request.store,
                actor=request.user,
                product=product,
                upload=form.cleaned_data["image"],
                alt_text=form.cleaned_data["alt_text"],
            )
        except DomainError as error:
            apply_domain_error(error, form)
        else:
            return redirect_with_message(request, _images_url(request, product), "Image added.")
    category_choices = selectors.category_choices(store=request.store)
    context = {
        "product": product,
        "form": ProductForm(initial=_product_initial(product), category_choices=category_choices),
        "formset": VariantFormSet(initial=_variant_initial(product), prefix="variants"),
        "image_form": form,
        "variants_by_id": {v.pk: v for v in product.variants.all()},
    }
    return render_page(request, "catalog/product_form.html", context, status=400)


@store_view(Perm.MANAGE_CATALOG)
@require_POST
def image_update(request: HttpRequest, product_id: int, image_id: int) -> HttpResponse:
    product = _product_or_404(request, product_id)
    form = ImageAltForm(request.POST)
    if form.is_valid():
        try:
            services.image_update(
                store=request.store,
                actor=request.user,
                product=product,
                image=image_id,
                alt_text=form.cleaned_data["alt_text"],
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(_images_url(request, product))
        return redirect_with_message(request, _images_url(request, product), "Alt text saved.")
    messages.error(request, "The alt text is longer than 255 characters.")
    return redirect(_images_url(request, product))


@store_view(Perm.MANAGE_CATALOG)
@require_POST
def image_move(request: HttpRequest, product_id: int, image_id: int) -> HttpResponse:
    product = _product_or_404(request, product_id)
    try:
        services.image_move(
            store=request.store,
            actor=request.user,
            product=product,
            image=image_id,
            direction=request.POST.get("direction", ""),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_images_url(request, product))
    return redirect_with_message(request, _images_url(request, product), "Image order saved.")


@store_view(Perm.MANAGE_CATALOG)
@require_POST
def image_delete(request: HttpRequest, product_id: int, image_id: int) -> HttpResponse:
    product = _product_or_404(request, product_id)
    try:
        services.image_delete(
            store=request.store, actor=request.user, product=product, image=image_id
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_images_url(request, product))
    return redirect_with_message(request, _images_url(request, product), "Image removed.")


# --- stock --------------------------------------------------------------------------------------
@store_view(Perm.MANAGE_CATALOG)
@require_http_methods(["GET", "POST"])
def variant_detail(request: HttpRequest, variant_id: int) -> HttpResponse:
    variant = selectors.variant_get(store=request.store, variant_id=variant_id)
    if variant is None:
        raise Http404("No such variant.")
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
                    _url("variant-detail", request, variant_id=variant.pk),
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
    context = {"variant": variant, "product": variant.product, "form": form, "table": table}
    return render_page(
        request, "catalog/variant_detail.html", context, partial="movement-table", status=status
    )


@store_view(Perm.MANAGE_CATALOG)
def low_stock_list(request: HttpRequest) -> HttpResponse:
    table = TableQuery(
        request=request,
        queryset=selectors.low_stock_variants(store=request.store),
        columns=LOW_STOCK_COLUMNS,
        search_fields=("sku", "product__title"),
        default_sort="stock",
    )
    return render_page(
        request, "catalog/low_stock_list.html", {"table": table}, partial="low-stock-table"
    )


# --- categories ---------------------------------------------------------------------------------
def _category_page(request, form=None, status=200) -> HttpResponse:
    store = request.store
    choices = selectors.category_choices(store=store)
    nodes = selectors.category_flat(store=store)
    context = {
        "nodes": nodes,
        "form": form or CategoryForm(category_choices=choices),
        "category_choices": choices,
        "uncategorised": selectors.Product.objects.for_store(store)
        .filter(category__isnull=True)
        .count(),
    }
    return render_page(
        request, "catalog/category_list.html", context, partial="category-tree", status=status
    )


def _category_or_404(request: HttpRequest, category_id: int):
    category = selectors.category_get(store=request.store, category_id=category_id)
    if category is None:
        raise Http404("No such category.")
    return category


@store_view(Perm.MANAGE_CATALOG)
def category_list(request: HttpRequest) -> HttpResponse:
    return _category_page(request)


@store_view(Perm.MANAGE_CATALOG)
@require_POST
def category_create(request: HttpRequest) -> HttpResponse:
    choices = selectors.category_choices(store=request.store)
    form = CategoryForm(request.POST, category_choices=choices)
    if form.is_valid():
        try:
            category = services.category_create(
                store=request.store,
                actor=request.user,
                name=form.cleaned_data["name"],
                parent=form.cleaned_data["parent"],
            )
        except DomainError as error:
            apply_domain_error(error, form)
        else:
            return redirect_with_message(
                request, _url("category-list", request), f"Category “{category.name}” added."
            )
    return _category_page(request, form=form, status=400)


@store_view(Perm.MANAGE_CATALOG)
@require_POST
def category_update(request: HttpRequest, category_id: int) -> HttpResponse:
    category = _category_or_404(request, category_id)
    try:
        services.category_update(
            store=request.store,
            actor=request.user,
            category=category,
            name=request.POST.get("name", ""),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_url("category-list", request))
    return redirect_with_message(request, _url("category-list", request), "Category renamed.")


@store_view(Perm.MANAGE_CATALOG)
@require_POST
def category_move(request: HttpRequest, category_id: int) -> HttpResponse:
    category = _category_or_404(request, category_id)
    try:
        services.category_move(
            store=request.store,
            actor=request.user,
            category=category,
            direction=request.POST.get("direction", ""),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_url("category-list", request))
    if request.htmx:
        return _category_page(request)
    return redirect(_url("category-list", request))


@store_view(Perm.MANAGE_CATALOG)
@require_POST
def category_parent(request: HttpRequest, category_id: int) -> HttpResponse:
    category = _category_or_404(request, category_id)
    form = CategoryParentForm(
        request.POST, category_choices=selectors.category_choices(store=request.store)
    )
    if not form.is_valid():
        messages.error(request, "Pick a category from the list.")
        return redirect(_url("category-list", request))
    try:
        services.category_set_parent(
            store=request.store,
            actor=request.user,
            category=category,
            parent=form.cleaned_data["parent"],
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_url("category-list", request))
    return redirect_with_message(
        request, _url("category-list", request), f"Category “{category.name}” moved."
    )


@store_view(Perm.MANAGE_CATALOG)
@require_POST
def category_delete(request: HttpRequest, category_id: int) -> HttpResponse:
    category = _category_or_404(request, category_id)
    services.category_delete(store=request.store, actor=request.user, category=category)
    return redirect_with_message(
        request, _url("category-list", request), f"Category “{category.name}” deleted."
    )
