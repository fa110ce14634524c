"""Background jobs: one way to queue, run, retry, cancel, watch and reap them, for every app.

A job is a row of a concrete subclass of ``apps.core.models.Job`` (the catalog's ImportJob,
BulkJob and ExportJob; reports later). The class says how it runs:

- ``runner``: the dotted path of ``runner(*, job)``, a service function that does the work and
  reports progress with ``job_progress_save``. It is resolved with ``import_string`` when the
  job runs, so core lists no app and no service ever imports a task module.
- ``retry_on`` / ``max_retries``: errors worth another try (a lost database connection), retried
  with exponential backoff and jitter, at most that many times.
- ``failure_text``: the reason shown when the runner raises anything else (the traceback goes to
  the log, never to the page).

The life of a job:

1. A service creates the row and calls ``job_enqueue(job)``: on commit, core's generic task
   ``apps.core.tasks.run_job_task(label, id)`` is queued (by name). Tasks take ids only.
2. The task calls ``job_run``: it loads the row and returns early when it is gone or has no work
   left (done, failed, cancelled), so a second delivery is harmless; it counts the delivery in
   ``attempts``, marks a queued job running with ``started_at``, calls the runner, and records
   failure, cancellation or a retry. A job delivered ``max_retries + 1`` times without finishing
   (its runner kills the worker: out of memory, SIGKILL) fails instead of running again.
   A small job runs inside the request through ``job_run_inline``: the same start and the same
   failure handling, with no retry.
3. ``job_progress_save`` writes the progress and the heartbeat (``updated_at``) and raises
   ``JobCancelled`` once the job is no longer active, so the worker stops between chunks.
4. ``job_cancel`` (a POST from the progress page) marks a queued or running job cancelled.
5. ``jobs_reap_stuck`` (beat, every few minutes) fails running jobs whose heartbeat stopped for
   longer than ``settings.JOB_STUCK_AFTER_MINUTES``, and ``jobs_requeue_lost`` queues again the
   jobs still queued after that long (a message the broker lost; running twice is harmless).

The progress page of every job is ``templates/components/progress.html``.
"""

from __future__ import annotations

import logging
import random
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from celery import current_app
from django.apps import apps
from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from apps.core.exceptions import DomainError
from apps.core.files import private_files_delete_of
from apps.core.models import Job, JobStatus
from apps.core.progress import JobProgress, job_progress

logger = logging.getLogger(__name__)

RUN_JOB_TASK = "apps.core.tasks.run_job_task"
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL: lock_timeout ran out
STUCK_MESSAGE = "Stopped without finishing (worker lost?). Start it again."
RETRY_BACKOFF_SECONDS = 10
RETRY_BACKOFF_MAX = 300


class JobCancelled(Exception):
    """The job was cancelled (or finished elsewhere) while it ran: stop, write nothing more."""


class JobRetry(Exception):
    """Run the job again in ``countdown`` seconds; raised by ``job_run`` for ``retry_on``."""

    def __init__(self, error: Exception, countdown: int):
        super().__init__(str(error))
        self.error = error
        self.countdown = countdown


def job_models() -> list[type[Job]]:
    return [model for model in apps.get_models() if issubclass(model, Job)]


def job_enqueue(job: Job) -> None:
    """Queue the job's run once the current transaction commits."""
    label, job_id = job._meta.label, job.pk
    transaction.on_commit(
        lambda: current_app.signature(RUN_JOB_TASK, args=(label, job_id)).apply_async()
    )


def retry_countdown(attempt: int) -> int:
    backoff = min(RETRY_BACKOFF_SECONDS * 2**attempt, RETRY_BACKOFF_MAX)
    return backoff + random.randint(0, RETRY_BACKOFF_SECONDS)  # noqa: S311 - jitter, not secrets


def job_run(*, label: str, job_id: int, attempt: int = 0) -> str | None:
    """Run one job by its model label and id; returns its status afterwards (None: skipped).

    Raises ``JobRetry`` for the model's ``retry_on`` errors while attempts are left.
    """
    model = apps.get_model(label)
    job = model.objects.select_related("store", "requested_by").filter(pk=job_id).first()
    if job is None or not job.is_active:
        return None
    if not _job_start(job):
        return job.status if job.status == JobStatus.FAILED else None
    _job_call(job, attempt=attempt)
    return model.objects.filter(pk=job_id).values_list("status", flat=True).first()


def job_run_inline(job: Job) -> Job:
    """Run a small job now, inside the request, exactly as a worker would (start, runner,
    a readable failure on any exception) but with no retry; returns the job as it ended."""
    if job.is_active and _job_start(job):
        _job_call(job, attempt=job.max_retries)
    job.refresh_from_db()
    return job


def _job_call(job: Job, *, attempt: int) -> None:
    """Call the job's runner; a cancel stops it quietly, any other exception fails the job with
    its ``failure_text`` (the traceback goes to the log), ``retry_on`` errors are retried."""
    model, label, job_id = type(job), job._meta.label, job.pk
    runner = import_string(model.runner)
    try:
        runner(job=job)
    except JobCancelled:
        logger.info("job %s #%s stopped: cancelled", label, job_id)
    except model.retry_on as error:
        if attempt < model.max_retries:
            logger.warning("job %s #%s: %s; retry %s", label, job_id, error, attempt + 1)
            raise JobRetry(error, retry_countdown(attempt)) from error
        logger.exception("job %s #%s failed after %s retries", label, job_id, attempt)
        _job_fail(model, job_id, model.failure_text)
    except Exception:
        logger.exception("job %s #%s failed", label, job_id)
        _job_fail(model, job_id, model.failure_text)


def _job_start(job: Job) -> bool:
    """Count this delivery and mark the job started; False when it should not run.

    A queued job starts: its status moves on (``STARTS``: queued → running, or an import's
    "check queued" → "checking") with ``started_at`` and its first heartbeat. A job already
    running is delivered again (its worker was killed, or the broker delivered it twice): only
    the attempt is counted, and the heartbeat stays where the last real progress left it, so a
    job that keeps killing its worker is still reaped. Past ``max_attempts`` deliveries the job
    fails with its ``failure_text`` instead of running once more.
    """
    model = type(job)
    now = timezone.now()
    deliveries = model.objects.filter(pk=job.pk, status=job.status, attempts__lt=job.max_attempts)
    started = job.STARTS.get(job.status)
    if started:
        job.started_at = job.started_at or now
        count = deliveries.update(
            status=started, started_at=job.started_at, updated_at=now, attempts=F("attempts") + 1
        )
    else:
        count = deliveries.update(attempts=F("attempts") + 1)
    if count:
        job.status = started or job.status
        job.attempts += 1
        return True
    if model.objects.filter(
        pk=job.pk, status__in=model.ACTIVE_STATUSES, attempts__gte=job.max_attempts
    ).exists():
        logger.error(
            "job %s #%s: delivered %s times without finishing; failed",
            job._meta.label,
            job.pk,
            job.max_attempts,
        )
        _job_fail(model, job.pk, model.failure_text)
        job.status = JobStatus.FAILED
    return False


def _job_fail(model: type[Job], job_id: int, message: str) -> None:
    if not connection.in_atomic_block and connection.connection and not connection.is_usable():
        connection.close()  # the error broke it: the update below opens a new one
    now = timezone.now()
    model.objects.filter(pk=job_id, status__in=model.ACTIVE_STATUSES).update(
        status=JobStatus.FAILED, failure_message=message, finished_at=now, updated_at=now
    )


def job_progress_save(job: Job, *, processed: int, total: int | None = None) -> None:
    """Record how far the job got (and its heartbeat); raises ``JobCancelled`` once it stopped."""
    fields = {"processed": processed, "updated_at": timezone.now()}
    if total is not None:
        fields["total"] = total
    if not type(job).objects.filter(pk=job.pk, status__in=job.ACTIVE_STATUSES).update(**fields):
        raise JobCancelled(f"{job.kind} #{job.pk} is no longer running")
    job.processed = processed
    if total is not None:
        job.total = total


def job_step_lock(job: Job) -> None:
    """Inside a runner's transaction: wait for any other delivery of the same job to finish
    its step. A transaction-level advisory lock, not a lock on the job's row, so that Cancel
    (which writes the row) never waits for a step to finish."""
    kind = zlib.crc32(job._meta.label_lower.encode()) & 0x7FFFFFFF
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [kind, job.pk])


@contextmanager
def job_step_held(job: Job) -> Iterator[None]:
    """Outside a transaction: hold the job's step (the same lock as ``job_step_lock``) for a
    step that must not hold a transaction open, such as a network call; any other delivery of
    the job waits for it. The lock belongs to the database session, so a worker that dies
    releases it with its connection."""
    kind = zlib.crc32(job._meta.label_lower.encode()) & 0x7FFFFFFF
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [kind, job.pk])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [kind, job.pk])


def job_finish(job: Job) -> Job:
    """The runner's last step: mark the job done (unless it was cancelled meanwhile)."""
    now = timezone.now()
    if (
        type(job)
        .objects.filter(pk=job.pk, status__in=job.active_statuses_in(JobStatus.RUNNING))
        .update(status=JobStatus.DONE, finished_at=now, updated_at=now)
    ):
        job.status, job.finished_at = JobStatus.DONE, now
    return job


def job_cancel(*, job: Job) -> Job:
    """Cancel a queued or running job; the worker stops at its next progress write.

    A step that holds the job's row (an import writing the catalog in one transaction) can no
    longer be stopped: after ``JOB_CANCEL_WAIT_SECONDS`` the answer says so instead of making
    the person wait for the step.
    """
    now = timezone.now()
    wait_ms = int(settings.JOB_CANCEL_WAIT_SECONDS * 1000)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = {wait_ms}")
            cancelled = (
                type(job)
                .objects.filter(pk=job.pk, status__in=job.ACTIVE_STATUSES)
                .update(status=JobStatus.CANCELLED, finished_at=now, updated_at=now)
            )
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) != LOCK_NOT_AVAILABLE:
            raise
        raise DomainError(
            "It is writing its last step and can no longer be stopped; it will finish in a moment."
        ) from None
    if not cancelled:
        raise DomainError("This job has already finished.")
    job.status, job.finished_at = JobStatus.CANCELLED, now
    return job


def job_delete(*, job: Job) -> None:
    """Delete a job that has stopped, with its private files (once the deletion commits)."""
    if job.is_active:
        raise DomainError("This job is still running. Cancel it first.")
    with transaction.atomic():
        type(job).objects.filter(pk=job.pk).delete()
        private_files_delete_of(job)


def jobs_reap_stuck(*, now: datetime | None = None) -> int:
    """Fail the jobs a worker holds ("running" in the lifecycle) with no heartbeat for
    ``JOB_STUCK_AFTER_MINUTES``; returns how many. Jobs still waiting for a worker are left
    alone, however long the queue: a backlog is not a lost worker."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.JOB_STUCK_AFTER_MINUTES)
    reaped = 0
    for model in job_models():
        count = model.objects.filter(
            status__in=model.active_statuses_in(JobStatus.RUNNING), updated_at__lt=cutoff
        ).update(
            status=JobStatus.FAILED, failure_message=STUCK_MESSAGE, finished_at=now, updated_at=now
        )
        if count:
            logger.warning("reaped %s stuck %s jobs", count, model._meta.label)
        reaped += count
    return reaped


def jobs_requeue_lost(*, now: datetime | None = None) -> int:
    """Queue again jobs still waiting for a worker ("queued" in the lifecycle) after
    ``JOB_STUCK_AFTER_MINUTES``; returns how many.

    A queued job that long may have lost its message (a broker restart, a worker killed before
    it acknowledged). A second message is harmless: ``job_run`` skips a job that finished
    meanwhile, and one that is running counts it as another delivery (runners are safe to run
    twice). ``updated_at`` moves on, so the next beat does not queue it yet again.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.JOB_STUCK_AFTER_MINUTES)
    requeued = 0
    for model in job_models():
        queued = model.active_statuses_in(JobStatus.QUEUED)
        for job in model.objects.filter(status__in=queued, updated_at__lt=cutoff):
            if model.objects.filter(pk=job.pk, status=job.status).update(updated_at=now):
                job_enqueue(job)
                requeued += 1
        if requeued:
            logger.warning("queued %s lost %s jobs again", requeued, model._meta.label)
    return requeued


def job_progress_of(job: Job) -> JobProgress:
    """How far the job got, and the time left at its pace so far."""
    return job_progress(done=job.processed, total=job.total, started_at=job.started_at)
