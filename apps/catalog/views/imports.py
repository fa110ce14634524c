"""Import pages: upload → mapping → check → run → result (with a cancellable progress page in
between for large files), the uploaded file and the error rows (private files)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from apps.catalog import selectors as io_selectors
from apps.catalog import services as io_services
from apps.catalog.forms import ImportMappingForm, ImportUploadForm
from apps.catalog.io.columns import COLUMNS, COLUMNS_BY_NAME, source_required_headers
from apps.catalog.models import ImportJob, ImportStatus
from apps.catalog.permissions import MANAGE_CATALOG
from apps.catalog.services.import_sources import source_label
from apps.core.exceptions import DomainError
from apps.core.files import private_file_response
from apps.core.htmx import redirect_with_message, render_page
from apps.core.jobs import job_progress_of
from apps.core.tables import Column, TableQuery
from apps.core.tabular import upload_size_refusal
from apps.core.tenancy import store_view

HISTORY_COLUMNS = [
    Column("file", "File", "original_name"),
    Column("created_at", "Uploaded", "created_at"),
    Column("status", "Status", "status"),
    Column("rows", "Rows", "total", numeric=True),
    Column("created", "Created", "created_count", numeric=True),
    Column("updated", "Updated", "updated_count", numeric=True),
    Column("skipped", "Skipped", "skipped_count", numeric=True),
]


def _job_url(request: HttpRequest, job: ImportJob, name: str = "import-detail") -> str:
    return reverse(f"catalog:{name}", kwargs={"handle": request.store.handle, "job_id": job.pk})


@store_view(MANAGE_CATALOG)
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


@store_view(MANAGE_CATALOG)
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        refusal = upload_size_refusal(request)
        if refusal:  # refused for its size: the form shows why, next to the file
            form = ImportUploadForm(data={}, files={})
            form.is_valid()
            form.errors["file"] = form.error_class([refusal])
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
    context = {
        "form": form,
        "columns": COLUMNS,
        "shop_required": {
            label: source_required_headers(source)
            for source, label in (("shopify", "Shopify"), ("woocommerce", "WooCommerce"))
        },
    }
    return render_page(request, "catalog/import_upload.html", context, status=status)


@store_view(MANAGE_CATALOG)
@require_http_methods(["GET", "POST"])
def import_mapping(request: HttpRequest, job_id: int) -> HttpResponse:
    job = io_selectors.import_job_get(store=request.store, job_id=job_id)
    if job.status not in io_services.CONFIGURABLE_STATUSES:  # being checked, or imported
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
                    create_categories=form.cleaned_data["create_categories"],
                )
            except DomainError as error:
                form.add_error(None if error.field == "mapping" else error.field, error.message)
            else:
                return redirect(_job_url(request, job))
        status = 400
    else:
        initial = {
            "mode": job.mode,
            "create_categories": job.summary.get("create_categories", True),
        }
        form = ImportMappingForm(initial=initial, **form_kwargs)
    sample = job.summary.get("sample", [])
    rows = [
        {"field": field, "sample": sample[index] if index < len(sample) else ""}
        for index, field in enumerate(form.column_fields())
    ]
    required = [COLUMNS_BY_NAME[name] for name in ("handle", "title", "sku", "price")]
    context = {
        "job": job,
        "form": form,
        "rows": rows,
        "required": required,
        "source_label": source_label(job),
    }
    return render_page(request, "catalog/import_mapping.html", context, status=status)


@store_view(MANAGE_CATALOG)
def import_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = io_selectors.import_job_get(store=request.store, job_id=job_id)
    if job.status == ImportStatus.UPLOADED:
        return redirect(_job_url(request, job, "import-mapping"))
    in_progress = job.is_active
    if request.htmx and not in_progress:
        # the progress bar polled past the end: load the preview or the result page
        return HttpResponseClientRedirect(_job_url(request, job))
    context = {"job": job, "summary": io_selectors.import_summary(job)}
    if in_progress:
        context["progress"] = io_selectors.import_progress(job)
        return render_page(
            request, "catalog/import_progress.html", context, partial="import-progress"
        )
    if job.status == ImportStatus.VALIDATED:
        context["can_run"] = not io_services.import_job_run_refusal(job)
        return render_page(request, "catalog/import_preview.html", context)
    fetch = getattr(job, "image_fetch", None) if job.summary.get("images") else None
    context.update({"fetch": fetch, "fetch_progress": fetch and job_progress_of(fetch)})
    return render_page(request, "catalog/import_result.html", context)


@store_view(MANAGE_CATALOG)
@require_POST
def import_run(request: HttpRequest, job_id: int) -> HttpResponse:
    job = io_selectors.import_job_get(store=request.store, job_id=job_id)
    try:
        io_services.import_job_start(store=request.store, job=job, actor=request.user)
    except DomainError as error:
        context = {
            "job": job,
            "summary": io_selectors.import_summary(job),
            "can_run": False,
            "error": error.message,
        }
        return render_page(request, "catalog/import_preview.html", context, status=400)
    return redirect(_job_url(request, job))


@store_view(MANAGE_CATALOG)
def import_errors(request: HttpRequest, job_id: int) -> HttpResponse:
    job = io_selectors.import_job_get(store=request.store, job_id=job_id)
    if not job.result_file:
        raise Http404("This import has no rows with errors, or they have expired.")
    stem = job.original_name.rsplit(".", 1)[0] or "import"
    return private_file_response(
        job.result_file, filename=f"{stem}-errors.csv", content_type="text/csv; charset=utf-8"
    )


FILE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@store_view(MANAGE_CATALOG)
def import_file(request: HttpRequest, job_id: int) -> HttpResponse:
    """The file as it was uploaded (kept for the import retention period)."""
    job = io_selectors.import_job_get(store=request.store, job_id=job_id)
    return private_file_response(
        job.file,
        filename=job.original_name,
        content_type=FILE_TYPES.get(job.file_format, "application/octet-stream"),
    )


@store_view(MANAGE_CATALOG)
@require_POST
def import_cancel(request: HttpRequest, job_id: int) -> HttpResponse:
    job = io_selectors.import_job_get(store=request.store, job_id=job_id)
    try:
        io_services.catalog_job_cancel(store=request.store, actor=request.user, job=job)
    except DomainError as error:
        message = error.message
    else:
        message = f"Import of {job.original_name} cancelled."
    return redirect_with_message(request, _job_url(request, job), message)


@store_view(MANAGE_CATALOG)
def import_images(request: HttpRequest, job_id: int) -> HttpResponse:
    """The images the import's file gave by address: the fetch's progress while it runs, then
    each image's outcome. A fragment of the result page, which polls it; a plain visit goes to
    that page."""
    fetch = io_selectors.image_fetch_job_get(store=request.store, import_job_id=job_id)
    if not request.htmx:
        return redirect(_job_url(request, fetch.import_job))
    context = {
        "job": fetch.import_job,
        "summary": io_selectors.import_summary(fetch.import_job),
        "fetch": fetch,
        "fetch_progress": job_progress_of(fetch),
    }
    return render_page(request, "catalog/partials/import_images.html", context)


@store_view(MANAGE_CATALOG)
@require_POST
def import_images_cancel(request: HttpRequest, job_id: int) -> HttpResponse:
    fetch = io_selectors.image_fetch_job_get(store=request.store, import_job_id=job_id)
    try:
        io_services.catalog_job_cancel(store=request.store, actor=request.user, job=fetch)
    except DomainError as error:
        message = error.message
    else:
        message = "Image fetch cancelled; the images fetched so far stay."
    return redirect_with_message(request, _job_url(request, fetch.import_job), message)
