"""The raw events table: partitioned by month, a re-sent event stored once, retention drops
whole old months."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.db import connection

from apps.events import partitions
from apps.events.models import Event

pytestmark = pytest.mark.django_db


def insert(store, event_id, occurred_at):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO events_event (store_id, event_id, occurred_at, type, visitor_id, "
            "session_id) VALUES (%s, %s, %s, 'page_view', 'v', 's') ON CONFLICT DO NOTHING",
            [store.pk, event_id, occurred_at],
        )
        return cursor.rowcount


def test_a_resent_event_is_stored_once_in_its_months_partition(store):
    when = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)
    partitions.partitions_ensure([when.date()])
    event_id = uuid.uuid4()

    assert insert(store, event_id, when) == 1
    assert insert(store, event_id, when) == 0

    assert Event.objects.filter(store=store).count() == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM events_event_p202611")
        assert cursor.fetchone()[0] == 1


def test_maintenance_creates_months_ahead_and_drops_those_past_retention(store, settings):
    settings.EVENTS_RETENTION_DAYS = 60
    now = datetime.datetime(2026, 12, 5, 9, 0, tzinfo=datetime.UTC)
    old = datetime.datetime(2026, 9, 10, tzinfo=datetime.UTC)  # before the cutoff of Oct 6
    kept = datetime.datetime(2026, 10, 10, tzinfo=datetime.UTC)  # its month ends after it
    partitions.partitions_ensure([old.date(), kept.date()])
    insert(store, uuid.uuid4(), old)
    insert(store, uuid.uuid4(), kept)

    touched = partitions.partitions_maintain(now)

    assert touched["created"] == [
        "events_event_p202612",
        "events_event_p202701",
        "events_event_p202702",
    ]
    assert "events_event_p202609" in touched["dropped"]
    months = partitions.partitions_list()
    assert datetime.date(2026, 9, 1) not in months
    assert {datetime.date(2026, 10, 1), datetime.date(2027, 2, 1)} <= set(months)
    assert list(Event.objects.filter(store=store).values_list("occurred_at", flat=True)) == [kept]
