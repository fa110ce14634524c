"""Storefront events' tests: committed events for the rollup, then an empty raw table."""

import pytest
from django.db import connection


@pytest.fixture
def events_db(transactional_db):
    """Rollups see only committed events: these tests commit, and empty the raw table after
    (the test database's flush knows only Django-managed tables)."""
    yield
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE events_event")
