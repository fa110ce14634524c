"""Export of the product list as CSV or Excel; large Excel files are built by an export job
(``exports/<id>/``: a progress page, then the download, served privately)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from apps.catalog import selectors, services
from apps.catalog.forms import ExportForm
from apps.catalog.io.exporter import export_csv_chunks, export_xlsx_file
from apps.catalog.permissions import MANAGE_CATALOG
from apps.catalog.views.common import catalog_url, filter_params
from apps.core.exceptions import DomainError
from apps.core.files import private_file_response, private_file_retention_days
from apps.core.htmx import redirect_with_message, render_page
from apps.core.jobs import job_progress_of
from apps.core.tenancy import store_view

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _export_response(store, export: services.ExportNow) -> HttpResponse:
    if export.file_format == "csv":
        response = StreamingHttpResponse(
            export_csv_chunks(store=store, products=export.products),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response
    return FileResponse(
        export_xlsx_file(store=store, products=export.products),
        as_attachment=True,
        filename=export.filename,
        content_type=XLSX_TYPE,
    )


@store_view(MANAGE_CATALOG)
@require_http_methods(["GET", "POST"])
def product_export(request: HttpRequest) -> HttpResponse:
    """The product list's current filter (same parameters: q, status, category, vendor, stock)
    as CSV or XLSX.

    Without ``format`` it shows the choice of format and how many variants the file will
    hold. With ``format=csv|xlsx`` (the page's form posts it; a link may carry it)
    ``services.export_start`` decides: the file at once, or an export job whose page shows
    how far it got.
    """
    store = request.store
    data = request.POST if request.method == "POST" else request.GET
    params = filter_params(data)
    file_format = data.get("format", "")
    if file_format not in services.EXPORT_FORMATS:
        products = selectors.product_filter(store=store, params=params)
        variant_count = services.export_variant_count(store=store, products=products)
        context = {
            "form": ExportForm(),
            "params": params,
            "back_url": f"{catalog_url('product-list', request)}?{urlencode(params)}"
            if params
            else catalog_url("product-list", request),
            # the filter as the list's chips name it: "Search: linen · Category: Shirts"
            "filter_summary": selectors.product_filter_summary(
                params, selectors.category_choices(store=store) if "category" in params else []
            ),
            "variant_count": variant_count,
            "product_count": products.count(),
            "is_large": services.export_needs_job(file_format="xlsx", variant_count=variant_count),
        }
        return render_page(request, "catalog/export_form.html", context)
    started = services.export_start(
        store=store, actor=request.user, params=params, file_format=file_format
    )
    if isinstance(started, services.ExportNow):
        return _export_response(store, started)
    return redirect(catalog_url("export-detail", request, export_id=started.pk))


@store_view(MANAGE_CATALOG)
def export_detail(request: HttpRequest, export_id: int) -> HttpResponse:
    """The export's progress, polled by htmx until the file is ready; then its download."""
    job = selectors.export_job_get(store=request.store, export_id=export_id)
    context = {
        "job": job,
        "progress": job_progress_of(job),
        "retention_days": private_file_retention_days(job.file_retention),
    }
    return render_page(request, "catalog/export_progress.html", context, partial="export-progress")


@store_view(MANAGE_CATALOG)
@require_POST
def export_cancel(request: HttpRequest, export_id: int) -> HttpResponse:
    job = selectors.export_job_get(store=request.store, export_id=export_id)
    try:
        services.catalog_job_cancel(store=request.store, actor=request.user, job=job)
    except DomainError as error:
        message = error.message
    else:
        message = "Export cancelled."
    return redirect_with_message(
        request, catalog_url("export-detail", request, export_id=job.pk), message
    )


@store_view(MANAGE_CATALOG)
def export_download(request: HttpRequest, export_id: int) -> HttpResponse:
    job = selectors.export_job_get(store=request.store, export_id=export_id)
    if job.lifecycle != "done":
        raise Http404("This export is not ready, or has expired.")
    content_type = XLSX_TYPE if job.file_format == "xlsx" else "text/csv; charset=utf-8"
    return private_file_response(job.result_file, filename=job.filename, content_type=content_type)
