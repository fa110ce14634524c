"""Reads for the import pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.catalog.models import ImportJob, ImportStatus


def import_job_list(*, store) -> QuerySet[ImportJob]:
    return ImportJob.objects.for_store(store).select_related("created_by").order_by("-created_at")


def import_job_get(*, store, job_id: int) -> ImportJob:
    """The store's import job; another store's id is a 404."""
    return get_object_or_404(
        ImportJob.objects.for_store(store).select_related("created_by"), pk=job_id
    )


@dataclass(frozen=True)
class ImportProgress:
    done: int
    total: int
    percent: int
    seconds_left: int | None
    is_writing: bool


def import_progress(job: ImportJob) -> ImportProgress:
    """Rows read so far, of how many, and the time left at the pace so far."""
    total = max(job.total_rows, job.processed_rows, 1)
    done = min(job.processed_rows, total)
    seconds_left = None
    if job.started_at and done:
        elapsed = (timezone.now() - job.started_at).total_seconds()
        seconds_left = int(elapsed / done * (total - done)) if done < total else 0
    return ImportProgress(
        done=done,
        total=total,
        percent=int(100 * done / total),
        seconds_left=seconds_left,
        is_writing=job.status == ImportStatus.RUNNING and done >= total,
    )
