"""Email from the portal: queued for a worker once the transaction commits, never sent while a
request waits. The worker's ``send_email_task`` retries SMTP and connection errors with backoff.
Services call ``email_send_later``; no services module imports a task module (tasks call
services, never the other way round)."""

from __future__ import annotations

from django.db import transaction

from apps.core.tasks import send_email_task


def email_send_later(*, to: list[str], subject: str, body: str) -> None:
    """Queue one plain-text email for after the commit. Robust: a broker outage is logged and
    neither undoes the caller's work nor fails its page."""
    transaction.on_commit(
        lambda: send_email_task.delay(to=list(to), subject=subject, body=body), robust=True
    )
