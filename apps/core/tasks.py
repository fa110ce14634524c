"""Background work shared by every area: sending email, the daily clean-ups, and the one task
that runs every job (see apps/core/jobs.py) with the beat job that reaps stuck ones."""

from __future__ import annotations

import smtplib
from datetime import timedelta

from axes.models import AccessAttempt
from celery import shared_task
from django.core.mail import send_mail
from django.utils import timezone

from apps.core.files import private_files_delete_expired
from apps.core.jobs import JobRetry, job_run, jobs_reap_stuck, jobs_requeue_lost

ACCESS_ATTEMPT_RETENTION_DAYS = 30


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    max_retries=5,
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
)
def send_email_task(*, to: list[str], subject: str, body: str) -> int:
    """Send one plain-text email; SMTP and connection errors are retried with backoff."""
    return send_mail(subject=subject, message=body, from_email=None, recipient_list=list(to))


@shared_task
def cleanup_task() -> int:
    """Delete django-axes access attempts older than the retention period; returns the count."""
    cutoff = timezone.now() - timedelta(days=ACCESS_ATTEMPT_RETENTION_DAYS)
    deleted, _ = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
    return deleted


@shared_task(bind=True, max_retries=None)  # job_run bounds the retries per job model
def run_job_task(self, label: str, job_id: int) -> str | None:
    """Run the job ``label`` #``job_id`` (idempotent: a finished job is left alone)."""
    try:
        return job_run(label=label, job_id=job_id, attempt=self.request.retries)
    except JobRetry as retry:
        raise self.retry(exc=retry.error, countdown=retry.countdown) from retry


@shared_task
def jobs_reap_stuck_task() -> int:
    """Every few minutes: fail running jobs whose heartbeat stopped (returns how many) and queue
    again the jobs whose message was lost."""
    jobs_requeue_lost()
    return jobs_reap_stuck()


@shared_task
def private_files_delete_expired_task() -> int:
    """Daily: delete imports, error rows and exports past their retention; returns how many."""
    return private_files_delete_expired()
