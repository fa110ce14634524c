from datetime import timedelta

from django.utils import timezone

from apps.core.progress import job_progress


def test_time_left_follows_the_pace_so_far():
    started = timezone.now() - timedelta(seconds=10)

    progress = job_progress(done=250, total=1000, started_at=started)

    assert (progress.done, progress.total, progress.percent) == (250, 1000, 25)
    assert 29 <= progress.seconds_left <= 31


def test_nothing_done_yet_has_no_estimate_and_totals_never_divide_by_zero():
    assert job_progress(done=0, total=0, started_at=None).seconds_left is None
    assert job_progress(done=0, total=0, started_at=timezone.now()).percent == 0
    # a job that read more than its estimated total is simply done
    over = job_progress(done=12, total=10, started_at=None)
    assert (over.done, over.total, over.percent) == (12, 12, 100)
