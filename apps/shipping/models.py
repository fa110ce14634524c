"""Shipping: carriers and their services, zones, and the rates of each zone.

The rules live in ``engine.py`` (pure) and ``inputs.py`` (input checks); these are the rows.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from apps.core.files import private_file_path, private_storage_get
from apps.core.models import Job, JobStatus, StoreOwnedModel
from apps.shipping import engine

MONEY = {"max_digits": 12, "decimal_places": 2}
WEIGHT = {"max_digits": 10, "decimal_places": 3}


class Carrier(StoreOwnedModel):
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["store", "name"], name="carrier_unique_store_name")
        ]

    def __str__(self) -> str:
        return self.name


class CarrierService(StoreOwnedModel):
    carrier = models.ForeignKey(Carrier, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(max_length=80)
    # the service's name in orders, imports and the storefront API, e.g. "dhl-express"
    code = models.CharField(max_length=40)
    days_min = models.PositiveSmallIntegerField(default=2)
    days_max = models.PositiveSmallIntegerField(default=4)
    tracking_url_template = models.CharField(max_length=500, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["carrier__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["store", "code"], name="service_unique_store_code"),
            models.CheckConstraint(
                condition=Q(days_max__gte=models.F("days_min")), name="service_days_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.carrier.name} {self.name}"


class Zone(StoreOwnedModel):
    name = models.CharField(max_length=80)
    # empty: rest of world
    countries = ArrayField(models.CharField(max_length=2), default=list, blank=True)
    regions = ArrayField(models.CharField(max_length=10), default=list, blank=True)
    postal_include = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    postal_exclude = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["store", "name"], name="zone_unique_store_name")
        ]

    def __str__(self) -> str:
        return self.name


class RateKind(models.TextChoices):
    FLAT = engine.FLAT, "Flat price"
    WEIGHT = engine.WEIGHT, "By weight bands"
    SUBTOTAL = engine.SUBTOTAL, "By subtotal bands"
    PER_ITEM = engine.PER_ITEM, "Per item"


class Rate(StoreOwnedModel):
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="rates")
    service = models.ForeignKey(CarrierService, on_delete=models.PROTECT, related_name="rates")
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=10, choices=RateKind.choices, default=RateKind.FLAT)
    price = models.DecimalField(**MONEY, default=Decimal("0"))  # flat, or per item
    # [[lower, upper or null, price], …] as decimal strings, in kg or the store's currency
    bands = models.JSONField(default=list, blank=True)
    free_over = models.DecimalField(**MONEY, null=True, blank=True)
    min_weight = models.DecimalField(**WEIGHT, null=True, blank=True)
    max_weight = models.DecimalField(**WEIGHT, null=True, blank=True)
    min_subtotal = models.DecimalField(**MONEY, null=True, blank=True)
    max_subtotal = models.DecimalField(**MONEY, null=True, blank=True)
    excluded_tags = ArrayField(models.CharField(max_length=50), default=list, blank=True)
    excluded_categories = models.ManyToManyField("catalog.Category", blank=True, related_name="+")
    handling_fee = models.DecimalField(**MONEY, default=Decimal("0"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="rate_unique_zone_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ShippingImportMode(models.TextChoices):
    MERGE = "merge", "Merge: add and update the file's zones and rates, keep the others"
    REPLACE = "replace", "Replace all: also delete the zones and rates the file doesn't have"


class ShippingImportStatus(models.TextChoices):
    CHECK_QUEUED = "check_queued", "Waiting to be checked"
    CHECKING = "checking", "Checking"
    CHECKED = "checked", "Checked"
    RUN_QUEUED = "run_queued", "Waiting to import"
    RUNNING = "running", "Importing"
    DONE = JobStatus.DONE, "Imported"
    FAILED = JobStatus.FAILED, "Failed"
    CANCELLED = JobStatus.CANCELLED, "Cancelled"


class ShippingImportJob(Job):
    """An import of zones and rates from CSV: upload → check (the dry run) → run. Both steps run
    in the request for small files and as a job for large ones (``apps.core.jobs``); the run
    writes every row in one transaction or none. ``summary`` holds the counts and the bad rows
    (``[{"row", "column", "message"}]``); ``processed``/``total`` count rows."""

    file = models.FileField(
        storage=private_storage_get, upload_to=private_file_path, max_length=255
    )
    original_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=4, default="csv")  # "csv" or "xlsx"
    mode = models.CharField(
        max_length=8, choices=ShippingImportMode.choices, default=ShippingImportMode.MERGE
    )
    status = models.CharField(
        max_length=16,
        choices=ShippingImportStatus.choices,
        default=ShippingImportStatus.CHECK_QUEUED,
    )
    summary = models.JSONField(default=dict, blank=True)
    error_count = models.PositiveIntegerField(default=0)

    runner = "apps.shipping.io.imports.shipping_import_work"
    failure_text = (
        "The import stopped unexpectedly and nothing was written. Try again; if it happens "
        "again, contact support."
    )
    ACTIVE_STATUSES = (
        ShippingImportStatus.CHECK_QUEUED,
        ShippingImportStatus.CHECKING,
        ShippingImportStatus.RUN_QUEUED,
        ShippingImportStatus.RUNNING,
    )
    STARTS = {
        ShippingImportStatus.CHECK_QUEUED: ShippingImportStatus.CHECKING,
        ShippingImportStatus.RUN_QUEUED: ShippingImportStatus.RUNNING,
    }
    LIFECYCLE = {
        ShippingImportStatus.CHECK_QUEUED: JobStatus.QUEUED,
        ShippingImportStatus.CHECKING: JobStatus.RUNNING,
        ShippingImportStatus.CHECKED: JobStatus.DONE,
        ShippingImportStatus.RUN_QUEUED: JobStatus.QUEUED,
    }
    private_file_fields = ("file", "result_file")
    file_retention = "imports"

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import {self.original_name}"

    @property
    def is_run_step(self) -> bool:
        """Waiting for or writing the import itself (not the check)."""
        return self.status in (ShippingImportStatus.RUN_QUEUED, ShippingImportStatus.RUNNING)
