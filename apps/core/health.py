"""Health of the pieces the portal needs: database, broker and at least one worker.

A load balancer polls /health/ every few seconds, so it must answer in milliseconds: the
database is checked on every call (SELECT 1), while the broker and worker status — pinging the
workers waits a full second — is probed at most every ``SERVICES_MAX_AGE_SECONDS`` and shared
through the cache (with ``CACHE_URL=redis://…``, by every web process).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from celery import current_app
from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)

SERVICES_MAX_AGE_SECONDS = 30
SERVICES_CACHE_KEY = "health:services"
SERVICES_REFRESH_LOCK_KEY = "health:services:refreshing"


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
    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return True, "reachable"


def _worker_names() -> tuple[str, ...]:
    replies = current_app.control.ping(timeout=1.0) or []
    return tuple(sorted(name for reply in replies for name in reply))


def _now() -> float:
    return time.time()


@dataclass(frozen=True)
class ServicesStatus:
    """The broker and worker checks as last probed, at ``checked_at`` (seconds since the epoch)."""

    broker: Check
    workers: Check
    worker_names: tuple[str, ...]
    checked_at: float


def _probe_services() -> ServicesStatus:
    broker = _timed("broker", _broker)
    names: tuple[str, ...] = ()
    if broker.ok:
        found: list[str] = []

        def workers_probe():
            found.extend(_worker_names())
            if not found:
                return False, "no worker answered within 1 s"
            return True, f"{len(found)} worker(s) answered"

        workers = _timed("workers", workers_probe)
        names = tuple(found)
    else:
        workers = Check("workers", False, "broker unreachable", 0.0)
    return ServicesStatus(broker, workers, names, _now())


def _cache_call(method: str, *args, **kwargs):
    """The health page must not fail with the cache: a cache error counts as a miss."""
    try:
        return getattr(cache, method)(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 - any cache backend error
        logger.warning("health: cache %s failed: %s", method, error)
        return None


def services_status() -> ServicesStatus:
    """The cached broker/worker status, probed again once it is older than
    ``SERVICES_MAX_AGE_SECONDS``; while one request probes, the others serve the older one."""
    status = _cache_call("get", SERVICES_CACHE_KEY)
    if isinstance(status, ServicesStatus) and _now() - status.checked_at < SERVICES_MAX_AGE_SECONDS:
        return status
    if isinstance(status, ServicesStatus) and not _cache_call(
        "add", SERVICES_REFRESH_LOCK_KEY, True, timeout=10
    ):
        return status  # another request is probing right now
    try:
        status = _probe_services()
        _cache_call("set", SERVICES_CACHE_KEY, status, timeout=SERVICES_MAX_AGE_SECONDS * 10)
    finally:
        _cache_call("delete", SERVICES_REFRESH_LOCK_KEY)
    return status


@dataclass(frozen=True)
class HealthReport:
    checks: list[Check]
    services: ServicesStatus

    @property
    def healthy(self) -> bool:
        """Serving needs the database and the broker; missing workers only delay tasks."""
        return all(check.ok for check in self.checks if check.name != "workers")

    @property
    def services_checked_seconds_ago(self) -> float:
        return round(max(0.0, _now() - self.services.checked_at), 1)

    def as_json(self, *, detail: bool = False) -> dict:
        body = {"healthy": self.healthy, "checks": [check.__dict__ for check in self.checks]}
        if detail:
            body["workers"] = list(self.services.worker_names)
            body["services_checked_seconds_ago"] = self.services_checked_seconds_ago
        return body


def health_report() -> HealthReport:
    services = services_status()
    checks = [_timed("database", _database), services.broker, services.workers]
    return HealthReport(checks=checks, services=services)


def health_checks() -> list[Check]:
    return health_report().checks
