"""The catalog's background jobs (imports, bulk actions, exports) share one cancel action."""

from __future__ import annotations

from django.db import transaction

from apps.audit.services import audit_record
from apps.core.exceptions import DomainError
from apps.core.jobs import job_cancel
from apps.core.models import Job, Store


@transaction.atomic
def catalog_job_cancel(*, store: Store, actor, job: Job) -> Job:
    """Cancel the store's queued or running job (the worker stops between chunks; what it
    already committed stays); raises DomainError when it has already finished."""
    if job.store_id != store.pk:
        raise DomainError("No such job.")
    job_cancel(job=job)
    audit_record(
        store=store,
        actor=actor,
        action=f"{job._meta.model_name}.cancelled",
        target=job,
        changes={"status": [None, job.status]},
    )
    return job
