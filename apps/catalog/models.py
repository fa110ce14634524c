"""Catalog: categories (a tree), products, variants, images, inventory history, imports."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from apps.catalog import inputs
from apps.core.files import private_file_path, private_storage_get
from apps.core.models import Job, JobStatus, StoreOwnedModel

ZERO = Decimal("0")


class Category(StoreOwnedModel):
    name = models.CharField(max_length=inputs.TEXT_LIMITS["category_name"])
    slug = models.SlugField(max_length=140)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["store", "slug"], name="category_unique_store_slug"),
            # two siblings never share a name, whatever its case; top-level ones included
            models.UniqueConstraint(
                F("store"),
                F("parent"),
                Lower("name"),
                name="category_unique_sibling_name",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProductStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    ARCHIVED = "archived", "Archived"


class Product(StoreOwnedModel):
    title = models.CharField(max_length=inputs.TEXT_LIMITS["title"])
    handle = models.SlugField(max_length=inputs.MAX_HANDLE_LENGTH)
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=ProductStatus.choices, default=ProductStatus.DRAFT
    )
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="products"
    )
    tags = ArrayField(models.CharField(max_length=inputs.MAX_TAG_LENGTH), default=list, blank=True)
    vendor = models.CharField(max_length=inputs.TEXT_LIMITS["vendor"], blank=True)
    seo_title = models.CharField(max_length=inputs.TEXT_LIMITS["seo_title"], blank=True)
    seo_description = models.CharField(max_length=inputs.TEXT_LIMITS["seo_description"], blank=True)
    low_stock_threshold = models.PositiveIntegerField(default=5)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["store", "handle"], name="product_unique_store_handle"),
        ]
        indexes = [
            models.Index(fields=["store", "status"]),
            models.Index(fields=["store", "updated_at"]),
            models.Index(fields=["store", "vendor"]),
            GinIndex(fields=["tags"], name="product_tags_gin"),
            GinIndex(
                name="product_title_trgm",
                fields=["title"],
                opclasses=["gin_trgm_ops"],
            ),
            # the product list: search on vendor; default and title sorts served by an index
            GinIndex(name="product_vendor_trgm", fields=["vendor"], opclasses=["gin_trgm_ops"]),
            models.Index(fields=["store", "updated_at", "id"], name="product_store_updated_id"),
            models.Index(fields=["store", "title", "id"], name="product_store_title_id"),
        ]

    def __str__(self) -> str:
        return self.title


class StockState(models.TextChoices):
    """The rule and the names live in ``apps.catalog.inputs`` (``stock_state``)."""

    IN = inputs.STOCK_IN, inputs.STOCK_LABELS[inputs.STOCK_IN]
    LOW = inputs.STOCK_LOW, inputs.STOCK_LABELS[inputs.STOCK_LOW]
    OUT = inputs.STOCK_OUT, inputs.STOCK_LABELS[inputs.STOCK_OUT]


class ProductSummary(models.Model):
    """A product's variants in three numbers, for sorting and filtering big lists by index.

    Derived data, kept by PostgreSQL triggers (migration 0005) on every write path — the
    services, the import's COPY/upsert SQL, bulk actions — and never written by the
    application. One row per product, created with it.
    """

    product = models.OneToOneField(
        Product, on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    store = models.ForeignKey("core.Store", on_delete=models.CASCADE, related_name="+")
    price_min = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    stock_total = models.IntegerField(default=0)
    stock_state = models.CharField(max_length=3, choices=StockState.choices, default="out")

    class Meta:
        indexes = [
            models.Index(fields=["store", "price_min", "product"], name="summary_store_price_idx"),
            models.Index(
                fields=["store", "stock_total", "product"], name="summary_store_stock_idx"
            ),
            models.Index(fields=["store", "stock_state"], name="summary_store_state_idx"),
        ]

    def __str__(self) -> str:
        return f"Summary of product {self.product_id}"


def product_image_path(instance: ProductImage, filename: str) -> str:
    """Images are public (the storefront shows them) but not guessable: a random folder each."""
    return (
        f"stores/{instance.store_id}/products/{instance.product_id}/{uuid.uuid4().hex}/{filename}"
    )


class ProductImage(StoreOwnedModel):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to=product_image_path)
    thumbnail = models.ImageField(upload_to=product_image_path, blank=True)
    alt_text = models.CharField(max_length=inputs.TEXT_LIMITS["alt_text"], blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.alt_text or f"Image {self.pk}"


class WeightUnit(models.TextChoices):
    GRAM = "g", "g"
    KILOGRAM = "kg", "kg"
    POUND = "lb", "lb"
    OUNCE = "oz", "oz"


class Variant(StoreOwnedModel):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(max_length=inputs.MAX_SKU_LENGTH)
    # e.g. {"Size": "M", "Colour": "Red"}; the product's options, in order
    option_values = models.JSONField(default=dict, blank=True)
    price = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    compare_at_price = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    cost = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    weight = models.DecimalField(
        max_digits=10, decimal_places=3, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    weight_unit = models.CharField(
        max_length=2, choices=WeightUnit.choices, default=WeightUnit.GRAM
    )
    barcode = models.CharField(max_length=inputs.MAX_BARCODE_LENGTH, blank=True)
    stock_quantity = models.IntegerField(default=0)
    track_inventory = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["store", "sku"], name="variant_unique_store_sku"),
            models.CheckConstraint(condition=Q(price__gte=0), name="variant_price_not_negative"),
            models.CheckConstraint(
                condition=Q(stock_quantity__gte=0) | Q(track_inventory=False),
                name="variant_tracked_stock_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(compare_at_price__isnull=True) | Q(compare_at_price__gte=F("price")),
                name="variant_compare_at_not_below_price",
            ),
        ]
        indexes = [
            GinIndex(name="variant_sku_trgm", fields=["sku"], opclasses=["gin_trgm_ops"]),
            models.Index(fields=["product", "position"]),
            # the product search finds a scanned barcode exactly
            models.Index(fields=["store", "barcode"], name="variant_store_barcode"),
            # sorting the product list by price or stock: index-only probes per product
            models.Index(fields=["product", "price"], name="variant_product_price"),
            models.Index(
                fields=["product"],
                include=["track_inventory", "stock_quantity"],
                name="variant_product_stock",
            ),
        ]

    def __str__(self) -> str:
        return self.sku


class InventoryReason(models.TextChoices):
    RECEIVED = "received", "Received stock"
    CORRECTION = "correction", "Stock count correction"
    DAMAGED = "damaged", "Damaged or lost"
    RETURNED = "returned", "Customer return"
    SOLD = "sold", "Sold"
    IMPORT = "import", "Import"


class InventoryMovement(StoreOwnedModel):
    """One stock change: who, when, by how much, why. Append-only."""

    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="movements")
    delta = models.IntegerField()
    quantity_after = models.IntegerField()
    reason = models.CharField(max_length=16, choices=InventoryReason.choices)
    note = models.CharField(max_length=inputs.TEXT_LIMITS["note"], blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["variant", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.delta:+d} {self.variant_id} ({self.reason})"


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded"
    CHECK_QUEUED = "check_queued", "Waiting to check"
    VALIDATING = "validating", "Checking"
    VALIDATED = "validated", "Checked"
    IMPORT_QUEUED = "import_queued", "Waiting to import"
    RUNNING = "running", "Importing"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class ImportMode(models.TextChoices):
    SKIP_BAD_ROWS = "skip", "Skip bad rows, import the rest"
    ALL_OR_NOTHING = "all", "All or nothing"


def import_file_path(instance: ImportJob, filename: str) -> str:
    """Named by migration 0001 only; files are named by ``private_file_path`` now."""
    return private_file_path(instance, filename)


IMPORT_UNEXPECTED = (
    "The import stopped unexpectedly and nothing was written. Try again; if it happens again, "
    "split the file into smaller parts."
)


class ImportJob(Job):
    """A catalog import: uploaded file → column mapping → dry run → run (a job when large).

    Two steps run in the background, the check and the import, each first waiting for a worker
    ("check_queued", "import_queued": "queued" in the common lifecycle, so a lost message is
    queued again and a long backlog is not mistaken for a stuck worker), then held by one
    ("validating", "running": "running", reaped when their heartbeat stops). "uploaded" waits
    for the mapping and "validated" is the check's "done". ``processed``/``total`` count rows;
    ``result_file`` holds the error rows.
    """

    file = models.FileField(
        storage=private_storage_get, upload_to=private_file_path, max_length=255
    )
    original_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=4)  # "csv" or "xlsx"
    headers = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=dict, blank=True)  # file header -> catalog column
    mode = models.CharField(
        max_length=4, choices=ImportMode.choices, default=ImportMode.SKIP_BAD_ROWS
    )
    status = models.CharField(
        max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    # dry-run / run summary: counts and the first errors, [{"row", "column", "message"}]
    summary = models.JSONField(default=dict, blank=True)
    error_count = models.PositiveIntegerField(default=0)

    runner = "apps.catalog.services.imports.import_job_work"
    failure_text = IMPORT_UNEXPECTED
    ACTIVE_STATUSES = (
        ImportStatus.CHECK_QUEUED,
        ImportStatus.VALIDATING,
        ImportStatus.IMPORT_QUEUED,
        ImportStatus.RUNNING,
    )
    STARTS = {
        ImportStatus.CHECK_QUEUED: ImportStatus.VALIDATING,
        ImportStatus.IMPORT_QUEUED: ImportStatus.RUNNING,
    }
    LIFECYCLE = {
        ImportStatus.UPLOADED: JobStatus.QUEUED,
        ImportStatus.CHECK_QUEUED: JobStatus.QUEUED,
        ImportStatus.VALIDATING: JobStatus.RUNNING,
        ImportStatus.VALIDATED: JobStatus.DONE,
        ImportStatus.IMPORT_QUEUED: JobStatus.QUEUED,
    }
    private_file_fields = ("file", "result_file")
    file_retention = "imports"

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import {self.original_name}"

    @property
    def is_import_step(self) -> bool:
        """Waiting for or writing the import itself (not the check)."""
        return self.status in (ImportStatus.IMPORT_QUEUED, ImportStatus.RUNNING)


class ImageFetchJob(Job):
    """Fetching the product images an import's file gave by address, once the import ran.

    ``processed``/``total`` count the images; each image's outcome (added, or failed with the
    reason) is kept in the import's ``summary["images"]``, so the import's result page lists
    them. Safe to run twice: an image already added or failed is not fetched again.
    """

    import_job = models.OneToOneField(
        ImportJob, on_delete=models.CASCADE, related_name="image_fetch"
    )

    runner = "apps.catalog.services.image_fetch.image_fetch_job_run"
    failure_text = (
        "Fetching the images stopped unexpectedly. The images fetched so far are kept; the "
        "others are listed as not fetched."
    )
    private_file_fields = ()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Images of import {self.import_job_id}"


class BulkJob(Job):
    """A bulk action over more products than one request should handle, run in the background.

    The products are fixed when the job is made (the filter's result can change as the action
    runs, e.g. archiving "all active"); ``processed`` advances in the same transaction as each
    chunk, so a re-delivered task picks up where the last one committed.
    """

    action = models.CharField(max_length=16)
    options = models.JSONField(default=dict, blank=True)  # category, tag, mode, value
    product_ids = ArrayField(models.BigIntegerField(), default=list)
    changed = models.PositiveIntegerField(default=0)

    runner = "apps.catalog.services.bulk.bulk_job_run"
    private_file_fields = ()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Bulk {self.action} of {self.total} products"


class ExportJob(Job):
    """A large export of the product list (the list's filter in ``params``), built in the
    background into ``result_file``; ``processed``/``total`` count variants."""

    file_format = models.CharField(max_length=4)  # "csv" or "xlsx"
    params = models.JSONField(default=dict, blank=True)  # the product list's filter
    filename = models.CharField(max_length=255, blank=True)  # the name the download gets

    runner = "apps.catalog.services.exports.export_job_run"
    file_retention = "exports"

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Export {self.filename or self.pk}"
