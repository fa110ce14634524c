"""Reads for the import and export pages (their jobs)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.db.models import QuerySet

from apps.catalog.io.columns import column_header
from apps.catalog.models import ExportJob, ImageFetchJob, ImportJob, ImportStatus
from apps.core.progress import JobProgress, job_progress
from apps.core.selectors import object_get


def import_job_list(*, store) -> QuerySet[ImportJob]:
    return ImportJob.objects.for_store(store).select_related("requested_by").order_by("-created_at")


def import_job_get(*, store, job_id: int) -> ImportJob:
    """The store's import job; another store's id is a 404."""
    return object_get(
        ImportJob.objects.for_store(store).select_related("requested_by"),
        not_found="No such import.",
        pk=job_id,
    )


def image_fetch_job_get(*, store, import_job_id: int) -> ImageFetchJob:
    """The fetch of the images of the store's import; another store's import (or an import with
    no images by address) is a 404."""
    return object_get(
        ImageFetchJob.objects.for_store(store).select_related("import_job"),
        not_found="This import has no images to fetch.",
        import_job_id=import_job_id,
    )


SUMMARY_PROBLEM_LISTS = ("errors", "warnings", "skipped_warnings")


def import_summary(job: ImportJob) -> dict:
    """The job's summary as its pages show it: each error's and warning's column named as the
    uploaded file names it (the header the merchant matched to it), not by the catalog's
    internal column name, which stays under ``field``."""
    summary = dict(job.summary)
    for key in SUMMARY_PROBLEM_LISTS:
        if key in summary:
            summary[key] = [
                {
                    **item,
                    "field": item.get("column", ""),
                    "column": column_header(item.get("column", ""), job.mapping),
                }
                for item in summary[key]
            ]
    return summary


@dataclass(frozen=True)
class ImportProgress(JobProgress):
    is_writing: bool = False


def import_progress(job: ImportJob) -> ImportProgress:
    """Rows read so far, of how many, and the time left at the pace so far."""
    progress = job_progress(done=job.processed, total=job.total, started_at=job.started_at)
    return ImportProgress(
        **asdict(progress),
        is_writing=job.status == ImportStatus.RUNNING and progress.done >= progress.total,
    )


def export_job_get(*, store, export_id: int) -> ExportJob:
    """The store's export; another store's id is a 404."""
    return object_get(ExportJob.objects.for_store(store), not_found="No such export.", pk=export_id)
