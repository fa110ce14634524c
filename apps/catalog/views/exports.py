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
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from apps.catalog import selectors, services
from apps.catalog.forms import ExportForm
from apps.catalog.io.exporter import export_csv_chunks, export_filename, export_xlsx_file
from apps.catalog.models import Variant
from apps.catalog.permissions import MANAGE_CATALOG
from apps.catalog.views.common import FILTER_PARAMS, catalog_url
from apps.catalog.views.products import _filter_summary
from apps.core.exceptions import DomainError
from apps.core.files import private_file_response, private_file_retention_days
from apps.core.htmx import redirect_with_message, render_page
from apps.core.jobs import job_progress_of
from apps.core.tenancy import store_view

# Excel files with more variants than this are built by an export job with a progress bar.
XLSX_INLINE_MAX = 20_000


def _export_response(store, products, file_format: str) -> HttpResponse:
    filename = export_filename(store=store, file_format=file_format, when=timezone.localtime())
    if file_format == "csv":
        response = StreamingHttpResponse(
            export_csv_chunks(store=store, products=products),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(
        export_xlsx_file(store=store, products=products),
        as_attachment=True,
        filename=filename,
        content_type=XLSX_TYPE,
    )


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@store_view(MANAGE_CATALOG)
@require_http_methods(["GET", "POST"])
def product_export(request: HttpRequest) -> HttpResponse:
    """The product list's current filter (same parameters: q, status, category, vendor, stock)
    as CSV or XLSX.

    GET without ``format`` shows the choice of format and how many variants the file will
    hold; GET with ``format=csv|xlsx`` downloads at once. The page's form posts: CSV streams,
    a large Excel file is built by an export job while its page shows how far it got.
    """
    store = request.store
    data = request.POST if request.method == "POST" else request.GET
    params = {key: data.get(key, "") for key in FILTER_PARAMS if data.get(key)}
    products = selectors.product_filter(store=store, params=params)
    file_format = data.get("format", "")
    if file_format not in ("csv", "xlsx"):
        variant_count = Variant.objects.for_store(store).filter(product__in=products).count()
        context = {
            "form": ExportForm(),
            "params": params,
            "back_url": f"{catalog_url('product-list', request)}?{urlencode(params)}"
            if params
            else catalog_url("product-list", request),
            # the filter as the list's chips name it: "Search: linen · Category: Shirts"
            "filter_summary": _filter_summary(
                params, selectors.category_choices(store=store) if "category" in params else []
            ),
            "variant_count": variant_count,
            "product_count": products.count(),
            "is_large": variant_count > XLSX_INLINE_MAX,
        }
        return render_page(request, "catalog/export_form.html", context)
    if request.method == "POST" and file_format == "xlsx":
        count = Variant.objects.for_store(store).filter(product__in=products).count()
        if count > XLSX_INLINE_MAX:
            job = services.export_job_create(
                store=store, actor=request.user, params=params, file_format="xlsx"
            )
            return redirect(catalog_url("export-detail", request, export_id=job.pk))
    return _export_response(store, products, file_format)


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
