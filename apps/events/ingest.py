"""Storing a batch of storefront events: every event validated on its own (rules.event_read),
the good ones written with COPY into a staging table and moved into the raw table with
``INSERT … ON CONFLICT DO NOTHING`` in one transaction, so a re-sent event is stored once and a
failure leaves nothing half-written."""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from apps.core.models import Store
from apps.events import partitions
from apps.events.rules import BATCH_MAX, COLUMNS, CleanEvent, event_read

STAGING = "events_staging"
_COLUMN_LIST = ", ".join(COLUMNS)
# names only from the constants above
_MOVE = (
    f"INSERT INTO events_event (store_id, {_COLUMN_LIST}) "  # noqa: S608
    f"SELECT store_id, {_COLUMN_LIST} FROM {STAGING} ON CONFLICT DO NOTHING"
)


class BatchRefused(Exception):
    """The batch as a whole is unusable (not an object with an events list, too many)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class BatchResult:
    accepted: int = 0
    duplicates: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"accepted": self.accepted, "duplicates": self.duplicates, "rejected": self.rejected}


def batch_read(
    payload: Any, *, now: datetime.datetime
) -> tuple[list[CleanEvent], list[dict[str, Any]]]:
    """The batch's good events and, per bad one, its index and errors."""
    if not isinstance(payload, Mapping) or not isinstance(payload.get("events"), list):
        raise BatchRefused("events", 'Send {"events": [ … ]}, a list of events.')
    raw_events = payload["events"]
    if not raw_events:
        raise BatchRefused("events", "The batch has no events.")
    if len(raw_events) > BATCH_MAX:
        raise BatchRefused(
            "events",
            f"A batch holds at most {BATCH_MAX} events, not {len(raw_events):,}; "
            "send them in several batches.",
        )
    oldest = partitions.retention_cutoff(now)
    good, rejected = [], []
    for index, raw in enumerate(raw_events):
        event, errors = event_read(raw, now=now, oldest=oldest)
        if event is None:
            rejected.append({"index": index, "errors": errors})
        else:
            good.append(event)
    return good, rejected


def events_store(store: Store, events: list[CleanEvent]) -> int:
    """Write ``events`` for ``store`` in one transaction; returns how many were new (the rest
    were stored before: duplicates). Database errors propagate with nothing written."""
    if not events:
        return 0
    with transaction.atomic():
        # partitions are by UTC month
        partitions.partitions_ensure(
            {e.values["occurred_at"].astimezone(datetime.UTC).date() for e in events}
        )
        with connection.cursor() as cursor:
            # the connection's own staging table, emptied at every commit and before each batch
            cursor.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {STAGING} "
                "(LIKE events_event INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
            )
            cursor.execute(f"TRUNCATE {STAGING}")
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy(f"COPY {STAGING} (store_id, {_COLUMN_LIST}) FROM STDIN") as copy:
                for event in events:
                    row = event.row()
                    copy.write_row((store.pk, *row[:-1], json.dumps(row[-1])))
            cursor.execute(_MOVE)
            return cursor.rowcount


def batch_ingest(
    store: Store, payload: Any, *, now: datetime.datetime | None = None
) -> BatchResult:
    """Validate and store one batch (``BatchRefused`` for an unusable batch)."""
    now = now or timezone.now()
    good, rejected = batch_read(payload, now=now)
    stored = events_store(store, good)
    return BatchResult(accepted=stored, duplicates=len(good) - stored, rejected=rejected)
