"""Health of the pieces the portal needs: database, broker and at least one worker.

A load balancer polls /health/ every few seconds, so every request answers in milliseconds:
the database is checked on every call (SELECT 1), while the broker and worker status — pinging
the workers waits a full second — is never probed inside a request. It is served from the cache
(with ``CACHE_URL=redis://…``, shared by every web process) with its age; a request that finds
it older than ``SERVICES_MAX_AGE_SECONDS`` still serves it and starts one refresh in a daemon
thread (one per process, and one across processes through a cache lock). Before the first
refresh has finished (a cold start) the broker and workers are reported as "checking": not
down, so the page is 200 when the database is up.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from celery import current_app
from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)

SERVICES_MAX_AGE_SECONDS = 30
SERVICES_CACHE_KEY = "health:services"
SERVICES_REFRESH_LOCK_KEY = "health:services:refreshing"
# a refresh takes about 3 s at most (broker 2 s, ping 1 s); a lock left by a dead process expires
SERVICES_REFRESH_LOCK_SECONDS = 15
CHECKING = "checking"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool | None  # None: not known yet (a cold start, "checking")
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


def services_refresh() -> ServicesStatus:
    """Probe the broker and workers now (about a second) and cache the result."""
    status = _probe_services()
    _cache_call("set", SERVICES_CACHE_KEY, status, timeout=SERVICES_MAX_AGE_SECONDS * 10)
    return status


# One refresh at a time in this process: the time it started, or None. A claim older than
# SERVICES_REFRESH_LOCK_SECONDS is given up, so a refresh thread that hangs (a broker that stops
# answering mid-ping) or dies cannot leave the page saying "checking" for ever.
_claim_guard = threading.Lock()
_claimed_at: float | None = None


def _claim_refresh() -> float | None:
    """The claim's start time when this caller may refresh now, else None."""
    global _claimed_at
    with _claim_guard:
        now = _now()
        if _claimed_at is not None and now - _claimed_at < SERVICES_REFRESH_LOCK_SECONDS:
            return None
        _claimed_at = now
        return now


def _release_refresh(claim: float) -> None:
    """Free the claim if it is still this refresh's (a hung one ending late frees nothing)."""
    global _claimed_at
    with _claim_guard:
        if _claimed_at == claim:
            _claimed_at = None


def _refresh_and_unlock(claim: float) -> None:
    try:
        services_refresh()
    except Exception:  # noqa: BLE001 - a background thread must log, not die silently
        logger.exception("health: refreshing the broker/worker status failed")
    finally:
        _cache_call("delete", SERVICES_REFRESH_LOCK_KEY)
        _release_refresh(claim)


def _spawn(target: Callable[[], None]) -> None:
    threading.Thread(target=target, name="health-refresh", daemon=True).start()


def _refresh_in_background() -> None:
    """Start one refresh unless one is running in this process or, per the cache, in another."""
    claim = _claim_refresh()
    if claim is None:
        return
    locked = _cache_call(
        "add", SERVICES_REFRESH_LOCK_KEY, True, timeout=SERVICES_REFRESH_LOCK_SECONDS
    )
    if locked is False:  # another process is refreshing (None: the cache failed, go ahead)
        _release_refresh(claim)
        return
    try:
        _spawn(lambda: _refresh_and_unlock(claim))
    except Exception:
        _cache_call("delete", SERVICES_REFRESH_LOCK_KEY)
        _release_refresh(claim)
        raise


def services_status() -> ServicesStatus | None:
    """The cached broker/worker status, however old, at once; ``None`` before the first
    refresh. A missing or stale status starts a refresh in the background."""
    status = _cache_call("get", SERVICES_CACHE_KEY)
    if not isinstance(status, ServicesStatus):
        status = None
    if status is None or _now() - status.checked_at >= SERVICES_MAX_AGE_SECONDS:
        _refresh_in_background()
    return status


@dataclass(frozen=True)
class HealthReport:
    checks: list[Check]
    services: ServicesStatus | None  # None until the first refresh (checking)

    @property
    def healthy(self) -> bool:
        """Serving needs the database and the broker (unless still checking); missing workers
        only delay tasks."""
        return all(check.ok is not False for check in self.checks if check.name != "workers")

    @property
    def worker_names(self) -> tuple[str, ...]:
        return self.services.worker_names if self.services else ()

    @property
    def services_checked_seconds_ago(self) -> float | None:
        if self.services is None:
            return None
        return round(max(0.0, _now() - self.services.checked_at), 1)

    def as_json(self, *, detail: bool = False) -> dict:
        body = {
            "healthy": self.healthy,
            "checks": [check.__dict__ for check in self.checks],
            "services_checked_seconds_ago": self.services_checked_seconds_ago,
        }
        if detail:
            body["workers"] = list(self.worker_names)
        return body


def health_report() -> HealthReport:
    services = services_status()
    if services is None:
        service_checks = [Check(name, None, CHECKING, 0.0) for name in ("broker", "workers")]
    else:
        service_checks = [services.broker, services.workers]
    checks = [_timed("database", _database), *service_checks]
    return HealthReport(checks=checks, services=services)


def health_checks() -> list[Check]:
    return health_report().checks
