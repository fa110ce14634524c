"""Catalog import and export pages: upload → mapping → check → run → result, and export."""

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
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from apps.accounts.roles import Perm
from apps.catalog.io import selectors as io_selectors
from apps.catalog.io import services as io_services
from apps.catalog.io.columns import COLUMNS, COLUMNS_BY_NAME
from apps.catalog.io.exporter import export_csv_chunks, export_filename, export_xlsx_file
from apps.catalog.io.forms import ExportForm, ImportMappingForm, ImportUploadForm
from apps.catalog.io.readers import MAX_UPLOAD_BYTES, human_size
from apps.catalog.models import ImportJob, ImportMode, ImportStatus, Variant
from apps.core.exceptions import DomainError
from apps.core.htmx import render_page
from apps.core.tables import Column, TableQuery
from apps.core.tenancy import store_view

FILTER_PARAMS = ("q", "status", "category", "vendor", "stock")
HISTORY_COLUMNS = [
    Column("file", "File", "original_name"),
    Column("created_at", "Uploaded", "created_at"),
    Column("status", "Status", "status"),
    Column("rows", "Rows", "total_rows", numeric=True),
    Column("created", "Created", "created_count", numeric=True),
    Column("updated", "Updated", "updated_count", numeric=True),
    Column("skipped", "Skipped", "skipped_count", numeric=True),
]


def _job_url(request: HttpRequest, job: ImportJob, name: str = "import-detail") -> str:
    return reverse(f"catalog-io:{name}", kwargs={"handle": request.store.handle, "job_id": job.pk})


def _product_filter(store, params):
    from apps.catalog.selectors import product_filter

    return product_filter(store=store, params=params)


# --- history and upload ---------------------------------------------------------------------------
@store_view(Perm.MANAGE_CATALOG)
def import_list(request: HttpRequest) -> HttpResponse:
    table = TableQuery(
        request=request,
        queryset=io_selectors.import_job_list(store=request.store),
        columns=HISTORY_COLUMNS,
        search_fields=("original_name",),
        default_sort="-created_at",
    )
    return render_page(
        request, "catalog/import_list.html", {"table": table}, partial="import-table"
    )


@store_view(Perm.MANAGE_CATALOG)
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > MAX_UPLOAD_BYTES + 64 * 1024:
            # refused from the request's size alone, without reading the upload
            form = ImportUploadForm(data={}, files={})
            form.is_valid()
            form.errors["file"] = form.error_class(
                [
                    f"The file is about {human_size(length)}; the limit is "
                    f"{human_size(MAX_UPLOAD_BYTES)}. Split it into smaller files."
                ]
            )
            status = 400
        else:
            form = ImportUploadForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    job = io_services.import_job_create(
                        store=request.store, actor=request.user, upload=form.cleaned_data["file"]
                    )
                except DomainError as error:
                    form.add_error("file", error.message)
                else:
                    return redirect(_job_url(request, job, "import-mapping"))
            status = 400
    else:
        form = ImportUploadForm()
    context = {"form": form, "columns": COLUMNS}
    return render_page(request, "catalog/import_upload.html", context, status=status)


# --- mapping and mode -----------------------------------------------------------------------------
@store_view(Perm.MANAGE_CATALOG)
@require_http_methods(["GET", "POST"])
def import_mapping(request: HttpRequest, job_id: int) -> HttpResponse:
    job = io_selectors.import_job_get(store=request.store, job_id=job_id)
    if job.status in (ImportStatus.RUNNING, ImportStatus.DONE):
        return redirect(_job_url(request, job))
    form_kwargs = {"headers": job.headers, "mapping": job.mapping}
    status = 200
    if request.method == "POST":
        form = ImportMappingForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                io_services.import_job_configure(
                    store=request.store,
                    job=job,
                    mapping=form.mapping(),
                    mode=form.cleaned_data["mode"],
                )
            except DomainError as error:
                form.add_error(None if error.field == "mapping" else error.field, error.message)
            else:
                return redirect(_job_url(request, job))
        status = 400
    else:
        form = ImportMappingForm(initial={"mode": job.mode}, **form_kwargs)
    sample = job.summary.get("sample", [])
    rows = [
        {"field": field, "sample": sample[index] if index < len(sample) else ""}
        for index, field in enumerate(form.column_fields())
    ]
    required = [COLUMNS_BY_NAME[name] for name in ("handle", "title", "sku", "price")]
    context = {"job": job, "form": form, "rows": rows, "required": required}
    return render_page(request, "catalog/import_mapping.html", context, status=status)


# --- one job: progress, preview, result -----------------------------------------------------------
@store_view(Perm.MANAGE_CATALOG)
def import_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = io_selectors.import_job_get(store=request.store, job_id=job_id)
    if job.status == ImportStatus.UPLOADED:
        return redirect(_job_url(request, job, "import-mapping"))
    in_progress = job.status in (ImportStatus.VALIDATING, ImportStatus.RUNNING)
    if request.htmx and not in_progress:
        # the progress bar polled past the end: load the preview or the result page
        return HttpResponseClientRedirect(_job_url(request, job))
    context = {"job": job, "summary": job.summary}
    if in_progress:
        context["progress"] = io_selectors.import_progress(job)
        return render_page(
            request, "catalog/import_progress.html", context, partial="import-progress"
        )
    if job.status == ImportStatus.VALIDATED:
        context["can_run"] = job.summary.get("valid_rows", 0) > 0 and not (
            job.mode == ImportMode.ALL_OR_NOTHING and job.summary.get("error_rows")
        )
        return render_page(request, "catalog/import_preview.html", context)
    return render_page(request, "catalog/import_result.html", context)


@store_view(Perm.MANAGE_CATALOG)
@require_POST
def import_run(request: HttpRequest, job_id: int) -> HttpResponse:
    job = io_selectors.import_job_get(store=request.store, job_id=job_id)
    try:
        io_services.import_job_start(store=request.store, job=job, actor=request.user)
    except DomainError as error:
        context = {"job": job, "summary": job.summary, "can_run": False, "error": error.message}
        return render_page(request, "catalog/import_preview.html", context, status=400)
    return redirect(_job_url(request, job))


@store_view(Perm.MANAGE_CATALOG)
def import_errors(request: HttpRequest, job_id: int) -> HttpResponse:
    job = io_selectors.import_job_get(store=request.store, job_id=job_id)
    if not job.errors_file:
        raise Http404("This import has no rows with errors.")
    stem = job.original_name.rsplit(".", 1)[0] or "import"
    return FileResponse(
        job.errors_file.storage.open(job.errors_file.name, "rb"),
        as_attachment=True,
        filename=f"{stem}-errors.csv",
        content_type="text/csv; charset=utf-8",
    )


# --- export ---------------------------------------------------------------------------------------
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
    products = _product_filter(store, params)
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
            progress_url = reverse("catalog-io:export-progress", kwargs={"handle": store.handle})
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
