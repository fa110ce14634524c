"""What an import of another shop's export (Shopify, WooCommerce) adds to an import job: the
row conversion (``io.formats.SourceRows``), the categories it creates and the images it queues.

``services.imports`` calls these at each step; a file in this portal's own format skips them.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings

from apps.catalog.io.bulk import BulkImport, category_paths
from apps.catalog.io.columns import SOURCE_LABELS, detect_source, ignored_headers, ignored_reason
from apps.catalog.io.formats import SourceRows, needs_source_rows
from apps.catalog.io.validation import category_key
from apps.catalog.models import Category, ImportJob
from apps.catalog.services.categories import category_create
from apps.catalog.services.image_fetch import image_fetch_job_create

IMAGES_OFF_NOTE = (
    "Not downloaded: this portal doesn't fetch images from the internet "
    "(CATALOG_IMAGE_FETCH is off). Add it on the product page."
)


def source_format(job: ImportJob) -> str:
    return job.summary.get("source_format") or detect_source(job.headers)


def source_label(job: ImportJob) -> str:
    return SOURCE_LABELS[source_format(job)]


def source_rows_for(job: ImportJob, headers: Sequence[str]) -> SourceRows | None:
    """The converter for this job's file, or ``None`` when it is in the portal's own format."""
    source = source_format(job)
    if not needs_source_rows(source, job.mapping):
        return None
    return SourceRows(
        source=source,
        headers=headers,
        mapping=job.mapping,
        create_categories=job.summary.get("create_categories", True),
        currency=job.store.currency,
    )


def source_summary(job: ImportJob, source: SourceRows | None) -> dict:
    """The keys the dry-run and result pages show for a converted file."""
    ignored = ignored_headers(job.headers, job.mapping)
    kind = source_format(job)
    extra = {
        "source_format": kind,
        "create_categories": job.summary.get("create_categories", True),
        "ignored_reasons": {h: ignored_reason(kind, h) for h in ignored if ignored_reason(kind, h)},
    }
    if source is not None:
        extra.update(source.summary())
    return extra


def source_stage(bulk: BulkImport, source: SourceRows, rows, *, progress) -> None:
    """Stage the converted rows, then the rows the converter refused, counting every row read."""
    source.attach(bulk.validator.categories)
    bulk.stage(source.rows(rows), progress=progress, renamed=source.renamed)
    bulk.record_errors(source.errors)
    bulk.rows_read = source.rows_in


def source_checked(bulk: BulkImport, source: SourceRows | None) -> None:
    """After ``bulk.check()``: a skipped row creates no category, its warnings are its own."""
    if source is None:
        return
    source.checked(
        staged_categories=bulk.staged_categories(),
        skipped_rows=bulk.refused_rows(warning["row"] for warning in source.warnings),
    )


def source_apply(*, job: ImportJob, bulk: BulkImport, source: SourceRows | None, actor) -> None:
    """Inside the import's transaction: create the new categories, then note the images."""
    if source is None:
        return
    if source.fake_ids:
        bulk.set_categories(source_categories_create(store=job.store, actor=actor, source=source))
    images = source.images
    if images and getattr(settings, "CATALOG_IMAGE_FETCH", True):
        for image in images:
            image["status"] = "queued"
    else:
        for image in images:
            image["note"] = IMAGES_OFF_NOTE
    job.summary.update(source_summary(job, source))
    if images and getattr(settings, "CATALOG_IMAGE_FETCH", True):
        requested_by = actor if getattr(actor, "pk", None) else None
        image_fetch_job_create(import_job=job, requested_by=requested_by)


def source_categories_create(*, store, actor, source: SourceRows) -> dict[int, int]:
    """Create the file's new categories, parents first: ``{stand-in id: new id}``."""

    existing = category_paths(store=store)
    created: dict[int, int] = {}
    for key in sorted(source.fake_ids, key=lambda k: k.count(" > ")):
        path = source.new_categories[key]
        if key in existing:  # made meanwhile (another import, the categories page)
            created[source.fake_ids[key]] = existing[key]
            continue
        names = path.split(" > ")
        parent_key = category_key(" > ".join(names[:-1])) if len(names) > 1 else ""
        parent = (
            Category.objects.for_store(store).get(pk=existing[parent_key]) if parent_key else None
        )
        category = category_create(store=store, actor=actor, name=names[-1], parent=parent)
        existing[key] = category.pk
        created[source.fake_ids[key]] = category.pk
    return created
