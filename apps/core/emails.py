"""Email from the portal: queued for a worker once the transaction commits, never sent while a
request waits. The worker's ``send_email_task`` (apps/core/tasks.py) retries SMTP and connection
errors with backoff; services call ``email_send_later`` and never import a task module."""

from __future__ import annotations

from celery import current_app
from django.db import transaction

SEND_EMAIL_TASK = "apps.core.tasks.send_email_task"


def email_send_later(*, to: list[str], subject: str, body: str) -> None:
    """Queue one plain-text email for after the commit. Robust: a broker outage is logged and
    neither undoes the caller's work nor fails its page."""
    task = current_app.tasks[SEND_EMAIL_TASK]  # by name: services don't import tasks
    transaction.on_commit(lambda: task.delay(to=list(to), subject=subject, body=body), robust=True)
