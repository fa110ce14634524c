"""Zones and rates as CSV: the export, and the import's pages (upload → check → run, with a
cancellable progress page for large files) and its uploaded file (private). Owners and
managers, like the rest of shipping."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from apps.core.exceptions import DomainError
from apps.core.files import private_file_response
from apps.core.htmx import redirect_with_message, render_page
from apps.core.tabular import upload_size_refusal
from apps.core.tenancy import store_view
from apps.shipping.io import exports, imports
from apps.shipping.io import selectors as io_selectors
from apps.shipping.io.format import COLUMNS
from apps.shipping.io.forms import ShippingImportForm
from apps.shipping.models import ShippingImportJob, ShippingImportStatus
from apps.shipping.permissions import MANAGE_SHIPPING

FILE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _job_url(request: HttpRequest, job: ShippingImportJob, name: str = "import-detail") -> str:
    return reverse(f"shipping:{name}", kwargs={"handle": request.store.handle, "import_id": job.pk})


@store_view(MANAGE_SHIPPING)
def zone_export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        exports.shipping_export_csv(store=request.store), content_type=FILE_TYPES["csv"]
    )
    filename = exports.shipping_export_filename(store=request.store)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@store_view(MANAGE_SHIPPING)
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        refusal = upload_size_refusal(request)
        if refusal:  # refused for its size: the form says why, next to the file
            form = ShippingImportForm({"mode": request.POST.get("mode", "")}, {})
            form.is_valid()
            form.errors["file"] = form.error_class([refusal])
        else:
            form = ShippingImportForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    job = imports.shipping_import_create(
                        store=request.store,
                        actor=request.user,
                        upload=form.cleaned_data["file"],
                        mode=form.cleaned_data["mode"],
                    )
                except DomainError as error:
                    field = error.field if error.field in form.fields else None
                    form.add_error(field, error.message)
                else:
                    return redirect(_job_url(request, job))
        status = 400
    else:
        form = ShippingImportForm()
    context = {
        "form": form,
        "columns": COLUMNS,
        "recent": io_selectors.shipping_import_list(store=request.store)[:5],
    }
    return render_page(request, "shipping/import_upload.html", context, status=status)


def _detail_page(request, job: ShippingImportJob, *, error: str = "", status=200):
    context = {"job": job, "summary": job.summary}
    if job.is_active:
        progress = io_selectors.shipping_import_progress(job)
        # every row read again: the run is writing them in its one transaction
        writing = job.is_run_step and progress.done >= progress.total > 1
        context.update({"progress": progress, "writing": writing})
        return render_page(
            request, "shipping/import_progress.html", context, partial="import-progress"
        )
    if job.status == ShippingImportStatus.CHECKED:
        refusal = imports.shipping_import_run_refusal(job)
        context.update({"can_run": not refusal, "refusal": refusal, "error": error})
        return render_page(request, "shipping/import_check.html", context, status=status)
    return render_page(request, "shipping/import_result.html", context, status=status)


@store_view(MANAGE_SHIPPING)
def import_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    job = io_selectors.shipping_import_get(store=request.store, job_id=import_id)
    if request.htmx and not job.is_active:
        # the progress bar polled past the end: load the check or the result page
        return HttpResponseClientRedirect(_job_url(request, job))
    return _detail_page(request, job)


@store_view(MANAGE_SHIPPING)
@require_POST
def import_run(request: HttpRequest, import_id: int) -> HttpResponse:
    job = io_selectors.shipping_import_get(store=request.store, job_id=import_id)
    try:
        imports.shipping_import_start(store=request.store, job=job, actor=request.user)
    except DomainError as error:
        return _detail_page(request, job, error=error.message, status=400)
    return redirect(_job_url(request, job))


@store_view(MANAGE_SHIPPING)
@require_POST
def import_cancel(request: HttpRequest, import_id: int) -> HttpResponse:
    job = io_selectors.shipping_import_get(store=request.store, job_id=import_id)
    try:
        imports.shipping_import_cancel(store=request.store, actor=request.user, job=job)
    except DomainError as error:
        message = error.message
    else:
        message = f"Import of {job.original_name} cancelled; nothing was written."
    return redirect_with_message(request, _job_url(request, job), message)


@store_view(MANAGE_SHIPPING)
def import_file(request: HttpRequest, import_id: int) -> HttpResponse:
    """The file as it was uploaded (kept for the import retention period)."""
    job = io_selectors.shipping_import_get(store=request.store, job_id=import_id)
    return private_file_response(
        job.file,
        filename=job.original_name,
        content_type=FILE_TYPES.get(job.file_format, "application/octet-stream"),
    )
