"""Export of the order list (its current filter) as a background job: the confirmation page
naming the filter and the count, the job's progress page, the private download."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.exceptions import DomainError
from apps.core.files import private_file_response, private_file_retention_days
from apps.core.htmx import redirect_with_message, render_page
from apps.core.jobs import job_cancel, job_progress_of
from apps.core.selectors import object_get
from apps.core.tenancy import store_view
from apps.orders import selectors, services
from apps.orders.models import OrderExportJob
from apps.orders.permissions import EXPORT_ORDERS
from apps.orders.views.common import orders_url


def _job(request: HttpRequest, order_export_id: int) -> OrderExportJob:
    return object_get(
        OrderExportJob.objects.for_store(request.store),
        not_found="No such export.",
        pk=order_export_id,
    )


@store_view(EXPORT_ORDERS)
@require_http_methods(["GET", "POST"])
def order_export(request: HttpRequest) -> HttpResponse:
    """GET: what will be exported (the filter as chips name it, how many orders); POST: queue
    the export job and show its progress."""
    data = request.POST if request.method == "POST" else request.GET
    params = {key: data[key] for key in selectors.FILTER_PARAMS if data.get(key)}
    date_error = selectors.order_date_range_error(params)
    if request.method == "POST" and not date_error:
        job = services.order_export_create(store=request.store, actor=request.user, params=params)
        return redirect(orders_url("export-detail", request, order_export_id=job.pk))
    context = {
        "params": params,
        "heading": selectors.order_export_heading(params),
        "date_error": date_error,
        "chips": [
            chip.label for chip in selectors.order_filter_chips(params=params, store=request.store)
        ],
        "order_count": 0
        if date_error
        else selectors.order_filter(store=request.store, params=params).count(),
    }
    status = 400 if date_error and request.method == "POST" else 200
    return render_page(request, "orders/export_form.html", context, status=status)


@store_view(EXPORT_ORDERS)
def export_detail(request: HttpRequest, order_export_id: int) -> HttpResponse:
    job = _job(request, order_export_id)
    context = {
        "job": job,
        "progress": job_progress_of(job),
        "retention_days": private_file_retention_days(job.file_retention),
    }
    return render_page(request, "orders/export_progress.html", context, partial="export-progress")


@store_view(EXPORT_ORDERS)
@require_POST
def export_cancel(request: HttpRequest, order_export_id: int) -> HttpResponse:
    job = _job(request, order_export_id)
    try:
        job_cancel(job=job)
    except DomainError as error:
        message = error.message
    else:
        message = "Export cancelled."
    return redirect_with_message(
        request, orders_url("export-detail", request, order_export_id=job.pk), message
    )


@store_view(EXPORT_ORDERS)
def export_download(request: HttpRequest, order_export_id: int) -> HttpResponse:
    job = _job(request, order_export_id)
    if job.lifecycle != "done":
        raise Http404("This export is not ready, or has expired.")
    return private_file_response(
        job.result_file, filename=job.filename, content_type="text/csv; charset=utf-8"
    )
