"""The raw events' monthly partitions: created ahead (and on demand for a month an accepted
event needs), and dropped whole once they are older than ``EVENTS_RETENTION_DAYS``."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.db import connection
from django.utils import timezone

PARTITION_NAME = re.compile(r"^events_event_p(\d{4})(\d{2})$")


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_add(month: datetime.date, months: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def partitions_ensure(days) -> None:
    """The partitions of ``days``' months (UTC) exist afterwards (one cheap catalog look-up
    each when they do)."""
    months = sorted({month_start(day) for day in days})
    if not months:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT events_partition_ensure(m) FROM unnest(%s::date[]) AS m", [months])


def partitions_list() -> list[datetime.date]:
    """The months (their first day, UTC) that have a partition, oldest first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'events_event'::regclass"
        )
        names = [row[0] for row in cursor.fetchall()]
    months = []
    for name in names:
        match = PARTITION_NAME.match(name)
        if match:
            months.append(datetime.date(int(match[1]), int(match[2]), 1))
    return sorted(months)


def retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Events before this moment are past the retention window."""
    return (now or timezone.now()) - datetime.timedelta(days=settings.EVENTS_RETENTION_DAYS)


def partitions_maintain(now: datetime.datetime | None = None) -> dict[str, list[str]]:
    """Create this month's partition and ``EVENTS_PARTITIONS_AHEAD_MONTHS`` ahead; drop every
    partition whose whole month ended before the retention cutoff. Returns the names touched."""
    now = now or timezone.now()
    today = now.astimezone(datetime.UTC).date()
    created = []
    for ahead in range(settings.EVENTS_PARTITIONS_AHEAD_MONTHS + 1):
        month = month_add(month_start(today), ahead)
        partitions_ensure([month])
        created.append(f"events_event_p{month:%Y%m}")
    cutoff = retention_cutoff(now).astimezone(datetime.UTC).date()
    dropped = []
    for month in partitions_list():
        if month_add(month, 1) <= cutoff:
            name = f"events_event_p{month:%Y%m}"
            with connection.cursor() as cursor:
                cursor.execute(f'DROP TABLE IF EXISTS "{name}"')  # name from PARTITION_NAME
            dropped.append(name)
    return {"created": created, "dropped": dropped}
