"""How far a long job has got, and the time left at its pace so far (imports, bulk actions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone


@dataclass(frozen=True)
class JobProgress:
    done: int
    total: int
    percent: int
    seconds_left: int | None  # None until the first unit of work is done
    is_counting: bool = False  # nothing done and no total known yet: "0 of 1" would be wrong


def job_progress(*, done: int, total: int, started_at: datetime | None) -> JobProgress:
    is_counting = not total and not done
    total = max(total, done, 1)
    done = min(done, total)
    seconds_left = None
    if started_at and done:
        elapsed = (timezone.now() - started_at).total_seconds()
        seconds_left = int(elapsed / done * (total - done))
    return JobProgress(done, total, int(100 * done / total), seconds_left, is_counting)
