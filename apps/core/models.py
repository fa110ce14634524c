"""The tenant (Store) and the base classes every store-owned model uses."""

from __future__ import annotations

import secrets
import zoneinfo

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import InterfaceError, OperationalError, models

from apps.core.files import private_file_path, private_storage_get
from apps.core.money import validate_country, validate_currency


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value} is not a known time zone (try e.g. Europe/Berlin).")


def new_publishable_key() -> str:
    return f"mp_pk_{secrets.token_urlsafe(24)}"


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


# a cart counts as abandoned after 5 minutes at the least, a week at the most
ABANDONMENT_WINDOW_MIN = 5
ABANDONMENT_WINDOW_MAX = 7 * 24 * 60  # 10,080 minutes
ABANDONMENT_WINDOW_MESSAGE = "Choose between 5 minutes and 7 days (10,080 minutes)."


# what a store's settings page changes (and ``store_update`` accepts): one list for both
STORE_SETTINGS_FIELDS = (
    "name",
    "currency",
    "timezone",
    "country",
    "abandonment_window_minutes",
    "allowed_origins",
)


class Store(TimeStampedModel):
    handle = models.SlugField(
        max_length=50,
        unique=True,
        help_text="Used in the address of every page, e.g. /store/acme/. Letters, digits, hyphens.",
    )
    name = models.CharField(max_length=120)
    currency = models.CharField(max_length=3, default="EUR", validators=[validate_currency])
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    country = models.CharField(max_length=2, default="DE", validators=[validate_country])
    publishable_key = models.CharField(max_length=64, unique=True, default=new_publishable_key)
    allowed_origins = ArrayField(
        models.URLField(max_length=200),
        default=list,
        blank=True,
        help_text="Storefront origins allowed to call the storefront API, e.g. https://shop.example.",
    )
    abandonment_window_minutes = models.PositiveIntegerField(
        default=60,
        validators=[
            MinValueValidator(ABANDONMENT_WINDOW_MIN, message=ABANDONMENT_WINDOW_MESSAGE),
            MaxValueValidator(ABANDONMENT_WINDOW_MAX, message=ABANDONMENT_WINDOW_MESSAGE),
        ],
        help_text="A cart with no purchase this long after its last activity counts as abandoned.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class StoreScopedQuerySet(models.QuerySet):
    def for_store(self, store: Store) -> StoreScopedQuerySet:
        return self.filter(store=store)


class StoreOwnedModel(TimeStampedModel):
    """Every merchant-owned row belongs to one store; reach rows only through ``for_store``."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")

    objects = StoreScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class Job(StoreOwnedModel):
    """A piece of background work for a store: each concrete subclass is one kind of job.

    The job machinery (``apps/core/jobs.py``) runs, retries, cancels and reaps every subclass
    the same way through the class attributes below; ``updated_at`` is the heartbeat, moved
    by each progress write. A subclass may keep finer statuses (the import's "validating",
    "validated", …) by overriding ``status`` and the status tuples.
    """

    status = models.CharField(max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED)
    processed = models.PositiveIntegerField(default=0)  # progress: units done …
    total = models.PositiveIntegerField(default=0)  # … of this many
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    failure_message = models.TextField(blank=True)  # the reason, in words the merchant can act on
    attempts = models.PositiveSmallIntegerField(default=0)  # deliveries of the current step
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    result_file = models.FileField(
        storage=private_storage_get, upload_to=private_file_path, max_length=255, blank=True
    )

    # dotted path of ``runner(*, job)``, the function that does the work (see apps/core/jobs.py)
    runner: str = ""
    # errors retried with backoff, at most ``max_retries`` times; anything else fails the job
    retry_on: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
    max_retries: int = 3
    failure_text = (
        "The job stopped unexpectedly before it finished. Try again; if it happens again, "
        "contact support."
    )
    # a queued status → the status a worker starts it in (the import's "check queued" → "checking")
    STARTS: dict[str, str] = {JobStatus.QUEUED: JobStatus.RUNNING}
    # statuses with work left (a delivered task runs; cancel allowed)
    ACTIVE_STATUSES: tuple[str, ...] = (JobStatus.QUEUED, JobStatus.RUNNING)
    # a finer status → its place in the common lifecycle (queued/running/done/failed/cancelled):
    # the active ones in "queued" wait for a worker (queued again when the message was lost),
    # those in "running" are held by one (failed by the reaper when their heartbeat stops)
    LIFECYCLE: dict[str, str] = {}
    # private files of the row, deleted after settings.PRIVATE_FILE_RETENTION_DAYS[file_retention]
    private_file_fields: tuple[str, ...] = ("result_file",)
    file_retention = "default"

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def kind(self) -> str:
        return self._meta.label_lower

    @property
    def lifecycle(self) -> str:
        return self.LIFECYCLE.get(self.status, self.status)

    @classmethod
    def active_statuses_in(cls, lifecycle: str) -> tuple[str, ...]:
        """The active statuses whose place in the common lifecycle is ``lifecycle``."""
        return tuple(s for s in cls.ACTIVE_STATUSES if cls.LIFECYCLE.get(s, s) == lifecycle)

    @property
    def max_attempts(self) -> int:
        """Deliveries of one step before it fails: the first run and ``max_retries`` more."""
        return self.max_retries + 1

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES
