"""/health/: database, broker and worker status, as JSON or HTML, 503 when a service is down.

The database is checked on every call; the broker and worker status (pinging the workers takes
a second) comes from the cache, refreshed at most every 30 s."""

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.test import Client

from apps.core import embedded, health
from merchant_portal.celery import app

JSON = {"HTTP_ACCEPT": "application/json"}

MARK = '<span class="badge-mark" aria-hidden="true"></span>'  # the badge's mark, then its words


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()  # the broker/worker status is cached
    yield
    cache.clear()


@pytest.fixture
def pings():
    return []


@pytest.fixture
def workers(monkeypatch, pings):
    """``workers(n)``: make the worker ping answer with ``n`` workers (no 1 s wait); each
    ping is recorded in ``pings``."""

    def answer(count: int) -> None:
        replies = [{f"celery@worker{n}": {"ok": "pong"}} for n in range(count)]

        def ping(timeout):
            pings.append(timeout)
            return replies

        monkeypatch.setattr(app.control, "ping", ping)

    return answer


@pytest.fixture
def clock(monkeypatch):
    """``clock.now``: the time health sees, in seconds; move it forward by adding to it."""

    class Clock:
        now = 1_000_000.0

    monkeypatch.setattr(health, "_now", lambda: Clock.now)
    return Clock


def _checks(response) -> dict[str, tuple[bool, str]]:
    return {check["name"]: (check["ok"], check["detail"]) for check in response.json()["checks"]}


def test_health_reports_every_service_as_json(db, workers):
    workers(2)

    response = Client().get("/health/", **JSON)

    assert response.status_code == 200
    body = response.json()
    assert body["healthy"] is True
    assert [check["name"] for check in body["checks"]] == ["database", "broker", "workers"]
    checks = _checks(response)
    assert checks["database"][0] is True
    assert checks["database"] == (True, "reachable")  # no server version to the public
    assert checks["broker"] == (True, "reachable")
    assert checks["workers"] == (True, "2 worker(s) answered")
    assert all(isinstance(check["milliseconds"], float) for check in body["checks"])


def test_health_without_workers_says_so_but_still_serves(db, workers):
    workers(0)

    response = Client().get("/health/", **JSON)

    assert response.status_code == 200
    assert response.json()["healthy"] is True
    assert _checks(response)["workers"] == (False, "no worker answered within 1 s")


def test_health_page_renders_html(db, workers):
    workers(1)

    response = Client().get("/health/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = response.content.decode()
    assert "Serving normally" in page
    assert '<td data-label="Service">Database</td>' in page
    assert '<td data-label="Service">Broker</td>' in page
    assert "1 worker(s) answered" in page
    assert "celery@worker0" in page  # the page keeps the full detail
    assert page.count(f'<span class="badge badge-success">{MARK}OK</span>') == 3
    # at phone width the rows stack instead of overflowing
    assert '<table class="table table-stacked">' in page


def test_health_is_never_cached_and_needs_no_login(db, workers):
    workers(1)

    response = Client().get("/health/", **JSON)

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


def test_health_is_503_when_the_database_check_fails(db, workers, monkeypatch):
    workers(1)

    def broken():
        raise OperationalError("connection refused")

    monkeypatch.setattr(health, "_database", broken)

    as_json = Client().get("/health/", **JSON)
    as_html = Client().get("/health/")

    assert as_json.status_code == 503
    assert as_json.json()["healthy"] is False
    # the public page names the failure but not the server's message
    assert _checks(as_json)["database"] == (False, "unreachable (OperationalError)")
    assert _checks(as_json)["broker"] == (True, "reachable")
    assert as_html.status_code == 503
    assert "Degraded: a required service is down" in as_html.content.decode()
    assert '<span class="badge badge-critical">' + MARK + "Down</span>" in as_html.content.decode()


def test_health_reports_a_broker_that_is_down(db, monkeypatch, tmp_path):
    missing = tmp_path / "no-redis.sock"
    monkeypatch.setenv("CELERY_BROKER_URL", embedded.redis_url(missing))

    response = Client().get("/health/", **JSON)

    assert response.status_code == 503
    checks = _checks(response)
    assert checks["broker"][0] is False
    assert checks["broker"][1] == "unreachable (OperationalError)"
    assert str(missing) not in checks["broker"][1]  # no server paths on a public page
    assert checks["workers"] == (False, "broker unreachable")
    assert checks["database"][0] is True


def test_health_pings_the_workers_at_most_every_30_seconds(db, workers, pings, clock):
    workers(1)
    client = Client()

    first = client.get("/health/", **JSON)
    clock.now += 29
    cached = client.get("/health/", **JSON)
    clock.now += 2
    refreshed = client.get("/health/", **JSON)

    assert [r.status_code for r in (first, cached, refreshed)] == [200, 200, 200]
    assert len(pings) == 2
    assert _checks(cached)["workers"] == (True, "1 worker(s) answered")


def test_health_checks_the_database_on_every_call(db, workers, clock, monkeypatch):
    workers(1)
    client = Client()
    assert client.get("/health/", **JSON).status_code == 200

    def broken():
        raise OperationalError("connection refused")

    monkeypatch.setattr(health, "_database", broken)

    response = client.get("/health/", **JSON)

    assert response.status_code == 503
    assert _checks(response)["database"] == (False, "unreachable (OperationalError)")
    assert _checks(response)["broker"] == (True, "reachable")


def test_health_is_503_while_the_cached_status_says_the_broker_is_down(
    db, workers, pings, clock, monkeypatch
):
    def unreachable():
        raise ConnectionError("no broker")

    monkeypatch.setattr(health, "_broker", unreachable)
    workers(1)
    client = Client()
    down = client.get("/health/", **JSON)
    monkeypatch.setattr(health, "_broker", lambda: (True, "reachable"))

    still_down = client.get("/health/", **JSON)
    clock.now += 31
    back = client.get("/health/", **JSON)

    assert down.status_code == 503
    assert still_down.status_code == 503
    assert _checks(still_down)["broker"] == (False, "unreachable (ConnectionError)")
    assert _checks(still_down)["workers"] == (False, "broker unreachable")
    assert back.status_code == 200
    assert pings == [1.0]  # no ping while the broker was down


def test_health_json_names_the_workers_only_with_detail(db, workers, clock):
    workers(2)
    client = Client()

    brief = client.get("/health/", **JSON).json()
    detailed = client.get("/health/?detail=1", **JSON).json()

    assert "workers" not in brief
    assert detailed["workers"] == ["celery@worker0", "celery@worker1"]
    assert detailed["services_checked_seconds_ago"] == 0.0
    assert [check["name"] for check in detailed["checks"]] == ["database", "broker", "workers"]


def test_health_answers_in_milliseconds_once_the_status_is_cached(db, monkeypatch, clock):
    import time

    def slow_ping(timeout):
        time.sleep(timeout)
        return [{"celery@worker0": {"ok": "pong"}}]

    monkeypatch.setattr(app.control, "ping", slow_ping)
    client = Client()
    client.get("/health/", **JSON)  # pays for the ping once

    started = time.perf_counter()
    response = client.get("/health/", **JSON)
    elapsed = time.perf_counter() - started

    assert response.status_code == 200
    assert elapsed < 0.5
