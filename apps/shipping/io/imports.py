"""Importing zones and rates: upload → check (the dry run, every bad row listed) → run.

Files of up to ``INLINE_MAX_ROWS`` rows are checked and imported during the request; larger
ones as a ``ShippingImportJob`` in the background (``shipping_import_work`` is its runner, run
by core's job task), with a progress page that can cancel. The run checks the file again
against the store as it is then and writes it in one transaction: every row or none. One audit
entry records the import's counts.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.audit.services import audit_record
from apps.core.exceptions import DomainError
from apps.core.jobs import job_cancel, job_enqueue, job_progress_save, job_run_inline
from apps.core.models import Store
from apps.core.tabular import (
    ImportFileError,
    check_csv_encoding,
    check_size,
    detect_format,
    estimate_rows,
    open_tabular_file,
)
from apps.shipping.io.plan import ImportPlan, header_columns, plan_apply, plan_build
from apps.shipping.models import ShippingImportJob, ShippingImportMode, ShippingImportStatus
from apps.shipping.selectors import shipping_config_forget

INLINE_MAX_ROWS = 2_000
CHANGED_SINCE_CHECK = (
    "Nothing was imported: the store's zones and rates changed since the check, so the file "
    "would now delete {now} instead of {checked}. Check the file again."
)


# --- upload and check -----------------------------------------------------------------------------
def shipping_import_create(
    *, store: Store, actor, upload: UploadedFile, mode: str
) -> ShippingImportJob:
    """Keep the uploaded file (privately) and check it: now when small, else as a job."""
    if mode not in ShippingImportMode.values:
        raise DomainError("Choose merge or replace all.", field="mode")
    try:
        check_size(upload.size)
        upload.seek(0)
        file_format = detect_format(upload.name, upload.read(8))
        if file_format == "csv":
            check_csv_encoding(upload)
        with open_tabular_file(upload, file_format) as table:
            header_columns(table.headers)
        total = estimate_rows(upload, file_format)
    except ImportFileError as error:
        raise DomainError(error.message, field="file") from None
    upload.seek(0)
    job = ShippingImportJob(
        store=store,
        original_name=os.path.basename(upload.name)[:255],
        file_format=file_format,
        mode=mode,
        total=total,
        requested_by=actor,
    )
    job.file.save(f"upload.{file_format}", upload, save=False)  # a private, unguessable name
    job.save()
    _step_start(job)
    return job


def _step_start(job: ShippingImportJob) -> None:
    if job.total <= INLINE_MAX_ROWS:
        job_run_inline(job)
    else:
        job_enqueue(job)


def _plan(job: ShippingImportJob) -> ImportPlan:
    """Read the job's file and plan it (reporting progress; stops when cancelled)."""
    if not job.file:
        raise ImportFileError(
            "The uploaded file was deleted after its retention period. Upload it again."
        )

    def progress(rows: int) -> None:
        job_progress_save(job, processed=rows, total=max(job.total, rows))

    stream = job.file.storage.open(job.file.name, "rb")
    with stream, open_tabular_file(stream, job.file_format) as table:
        return plan_build(
            store=job.store,
            headers=table.headers,
            rows=table.rows(),
            mode=job.mode,
            progress=progress,
        )


def shipping_import_check(*, job: ShippingImportJob) -> ShippingImportJob:
    """The dry run: read and check every row, count what would change; write nothing."""
    try:
        plan = _plan(job)
    except ImportFileError as error:
        return _job_fail(job, error.message)
    _job_write(
        job,
        expected=(ShippingImportStatus.CHECKING,),  # a Cancel or the reaper that came first stays
        status=ShippingImportStatus.CHECKED,
        summary={**plan.summary(), "checked_at": timezone.now().isoformat()},
        total=plan.rows,
        processed=plan.rows,
        error_count=plan.error_count,
        finished_at=None,
    )
    return job


# --- run ------------------------------------------------------------------------------------------
def shipping_import_run_refusal(job: ShippingImportJob) -> str:
    """Why the import cannot run now ("" when it can): the page's button and the run agree."""
    if job.status != ShippingImportStatus.CHECKED:
        return "Check the file before importing it."
    if job.summary.get("error_rows"):
        return (
            "Nothing can be imported while rows have errors: an import writes every row or "
            "none. Fix the rows listed and upload the file again."
        )
    if not job.summary.get("rows"):
        return "The file has no rows to import."
    return ""


def shipping_import_start(*, store: Store, job: ShippingImportJob, actor) -> ShippingImportJob:
    """Run the checked import: now when small, else as a job."""
    if job.store_id != store.pk:
        raise DomainError("No such import.")
    refusal = shipping_import_run_refusal(job)
    if refusal:
        raise DomainError(refusal)
    confirmed = {
        "zones_deleted": job.summary.get("zones_deleted", 0),
        "rates_deleted": job.summary.get("rates_deleted", 0),
    }
    started = _job_write(
        job,
        expected=(ShippingImportStatus.CHECKED,),  # a second click
        status=ShippingImportStatus.RUN_QUEUED,
        summary={**job.summary, "confirmed": confirmed},
        processed=0,
        attempts=0,
        started_at=None,
        finished_at=None,
        requested_by=actor,  # the person who runs it: the audit entry names them
    )
    if not started:
        raise DomainError("This import has already run. Reload the page.")
    _step_start(job)
    return job


def shipping_import_work(*, job: ShippingImportJob) -> ShippingImportJob:
    """ShippingImportJob's runner: the check or the import, whichever step the job is at."""
    if job.status == ShippingImportStatus.CHECKING:
        return shipping_import_check(job=job)
    return shipping_import_run(job=job)


def shipping_import_run(*, job: ShippingImportJob) -> ShippingImportJob:
    """Check the file again against the store as it is now, then write all of it or nothing.
    Safe to call twice: only a running job is written."""
    if job.status != ShippingImportStatus.RUNNING:
        return job
    try:
        plan = _plan(job)
    except ImportFileError as error:
        return _job_fail(job, error.message)
    counts = plan.counts()
    if plan.error_count:
        return _job_fail(
            job,
            f"Nothing was imported: {counts['error_rows']:,} row(s) now have errors. "
            "Check the file again.",
            summary={**job.summary, **plan.summary()},
            error_count=plan.error_count,
        )
    confirmed = job.summary.get("confirmed", {})
    now = {key: counts[key] for key in ("zones_deleted", "rates_deleted")}
    if job.mode == ShippingImportMode.REPLACE and now != confirmed:
        return _job_fail(
            job,
            CHANGED_SINCE_CHECK.format(now=_deletes_text(now), checked=_deletes_text(confirmed)),
        )
    store = job.store
    try:
        with transaction.atomic():
            locked = ShippingImportJob.objects.select_for_update().get(pk=job.pk)
            if locked.status != ShippingImportStatus.RUNNING:
                return locked  # cancelled meanwhile: nothing written
            summary = {**job.summary, **plan.summary(), "applied": True}
            plan_apply(plan, store=store)
            finished = timezone.now()
            ShippingImportJob.objects.filter(pk=job.pk).update(
                status=ShippingImportStatus.DONE,
                summary=summary,
                processed=plan.rows,
                total=plan.rows,
                finished_at=finished,
                updated_at=finished,
            )
            job.status, job.summary, job.finished_at = (
                ShippingImportStatus.DONE,
                summary,
                finished,
            )
            audit_record(
                store=store,
                actor=job.requested_by,
                action="shipping.imported",
                target=job,
                changes={key: [None, value] for key, value in counts.items() if value},
            )
            transaction.on_commit(lambda: shipping_config_forget(store))
    except IntegrityError:
        return _job_fail(
            job,
            "Nothing was imported: zones or rates were changed while the import ran. "
            "Check the file again.",
        )
    shipping_config_forget(store)
    return job


def _deletes_text(counts: dict) -> str:
    zones, rates = counts.get("zones_deleted", 0), counts.get("rates_deleted", 0)
    return f"{zones} zone{'s' if zones != 1 else ''} and {rates} rate{'s' if rates != 1 else ''}"


def shipping_import_cancel(*, store: Store, actor, job: ShippingImportJob) -> ShippingImportJob:
    """Cancel a waiting or running check or import; an import cancelled writes nothing."""
    if job.store_id != store.pk:
        raise DomainError("No such import.")
    job_cancel(job=job)
    audit_record(
        store=store,
        actor=actor,
        action="shippingimportjob.cancelled",
        target=job,
        changes={"status": [None, job.status]},
    )
    return job


# --- the job row ----------------------------------------------------------------------------------
def _job_fail(job: ShippingImportJob, message: str, **fields) -> ShippingImportJob:
    """Fail the job with ``message`` unless it stopped meanwhile (cancelled, reaped)."""
    _job_write(
        job,
        expected=ShippingImportJob.ACTIVE_STATUSES,
        status=ShippingImportStatus.FAILED,
        failure_message=message,
        finished_at=timezone.now(),
        **fields,
    )
    return job


def _job_write(job: ShippingImportJob, *, expected: Sequence[str], **fields) -> bool:
    """Write ``fields`` only while the job's status is one of ``expected`` (a step never
    overwrites a Cancel, the reaper or a second click); False, and the job reloaded, if not."""
    now = timezone.now()
    written = ShippingImportJob.objects.filter(pk=job.pk, status__in=expected).update(
        **fields, updated_at=now
    )
    if not written:
        job.refresh_from_db()
        return False
    for name, value in {**fields, "updated_at": now}.items():
        setattr(job, name, value)
    return True
