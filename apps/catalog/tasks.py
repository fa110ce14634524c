"""Catalog background work: checking and running large imports.

Each task takes the job's id, returns early when the job is gone or already past the step it
does (so a redelivered task is harmless), and retries a few times on a lost database
connection. Anything else marks the job failed with a message the merchant can act on.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from apps.catalog.models import ImportJob, ImportStatus

logger = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "max_retries": 3,
    "retry_backoff": True,
    "retry_backoff_max": 120,
    "retry_jitter": True,
}
UNEXPECTED = (
    "The import stopped unexpectedly and nothing was written. Try again; if it happens again, "
    "split the file into smaller parts."
)


def _fail(job_id: int, status: str) -> None:
    ImportJob.objects.filter(pk=job_id, status=status).update(
        status=ImportStatus.FAILED, failure_message=UNEXPECTED
    )


@shared_task(**RETRY)
def import_validate_task(job_id: int) -> str | None:
    """The dry run of a large import: read and check every row, write nothing."""
    from apps.catalog.services import import_job_validate

    job = ImportJob.objects.select_related("store").filter(pk=job_id).first()
    if job is None or job.status != ImportStatus.VALIDATING:
        return None
    try:
        return import_job_validate(job=job).status
    except (OperationalError, InterfaceError):
        raise
    except Exception:
        logger.exception("import %s: check failed", job_id)
        _fail(job_id, ImportStatus.VALIDATING)
        raise


@shared_task(**RETRY)
def import_run_task(job_id: int) -> str | None:
    """Run a large import; a job that is not running (finished, or never started) is skipped."""
    from apps.catalog.services import import_job_run

    job = ImportJob.objects.filter(pk=job_id).only("status").first()
    if job is None or job.status != ImportStatus.RUNNING:
        return None
    try:
        result = import_job_run(job_id=job_id)
    except (OperationalError, InterfaceError):
        raise
    except Exception:
        logger.exception("import %s: run failed", job_id)
        _fail(job_id, ImportStatus.RUNNING)
        raise
    return result.status if result else None


EXPORT_PROGRESS_EVERY = 5000


@shared_task(bind=True, **RETRY)
def product_export_task(self, store_id: int, params: dict, file_format: str = "xlsx") -> dict:
    """Build a large export file in media storage, reporting ``{"done", "total"}`` as it goes.

    The file's name comes from the task id, so a redelivered task rewrites the same file.
    """
    from apps.catalog.io.exporter import export_to_storage

    def progress(done: int, total: int) -> None:
        if self.request.id:
            self.update_state(
                state="PROGRESS", meta={"store_id": store_id, "done": done, "total": total}
            )

    return export_to_storage(
        store_id=store_id,
        params=params,
        file_format=file_format,
        key=self.request.id or "direct",
        progress=progress,
    )


@shared_task(**RETRY)
def product_bulk_task(job_id: int) -> str | None:
    """Run a large bulk action; a re-delivered task resumes after the last committed chunk."""
    from apps.catalog.services import bulk_job_run

    job = bulk_job_run(job_id=job_id)
    return job.status if job else None


@shared_task
def export_cleanup_task() -> int:
    """Daily: delete built export files older than a day; returns how many."""
    from datetime import timedelta

    from apps.catalog.io.exporter import export_files_delete_old

    return export_files_delete_old(older_than=timedelta(days=1))
