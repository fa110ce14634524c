"""Core's job machinery: the run wrapper (failure, idempotence, bounded retries), the reaper,
cancel and the progress component. Exercised on the catalog's BulkJob with stand-in runners."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import OperationalError, connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from apps.catalog.models import BulkJob
from apps.core.exceptions import DomainError
from apps.core.jobs import (
    STUCK_MESSAGE,
    JobRetry,
    job_cancel,
    job_progress_of,
    job_progress_save,
    job_run,
    job_run_inline,
    jobs_reap_stuck,
    jobs_requeue_lost,
)
from apps.core.tasks import jobs_reap_stuck_task, run_job_task
from merchant_portal.celery import app
from tests.factories import StoreFactory

LABEL = "catalog.BulkJob"
CALLS: list = []


def runner_that_raises(*, job):
    CALLS.append(job.pk)
    raise KeyError("a bug deep inside")


def runner_that_loses_the_database(*, job):
    CALLS.append(job.pk)
    raise OperationalError("server closed the connection unexpectedly")


def runner_that_counts(*, job):
    CALLS.append(job.pk)
    job_progress_save(job, processed=job.total)
    BulkJob.objects.filter(pk=job.pk).update(status="done", finished_at=timezone.now())


def runner_that_gets_cancelled(*, job):
    job_progress_save(job, processed=1)
    job_cancel(job=BulkJob.objects.get(pk=job.pk))  # Cancel pressed between two chunks
    CALLS.append(job.pk)
    job_progress_save(job, processed=2)  # the next chunk's write stops the run
    CALLS.append(-1)  # never reached


@pytest.fixture(autouse=True)
def reset_calls():
    CALLS.clear()


@pytest.fixture
def make_job(store, owner):
    def make(runner=None, **fields):
        return BulkJob.objects.create(
            store=store, action="archive", total=5, requested_by=owner, **fields
        )

    return make


@pytest.fixture
def use_runner(monkeypatch):
    def use(function):
        monkeypatch.setattr(BulkJob, "runner", f"{__name__}.{function.__name__}")

    return use


# --- the wrapper ------------------------------------------------------------------------------
def test_an_unexpected_exception_fails_the_job_with_a_readable_reason(make_job, use_runner, caplog):
    use_runner(runner_that_raises)
    job = make_job()

    assert job_run(label=LABEL, job_id=job.pk) == "failed"

    job.refresh_from_db()
    assert job.status == "failed"
    assert job.failure_message == BulkJob.failure_text
    assert "KeyError" not in job.failure_message
    assert job.started_at is not None and job.finished_at is not None
    assert "a bug deep inside" in caplog.text  # the traceback goes to the log


def test_a_second_delivery_of_a_finished_job_does_nothing(make_job, use_runner):
    use_runner(runner_that_counts)
    job = make_job()

    assert job_run(label=LABEL, job_id=job.pk) == "done"
    before = BulkJob.objects.values().get(pk=job.pk)
    assert job_run(label=LABEL, job_id=job.pk) is None

    assert [job.pk] == CALLS
    assert BulkJob.objects.values().get(pk=job.pk) == before


def test_a_gone_or_cancelled_job_is_skipped(make_job, use_runner):
    use_runner(runner_that_counts)
    cancelled = make_job(status="cancelled")

    assert job_run(label=LABEL, job_id=987654) is None
    assert job_run(label=LABEL, job_id=cancelled.pk) is None
    assert CALLS == []


def runner_that_looks_at_its_row(*, job):
    row = BulkJob.objects.get(pk=job.pk)
    CALLS.append((row.status, row.started_at is not None))


def test_the_wrapper_marks_a_queued_job_running_with_its_start(make_job, use_runner):
    use_runner(runner_that_looks_at_its_row)
    job = make_job()

    job_run(label=LABEL, job_id=job.pk)

    assert CALLS == [("running", True)]


def test_a_lost_database_is_retried_with_backoff_then_fails(make_job, use_runner):
    use_runner(runner_that_loses_the_database)
    job = make_job()

    with pytest.raises(JobRetry) as first:
        job_run(label=LABEL, job_id=job.pk, attempt=0)
    job.refresh_from_db()
    assert job.status == "running"  # still running: the retry carries on
    assert 10 <= first.value.countdown <= 20

    assert job_run(label=LABEL, job_id=job.pk, attempt=BulkJob.max_retries) == "failed"
    job.refresh_from_db()
    assert (job.status, job.failure_message) == ("failed", BulkJob.failure_text)


def test_the_task_retries_a_bounded_number_of_times(make_job, use_runner, celery_eager):
    use_runner(runner_that_loses_the_database)
    job = make_job()
    app.conf.task_eager_propagates = False

    run_job_task.apply_async(args=(LABEL, job.pk))

    job.refresh_from_db()
    assert len(CALLS) == BulkJob.max_retries + 1
    assert job.status == "failed"


def test_a_job_cancelled_while_it_runs_stops_at_its_next_progress_write(make_job, use_runner):
    use_runner(runner_that_gets_cancelled)
    job = make_job()

    assert job_run(label=LABEL, job_id=job.pk) == "cancelled"

    job.refresh_from_db()
    assert [job.pk] == CALLS
    assert (job.status, job.processed) == ("cancelled", 1)


def test_cancel_of_a_finished_job_is_refused_and_changes_nothing(make_job):
    job = make_job(status="done")

    with pytest.raises(DomainError):
        job_cancel(job=job)

    job.refresh_from_db()
    assert job.status == "done"


# --- the reaper ---------------------------------------------------------------------------------
def test_the_reaper_fails_running_jobs_without_a_heartbeat(make_job, settings):
    settings.JOB_STUCK_AFTER_MINUTES = 30
    stuck = make_job(status="running")
    alive = make_job(status="running")
    queued = make_job(status="queued")
    done = make_job(status="done")
    long_ago = timezone.now() - timedelta(minutes=31)
    BulkJob.objects.filter(pk__in=[stuck.pk, queued.pk, done.pk]).update(updated_at=long_ago)
    BulkJob.objects.filter(pk=alive.pk).update(updated_at=timezone.now() - timedelta(minutes=29))

    assert jobs_reap_stuck_task() == 1

    statuses = dict(BulkJob.objects.values_list("pk", "status"))
    assert statuses == {
        stuck.pk: "failed",
        alive.pk: "running",
        queued.pk: "queued",
        done.pk: "done",
    }
    stuck.refresh_from_db()
    assert stuck.failure_message == STUCK_MESSAGE
    assert stuck.finished_at is not None
    assert jobs_reap_stuck() == 0


def test_a_progress_write_is_a_heartbeat(make_job, settings):
    settings.JOB_STUCK_AFTER_MINUTES = 30
    job = make_job(status="running")
    BulkJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(hours=2))

    job_progress_save(job, processed=3)

    assert jobs_reap_stuck() == 0
    job.refresh_from_db()
    assert (job.status, job.processed) == ("running", 3)


def test_the_reaper_and_the_file_cleanup_are_scheduled():
    reap = app.conf.beat_schedule["jobs-reap-stuck"]
    files = app.conf.beat_schedule["daily-private-files-cleanup"]

    assert reap["task"] == "apps.core.tasks.jobs_reap_stuck_task"
    assert files["task"] == "apps.core.tasks.private_files_delete_expired_task"
    assert "daily-export-cleanup" not in app.conf.beat_schedule


# --- the progress component -----------------------------------------------------------------
def render_progress(job, **extra):
    return render_to_string(
        "components/progress.html",
        {
            "job": job,
            "progress": job_progress_of(job),
            "dom_id": "job-progress",
            "unit": "rows",
            "poll_url": "/poll/",
            "cancel_url": "/cancel/",
            **extra,
        },
    )


def test_the_progress_of_a_running_job_polls_and_offers_cancel(make_job):
    job = make_job(status="running", processed=1240, started_at=timezone.now())
    job.total = 5000

    html = render_progress(job)

    assert html.startswith('<div id="job-progress" class="job-progress" hx-get="/poll/"')
    assert 'hx-trigger="every 1s"' in html
    assert "1,240 of 5,000 rows" in html
    assert "left" in html
    assert 'action="/cancel/"' in html
    assert '<a href="/poll/">Refresh</a>' in html


@pytest.mark.parametrize(
    ("status", "text"),
    [("failed", "The disk is full."), ("cancelled", "Cancelled after 2 of 5 rows")],
)
def test_a_finished_job_stops_polling(make_job, status, text):
    job = make_job(status=status, processed=2, failure_message="The disk is full.")

    html = render_progress(job)

    assert "hx-get" not in html and "hx-trigger" not in html
    assert text in html
    assert 'action="/cancel/"' not in html


def test_the_progress_page_of_a_bulk_job_is_a_fragment_for_htmx(make_job, owner, client_for):
    job = make_job(status="running", processed=2, started_at=timezone.now())
    url = f"/store/alpha/catalog/products/bulk/{job.pk}/"

    fragment = client_for(owner).get(url, headers={"HX-Request": "true"}).content.decode()
    BulkJob.objects.filter(pk=job.pk).update(status="done", changed=2)
    done = client_for(owner).get(url, headers={"HX-Request": "true"}).content.decode()

    assert fragment.lstrip().startswith('<div id="bulk-progress"')
    assert "2 of 5 products" in fragment
    assert 'hx-trigger="every 1s"' in fragment
    assert "hx-trigger" not in done
    assert "Done: 2 of 5 products changed" in done


def test_the_reaper_queues_again_a_job_whose_message_was_lost(
    make_job, settings, django_capture_on_commit_callbacks
):
    settings.JOB_STUCK_AFTER_MINUTES = 30
    lost = make_job(status="queued")
    fresh = make_job(status="queued")
    long_ago = timezone.now() - timedelta(minutes=31)
    BulkJob.objects.filter(pk=lost.pk).update(updated_at=long_ago)

    with django_capture_on_commit_callbacks() as callbacks:
        assert jobs_requeue_lost() == 1

    assert len(callbacks) == 1  # one run queued, for the lost job only
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == "queued"
    assert lost.updated_at > long_ago  # not queued again on the next beat
    assert jobs_requeue_lost() == 0


@pytest.mark.django_db(transaction=True)
def test_cancel_of_a_job_in_its_last_write_says_so_instead_of_hanging(settings):
    """A step that holds the job's row (an import writing the catalog in one transaction) can
    no longer be stopped: Cancel says so within seconds instead of waiting for it."""
    settings.JOB_CANCEL_WAIT_SECONDS = 1
    store = StoreFactory(handle="writes")
    job = BulkJob.objects.create(store=store, action="archive", total=5, status="running")
    holding, release = threading.Event(), threading.Event()

    def last_write():
        try:
            with transaction.atomic():
                BulkJob.objects.select_for_update().get(pk=job.pk)
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=last_write)
    thread.start()
    try:
        assert holding.wait(10)
        started = time.monotonic()
        with pytest.raises(DomainError) as refused:
            job_cancel(job=BulkJob.objects.get(pk=job.pk))
        waited = time.monotonic() - started
    finally:
        release.set()
        thread.join(10)

    assert waited < 3
    assert refused.value.message == (
        "It is writing its last step and can no longer be stopped; it will finish in a moment."
    )
    job.refresh_from_db()
    assert job.status == "running"


# --- a job that kills its worker (no except clause runs; the broker delivers it again) ---------
class WorkerKilled(BaseException):
    """Stands in for SIGKILL / the OOM killer: nothing in job_run can catch it."""


def runner_that_kills_its_worker(*, job):
    CALLS.append(job.pk)
    raise WorkerKilled()


def test_a_redelivered_running_job_keeps_its_old_heartbeat_so_the_reaper_fails_it(
    make_job, use_runner, settings
):
    settings.JOB_STUCK_AFTER_MINUTES = 30
    use_runner(runner_that_kills_its_worker)
    job = make_job(status="running", started_at=timezone.now() - timedelta(hours=2))
    two_hours_ago = timezone.now() - timedelta(hours=2)
    BulkJob.objects.filter(pk=job.pk).update(updated_at=two_hours_ago)

    with pytest.raises(WorkerKilled):
        job_run(label=LABEL, job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.attempts, job.updated_at) == ("running", 1, two_hours_ago)
    assert jobs_reap_stuck() == 1
    job.refresh_from_db()
    assert (job.status, job.failure_message) == ("failed", STUCK_MESSAGE)


def test_a_job_that_keeps_killing_its_worker_fails_after_its_attempts(make_job, use_runner):
    use_runner(runner_that_kills_its_worker)
    job = make_job()
    allowed = BulkJob.max_retries + 1

    for _ in range(allowed):
        with pytest.raises(WorkerKilled):
            job_run(label=LABEL, job_id=job.pk)
    assert job_run(label=LABEL, job_id=job.pk) == "failed"

    assert [job.pk] * allowed == CALLS  # the last delivery did not run it again
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("failed", allowed)
    assert job.failure_message == BulkJob.failure_text
    assert job.finished_at is not None
    assert job_run(label=LABEL, job_id=job.pk) is None


def test_the_first_start_of_a_queued_job_is_its_first_heartbeat(make_job, use_runner):
    use_runner(runner_that_looks_at_its_row)
    job = make_job()
    long_ago = timezone.now() - timedelta(hours=2)
    BulkJob.objects.filter(pk=job.pk).update(updated_at=long_ago)

    job_run(label=LABEL, job_id=job.pk)

    job.refresh_from_db()
    assert job.updated_at > long_ago
    assert job.attempts == 1


# --- a small job run inside the request -----------------------------------------------------
def test_an_inline_run_fails_the_job_with_a_readable_reason_like_a_worker(
    make_job, use_runner, caplog
):
    use_runner(runner_that_raises)
    job = make_job()

    ran = job_run_inline(job)

    assert ran.status == "failed"
    job.refresh_from_db()
    assert (job.status, job.failure_message) == ("failed", BulkJob.failure_text)
    assert job.finished_at is not None
    assert "a bug deep inside" in caplog.text


def test_an_inline_run_does_not_retry_a_lost_database(make_job, use_runner):
    use_runner(runner_that_loses_the_database)
    job = make_job()

    assert job_run_inline(job).status == "failed"

    assert [job.pk] == CALLS


def test_an_inline_run_returns_the_finished_job(make_job, use_runner):
    use_runner(runner_that_counts)
    job = make_job()

    assert job_run_inline(job).status == "done"
