"""Health of the pieces the portal needs: database, broker and at least one worker."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from django.db import connection

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    milliseconds: float


def _timed(name: str, probe) -> Check:
    started = time.perf_counter()
    try:
        ok, detail = probe()
    except Exception as error:  # noqa: BLE001 - a health page reports any failure
        # the page is public: name the failure, keep server details for the logs
        logger.warning("health check %s failed: %s", name, error)
        ok, detail = False, f"unreachable ({type(error).__name__})"
    return Check(name, ok, detail, round((time.perf_counter() - started) * 1000, 1))


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return True, "reachable"


def _broker():
    from merchant_portal.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return True, "reachable"


def _workers():
    from merchant_portal.celery import app

    replies = app.control.ping(timeout=1.0) or []
    if not replies:
        return False, "no worker answered within 1 s"
    return True, f"{len(replies)} worker(s) answered"


def health_checks() -> list[Check]:
    database = _timed("database", _database)
    broker = _timed("broker", _broker)
    if broker.ok:
        workers = _timed("workers", _workers)
    else:
        workers = Check("workers", False, "broker unreachable", 0.0)
    return [database, broker, workers]
