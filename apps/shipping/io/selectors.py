"""Reads of the zones-and-rates imports."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.core.jobs import job_progress_of
from apps.core.models import Store
from apps.core.progress import JobProgress
from apps.core.selectors import object_get
from apps.shipping.models import ShippingImportJob


def shipping_import_list(*, store: Store) -> QuerySet[ShippingImportJob]:
    return ShippingImportJob.objects.for_store(store).select_related("requested_by")


def shipping_import_get(*, store: Store, job_id: int) -> ShippingImportJob:
    return object_get(shipping_import_list(store=store), not_found="No such import.", pk=job_id)


def shipping_import_progress(job: ShippingImportJob) -> JobProgress:
    return job_progress_of(job)
