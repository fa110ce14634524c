"""Exports of the product list: ``export_start`` decides whether the file is written into the
answer at once or built by a background job (ExportJob) into private storage, with progress,
and offered on the export's own page."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass

from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from apps.catalog.io.exporter import export_csv_chunks, export_filename, export_xlsx_file
from apps.catalog.models import ExportJob, Product, Variant
from apps.catalog.selectors import product_filter
from apps.core.exceptions import DomainError
from apps.core.jobs import JobCancelled, job_enqueue, job_progress_save
from apps.core.models import JobStatus, Store

EXPORT_FORMATS = ("csv", "xlsx")
# Excel files with more variants than this are built by an export job with a progress bar
# (a workbook is written whole before its first byte is sent; CSV streams row by row).
XLSX_INLINE_MAX = 20_000


@dataclass(frozen=True)
class ExportNow:
    """An export small enough (or streamable enough) to be written into the answer itself."""

    products: QuerySet[Product]
    file_format: str
    filename: str


def export_variant_count(*, store: Store, products: QuerySet[Product]) -> int:
    return Variant.objects.for_store(store).filter(product__in=products).count()


def export_needs_job(*, file_format: str, variant_count: int) -> bool:
    """Whether an export of ``variant_count`` variants is built by a job rather than at once."""
    return file_format == "xlsx" and variant_count > XLSX_INLINE_MAX


def export_start(*, store: Store, actor, params: dict, file_format: str) -> ExportNow | ExportJob:
    """Start the export of the products matching ``params`` (the product list's filter),
    whatever the request's method: a large Excel file becomes a queued ExportJob, anything
    else an ``ExportNow`` for the caller to write into its answer."""
    if file_format not in EXPORT_FORMATS:
        raise DomainError("Choose CSV or Excel.", field="format")
    products = product_filter(store=store, params=params)
    if file_format == "xlsx":
        count = export_variant_count(store=store, products=products)
        if export_needs_job(file_format=file_format, variant_count=count):
            return export_job_create(
                store=store, actor=actor, params=params, file_format=file_format
            )
    filename = export_filename(store=store, file_format=file_format, when=timezone.localtime())
    return ExportNow(products=products, file_format=file_format, filename=filename)


@transaction.atomic
def export_job_create(*, store: Store, actor, params: dict, file_format: str) -> ExportJob:
    """Queue the export of the products matching ``params`` (the product list's filter)."""
    if file_format not in EXPORT_FORMATS:
        raise DomainError("Choose CSV or Excel.", field="format")
    job = ExportJob.objects.create(
        store=store,
        file_format=file_format,
        params=params,
        filename=export_filename(store=store, file_format=file_format, when=timezone.localtime()),
        requested_by=actor if getattr(actor, "pk", None) else None,
    )
    job_enqueue(job)
    return job


def export_job_run(*, job: ExportJob) -> ExportJob:
    """ExportJob's job runner: write the file into private storage, reporting the variants
    written; a cancelled export stops at its next batch and keeps no file."""
    store = job.store
    products = product_filter(store=store, params=job.params)
    total = Variant.objects.for_store(store).filter(product__in=products).count()
    job_progress_save(job, processed=0, total=total)

    def progress(done: int) -> None:  # raises JobCancelled once the export was cancelled
        job_progress_save(job, processed=done)

    if job.file_format == "xlsx":
        built = export_xlsx_file(store=store, products=products, progress=progress)
    else:
        built = tempfile.TemporaryFile()  # noqa: SIM115 - closed below
        try:
            for chunk in export_csv_chunks(store=store, products=products, progress=progress):
                built.write(chunk)
        except BaseException:
            built.close()
            raise
        built.seek(0)
    with built:
        job.result_file.save(f"export.{job.file_format}", File(built), save=False)
    now = timezone.now()
    finished = ExportJob.objects.filter(pk=job.pk, status__in=ExportJob.ACTIVE_STATUSES).update(
        status=JobStatus.DONE,
        result_file=job.result_file.name,
        processed=total,
        finished_at=now,
        updated_at=now,
    )
    if not finished:  # cancelled while the file was being saved
        job.result_file.storage.delete(job.result_file.name)
        raise JobCancelled(f"export {job.pk} was cancelled")
    job.status, job.processed, job.finished_at = JobStatus.DONE, total, now
    return job
