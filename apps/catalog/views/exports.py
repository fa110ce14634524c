"""Export of the product list as CSV or Excel (large files built in the background)."""

from __future__ import annotations

import uuid

from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.roles import Perm
from apps.catalog import selectors
from apps.catalog.forms import ExportForm
from apps.catalog.io.exporter import export_csv_chunks, export_filename, export_xlsx_file
from apps.catalog.models import Variant
from apps.catalog.views.common import FILTER_PARAMS
from apps.core.htmx import render_page
from apps.core.tenancy import store_view

# Excel files with more variants than this are built by a Celery task with a progress bar.
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


@store_view(Perm.MANAGE_CATALOG)
@require_http_methods(["GET", "POST"])
def product_export(request: HttpRequest) -> HttpResponse:
    """The product list's current filter (same parameters: q, status, category, vendor, stock)
    as CSV or XLSX.

    GET without ``format`` shows the choice of format and how many variants the file will
    hold; GET with ``format=csv|xlsx`` downloads at once. The page's form posts: CSV streams,
    a large Excel file is built by a task while a progress bar shows how far it got.
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
            "variant_count": variant_count,
            "product_count": products.count(),
            "is_large": variant_count > XLSX_INLINE_MAX,
        }
        return render_page(request, "catalog/export_form.html", context)
    if request.method == "POST" and file_format == "xlsx":
        count = Variant.objects.for_store(store).filter(product__in=products).count()
        if count > XLSX_INLINE_MAX:
            from apps.catalog.tasks import product_export_task

            result = product_export_task.delay(store.id, params, "xlsx")
            progress_url = reverse("catalog:export-progress", kwargs={"handle": store.handle})
            return redirect(f"{progress_url}?task={result.id}")
    return _export_response(store, products, file_format)


def _export_result(request: HttpRequest):
    """``(task id, state, info)`` of the export task in ``?task=``; 404 for another store's."""
    from celery.result import AsyncResult

    try:
        task_id = str(uuid.UUID(request.GET.get("task", "")))
    except ValueError:
        raise Http404("No such export.") from None
    result = AsyncResult(task_id)
    info = result.info if isinstance(result.info, dict) else {}
    if info.get("store_id") not in (None, request.store.id):
        raise Http404("No such export.")
    if result.state == "SUCCESS" and info.get("store_id") != request.store.id:
        raise Http404("No such export.")
    return task_id, result.state, info


@store_view(Perm.MANAGE_CATALOG)
def export_progress(request: HttpRequest) -> HttpResponse:
    task_id, state, info = _export_result(request)
    total = max(int(info.get("total") or 0), 1)
    done = min(int(info.get("done") or 0), total)
    context = {
        "task_id": task_id,
        "state": state,
        "done": done,
        "total": total if info.get("total") else 0,
        "percent": int(100 * done / total),
        "is_ready": state == "SUCCESS",
        "is_failed": state in ("FAILURE", "REVOKED"),
    }
    return render_page(request, "catalog/export_progress.html", context, partial="export-progress")


@store_view(Perm.MANAGE_CATALOG)
def export_download(request: HttpRequest) -> HttpResponse:
    from django.core.files.storage import default_storage

    _task_id, state, info = _export_result(request)
    if state != "SUCCESS" or not info.get("name") or not default_storage.exists(info["name"]):
        raise Http404("This export is not ready, or has expired.")
    return FileResponse(
        default_storage.open(info["name"], "rb"),
        as_attachment=True,
        filename=info.get("filename") or "products.xlsx",
        content_type=XLSX_TYPE if info["name"].endswith(".xlsx") else "text/csv; charset=utf-8",
    )
