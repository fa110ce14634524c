"""Background work shared by every area: sending email and the daily clean-up."""

from __future__ import annotations

import smtplib
from datetime import timedelta

from celery import shared_task
from django.core.mail import send_mail
from django.utils import timezone

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
    from axes.models import AccessAttempt

    cutoff = timezone.now() - timedelta(days=ACCESS_ATTEMPT_RETENTION_DAYS)
    deleted, _ = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
    return deleted
