"""/health/: database, broker and worker status, as JSON or HTML, 503 when a service is down.

The database is checked on every call; the broker and worker status (pinging the workers takes
a second) comes from the cache and is refreshed in the background once it is 30 s old, so no
request waits for a ping. Here the background refresh runs only when a test says so
(``background.run()``), except in the tests of the real thread."""

import time

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.test import Client

from apps.core import embedded, health
from merchant_portal.celery import app
from tests.factories import UserFactory

JSON = {"HTTP_ACCEPT": "application/json"}

MARK = '<span class="badge-mark" aria-hidden="true"></span>'  # the badge's mark, then its words


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()  # the broker/worker status is cached
    yield
    cache.clear()


REAL_SPAWN = health._spawn


@pytest.fixture(autouse=True)
def background(monkeypatch):
    """Refreshes the health page starts, kept until ``background.run()`` runs them."""

    class Background:
        pending: list = []

        def run(self) -> None:
            while self.pending:
                self.pending.pop(0)()

    recorder = Background()
    recorder.pending = []
    monkeypatch.setattr(health, "_spawn", recorder.pending.append)
    yield recorder
    if recorder.pending:  # a refresh a test left unrun: free its locks for the next test
        health._release_refresh(health._claimed_at)
        cache.delete(health.SERVICES_REFRESH_LOCK_KEY)


def _warm() -> None:
    """The broker/worker status as a previous refresh left it in the cache."""
    health.services_refresh()


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
    _warm()

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
    _warm()

    response = Client().get("/health/", **JSON)

    assert response.status_code == 200
    assert response.json()["healthy"] is True
    assert _checks(response)["workers"] == (False, "no worker answered within 1 s")


def test_health_page_renders_html(db, workers):
    workers(1)
    _warm()

    response = Client().get("/health/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = response.content.decode()
    assert "Serving normally" in page
    assert '<td data-label="Service">Database</td>' in page
    assert '<td data-label="Service">Broker</td>' in page
    assert "1 worker(s) answered" in page
    assert "celery@worker" not in page  # worker host names only for staff (below)
    assert page.count(f'<span class="badge badge-success">{MARK}OK</span>') == 3
    # at phone width the rows stack instead of overflowing
    assert '<table class="table table-stacked">' in page


def test_health_is_never_cached_and_needs_no_login(db, workers):
    workers(1)
    _warm()

    response = Client().get("/health/", **JSON)

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


def test_health_is_503_when_the_database_check_fails(db, workers, monkeypatch):
    workers(1)
    _warm()

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
    _warm()

    response = Client().get("/health/", **JSON)

    assert response.status_code == 503
    checks = _checks(response)
    assert checks["broker"][0] is False
    assert checks["broker"][1] == "unreachable (OperationalError)"
    assert str(missing) not in checks["broker"][1]  # no server paths on a public page
    assert checks["workers"] == (False, "broker unreachable")
    assert checks["database"][0] is True


def test_health_pings_the_workers_at_most_every_30_seconds_and_never_in_a_request(
    db, workers, pings, clock, background
):
    workers(1)
    _warm()
    client = Client()

    first = client.get("/health/", **JSON)
    clock.now += 29
    cached = client.get("/health/?detail=1", **JSON)
    started_before_30_s = len(background.pending)
    clock.now += 2
    stale = client.get("/health/?detail=1", **JSON)
    pings_during_requests = len(pings)
    background.run()
    refreshed = client.get("/health/?detail=1", **JSON)

    assert [r.status_code for r in (first, cached, stale, refreshed)] == [200, 200, 200, 200]
    assert started_before_30_s == 0
    assert pings_during_requests == 1  # the warm-up's: the stale request served the old status
    assert len(pings) == 2  # and the background refresh pinged again
    assert _checks(stale)["workers"] == (True, "1 worker(s) answered")
    assert stale.json()["services_checked_seconds_ago"] == 31.0
    assert refreshed.json()["services_checked_seconds_ago"] == 0.0


def test_health_starts_one_refresh_however_many_requests_find_the_status_stale(
    db, workers, clock, background
):
    workers(1)
    _warm()
    clock.now += 31
    client = Client()

    for _ in range(3):
        assert client.get("/health/", **JSON).status_code == 200
    started = len(background.pending)
    background.run()
    client.get("/health/", **JSON)

    assert started == 1
    assert len(background.pending) == 0  # fresh again: nothing more to refresh


def test_health_on_a_cold_start_says_checking_and_starts_a_refresh(db, workers, pings, background):
    workers(2)
    client = Client()
    client.force_login(UserFactory(is_staff=True))

    cold = client.get("/health/?detail=1", **JSON)
    page = client.get("/health/")
    started = len(background.pending)
    background.run()
    warm = client.get("/health/", **JSON)

    assert cold.status_code == 200  # the database is up: serving
    assert cold.json()["healthy"] is True
    assert [(c["name"], c["ok"], c["detail"]) for c in cold.json()["checks"][1:]] == [
        ("broker", None, "checking"),
        ("workers", None, "checking"),
    ]
    assert cold.json()["services_checked_seconds_ago"] is None
    assert cold.json()["workers"] == []
    assert pings == [1.0]  # only the background refresh pinged
    assert page.status_code == 200
    assert page.content.decode().count(f'<span class="badge badge-info">{MARK}Checking</span>') == 2
    assert started == 1
    assert _checks(warm)["workers"] == (True, "2 worker(s) answered")


def test_health_on_a_cold_start_is_503_when_the_database_is_down(db, workers, monkeypatch):
    workers(1)

    def broken():
        raise OperationalError("connection refused")

    monkeypatch.setattr(health, "_database", broken)

    response = Client().get("/health/", **JSON)

    assert response.status_code == 503
    assert _checks(response)["broker"] == (None, "checking")


def test_health_checks_the_database_on_every_call(db, workers, clock, monkeypatch):
    workers(1)
    _warm()
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
    db, workers, pings, clock, monkeypatch, background
):
    def unreachable():
        raise ConnectionError("no broker")

    monkeypatch.setattr(health, "_broker", unreachable)
    workers(1)
    _warm()
    client = Client()
    down = client.get("/health/", **JSON)
    monkeypatch.setattr(health, "_broker", lambda: (True, "reachable"))

    still_down = client.get("/health/", **JSON)
    clock.now += 31
    stale = client.get("/health/", **JSON)
    background.run()
    back = client.get("/health/", **JSON)

    assert down.status_code == 503
    assert still_down.status_code == 503
    assert _checks(still_down)["broker"] == (False, "unreachable (ConnectionError)")
    assert _checks(still_down)["workers"] == (False, "broker unreachable")
    assert stale.status_code == 503  # the cached status says down until the refresh says not
    assert back.status_code == 200
    assert pings == [1.0]  # no ping while the broker was down


def test_health_json_names_the_workers_only_with_detail(db, workers, clock):
    workers(2)
    _warm()
    client = Client()

    brief = client.get("/health/", **JSON).json()
    client.force_login(UserFactory(is_staff=True))
    detailed = client.get("/health/?detail=1", **JSON).json()

    assert "workers" not in brief
    assert detailed["workers"] == ["celery@worker0", "celery@worker1"]
    assert detailed["services_checked_seconds_ago"] == 0.0
    assert [check["name"] for check in detailed["checks"]] == ["database", "broker", "workers"]


@pytest.mark.parametrize("who", ["anonymous", "store owner"])
def test_health_shows_worker_names_only_to_logged_in_staff(db, workers, clock, who, owner):
    workers(2)
    _warm()
    client = Client()
    if who == "store owner":
        client.force_login(owner)  # a merchant, not the portal's staff
    staff = Client()
    staff.force_login(UserFactory(is_staff=True))

    body = client.get("/health/?detail=1", **JSON).json()
    page = client.get("/health/?detail=1").content.decode()
    staff_page = staff.get("/health/").content.decode()

    assert set(body) == {"healthy", "checks", "services_checked_seconds_ago"}
    assert "celery@worker" not in page
    assert "2 worker(s) answered" in page
    assert "celery@worker0, celery@worker1" in staff_page


def _wait_for_status(timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = cache.get(health.SERVICES_CACHE_KEY)
        if status is not None:
            return status
        time.sleep(0.05)
    raise AssertionError("the background refresh wrote no status")


def test_health_answers_in_milliseconds_cold_stale_or_fresh(db, monkeypatch, clock):
    """The real background thread: a 1 s ping never holds up a request."""
    monkeypatch.setattr(health, "_spawn", REAL_SPAWN)

    def slow_ping(timeout):
        time.sleep(timeout)
        return [{"celery@worker0": {"ok": "pong"}}]

    monkeypatch.setattr(app.control, "ping", slow_ping)
    client = Client()

    def timed_get():
        started = time.perf_counter()
        response = client.get("/health/", **JSON)
        return response, time.perf_counter() - started

    cold, cold_seconds = timed_get()
    _wait_for_status()
    fresh, fresh_seconds = timed_get()
    clock.now += 31
    stale, stale_seconds = timed_get()
    cache.delete(health.SERVICES_CACHE_KEY)
    _wait_for_status()  # the refresh the stale request started

    assert [r.status_code for r in (cold, fresh, stale)] == [200, 200, 200]
    assert _checks(cold)["workers"] == (None, "checking")
    assert _checks(fresh)["workers"] == (True, "1 worker(s) answered")
    assert _checks(stale)["workers"] == (True, "1 worker(s) answered")
    assert max(cold_seconds, fresh_seconds, stale_seconds) < 0.5


def test_a_refresh_that_never_finishes_does_not_stop_later_refreshes(
    db, workers, clock, background
):
    """A refresh thread that hangs (a broker that stops answering mid-ping) or dies must not
    leave the page saying "checking" for ever: once the refresh's time is up, the next request
    starts another one."""
    workers(1)
    client = Client()
    client.get("/health/", **JSON)
    hung = background.pending.pop()  # this refresh never runs to its end
    clock.now += health.SERVICES_REFRESH_LOCK_SECONDS - 1
    client.get("/health/", **JSON)
    too_soon = len(background.pending)
    clock.now += 2
    cache.delete(health.SERVICES_REFRESH_LOCK_KEY)  # the cache lock has expired by now
    client.get("/health/", **JSON)
    started_again = len(background.pending)
    background.run()
    warm = client.get("/health/", **JSON).json()
    hung()  # the hung refresh finally ends: it frees nothing that is not its own

    assert too_soon == 0
    assert started_again == 1
    assert warm["services_checked_seconds_ago"] == 0.0
    assert _checks(Client().get("/health/", **JSON))["workers"] == (True, "1 worker(s) answered")
