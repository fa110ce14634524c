"""/health/: database, broker and worker status, as JSON or HTML, 503 when a service is down."""

import pytest
from django.db import OperationalError
from django.test import Client

from apps.core import embedded, health
from merchant_portal.celery import app

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def workers(monkeypatch):
    """``workers(n)``: make the worker ping answer with ``n`` workers (no 1 s wait)."""

    def answer(count: int) -> None:
        replies = [{f"celery@worker{n}": {"ok": "pong"}} for n in range(count)]
        monkeypatch.setattr(app.control, "ping", lambda timeout: replies)

    return answer


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
    assert "<td>Database</td>" in page
    assert "<td>Broker</td>" in page
    assert "1 worker(s) answered" in page
    assert page.count('<span class="badge badge-success">OK</span>') == 3


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
    assert '<span class="badge badge-critical">Down</span>' in as_html.content.decode()


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
