"""The beat jobs of storefront events: fold new events into the rollups every minute, and keep
the raw events' monthly partitions (made ahead, dropped past retention) daily."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from apps.events import partitions, rollup


@shared_task(
    autoretry_for=(OperationalError, InterfaceError),
    max_retries=3,
    retry_backoff=True,
    retry_jitter=True,
)
def refresh_analytics_task() -> int:
    """Every minute: ``manage.py refresh_analytics``; returns the events folded. Safe to run
    twice (one run at a time; a second finds nothing new)."""
    return rollup.refresh().events


@shared_task(
    autoretry_for=(OperationalError, InterfaceError),
    max_retries=3,
    retry_backoff=True,
    retry_jitter=True,
)
def partitions_maintain_task() -> dict[str, list[str]]:
    return partitions.partitions_maintain()
