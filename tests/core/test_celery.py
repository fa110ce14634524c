"""Celery: settings that hold under faults, the shared tasks, and a real worker end to end."""

import smtplib
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessLog
from celery.contrib.testing.worker import start_worker
from celery.schedules import crontab
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from apps.accounts import services
from apps.core import health, tasks
from apps.core.tasks import cleanup_task, send_email_task
from merchant_portal.celery import app


# --- configuration -------------------------------------------------------------------------------
def test_celery_settings_hold_under_faults():
    conf = app.conf

    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_serializer == "json"
    assert conf.result_serializer == "json"
    assert conf.accept_content == ["json"]
    # Redis redelivers an unacknowledged task after this: longer than any task may run
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit


def test_the_cleanup_runs_daily_from_beat():
    entry = app.conf.beat_schedule["daily-cleanup"]

    assert entry["task"] == "apps.core.tasks.cleanup_task"
    assert entry["schedule"] == crontab(hour=3, minute=30)
    assert "apps.core.tasks.cleanup_task" in app.tasks
    assert app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"


def test_send_email_task_retries_smtp_errors_a_bounded_number_of_times():
    task = app.tasks["apps.core.tasks.send_email_task"]

    assert task.max_retries == 5
    assert smtplib.SMTPException in task.autoretry_for
    assert task.retry_backoff is True
    assert task.retry_jitter is True


# --- the tasks' bodies ---------------------------------------------------------------------------
def test_send_email_task_sends_one_plain_email():
    sent = send_email_task.apply(
        kwargs={"to": ["ann@example.test"], "subject": "Hello", "body": "Line one."}
    ).get()

    assert sent == 1
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (["ann@example.test"], "Hello", "Line one.")
    ]


def test_send_email_task_tries_again_after_an_smtp_error(monkeypatch):
    real_send_mail = tasks.send_mail
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs["recipient_list"])
        if len(calls) < 3:
            raise smtplib.SMTPServerDisconnected("lost the server")
        return real_send_mail(**kwargs)

    monkeypatch.setattr(tasks, "send_mail", flaky)

    result = send_email_task.apply(
        kwargs={"to": ["ann@example.test"], "subject": "Hello", "body": "Hi"}
    )

    assert result.get() == 1
    assert calls == [["ann@example.test"]] * 3
    assert len(mail.outbox) == 1


def test_send_email_task_gives_up_after_its_retries(monkeypatch):
    calls = []

    def down(**kwargs):
        calls.append(1)
        raise smtplib.SMTPConnectError(421, "try later")

    monkeypatch.setattr(tasks, "send_mail", down)

    result = send_email_task.apply(kwargs={"to": ["ann@example.test"], "subject": "S", "body": "B"})

    assert result.failed()
    assert isinstance(result.result, smtplib.SMTPConnectError)
    assert len(calls) == 6  # the first try and five retries
    assert mail.outbox == []


def _attempt(username: str, age: timedelta) -> AccessAttempt:
    attempt = AccessAttempt.objects.create(
        username=username,
        ip_address="203.0.113.9",
        user_agent="test",
        http_accept="*/*",
        path_info="/login/",
        get_data="",
        post_data="",
        failures_since_start=1,
    )
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=timezone.now() - age)
    return attempt


def test_cleanup_task_deletes_access_attempts_older_than_30_days(db):
    _attempt("old@example.test", timedelta(days=31))
    _attempt("older@example.test", timedelta(days=400))
    recent = _attempt("recent@example.test", timedelta(days=29))
    log = AccessLog.objects.create(
        username="old@example.test",
        ip_address="203.0.113.9",
        user_agent="test",
        http_accept="*/*",
        path_info="/login/",
    )
    AccessLog.objects.filter(pk=log.pk).update(attempt_time=timezone.now() - timedelta(days=90))

    deleted = cleanup_task.apply().get()

    assert deleted == 2
    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [recent.pk]
    assert AccessLog.objects.count() == 1


def test_cleanup_task_with_nothing_to_delete_returns_zero(db):
    _attempt("recent@example.test", timedelta(days=1))

    assert cleanup_task.apply().get() == 0
    assert AccessAttempt.objects.count() == 1


def test_invitation_queues_the_email_on_commit_not_before(
    store, owner, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(send_email_task, "delay", lambda **kwargs: queued.append(kwargs))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.invitation_create(
            store=store, invited_by=owner, email="new.hire@example.test", role="support"
        )
    assert queued == []

    callbacks[0]()

    assert [call["to"] for call in queued] == [["new.hire@example.test"]]
    assert queued[0]["subject"] == "You're invited to Alpha Goods on Merchant Portal"


# --- a real worker against the test run's Redis --------------------------------------------------
@pytest.fixture(scope="module")
def running_worker():
    hijack = app.conf.worker_hijack_root_logger
    app.conf.worker_hijack_root_logger = False
    app.control.purge()  # nothing left over from earlier tests runs here
    try:
        with start_worker(app, pool="solo", perform_ping_check=False) as worker:
            yield worker
    finally:
        app.conf.worker_hijack_root_logger = hijack


def _wait_for(condition, seconds: float = 10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.celery_worker
def test_a_real_worker_sends_the_invitation_email(running_worker, transactional_db, store, owner):
    assert not app.conf.task_always_eager

    _invitation, token = services.invitation_create(
        store=store, invited_by=owner, email="new.hire@example.test", role="manager"
    )

    assert _wait_for(lambda: len(mail.outbox) == 1), "the worker sent nothing within 10 s"
    message = mail.outbox[0]
    assert message.to == ["new.hire@example.test"]
    assert message.subject == "You're invited to Alpha Goods on Merchant Portal"
    assert f"/invitations/{token}/" in message.body


@pytest.mark.celery_worker
def test_the_health_page_sees_a_running_worker(running_worker, db):
    def workers_check():
        response = Client().get("/health/", HTTP_ACCEPT="application/json")
        assert response.status_code == 200
        return {c["name"]: c for c in response.json()["checks"]}["workers"]

    cache.delete(health.SERVICES_CACHE_KEY)
    first = workers_check()  # a cold start: the status is probed in the background
    deadline = time.monotonic() + 10
    workers = first
    while workers["detail"] == "checking" and time.monotonic() < deadline:
        time.sleep(0.1)
        workers = workers_check()

    assert (first["ok"], first["detail"]) == (None, "checking")
    assert workers["ok"] is True
    assert workers["detail"] == "1 worker(s) answered"


def test_beat_stores_the_daily_cleanup_in_its_database_schedule(db):
    from django_celery_beat.models import PeriodicTask
    from django_celery_beat.schedulers import ModelEntry

    # what DatabaseScheduler.setup_schedule does with each CELERY_BEAT_SCHEDULE entry
    for name, entry in app.conf.beat_schedule.items():
        ModelEntry.from_entry(name, app=app, **entry)

    task = PeriodicTask.objects.get(name="daily-cleanup")
    assert task.task == "apps.core.tasks.cleanup_task"
    assert task.enabled is True
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("30", "3", "*")
