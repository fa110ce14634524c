"""Catalog background work.

Imports (the check and the run), large bulk actions and large exports are jobs: rows of
ImportJob, BulkJob and ExportJob run by core's generic ``apps.core.tasks.run_job_task`` through
each model's ``runner`` (see apps/core/jobs.py), so they need no task of their own here.
Their private files are deleted by core's daily ``private_files_delete_expired_task``.
What remains here: fetching an import's product images from the internet after it ran.
"""

from __future__ import annotations

from celery import shared_task

from apps.catalog.services.image_fetch import import_images_fetch


@shared_task(autoretry_for=(ConnectionError,), max_retries=3, retry_backoff=True, retry_jitter=True)
def import_images_fetch_task(job_id: int) -> int | None:
    """After an import: fetch the images its file gave by URL (public addresses only) and add
    them to their products. Queued by name (``IMAGES_FETCH_TASK``) from services.import_sources;
    safe to run twice: fetched or failed images are skipped."""
    job = import_images_fetch(job_id=job_id)
    if job is None:
        return None
    return sum(1 for image in job.summary.get("images", []) if image.get("status") == "added")
