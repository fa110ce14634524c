"""The product list's bulk actions: apply one to the ticked products or to every product
matching the list's filter, the server-side confirmation step, and the progress page of a large
one run as a job. The rules (what may change, the signed confirmation, when a job is needed)
live in ``services/bulk.py``; this module only turns them into pages and redirects."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_POST

from apps.catalog import selectors, services
from apps.catalog.forms import BulkActionForm
from apps.catalog.models import BulkJob
from apps.catalog.permissions import MANAGE_CATALOG
from apps.catalog.views.common import catalog_url, filter_params
from apps.core.exceptions import DomainError
from apps.core.htmx import redirect_with_message, render_page
from apps.core.tenancy import store_view

FILTER_PREFIX = "filter-"


def carried_filters(params: dict[str, str]) -> dict[str, str]:
    """The list's filters as the bulk form and its confirmation page post them."""
    return {FILTER_PREFIX + key: value for key, value in params.items()}


BULK_RETRY_KEY = "catalog.product-bulk.retry"
BULK_FIELDS = ("action", "scope", "category", "tag", "mode", "value")


def bulk_retry_pop(request: HttpRequest) -> dict:
    """A bulk action refused a moment ago (its choices, its selection and why), once."""
    return request.session.pop(BULK_RETRY_KEY, None) or {}


def _bulk_refused(request: HttpRequest, back: str, message: str) -> HttpResponse:
    """Back to the list with the bulk bar as the person left it (the action, its options, the
    ticked products) and the reason next to it: nothing they chose or typed is lost."""
    data = {key: request.POST.get(key, "") for key in BULK_FIELDS}
    ids = [int(pk) for pk in request.POST.getlist("ids") if pk.isdigit()][: services.BULK_IDS_MAX]
    request.session[BULK_RETRY_KEY] = {"data": data, "ids": ids, "error": message}
    return redirect(back)


def _confirm_question(options: services.BulkOptions, count: int, category_name: str) -> str:
    products = f"{'the' if count == 1 else 'all'} {count:,} matching product{pluralize(count)}"
    return {
        "activate": f"Set {products} as active?",
        "archive": f"Archive {products}?",
        "draft": f"Set {products} as draft?",
        "set_category": (
            f"Move {products} to “{category_name}”?"
            if category_name
            else f"Remove the category from {products}?"
        ),
        "add_tag": f"Add the tag “{options.tag}” to {products}?",
        "remove_tag": f"Remove the tag “{options.tag}” from {products}?",
    }.get(options.action, f"Change {products}?")


def _apply_label(action: str, count: int) -> str:
    products = f"{count:,} product{pluralize(count)}"
    return {
        "activate": f"Set {products} as active",
        "archive": f"Archive {products}",
        "draft": f"Set {products} as draft",
        "set_category": f"Move {products}",
        "add_tag": f"Add the tag to {products}",
        "remove_tag": f"Remove the tag from {products}",
    }.get(action, f"Apply to {products}")


@store_view(MANAGE_CATALOG)
@require_POST
def product_bulk(request: HttpRequest) -> HttpResponse:
    """Apply a bulk action to the selected products or to all matching the list's filter.

    A change to all matching products, and every price change, is confirmed on the server:
    the first POST answers with a page naming what will change and a signed confirmation of
    exactly that (filter, products, action, count); only a POST carrying it applies the change.
    """
    store = request.store
    category_choices = selectors.category_choices(store=store)
    form = BulkActionForm(request.POST, category_choices=category_choices)
    params = filter_params(request.POST, prefix=FILTER_PREFIX)
    back = catalog_url("product-list", request)
    if params:
        back = f"{back}?{urlencode(params)}"
    if not form.is_valid():
        return _bulk_refused(request, back, next(iter(form.errors.values()))[0])
    data = form.cleaned_data
    try:
        started = services.bulk_start(
            store=store,
            actor=request.user,
            scope=data["scope"],
            ids=data["ids"],
            params=params,
            options=form.options(),
            confirmation=data["confirmation"],
        )
    except DomainError as error:
        return _bulk_refused(request, back, error.message)
    if isinstance(started, services.BulkConfirm):
        return _bulk_confirm_page(
            request, started, params=params, back=back, category_choices=category_choices
        )
    if isinstance(started, BulkJob):
        url = catalog_url("bulk-job-detail", request, bulk_job_id=started.pk)
        return redirect(f"{url}?{urlencode({'back': back})}")
    result, options = started, form.options()
    label = services.BULK_ACTIONS[options.action].lower()
    noun = "product" if result.matched == 1 else "products"
    unchanged = result.matched - result.changed
    message = f"{label.capitalize()}: {result.changed} of {result.matched} {noun} changed."
    if options.action == "adjust_price":
        message = f"Prices adjusted on {result.changed} {noun}."
    elif unchanged and result.changed == 0:
        message = f"Nothing to change: the {result.matched} {noun} already matched."
    return redirect_with_message(request, back, message)


def _bulk_confirm_page(
    request, confirm: services.BulkConfirm, *, params, back, category_choices
) -> HttpResponse:
    """The confirmation step: what will change, and the signed token to apply exactly that."""
    options, count = confirm.options, confirm.count
    preview = None
    if options.action == "adjust_price":
        preview = selectors.bulk_price_preview(
            store=request.store,
            products=confirm.products,
            mode=options.mode,
            value=options.value,
        )
    category_name = (
        dict(category_choices).get(str(options.category), "") if options.category else ""
    )
    context = {
        "preview": preview,
        "options": options,
        "scope": confirm.scope,
        "count": count,
        "question": _confirm_question(options, count, category_name),
        "apply_label": _apply_label(options.action, count),
        "filter_summary": selectors.product_filter_summary(params, category_choices),
        "is_stale": confirm.is_stale,
        "carried_filters": carried_filters(params),
        "ids": confirm.ids,
        "token": confirm.token,
        "back_url": back,
        "is_job": confirm.is_job,
    }
    return render_page(request, "catalog/product_bulk_confirm.html", context)


@store_view(MANAGE_CATALOG)
def bulk_job_detail(request: HttpRequest, bulk_job_id: int) -> HttpResponse:
    """Progress of a large bulk action, polled by htmx until it is done."""
    job = selectors.bulk_job_get(store=request.store, job_id=bulk_job_id)
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


@store_view(MANAGE_CATALOG)
@require_POST
def bulk_job_cancel(request: HttpRequest, bulk_job_id: int) -> HttpResponse:
    """Stop a queued or running bulk action before its next chunk; what is done stays done."""
    job = selectors.bulk_job_get(store=request.store, job_id=bulk_job_id)
    try:
        services.catalog_job_cancel(store=request.store, actor=request.user, job=job)
    except DomainError as error:
        message = error.message
    else:
        message = f"{services.BULK_ACTIONS.get(job.action, job.action)} cancelled."
    url = catalog_url("bulk-job-detail", request, bulk_job_id=job.pk)
    return redirect_with_message(request, url, message)
